/*
 * ugc_gc.h: the collector engine (mark, plan, flip, concurrent compaction).
 *
 * Java (gc-core) decides when and in which mode to collect and drives the steps
 * below; C does every step a faulting mutator may wait on. One cycle, marking
 * stopping the world:
 *   ugc_gc_mark   (heap safepoint)  live-words bitmap from the root table
 *   ugc_gc_plan   (heap safepoint)  per-chunk offsets, first object per page
 * or marking and planning beside the mutators (snapshot at the beginning):
 *   ugc_gc_mark_begin       (heap safepoint)  the barrier turns on; later objects are live
 *   ugc_gc_mark_roots       (mutators running) copy the root table's values; roots need no log after
 *   ugc_gc_mark_concurrent  (mutators running) trace roots and the barrier's queue, on N threads
 *   ugc_gc_satb_push        (each mutator, while marking) its buffer of overwritten references
 *   ugc_gc_remark           (heap safepoint)  the rest of the queue; the barrier turns off
 *   ugc_gc_plan_concurrent  (mutators running) the plan of what existed at remark
 *   (a heap safepoint that retires every TLAB and clears the root cards, then)
 *   ugc_gc_plan_tail_ahead  (mutators running) the plan of what was allocated up to it, and
 *                                              the roots' forwardings as of then
 *   ugc_gc_plan_tail        (heap safepoint)  the plan of what was allocated since; then:
 *   ugc_gc_flip   (heap safepoint)  forward roots (most computed ahead by
 *                                   plan_tail_ahead), mremap the used heap to
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
 * Default of ugc_gc_set_dense_percent: a whole dense prefix cuts a MOVE window by ~30%
 * (it moves back in 2 MiB blocks with no copy); 90% keeps that gain while leaving only a
 * few percent of the prefix as fillers. The measurements: docs/engine.md, "Dense prefix".
 */
#define UGC_GC_DEFAULT_DENSE_PERCENT 90

/* Longest run of contiguous pages a compactor claims and installs with one ioctl. */
#define UGC_GC_MAX_RUN_PAGES 64

typedef struct ugc_gc ugc_gc;

/*
 * The engine's counters, declared once: X(name, description). The list makes the
 * fields of ugc_gc_stats (so the generated Java accessors follow it) and the names
 * that ugc_gc_stat_name returns, which the Java reader (EngineStats) iterates.
 * Every counter is a uint64_t, counted for the current (or last) cycle.
 */
#define UGC_GC_STATS(X) \
	X(live_bytes,          "bytes of reachable objects") \
	X(live_objects,        "reachable objects") \
	X(old_top,             "heap top before the cycle (bytes from base)") \
	X(new_top,             "heap top after compaction (bytes from base)") \
	X(pages_total,         "to-space pages holding compacted data") \
	X(pages_by_compactors, "pages compacted by compactor threads (and by finish, for pages left behind)") \
	X(pages_by_faults,     "pages compacted first because a mutator faulted on them") \
	X(pages_moved,         "pages installed with UFFDIO_MOVE") \
	X(pages_copied,        "pages installed with UFFDIO_COPY") \
	X(pages_direct,        "STW: pages written straight into the heap") \
	X(pages_zeroed,        "free heap (beyond the compacted end) served with a zero page") \
	X(pages_in_place,      "dense-prefix pages updated in place (MOVE: moved back with no copy)") \
	X(huge_moves,          "MOVE ioctls of a whole 2 MiB block of dense pages") \
	X(pages_recycled,      "MOVE: pages built in a consumed from-space page") \
	X(pages_fresh,         "MOVE: pages built in fresh memory (no consumed from-space page was free)") \
	X(move_runs,           "MOVE ioctls issued by compactors for runs of pages") \
	X(copy_runs,           "COPY ioctls issued by compactors for runs of pages") \
	X(ebusy_fallbacks,     "pages MOVE refused with EBUSY, installed by COPY instead") \
	X(eexist_races,        "installs that found their destination mapped already") \
	X(fault_waits,         "faults that found their page claimed and waited for it") \
	X(runs_cut,            "runs a claimer cut short to install a page a fault waited for") \
	X(install_retries,     "ioctls retried after a transient error (ENOMEM, EAGAIN, ...)") \
	X(abandoned,           "compactor calls that stopped early (test knob)") \
	X(errors,              "installs that failed for good (the page was left for finish)") \
	X(satb_logged,         "overwritten references the mutators' barrier logged while marking ran") \
	X(satb_dropped,        "logged references that arrived after marking ended (not needed)") \
	X(mark_helper_user_ns, "user CPU time of the marking threads besides the caller (mark_threads > 1)") \
	X(mark_helper_system_ns, "system CPU time of those threads") \
	X(black_objects,       "objects allocated during the cycle, live without marking (fillers not counted)") \
	X(black_bytes,         "bytes of those objects") \
	X(tail_bytes,          "heap bytes allocated after remark (after the TAIL pause, if any), planned inside the flip pause") \
	X(tail_ahead_bytes,    "heap bytes allocated from remark to the TAIL pause, planned beside the mutators") \
	X(roots_ahead,         "root slots whose forwarding was computed beside the mutators, after the tail's plan") \
	X(roots_in_pause,      "non-null roots the flip pause forwarded itself (in a card written since, handed out since, or none computed ahead)") \
	X(tail_plan_ns,        "flip pause: ns planning the tail (ugc_gc_plan_tail)") \
	X(flip_roots_ns,       "flip pause: ns forwarding the roots") \
	X(flip_remap_ns,       "flip pause: ns moving the used heap to from-space (mremap) and registering it with the uffd") \
	X(flip_user_ns,        "user CPU time of ugc_gc_plan_tail and ugc_gc_flip (STW mode: the compaction too)") \
	X(flip_system_ns,      "system CPU time of those calls")

