/*
 * gc/compact.c: concurrent compaction. Compactor threads (one downcall each for the
 * whole window) claim runs of contiguous to-space pages, build them (build.c) and
 * install each run with one ioctl (install.c); a mutator's fault claims single pages
 * (fault.c); finish takes whatever is left (finish.c).
 *
 * The claim protocol (to_state, pages.h):
 *  1. Every to-space page below the compacted end is claimed by exactly one thread
 *     (a CAS UNPROCESSED -> PROCESSING), which builds and installs it.
 *  2. The claimer ends its claim: MAPPED once installed, UNPROCESSED if the install
 *     failed (then finish claims it again). A page is never built twice while MAPPED.
 *  3. A thread that finds a page PROCESSING never builds it: a fault waits for MAPPED.
 *  4. When a to-page is mapped, each from-space page it read loses a reader
 *     (from_read_done); at zero that page is free for MOVE to recycle (recycle.c).
 * Async-signal-safe throughout: atomics, memcpy, ioctl, sched_yield.
 */
#include <errno.h>
#include <time.h>
#include "pages.h"

#define COMPACTOR_SCAN 4096 /* from-pages a compactor scans for recycled destinations */

/* Page p is installed: its claim ends and the from-space pages it read lose a reader. */
static void page_done(ugc_gc *gc, uint64_t p)
{
	to_mapped(gc, p);
	/* A dense page's own from-space page got its final state from its installer (dense.c). */
	if (p >= gc->dense_pages && gc->from_lo[p] != NONE32) {
		uint64_t lo = gc->from_lo[p] / PAGE_WORDS, hi = gc->from_hi[p] / PAGE_WORDS;
		for (uint64_t f = lo; f <= hi; f++)
			from_read_done(gc, f);
		/* The first object's header may sit pages before its data (plan.c counts it too). */
		if (gc->first_obj[p] != NONE32 && gc->first_obj[p] / PAGE_WORDS < lo)
			from_read_done(gc, gc->first_obj[p] / PAGE_WORDS);
	}
	atomic_fetch_add(&gc->mapped, 1);
}

uint64_t gc_end_claims(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t n, uint64_t ok)
{
	UGC_DCHECK(n <= 64, "a run is tracked in a 64-bit mask");
	uint64_t count = 0;
	for (uint64_t i = 0; i < n; i++) {
		if (ok & gc_bits(i, 1)) {
			page_done(gc, p + i);
			count++;
		} else {
			to_unclaim(gc, p + i);
		}
	}
	if (wk->by_fault)
		STAT_ADD(gc, pages_by_faults, count);
	else
		STAT_ADD(gc, pages_by_compactors, count);
	return count;
}

static void unclaim_all(ugc_gc *gc, uint64_t p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		to_unclaim(gc, p + i);
}

#define NO_FROM UINT64_MAX /* src is not taken from from-space (scratch, fresh pages, a borrowed page) */

static uint64_t *slot(uint64_t src, uint64_t i)
{
	return (uint64_t *)(uintptr_t)(src + i * PAGE_BYTES);
}

/* Installs the built to-pages [p, p+n) from src with one ioctl and ends their claims. */
static uint64_t install_built(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t n, uint64_t src, bool move,
			      uint64_t f)
{
	if (!wk->by_fault) {
		if (move)
			STAT_ADD(gc, move_runs, 1);
		else
			STAT_ADD(gc, copy_runs, 1);
	}
	gc_installed r = gc_install(gc, wk, gc->base + p * PAGE_BYTES, src, n, move);
	if (f != NO_FROM) {
		for (uint64_t i = 0; i < n; i++)
			from_release_taken(gc, f + i, r.moved & gc_bits(i, 1));
	}
	return gc_end_claims(gc, wk, p, n, r.ok);
}

/* The build-delay test knob (ugc_testing.h): compactors only, never a fault. */
static void slow_down(ugc_gc *gc, const gc_worker *wk)
{
	uint64_t ns = atomic_load_explicit(&gc->build_delay_ns, memory_order_relaxed);
	if (ns != 0 && !wk->by_fault && atomic_fetch_sub(&gc->build_delay_pages, 1) > 0) {
		struct timespec t = { .tv_sec = (time_t)(ns / 1000000000u), .tv_nsec = (long)(ns % 1000000000u) };
		nanosleep(&t, NULL);
	}
}

/* Index of the first TO_WANTED page of the claimed run [p, p+n), or n. */
static uint64_t first_wanted(const ugc_gc *gc, uint64_t p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (to_is_wanted(gc, p + i))
			return i;
	return n;
}

