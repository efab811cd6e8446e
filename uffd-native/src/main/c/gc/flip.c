/*
 * gc/flip.c: the flip, the last step inside the pause. Forwards the roots, moves the
 * used heap to from-space with one mremap(MREMAP_DONTUNMAP) (O(page tables): the
 * heap and from-space are aligned alike, so whole page-table levels move), and
 * either compacts every page right here (STW) or registers the now empty heap range
 * with the userfaultfd and opens the compaction window (COPY, MOVE).
 */
#include <errno.h>
#include <sys/mman.h>
#include "pages.h"

/* Puts the heap's pages back after a failed flip, and from-space's reservation with them. */
static void undo_remap(ugc_gc *gc, uint64_t len)
{
	mremap((void *)(uintptr_t)gc->from, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)(uintptr_t)gc->base);
	ugc_mem_map_fixed(gc->from, len, UGC_PROT_NONE);
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

static int flip(ugc_gc *gc, int mode, int uffd)
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
	uint64_t t0 = gc_now_ns();
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
	uint64_t t1 = gc_now_ns();
	gc->st.flip_remap_ns = t1 - t0;
	gc->mode = mode;
	gc->uffd = uffd;
	atomic_store(&gc->cursor, 0);
	atomic_store(&gc->recycle_lo, 0);
	atomic_store(&gc->mapped, 0);
	atomic_store(&gc->wanted, 0);
	atomic_store(&gc->closing, 0);
	gc_roots_forward(gc);
	gc->st.flip_roots_ns = gc_now_ns() - t1;
	if (mode == UGC_MODE_STW)
		return compact_in_pause(gc);
	/* Publishes the plan and the reset states to resolvers, which load phase first. */
	atomic_store(&gc->phase, PHASE_COMPACTING);
	return 0;
}

int ugc_gc_flip(ugc_gc *gc, int mode, int uffd)
{
	ugc_thread_cpu cpu0;
	bool cpu_read = ugc_thread_cpu_read(&cpu0) == 0;
	int rc = flip(gc, mode, uffd);
	if (cpu_read)
		gc_flip_cpu_add(gc, &cpu0);
	return rc;
}
