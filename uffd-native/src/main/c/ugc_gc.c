/*
 * ugc_gc.c: the engine's life cycle: create, the flip (the only pause of a
 * compaction), finish, statistics.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include "ugc_gc_internal.h"

#define GIB (1ULL << 30)
#define TWO_MIB (2ULL << 20)

/* The side tables, carved out of one MAP_NORESERVE reservation sized for the capacity. */
static int map_tables(ugc_gc *gc)
{
	uint64_t words = gc->capacity / UGC_WORD_BYTES, pages = gc->capacity / PAGE_BYTES;
	uint64_t sizes[] = {
		words / 8,                /* bitmap */
		words / 64 * 4,           /* chunk_offset */
		pages * 4, pages * 4, pages * 4, /* first_obj, from_lo, from_hi */
		pages * 4,                /* readers */
		pages,                    /* state */
		pages * 4, pages * 8,     /* id_start, id_hdr */
		pages,                    /* built */
	};
	uint64_t total = 0;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		total += (sizes[i] + PAGE_BYTES - 1) & ~(uint64_t)(PAGE_BYTES - 1);
	int64_t at = ugc_mem_reserve(total, PAGE_BYTES, UGC_PROT_READ | UGC_PROT_WRITE);
	if (at < 0)
		return (int)at;
	gc->tables_len = total;
	void *parts[sizeof(sizes) / sizeof(sizes[0])];
	uint64_t off = (uint64_t)at;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		parts[i] = (void *)(uintptr_t)off;
		off += (sizes[i] + PAGE_BYTES - 1) & ~(uint64_t)(PAGE_BYTES - 1);
	}
	gc->bitmap = parts[0];
	gc->chunk_offset = parts[1];
	gc->first_obj = parts[2];
	gc->from_lo = parts[3];
	gc->from_hi = parts[4];
	gc->readers = parts[5];
	gc->state = parts[6];
	gc->id_start = parts[7];
	gc->id_hdr = parts[8];
	gc->built = parts[9];
	return 0;
}

int ugc_gc_create(uint64_t heap, uint64_t first_object_offset, ugc_gc **out)
{
	ugc_heap *h = (ugc_heap *)(uintptr_t)heap;
	if (!h || !out || ugc_page_size() != PAGE_BYTES)
		return -EINVAL;
	if (h->base == 0 || h->base % PAGE_BYTES || h->capacity == 0 || h->capacity % PAGE_BYTES ||
	    h->capacity > UGC_MAX_HEAP_BYTES)
		return -EINVAL;
	if (first_object_offset < UGC_WORD_BYTES || first_object_offset >= PAGE_BYTES ||
	    first_object_offset % UGC_WORD_BYTES)
		return -EINVAL;
	ugc_gc *gc = calloc(1, sizeof(*gc));
	if (!gc)
		return -ENOMEM;
	gc->heap = h;
	gc->base = h->base;
	gc->capacity = h->capacity;
	gc->first_words = first_object_offset / UGC_WORD_BYTES;
	gc->run_pages = UGC_GC_MAX_RUN_PAGES;
	gc->dense_percent = UGC_GC_DEFAULT_DENSE_PERCENT;
	gc->uffd = -1;
	atomic_store(&gc->abandon_after, -1);
	/* Aligned like the heap, so the flip's mremap moves whole page-table levels. */
	uint64_t align = h->base % GIB == 0 ? GIB : h->base % TWO_MIB == 0 ? TWO_MIB : PAGE_BYTES;
	int64_t from = ugc_mem_reserve(h->capacity, align, UGC_PROT_NONE);
	if (from < 0) {
		free(gc);
		return (int)from;
	}
	gc->from = (uint64_t)from;
	int rc = map_tables(gc);
	if (rc < 0) {
		ugc_mem_unmap(gc->from, gc->capacity);
		free(gc);
		return rc;
	}
	*out = gc;
	return 0;
}

void ugc_gc_free(ugc_gc *gc)
{
	if (!gc)
		return;
	ugc_mem_unmap(gc->from, gc->capacity);
	ugc_mem_unmap((uint64_t)(uintptr_t)gc->bitmap, gc->tables_len);
	free(gc->layouts);
	free(gc);
}

int ugc_gc_set_run_pages(ugc_gc *gc, uint32_t pages)
{
	if (pages == 0 || pages > UGC_GC_MAX_RUN_PAGES || atomic_load(&gc->phase) != PHASE_IDLE)
		return -EINVAL;
	gc->run_pages = pages;
	return 0;
}

int ugc_gc_set_dense_percent(ugc_gc *gc, uint32_t percent)
{
	if (percent > 100 || atomic_load(&gc->phase) != PHASE_IDLE)
		return -EINVAL;
	gc->dense_percent = percent;
	return 0;
}

int ugc_gc_advise_huge_pages(ugc_gc *gc)
{
	return ugc_mem_advise(gc->from, gc->capacity, UGC_MADV_HUGEPAGE);
}

