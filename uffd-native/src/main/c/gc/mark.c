/*
 * ugc_gc_mark.c: marking. Runs at a heap safepoint (mutators stopped), so it may
 * allocate: the mark stack is a growable malloc'd array.
 *
 * Every word of a live object gets its bit in the live-words bitmap, so that the
 * plan can count live words per chunk with popcount and the page routine can find
 * the next live object with a bit scan.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/*
 * Sets the bits of words [from, from + n). Most objects are 2..16 words and fit
 * in one bitmap word: one OR; longer ones take the loop.
 */
static inline void set_bits(uint64_t *bm, uint64_t from, uint64_t n)
{
	uint64_t bit = from & 63;
	if (bit + n <= 64) {
		bm[from >> 6] |= (n == 64 ? ~0ULL : (1ULL << n) - 1) << bit;
		return;
	}
	uint64_t end = from + n;
	while (from < end) {
		bit = from & 63;
		uint64_t take = 64 - bit;
		if (take > end - from)
			take = end - from;
		uint64_t mask = take == 64 ? ~0ULL : ((1ULL << take) - 1) << bit;
		bm[from >> 6] |= mask;
		from += take;
	}
}

/*
 * Marking is bound by memory latency: each object costs a header read at a
 * random address (a cache and TLB miss) and a bitmap access. So references are
 * not followed as soon as they are found. A discovered reference whose bit is
 * still clear goes onto the grey stack; before it is examined it passes through
 * a small FIFO: entering the FIFO prefetches its header and bitmap word, and
 * by the time it leaves, MARK_FIFO references later, both are (with luck) in
 * cache. The misses
 * of MARK_FIFO objects thus overlap instead of being paid one after the other
 * (prefetch-on-grey, Cher, Hosking and Vijaykumar, ASPLOS 2004).
 *
 * The result does not depend on the order: every reachable reference is
 * examined once it leaves the FIFO; an already marked one is skipped there.
 */
#define MARK_FIFO 16u	/* a power of two; 8..64 measured alike, 16 a little best */

typedef struct marker {
	const ugc_gc *gc;
	const uint64_t *heap;
	uint64_t *bitmap;
	uint64_t lo, hi;        /* object words lie in [lo, hi): first_words, old_top_words */
	uint32_t *grey;         /* discovered, not yet examined references (a stack) */
	uint64_t len, cap;
	uint32_t fifo[MARK_FIFO];
	uint32_t head, count;   /* the FIFO's oldest entry, and how many it holds */
	uint64_t objects, words;
} marker;

/* Makes room for extra more entries on the grey stack. */
static int reserve(marker *m, uint64_t extra)
{
	if (m->len + extra <= m->cap)
		return 0;
	uint64_t cap = m->cap ? m->cap : 4096;
	while (cap < m->len + extra)
		cap *= 2;
	uint32_t *grey = realloc(m->grey, cap * sizeof(*grey));
	if (!grey)
		return -ENOMEM;
	m->grey = grey;
	m->cap = cap;
	return 0;
}

/* Queues a root; -EINVAL if it points outside the heap. */
static inline int discover(marker *m, uint32_t r)
{
	if (r == UGC_REF_NULL)
		return 0;
	if (r < m->lo || r >= m->hi)
		return -EINVAL;
	int rc = reserve(m, 1);
	if (rc < 0)
		return rc;
	m->grey[m->len++] = r;
	return 0;
}

/* Moves a reference into the FIFO and starts fetching what examine() will read. */
static inline void enter_fifo(marker *m, uint32_t r)
{
	__builtin_prefetch(&m->heap[r], 0, 3);
	__builtin_prefetch(&m->bitmap[r >> 6], 1, 3);
	m->fifo[(m->head + m->count++) % MARK_FIFO] = r;
}

/*
 * Marks the object at r unless it is marked already: checks its header, sets the
 * bits of all its words and queues its references that are not marked yet.
 * The header is read and decoded once: it is the cache miss that marking pays for.
 */
