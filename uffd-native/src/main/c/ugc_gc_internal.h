/*
 * ugc_gc_internal.h: the engine's state, shared by the ugc_gc*.c files only
 * (not part of the Java contract; uffdgc.h does not include it).
 */
#ifndef UGC_GC_INTERNAL_H
#define UGC_GC_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "uffdgc.h"

#define PAGE_WORDS 512u            /* 4 KiB pages of 8-byte words */
#define PAGE_BYTES 4096u
#define NONE32 UINT32_MAX

/* Per to-space page claim state. */
enum { PAGE_UNPROCESSED = 0, PAGE_PROCESSING = 1, PAGE_MAPPED = 2 };
/* Per from-space page: >= 0 is how many to-space pages still read it; 0 = recyclable. */
enum { FROM_TAKEN = -1, FROM_GONE = -2 };
/* Engine phase, read by resolvers. */
enum { PHASE_IDLE = 0, PHASE_COMPACTING = 1 };

/* A page's description after mark: the parts of its header the page routine needs. */
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
	_Atomic int32_t *readers;           /* per from-page: to-pages still reading it */
	_Atomic uint8_t *state;             /* per to-page: PAGE_* */
	uint32_t *id_start;                 /* per identity page: old word of the live object overlapping its start */
	uint64_t *id_hdr;                   /*   and that object's header (0: none), read before its page moves away */
	_Atomic uint8_t *built;             /* per dense page: updated in place already (never twice) */
	uint64_t tables_len;
	ugc_layout *layouts;                /* snapshot taken at mark: Java may grow its table meanwhile */
	uint64_t nlayouts;

	/* The cycle's plan. */
	uint64_t old_top_words, new_top_words;
	uint64_t old_pages;                 /* from-space pages: page_align(old_top) */
	uint64_t end_pages;                 /* to-space pages holding compacted data */
	/*
	 * The identity region [0, fixed_words): objects there do not move (the heap's
	 * header words and the dense prefix). Pages below dense_pages lie wholly inside
	 * it and are updated in place; page dense_pages may be a mixed page (identity
	 * data up to fixed_words, then packed data), built like any other.
	 */
	uint64_t fixed_words;
	uint64_t dense_pages;
	int mode, uffd;
	uint32_t run_pages;
	bool registered;

	_Atomic int phase;
	_Atomic uint64_t cursor;            /* next to-page the compactors look at */
	_Atomic uint64_t recycle_lo;        /* from-pages below are all gone */
	_Atomic uint64_t mapped;            /* to-pages mapped so far */
	_Atomic int64_t inflight;           /* resolvers running now */
	_Atomic int closing;                /* finish is unregistering: free-heap installs may fail, harmlessly */
	_Atomic int64_t abandon_after;

	ugc_gc_stats st;                    /* updated with __atomic builtins on the fault path */
};

/* A thread doing compaction work: a compactor or a fault server. */
typedef struct gc_worker {
	uint64_t buf;          /* private pages to build runs in (COPY scratch, MOVE fresh memory) */
	uint64_t buf_pages;
	ugc_counters *ctr;
	bool by_fault;         /* pages are counted as fault-driven */
} gc_worker;

#define STAT_ADD(gc, field, n) __atomic_fetch_add(&(gc)->st.field, (n), __ATOMIC_RELAXED)

/*
 * New word of old word w. chunk_offset already holds fixed_words plus the live words
 * between fixed_words and the chunk (minus, in the chunk holding fixed_words, the
 * live bits below it), so one formula serves every chunk past the identity region.
 */
static inline uint64_t gc_fwd(const ugc_gc *gc, uint64_t w)
{
	if (w < gc->fixed_words)
		return w;
	uint64_t bits = gc->bitmap[w >> 6] & ((1ULL << (w & 63)) - 1);
	return gc->chunk_offset[w >> 6] + (uint64_t)__builtin_popcountll(bits);
}

static inline uint32_t gc_fwd_ref(const ugc_gc *gc, uint32_t r)
{
	return r == UGC_REF_NULL ? r : (uint32_t)gc_fwd(gc, r);
}

static inline bool gc_marked(const ugc_gc *gc, uint64_t w)
{
	return (gc->bitmap[w >> 6] >> (w & 63)) & 1;
}

/* First set bit at or after w, below end; end if none. */
uint64_t gc_next_live(const ugc_gc *gc, uint64_t w, uint64_t end);
/* Decodes a header word; -EINVAL if it is not a valid object header of this heap. */
int gc_describe(const ugc_gc *gc, uint64_t hdr, obj_info *o);

/* The page routine (ugc_gc_page.c): builds to-space page p into dst (one page). */
void gc_build_page(ugc_gc *gc, uint64_t p, uint64_t *dst);
/*
 * Builds the identity part [ts, e) of page p (e <= fixed_words) into dst, whose
 * first word is word ts: copies it from src unless src == dst (in place), forwards
 * the references of its live objects, overwrites dead gaps with fillers.
 */
void gc_build_identity(ugc_gc *gc, uint64_t p, uint64_t e, uint64_t *dst, const uint64_t *src);
/* Marks page p done: its readers released (a dense page's own from-space page is settled by its installer), counted as mapped. */
void gc_page_done(ugc_gc *gc, uint64_t p);

#endif
