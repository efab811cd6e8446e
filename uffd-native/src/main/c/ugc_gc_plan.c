/*
 * ugc_gc_plan.c: from the live-words bitmap to a compaction plan, at a heap safepoint.
 *
 * Live data slides down in address order with no gaps, so to-space is one packed
 * sequence of live objects. For each to-space page the plan records the live
 * object overlapping its first word (the page routine starts its walk there) and
 * the first and last old words whose data land in it. From those, every
 * from-space page gets a count of to-space pages still reading it: MOVE mode
 * recycles a from-space page as a destination once its count drops to zero.
 */
#include <errno.h>
#include <string.h>
#include "ugc_gc_internal.h"

static void prefix_sums(ugc_gc *gc)
{
	uint64_t chunks = (gc->old_top_words + 63) / 64;
	uint32_t sum = 0;
	for (uint64_t c = 0; c < chunks; c++) {
		gc->chunk_offset[c] = sum;
		sum += (uint32_t)__builtin_popcountll(gc->bitmap[c]);
	}
	gc->new_top_words = gc->first_words + sum;
}

/* Records, for each to-page the object [n, n+size) (old start w) overlaps, what it copies. */
static void note_object(ugc_gc *gc, uint64_t w, uint64_t n, uint64_t size)
{
	for (uint64_t p = n / PAGE_WORDS; p <= (n + size - 1) / PAGE_WORDS; p++) {
		uint64_t lo = n > p * PAGE_WORDS ? n : p * PAGE_WORDS;
		uint64_t hi = n + size < (p + 1) * PAGE_WORDS ? n + size : (p + 1) * PAGE_WORDS;
		if (gc->first_obj[p] == NONE32)
			gc->first_obj[p] = (uint32_t)w;
		if (gc->from_lo[p] == NONE32)
			gc->from_lo[p] = (uint32_t)(w + lo - n);
		gc->from_hi[p] = (uint32_t)(w + hi - n - 1);
	}
}

static void count_readers(ugc_gc *gc)
{
	memset((void *)gc->readers, 0, gc->old_pages * sizeof(*gc->readers));
	for (uint64_t p = 0; p < gc->end_pages; p++) {
		if (gc->from_lo[p] == NONE32)
			continue;
		uint64_t lo = gc->from_lo[p] / PAGE_WORDS, hi = gc->from_hi[p] / PAGE_WORDS;
		for (uint64_t f = lo; f <= hi; f++)
			gc->readers[f]++;
		/* The first object's header may sit pages before its data (a large array). */
		if (gc->first_obj[p] != NONE32 && gc->first_obj[p] / PAGE_WORDS < lo)
			gc->readers[gc->first_obj[p] / PAGE_WORDS]++;
	}
}

int64_t ugc_gc_plan(ugc_gc *gc)
{
	if (atomic_load(&gc->phase) != PHASE_IDLE || gc->old_top_words == 0)
		return -EINVAL;
	prefix_sums(gc);
	gc->old_pages = (gc->old_top_words + PAGE_WORDS - 1) / PAGE_WORDS;
	gc->end_pages = (gc->new_top_words + PAGE_WORDS - 1) / PAGE_WORDS;
	memset(gc->first_obj, 0xff, gc->end_pages * sizeof(uint32_t));
	memset(gc->from_lo, 0xff, gc->end_pages * sizeof(uint32_t));
	memset(gc->from_hi, 0, gc->end_pages * sizeof(uint32_t));

	/* Page 0 starts with the prefix, copied from from-space page 0. */
	gc->from_lo[0] = 0;
	gc->from_hi[0] = (uint32_t)(gc->first_words - 1);
	const uint64_t *heap = (const uint64_t *)(uintptr_t)gc->base;
	uint64_t n = gc->first_words;
	for (uint64_t w = gc_next_live(gc, gc->first_words, gc->old_top_words); w < gc->old_top_words;) {
		uint64_t size = heap[w] & UGC_HDR_SIZE_MASK;
		if (gc->first_obj[0] == NONE32)
			gc->first_obj[0] = (uint32_t)w; /* page 0's walk starts after the prefix */
		note_object(gc, w, n, size);
		n += size;
		w = gc_next_live(gc, w + size, gc->old_top_words);
	}
	count_readers(gc);
	gc->st.new_top = gc->new_top_words * UGC_WORD_BYTES;
	gc->st.pages_total = gc->end_pages;
	return (int64_t)gc->st.new_top;
}
