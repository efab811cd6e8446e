/*
 * gc/plan_tail.c: the flip pause's share of a concurrent plan. ugc_gc_plan_concurrent
 * planned [0, remark top) while the mutators ran; what they allocated since (the
 * tail, [remark top, top now)) is live by construction and slides down by one
 * constant, right after the data planned already, so the heap ends packed. The
 * work here is proportional to the tail, not to the heap: its objects' bits, the
 * chunk sums and per-page entries of its pages, the readers of the pages it fills.
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

int64_t ugc_gc_plan_tail(ugc_gc *gc)
{
	if (atomic_load(&gc->phase) != PHASE_IDLE || gc->mark_step != MARK_PLANNED)
		return -EINVAL;
	ugc_heap *h = gc->heap;
	uint64_t t0 = gc->remark_top_words, t1 = h->top / UGC_WORD_BYTES;
	if (h->top % UGC_WORD_BYTES || h->top > gc->capacity || t1 < t0)
		return -EINVAL;
	uint64_t started = gc_now_ns();
	ugc_thread_cpu cpu0;
	bool cpu_read = ugc_thread_cpu_read(&cpu0) == 0;
	uint64_t n0 = gc->new_top_words, end_before = gc->end_pages;
	UGC_DCHECK(end_before > 0 && gc->plan_counted_pages == end_before - 1,
		   "the tail follows a concurrent plan that left its last page uncounted");

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
	gc_count_readers(gc, gc->plan_counted_pages, gc->end_pages);
	gc->plan_counted_pages = gc->end_pages;

	gc->st.old_top = h->top;
	gc->st.tail_bytes = (t1 - t0) * UGC_WORD_BYTES;
	gc->st.new_top = gc->new_top_words * UGC_WORD_BYTES;
	gc->st.pages_total = gc->end_pages;
	gc->planned = true;
	gc->mark_step = MARK_IDLE;
	gc->st.tail_plan_ns = gc_now_ns() - started;
	if (cpu_read)
		gc_flip_cpu_add(gc, &cpu0);
	return (int64_t)gc->st.new_top;
}