static int examine(marker *m, uint32_t r)
{
	uint64_t *bw = &m->bitmap[r >> 6];
	if ((*bw >> (r & 63)) & 1)
		return 0;
	obj_info o;
	if (gc_describe(m->gc, m->heap[r], &o) < 0 || o.size > m->hi - r)
		return -EINVAL;
	set_bits(m->bitmap, r, o.size);
	m->objects++;
	m->words += o.size;
	if (o.nrefs == 0)
		return 0;
	int rc = reserve(m, o.nrefs);
	if (rc < 0)
		return rc;
	/*
	 * Whether a slot is null, or its target marked already, is a coin toss for the
	 * branch predictor; so every slot is written to the top of the grey stack and
	 * the top advances only past the ones to follow, without a branch. A reference
	 * outside the heap is remembered in bad (and read as word 0, which is in the
	 * bitmap) and fails the whole mark after the loop.
	 */
	const uint32_t *slots = (const uint32_t *)(m->heap + r + 1);
	uint32_t *top = m->grey + m->len;
	uint64_t n = 0, bad = 0, span = m->hi - m->lo;
	for (uint64_t k = 0; k < o.nrefs; k++) {
		uint32_t c = slots[k];
		uint64_t outside = (uint64_t)c - m->lo >= span;
		bad |= outside & (c != UGC_REF_NULL);
		uint64_t w = outside ? 0 : c;
		uint64_t unmarked = ~(m->bitmap[w >> 6] >> (w & 63)) & 1;
		top[n] = c;
		n += unmarked & !outside;
	}
	m->len += n;
	return bad ? -EINVAL : 0;
}

/* Traces everything reachable from the roots; 0 or the first error. */
static int trace(marker *m, const uint32_t *roots, uint64_t nroots)
{
	uint64_t next_root = 0;
	for (;;) {
		/* Keep the FIFO full: from the grey stack, else from the roots. */
		if (m->count < MARK_FIFO) {
			if (m->len > 0) {
				enter_fifo(m, m->grey[--m->len]);
				continue;
			}
			if (next_root < nroots) {
				int rc = discover(m, roots[next_root++]);
				if (rc < 0)
					return rc;
				continue;
			}
			if (m->count == 0)
				return 0;
		}
		uint32_t r = m->fifo[m->head];
		m->head = (m->head + 1) % MARK_FIFO;
		m->count--;
		int rc = examine(m, r);
		if (rc < 0)
			return rc;
	}
}

/* Copies Java's layout table: mutators may add layouts during the window. */
static int snapshot_layouts(ugc_gc *gc)
{
	uint64_t n = gc->heap->nlayouts;
	if (n == 0 || n > UGC_MAX_LAYOUTS || gc->heap->layouts == 0)
		return -EINVAL;
	if (n > gc->nlayouts) {
		ugc_layout *l = realloc(gc->layouts, n * sizeof(*l));
		if (!l)
			return -ENOMEM;
		gc->layouts = l;
	}
	memcpy(gc->layouts, (const void *)(uintptr_t)gc->heap->layouts, n * sizeof(ugc_layout));
	gc->nlayouts = n;
	return 0;
}

int64_t ugc_gc_mark(ugc_gc *gc)
{
	if (atomic_load(&gc->phase) != PHASE_IDLE)
		return -EBUSY;
	ugc_heap *h = gc->heap;
	if (h->top % UGC_WORD_BYTES || h->top > gc->capacity || h->top < gc->first_words * UGC_WORD_BYTES)
		return -EINVAL;
	int rc = snapshot_layouts(gc);
	if (rc < 0)
		return rc;
	memset(&gc->st, 0, sizeof(gc->st));
	gc->planned = false;
	gc->old_top_words = h->top / UGC_WORD_BYTES;
	gc->st.old_top = h->top;
	memset(gc->bitmap, 0, ((gc->old_top_words + 63) / 64) * sizeof(uint64_t));

	marker m = {
		.gc = gc,
		.heap = (const uint64_t *)(uintptr_t)gc->base,
		.bitmap = gc->bitmap,
		.lo = gc->first_words,
		.hi = gc->old_top_words,
	};
	rc = trace(&m, (const uint32_t *)(uintptr_t)h->roots, h->nroots);
	free(m.grey);
	gc->st.live_objects = m.objects;
	gc->st.live_bytes = m.words * UGC_WORD_BYTES;
	return rc < 0 ? rc : (int64_t)gc->st.live_bytes;
}
