/*
 * gc/roots.c: the roots' forwarding. Each root's forwarding reads its bitmap word and
 * chunk offset at a random place (two cache misses: ~13-17 ns a root, ~1 ms for the 76k
 * roots of a 1 GiB heap), so when planning runs beside the mutators it is computed there,
 * right after the plan and the tail's (gc_roots_forward_ahead), and written into the heap's
 * second root table (heap->roots_next) slot by slot. The cards are cleared in the TAIL
 * pause, before this reads the slots, and from then to the flip every write to a root slot
 * (Java's HandleTable: a handle issued, retargeted or released) sets the slot's card first. In the flip pause only the slots of
 * dirty cards, and the slots handed out since, are forwarded from the live table into the
 * second; then the two swap (heap->roots <-> heap->roots_next). So the pause's work is the
 * slots written since the plan, not the table: no pass over every root, as the pairs this
 * replaced needed (0.55 ms for 301.7k roots at 4 GiB).
 *
 * Why the cards miss no write: they are cleared at a heap safepoint (the TAIL pause,
 * HeapInternals.clearRootCards), never beside the mutators. A slot written before it is
 * seen by this read (the safepoint orders them); a slot written after has its card set by
 * the time the flip pause looks (by its writer, who sets it only if it reads it clear: a
 * card read as set was set since the clear, HotSpot's conditional card marking, which
 * keeps two mutators from bouncing a card line that covers 2048 slots). This thread also
 * sets the card of a slot whose value it cannot forward yet.
 *
 * Why a forwarding stays right until the flip: the forwarding of a word below what is
 * planned (tail_planned_words) depends only on its bitmap word's bits below it and its
 * chunk offset, both final once planned (and the dense prefix, fixed by the concurrent
 * plan); the flip's tail plan (plan_tail.c) adds bits and sums at and above that word only,
 * and rewrites the chunk holding it with its own value. So they stay valid until the next
 * plan begins, and that is the one place they are dropped: every flip follows a plan, and
 * each plan (ugc_gc_plan, ugc_gc_plan_concurrent) forgets the ones of the plan before.
 */
#include <sched.h>
#include <signal.h>
#include <string.h>
#include "internal.h"

/* Roots whose value's bitmap word and chunk offset are fetched ahead of the one forwarded now. */
#define FWD_AHEAD 16

/* dst[i] = forwarding of src[i] for i in [from, to) (dst may be src); returns how many were not null. */
static uint64_t forward_range(ugc_gc *gc, const uint32_t *src, uint32_t *dst, uint64_t from, uint64_t to)
{
	uint64_t live = 0;
	for (uint64_t i = from; i < to; i++) {
		if (i + FWD_AHEAD < to) {
			uint32_t r = src[i + FWD_AHEAD];
			__builtin_prefetch(&gc->bitmap[r >> 6]);
			__builtin_prefetch(&gc->chunk_offset[r >> 6]);
		}
		uint32_t r = src[i];
		live += r != UGC_REF_NULL;
		dst[i] = gc_fwd_ref(gc, r);
	}
	return live;
}

void gc_roots_forward_ahead(ugc_gc *gc)
{
	gc->ahead_n = 0;
	if (!gc->heap->roots_next || !gc->heap->root_cards)
		return; /* one table: the flip forwards every root itself */
	/* Java raises nroots (under its lock) as it hands out fresh slots; later slots are the pause's. */
	uint64_t n = __atomic_load_n(&gc->heap->nroots, __ATOMIC_ACQUIRE);
	uint8_t *cards = (uint8_t *)(uintptr_t)gc->heap->root_cards;
	/* Mutators write slots as this reads them: an aligned 32-bit load sees the old or the new value whole. */
	const uint32_t *roots = (const uint32_t *)(uintptr_t)gc->heap->roots;
	uint32_t *next = (uint32_t *)(uintptr_t)gc->heap->roots_next;
	for (uint64_t i = 0; i < n; i++) {
		if (i + FWD_AHEAD < n) {
			uint32_t r = __atomic_load_n(&roots[i + FWD_AHEAD], __ATOMIC_RELAXED);
			__builtin_prefetch(&gc->bitmap[r >> 6]);
			__builtin_prefetch(&gc->chunk_offset[r >> 6]);
		}
		uint32_t r = __atomic_load_n(&roots[i], __ATOMIC_RELAXED);
		/* Every value a slot holds names a live object (marked, or allocated since and blackened
		 * by a plan); one above what is planned, or anything else, is left to the pause: its
		 * card is set, and the pause's forwarding checks it. */
		if (r == UGC_REF_NULL) {
			next[i] = UGC_REF_NULL;
		} else if (r < gc->tail_planned_words && gc_marked(gc, r)) {
			next[i] = (uint32_t)gc_fwd(gc, r);
		} else {
			next[i] = UGC_REF_NULL;
			__atomic_store_n(&cards[i >> UGC_ROOT_CARD_SHIFT], 1, __ATOMIC_RELAXED);
		}
	}
	gc->ahead_n = n;
}

