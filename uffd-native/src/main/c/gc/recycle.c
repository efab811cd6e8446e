/*
 * gc/recycle.c: MOVE's destinations. A from-space page whose data every reader has
 * consumed (FROM_FREE) is memory already allocated to the process: MOVE builds a
 * to-space page in it and moves it into the heap, so the kernel allocates nothing
 * and from-space shrinks as the heap fills. Compactors go in address order, so the
 * free pages appear just behind them; recycle_lo skips the gone ones below.
 */
#include "pages.h"

/* Lets go of taken pages [f, f+n): TAKEN -> FREE. */
static void untake(ugc_gc *gc, uint64_t f, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		from_untake(gc, f + i);
}

/* Moves recycle_lo past the FROM_GONE pages at the bottom; returns it. */
static uint64_t advance_recycle_lo(ugc_gc *gc)
{
	uint64_t lo0 = atomic_load(&gc->recycle_lo), lo = lo0;
	while (lo < gc->old_pages && from_is_gone(gc, lo))
		lo++;
	while (lo0 < lo && !atomic_compare_exchange_weak(&gc->recycle_lo, &lo0, lo))
		;
	return lo;
}

/*
 * Takes up to `want` contiguous FROM_FREE pages, scanning at most `scan` pages from
 * the lowest one not yet gone. Returns how many (0 if none), the first at *first;
 * they are FROM_TAKEN until the caller moves them or lets them go.
 */
uint64_t gc_take_recycled(ugc_gc *gc, uint64_t want, uint64_t scan, uint64_t *first)
{
	uint64_t lo = advance_recycle_lo(gc);
	uint64_t end = min_u64(lo + scan, gc->old_pages);
	uint64_t best = 0, best_at = 0;
	for (uint64_t i = lo; i < end && best < want;) {
		if (!from_is_free(gc, i)) {
			i++;
			continue;
		}
		uint64_t j = i;
		while (j < gc->old_pages && j - i < want && from_take(gc, j))
			j++;
		/* Keep the longest stretch found so far, give back the other. */
		if (j - i > best) {
			untake(gc, best_at, best);
			best = j - i;
			best_at = i;
		} else {
			untake(gc, i, j - i);
		}
		i = j + 1;
	}
	*first = best_at;
	return best;
}
