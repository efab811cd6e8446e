/*
 * gc/internal.h: the engine's state, shared by the files of gc/ only (not part of
 * the Java contract; uffdgc.h does not include it).
 *
 * The files follow one cycle (ugc_gc.h has the calls in order):
 *   mark.c     the tracing loop (marker.h); stop-the-world marking: live-words bitmap from the roots
 *   mark_parallel.c  N marking threads sharing the work of one trace
 *   mark_concurrent.c  marking beside the mutators (snapshot at the beginning): begin, trace, remark
 *   satb.c     the queue the mutators' write barrier fills with overwritten references while marking
 *   plan.c     forwarding (chunk prefix sums), first object per page, readers per from-page, dense prefix;
 *              objects allocated during marking made live (black allocation)
 *   plan_tail.c  objects allocated after remark: most planned beside the mutators, the rest in the flip
 *   roots.c    the roots' forwarding: computed beside the mutators, applied in the flip pause
 *   flip.c     roots forwarded, the used heap mremapped to from-space, the window opened
 *   compact.c  compactor threads: claiming runs of to-space pages and compacting them
 *   fault.c    a mutator's fault: its page compacted first (or free heap zeroed)
 *   build.c    the page routine: one to-space page built from from-space, references forwarded
 *   dense.c    dense-prefix pages: updated in place and moved back with no copy
 *   recycle.c  MOVE's destinations: consumed from-space pages handed out to builders
 *   install.c  the ioctls that install built pages, with EBUSY/EAGAIN/ENOMEM handling
 *   finish.c   leftover pages, unregistering, releasing from-space; abort
 *   engine.c   create/free, settings, statistics
 *   objects.c  reading objects: header decoding, bitmap scans
 * pages.h names every per-page state and its transitions.
 */
#ifndef UGC_GC_INTERNAL_H
#define UGC_GC_INTERNAL_H

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include "../uffdgc.h"
#include "../ugc_dcheck.h"
#include "../ugc_testing.h"

#define PAGE_WORDS 512u            /* 4 KiB pages of 8-byte words */
#define PAGE_BYTES 4096u
#define HUGE_PAGES 512u            /* 4 KiB pages in a 2 MiB PMD */
#define NONE32 UINT32_MAX

/* Number of counters in UGC_GC_STATS (one "+1" per entry). */
#define GC_STAT_ONE(name, description) +1
enum { GC_STAT_COUNT = 0 UGC_GC_STATS(GC_STAT_ONE) };
#undef GC_STAT_ONE

/* Engine phase, read by resolvers (fault.c) to tell a live window from a stale message. */
enum { PHASE_IDLE = 0, PHASE_COMPACTING = 1 };

/*
 * Where a concurrent cycle stands (mark_concurrent.c, plan.c, plan_tail.c). The
 * stop-the-world path (ugc_gc_mark, ugc_gc_plan) never leaves MARK_IDLE.
 *   MARK_IDLE    --mark_begin-->   MARK_ACTIVE   (heap safepoint: the barrier turns on)
 *   MARK_ACTIVE  --remark-->       MARK_DONE     (heap safepoint: the barrier turns off)
 *   MARK_DONE    --plan_concurrent--> MARK_PLANNED
 *   MARK_PLANNED --plan_tail_ahead--> MARK_PLANNED (after a TAIL pause: the tail so far, roots ahead)
 *   MARK_PLANNED --plan_tail-->    MARK_IDLE     (heap safepoint; planned is set, flip may follow)
 *   any          --mark_cancel-->  MARK_IDLE     (a cycle given up)
 */
enum { MARK_IDLE = 0, MARK_ACTIVE = 1, MARK_DONE = 2, MARK_PLANNED = 3 };

/*
 * The references the mutators' write barrier logged (satb.c), and the root table's
 * values copied at the start of marking. Mutators append whole buffers under lock; a
 * marker thread swaps the array out and traces it. Not on the fault path, so a mutex
 * and malloc are fine here.
 */
typedef struct satb_queue {
	pthread_mutex_t lock;
	uint32_t *refs;        /* refs[0, len) wait for the marker */
	uint64_t len, cap;
	bool open;             /* accepting: MARK_ACTIVE; a push while closed is dropped (counted) */
	bool failed;           /* a push could not grow the queue: this cycle's marking is incomplete */
} satb_queue;

