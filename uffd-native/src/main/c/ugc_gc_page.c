/*
 * ugc_gc_page.c: the page routine and the concurrent compaction around it.
 *
 * Everything here may run on the fault path (a fault server, later a SIGBUS
 * handler on the faulting thread), so it is async-signal-safe: atomics, memcpy,
 * memset, ioctl and sched_yield only; no malloc, no locks, no stdio.
 *
 * Each to-space page below the compacted end is claimed exactly once
 * (UNPROCESSED -> PROCESSING by CAS), built, installed, then marked MAPPED.
 * A fault on a claimed page waits for MAPPED instead of building it twice.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include "ugc_gc_internal.h"

/* Rewrites the reference slots of the object at new word n that lie in new words [lo, hi). */
static void fix_refs(const ugc_gc *gc, uint64_t *dst, uint64_t ts, uint64_t n, uint64_t nrefs,
		     uint64_t lo, uint64_t hi)
{
	/* Slot k is at byte 8 + 4k of the object; [lo, hi) are bytes (lo-n)*8 .. (hi-n)*8 of it. */
	uint64_t first_b = (lo - n) * UGC_WORD_BYTES, end_b = (hi - n) * UGC_WORD_BYTES;
	uint64_t k0 = first_b <= UGC_WORD_BYTES ? 0 : (first_b - UGC_WORD_BYTES) / UGC_REF_BYTES;
	uint64_t k1 = end_b <= UGC_WORD_BYTES ? 0 : (end_b - UGC_WORD_BYTES) / UGC_REF_BYTES;
	if (k1 > nrefs)
		k1 = nrefs;
	char *page = (char *)dst;
	for (uint64_t k = k0; k < k1; k++) {
		uint32_t *slot = (uint32_t *)(page + (n * UGC_WORD_BYTES + UGC_WORD_BYTES + k * UGC_REF_BYTES
						      - ts * UGC_WORD_BYTES));
		*slot = gc_fwd_ref(gc, *slot);
	}
}

static uint64_t filler_header(uint64_t words)
{
	return (UGC_HDR_MAGIC << UGC_HDR_MAGIC_SHIFT) | ((uint64_t)UGC_LAYOUT_FILLER << UGC_HDR_LAYOUT_SHIFT) | words;
}

void gc_build_identity(ugc_gc *gc, uint64_t p, uint64_t e, uint64_t *dst, const uint64_t *src)
{
	uint64_t ts = p * PAGE_WORDS;
	if (src != dst)
		memcpy(dst, src, (e - ts) * UGC_WORD_BYTES);
	uint64_t w = ts > gc->first_words ? ts : gc->first_words; /* the heap's header words stay as they are */
	obj_info o;
	if (gc->id_hdr[p] != 0 && gc_describe(gc, gc->id_hdr[p], &o) == 0) {
		/* A live object entering from an earlier page (its header recorded by the plan). */
		uint64_t s = gc->id_start[p], end = s + o.size < e ? s + o.size : e;
		if (o.nrefs)
			fix_refs(gc, dst, ts, s, o.nrefs, ts, end);
		w = s + o.size;
	} else if (w == ts && w > gc->first_words && !gc_marked(gc, w) && !gc_marked(gc, w - 1)) {
		/* Inside a dead gap whose filler header an earlier page wrote. */
		w = gc_next_live(gc, w, gc->fixed_words);
	}
	while (w < e) {
		if (!gc_marked(gc, w)) {
			/* A dead gap starts here: one filler up to the next live word (or the region's end). */
			uint64_t g = gc_next_live(gc, w, gc->fixed_words);
			dst[w - ts] = filler_header(g - w);
			w = g;
			continue;
		}
		if (gc_describe(gc, dst[w - ts], &o) < 0) {
			STAT_ADD(gc, errors, 1); /* never loop on a bad header */
			return;
		}
		if (o.nrefs)
			fix_refs(gc, dst, ts, w, o.nrefs, w, w + o.size < e ? w + o.size : e);
		w += o.size;
	}
}

