/*
 * gc/mark_concurrent.c: marking beside the mutators, snapshot at the beginning (SATB).
 *
 *   ugc_gc_mark_begin      heap safepoint: remembers the top (objects allocated from
 *                          now on are live without marking: black allocation) and how
 *                          many root slots exist; opens the barrier's queue. O(1).
 *   ugc_gc_mark_roots      mutators running: clears the bitmap, copies the root table's
 *                          values into the queue. From its return on, a root a mutator
 *                          drops needs no log (its value at begin is in the queue).
 *   ugc_gc_mark_concurrent mutators running, on mark_threads threads: traces the queue
 *                          (roots and what the barrier logged) until nothing is queued.
 *   ugc_gc_remark          heap safepoint, after the requester pushed every mutator's
 *                          buffer: traces what is left, closes the queue.
 *
 * Why nothing is lost: every object reachable at begin is marked. The marker reads
 * each reference slot and root slot once; a mutator that overwrites one (a store, a
 * handle released or retargeted) logs what it held first, while marking is active
 * (root slots: until mark_roots has copied them), so each slot's value at begin is
 * either read by the marker or logged. Only a slot's value at begin must reach the
 * marker: once the copy holds every root slot's, later root values need no log
 * (as G1 scans roots once and never logs them). An object a mutator reaches later
 * was reachable at begin, or was allocated since (black). So at
 * remark everything still reachable is marked or black; garbage since begin survives
 * this cycle (floating garbage).
 *
 * The marker reads the heap below the begin top, where headers never change and
 * references change only by single aligned 32-bit stores; it never touches a page
 * registered with the userfaultfd (no window is open while marking), so a Java
 * thread may run this inside a downcall: it cannot wait on a fault.
 */
#include <errno.h>
#include <string.h>
#include "marker.h"

int ugc_gc_mark_begin(ugc_gc *gc)
{
	int rc = gc_cycle_begin(gc);
	if (rc < 0)
		return rc;
	gc->mark_top_words = gc->old_top_words;
	gc->remark_top_words = 0;
	gc->mark_roots = gc->heap->nroots;
	gc->bitmap_cleared = false;
	gc->roots_scanned = false;
	gc->marked_objects = gc->marked_words = 0;
	gc_satb_set_open(gc, true);
	gc->mark_step = MARK_ACTIVE;
	return 0;
}

int64_t ugc_gc_mark_roots(ugc_gc *gc)
{
	if (gc->mark_step != MARK_ACTIVE)
		return -EINVAL;
	if (!gc->bitmap_cleared) {
		memset(gc->bitmap, 0, ((gc->mark_top_words + 63) / 64) * sizeof(uint64_t));
		gc->bitmap_cleared = true;
	}
	if (!gc->roots_scanned) {
		/* Slots past mark_roots were issued after begin: they name marked or black objects. */
		int rc = gc_satb_push_roots(gc, (const uint32_t *)(uintptr_t)gc->heap->roots, gc->mark_roots);
		if (rc < 0)
			return rc;
		gc->roots_scanned = true;
	}
	return (int64_t)gc->mark_roots;
}

/* Traces the queue until it is empty, on `threads` threads; references up to the capacity are valid. */
static int trace_queue(ugc_gc *gc, uint32_t threads)
{
	int64_t rc = ugc_gc_mark_roots(gc);
	if (rc < 0)
		return (int)rc;
	/* Objects allocated since begin lie at or above the begin top, below the capacity. */
	return gc_mark_trace(gc, gc->mark_top_words, gc->capacity / UGC_WORD_BYTES, NULL, 0, true, threads,
			     &gc->marked_objects, &gc->marked_words);
}

int64_t ugc_gc_mark_concurrent(ugc_gc *gc)
{
	if (gc->mark_step != MARK_ACTIVE)
		return -EINVAL;
	int rc = trace_queue(gc, gc->mark_threads);
	return rc < 0 ? rc : (int64_t)gc->marked_objects;
}

int64_t ugc_gc_remark(ugc_gc *gc)
{
	if (gc->mark_step != MARK_ACTIVE)
		return -EINVAL;
	ugc_heap *h = gc->heap;
	uint64_t top = h->top / UGC_WORD_BYTES;
	if (h->top % UGC_WORD_BYTES || h->top > gc->capacity || top < gc->mark_top_words)
		return -EINVAL;
	/* One thread: what is left is what arrived since the concurrent trace, and starting threads costs in a pause. */
	int rc = trace_queue(gc, 1);
	if (rc < 0)
		return rc;
	if (gc_satb_failed(gc))
		return -ENOMEM; /* a mutator's buffer could not be queued: objects may be unmarked */
	/* Mutators are stopped and their buffers were pushed: nothing more can arrive that matters. */
	gc_satb_set_open(gc, false);
	gc->remark_top_words = top;
	gc->st.live_objects = gc->marked_objects;
	gc->st.live_bytes = gc->marked_words * UGC_WORD_BYTES;
	gc->mark_step = MARK_DONE;
	return (int64_t)gc->st.live_bytes;
}

void ugc_gc_mark_cancel(ugc_gc *gc)
{
	gc_satb_set_open(gc, false);
	gc->mark_step = MARK_IDLE;
	if (atomic_load(&gc->phase) == PHASE_IDLE)
		gc->planned = false;
}
