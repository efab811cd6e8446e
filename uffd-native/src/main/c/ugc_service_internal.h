/*
 * ugc_service_internal.h: what the two kinds of fault service share (not part of the
 * Java contract): the service struct, its ring of fault records, and small helpers. A service
 * either runs threads that read the userfaultfd (ugc_service.c) or serves faults on
 * the faulting thread itself, in a SIGBUS handler (ugc_sigbus.c).
 */
#ifndef UGC_SERVICE_INTERNAL_H
#define UGC_SERVICE_INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>
#include <pthread.h>
#include <sys/auxv.h>
#include <time.h>
#include "uffdgc.h"

/*
 * Vyukov's bounded queue: each cell carries a sequence number that says whether
 * it is free for the producer at position pos (seq == pos) or holds the value
 * for the consumer at pos (seq == pos + 1). Producers are the fault path;
 * the consumer is whichever Java thread drains, so both ends use CAS.
 */
struct fault_cell {
	_Atomic uint64_t seq;
	ugc_fault_record rec;
};

struct fault_ring {
	struct fault_cell *cells; /* NULL when the service records no faults */
	uint64_t mask;
	uint64_t bytes;             /* size of the cells mapping */
	_Alignas(64) _Atomic uint64_t head; /* next position to write */
	_Alignas(64) _Atomic uint64_t tail; /* next position to read */
};

int ring_init(struct fault_ring *r, uint64_t capacity);
void ring_free(struct fault_ring *r);
/* Returns 0 if stored, -1 if the ring is full (the record is dropped). */
int ring_put(struct fault_ring *r, const ugc_fault_record *rec);
/* Returns 1 and the oldest record in *rec, or 0 if the ring is empty. */
int ring_take(struct fault_ring *r, ugc_fault_record *rec);

enum service_kind { SERVICE_THREADS, SERVICE_SIGBUS };

/*
 * A service thread's CPU time, user and system apart, as it last read it itself
 * (getrusage can split only the caller's time). A seqlock with this thread the one
 * writer: a reader never sees the two parts of different moments. SIGBUS slots keep
 * none: their faults run on the mutators' own threads.
 */
struct cpu_log {
	_Atomic uint64_t seq;      /* odd while the thread writes */
	_Atomic uint64_t user_ns, sys_ns;
	int64_t logged_at;         /* CLOCK_MONOTONIC ns of the last entry; the thread's own */
};

/*
 * How often a busy service thread logs its CPU time: at most once per millisecond of
 * wall time, after a fault is served (the mutator is awake by then). A reading per
 * fault (ugc_thread_cpu_read, ~1.3 us) would add several percent to a fault's service
 * time; a reader adds what the thread ran since its last entry from the thread's CPU
 * clock (exact), split in the ratio the thread has logged so far.
 */
#define CPU_LOG_NS 1000000

/* A service thread (SERVICE_THREADS), or a worker slot a SIGBUS handler borrows (SERVICE_SIGBUS). */
struct service_thread {
	pthread_t tid;
	ugc_service *svc;
	_Atomic int busy;  /* SIGBUS: a handler holds this slot and its scratch page */
	ugc_worker worker; /* its counters are written by whoever runs it (one thread at a time) */
	clockid_t clock;   /* threads: the thread's CPU clock, for readers; set by the thread at start */
	_Atomic int clock_ready;
	struct cpu_log cpu;
} __attribute__((aligned(64)));

struct ugc_service {
	enum service_kind kind;
	int uffd;
	uint64_t base, len;          /* SIGBUS: the registered range whose faults are ours */
	int stop_fd;                 /* eventfd: readable once stop is requested */
	uint32_t nthreads;           /* threads, or SIGBUS worker slots */
	uint32_t started;            /* threads actually created */
	ugc_resolver_fn resolver;
	void *ctx;
	uint64_t page;
	void *scratch;               /* nthreads pages, one per worker */
	_Atomic int stopping;
	_Alignas(64) _Atomic uint64_t faults;
	_Atomic uint64_t resolved;
	_Atomic uint64_t failed;
	_Atomic int64_t last_error;
	_Atomic uint64_t other_events;
	_Atomic uint64_t latencies_dropped;
	_Atomic uint64_t recorded;   /* faults recorded (ring or dropped); release, after the record */
	_Atomic(_Atomic uint64_t *) live_faults; /* ugc_service_set_live_faults: also counts faults, or NULL */
	uint64_t served_at_stop;     /* written by the stopping thread after every worker is joined */
	struct fault_ring ring;
	struct service_thread threads[];
};

static inline uint64_t page_size(void)
{
	/* The aux vector is read-only process state: safe on any thread, in any context. */
	return getauxval(AT_PAGESZ);
}

static inline int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Counts one fault message in the service and in its live counter, if one is set. */
static inline void service_count_fault(ugc_service *svc)
{
	atomic_fetch_add_explicit(&svc->faults, 1, memory_order_relaxed);
	/* Pairs with the relaxed store of ugc_service_set_live_faults; the reader is another process. */
	_Atomic uint64_t *live = atomic_load_explicit(&svc->live_faults, memory_order_relaxed);
	if (live)
		atomic_fetch_add_explicit(live, 1, memory_order_relaxed);
}

/* Keeps one served fault in the ring (or counts it dropped). start: now_ns() when it began. */
static inline void service_record_fault(ugc_service *svc, int64_t start, uint64_t page)
{
	if (!svc->ring.cells) {
		atomic_fetch_add_explicit(&svc->recorded, 1, memory_order_release);
		return;
	}
	ugc_fault_record rec = { .start_ns = start, .stall_ns = now_ns() - start, .page = page };
	if (ring_put(&svc->ring, &rec) != 0)
		atomic_fetch_add_explicit(&svc->latencies_dropped, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&svc->recorded, 1, memory_order_release);
}

/* Takes a SIGBUS service out of the handler's table and waits until no handler is inside it. */
int sigbus_stop(ugc_service *svc);

/* The struct, its ring of fault records and nworkers populated scratch pages (one per worker), for either kind. */
int service_create(enum service_kind kind, int uffd, uint32_t nworkers, ugc_resolver_fn resolver, void *ctx,
		   uint64_t latency_capacity, ugc_service **out);

/* Frees what ugc_service_start* set up (fds, scratch, ring) and the struct. */
void service_release(ugc_service *svc);

#endif
