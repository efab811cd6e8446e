/*
 * gc/pages.h: every per-page state of a compaction window, named in one place,
 * with one small function per transition (ART's PageState). Nothing else writes
 * to_state[] or from_state[].
 *
 * ---- To-space pages (to_state[p], p < end_pages) -------------------------------
 *
 *   TO_UNPROCESSED  nobody is building it; a mutator touching it faults
 *   TO_PROCESSING   claimed by exactly one thread (compactor, fault server or
 *                   finish), which builds and installs it
 *   TO_WANTED       claimed, and a fault waits for it: the claimer installs it
 *                   next, before the rest of its run (compact.c)
 *   TO_MAPPED       installed in the heap; final for this window
 *
 *   from            to              by                                  function
 *   (plan)          UNPROCESSED     the plan, for every page it plans   to_reset
 *                                   (concurrent plan: beside the mutators, no window open;
 *                                   the flip's tail: its own pages only)
 *   UNPROCESSED     PROCESSING      any worker, by CAS (one winner)     to_claim
 *   PROCESSING      WANTED          a fault that found it claimed, CAS  to_want
 *   PROCESSING/
 *     WANTED        MAPPED          the claimer, after its install      to_mapped
 *   PROCESSING/
 *     WANTED        UNPROCESSED     the claimer, install failed         to_unclaim
 *
 * The order of the values matters to nobody; a fault on a PROCESSING page marks it
 * WANTED and waits for MAPPED (fault.c) instead of building the page twice. Every
 * to_want counts in gc->wanted, which a claimer reads after each page it builds: a
 * change makes it look for WANTED pages in its run, so a fault waits for about one
 * page's work, not for a whole run of UGC_GC_MAX_RUN_PAGES.
 *
 * ---- From-space pages (from_state[f], f < old_pages) ---------------------------
 *
 * One int32 per page: a count while to-space pages still read it, then a state.
 *
 *   FROM_READ(n)  n > 0 to-space pages still copy data (or read a header) from it
 *   FROM_FREE     0: consumed, nobody reads it: MOVE may build a to-page in it
 *   FROM_TAKEN    a builder holds it as its destination, until moved or let go
 *   FROM_GONE     moved into the heap by MOVE: its address is a hole now (final)
 *
 *   from            to              by                                  function
 *   (plan)          READ(n) / FREE  plan, counting readers              (plan.c)
 *   READ(n)         READ(n-1)/FREE  a to-page that read it was mapped   from_read_done
 *   FREE            TAKEN           a MOVE builder, by CAS              from_take
 *   TAKEN           FREE            the builder did not use it, or
 *                                   its install did not move it         from_untake
 *   TAKEN           GONE            its page was moved into the heap    from_moved
 *   READ(1)         GONE            a dense page moved back in place    from_dense_moved
 *   READ(1)         FREE            a dense page copied from it         from_dense_copied
 *
 * A dense page (p < dense_pages) is the only reader of its own from-space page, so
 * that page goes READ(1) -> GONE or FREE in one step, by its installer; counting it
 * down again on top would push it below FROM_GONE, where it is never recyclable and
 * recycle_lo sticks under it for the rest of the window. The DCHECKs hold that.
 *
 * Memory order: from_state transitions are sequentially consistent atomics. A
 * to_mapped store (release, by the claimer) publishes its installed page to a
 * fault server that loads to_state (acquire) and then wakes the faulting thread.
 */
#ifndef UGC_GC_PAGES_H
#define UGC_GC_PAGES_H

#include <string.h>
#include "internal.h"

enum to_state { TO_UNPROCESSED = 0, TO_PROCESSING = 1, TO_MAPPED = 2, TO_WANTED = 3 };
enum from_state { FROM_FREE = 0, FROM_TAKEN = -1, FROM_GONE = -2 };

/* ---- to-space ---- */

/* Pages [p0, p1) start the next window unprocessed; only while no window is open (resolvers read phase first). */
static inline void to_reset(ugc_gc *gc, uint64_t p0, uint64_t p1)
{
	UGC_DCHECK(atomic_load(&gc->phase) == PHASE_IDLE, "to-space states reset while a window is open");
	if (p1 > p0)
		memset((void *)(gc->to_state + p0), TO_UNPROCESSED, p1 - p0);
}

static inline uint8_t to_load(const ugc_gc *gc, uint64_t p)
{
	UGC_DCHECK(p < gc->end_pages, "to-page beyond the compacted end");
	return atomic_load_explicit(&gc->to_state[p], memory_order_acquire);
}

