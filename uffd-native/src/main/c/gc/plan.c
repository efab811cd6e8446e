/*
 * gc/plan.c: from the live-words bitmap to a compaction plan: at the heap safepoint
 * of a stop-the-world cycle (ugc_gc_plan), or beside the mutators after a concurrent
 * mark's remark (ugc_gc_plan_concurrent; the flip pause then adds the objects
 * allocated since, plan_tail.c). Nothing here reads a reference slot, which mutators
 * may be writing: only the bitmap and the headers of objects, which never change.
 *
 * Live data slides down in address order with no gaps, so to-space is one packed
 * sequence of live objects. For each to-space page the plan records the live
 * object overlapping its first word (the page routine starts its walk there) and
 * the first and last old words whose data land in it. From those, every
 * from-space page gets a count of to-space pages still reading it: MOVE mode
 * recycles a from-space page as a destination once its count drops to zero.
 *
 * Before sliding, the plan picks the dense prefix (ART's black-dense region): the
 * longest run of whole pages from the bottom that are each at least dense_percent
 * live. Objects there keep their addresses, so those pages need no copy, only their
 * references forwarded and their dead gaps filled. The region ends at a page
 * boundary, or at the start of a live object crossing that boundary (objects never
 * straddle the end of the dense prefix: it would split their forwarding).
 */
#include <errno.h>
#include <string.h>
#include "pages.h"

/* Live words of page p (the heap's header words count as live on page 0). */
static uint64_t page_live(const ugc_gc *gc, uint64_t p)
{
	uint64_t n = p == 0 ? gc->first_words : 0;
	for (uint64_t i = 0; i < PAGE_WORDS / 64; i++)
		n += (uint64_t)__builtin_popcountll(gc->bitmap[p * (PAGE_WORDS / 64) + i]);
	return n;
}

/*
 * The walk below reads the header of every live object, in address order. In a
 * sparse heap each header is its own cache miss and the hardware prefetcher cannot
 * guess the next one (measured: ~300 ms for a 870 MiB heap at 25% live, the first
 * cycle's largest cost). But the bitmap says where the next runs of live words
 * start, and a run start is always an object start: prefetching those headers a
 * few runs ahead overlaps the misses. Only a hint: results do not depend on it.
 * In a dense heap runs are long, the hardware prefetcher streams through them and
 * the look-ahead only costs. Measured, first cycle of a 1 GiB heap filled to 870 MiB
 * (plan ms, without -> with prefetch, two runs each): 25% live 318-338 -> 136-158,
 * 50% live 261-287 -> 229-239, 75% live 132-157 -> 209-228. Hence the limit below.
 */
#define PLAN_PREFETCH_RUNS 8
#define PLAN_PREFETCH_MAX_LIVE_PERCENT 60

/* First dead word at or after w (end if none before end). */
static uint64_t next_dead(const ugc_gc *gc, uint64_t w, uint64_t end)
{
	if (w >= end)
		return end;
	uint64_t i = w >> 6, last = (end - 1) >> 6;
	uint64_t bits = ~gc->bitmap[i] & (~0ULL << (w & 63));
	while (bits == 0) {
		if (++i > last)
			return end;
		bits = ~gc->bitmap[i];
	}
	uint64_t found = (i << 6) + (uint64_t)__builtin_ctzll(bits);
	return found < end ? found : end;
}

/* Start of the first run of live words beginning at or after w: an object start. */
static uint64_t next_run(const ugc_gc *gc, uint64_t w, uint64_t end)
{
	if (w < end && gc_marked(gc, w - 1) && gc_marked(gc, w))
		w = next_dead(gc, w, end); /* inside a run: its end first */
	return gc_next_live(gc, w, end);
}

/* Whole old pages from the bottom each at least dense_percent live. */
static uint64_t dense_candidate_pages(const ugc_gc *gc)
{
	if (gc->dense_percent == 0)
		return 0;
	uint64_t need = ((uint64_t)gc->dense_percent * PAGE_WORDS + 99) / 100;
	uint64_t full = gc->old_top_words / PAGE_WORDS, d = 0;
	while (d < full && page_live(gc, d) >= need)
		d++;
	return d;
}

/*
 * Walks the live objects below page boundary d: records, for every page an object
 * enters from an earlier page, that object (the in-place builder cannot read its
 * header once the earlier page has moved away), and returns where the dense
 * prefix ends: d's boundary, or the start of the live object crossing it.
 */
