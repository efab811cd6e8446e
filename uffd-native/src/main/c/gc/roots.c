/*
 * gc/roots.c: the roots' forwarding. The root table is forwarded in the flip pause,
 * and each root's forwarding reads its bitmap word and chunk offset at a random place
 * (two cache misses: ~13-17 ns a root, ~1 ms for the 76k roots of a 1 GiB heap, most
 * of that pause). So when planning runs beside the mutators, the forwardings are
 * computed there, right after the plan and the tail's (gc_roots_forward_ahead), as pairs (the root's
 * value then, its new value); the pause only walks the table and the pairs in order
 * and applies each pair whose first half still equals the root. A root set, changed
 * or released since is forwarded in the pause itself, so no barrier is needed on the
 * mutators' handle paths: what the pause applies never depends on what they did.
 *
 * Why a pair stays right until the flip: the forwarding of a word below what is planned
 * (tail_planned_words) depends only on its bitmap word's bits below it and its chunk
 * offset, both final once planned (and the dense prefix, fixed by the concurrent plan);
 * the flip's tail plan (plan_tail.c) adds bits and sums at and above that word only, and
 * rewrites the chunk holding it with its own value. So pairs stay valid until the next plan
 * begins, and that is the one place they are dropped: every flip follows a plan, and each plan
 * (ugc_gc_plan, ugc_gc_plan_concurrent) forgets the pairs of the one before.
 */
#include <sched.h>
#include <signal.h>
#include <string.h>
#include "internal.h"

/* Roots whose value's bitmap word and chunk offset are fetched ahead of the one forwarded now. */
#define FWD_AHEAD 16

/* Forwards roots [from, to) in place; returns how many were not null. */
static uint64_t forward_range(ugc_gc *gc, uint64_t from, uint64_t to)
{
	uint32_t *roots = (uint32_t *)(uintptr_t)gc->heap->roots;
	uint64_t live = 0;
	for (uint64_t i = from; i < to; i++) {
		if (i + FWD_AHEAD < to) {
			uint32_t r = roots[i + FWD_AHEAD];
			__builtin_prefetch(&gc->bitmap[r >> 6]);
			__builtin_prefetch(&gc->chunk_offset[r >> 6]);
		}
		live += roots[i] != UGC_REF_NULL;
		roots[i] = gc_fwd_ref(gc, roots[i]);
	}
	return live;
}

void gc_roots_forward_ahead(ugc_gc *gc)
{
	gc->ahead_n = 0;
	/* Java raises nroots (under its lock) as it hands out fresh slots; later slots are the pause's. */
	uint64_t n = __atomic_load_n(&gc->heap->nroots, __ATOMIC_ACQUIRE);
	if (n > gc->ahead_cap) {
		uint64_t cap = n + n / 4;
		uint64_t *p = realloc(gc->ahead, cap * sizeof(*p));
		if (!p)
			return; /* the flip forwards every root itself: slower, never wrong */
		gc->ahead = p;
		gc->ahead_cap = cap;
	}
	/* Mutators write slots as this reads them: an aligned 32-bit load sees the old or the new value whole. */
	const uint32_t *roots = (const uint32_t *)(uintptr_t)gc->heap->roots;
	for (uint64_t i = 0; i < n; i++) {
		if (i + FWD_AHEAD < n) {
			uint32_t r = __atomic_load_n(&roots[i + FWD_AHEAD], __ATOMIC_RELAXED);
			__builtin_prefetch(&gc->bitmap[r >> 6]);
			__builtin_prefetch(&gc->chunk_offset[r >> 6]);
		}
		uint32_t r = __atomic_load_n(&roots[i], __ATOMIC_RELAXED);
		/* Every value a slot holds names a live object (marked, or allocated since and blackened
		 * by a plan); one above what is planned, or anything else, is left to the pause, whose
		 * forwarding checks it. A pair (0, 0) matches only a null root, whose forwarding is null. */
		gc->ahead[i] = r != UGC_REF_NULL && r < gc->tail_planned_words && gc_marked(gc, r)
				       ? (uint64_t)r << 32 | (uint32_t)gc_fwd(gc, r)
				       : 0;
	}
	gc->ahead_n = n;
}

void gc_roots_forget_ahead(ugc_gc *gc)
{
	gc->ahead_n = 0;
}

/* Applies the pairs to roots [0, n); returns how many non-null roots had changed (forwarded here). */
static uint64_t apply_ahead(ugc_gc *gc, uint64_t n)
{
	uint32_t *roots = (uint32_t *)(uintptr_t)gc->heap->roots;
	const uint64_t *ahead = gc->ahead;
	uint64_t changed = 0;
	for (uint64_t i = 0; i < n; i++) {
		uint32_t r = roots[i];
		uint64_t pair = ahead[i];
		if ((uint32_t)(pair >> 32) == r) {
			UGC_DCHECK((uint32_t)pair == gc_fwd_ref(gc, r), "a root's forwarding computed ahead went stale");
			roots[i] = (uint32_t)pair;
		} else {
			roots[i] = gc_fwd_ref(gc, r);
			changed += r != UGC_REF_NULL;
		}
	}
	return changed;
}

struct root_range {
	ugc_gc *gc;
	uint64_t from, to;
	uint64_t live;    /* out: the non-null roots among them */
};

static void *forward_range_main(void *arg)
{
	struct root_range *r = arg;
	r->live = forward_range(r->gc, r->from, r->to);
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
static uint64_t forward_rest(ugc_gc *gc, uint64_t from, uint64_t n)
{
	if (n - from >= FWD_SPLIT_ROOTS && usable_cpus() >= 2) {
		struct root_range upper = { gc, from + (n - from) / 2, n, 0 };
		pthread_t tid;
		sigset_t all, old;
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		int rc = pthread_create(&tid, NULL, forward_range_main, &upper);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (rc == 0) {
			uint64_t live = forward_range(gc, from, upper.from);
			pthread_join(tid, NULL);
			return live + upper.live;
		}
	}
	return forward_range(gc, from, n);
}

void gc_roots_forward(ugc_gc *gc)
{
	uint64_t n = gc->heap->nroots, ahead = gc->ahead_n < n ? gc->ahead_n : n;
	uint64_t changed = ahead ? apply_ahead(gc, ahead) : 0;
	gc->st.roots_ahead = ahead;
	gc->st.roots_in_pause = changed + forward_rest(gc, ahead, n);
}