void gc_build_page(ugc_gc *gc, uint64_t p, uint64_t *dst)
{
	const uint64_t *from = (const uint64_t *)(uintptr_t)gc->from;
	uint64_t ts = p * PAGE_WORDS, te = ts + PAGE_WORDS;
	uint64_t limit = te < gc->new_top_words ? te : gc->new_top_words;
	uint64_t filled = ts;
	if (ts < gc->fixed_words) {
		/* The identity region's part of this page (the heap's header words, a mixed page). */
		uint64_t e = te < gc->fixed_words ? te : gc->fixed_words;
		gc_build_identity(gc, p, e, dst, from + ts);
		filled = e;
	}
	uint64_t w = gc->first_obj[p];
	uint64_t n = w == NONE32 ? 0 : gc_fwd(gc, w);
	while (w < gc->old_top_words && filled < limit) {
		obj_info o;
		if (gc_describe(gc, from[w], &o) < 0) {
			/* Cannot happen for a marked object; never loop on a bad header. */
			STAT_ADD(gc, errors, 1);
			break;
		}
		uint64_t lo = n > ts ? n : ts, hi = n + o.size < te ? n + o.size : te;
		memcpy(dst + (lo - ts), from + w + (lo - n), (hi - lo) * UGC_WORD_BYTES);
		if (o.nrefs)
			fix_refs(gc, dst, ts, n, o.nrefs, lo, hi);
		filled = hi;
		n += o.size; /* to-space is packed: the next live object follows at once */
		w = gc_next_live(gc, w + o.size, gc->old_top_words);
	}
	if (filled < te)
		memset(dst + (filled - ts), 0, (te - filled) * UGC_WORD_BYTES);
}

void gc_page_done(ugc_gc *gc, uint64_t p)
{
	atomic_store(&gc->state[p], PAGE_MAPPED);
	/*
	 * A dense page is the only reader of its own from-space page, and install_in_place
	 * gives that page its final state (gone when moved back, recyclable when copied
	 * from) before calling here: counting it down again would leave it below
	 * FROM_GONE, never recyclable, and recycle_lo stuck under it for the whole window.
	 */
	if (p < gc->dense_pages) {
		atomic_fetch_add(&gc->mapped, 1);
		return;
	}
	if (gc->from_lo[p] != NONE32) {
		uint64_t lo = gc->from_lo[p] / PAGE_WORDS, hi = gc->from_hi[p] / PAGE_WORDS;
		for (uint64_t f = lo; f <= hi; f++)
			atomic_fetch_sub(&gc->readers[f], 1);
		if (gc->first_obj[p] != NONE32 && gc->first_obj[p] / PAGE_WORDS < lo)
			atomic_fetch_sub(&gc->readers[gc->first_obj[p] / PAGE_WORDS], 1);
	}
	atomic_fetch_add(&gc->mapped, 1);
}

/* ---- installing pages -------------------------------------------------------- */

typedef struct installed {
	uint64_t ok;     /* bit i: page i is mapped now */
	uint64_t moved;  /* bit i: page i's source was moved away (MOVE) */
} installed;

static uint64_t bits(uint64_t from, uint64_t n)
{
	uint64_t m = n >= 64 ? ~0ULL : (1ULL << n) - 1;
	return from >= 64 ? 0 : m << from;
}

#define INSTALL_TRIES 16

/* Errors that retrying the same ioctl will not clear. */
static bool permanent(int rc)
{
	return rc == -ENOENT || rc == -EINVAL || rc == -EFAULT || rc == -ESRCH || rc == -EBADF;
}

/*
 * Installs n pages from src at dst with one ioctl when all goes well. EBUSY from
 * MOVE switches the rest to COPY; other transient errors are retried, after the
 * second failure by COPY. EEXIST means the page is mapped already (a racing
 * free-heap fault): skip it.
 */