static uint64_t dense_end(ugc_gc *gc, uint64_t d)
{
	const uint64_t *heap = (const uint64_t *)(uintptr_t)gc->base;
	uint64_t bound = d * PAGE_WORDS;
	memset(gc->dense_hdr, 0, (d + 1) * sizeof(uint64_t));
	for (uint64_t w = gc_next_live(gc, gc->first_words, bound); w < bound;) {
		uint64_t size = heap[w] & UGC_HDR_SIZE_MASK;
		if (w + size > bound)
			return w;
		for (uint64_t p = w / PAGE_WORDS + 1; p <= (w + size - 1) / PAGE_WORDS; p++) {
			gc->dense_start[p] = (uint32_t)w;
			gc->dense_hdr[p] = heap[w];
		}
		w = gc_next_live(gc, w + size, bound);
	}
	return bound > gc->first_words ? bound : gc->first_words;
}

/* chunk_offset[c]: the new word of chunk c's first live word, as gc_fwd expects. */
static void prefix_sums(ugc_gc *gc)
{
	uint64_t chunks = (gc->old_top_words + 63) / 64, fixed = gc->dense_words;
	uint64_t c = fixed / 64;
	/* The chunk holding the prefix's end: its live bits below the end do not count. */
	uint64_t sum = fixed - (uint64_t)__builtin_popcountll(gc->bitmap[c] & ((1ULL << (fixed & 63)) - 1));
	for (; c < chunks; c++) {
		gc->chunk_offset[c] = (uint32_t)sum;
		sum += (uint64_t)__builtin_popcountll(gc->bitmap[c]);
	}
	gc->new_top_words = c > fixed / 64 ? sum : fixed;
}

void gc_note_object(ugc_gc *gc, uint64_t w, uint64_t n, uint64_t size)
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

/* Every from-space page starts the window READ(n) or FREE (pages.h): n counted here, page by page. */
void gc_count_readers(ugc_gc *gc, uint64_t p0, uint64_t p1)
{
	for (uint64_t p = p0; p < p1; p++) {
		if (gc->from_lo[p] == NONE32)
			continue;
		uint64_t lo = gc->from_lo[p] / PAGE_WORDS, hi = gc->from_hi[p] / PAGE_WORDS;
		for (uint64_t f = lo; f <= hi; f++)
			gc->from_state[f]++;
		/* The first object's header may sit pages before its data (a large array). */
		if (gc->first_obj[p] != NONE32 && gc->first_obj[p] / PAGE_WORDS < lo)
			gc->from_state[gc->first_obj[p] / PAGE_WORDS]++;
	}
}

/*
 * The plan of [0, old_top_words), whose live objects all have their bits. Counts the
 * from-space readers of every to-page but the last when tail_follows (the flip's tail
 * may still add data to it).
 */
