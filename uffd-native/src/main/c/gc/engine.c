/*
 * gc/engine.c: the engine's life: create and free, settings between cycles,
 * statistics.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "marker.h"

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
		pages * 4,                /* from_state */
		pages,                    /* to_state */
		pages * 4, pages * 8,     /* dense_start, dense_hdr */
		pages,                    /* dense_built */
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
	gc->from_state = parts[5];
	gc->to_state = parts[6];
	gc->dense_start = parts[7];
	gc->dense_hdr = parts[8];
	gc->dense_built = parts[9];
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
	gc->copy_single_pages = true;
	gc->mark_threads = 1;
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
	if (rc == 0 && (rc = gc_satb_init(gc)) < 0)
		ugc_mem_unmap((uint64_t)(uintptr_t)gc->bitmap, gc->tables_len);
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
	gc_satb_destroy(gc);
	free(gc);
}

int ugc_gc_set_run_pages(ugc_gc *gc, uint32_t pages)
{
	if (pages == 0 || pages > UGC_GC_MAX_RUN_PAGES || atomic_load(&gc->phase) != PHASE_IDLE)
		return -EINVAL;
	gc->run_pages = pages;
	return 0;
}

int ugc_gc_set_copy_single_pages(ugc_gc *gc, uint32_t on)
{
	if (on > 1 || atomic_load(&gc->phase) != PHASE_IDLE)
		return -EINVAL;
	gc->copy_single_pages = on == 1;
	return 0;
}

int ugc_gc_set_mark_threads(ugc_gc *gc, uint32_t threads)
{
	if (threads == 0 || threads > MARK_MAX_THREADS || atomic_load(&gc->phase) != PHASE_IDLE ||
	    gc->mark_step != MARK_IDLE)
		return -EINVAL;
	gc->mark_threads = threads;
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

void ugc_gc_set_build_delay(ugc_gc *gc, uint64_t ns, int64_t pages)
{
	atomic_store(&gc->build_delay_ns, ns);
	atomic_store(&gc->build_delay_pages, pages);
}

void ugc_gc_stats_read(ugc_gc *gc, ugc_gc_stats *out)
{
	const uint64_t *src = (const uint64_t *)&gc->st;
	uint64_t *dst = (uint64_t *)out;
	for (size_t i = 0; i < sizeof(*out) / sizeof(uint64_t); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}

int ugc_gc_set_live_counter(ugc_gc *gc, uint32_t stat, uint64_t counter)
{
	if (stat >= GC_STAT_COUNT || counter % sizeof(uint64_t))
		return -EINVAL;
	__atomic_store_n(&gc->live[stat], (uint64_t *)(uintptr_t)counter, __ATOMIC_RELAXED);
	return 0;
}

static const char *const stat_names[] = {
#define UGC_GC_STAT_NAME(name, description) #name,
	UGC_GC_STATS(UGC_GC_STAT_NAME)
#undef UGC_GC_STAT_NAME
};

uint32_t ugc_gc_stat_count(void)
{
	return (uint32_t)(sizeof(stat_names) / sizeof(stat_names[0]));
}

const char *ugc_gc_stat_name(uint32_t i)
{
	return i < ugc_gc_stat_count() ? stat_names[i] : NULL;
}