/* What the page routine needs of one object's header (gc_describe). */
typedef struct obj_info {
	uint64_t size;   /* words, header included */
	uint64_t nrefs;  /* ugc_ref slots starting at byte 8 */
} obj_info;

struct ugc_gc {
	ugc_heap *heap;
	uint64_t base, capacity, from;      /* heap range, from-space reservation (same size) */
	uint64_t first_words;               /* the heap's header words before its first object */
	uint32_t dense_percent;             /* a page this live (percent, 0 = off) may stay in place */

	/* Side tables, reserved for the whole capacity at create (MAP_NORESERVE). */
	uint64_t *bitmap;                   /* live words, 1 bit per word */
	uint32_t *chunk_offset;             /* live words before each 64-word chunk */
	uint32_t *first_obj;                /* per to-page: old word of the object overlapping its start */
	uint32_t *from_lo, *from_hi;        /* per to-page: old words of the first/last data it copies */
	_Atomic int32_t *from_state;        /* per from-page: a from_state (pages.h) */
	_Atomic uint8_t *to_state;          /* per to-page: a to_state (pages.h) */
	uint32_t *dense_start;              /* per dense page: old word of the live object overlapping its start */
	uint64_t *dense_hdr;                /*   and that object's header (0: none), read before its page moves away */
	_Atomic uint8_t *dense_built;       /* per dense page: updated in place already (never twice) */
	uint64_t tables_len;
	ugc_layout *layouts;                /* snapshot taken at mark: Java may grow its table meanwhile */
	uint64_t nlayouts;

	/* The cycle's plan. */
	uint64_t old_top_words, new_top_words;
	uint64_t old_pages;                 /* from-space pages: page_align(old_top) */
	uint64_t end_pages;                 /* to-space pages holding compacted data */
	/*
	 * The dense prefix [0, dense_words): objects there do not move (the heap's header
	 * words and the pages each at least dense_percent live), so forwarding is the
	 * identity below dense_words. Pages below dense_pages lie wholly inside it and are
	 * updated in place (dense.c); page dense_pages may be a mixed page (dense data up
	 * to dense_words, then packed data), built like any other.
	 */
	uint64_t dense_words;
	uint64_t dense_pages;
	bool planned;                       /* forwarding is valid: set by plan, cleared by finish and abort */
	int mode, uffd;
	uint32_t run_pages;
	bool copy_single_pages;             /* MOVE mode: lone pages by COPY (compact.c, run_move) */

	_Atomic int phase;
	_Atomic uint64_t cursor;            /* next to-page the compactors look at */
	_Atomic uint64_t recycle_lo;        /* from-pages below are all FROM_GONE */
	_Atomic uint64_t mapped;            /* to-pages mapped so far */
	_Atomic uint64_t wanted;            /* to-pages a fault marked TO_WANTED so far: claimers poll it per page */
	_Atomic int64_t inflight;           /* resolvers running now */
	_Atomic int closing;                /* finish is unregistering: free-heap installs may fail, harmlessly */
	_Atomic int64_t abandon_after;
	_Atomic uint64_t build_delay_ns;    /* test knob: compactors sleep this long before each page... */
	_Atomic int64_t build_delay_pages;  /* ...of the next this many */

	/* Concurrent marking: written by the calls of mark_concurrent.c, at and between heap safepoints. */
	int mark_step;                      /* MARK_* above */
	uint64_t mark_top_words;            /* top at mark begin: objects at or above it are live (black) */
	uint64_t remark_top_words;          /* top at remark: objects above it are the tail (plan_tail.c) */
	uint64_t tail_planned_words;        /* [0, this) is planned: the next tail step starts here */
	uint64_t mark_roots;                /* root slots that existed at mark begin (later ones name live objects) */
	bool bitmap_cleared;                /* [0, mark_top_words) cleared for this cycle */
	bool roots_scanned;                 /* the root table's values were copied into the queue */
	uint64_t marked_objects, marked_words;  /* what this cycle's marking found so far */
	uint32_t mark_threads;              /* threads a concurrent or stop-the-world trace uses (remark: one) */
	uint64_t plan_counted_pages;        /* to-pages whose from-space readers are counted (the last may grow) */
	uint64_t ahead_n;                   /* root slots whose forwarding is in heap->roots_next (0: none; the flip forwards every root) */
	satb_queue satb;