static installed install(ugc_gc *gc, gc_worker *wk, uint64_t dst, uint64_t src, uint64_t n, bool move)
{
	installed r = { 0, 0 };
	uint64_t i = 0;
	int tries = 0;
	while (i < n) {
		int64_t done = 0;
		int rc = move ? ugc_uffd_move(gc->uffd, dst + i * PAGE_BYTES, src + i * PAGE_BYTES,
					      (n - i) * PAGE_BYTES, 0, &done, wk->ctr)
			      : ugc_uffd_copy(gc->uffd, dst + i * PAGE_BYTES, src + i * PAGE_BYTES,
					      (n - i) * PAGE_BYTES, 0, &done, wk->ctr);
		uint64_t got = (uint64_t)done / PAGE_BYTES;
		r.ok |= bits(i, got);
		if (move) {
			r.moved |= bits(i, got);
			STAT_ADD(gc, pages_moved, got);
		} else {
			STAT_ADD(gc, pages_copied, got);
		}
		i += got;
		if (rc == 0)
			break;
		if (rc == -EEXIST) {
			STAT_ADD(gc, eexist_races, 1);
			r.ok |= bits(i, 1);
			i++;
			continue;
		}
		if (move && rc == -EBUSY) {
			STAT_ADD(gc, ebusy_fallbacks, n - i);
			move = false;
			continue;
		}
		if (permanent(rc)) {
			/* The heap range is gone or unregistered: retrying cannot help. */
			if (atomic_load(&gc->closing))
				break; /* finish unregistered it: the waiting thread retries by itself */
			if (move) {
				move = false;
				continue;
			}
			STAT_ADD(gc, errors, 1);
			__atomic_store_n(&gc->st.last_error, rc, __ATOMIC_RELAXED);
			break;
		}
		if (++tries > INSTALL_TRIES) {
			STAT_ADD(gc, errors, 1);
			__atomic_store_n(&gc->st.last_error, rc, __ATOMIC_RELAXED);
			break;
		}
		STAT_ADD(gc, install_retries, 1);
		__atomic_store_n(&gc->st.last_error, rc, __ATOMIC_RELAXED);
		if (move && tries >= 2)
			move = false; /* a COPY may pass where MOVE keeps failing */
		sched_yield();
	}
	return r;
}

/* ---- recycled from-space pages (MOVE) ------------------------------------------ */

static void release_from(ugc_gc *gc, uint64_t f, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		atomic_store(&gc->readers[f + i], 0);
}

/*
 * Takes up to `want` contiguous from-space pages nobody reads any more, scanning
 * at most `scan` pages from the lowest one not yet gone. Returns how many (0 if
 * none), the first at *first; they are FROM_TAKEN until moved or released.
 */
static uint64_t take_recycled(ugc_gc *gc, uint64_t want, uint64_t scan, uint64_t *first)
{
	uint64_t lo0 = atomic_load(&gc->recycle_lo), lo = lo0;
	while (lo < gc->old_pages && atomic_load(&gc->readers[lo]) == FROM_GONE)
		lo++;
	while (lo0 < lo && !atomic_compare_exchange_weak(&gc->recycle_lo, &lo0, lo))
		;
	uint64_t end = lo + scan < gc->old_pages ? lo + scan : gc->old_pages;
	uint64_t best = 0, best_at = 0;
	for (uint64_t i = lo; i < end && best < want;) {
		if (atomic_load(&gc->readers[i]) != 0) {
			i++;
			continue;
		}
		uint64_t j = i;
		int32_t zero = 0;
		while (j < gc->old_pages && j - i < want &&
		       atomic_compare_exchange_strong(&gc->readers[j], &zero, FROM_TAKEN)) {
			j++;
			zero = 0;
		}
		if (j - i > best) {
			release_from(gc, best_at, best);
			best = j - i;
			best_at = i;
		} else {
			release_from(gc, i, j - i);
		}
		i = j + 1;
	}
	*first = best_at;
	return best;
}

/* ---- compacting a run of claimed pages ----------------------------------------- */

