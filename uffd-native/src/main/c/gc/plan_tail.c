/*
 * gc/plan_tail.c: the plan of what the mutators allocated after remark. ugc_gc_plan_concurrent
 * planned [0, remark top) while the mutators ran; what they allocated since (the tail) is live
 * by construction and slides down right after the data planned already, so the heap ends
 * packed. The tail is planned in two steps:
 *   ugc_gc_plan_tail_ahead  beside the mutators, after a short TAIL pause that retired every
 *                           TLAB (so [remark top, top then) parses): the bulk of the tail,
 *                           which the concurrent plan's own duration let grow (2-3 MB at 1 GiB);
 *   ugc_gc_plan_tail        in the flip pause: only what was allocated since, little.
 * Each step plans [planned so far, top) the same way (plan_range): the work is proportional
 * to that range, not to the heap: its objects' bits, the chunk sums and per-page entries of
 * its pages, the readers of the pages it fills. The last to-page may still grow, so a step
 * that is not the last leaves its readers uncounted, as the concurrent plan does.
 */
#include <errno.h>
#include <string.h>
#include "pages.h"

typedef struct tail_walk {
	uint64_t n;   /* new word of the next tail object */
} tail_walk;

static void note_tail_object(ugc_gc *gc, uint64_t w, uint64_t size, void *ctx)
{
	tail_walk *t = ctx;
	gc_note_object(gc, w, t->n, size);
	t->n += size;
}

/* Plans [tail_planned_words, t1): every object there live, slid after what is planned. */
static void plan_range(ugc_gc *gc, uint64_t t1, bool last)
{
	uint64_t t0 = gc->tail_planned_words;
	uint64_t n0 = gc->new_top_words, end_before = gc->end_pages;
	UGC_DCHECK(end_before > 0 && gc->plan_counted_pages == end_before - 1,
		   "the tail follows a plan that left its last page uncounted");

	/* Per-to-page entries of the pages the tail may fill (at most its whole size, if nothing in it is a filler). */
	uint64_t bound = (n0 + (t1 - t0) + PAGE_WORDS - 1) / PAGE_WORDS;
	if (bound > end_before) {
		memset(gc->first_obj + end_before, 0xff, (bound - end_before) * sizeof(uint32_t));
		memset(gc->from_lo + end_before, 0xff, (bound - end_before) * sizeof(uint32_t));
		memset(gc->from_hi + end_before, 0, (bound - end_before) * sizeof(uint32_t));
	}
	gc->old_top_words = t1;
	gc_clear_bits(gc->bitmap, t1, (t1 + 63) & ~63ULL);
	tail_walk walk = { .n = n0 };
	gc_blacken(gc, t0, t1, note_tail_object, &walk);

	/* Chunk sums from the chunk holding t0: its offset (if it began below t0) does not depend on bits above t0. */
	uint64_t c = t0 / 64, chunks = (t1 + 63) / 64;
	uint64_t sum = t0 % 64 ? gc->chunk_offset[c] : n0;
	for (; c < chunks; c++) {
		gc->chunk_offset[c] = (uint32_t)sum;
		sum += (uint64_t)__builtin_popcountll(gc->bitmap[c]);
	}
	if (chunks > t0 / 64)
		gc->new_top_words = sum;
	UGC_DCHECK(gc->new_top_words == walk.n, "the tail's chunk sums disagree with its objects");

	uint64_t from_before = (t0 + PAGE_WORDS - 1) / PAGE_WORDS;
	gc->old_pages = (t1 + PAGE_WORDS - 1) / PAGE_WORDS;
	if (gc->old_pages > from_before)
		memset((void *)(gc->from_state + from_before), 0, (gc->old_pages - from_before) * sizeof(*gc->from_state));
	gc->end_pages = (gc->new_top_words + PAGE_WORDS - 1) / PAGE_WORDS;
	to_reset(gc, end_before, gc->end_pages);
	uint64_t counted = last ? gc->end_pages : gc->end_pages - 1;
	gc_count_readers(gc, gc->plan_counted_pages, counted);
	gc->plan_counted_pages = counted;
	gc->tail_planned_words = t1;

	gc->st.old_top = t1 * UGC_WORD_BYTES;
	gc->st.new_top = gc->new_top_words * UGC_WORD_BYTES;
	gc->st.pages_total = gc->end_pages;
}

/* The heap's top as Java last published it (at a heap safepoint), in words; 0 if it is not valid here. */
static uint64_t tail_top(const ugc_gc *gc)
{
	uint64_t top = __atomic_load_n(&gc->heap->top, __ATOMIC_ACQUIRE);
	if (top % UGC_WORD_BYTES || top > gc->capacity || top / UGC_WORD_BYTES < gc->tail_planned_words)
		return 0;
	return top / UGC_WORD_BYTES;
}

int64_t ugc_gc_plan_tail_ahead(ugc_gc *gc)
{
	if (atomic_load(&gc->phase) != PHASE_IDLE || gc->mark_step != MARK_PLANNED)
		return -EINVAL;
	uint64_t t0 = gc->tail_planned_words, t1 = tail_top(gc);
	if (t1 == 0)
		return -EINVAL;
	plan_range(gc, t1, false);
	gc->st.tail_ahead_bytes = (t1 - t0) * UGC_WORD_BYTES;
	gc_roots_forward_ahead(gc);   /* after the tail: roots naming its objects are computed too */
	return (int64_t)gc->st.new_top;
}

int64_t ugc_gc_plan_tail(ugc_gc *gc)
{
	if (atomic_load(&gc->phase) != PHASE_IDLE || gc->mark_step != MARK_PLANNED)
		return -EINVAL;
	uint64_t started = gc_now_ns();
	ugc_thread_cpu cpu0;
	bool cpu_read = ugc_thread_cpu_read(&cpu0) == 0;
	uint64_t t0 = gc->tail_planned_words, t1 = tail_top(gc);
	if (t1 == 0)
		return -EINVAL;
	plan_range(gc, t1, true);
	gc->st.tail_bytes = (t1 - t0) * UGC_WORD_BYTES;
	gc->planned = true;
	gc->mark_step = MARK_IDLE;
	gc->st.tail_plan_ns = gc_now_ns() - started;
	if (cpu_read)
		gc_flip_cpu_add(gc, &cpu0);
	return (int64_t)gc->st.new_top;
}