/*
 * Builds the claimed to-pages [p, p+n) into the pages at src (page p+i into slot i) and
 * installs them: with one ioctl while nobody waits (MOVE's batching kept). A fault that
 * marks one of them TO_WANTED moves gc->wanted, which is read after every page built:
 * then the pages built so far are installed at once, the wanted page (if not among them)
 * is built and installed next, alone, and the rest follow as runs of their own, which can
 * be cut again. So a fault waits for about one page's build and one ioctl, not for a run.
 *
 * The piece [p, p+n) may be the head of a longer claimed run [p, p+claim_n) (MOVE builds
 * a run in pieces of contiguous recycled pages): a wanted page past the piece stops it
 * after installing what is built, and *left says how many of its pages were not built
 * (the caller lets their from-space pages go and serves the wanted page next).
 * f: the first of n from-space pages taken as src (MOVE into recycled pages), or NO_FROM.
 */
static uint64_t build_and_install(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t n, uint64_t claim_n, uint64_t src,
				  bool move, uint64_t f, uint64_t *left)
{
	*left = 0;
	if (n == 0)
		return 0; /* the empty side of a cut */
	/* One behind: the first page built is always checked, since a piece may start at a wanted page. */
	uint64_t seen = atomic_load_explicit(&gc->wanted, memory_order_acquire) - 1;
	for (uint64_t built = 0; built < n;) {
		slow_down(gc, wk);
		gc_build_page(gc, p + built, slot(src, built));
		built++;
		/* Acquire: pairs with to_want's fetch_add after its CAS, so the scan below sees TO_WANTED. */
		uint64_t now = atomic_load_explicit(&gc->wanted, memory_order_acquire);
		/* A whole piece built: the install below serves a want inside it, run_move one after it. */
		if (built == n || now == seen)
			continue;
		seen = now;
		uint64_t q = first_wanted(gc, p, claim_n);
		if (q == claim_n)
			continue; /* somebody else's run */
		STAT_ADD(gc, runs_cut, 1);
		uint64_t count = install_built(gc, wk, p, built, src, move, f), ignored;
		uint64_t rest_f = f == NO_FROM ? NO_FROM : f + built;
		if (q >= n) {
			*left = n - built; /* the wanted page is in the caller's next piece */
			return count;
		}
		if (q < built)
			return count + build_and_install(gc, wk, p + built, n - built, n - built, src + built * PAGE_BYTES,
							 move, rest_f, &ignored);
		gc_build_page(gc, p + q, slot(src, q));
		count += install_built(gc, wk, p + q, 1, src + q * PAGE_BYTES, move, f == NO_FROM ? NO_FROM : f + q);
		count += build_and_install(gc, wk, p + built, q - built, q - built, src + built * PAGE_BYTES, move, rest_f,
					   &ignored);
		return count + build_and_install(gc, wk, p + q + 1, n - q - 1, n - q - 1, src + (q + 1) * PAGE_BYTES, move,
						 f == NO_FROM ? NO_FROM : f + q + 1, &ignored);
	}
	return install_built(gc, wk, p, n, src, move, f);
}

/* COPY: build into buf (scratch or a borrowed from-space page), install with UFFDIO_COPY. */
static uint64_t run_copy(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t n, uint64_t buf)
{
	uint64_t left;
	return build_and_install(gc, wk, p, n, n, buf, false, NO_FROM, &left);
}

/*
 * MOVE: build into recycled from-space pages (or the worker's fresh ones) and move each
 * piece with one ioctl. A page of the run that a fault waits for goes first, alone.
 */
static uint64_t run_move(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t n, uint64_t scan)
{
	uint64_t count = 0;
	while (n > 0) {
		uint64_t q = first_wanted(gc, p, n);
		if (q != 0 && q < n) {
			count += run_move(gc, wk, p + q, 1, scan);
			count += run_move(gc, wk, p, q, scan);
			p += q + 1;
			n -= q + 1;
			continue;
		}
		uint64_t f = 0, k = gc_take_recycled(gc, n, scan, &f);
		uint64_t src = gc->from + f * PAGE_BYTES;
		bool fresh = k == 0;
		if (fresh) {
			if (wk->buf_pages == 0) {
				/* No consumed from-space page is free and we have none of our own. */
				STAT_ADD(gc, errors, 1);
				gc_note_error(gc, -ENOMEM);
				unclaim_all(gc, p, n);
				return count;
			}
			k = min_u64(n, wk->buf_pages);
			src = wk->buf;
		}
		uint64_t left;
		count += build_and_install(gc, wk, p, k, n, src, true, fresh ? NO_FROM : f, &left);
		if (fresh) {
			STAT_ADD(gc, pages_fresh, k - left);
		} else {
			STAT_ADD(gc, pages_recycled, k - left);
			for (uint64_t i = k - left; i < k; i++)
				from_untake(gc, f + i); /* taken for pages that a wanted page overtook */
		}
		p += k - left;
		n -= k - left;
	}
	return count;
}

/* COPY by a worker without scratch (a fault server): borrow a consumed from-space page per page. */
static uint64_t run_copy_borrowed(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t n, uint64_t scan)
{
	uint64_t count = 0;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t f;
		if (gc_take_recycled(gc, 1, scan, &f) == 0) {
			STAT_ADD(gc, errors, 1);
			gc_note_error(gc, -ENOMEM);
			to_unclaim(gc, p + i);
			continue;
		}
		count += run_copy(gc, wk, p + i, 1, gc->from + f * PAGE_BYTES);
		from_untake(gc, f);
	}
	return count;
}