typedef struct ugc_gc_stats {
#define UGC_GC_STAT_FIELD(name, description) uint64_t name;
	UGC_GC_STATS(UGC_GC_STAT_FIELD)
#undef UGC_GC_STAT_FIELD
	int64_t last_error;         /* negated errno of the latest error, 0 if none */
	ugc_counters ctr;           /* ioctls issued by compactor threads (fault servers count their own) */
} ugc_gc_stats;

/* Number of counters in UGC_GC_STATS, and the name of counter i (NULL out of range). */
UGC_API uint32_t ugc_gc_stat_count(void);
UGC_API const char *ugc_gc_stat_name(uint32_t i);

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
/*
 * MOVE mode: install a lone page (a fault's, or a one-page piece of a run) by COPY from the
 * installer's own page (1, the default) or by MOVE like the runs (0); between cycles. A
 * MOVE costs a TLB-shootdown IPI to every other CPU running the process; a COPY none.
 * Measured (scripts/bench --single-pages, README): with 1, half the shootdowns, a shorter
 * window and shorter fault stalls; 0 is the pure-MOVE baseline.
 */
UGC_API int ugc_gc_set_copy_single_pages(ugc_gc *gc, uint32_t on);
/* Live percentage (0..100, 0 = off) from which a prefix page stays in place; between cycles. */
UGC_API int ugc_gc_set_dense_percent(ugc_gc *gc, uint32_t percent);
/*
 * Threads one trace uses (1..64, default 1), for stop-the-world and concurrent marking alike
 * (remark traces on one); between cycles. They share a grey-reference pool and set bitmap
 * bits with atomic ORs; with 1 the bitmap is written by one thread with plain stores.
 */
UGC_API int ugc_gc_set_mark_threads(ugc_gc *gc, uint32_t threads);
/* madvise(MADV_HUGEPAGE) on from-space, so dense 2 MiB blocks can move as one PMD. */
UGC_API int ugc_gc_advise_huge_pages(ugc_gc *gc);

/* At a heap safepoint: marks from the roots. Returns live bytes, or -EINVAL for a corrupt heap. */
UGC_API int64_t ugc_gc_mark(ugc_gc *gc);
/* At a heap safepoint, after mark: computes forwarding and the per-page plan. Returns the new top. */
UGC_API int64_t ugc_gc_plan(ugc_gc *gc);
/*
 * Concurrent marking (snapshot at the beginning), the calls in cycle order. Each
 * returns -EINVAL when called out of that order.
 *
 * At a heap safepoint with every TLAB retired: starts a cycle. Objects at or above
 * the top now are live without marking (black allocation). From here until
 * ugc_gc_remark every mutator must log, before it overwrites a reference slot or a
 * root slot (handle release, retarget), the reference the slot held.
 */
UGC_API int ugc_gc_mark_begin(ugc_gc *gc);
/*
 * Mutators running, after mark_begin: clears the bitmap and copies the values of the root
 * slots that existed at begin into the marker's queue. Once it returned, a mutator that
 * drops a root need not log it (only each slot's value at begin must reach the marker).
 * Returns the root slots copied. Called by mark_concurrent if not called before.
 */
UGC_API int64_t ugc_gc_mark_roots(ugc_gc *gc);
/*
 * Mutators running, on the calling thread and mark_threads-1 native threads it starts and
 * joins (a Java thread inside this downcall is safe: marking never touches a page
 * registered with the userfaultfd). Traces the roots' copy and what the barrier queued,
 * until the queue is empty. Returns objects marked so far, or -EINVAL for a corrupt heap.
 */
UGC_API int64_t ugc_gc_mark_concurrent(ugc_gc *gc);
/*
 * A mutator's buffer: n logged references at address refs (copied). Dropped if marking
 * is not active. -ENOMEM if the queue cannot grow (remark then fails the cycle).
 */