void ugc_gc_set_abandon_after(ugc_gc *gc, int64_t pages)
{
	atomic_store(&gc->abandon_after, pages);
}

/* Gives from-space back to the kernel and restores the empty reservation for the next cycle. */
static int release_from_space(ugc_gc *gc)
{
	if (gc->old_pages == 0)
		return 0;
	int rc = ugc_mem_map_fixed(gc->from, gc->old_pages * PAGE_BYTES, UGC_PROT_NONE);
	gc->old_pages = 0;
	return rc;
}

/* Puts the heap's pages back after a failed flip, and from-space's reservation with them. */
static void undo_remap(ugc_gc *gc, uint64_t len)
{
	mremap((void *)(uintptr_t)gc->from, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)(uintptr_t)gc->base);
	ugc_mem_map_fixed(gc->from, len, UGC_PROT_NONE);
}

int ugc_gc_flip(ugc_gc *gc, int mode, int uffd)
{
	if (atomic_load(&gc->phase) != PHASE_IDLE || gc->old_top_words == 0 || gc->end_pages == 0)
		return -EINVAL;
	if (mode != UGC_MODE_STW && mode != UGC_MODE_COPY && mode != UGC_MODE_MOVE)
		return -EINVAL;
	if (mode != UGC_MODE_STW && uffd < 0)
		return -EBADF;
	/* STW: the dense prefix stays where it is (updated in place below); only the rest moves out. */
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
	memset((void *)gc->state, PAGE_UNPROCESSED, gc->end_pages);
	atomic_store(&gc->cursor, 0);
	atomic_store(&gc->recycle_lo, 0);
	atomic_store(&gc->mapped, 0);
	atomic_store(&gc->closing, 0);

	uint32_t *roots = (uint32_t *)(uintptr_t)gc->heap->roots;
	for (uint64_t i = 0; i < gc->heap->nroots; i++)
		roots[i] = gc_fwd_ref(gc, roots[i]);

	if (mode == UGC_MODE_STW) {
		for (uint64_t p = 0; p < gc->dense_pages; p++) {
			uint64_t *page = (uint64_t *)(uintptr_t)(gc->base + p * PAGE_BYTES);
			gc_build_identity(gc, p, (p + 1) * PAGE_WORDS, page, page);
		}
		for (uint64_t p = gc->dense_pages; p < gc->end_pages; p++)
			gc_build_page(gc, p, (uint64_t *)(uintptr_t)(gc->base + p * PAGE_BYTES));
		gc->st.pages_direct = gc->end_pages;
		gc->st.pages_in_place = gc->dense_pages;
		return release_from_space(gc);
	}
	atomic_store(&gc->phase, PHASE_COMPACTING);
	return 0;
}

static uint64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static void pause_briefly(void)
{
	struct timespec t = { 0, 20000 };
	nanosleep(&t, NULL);
}

int ugc_gc_finish(ugc_gc *gc, int64_t timeout_ms)
{
	if (atomic_load(&gc->phase) == PHASE_COMPACTING) {
		uint64_t deadline = now_ms() + (uint64_t)(timeout_ms < 0 ? 0 : timeout_ms);
		while (atomic_load(&gc->mapped) < gc->end_pages) {
			if (now_ms() >= deadline)
				return -ETIMEDOUT;
			pause_briefly();
		}
		/* Unregistering wakes every thread still waiting on free heap: they retry
		 * and get ordinary anonymous pages from now on. A resolver serving free heap
		 * meanwhile sees its ioctl fail (ENOENT): closing tells it that is no error. */
		atomic_store(&gc->closing, 1);
		int rc = ugc_uffd_unregister(gc->uffd, gc->base, gc->capacity);
		if (rc < 0) {
			gc->st.errors++;
			gc->st.last_error = rc;
		}
		atomic_store(&gc->phase, PHASE_IDLE);
		while (atomic_load(&gc->inflight) > 0)
			pause_briefly(); /* a resolver may still be writing a recycled page */
	}
	return release_from_space(gc);
}

int64_t ugc_gc_abort(ugc_gc *gc)
{
	int64_t lost = 0;
	if (atomic_load(&gc->phase) == PHASE_COMPACTING) {
		lost = (int64_t)(gc->end_pages - atomic_load(&gc->mapped));
		ugc_uffd_unregister(gc->uffd, gc->base, gc->capacity); /* fails if the heap is unmapped: fine */
		atomic_store(&gc->phase, PHASE_IDLE);
		while (atomic_load(&gc->inflight) > 0)
			pause_briefly();
	}
	release_from_space(gc);
	return lost;
}

void ugc_gc_stats_read(ugc_gc *gc, ugc_gc_stats *out)
{
	const uint64_t *src = (const uint64_t *)&gc->st;
	uint64_t *dst = (uint64_t *)out;
	for (size_t i = 0; i < sizeof(*out) / sizeof(uint64_t); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}