/* UNPROCESSED -> PROCESSING; true for the one thread that wins the page. */
static inline bool to_claim(ugc_gc *gc, uint64_t p)
{
	uint8_t expected = TO_UNPROCESSED;
	return atomic_compare_exchange_strong(&gc->to_state[p], &expected, TO_PROCESSING);
}

static inline bool to_is_claimed(uint8_t s)
{
	return s == TO_PROCESSING || s == TO_WANTED;
}

/* PROCESSING -> WANTED, by a fault that waits for the page; true if this call marked it. */
static inline bool to_want(ugc_gc *gc, uint64_t p)
{
	uint8_t expected = TO_PROCESSING;
	if (!atomic_compare_exchange_strong(&gc->to_state[p], &expected, TO_WANTED))
		return false;
	atomic_fetch_add(&gc->wanted, 1);
	return true;
}

static inline bool to_is_wanted(const ugc_gc *gc, uint64_t p)
{
	return atomic_load_explicit(&gc->to_state[p], memory_order_relaxed) == TO_WANTED;
}

/* PROCESSING/WANTED -> MAPPED: releases the installed page to threads waiting in fault.c. */
static inline void to_mapped(ugc_gc *gc, uint64_t p)
{
	UGC_DCHECK(to_is_claimed(atomic_load(&gc->to_state[p])), "mapping a to-page nobody claimed");
	atomic_store_explicit(&gc->to_state[p], TO_MAPPED, memory_order_release);
}

/* PROCESSING/WANTED -> UNPROCESSED: the install failed; finish (or a fault) takes it again. */
static inline void to_unclaim(ugc_gc *gc, uint64_t p)
{
	UGC_DCHECK(to_is_claimed(atomic_load(&gc->to_state[p])), "unclaiming a to-page nobody claimed");
	atomic_store(&gc->to_state[p], TO_UNPROCESSED);
}

/* ---- from-space ---- */

/* READ(n) -> READ(n-1), FREE at the last reader. */
static inline void from_read_done(ugc_gc *gc, uint64_t f)
{
	int32_t old = atomic_fetch_sub(&gc->from_state[f], 1);
	UGC_DCHECK(old > 0, "from-page counted down past its last reader");
	(void)old;
}

static inline bool from_is_free(const ugc_gc *gc, uint64_t f)
{
	return atomic_load(&gc->from_state[f]) == FROM_FREE;
}

static inline bool from_is_gone(const ugc_gc *gc, uint64_t f)
{
	return atomic_load(&gc->from_state[f]) == FROM_GONE;
}

/* FREE -> TAKEN; true for the one builder that wins the page. */
static inline bool from_take(ugc_gc *gc, uint64_t f)
{
	int32_t expected = FROM_FREE;
	return atomic_compare_exchange_strong(&gc->from_state[f], &expected, FROM_TAKEN);
}

/* TAKEN -> FREE. */
static inline void from_untake(ugc_gc *gc, uint64_t f)
{
	UGC_DCHECK(atomic_load(&gc->from_state[f]) == FROM_TAKEN, "letting go of a from-page not taken");
	atomic_store(&gc->from_state[f], FROM_FREE);
}

/* TAKEN -> GONE. */
static inline void from_moved(ugc_gc *gc, uint64_t f)
{
	UGC_DCHECK(atomic_load(&gc->from_state[f]) == FROM_TAKEN, "a from-page moved that was not taken");
	atomic_store(&gc->from_state[f], FROM_GONE);
}

/* After a MOVE install of a taken page: GONE if it moved, else FREE again. */
static inline void from_release_taken(ugc_gc *gc, uint64_t f, bool moved)
{
	if (moved)
		from_moved(gc, f);
	else
		from_untake(gc, f);
}

/* READ(1) -> GONE: a dense page moved back into the heap with no copy. */
static inline void from_dense_moved(ugc_gc *gc, uint64_t f)
{
	UGC_DCHECK(f < gc->dense_pages && atomic_load(&gc->from_state[f]) == 1,
		   "a dense page's from-page must be read by that page alone");
	atomic_store(&gc->from_state[f], FROM_GONE);
}

/* READ(1) -> FREE: a dense page copied from its from-page (COPY, or MOVE's EBUSY fallback). */
static inline void from_dense_copied(ugc_gc *gc, uint64_t f)
{
	UGC_DCHECK(f < gc->dense_pages && atomic_load(&gc->from_state[f]) == 1,
		   "a dense page's from-page must be read by that page alone");
	atomic_store(&gc->from_state[f], FROM_FREE);
}

#endif