void gc_roots_forget_ahead(ugc_gc *gc)
{
	gc->ahead_n = 0;
}

/*
 * In the pause: slots [0, n) of the dirty cards forwarded from roots into next (the others
 * were, beside the mutators); returns how many of them were not null.
 */
static uint64_t forward_dirty(ugc_gc *gc, const uint32_t *roots, uint32_t *next, uint64_t n)
{
	const uint8_t *cards = (const uint8_t *)(uintptr_t)gc->heap->root_cards;
	uint64_t live = 0;
	for (uint64_t c = 0; c < (n + UGC_ROOT_CARD_SLOTS - 1) >> UGC_ROOT_CARD_SHIFT; c++) {
		uint64_t from = c << UGC_ROOT_CARD_SHIFT, to = from + UGC_ROOT_CARD_SLOTS < n ? from + UGC_ROOT_CARD_SLOTS : n;
		if (cards[c])
			live += forward_range(gc, roots, next, from, to);
		else
			for (uint64_t i = from; i < to; i++)
				UGC_DCHECK(next[i] == gc_fwd_ref(gc, roots[i]), "a root written since its forwarding was computed left its card clean");
	}
	return live;
}

struct root_range {
	ugc_gc *gc;
	const uint32_t *src;
	uint32_t *dst;
	uint64_t from, to;
	uint64_t live;    /* out: the non-null roots among them */
};

static void *forward_range_main(void *arg)
{
	struct root_range *r = arg;
	r->live = forward_range(r->gc, r->src, r->dst, r->from, r->to);
	return NULL;
}

/*
 * Below this many roots one thread forwards them all: starting and joining a second costs
 * ~0.05-0.1 ms, what ~4k roots take (16-24 ns each).
 */
#define FWD_SPLIT_ROOTS 16384

/* CPUs this thread may run on (its affinity mask, so a pinned or cgroup-limited process counts right). */
static int usable_cpus(void)
{
	cpu_set_t set;
	return sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 1;
}

/*
 * Roots [from, n) with nothing computed ahead (a stop-the-world plan, or slots handed out
 * since). The mutators are stopped, so on a machine with a second CPU a helper pthread
 * (every signal blocked: it never sees the JVM's; it touches only the root table and the
 * side tables, none of them registered with the userfaultfd) forwards the upper half while
 * this thread does the lower. Measured at 1 GiB (docs/engine.md): 75.9k roots took
 * 1.26-1.71 ms on one thread. If the thread cannot start, this one does it all.
 */
static uint64_t forward_rest(ugc_gc *gc, const uint32_t *src, uint32_t *dst, uint64_t from, uint64_t n)
{
	if (n - from >= FWD_SPLIT_ROOTS && usable_cpus() >= 2) {
		struct root_range upper = { gc, src, dst, from + (n - from) / 2, n, 0 };
		pthread_t tid;
		sigset_t all, old;
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		int rc = pthread_create(&tid, NULL, forward_range_main, &upper);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (rc == 0) {
			uint64_t live = forward_range(gc, src, dst, from, upper.from);
			pthread_join(tid, NULL);
			return live + upper.live;
		}
	}
	return forward_range(gc, src, dst, from, n);
}

void gc_roots_forward(ugc_gc *gc)
{
	ugc_heap *h = gc->heap;
	uint64_t n = h->nroots, ahead = gc->ahead_n < n ? gc->ahead_n : n;
	uint32_t *roots = (uint32_t *)(uintptr_t)h->roots;
	gc->st.roots_ahead = ahead;
	if (!ahead) { /* nothing computed beside the mutators: every root forwarded in place */
		gc->st.roots_in_pause = forward_rest(gc, roots, roots, 0, n);
		return;
	}
	uint32_t *next = (uint32_t *)(uintptr_t)h->roots_next;
	gc->st.roots_in_pause = forward_dirty(gc, roots, next, ahead) + forward_rest(gc, roots, next, ahead, n);
	h->roots_next = h->roots; /* the old table, the next cycle's to write into */
	h->roots = (uint64_t)(uintptr_t)next;
	gc->ahead_n = 0;
}
