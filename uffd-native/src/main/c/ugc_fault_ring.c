/*
 * ugc_fault_ring.c: a bounded lock-free ring of fault records (start, stall, page), filled
 * on the fault path (service threads, SIGBUS handlers) and drained by Java. Async-signal-safe.
 */
#include <errno.h>
#include <sys/mman.h>
#include "ugc_service_internal.h"

/* ---- fault records: a bounded lock-free ring ---------------------------------------- */

/*
 * Vyukov's bounded queue: each cell carries a sequence number that says whether
 * it is free for the producer at position pos (seq == pos) or holds the value
 * for the consumer at pos (seq == pos + 1). Producers are the service threads;
 * the consumer is whichever Java thread drains, so both ends use CAS.
 */
int ring_init(struct fault_ring *r, uint64_t capacity)
{
	if (capacity == 0)
		return 0;
	uint64_t n = 1;
	while (n < capacity)
		n <<= 1;
	r->bytes = n * sizeof(struct fault_cell);
	void *p = mmap(NULL, r->bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	r->cells = p;
	r->mask = n - 1;
	for (uint64_t i = 0; i < n; i++)
		atomic_init(&r->cells[i].seq, i);
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	return 0;
}

void ring_free(struct fault_ring *r)
{
	if (r->cells)
		munmap(r->cells, r->bytes);
	r->cells = NULL;
}

/* Returns 0 if stored, -1 if the ring is full (the record is dropped). */
int ring_put(struct fault_ring *r, const ugc_fault_record *rec)
{
	uint64_t pos = atomic_load_explicit(&r->head, memory_order_relaxed);
	for (;;) {
		struct fault_cell *c = &r->cells[pos & r->mask];
		uint64_t seq = atomic_load_explicit(&c->seq, memory_order_acquire);
		int64_t diff = (int64_t)(seq - pos);
		if (diff == 0) {
			if (atomic_compare_exchange_weak_explicit(&r->head, &pos, pos + 1, memory_order_relaxed,
								  memory_order_relaxed)) {
				c->rec = *rec;
				atomic_store_explicit(&c->seq, pos + 1, memory_order_release);
				return 0;
			}
		} else if (diff < 0) {
			return -1;
		} else {
			pos = atomic_load_explicit(&r->head, memory_order_relaxed);
		}
	}
}

/* Returns 1 and the oldest record in *rec, or 0 if the ring is empty. */
int ring_take(struct fault_ring *r, ugc_fault_record *rec)
{
	uint64_t pos = atomic_load_explicit(&r->tail, memory_order_relaxed);
	for (;;) {
		struct fault_cell *c = &r->cells[pos & r->mask];
		uint64_t seq = atomic_load_explicit(&c->seq, memory_order_acquire);
		int64_t diff = (int64_t)(seq - (pos + 1));
		if (diff == 0) {
			if (atomic_compare_exchange_weak_explicit(&r->tail, &pos, pos + 1, memory_order_relaxed,
								  memory_order_relaxed)) {
				*rec = c->rec;
				atomic_store_explicit(&c->seq, pos + r->mask + 1, memory_order_release);
				return 1;
			}
		} else if (diff < 0) {
			return 0;
		} else {
			pos = atomic_load_explicit(&r->tail, memory_order_relaxed);
		}
	}
}

