/*
 * gc/finish.c: closing the compaction window, and giving it up.
 *
 * finish is the one owner of pages left behind: a compactor that stopped early (the
 * test knob) or an install that failed leaves its pages TO_UNPROCESSED; finish claims
 * and compacts them on the calling thread (inside its downcall: it never returns to
 * Java with a page claimed), then waits for pages fault servers still hold.
 */
#include <errno.h>
#include <time.h>
#include "pages.h"

static uint64_t now_ms(void)
{
	return gc_now_ns() / 1000000;
}

static void pause_briefly(void)
{
	struct timespec t = { 0, 20000 };
	nanosleep(&t, NULL);
}

int gc_release_from_space(ugc_gc *gc)
{
	if (gc->old_pages == 0)
		return 0;
	int rc = ugc_mem_map_fixed(gc->from, gc->old_pages * PAGE_BYTES, UGC_PROT_NONE);
	gc->old_pages = 0;
	return rc;
}

/* Claims and compacts every page still unprocessed, in runs, with this thread's own buffer. */
static void compact_leftovers(ugc_gc *gc, gc_worker *wk)
{
	int64_t unlimited = -1, total = 0;
	for (uint64_t p = 0; p < gc->end_pages; p++) {
		if (to_load(gc, p) != TO_UNPROCESSED)
			continue;
		uint64_t e = min_u64(p + gc->run_pages, gc->end_pages);
		gc_compact_range(gc, wk, p, e, gc->run_pages, &unlimited, &total);
		p = e - 1;
	}
}

/* Until every page is mapped or the deadline passes: 0, or -ETIMEDOUT. */
static int map_every_page(ugc_gc *gc, uint64_t deadline)
{
	if (atomic_load(&gc->mapped) == gc->end_pages)
		return 0;
	uint64_t run = gc->run_pages;
	int64_t buf = ugc_mem_reserve(run * PAGE_BYTES, PAGE_BYTES, UGC_PROT_READ | UGC_PROT_WRITE);
	if (buf < 0)
		return (int)buf;
	ugc_counters ctr = { 0 };
	gc_worker wk = { .buf = (uint64_t)buf, .buf_pages = run, .ctr = &ctr, .by_fault = false };
	int rc = 0;
	for (;;) {
		compact_leftovers(gc, &wk);
		if (atomic_load(&gc->mapped) == gc->end_pages)
			break;
		if (now_ms() >= deadline) {
			rc = -ETIMEDOUT;
			break;
		}
		pause_briefly(); /* a fault server still holds a page, or an install keeps failing */
	}
	gc_add_counters(gc, &ctr);
	ugc_mem_unmap((uint64_t)buf, run * PAGE_BYTES);
	return rc;
}

/* Waits until no resolver runs: one may still be writing a recycled page of from-space. */
static void drain_resolvers(ugc_gc *gc)
{
	while (atomic_load(&gc->inflight) > 0)
		pause_briefly();
}

int ugc_gc_finish(ugc_gc *gc, int64_t timeout_ms)
{
	if (atomic_load(&gc->phase) == PHASE_COMPACTING) {
		int rc = map_every_page(gc, now_ms() + (uint64_t)(timeout_ms < 0 ? 0 : timeout_ms));
		if (rc < 0)
			return rc;
		UGC_DCHECK(atomic_load(&gc->mapped) == gc->end_pages, "finish with pages unmapped");
		/* Unregistering wakes every thread still waiting on free heap: they retry
		 * and get ordinary anonymous pages from now on. A resolver serving free heap
		 * meanwhile sees its ioctl fail (ENOENT): closing tells it that is no error. */
		atomic_store(&gc->closing, 1);
		rc = ugc_uffd_unregister(gc->uffd, gc->base, gc->capacity);
		if (rc < 0) {
			STAT_ADD(gc, errors, 1);
			gc_note_error(gc, rc);
		}
		atomic_store(&gc->phase, PHASE_IDLE);
		drain_resolvers(gc);
		gc->planned = false;
	}
	return gc_release_from_space(gc);
}

int64_t ugc_gc_abort(ugc_gc *gc)
{
	int64_t lost = 0;
	if (atomic_load(&gc->phase) == PHASE_COMPACTING) {
		lost = (int64_t)(gc->end_pages - atomic_load(&gc->mapped));
		ugc_uffd_unregister(gc->uffd, gc->base, gc->capacity); /* fails if the heap is unmapped: fine */
		atomic_store(&gc->phase, PHASE_IDLE);
		drain_resolvers(gc);
	}
	gc->planned = false;
	gc_release_from_space(gc);
	return lost;
}