uint64_t gc_compact_run(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t n, uint64_t scan)
{
	UGC_DCHECK(p + n <= gc->end_pages, "a run beyond the compacted end");
	if (p < gc->dense_pages) {
		uint64_t k = min_u64(gc->dense_pages - p, n);
		uint64_t count = gc_compact_dense(gc, wk, p, k);
		return k == n ? count : count + gc_compact_run(gc, wk, p + k, n - k, scan);
	}
	UGC_DCHECK(n <= UGC_GC_MAX_RUN_PAGES, "a run past the dense prefix is at most UGC_GC_MAX_RUN_PAGES");
	if (gc->mode == UGC_MODE_MOVE)
		return run_move(gc, wk, p, n, scan);
	if (wk->buf_pages >= n)
		return run_copy(gc, wk, p, n, wk->buf);
	return run_copy_borrowed(gc, wk, p, n, scan);
}

uint64_t gc_claim_run(ugc_gc *gc, uint64_t p, uint64_t max)
{
	uint64_t k = 0;
	while (k < max && p + k < gc->end_pages && to_claim(gc, p + k))
		k++;
	return k;
}

void gc_add_counters(ugc_gc *gc, const ugc_counters *c)
{
	const uint64_t *src = (const uint64_t *)c;
	uint64_t *dst = (uint64_t *)&gc->st.ctr;
	for (size_t i = 0; i < sizeof(*c) / sizeof(uint64_t); i++)
		__atomic_fetch_add(&dst[i], src[i], __ATOMIC_RELAXED);
}

bool gc_compact_range(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t e, uint64_t run, int64_t *budget,
		      int64_t *total)
{
	while (p < e) {
		uint64_t max = min_u64(e - p, run);
		if (*budget >= 0 && (int64_t)max > *budget)
			max = (uint64_t)*budget;
		if (max == 0)
			return false;
		uint64_t k = gc_claim_run(gc, p, max);
		if (k == 0) {
			p++;
			continue;
		}
		if (*budget >= 0)
			*budget -= (int64_t)k;
		*total += (int64_t)gc_compact_run(gc, wk, p, k, COMPACTOR_SCAN);
		p += k;
	}
	return true;
}

/*
 * Pages the next compactor step takes from s: a whole 2 MiB block of the dense
 * prefix in MOVE mode (one ioctl moves it), else a run, cut at the next 2 MiB
 * boundary inside the prefix so later blocks stay aligned.
 */
static uint64_t next_step(const ugc_gc *gc, uint64_t s, uint64_t run)
{
	if (s >= gc->dense_pages || gc->mode != UGC_MODE_MOVE)
		return run;
	if (s % HUGE_PAGES == 0 && s + HUGE_PAGES <= gc->dense_pages)
		return HUGE_PAGES;
	return min_u64(run, HUGE_PAGES - s % HUGE_PAGES);
}

int64_t ugc_gc_compact(ugc_gc *gc, uint32_t worker_index)
{
	(void)worker_index;
	if (atomic_load(&gc->phase) != PHASE_COMPACTING)
		return 0;
	uint64_t run = gc->run_pages;
	int64_t buf = ugc_mem_reserve(run * PAGE_BYTES, PAGE_BYTES, UGC_PROT_READ | UGC_PROT_WRITE);
	if (buf < 0)
		return buf;
	ugc_counters ctr = { 0 };
	gc_worker wk = { .buf = (uint64_t)buf, .buf_pages = run, .ctr = &ctr, .by_fault = false };
	int64_t budget = atomic_exchange(&gc->abandon_after, -1);
	int64_t total = 0;
	/* Runs in address order from the shared cursor, so consumed from-space pages
	 * (MOVE's destinations) appear just behind the compactors. */
	for (;;) {
		uint64_t s = atomic_load(&gc->cursor), step;
		do {
			step = next_step(gc, s, run);
		} while (!atomic_compare_exchange_weak(&gc->cursor, &s, s + step));
		if (s >= gc->end_pages)
			break;
		if (!gc_compact_range(gc, &wk, s, min_u64(s + step, gc->end_pages), step, &budget, &total)) {
			STAT_ADD(gc, abandoned, 1);
			break;
		}
	}
	gc_add_counters(gc, &ctr);
	ugc_mem_unmap((uint64_t)buf, run * PAGE_BYTES);
	return total;
}

int64_t ugc_gc_pages_unclaimed(ugc_gc *gc)
{
	if (atomic_load(&gc->phase) != PHASE_COMPACTING)
		return 0;
	int64_t n = 0;
	for (uint64_t p = 0; p < gc->end_pages; p++)
		n += to_load(gc, p) == TO_UNPROCESSED;
	return n;
}