/* After an install: mapped pages are done, the others go back to UNPROCESSED for a retry. */
static uint64_t settle(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t n, uint64_t ok)
{
	uint64_t count = 0;
	for (uint64_t i = 0; i < n; i++) {
		if (ok & bits(i, 1)) {
			gc_page_done(gc, p + i);
			count++;
		} else {
			atomic_store(&gc->state[p + i], PAGE_UNPROCESSED);
		}
	}
	if (wk->by_fault)
		STAT_ADD(gc, pages_by_faults, count);
	else
		STAT_ADD(gc, pages_by_compactors, count);
	return count;
}

static uint64_t run_copy(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t n, uint64_t buf)
{
	for (uint64_t i = 0; i < n; i++)
		gc_build_page(gc, p + i, (uint64_t *)(uintptr_t)(buf + i * PAGE_BYTES));
	if (!wk->by_fault)
		STAT_ADD(gc, copy_runs, 1);
	installed r = install(gc, wk, gc->base + p * PAGE_BYTES, buf, n, false);
	return settle(gc, wk, p, n, r.ok);
}

/* MOVE: build into recycled from-space pages (or fresh ones) and move each piece with one ioctl. */
static uint64_t run_move(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t n, uint64_t scan)
{
	uint64_t count = 0;
	while (n > 0) {
		uint64_t f = 0, k = take_recycled(gc, n, scan, &f);
		uint64_t src = gc->from + f * PAGE_BYTES;
		bool fresh = k == 0;
		if (fresh) {
			if (wk->buf_pages == 0) {
				/* No consumed from-space page is free and we have none of our own. */
				STAT_ADD(gc, errors, 1);
				__atomic_store_n(&gc->st.last_error, -ENOMEM, __ATOMIC_RELAXED);
				for (uint64_t i = 0; i < n; i++)
					atomic_store(&gc->state[p + i], PAGE_UNPROCESSED);
				return count;
			}
			k = n < wk->buf_pages ? n : wk->buf_pages;
			src = wk->buf;
			STAT_ADD(gc, pages_fresh, k);
		} else {
			STAT_ADD(gc, pages_recycled, k);
		}
		for (uint64_t i = 0; i < k; i++)
			gc_build_page(gc, p + i, (uint64_t *)(uintptr_t)(src + i * PAGE_BYTES));
		if (!wk->by_fault)
			STAT_ADD(gc, move_runs, 1);
		installed r = install(gc, wk, gc->base + p * PAGE_BYTES, src, k, true);
		if (!fresh) {
			for (uint64_t i = 0; i < k; i++)
				atomic_store(&gc->readers[f + i], (r.moved & bits(i, 1)) ? FROM_GONE : 0);
		}
		count += settle(gc, wk, p, k, r.ok);
		p += k;
		n -= k;
	}
	return count;
}

/* ---- dense pages, updated in place ------------------------------------------------ */

#define HUGE_PAGES 512u /* 4 KiB pages in a 2 MiB PMD */

/*
 * Installs dense pages [p, p+n) from their own from-space pages: MOVE moves them
 * back with no copy (a 2 MiB-aligned block of 512 with one ioctl, so a THP moves as
 * one PMD), COPY copies them. A page whose MOVE fails with EBUSY is copied instead.
 * A from-space page moved away is gone; one copied from is consumed (recyclable);
 * one not installed stays built for the retry (it must never be updated twice).
 */
static uint64_t install_in_place(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t n)
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
			atomic_store(&gc->readers[p + j], FROM_GONE);
		for (uint64_t j = 0; j < i; j += 64)
			count += settle(gc, wk, p + j, i - j < 64 ? i - j : 64, ~0ULL);
	}
	while (i < n) {
		uint64_t k = n - i < 64 ? n - i : 64;
		installed r = install(gc, wk, gc->base + (p + i) * PAGE_BYTES, gc->from + (p + i) * PAGE_BYTES, k, move);
		for (uint64_t j = 0; j < k; j++) {
			if (r.moved & bits(j, 1))
				atomic_store(&gc->readers[p + i + j], FROM_GONE);
			else if (r.ok & bits(j, 1))
				atomic_store(&gc->readers[p + i + j], 0);
		}
		STAT_ADD(gc, pages_in_place, (uint64_t)__builtin_popcountll(r.ok));
		count += settle(gc, wk, p + i, k, r.ok);
		i += k;
	}
	return count;
}

