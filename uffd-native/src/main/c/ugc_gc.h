/*
 * ugc_gc.h: the collector engine (mark, plan, flip, concurrent compaction).
 *
 * Java (gc-core) decides when and in which mode to collect and drives the steps
 * below; C does every step a faulting mutator may wait on. One cycle:
 *   ugc_gc_mark   (heap safepoint)  live-words bitmap from the root table
 *   ugc_gc_plan   (heap safepoint)  per-chunk offsets, first object per page
 *   ugc_gc_flip   (heap safepoint)  forward roots, mremap the used heap to
 *                                   from-space, register it with the uffd
 *                                   (STW mode: compacts every page right there)
 *   ugc_gc_compact (one downcall per compactor thread, mutators running) and
 *   ugc_gc_resolve (the fault service's resolver) compact pages, each claimed once
 *   ugc_gc_finish                   unregister, release from-space
 *
 * Forwarding is computed, never stored in objects (the Compressor, ART's CMC):
 * the live-words bitmap has one bit per 8-byte word, every word of a live object
 * set; chunk c (64 words, one bitmap word) has chunk_offset[c] live words before
 * it, so the new word offset of old word w is
 *   first_object_offset/8 + chunk_offset[w/64] + popcount(bitmap[w/64] below bit w%64).
 * The heap's prefix [0, first_object_offset) never moves and is copied as is.
 *
 * Dense prefix (ART's black-dense region): the longest prefix of whole pages each
 * at least dense_percent live does not move at all; forwarding is the identity
 * there. Its pages are updated in place (references forwarded, dead gaps turned
 * into fillers) in their own from-space page and, in MOVE mode, moved back with no
 * copy, a 2 MiB-aligned block of 512 such pages with one ioctl (a THP moves whole);
 * COPY mode copies them from that page; STW mode does not move them at all.
 */
#ifndef UGC_GC_H
#define UGC_GC_H

#include <stdint.h>
#include "ugc_abi.h"
#include "ugc_sys.h"
#include "ugc_service.h"
#include "ugc_object.h"

#define UGC_MODE_STW  0   /* compact inside the pause, no uffd */
#define UGC_MODE_COPY 1   /* scratch page + UFFDIO_COPY, UFFDIO_ZEROPAGE for free heap */
#define UGC_MODE_MOVE 2   /* recycled from-space pages + UFFDIO_MOVE, batched in runs */

/*
 * Default of ugc_gc_set_dense_percent. Measured (gc-core test main DenseThreshold, 1 GiB
 * heap, 128 MiB packed bottom of which a share died, 32 MiB young region 20% live, one
 * MOVE cycle, 2-core VM, median of 3): window ms / pages in place / KiB left as fillers /
 * pages MOVE built in fresh memory
 *   deaths  off           80%                    90%                    95%                    98%
 *   0.5%    58 / 0 / 0 / 64   44 / 32765 / 626 / 3   40 / 32765 / 628 / 3   41 / 32765 / 626 / 3   56 / 83 / 1 / 45
 *   2%      62 / 0 / 0 / 64   41 / 32765 / 2408 / 3  41 / 32765 / 2428 / 3  56 / 103 / 6 / 25     58 / 0 / 0 / 64
 *   5%      57 / 0 / 0 / 64   43 / 32765 / 6001 / 3  56 / 34 / 5 / 30       56 / 0 / 0 / 64       56 / 0 / 0 / 64
 * A whole prefix cuts the window by ~30% (63 MiB of 2 MiB moves); 90% keeps that gain at
 * a few percent of fillers, and a short prefix (tens of pages) now costs what off costs.
 * (It once doubled the window: dense pages' from-space pages were counted down past
 * FROM_GONE, so MOVE's recycling window stuck at the bottom and built ~30k pages fresh.)
 */
#define UGC_GC_DEFAULT_DENSE_PERCENT 90

/* Longest run of contiguous pages a compactor claims and installs with one ioctl. */
#define UGC_GC_MAX_RUN_PAGES 64

typedef struct ugc_gc ugc_gc;

