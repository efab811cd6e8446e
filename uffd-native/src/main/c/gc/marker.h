/*
 * gc/marker.h: the tracing loop both marking paths share (mark.c stops the world,
 * mark_concurrent.c runs beside the mutators), on one thread or several
 * (mark_parallel.c). The heap it reads may change under it (concurrent marking), so
 * every reference slot and root is read once, with a relaxed atomic load.
 */
#ifndef UGC_GC_MARKER_H
#define UGC_GC_MARKER_H

#include "internal.h"

/*
 * Marking is bound by memory latency: each object costs a header read at a
 * random address (a cache and TLB miss) and a bitmap access. So references are
 * not followed as soon as they are found. A discovered reference whose bit is
 * still clear goes onto the grey stack; before it is examined it passes through
 * a small FIFO: entering the FIFO prefetches its header and bitmap word, and
 * by the time it leaves, MARK_FIFO references later, both are (with luck) in
 * cache. The misses of MARK_FIFO objects thus overlap instead of being paid one
 * after the other (prefetch-on-grey, Cher, Hosking and Vijaykumar, ASPLOS 2004).
 *
 * The result does not depend on the order: every reachable reference is
 * examined once it leaves the FIFO; an already marked one is skipped there.
 */
#define MARK_FIFO 16u	/* a power of two; 8..64 measured alike, 16 a little best */

/* Several markers share their work through one of these (mark_parallel.c). */
typedef struct mark_share mark_share;

typedef struct marker {
	const ugc_gc *gc;
	const uint64_t *heap;
	uint64_t *bitmap;
	uint64_t lo, hi;        /* traced objects lie in [lo, hi): first_words and the top marking started at */
	uint64_t valid_hi;      /* a reference in [hi, valid_hi) names an object allocated since: live, not traced */
	uint32_t *grey;         /* discovered, not yet examined references (a stack) */
	uint64_t len, cap;
	uint32_t fifo[MARK_FIFO];
	uint32_t head, count;   /* the FIFO's oldest entry, and how many it holds */
	uint64_t objects, words;
	/*
	 * NULL: this marker is the only one and owns the bitmap. Else other markers set
	 * bits beside it: an object's first bit is claimed with an atomic OR (the one that
	 * flips it marks and scans the object), its other bits are set with atomic ORs
	 * (a bitmap word may hold the bits of objects two markers mark), and a long grey
	 * stack gives work away.
	 */
	mark_share *share;
	uint32_t *spare;        /* this marker's side of the SATB queue's swap (gc_satb_take) */
	uint64_t spare_cap;
} marker;

/* A marker over [lo, hi) of gc's heap; references up to valid_hi are valid. */
void marker_init(marker *m, const ugc_gc *gc, uint64_t hi, uint64_t valid_hi);
/*
 * Traces everything reachable from refs[0, n) (roots or logged references; 0 is
 * skipped) and from what is still grey; returns 0 or -EINVAL (a reference names no
 * object of this heap), -ENOMEM (the grey stack could not grow), -ECANCELED (a
 * marker sharing the work failed).
 */
int marker_trace(marker *m, const uint32_t *refs, uint64_t n);
void marker_free(marker *m);

/* ---- mark_parallel.c ---- */
/* Most marking threads one trace may use. */
#define MARK_MAX_THREADS 64u

/*
 * Marks everything reachable from refs[0, n) and, with satb, from what the barrier's
 * queue holds, until nothing is left, on `threads` threads: the caller and threads-1
 * pthreads started here and joined before it returns (none attaches to the JVM).
 * Objects in [first_words, hi) are traced; references up to valid_hi are valid.
 * Adds what it marked to *objects and *words. Returns 0 or a marker's error.
 */
int gc_mark_trace(ugc_gc *gc, uint64_t hi, uint64_t valid_hi, const uint32_t *refs, uint64_t n, bool satb,
		  uint32_t threads, uint64_t *objects, uint64_t *words);

/* References a marker gives away at once; a grey stack twice as long offers a chunk. */
#define MARK_SHARE_CHUNK 256u

/* Called by marker_trace when its grey stack is long: gives part of it to idle markers. */
int mark_share_offer(marker *m);
/* True if a marker sharing the work failed (the others stop). */
bool mark_share_failed(const mark_share *s);

#endif
