/*
 * ugc_gc.h: the collector engine (mark, plan, flip, concurrent compaction).
 *
 * Java (gc-core) decides when and in which mode to collect and drives the steps
 * below; C does every step a faulting mutator may wait on. One cycle:
 *   ugc_gc_mark   (heap safepoint)  live-words bitmap from the root table
 *   ugc_gc_plan   (heap safepoint)  per-chunk offsets, first object per page
 *   ugc_gc_flip   (heap safepoint)  forward roots, mremap the used heap to
 *                                   from-space, register it with the uffd
 *   ugc_gc_compact (one downcall per compactor thread, mutators running) and
 *   ugc_gc_resolve (the fault service's resolver) compact pages, each claimed once
 *   ugc_gc_finish                   unregister, release from-space
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

typedef struct ugc_gc ugc_gc;

typedef struct ugc_gc_stats {
	uint64_t live_bytes;
	uint64_t live_objects;
	uint64_t old_top;           /* heap top before the cycle (bytes from base) */
	uint64_t new_top;           /* heap top after compaction */
	uint64_t pages_total;       /* to-space pages holding compacted data */
	uint64_t pages_by_compactors;
	uint64_t pages_by_faults;
	uint64_t pages_moved;       /* installed with UFFDIO_MOVE */
	uint64_t pages_copied;      /* installed with UFFDIO_COPY */
	uint64_t pages_zeroed;      /* free heap served with a zero page */
	uint64_t pages_in_place;    /* dense pages updated in place and moved without a copy */
	uint64_t move_runs;         /* MOVE ioctls that installed a run of pages */
	uint64_t ebusy_fallbacks;   /* MOVE refused with EBUSY, page installed by COPY instead */
	uint64_t eexist_races;
	uint64_t errors;
	int64_t  last_error;
	ugc_counters ctr;
} ugc_gc_stats;

/* heap: address of the heap's ugc_heap, which must outlive the engine. */
UGC_API int ugc_gc_create(uint64_t heap, ugc_gc **out);
UGC_API void ugc_gc_free(ugc_gc *gc);

#endif