static void plan_marked(ugc_gc *gc, bool tail_follows)
{
	gc->dense_words = dense_end(gc, dense_candidate_pages(gc));
	gc->dense_pages = gc->dense_words / PAGE_WORDS;
	prefix_sums(gc);
	gc->old_pages = (gc->old_top_words + PAGE_WORDS - 1) / PAGE_WORDS;
	gc->end_pages = (gc->new_top_words + PAGE_WORDS - 1) / PAGE_WORDS;
	memset(gc->first_obj, 0xff, gc->end_pages * sizeof(uint32_t));
	memset(gc->from_lo, 0xff, gc->end_pages * sizeof(uint32_t));
	memset(gc->from_hi, 0, gc->end_pages * sizeof(uint32_t));
	memset((void *)gc->dense_built, 0, gc->dense_pages);
	to_reset(gc, 0, gc->end_pages); /* here, not in the flip pause: per-page work */

	/* Dense pages read their own from-space page (the mixed page then reads on). */
	for (uint64_t p = 0; p * PAGE_WORDS < gc->dense_words; p++) {
		uint64_t e = (p + 1) * PAGE_WORDS < gc->dense_words ? (p + 1) * PAGE_WORDS : gc->dense_words;
		gc->from_lo[p] = (uint32_t)(p * PAGE_WORDS);
		gc->from_hi[p] = (uint32_t)(e - 1);
	}
	const uint64_t *heap = (const uint64_t *)(uintptr_t)gc->base;
	uint64_t n = gc->dense_words, end = gc->old_top_words;
	uint64_t w = gc_next_live(gc, gc->dense_words, end), ahead = w;
	/* Prefetch only in a sparse heap (see PLAN_PREFETCH_RUNS); new_top_words is known from prefix_sums. */
	unsigned depth = gc->new_top_words * 100 < end * PLAN_PREFETCH_MAX_LIVE_PERCENT ? PLAN_PREFETCH_RUNS : 0;
	unsigned queued = 0;
	while (w < end) {
		/* Keep `depth` headers ahead in flight (see next_run). */
		while (queued < depth && ahead < end) {
			ahead = next_run(gc, ahead + 1, end);
			if (ahead < end)
				__builtin_prefetch(&heap[ahead]);
			queued++;
		}
		uint64_t size = heap[w] & UGC_HDR_SIZE_MASK;
		gc_note_object(gc, w, n, size);
		n += size;
		uint64_t next = gc_next_live(gc, w + size, end);
		if (next > ahead) {
			ahead = next;  /* the walk overtook the prefetches (long runs): start again from here */
			queued = 0;
		} else if (next > w + size && queued > 0) {
			queued--;      /* passed one run start that was prefetched */
		}
		w = next;
	}
	memset((void *)gc->from_state, 0, gc->old_pages * sizeof(*gc->from_state));
	gc->plan_counted_pages = tail_follows ? gc->end_pages - 1 : gc->end_pages;
	gc_count_readers(gc, 0, gc->plan_counted_pages);
	gc->st.new_top = gc->new_top_words * UGC_WORD_BYTES;
	gc->st.pages_total = gc->end_pages;
}

int64_t ugc_gc_plan(ugc_gc *gc)
{
	if (atomic_load(&gc->phase) != PHASE_IDLE || gc->mark_step != MARK_IDLE || gc->old_top_words == 0)
		return -EINVAL;
	gc_roots_forget_ahead(gc);   /* a stop-the-world plan computes none: the flip forwards every root */
	plan_marked(gc, false);
	gc->planned = true;
	return (int64_t)gc->st.new_top;
}

void gc_blacken(ugc_gc *gc, uint64_t from, uint64_t to, void (*note)(ugc_gc *, uint64_t, uint64_t, void *),
		void *ctx)
{
	if (from >= to)
		return;
	gc_clear_bits(gc->bitmap, from, to);
	const uint64_t *heap = (const uint64_t *)(uintptr_t)gc->base;
	uint64_t objects = 0, words = 0;
	for (uint64_t w = from; w < to;) {
		uint64_t hdr = heap[w], size = hdr & UGC_HDR_SIZE_MASK;
		/* Java keeps [start, top) parseable at every heap safepoint (TLABs retired into fillers). */
		UGC_DCHECK((hdr >> UGC_HDR_MAGIC_SHIFT) == UGC_HDR_MAGIC && size > 0 && size <= to - w,
			   "objects allocated during marking do not parse");
		if (size == 0 || size > to - w)
			break;
		if (((hdr >> UGC_HDR_LAYOUT_SHIFT) & UGC_HDR_LAYOUT_MASK) != UGC_LAYOUT_FILLER) {
			gc_set_bits(gc->bitmap, w, size);
			objects++;
			words += size;
			if (note)
				note(gc, w, size, ctx);
		}
		w += size;
	}
	gc->st.live_objects += objects;
	gc->st.live_bytes += words * UGC_WORD_BYTES;
	gc->st.black_objects += objects;
	gc->st.black_bytes += words * UGC_WORD_BYTES;
}

int64_t ugc_gc_plan_concurrent(ugc_gc *gc)
{
	if (atomic_load(&gc->phase) != PHASE_IDLE || gc->mark_step != MARK_DONE)
		return -EINVAL;
	uint64_t top = gc->remark_top_words;
	gc->old_top_words = top;
	/* The bitmap word holding the top may keep bits of an earlier cycle above it: the sums count whole words. */
	gc_clear_bits(gc->bitmap, top, (top + 63) & ~63ULL);
	gc_blacken(gc, gc->mark_top_words, top, NULL, NULL);
	plan_marked(gc, true);
	gc->tail_planned_words = top;
	gc_roots_forget_ahead(gc);   /* forwardings belong to the plan that computed them (roots.c) */
	gc->mark_step = MARK_PLANNED;
	return (int64_t)gc->st.new_top;
}
