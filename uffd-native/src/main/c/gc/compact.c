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

/*
 * A worker with no pages of its own found no recycled page to build into: early in a
 * window, a fault whose service slot has no scratch page (more SIGBUS handlers at once than
 * slots). A fault then waits for the page to be built by someone else or for a page to be
 * recycled (fault.c); for anyone else it is an engine error.
 */
static void no_destination(ugc_gc *gc, gc_worker *wk)
{
	if (wk->by_fault) {
		wk->no_destination = true;
		return;
	}
	STAT_ADD(gc, errors, 1);
	gc_note_error(gc, -ENOMEM);
}

/* The pages of mask among (bits relative to to-page p) that a fault marked TO_WANTED. */
static uint64_t wanted_among(const ugc_gc *gc, uint64_t p, uint64_t among)
{
	uint64_t w = 0;
	for (uint64_t m = among; m != 0; m &= m - 1) {
		uint64_t i = (uint64_t)__builtin_ctzll(m);
		if (to_is_wanted(gc, p + i))
			w |= 1ULL << i;
	}
	return w;
}

/* The length of the stretch of set bits of mask that starts at bit i. */
static uint64_t stretch_at(uint64_t mask, uint64_t i)
{
	uint64_t above = ~(mask >> i);
	return above == 0 ? 64 - i : (uint64_t)__builtin_ctzll(above);
}

/*
 * A piece of a claimed run: the run starts at to-page p (its pages are bits relative to
 * p); the piece is its pages [i0, i0+n), page i0+j built into the page at src + j pages.
 */
typedef struct gc_piece {
	uint64_t p, i0, n;
	uint64_t src;
	uint64_t f;  /* the from-space page taken as src's first page (MOVE into recycled pages), or NO_FROM */
	bool move;
} gc_piece;

static void build_one(ugc_gc *gc, const gc_piece *pc, uint64_t i)
{
	gc_build_page(gc, pc->p + i, slot(pc->src, i - pc->i0));
}

/* Installs the built pages of mask (piece pages), each contiguous stretch with one ioctl. */
static uint64_t install_mask(ugc_gc *gc, gc_worker *wk, const gc_piece *pc, uint64_t mask)
{
	uint64_t count = 0;
	while (mask != 0) {
		uint64_t i = (uint64_t)__builtin_ctzll(mask), k = stretch_at(mask, i), j = i - pc->i0;
		count += install_built(gc, wk, pc->p + i, k, pc->src + j * PAGE_BYTES, pc->move,
				       pc->f == NO_FROM ? NO_FROM : pc->f + j);
		mask &= ~gc_bits(i, k);
	}
	return count;
}

/*
 * Builds the pages of the piece and installs them: with one ioctl while nobody waits
 * (MOVE's batching kept). A fault that marks a page of the claimed run TO_WANTED moves
 * gc->wanted, which is read after every page built; then the pages built so far are
 * installed at once (serving a want among them), a wanted page of the piece not built yet
 * is built and installed next, alone, and the rest goes on, to be cut again if need be.
 * So a fault waits for about one page's build and one ioctl, not for a run.
 *
 * pending: the run's pages still to do (this piece's among them). A wanted page outside
 * the piece stops it once what is built is installed: the result is then the mask of
 * the piece's pages not built, which the caller serves after the wanted page (else 0).
 * *count gains the pages installed.
 */
