/*
 * ugc_gc_mark.c: marking. Runs at a heap safepoint (mutators stopped), so it may
 * allocate: the mark stack is a growable malloc'd array.
 *
 * Every word of a live object gets its bit in the live-words bitmap, so that the
 * plan can count live words per chunk with popcount and the page routine can find
 * the next live object with a bit scan.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ugc_gc_internal.h"

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
	if ((hdr >> UGC_HDR_MAGIC_SHIFT) != UGC_HDR_MAGIC || size == 0 || layout == 0 || layout >= gc->nlayouts)
		return -EINVAL;
	const ugc_layout *l = &gc->layouts[layout];
	o->size = size;
	switch (l->kind) {
	case UGC_KIND_RECORD:
		if (l->size_words != size)
			return -EINVAL;
		o->nrefs = l->nrefs;
		return 0;
	case UGC_KIND_REF_ARRAY:
		o->nrefs = ((size - 1) * UGC_WORD_BYTES - pad) / UGC_REF_BYTES;
		return 0;
	case UGC_KIND_PRIM_ARRAY:
	case UGC_KIND_FILLER:
		o->nrefs = 0;
		return 0;
	default:
		return -EINVAL;
	}
}

static void set_bits(uint64_t *bm, uint64_t from, uint64_t n)
{
	uint64_t end = from + n;
	while (from < end) {
		uint64_t bit = from & 63, take = 64 - bit;
		if (take > end - from)
			take = end - from;
		uint64_t mask = take == 64 ? ~0ULL : ((1ULL << take) - 1) << bit;
		bm[from >> 6] |= mask;
		from += take;
	}
}

typedef struct mark_stack {
	uint32_t *items;
	uint64_t len, cap;
} mark_stack;

static int push(mark_stack *s, uint32_t w)
{
	if (s->len == s->cap) {
		uint64_t cap = s->cap ? s->cap * 2 : 4096;
		uint32_t *items = realloc(s->items, cap * sizeof(*items));
		if (!items)
			return -ENOMEM;
		s->items = items;
		s->cap = cap;
	}
	s->items[s->len++] = w;
	return 0;
}

/* Marks the object at word r if it is not yet, and queues it for scanning. */
static int mark_ref(ugc_gc *gc, mark_stack *s, uint32_t r)
{
	if (r == UGC_REF_NULL || gc_marked(gc, r))
		return 0;
	if (r < gc->first_words || r >= gc->old_top_words)
		return -EINVAL;
	const uint64_t *heap = (const uint64_t *)(uintptr_t)gc->base;
	obj_info o;
	if (gc_describe(gc, heap[r], &o) < 0 || r + o.size > gc->old_top_words)
		return -EINVAL;
	set_bits(gc->bitmap, r, o.size);
	gc->st.live_objects++;
	gc->st.live_bytes += o.size * UGC_WORD_BYTES;
	return o.nrefs ? push(s, r) : 0;
}

/* Copies Java's layout table: mutators may add layouts during the window. */
static int snapshot_layouts(ugc_gc *gc)
{
	uint64_t n = gc->heap->nlayouts;
	if (n == 0 || n > UGC_MAX_LAYOUTS || gc->heap->layouts == 0)
		return -EINVAL;
	if (n > gc->nlayouts) {
		ugc_layout *l = realloc(gc->layouts, n * sizeof(*l));
		if (!l)
			return -ENOMEM;
		gc->layouts = l;
	}
	memcpy(gc->layouts, (const void *)(uintptr_t)gc->heap->layouts, n * sizeof(ugc_layout));
	gc->nlayouts = n;
	return 0;
}

int64_t ugc_gc_mark(ugc_gc *gc)
{
	if (atomic_load(&gc->phase) != PHASE_IDLE)
		return -EBUSY;
	ugc_heap *h = gc->heap;
	if (h->top % UGC_WORD_BYTES || h->top > gc->capacity || h->top < gc->first_words * UGC_WORD_BYTES)
		return -EINVAL;
	int rc = snapshot_layouts(gc);
	if (rc < 0)
		return rc;
	memset(&gc->st, 0, sizeof(gc->st));
	gc->old_top_words = h->top / UGC_WORD_BYTES;
	gc->st.old_top = h->top;
	memset(gc->bitmap, 0, ((gc->old_top_words + 63) / 64) * sizeof(uint64_t));

	const uint64_t *heap = (const uint64_t *)(uintptr_t)gc->base;
	const uint32_t *roots = (const uint32_t *)(uintptr_t)h->roots;
	mark_stack s = { 0 };
	for (uint64_t i = 0; i < h->nroots && rc == 0; i++)
		rc = mark_ref(gc, &s, roots[i]);
	while (rc == 0 && s.len > 0) {
		uint32_t w = s.items[--s.len];
		obj_info o;
		gc_describe(gc, heap[w], &o); /* valid: checked when marked */
		const uint32_t *slots = (const uint32_t *)(heap + w + 1);
		for (uint64_t k = 0; k < o.nrefs && rc == 0; k++)
			rc = mark_ref(gc, &s, slots[k]);
	}
	free(s.items);
	return rc < 0 ? rc : (int64_t)gc->st.live_bytes;
}