static uint64_t run_in_place(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		if (atomic_load(&gc->built[p + i]))
			continue; /* a failed install left it built: updating it twice would forward twice */
		uint64_t *page = (uint64_t *)(uintptr_t)(gc->from + (p + i) * PAGE_BYTES);
		gc_build_identity(gc, p + i, (p + i + 1) * PAGE_WORDS, page, page);
		atomic_store(&gc->built[p + i], 1);
	}
	if (!wk->by_fault) {
		if (gc->mode == UGC_MODE_MOVE)
			STAT_ADD(gc, move_runs, 1);
		else
			STAT_ADD(gc, copy_runs, 1);
	}
	return install_in_place(gc, wk, p, n);
}

/* Compacts claimed pages [p, p+n) in the engine's mode (n <= UGC_GC_MAX_RUN_PAGES past the dense prefix). */
static uint64_t compact_run(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t n, uint64_t scan)
{
	if (p < gc->dense_pages) {
		uint64_t k = gc->dense_pages - p < n ? gc->dense_pages - p : n;
		uint64_t count = run_in_place(gc, wk, p, k);
		return k == n ? count : count + compact_run(gc, wk, p + k, n - k, scan);
	}
	if (gc->mode == UGC_MODE_MOVE)
		return run_move(gc, wk, p, n, scan);
	if (wk->buf_pages >= n)
		return run_copy(gc, wk, p, n, wk->buf);
	/* A worker without scratch (fault server): borrow a consumed from-space page. */
	uint64_t count = 0;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t f;
		if (take_recycled(gc, 1, scan, &f) == 0) {
			STAT_ADD(gc, errors, 1);
			__atomic_store_n(&gc->st.last_error, -ENOMEM, __ATOMIC_RELAXED);
			atomic_store(&gc->state[p + i], PAGE_UNPROCESSED);
			continue;
		}
		count += run_copy(gc, wk, p + i, 1, gc->from + f * PAGE_BYTES);
		release_from(gc, f, 1);
	}
	return count;
}

/* Claims up to max contiguous unprocessed pages from p; stops at the first one held by someone else. */
static uint64_t claim_run(ugc_gc *gc, uint64_t p, uint64_t max)
{
	uint64_t k = 0;
	while (k < max && p + k < gc->end_pages) {
		uint8_t expected = PAGE_UNPROCESSED;
		if (!atomic_compare_exchange_strong(&gc->state[p + k], &expected, PAGE_PROCESSING))
			break;
		k++;
	}
	return k;
}

/* ---- compactor threads ------------------------------------------------------------ */

#define COMPACTOR_SCAN 4096
#define FAULT_SCAN 256

static void add_counters(ugc_counters *to, const ugc_counters *c)
{
	const uint64_t *src = (const uint64_t *)c;
	uint64_t *dst = (uint64_t *)to;
	for (size_t i = 0; i < sizeof(*c) / sizeof(uint64_t); i++)
		__atomic_fetch_add(&dst[i], src[i], __ATOMIC_RELAXED);
}

/*
 * Compacts [p, e): claims runs of at most `run` contiguous pages. Returns false
 * when the budget (pages this call may still claim; <0 = unlimited) ran out.
 */
