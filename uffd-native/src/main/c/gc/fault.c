/*
 * gc/fault.c: a mutator touched a heap page that is not mapped yet. The fault
 * service's thread (later the faulting thread itself, in a SIGBUS handler) compacts
 * that page first, or waits for whoever claimed it, or serves free heap.
 * Async-signal-safe: atomics, memcpy, memset, ioctl, sched_yield.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include "pages.h"

#define FAULT_SCAN 256 /* from-pages a fault scans for a recycled destination: a fault must stay short */

/* Free heap beyond the compacted end: a zero page (MOVE: a zeroed recycled page, moved). */
static int serve_free(ugc_gc *gc, gc_worker *wk, uint64_t p)
{
	uint64_t dst = gc->base + p * PAGE_BYTES, f;
	if (gc->mode == UGC_MODE_MOVE && gc_take_recycled(gc, 1, FAULT_SCAN, &f) == 1) {
		uint64_t src = gc->from + f * PAGE_BYTES;
		memset((void *)(uintptr_t)src, 0, PAGE_BYTES);
		gc_installed r = gc_install(gc, wk, dst, src, 1, true);
		from_release_taken(gc, f, r.moved != 0);
		if (r.ok) {
			STAT_ADD(gc, pages_zeroed, 1);
			return 0;
		}
	}
	int rc = ugc_uffd_zeropage(gc->uffd, dst, PAGE_BYTES, 0, NULL, wk->ctr);
	if (rc == 0) {
		STAT_ADD(gc, pages_zeroed, 1);
		return 0;
	}
	if (rc == -EEXIST) {
		STAT_ADD(gc, eexist_races, 1);
		ugc_uffd_wake(gc->uffd, dst, PAGE_BYTES);
		return 0;
	}
	/* Unregistered meanwhile (closing): no engine error; the service wakes the thread on rc < 0. */
	return rc;
}

/* Compacts to-page p now, or marks it wanted and waits until whoever claimed it has mapped it. */
static int serve_page(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t page_addr)
{
	bool waited = false;
	for (;;) {
		uint8_t s = to_load(gc, p);
		if (s == TO_MAPPED)
			break;
		if (s == TO_UNPROCESSED && gc_claim_run(gc, p, 1) == 1) {
			if (gc_compact_run(gc, wk, p, 1, FAULT_SCAN) == 1)
				return 0;
			if (!wk->no_destination)
				return (int)__atomic_load_n(&gc->st.last_error, __ATOMIC_RELAXED) ?: -EIO;
			/* Nowhere to build it yet (compact.c, no_destination): wait as for a claimed page. */
			wk->no_destination = false;
		}
		if (!waited) {
			STAT_ADD(gc, fault_waits, 1);
			waited = true;
		}
		/* Tell the claimer: it installs this page before the rest of its run (compact.c). */
		if (s == TO_PROCESSING)
			to_want(gc, p);
		sched_yield();
	}
	/* The winner's ioctl woke the waiters; wake again in case we read the message late. */
	ugc_uffd_wake(gc->uffd, page_addr, PAGE_BYTES);
	return 0;
}

static int resolve(ugc_gc *gc, int uffd, uint64_t addr, ugc_worker *w)
{
	uint64_t page_addr = addr & ~(uint64_t)(PAGE_BYTES - 1);
	if (atomic_load(&gc->phase) != PHASE_COMPACTING) {
		/* A message left over from a finished window: the range is unregistered. */
		ugc_uffd_wake(uffd, page_addr, PAGE_BYTES);
		return 0;
	}
	if (addr < gc->base || addr >= gc->base + gc->capacity)
		return -EFAULT;
	uint64_t p = (page_addr - gc->base) / PAGE_BYTES;
	bool aligned = w && w->scratch % PAGE_BYTES == 0 && w->scratch_len >= PAGE_BYTES;
	gc_worker wk = { .buf = aligned ? w->scratch : 0, .buf_pages = aligned ? 1 : 0,
			 .ctr = w ? &w->ctr : NULL, .by_fault = true };
	if (p >= gc->end_pages)
		return serve_free(gc, &wk, p);
	return serve_page(gc, &wk, p, page_addr);
}

int ugc_gc_resolve(void *ctx, int uffd, uint64_t fault_addr, uint64_t fault_flags, ugc_worker *worker)
{
	(void)fault_flags;
	ugc_gc *gc = ctx;
	/* finish and abort wait for inflight to drain before from-space goes away. */
	atomic_fetch_add(&gc->inflight, 1);
	int rc = resolve(gc, uffd, fault_addr, worker);
	atomic_fetch_sub(&gc->inflight, 1);
	return rc;
}