static uint64_t build_and_install(ugc_gc *gc, gc_worker *wk, const gc_piece *pc, uint64_t pending, uint64_t *count)
{
	uint64_t piece = gc_bits(pc->i0, pc->n), todo = piece, built = 0;
	/* One behind: the first page built is always checked, since a want may predate the piece. */
	uint64_t seen = atomic_load_explicit(&gc->wanted, memory_order_acquire) - 1;
	while (todo != 0) {
		uint64_t i = (uint64_t)__builtin_ctzll(todo);
		slow_down(gc, wk);
		build_one(gc, pc, i);
		todo &= todo - 1;
		built |= 1ULL << i;
		/* Acquire: pairs with to_want's fetch_add after its CAS, so the scan below sees TO_WANTED. */
		uint64_t now = atomic_load_explicit(&gc->wanted, memory_order_acquire);
		/* A whole piece built: the install below serves a want inside it, the caller one after it. */
		if (todo == 0 || now == seen)
			continue;
		seen = now;
		uint64_t w = wanted_among(gc, pc->p, pending);
		if (w == 0)
			continue; /* somebody else's run */
		STAT_ADD(gc, runs_cut, 1);
		*count += install_mask(gc, wk, pc, built);
		built = 0;
		for (uint64_t m = w & todo; m != 0; m &= m - 1) {
			uint64_t q = (uint64_t)__builtin_ctzll(m);
			build_one(gc, pc, q);
			*count += install_mask(gc, wk, pc, 1ULL << q);
			todo &= ~(1ULL << q);
		}
		if (w & ~piece)
			return todo;
	}
	*count += install_mask(gc, wk, pc, built);
	return 0;
}

/* COPY: build into buf (scratch or a borrowed from-space page), install with UFFDIO_COPY. */
static uint64_t run_copy(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t n, uint64_t buf)
{
	gc_piece pc = { .p = p, .i0 = 0, .n = n, .src = buf, .f = NO_FROM, .move = false };
	uint64_t count = 0, unbuilt = build_and_install(gc, wk, &pc, gc_bits(0, n), &count);
	UGC_DCHECK(unbuilt == 0, "a piece that is the whole run is built whole");
	(void)unbuilt;
	return count;
}

/*
 * MOVE: build into recycled from-space pages (or the worker's fresh ones) and move each
 * piece with one ioctl. A page of the run that a fault waits for goes first, alone.
 *
 * Every MOVE ioctl clears present PTEs of the source and so flushes the TLB of every CPU
 * running this process: one shootdown IPI per ioctl (measured: shootdowns = ioctls), which
 * interrupts the mutators. Faults scattered ahead of the compactors cut the runs, so a
 * window issues about as many ioctls as faults for the pieces between them, and one more
 * per fault for the faulted page. A lone page (a fault's, or a one-page piece) therefore
 * goes by COPY from the worker's own page when copy_single_pages is set: no flush, and the
 * worker's page stays mapped for the next one. Runs keep MOVE and its recycling.
 */
static uint64_t run_move(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t n, uint64_t scan)
{
	uint64_t count = 0, pending = gc_bits(0, n);
	while (pending != 0) {
		uint64_t w = wanted_among(gc, p, pending);
		uint64_t i0 = (uint64_t)__builtin_ctzll(w != 0 ? w : pending);
		uint64_t len = w != 0 ? 1 : stretch_at(pending, i0);
		/* A lone page goes by COPY from our own page when so set (ugc_gc_set_copy_single_pages). */
		bool copy_one = gc->copy_single_pages && len == 1 && wk->buf_pages > 0;
		uint64_t f = 0, k = copy_one ? 0 : gc_take_recycled(gc, len, scan, &f);
		uint64_t src = gc->from + f * PAGE_BYTES;
		bool fresh = k == 0;
		if (fresh) {
			if (wk->buf_pages == 0) {
				/* No consumed from-space page is free and we have none of our own. */
				no_destination(gc, wk);
				for (uint64_t m = pending; m != 0; m &= m - 1)
					to_unclaim(gc, p + (uint64_t)__builtin_ctzll(m));
				return count;
			}
			k = min_u64(len, wk->buf_pages);
			src = wk->buf;
		}
		gc_piece pc = { .p = p, .i0 = i0, .n = k, .src = src, .f = fresh ? NO_FROM : f, .move = !copy_one };
		uint64_t unbuilt = build_and_install(gc, wk, &pc, pending, &count);
		uint64_t done = gc_bits(i0, k) & ~unbuilt;
		if (fresh) {
			STAT_ADD(gc, pages_fresh, (uint64_t)__builtin_popcountll(done));
		} else {
			STAT_ADD(gc, pages_recycled, (uint64_t)__builtin_popcountll(done));
			for (uint64_t m = unbuilt; m != 0; m &= m - 1)
				from_untake(gc, f + (uint64_t)__builtin_ctzll(m) - i0); /* taken for pages a want overtook */
		}
		pending &= ~done;
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
			no_destination(gc, wk);
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
