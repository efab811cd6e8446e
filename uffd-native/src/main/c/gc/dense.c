/*
 * gc/dense.c: the dense prefix (ART's black-dense region). Pages below dense_pages
 * are each at least dense_percent live; their objects keep their addresses, so such
 * a page is updated in place in its own from-space page (references forwarded, dead
 * gaps turned into fillers) and then installed from there: MOVE moves it back with
 * no copy (a 2 MiB-aligned block of 512 with one ioctl, so a THP moves as one PMD),
 * COPY copies it. A page whose MOVE fails with EBUSY is copied instead.
 */
#include "pages.h"

/*
 * Installs built dense pages [p, p+n). A from-space page moved away is gone; one
 * copied from is consumed (free); one not installed stays built for the retry (it
 * must never be updated twice: its references would be forwarded twice).
 */
static uint64_t install_dense(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t n)
{
	bool move = gc->mode == UGC_MODE_MOVE;
	uint64_t count = 0, i = 0;
	if (move && n == HUGE_PAGES && p % HUGE_PAGES == 0) {
		int64_t done = 0;
		ugc_uffd_move(gc->uffd, gc->base + p * PAGE_BYTES, gc->from + p * PAGE_BYTES,
			      (uint64_t)HUGE_PAGES * PAGE_BYTES, 0, &done, wk->ctr);
		i = (uint64_t)done / PAGE_BYTES;
		if (i == HUGE_PAGES)
			STAT_ADD(gc, huge_moves, 1);
		STAT_ADD(gc, pages_moved, i);
		STAT_ADD(gc, pages_in_place, i);
		for (uint64_t j = 0; j < i; j++)
			from_dense_moved(gc, p + j);
		for (uint64_t j = 0; j < i; j += 64)
			count += gc_end_claims(gc, wk, p + j, min_u64(i - j, 64), ~0ULL);
	}
	/* What the one big move did not take (or all of it, below a block): runs of up to 64. */
	while (i < n) {
		uint64_t k = min_u64(n - i, 64);
		gc_installed r = gc_install(gc, wk, gc->base + (p + i) * PAGE_BYTES, gc->from + (p + i) * PAGE_BYTES,
					    k, move);
		for (uint64_t j = 0; j < k; j++) {
			if (r.moved & gc_bits(j, 1))
				from_dense_moved(gc, p + i + j);
			else if (r.ok & gc_bits(j, 1))
				from_dense_copied(gc, p + i + j);
		}
		STAT_ADD(gc, pages_in_place, (uint64_t)__builtin_popcountll(r.ok));
		count += gc_end_claims(gc, wk, p + i, k, r.ok);
		i += k;
	}
	return count;
}

uint64_t gc_compact_dense(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t n)
{
	UGC_DCHECK(p + n <= gc->dense_pages, "a dense run beyond the dense prefix");
	for (uint64_t i = 0; i < n; i++) {
		if (atomic_load(&gc->dense_built[p + i]))
			continue; /* a failed install left it built: updating it twice would forward twice */
		uint64_t *page = (uint64_t *)(uintptr_t)(gc->from + (p + i) * PAGE_BYTES);
		gc_build_dense(gc, p + i, (p + i + 1) * PAGE_WORDS, page, page);
		atomic_store(&gc->dense_built[p + i], 1);
	}
	if (!wk->by_fault) {
		if (gc->mode == UGC_MODE_MOVE)
			STAT_ADD(gc, move_runs, 1);
		else
			STAT_ADD(gc, copy_runs, 1);
	}
	return install_dense(gc, wk, p, n);
}