UGC_API int ugc_gc_satb_push(ugc_gc *gc, uint64_t refs, uint64_t n);
/* Logged references waiting for the marker. */
UGC_API int64_t ugc_gc_satb_pending(ugc_gc *gc);
/*
 * At a heap safepoint, after every mutator's buffer was pushed: finishes marking and
 * closes the queue. Returns the bytes marked (-ENOMEM if a push was lost).
 */
UGC_API int64_t ugc_gc_remark(ugc_gc *gc);
/*
 * Mutators running, after remark: the plan of the heap up to the remark top (objects
 * allocated since marking began are live). Returns the new top so far.
 */
UGC_API int64_t ugc_gc_plan_concurrent(ugc_gc *gc);
/*
 * Mutators running, after plan_concurrent and then a heap safepoint that retired every
 * TLAB (so the heap parses up to the top it published) and cleared the root cards
 * (ugc_heap.root_cards, which the flip then trusts): adds what was allocated from
 * remark to that top (live, slid after the rest), then each root's forwarding as the
 * root is now, into the heap's second root table (ugc_heap.roots_next), which the flip
 * completes for the slots written since (their cards) and swaps in (gc/roots.c). Optional:
 * without it the flip plans the whole tail and forwards every root. Returns the new top so far.
 */
UGC_API int64_t ugc_gc_plan_tail_ahead(ugc_gc *gc);
/*
 * At a heap safepoint with every TLAB retired, after plan_concurrent (and plan_tail_ahead):
 * adds what was allocated since (live, slid after the rest). Work proportional to that
 * tail. Returns the new top; ugc_gc_flip follows.
 */
UGC_API int64_t ugc_gc_plan_tail(ugc_gc *gc);
/* Gives up a concurrent cycle before its flip (any step); the engine is idle again. */
UGC_API void ugc_gc_mark_cancel(ugc_gc *gc);

/*
 * At a heap safepoint, after plan: forwards the roots (may swap ugc_heap.roots and
 * roots_next: the caller's handles then resolve through the new roots) and moves the used
 * heap to from-space. STW: compacts every page into the heap now (uffd unused). COPY/MOVE:
 * registers the heap range with uffd (MISSING) and opens the compaction window.
 * The caller then sets the heap's top to the new top and resumes the mutators.
 */
UGC_API int ugc_gc_flip(ugc_gc *gc, int mode, int uffd);
/*
 * One call per compactor thread for the whole window: claims runs of pages in
 * address order, compacts and installs them; returns (pages this call compacted)
 * when the cursor has passed the end, or when the abandon knob stops it. Pages it
 * could not install are left unclaimed for ugc_gc_finish.
 */
UGC_API int64_t ugc_gc_compact(ugc_gc *gc, uint32_t worker_index);
/* The fault service's resolver (ugc_resolver_fn); ctx is the ugc_gc. */
UGC_API int ugc_gc_resolve(void *ctx, int uffd, uint64_t fault_addr, uint64_t fault_flags,
                           ugc_worker *worker);
/* To-space pages of the window not claimed by anyone yet. */
UGC_API int64_t ugc_gc_pages_unclaimed(ugc_gc *gc);
/*
 * Ends the window. The one owner of leftover pages: compacts, on the calling thread,
 * every page still unclaimed (a compactor stopped early, an install failed), waits
 * for the pages others hold to be mapped, all within timeout_ms; then unregisters the
 * heap range (waking anyone waiting on free heap), waits for resolvers still running
 * and releases from-space. -ETIMEDOUT leaves the window open (call again).
 */
UGC_API int ugc_gc_finish(ugc_gc *gc, int64_t timeout_ms);
/*
 * Gives up an open window: unregisters, waits for running resolvers, releases
 * from-space. Only for a heap that is gone (closed under the collector): pages not
 * yet mapped are lost. Returns how many there were.
 */
UGC_API int64_t ugc_gc_abort(ugc_gc *gc);
/*
 * Live counters for a reader in another process (gc-core's counters file): from now on every
 * increment of counter `stat` (an index into UGC_GC_STATS) is also added to the uint64_t at
 * address `counter` with a relaxed atomic add, on whatever thread counts it (the fault path
 * included: no lock, no allocation). Unlike ugc_gc_stats it is never reset: it counts every
 * cycle. Counters that are set rather than counted (live_bytes, old_top, ...) never move
 * there. 0 unsets. The memory must stay mapped until it is unset or the engine is freed.
 * -EINVAL for an index out of range or an address not 8-byte aligned.
 */
UGC_API int ugc_gc_set_live_counter(ugc_gc *gc, uint32_t stat, uint64_t counter);
/* Copies the statistics of the current or last cycle. */
UGC_API void ugc_gc_stats_read(ugc_gc *gc, ugc_gc_stats *out);

#endif
