/*
 * gc/build.c: the page routine. Builds one to-space page from from-space: copies
 * the live objects that land in it (to-space is packed: each follows the last with
 * no gap) and forwards every reference slot inside the page.
 *
 * Runs on the fault path (a fault server, later a SIGBUS handler on the faulting
 * thread), so it is async-signal-safe: memcpy, memset and plain loads and stores
 * only; no malloc, no locks, no stdio. It reads the plan (plan.c) and the bitmap,
 * which nobody writes during the window, and writes only its destination page.
 */
#include <string.h>
#include "internal.h"

/* Rewrites the reference slots of the object at new word n that lie in new words [lo, hi). */
static void fix_refs(const ugc_gc *gc, uint64_t *dst, uint64_t ts, uint64_t n, uint64_t nrefs,
		     uint64_t lo, uint64_t hi)
{
	/* Slot k is at byte 8 + 4k of the object; [lo, hi) are bytes (lo-n)*8 .. (hi-n)*8 of it. */
	uint64_t first_b = (lo - n) * UGC_WORD_BYTES, end_b = (hi - n) * UGC_WORD_BYTES;
	uint64_t k0 = first_b <= UGC_WORD_BYTES ? 0 : (first_b - UGC_WORD_BYTES) / UGC_REF_BYTES;
	uint64_t k1 = end_b <= UGC_WORD_BYTES ? 0 : (end_b - UGC_WORD_BYTES) / UGC_REF_BYTES;
	if (k1 > nrefs)
		k1 = nrefs;
	char *page = (char *)dst;
	for (uint64_t k = k0; k < k1; k++) {
		uint32_t *slot = (uint32_t *)(page + (n * UGC_WORD_BYTES + UGC_WORD_BYTES + k * UGC_REF_BYTES
						      - ts * UGC_WORD_BYTES));
		*slot = gc_fwd_ref(gc, *slot);
	}
}

static uint64_t filler_header(uint64_t words)
{
	return (UGC_HDR_MAGIC << UGC_HDR_MAGIC_SHIFT) | ((uint64_t)UGC_LAYOUT_FILLER << UGC_HDR_LAYOUT_SHIFT) | words;
}

void gc_build_dense(ugc_gc *gc, uint64_t p, uint64_t e, uint64_t *dst, const uint64_t *src)
{
	uint64_t ts = p * PAGE_WORDS;
	UGC_DCHECK(e > ts && e <= gc->dense_words && e <= ts + PAGE_WORDS, "dense part outside the dense prefix");
	if (src != dst)
		memcpy(dst, src, (e - ts) * UGC_WORD_BYTES);
	uint64_t w = ts > gc->first_words ? ts : gc->first_words; /* the heap's header words stay as they are */
	obj_info o;
	if (gc->dense_hdr[p] != 0 && gc_describe(gc, gc->dense_hdr[p], &o) == 0) {
		/* A live object entering from an earlier page (its header recorded by the plan). */
		uint64_t s = gc->dense_start[p], end = min_u64(s + o.size, e);
		if (o.nrefs)
			fix_refs(gc, dst, ts, s, o.nrefs, ts, end);
		w = s + o.size;
	} else if (w == ts && w > gc->first_words && !gc_marked(gc, w) && !gc_marked(gc, w - 1)) {
		/* Inside a dead gap whose filler header an earlier page wrote. */
		w = gc_next_live(gc, w, gc->dense_words);
	}
	while (w < e) {
		if (!gc_marked(gc, w)) {
			/* A dead gap starts here: one filler up to the next live word (or the prefix's end). */
			uint64_t g = gc_next_live(gc, w, gc->dense_words);
			dst[w - ts] = filler_header(g - w);
			w = g;
			continue;
		}
		if (gc_describe(gc, dst[w - ts], &o) < 0) {
			STAT_ADD(gc, errors, 1); /* never loop on a bad header */
			return;
		}
		if (o.nrefs)
			fix_refs(gc, dst, ts, w, o.nrefs, w, min_u64(w + o.size, e));
		w += o.size;
	}
}

void gc_build_page(ugc_gc *gc, uint64_t p, uint64_t *dst)
{
	UGC_DCHECK(p < gc->end_pages, "building a to-page beyond the compacted end");
	const uint64_t *from = (const uint64_t *)(uintptr_t)gc->from;
	uint64_t ts = p * PAGE_WORDS, te = ts + PAGE_WORDS;
	uint64_t limit = min_u64(te, gc->new_top_words);
	uint64_t filled = ts;
	if (ts < gc->dense_words) {
		/* The dense prefix's part of this page (the heap's header words, a mixed page). */
		uint64_t e = min_u64(te, gc->dense_words);
		gc_build_dense(gc, p, e, dst, from + ts);
		filled = e;
	}
	uint64_t w = gc->first_obj[p];
	uint64_t n = w == NONE32 ? 0 : gc_fwd(gc, w);
	while (w < gc->old_top_words && filled < limit) {
		obj_info o;
		if (gc_describe(gc, from[w], &o) < 0) {
			/* Cannot happen for a marked object; never loop on a bad header. */
			STAT_ADD(gc, errors, 1);
			break;
		}
		uint64_t lo = n > ts ? n : ts, hi = min_u64(n + o.size, te);
		memcpy(dst + (lo - ts), from + w + (lo - n), (hi - lo) * UGC_WORD_BYTES);
		if (o.nrefs)
			fix_refs(gc, dst, ts, n, o.nrefs, lo, hi);
		filled = hi;
		n += o.size; /* to-space is packed: the next live object follows at once */
		w = gc_next_live(gc, w + o.size, gc->old_top_words);
	}
	if (filled < te)
		memset(dst + (filled - ts), 0, (te - filled) * UGC_WORD_BYTES);
}