	ugc_gc_stats st;                    /* updated with __atomic builtins on the fault path */
	/*
	 * Live counters (ugc_gc_set_live_counter): live[i], if not NULL, also gets every STAT_ADD
	 * of counter i, for the whole process lifetime (never reset per cycle). Set between cycles
	 * by Java, read with a relaxed load on the fault path: a store seen late only loses counts.
	 */
	uint64_t *live[GC_STAT_COUNT];
};

/* A thread doing compaction work: a compactor, a fault server, or finish. */
typedef struct gc_worker {
	uint64_t buf;          /* private pages to build runs in (COPY scratch, MOVE fresh memory) */
	uint64_t buf_pages;
	ugc_counters *ctr;
	bool by_fault;         /* pages are counted as fault-driven */
	bool no_destination;   /* a fault without pages of its own found no recycled one: it waits, no error */
} gc_worker;

/* Adds n to this cycle's counter and to its live counter, if one is set: relaxed atomics, no lock. */
#define STAT_ADD(gc, field, n) \
	gc_stat_add(&(gc)->st.field, &(gc)->live[offsetof(ugc_gc_stats, field) / sizeof(uint64_t)], (n))

static inline void gc_stat_add(uint64_t *cycle, uint64_t *const *live, uint64_t n)
{
	__atomic_fetch_add(cycle, n, __ATOMIC_RELAXED);
	/* Pairs with the relaxed store of ugc_gc_set_live_counter; the counter's reader is another process. */
	uint64_t *l = __atomic_load_n(live, __ATOMIC_RELAXED);
	if (l)
		__atomic_fetch_add(l, n, __ATOMIC_RELAXED);
}

static inline void gc_note_error(ugc_gc *gc, int rc)
{
	__atomic_store_n(&gc->st.last_error, rc, __ATOMIC_RELAXED);
}

/*
 * New word of old word w. chunk_offset already holds dense_words plus the live words
 * between dense_words and the chunk (minus, in the chunk holding dense_words, the
 * live bits below it), so one formula serves every chunk past the dense prefix.
 */
static inline uint64_t gc_fwd(const ugc_gc *gc, uint64_t w)
{
	/* (After a concurrent plan, before its tail: the words below the remark top are planned.) */
	UGC_DCHECK(gc->planned || gc->mark_step == MARK_PLANNED, "forwarding only between plan and finish");
	UGC_DCHECK(w < gc->old_top_words, "forwarding a word beyond the old top");
	if (w < gc->dense_words)
		return w;
	uint64_t bits = gc->bitmap[w >> 6] & ((1ULL << (w & 63)) - 1);
	return gc->chunk_offset[w >> 6] + (uint64_t)__builtin_popcountll(bits);
}

static inline bool gc_marked(const ugc_gc *gc, uint64_t w)
{
	return (gc->bitmap[w >> 6] >> (w & 63)) & 1;
}

static inline uint32_t gc_fwd_ref(const ugc_gc *gc, uint32_t r)
{
	if (r == UGC_REF_NULL)
		return r;
	/* A live object's reference names a live object: an unmarked one here was lost by marking (a barrier hole). */
	UGC_DCHECK(r < gc->old_top_words && gc_marked(gc, r), "forwarding a reference to an object marking did not find");
	return (uint32_t)gc_fwd(gc, r);
}


/* CLOCK_MONOTONIC in ns (Java's System.nanoTime clock): the engine's own phase timings. */
static inline uint64_t gc_now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/*
 * Adds the calling thread's CPU time since *since to the flip's counters (the pause's
 * parts measure themselves in C: a Java reading around them, cold code in a pause that
 * runs once a cycle, cost 0.03-0.2 ms of it). ~1.3 us per reading.
 */
static inline void gc_flip_cpu_add(ugc_gc *gc, const ugc_thread_cpu *since)
{
	ugc_thread_cpu now;
	if (ugc_thread_cpu_read(&now) != 0)
		return;
	/* Each part is the clock's total split in getrusage's ratio, so one may step back a few
	 * ns while the total grows: clamped at zero, as CpuTime.minus does in Java. */
	gc->st.flip_user_ns += now.user_ns > since->user_ns ? now.user_ns - since->user_ns : 0;
	gc->st.flip_system_ns += now.sys_ns > since->sys_ns ? now.sys_ns - since->sys_ns : 0;
}

