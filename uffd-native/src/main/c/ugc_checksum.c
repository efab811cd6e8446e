/*
 * ugc_checksum.c: a position-independent hash of the reachable heap, so tests and
 * the benchmark can show that a collection lost and changed nothing.
 * Not on the fault path: it allocates.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "uffdgc.h"

static inline uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
	h *= 0xBF58476D1CE4E5B9ULL;
	return h ^ (h >> 31);
}

static uint64_t mix_bytes(uint64_t h, const unsigned char *p, uint64_t len)
{
	uint64_t i = 0, w;
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		h = mix(h, w);
	}
	for (w = 0; i < len; i++)
		w = (w << 8) | p[i];
	return mix(h, w ^ len);
}

struct stack {
	uint32_t *items;
	uint64_t len, cap;
};

static int push(struct stack *s, uint32_t ref)
{
	if (s->len == s->cap) {
		uint64_t cap = s->cap ? s->cap * 2 : 4096;
		uint32_t *n = realloc(s->items, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		s->items = n;
		s->cap = cap;
	}
	s->items[s->len++] = ref;
	return 0;
}

/* Object at word offset ref: checks its header and returns its layout, or NULL if invalid. */
static const ugc_layout *object_layout(const ugc_heap *heap, uint32_t ref, uint64_t *hdr_out)
{
	uint64_t words = heap->top / UGC_WORD_BYTES;
	if (ref == 0 || ref >= words)
		return NULL;
	uint64_t hdr = ((const uint64_t *)(uintptr_t)heap->base)[ref];
	uint64_t size = hdr & UGC_HDR_SIZE_MASK, id = (hdr >> UGC_HDR_LAYOUT_SHIFT) & UGC_HDR_LAYOUT_MASK;
	uint64_t id_words = (hdr >> UGC_HDR_IDENTITY_SHIFT) & 1;
	if ((hdr >> UGC_HDR_MAGIC_SHIFT) != UGC_HDR_MAGIC || size <= id_words || ref + size > words || id >= heap->nlayouts)
		return NULL;
	const ugc_layout *l = &((const ugc_layout *)(uintptr_t)heap->layouts)[id];
	if (l->kind == 0 || l->kind == UGC_KIND_FILLER)
		return NULL;
	*hdr_out = hdr;
	return l;
}

int ugc_heap_checksum(uint64_t heap_addr, uint64_t *hash_out, uint64_t *objects_out, uint64_t *bytes_out)
{
	const ugc_heap *heap = (const ugc_heap *)(uintptr_t)heap_addr;
	uint64_t words = heap->top / UGC_WORD_BYTES;
	uint64_t bitmap_len = ((words + 63) / 64) * 8;
	uint64_t *seen = mmap(NULL, bitmap_len ? bitmap_len : 8, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (seen == MAP_FAILED)
		return -ENOMEM;
	struct stack st = { 0 };
	const uint32_t *roots = (const uint32_t *)(uintptr_t)heap->roots;
	const unsigned char *base = (const unsigned char *)(uintptr_t)heap->base;
	uint64_t h = 0x243F6A8885A308D3ULL, objects = 0, bytes = 0;
	int rc = 0;

	for (uint64_t slot = 0; slot < heap->nroots && rc == 0; slot++) {
		if (roots[slot] == 0)
			continue;
		h = mix(h, slot);
		if ((rc = push(&st, roots[slot])) != 0)
			break;
		while (st.len > 0 && rc == 0) {
			uint32_t ref = st.items[--st.len];
			if (seen[ref / 64] & (1ULL << (ref % 64))) {
				h = mix(h, 0x5EE5);   /* a second path to an object seen before */
				continue;
			}
			uint64_t hdr;
			const ugc_layout *l = object_layout(heap, ref, &hdr);
			if (!l) {
				rc = -EINVAL;
				break;
			}
			seen[ref / 64] |= 1ULL << (ref % 64);
			uint64_t size_bytes = (hdr & UGC_HDR_SIZE_MASK) * UGC_WORD_BYTES;
			uint64_t pad = (hdr >> UGC_HDR_PAD_SHIFT) & UGC_HDR_PAD_MASK;
			uint64_t id_bytes = ((hdr >> UGC_HDR_IDENTITY_SHIFT) & 1) * UGC_WORD_BYTES;
			const unsigned char *obj = base + (uint64_t)ref * UGC_WORD_BYTES;
			objects++;
			bytes += size_bytes;
			h = mix(h, hdr);
			if (id_bytes) /* the identity never changes, so it belongs in the hash */
				h = mix_bytes(h, obj + size_bytes - id_bytes, id_bytes);
			const uint32_t *slots = (const uint32_t *)(obj + UGC_WORD_BYTES);
			uint64_t nrefs = 0;
			if (l->kind == UGC_KIND_RECORD) {
				nrefs = l->nrefs;
				h = mix_bytes(h, obj + l->data_offset, l->data_bytes);
			} else if (l->kind == UGC_KIND_REF_ARRAY) {
				nrefs = (size_bytes - UGC_WORD_BYTES - id_bytes - pad) / UGC_REF_BYTES;
			} else {
				h = mix_bytes(h, obj + UGC_WORD_BYTES, size_bytes - UGC_WORD_BYTES - id_bytes - pad);
			}
			/* Visit references in slot order: push them last to first. */
			for (uint64_t i = 0; i < nrefs; i++)
				h = mix(h, slots[i] != 0);
			for (uint64_t i = nrefs; i-- > 0 && rc == 0;)
				if (slots[i] != 0)
					rc = push(&st, slots[i]);
		}
	}
	free(st.items);
	munmap(seen, bitmap_len ? bitmap_len : 8);
	if (rc == 0) {
		*hash_out = h;
		if (objects_out)
			*objects_out = objects;
		if (bytes_out)
			*bytes_out = bytes;
	}
	return rc;
}