/* Statistics of the current (or last) cycle; reset by ugc_gc_mark. */
typedef struct ugc_gc_stats {
	uint64_t live_bytes;        /* bytes of reachable objects */
	uint64_t live_objects;
	uint64_t old_top;           /* heap top before the cycle (bytes from base) */
	uint64_t new_top;           /* heap top after compaction */
	uint64_t pages_total;       /* to-space pages holding compacted data */
	uint64_t pages_by_compactors;
	uint64_t pages_by_faults;   /* compacted first because a mutator faulted on them */
	uint64_t pages_moved;       /* installed with UFFDIO_MOVE */
	uint64_t pages_copied;      /* installed with UFFDIO_COPY */
	uint64_t pages_direct;      /* STW: written straight into the heap */
	uint64_t pages_zeroed;      /* free heap (beyond the compacted end) served with a zero page */
	uint64_t pages_in_place;    /* dense-prefix pages updated in place (MOVE: moved back with no copy) */
	uint64_t huge_moves;        /* MOVE ioctls of a whole 2 MiB block of dense pages */
	uint64_t pages_recycled;    /* MOVE: compacted into a consumed from-space page */
	uint64_t pages_fresh;       /* MOVE: no consumed from-space page was free; fresh memory used */
	uint64_t move_runs;         /* MOVE ioctls issued for runs of pages (compactors) */
	uint64_t copy_runs;         /* COPY ioctls issued for runs of pages (compactors) */
	uint64_t ebusy_fallbacks;   /* pages MOVE refused with EBUSY, installed by COPY instead */
	uint64_t eexist_races;      /* destination already mapped when installing */
	uint64_t fault_waits;       /* faults that found their page claimed and waited for it */
	uint64_t install_retries;   /* ioctls retried after a transient error (ENOMEM, EAGAIN, ...) */
	uint64_t abandoned;         /* compactor calls that stopped early (test knob) */
	uint64_t errors;            /* installs that failed for good (page left for someone else) */
	int64_t  last_error;        /* negated errno of the latest error, 0 if none */
	ugc_counters ctr;           /* ioctls issued by compactor threads (fault servers count their own) */
} ugc_gc_stats;

/*
 * Creates the engine for the heap whose ugc_heap struct is at `heap` (it must
 * outlive the engine). first_object_offset: the heap's bytes before its first
 * object (8..page size-8, a multiple of 8); they never move. Reserves the
 * from-space (PROT_NONE, aligned like the heap) and the side tables.
 */
UGC_API int ugc_gc_create(uint64_t heap, uint64_t first_object_offset, ugc_gc **out);
/* Frees a finished engine (no cycle under way). */
UGC_API void ugc_gc_free(ugc_gc *gc);

/* Longest run a compactor claims and installs with one ioctl (1..UGC_GC_MAX_RUN_PAGES). */
UGC_API int ugc_gc_set_run_pages(ugc_gc *gc, uint32_t pages);
/* Live percentage (0..100, 0 = off) from which a prefix page stays in place; between cycles. */
UGC_API int ugc_gc_set_dense_percent(ugc_gc *gc, uint32_t percent);
/* madvise(MADV_HUGEPAGE) on from-space, so dense 2 MiB blocks can move as one PMD. */
UGC_API int ugc_gc_advise_huge_pages(ugc_gc *gc);
/* Test-only: the next compactor call stops after claiming `pages` pages (-1: never). */
UGC_API void ugc_gc_set_abandon_after(ugc_gc *gc, int64_t pages);

/* At a heap safepoint: marks from the roots. Returns live bytes, or -EINVAL for a corrupt heap. */
UGC_API int64_t ugc_gc_mark(ugc_gc *gc);
/* At a heap safepoint, after mark: computes forwarding and the per-page plan. Returns the new top. */
UGC_API int64_t ugc_gc_plan(ugc_gc *gc);
/*
 * At a heap safepoint, after plan: forwards the roots and moves the used heap to
 * from-space. STW: compacts every page into the heap now (uffd unused). COPY/MOVE:
 * registers the heap range with uffd (MISSING) and opens the compaction window.
 * The caller then sets the heap's top to the new top and resumes the mutators.
 */
UGC_API int ugc_gc_flip(ugc_gc *gc, int mode, int uffd);
/*
 * One call per compactor thread for the whole window: claims runs of pages,
 * compacts and installs them; returns (pages this call compacted) when no page
 * is left to claim, or when the abandon knob stops it.
 */
UGC_API int64_t ugc_gc_compact(ugc_gc *gc, uint32_t worker_index);
/* The fault service's resolver (ugc_resolver_fn); ctx is the ugc_gc. */
UGC_API int ugc_gc_resolve(void *ctx, int uffd, uint64_t fault_addr, uint64_t fault_flags,
                           ugc_worker *worker);
/* To-space pages of the window not claimed by anyone yet. */
UGC_API int64_t ugc_gc_pages_unclaimed(ugc_gc *gc);
/*
 * Ends the window: waits (up to timeout_ms) until every compacted page is mapped,
 * unregisters the heap range (waking anyone waiting on free heap), waits for
 * resolvers still running, releases from-space. -ETIMEDOUT leaves the window open.
 */
UGC_API int ugc_gc_finish(ugc_gc *gc, int64_t timeout_ms);
/*
 * Gives up an open window: unregisters, waits for running resolvers, releases
 * from-space. Only for a heap that is gone (closed under the collector): pages not
 * yet mapped are lost. Returns how many there were.
 */
UGC_API int64_t ugc_gc_abort(ugc_gc *gc);
/* Copies the statistics of the current or last cycle. */
UGC_API void ugc_gc_stats_read(ugc_gc *gc, ugc_gc_stats *out);

#endif