static inline uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

/*
 * Sets the bits of words [from, from + n). Most objects are 2..16 words and fit
 * in one bitmap word: one OR; longer ones take the loop.
 */
static inline void gc_set_bits(uint64_t *bm, uint64_t from, uint64_t n)
{
	uint64_t bit = from & 63;
	if (bit + n <= 64) {
		bm[from >> 6] |= (n == 64 ? ~0ULL : (1ULL << n) - 1) << bit;
		return;
	}
	uint64_t end = from + n;
	while (from < end) {
		bit = from & 63;
		uint64_t take = 64 - bit;
		if (take > end - from)
			take = end - from;
		uint64_t mask = take == 64 ? ~0ULL : ((1ULL << take) - 1) << bit;
		bm[from >> 6] |= mask;
		from += take;
	}
}

/*
 * Grows the array *refs of capacity *cap so it holds need references: doubling from first
 * (the grey stack, the barrier's queue). 0, or -ENOMEM with *refs and *cap as they were.
 */
static inline int gc_grow_refs(uint32_t **refs, uint64_t *cap, uint64_t need, uint64_t first)
{
	if (need <= *cap)
		return 0;
	uint64_t c = *cap ? *cap : first;
	while (c < need)
		c *= 2;
	uint32_t *grown = realloc(*refs, c * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	*refs = grown;
	*cap = c;
	return 0;
}

/* gc_set_bits for a bitmap other threads set bits in too: every word with an atomic OR. */
static inline void gc_set_bits_atomic(uint64_t *bm, uint64_t from, uint64_t n)
{
	for (uint64_t end = from + n; from < end;) {
		uint64_t bit = from & 63, take = 64 - bit;
		if (take > end - from)
			take = end - from;
		__atomic_fetch_or(&bm[from >> 6], (take == 64 ? ~0ULL : ((1ULL << take) - 1)) << bit, __ATOMIC_RELAXED);
		from += take;
	}
}

/* Clears the bits of words [from, to), leaving the bits around them as they are. */
static inline void gc_clear_bits(uint64_t *bm, uint64_t from, uint64_t to)
{
	while (from < to && (from & 63)) {
		bm[from >> 6] &= ~(1ULL << (from & 63));
		from++;
	}
	uint64_t whole = (to - from) / 64;
	for (uint64_t i = 0; i < whole; i++)
		bm[(from >> 6) + i] = 0;
	for (from += whole * 64; from < to; from++)
		bm[from >> 6] &= ~(1ULL << (from & 63));
}

/* ---- objects.c ---- */
/* First set bit at or after w, below end; end if none. */
uint64_t gc_next_live(const ugc_gc *gc, uint64_t w, uint64_t end);
/* Decodes a header word; -EINVAL if it is not a valid object header of this heap. */
int gc_describe(const ugc_gc *gc, uint64_t hdr, obj_info *o);

/* ---- mark.c ---- */
/* Copies Java's layout table: mutators may add layouts during the cycle. */
int gc_snapshot_layouts(ugc_gc *gc);
/* Heap safepoint, first step of any cycle: checks the heap, snapshots layouts, resets statistics. */
int gc_cycle_begin(ugc_gc *gc);

/* ---- satb.c ---- */
int gc_satb_init(ugc_gc *gc);
void gc_satb_destroy(ugc_gc *gc);
/* Opens (marking begins) or closes (remark, cancel) the queue; closing empties it. */
void gc_satb_set_open(ugc_gc *gc, bool open);
/*
 * Swaps the queued references out: *refs and *cap hand the caller's (empty) array in and
 * get the queue's back; returns how many it holds.
 */
uint64_t gc_satb_take(ugc_gc *gc, uint32_t **refs, uint64_t *cap);
/* True if a push of this cycle was lost (out of memory). */
bool gc_satb_failed(ugc_gc *gc);
/* Appends the values of root slots [0, n) to the queue (read one by one: mutators may be writing them). */
int gc_satb_push_roots(ugc_gc *gc, const uint32_t *roots, uint64_t n);

/* ---- roots.c ---- */
/* Forwardings written into heap->roots_next beside the mutators after the tail's concurrent plan (ugc_gc_plan_tail_ahead)... */
void gc_roots_forward_ahead(ugc_gc *gc);
/* ...dropped when a plan begins (they belong to the plan that computed them)... */
void gc_roots_forget_ahead(ugc_gc *gc);
/* ...and, in the flip pause, completed for the slots written since and swapped in; without them every root is forwarded there. */
void gc_roots_forward(ugc_gc *gc);

/* ---- plan.c ---- */
/*
 * Makes every object in [from, to) live (black allocation): clears the bits there,
 * then sets the bits of each object but fillers. Counts them as live. The range
 * must parse (TLABs retired at the safepoint that fixed to). Calls note (if not
 * NULL) for each, in address order, with its start and size.
 */
void gc_blacken(ugc_gc *gc, uint64_t from, uint64_t to, void (*note)(ugc_gc *, uint64_t, uint64_t, void *),
		void *ctx);
/* Records, for each to-page the object [n, n+size) (old start w) overlaps, what it copies. */
void gc_note_object(ugc_gc *gc, uint64_t w, uint64_t n, uint64_t size);
/* Counts from-space readers of to-pages [p0, p1). */
void gc_count_readers(ugc_gc *gc, uint64_t p0, uint64_t p1);

/* ---- build.c ---- */
/* Builds to-space page p into dst (one page). */
void gc_build_page(ugc_gc *gc, uint64_t p, uint64_t *dst);
/*
 * Builds the dense part [ts, e) of page p (e <= dense_words) into dst, whose first
 * word is word ts: copies it from src unless src == dst (in place), forwards the
 * references of its live objects, overwrites dead gaps with fillers.
 */
void gc_build_dense(ugc_gc *gc, uint64_t p, uint64_t e, uint64_t *dst, const uint64_t *src);

/* ---- install.c ---- */
/* Which of the (at most 64) pages of one install ended mapped, and which were moved. */
typedef struct gc_installed {
	uint64_t ok;     /* bit i: page i is mapped now */
	uint64_t moved;  /* bit i: page i's source was moved away (MOVE) */
} gc_installed;
_Static_assert(UGC_GC_MAX_RUN_PAGES <= 64, "a run's pages are tracked in 64-bit masks (gc_installed)");
/* bits(from, n): the mask of bits [from, from+n). */
static inline uint64_t gc_bits(uint64_t from, uint64_t n)
{
	uint64_t m = n >= 64 ? ~0ULL : (1ULL << n) - 1;
	return from >= 64 ? 0 : m << from;
}
/* Installs n (<= 64) built pages from src at to-page dst (bytes); see install.c. */
gc_installed gc_install(ugc_gc *gc, gc_worker *wk, uint64_t dst, uint64_t src, uint64_t n, bool move);

/* ---- recycle.c ---- */
/* Takes up to want contiguous FROM_FREE pages (scanning at most scan); see recycle.c. */
uint64_t gc_take_recycled(ugc_gc *gc, uint64_t want, uint64_t scan, uint64_t *first);

/* ---- compact.c ---- */
/* Claims up to max contiguous TO_UNPROCESSED pages from p; stops at the first one held by someone else. */
uint64_t gc_claim_run(ugc_gc *gc, uint64_t p, uint64_t max);
/* Compacts claimed pages [p, p+n) in the engine's mode; returns how many ended mapped. */
uint64_t gc_compact_run(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t n, uint64_t scan);
/* After an install: mapped pages are done, the others are unclaimed for a retry. Returns how many were mapped. */
uint64_t gc_end_claims(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t n, uint64_t ok);
/* Claims and compacts [p, e) in runs of at most run pages; false when the budget (<0: none) ran out. */
bool gc_compact_range(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t e, uint64_t run, int64_t *budget,
		      int64_t *total);
/* Adds one worker's ioctl counters to the engine's. */
void gc_add_counters(ugc_gc *gc, const ugc_counters *c);

/* ---- dense.c ---- */
/* Builds and installs claimed dense pages [p, p+n) (all below dense_pages). */
uint64_t gc_compact_dense(ugc_gc *gc, gc_worker *wk, uint64_t p, uint64_t n);

/* ---- finish.c ---- */
/* Gives from-space back to the kernel and restores the empty reservation for the next cycle. */
int gc_release_from_space(ugc_gc *gc);

#endif