static bool compact_range(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t e, uint64_t run,
			  int64_t *budget, int64_t *total)
{
	while (p < e) {
		uint64_t max = e - p < run ? e - p : run;
		if (*budget >= 0 && (int64_t)max > *budget)
			max = (uint64_t)*budget;
		if (max == 0)
			return false;
		uint64_t k = claim_run(gc, p, max);
		if (k == 0) {
			p++;
			continue;
		}
		if (*budget >= 0)
			*budget -= (int64_t)k;
		*total += (int64_t)compact_run(gc, wk, p, k, COMPACTOR_SCAN);
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
	uint64_t to_block = HUGE_PAGES - s % HUGE_PAGES;
	return run < to_block ? run : to_block;
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
	bool whole = true;
	/* Pass 1: runs in address order from the shared cursor, so consumed from-space
	 * pages (MOVE's destinations) appear behind the compactors. */
	for (;;) {
		uint64_t s = atomic_load(&gc->cursor), step;
		do {
			step = next_step(gc, s, run);
		} while (!atomic_compare_exchange_weak(&gc->cursor, &s, s + step));
		if (s >= gc->end_pages)
			break;
		uint64_t e = s + step < gc->end_pages ? s + step : gc->end_pages;
		if (!(whole = compact_range(gc, &wk, s, e, step, &budget, &total)))
			break;
	}
	/* Pass 2: pages left behind (a failed install, an abandoned compactor). */
	if (whole)
		whole = compact_range(gc, &wk, 0, gc->end_pages, run, &budget, &total);
	if (!whole)
		STAT_ADD(gc, abandoned, 1);
	add_counters(&gc->st.ctr, &ctr);
	ugc_mem_unmap((uint64_t)buf, run * PAGE_BYTES);
	return total;
}

int64_t ugc_gc_pages_unclaimed(ugc_gc *gc)
{
	if (atomic_load(&gc->phase) != PHASE_COMPACTING)
		return 0;
	int64_t n = 0;
	for (uint64_t p = 0; p < gc->end_pages; p++)
		n += atomic_load(&gc->state[p]) == PAGE_UNPROCESSED;
	return n;
}

/* ---- the fault path --------------------------------------------------------------- */

/* Free heap beyond the compacted end: a zero page (MOVE: a zeroed recycled page, moved). */
static int serve_free(ugc_gc *gc, gc_worker *wk, uint64_t p)
{
	uint64_t dst = gc->base + p * PAGE_BYTES, f;
	if (gc->mode == UGC_MODE_MOVE && take_recycled(gc, 1, FAULT_SCAN, &f) == 1) {
		uint64_t src = gc->from + f * PAGE_BYTES;
		memset((void *)(uintptr_t)src, 0, PAGE_BYTES);
		installed r = install(gc, wk, dst, src, 1, true);
		atomic_store(&gc->readers[f], r.moved ? FROM_GONE : 0);
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

static int resolve_page(ugc_gc *gc, int uffd, uint64_t addr, ugc_worker *w)
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
	bool waited = false;
	for (;;) {
		uint8_t s = atomic_load(&gc->state[p]);
		if (s == PAGE_MAPPED)
			break;
		if (s == PAGE_UNPROCESSED && claim_run(gc, p, 1) == 1) {
			if (compact_run(gc, &wk, p, 1, FAULT_SCAN) == 1)
				return 0;
			return (int)__atomic_load_n(&gc->st.last_error, __ATOMIC_RELAXED) ?: -EIO;
		}
		if (!waited) {
			STAT_ADD(gc, fault_waits, 1);
			waited = true;
		}
		sched_yield();
	}
	/* The winner's ioctl woke the waiters; wake again in case we read the message late. */
	ugc_uffd_wake(gc->uffd, page_addr, PAGE_BYTES);
	return 0;
}

int ugc_gc_resolve(void *ctx, int uffd, uint64_t fault_addr, uint64_t fault_flags, ugc_worker *worker)
{
	(void)fault_flags;
	ugc_gc *gc = ctx;
	atomic_fetch_add(&gc->inflight, 1);
	int rc = resolve_page(gc, uffd, fault_addr, worker);
	atomic_fetch_sub(&gc->inflight, 1);
	return rc;
}
