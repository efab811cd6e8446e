/*
 * gc/objects.c: reading the heap as the engine sees it: a header decoded against
 * the layout snapshot, and the live-words bitmap scanned for the next live word.
 * Both run on the fault path: no allocation, no locks.
 */
#include <errno.h>
#include "internal.h"

uint64_t gc_next_live(const ugc_gc *gc, uint64_t w, uint64_t end)
{
	if (w >= end)
		return end;
	uint64_t i = w >> 6;
	uint64_t bits = gc->bitmap[i] & (~0ULL << (w & 63));
	uint64_t last = (end - 1) >> 6;
	while (bits == 0) {
		if (++i > last)
			return end;
		bits = gc->bitmap[i];
	}
	uint64_t found = (i << 6) + (uint64_t)__builtin_ctzll(bits);
	return found < end ? found : end;
}

int gc_describe(const ugc_gc *gc, uint64_t hdr, obj_info *o)
{
	uint64_t size = hdr & UGC_HDR_SIZE_MASK;
	uint64_t layout = (hdr >> UGC_HDR_LAYOUT_SHIFT) & UGC_HDR_LAYOUT_MASK;
	uint64_t pad = (hdr >> UGC_HDR_PAD_SHIFT) & UGC_HDR_PAD_MASK;
	uint64_t id_words = (hdr >> UGC_HDR_IDENTITY_SHIFT) & 1; /* the identity word, not payload */
	if ((hdr >> UGC_HDR_MAGIC_SHIFT) != UGC_HDR_MAGIC || size <= id_words || layout == 0 || layout >= gc->nlayouts)
		return -EINVAL;
	const ugc_layout *l = &gc->layouts[layout];
	o->size = size;
	switch (l->kind) {
	case UGC_KIND_RECORD:
		if (l->size_words + id_words != size)
			return -EINVAL;
		o->nrefs = l->nrefs;
		return 0;
	case UGC_KIND_REF_ARRAY:
		o->nrefs = ((size - 1 - id_words) * UGC_WORD_BYTES - pad) / UGC_REF_BYTES;
		return 0;
	case UGC_KIND_PRIM_ARRAY:
		o->nrefs = 0;
		return 0;
	case UGC_KIND_FILLER:
		if (id_words)
			return -EINVAL;
		o->nrefs = 0;
		return 0;
	default:
		return -EINVAL;
	}
}
