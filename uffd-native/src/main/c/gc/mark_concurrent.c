/*
 * gc/mark_concurrent.c: marking beside the mutators, snapshot at the beginning (SATB).
 *
 *   ugc_gc_mark_begin      heap safepoint: remembers the top (objects allocated from
 *                          now on are live without marking: black allocation) and how
 *                          many root slots exist; opens the barrier's queue. O(1).
 *   ugc_gc_mark_concurrent mutators running, on one marking thread: clears the bitmap,
 *                          traces from the root table and from what the barrier queued,
 *                          until nothing is queued.
 *   ugc_gc_remark          heap safepoint, after the requester pushed every mutator's
 *                          buffer: traces what is left, closes the queue.
 *
 * Why nothing is lost: every object reachable at begin is marked. The marker reads
 * each reference slot and root slot once; a mutator that overwrites one (a store, a
 * handle released or retargeted) logs what it held first, whenever marking is active,
 * so each slot's value at begin is either read by the marker or logged. An object a
 * mutator reaches later was reachable at begin, or was allocated since (black). So at
 * remark everything still reachable is marked or black; garbage since begin survives
 * this cycle (floating garbage).
 *
 * The marker reads the heap below the begin top, where headers never change and
 * references change only by single aligned 32-bit stores; it never touches a page
 * registered with the userfaultfd (no window is open while marking), so a Java
 * thread may run this inside a downcall: it cannot wait on a fault.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "marker.h"

int ugc_gc_mark_begin(ugc_gc *gc)
{
	int rc = gc_cycle_begin(gc);
	if (rc < 0)
		return rc;
	if (!gc->mk && !(gc->mk = calloc(1, sizeof(*gc->mk))))
		return -ENOMEM;
	gc->mark_top_words = gc->old_top_words;
	gc->remark_top_words = 0;
	gc->mark_roots = gc->heap->nroots;
	gc->bitmap_cleared = false;
	gc->roots_scanned = false;
	/* References up to the capacity are valid: objects allocated meanwhile lie above the begin top. */
	marker_init(gc->mk, gc, gc->mark_top_words, gc->capacity / UGC_WORD_BYTES);
	gc_satb_set_open(gc, true);
	gc->mark_step = MARK_ACTIVE;
	return 0;
}

/* Traces the roots (once) and the queue until it is empty. */
static int trace_available(ugc_gc *gc)
{
	marker *m = gc->mk;
	if (!gc->bitmap_cleared) {
		memset(gc->bitmap, 0, ((gc->mark_top_words + 63) / 64) * sizeof(uint64_t));
		gc->bitmap_cleared = true;
	}
	if (!gc->roots_scanned) {
		/* Slots past mark_roots were issued after begin: they name marked or black objects. */
		int rc = marker_trace(m, (const uint32_t *)(uintptr_t)gc->heap->roots, gc->mark_roots);
		if (rc < 0)
			return rc;
		gc->roots_scanned = true;
	}
	for (;;) {
		uint64_t n = gc_satb_take(gc, &gc->satb.spare, &gc->satb.spare_cap);
		if (n == 0)
			return 0;
		int rc = marker_trace(m, gc->satb.spare, n);
		if (rc < 0)
			return rc;
	}
}

int64_t ugc_gc_mark_concurrent(ugc_gc *gc)
{
	if (gc->mark_step != MARK_ACTIVE)
		return -EINVAL;
	int rc = trace_available(gc);
	return rc < 0 ? rc : (int64_t)gc->mk->objects;
}

int64_t ugc_gc_remark(ugc_gc *gc)
{
	if (gc->mark_step != MARK_ACTIVE)
		return -EINVAL;
	ugc_heap *h = gc->heap;
	uint64_t top = h->top / UGC_WORD_BYTES;
	if (h->top % UGC_WORD_BYTES || h->top > gc->capacity || top < gc->mark_top_words)
		return -EINVAL;
	int rc = trace_available(gc);
	if (rc < 0)
		return rc;
	if (gc_satb_failed(gc))
		return -ENOMEM; /* a mutator's buffer could not be queued: objects may be unmarked */
	/* Mutators are stopped and their buffers were pushed: nothing more can arrive that matters. */
	gc_satb_set_open(gc, false);
	gc->remark_top_words = top;
	marker *m = gc->mk;
	marker_free(m);
	gc->st.live_objects = m->objects;
	gc->st.live_bytes = m->words * UGC_WORD_BYTES;
	gc->mark_step = MARK_DONE;
	return (int64_t)gc->st.live_bytes;
}

void ugc_gc_mark_cancel(ugc_gc *gc)
{
	gc_satb_set_open(gc, false);
	if (gc->mk)
		marker_free(gc->mk);
	gc->mark_step = MARK_IDLE;
	if (atomic_load(&gc->phase) == PHASE_IDLE)
		gc->planned = false;
}
