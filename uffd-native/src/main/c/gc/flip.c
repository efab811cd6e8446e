/*
 * gc/flip.c: the flip, the last step inside the pause. Forwards the roots, moves the
 * used heap to from-space with one mremap(MREMAP_DONTUNMAP) (O(page tables): the
 * heap and from-space are aligned alike, so whole page-table levels move), and
 * either compacts every page right here (STW) or registers the now empty heap range
 * with the userfaultfd and opens the compaction window (COPY, MOVE).
 */
#include <errno.h>
#include <signal.h>
#include <sys/mman.h>
#include <sched.h>
#include "pages.h"

/* Puts the heap's pages back after a failed flip, and from-space's reservation with them. */
static void undo_remap(ugc_gc *gc, uint64_t len)
{
	mremap((void *)(uintptr_t)gc->from, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)(uintptr_t)gc->base);
	ugc_mem_map_fixed(gc->from, len, UGC_PROT_NONE);
}

/*
 * O(handles), inside the pause. Each root's forwarding reads its bitmap word and chunk
 * offset at a random place (two cache misses, ~17 ns a root measured without the look-ahead:
 * 0.31-0.40 ms for 19.4k roots at 256 MiB), so the reads of the root FWD_AHEAD slots further
 * on are started first and their misses overlap.
 */
#define FWD_AHEAD 16

struct root_range {
	ugc_gc *gc;
	uint64_t from, to;
	pthread_t tid;
};

static void forward_range(ugc_gc *gc, uint64_t from, uint64_t to)
{
	uint32_t *roots = (uint32_t *)(uintptr_t)gc->heap->roots;
	for (uint64_t i = from; i < to; i++) {
		if (i + FWD_AHEAD < to) {
			uint32_t r = roots[i + FWD_AHEAD];
			__builtin_prefetch(&gc->bitmap[r >> 6]);
			__builtin_prefetch(&gc->chunk_offset[r >> 6]);
		}
		roots[i] = gc_fwd_ref(gc, roots[i]);
	}
}

static void *forward_range_main(void *arg)
{
	struct root_range *r = arg;
	forward_range(r->gc, r->from, r->to);
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
 * Inside the pause the mutators are stopped, so on a machine with a second CPU a helper
 * pthread (every signal blocked: it never sees the JVM's; it touches only the root table and
 * the side tables, none of them registered with the userfaultfd) forwards the upper half of
 * the roots while this thread does the lower half. Measured at 1 GiB (docs/engine.md): 75.9k
 * roots took 1.26-1.71 ms on one thread. If the thread cannot start, this one does it all.
 */
static void forward_roots(ugc_gc *gc)
{
	uint64_t n = gc->heap->nroots;
	if (n >= FWD_SPLIT_ROOTS && usable_cpus() >= 2) {
		struct root_range upper = { .gc = gc, .from = n / 2, .to = n };
		sigset_t all, old;
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		int rc = pthread_create(&upper.tid, NULL, forward_range_main, &upper);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (rc == 0) {
			forward_range(gc, 0, n / 2);
			pthread_join(upper.tid, NULL);
			return;
		}
	}
	forward_range(gc, 0, n);
}

/* STW: every page built straight into the heap; the dense prefix never left it. */
static int compact_in_pause(ugc_gc *gc)
{
	for (uint64_t p = 0; p < gc->dense_pages; p++) {
		uint64_t *page = (uint64_t *)(uintptr_t)(gc->base + p * PAGE_BYTES);
		gc_build_dense(gc, p, (p + 1) * PAGE_WORDS, page, page);
	}
	for (uint64_t p = gc->dense_pages; p < gc->end_pages; p++)
		gc_build_page(gc, p, (uint64_t *)(uintptr_t)(gc->base + p * PAGE_BYTES));
	gc->st.pages_direct = gc->end_pages;
	gc->st.pages_in_place = gc->dense_pages;
	int rc = gc_release_from_space(gc);
	gc->planned = false;
	return rc;
}

int ugc_gc_flip(ugc_gc *gc, int mode, int uffd)
{
	if (atomic_load(&gc->phase) != PHASE_IDLE || !gc->planned || gc->end_pages == 0)
		return -EINVAL;
	if (mode != UGC_MODE_STW && mode != UGC_MODE_COPY && mode != UGC_MODE_MOVE)
		return -EINVAL;
	if (mode != UGC_MODE_STW && uffd < 0)
		return -EBADF;
	/* STW: the dense prefix stays where it is (updated in place); only the rest moves out. */
	uint64_t keep = mode == UGC_MODE_STW ? gc->dense_pages * PAGE_BYTES : 0;
	uint64_t len = gc->old_pages * PAGE_BYTES;
	int rc = keep < len ? ugc_mem_remap_dontunmap(gc->base + keep, len - keep, gc->from + keep) : 0;
	if (rc < 0)
		return rc;
	if (mode != UGC_MODE_STW) {
		rc = ugc_uffd_register(uffd, gc->base, gc->capacity, UFFDIO_REGISTER_MODE_MISSING, NULL);
		if (rc < 0) {
			undo_remap(gc, len);
			return rc;
		}
	}
	gc->mode = mode;
	gc->uffd = uffd;
	atomic_store(&gc->cursor, 0);
	atomic_store(&gc->recycle_lo, 0);
	atomic_store(&gc->mapped, 0);
	atomic_store(&gc->wanted, 0);
	atomic_store(&gc->closing, 0);
	forward_roots(gc);
	if (mode == UGC_MODE_STW)
		return compact_in_pause(gc);
	/* Publishes the plan and the reset states to resolvers, which load phase first. */
	atomic_store(&gc->phase, PHASE_COMPACTING);
	return 0;
}
