/*
 * gc/mark.c: the tracing loop (marker.h) and stop-the-world marking. The loop may
 * allocate (the grey stack is a growable malloc'd array): it never runs on the
 * fault path.
 *
 * Every word of a live object gets its bit in the live-words bitmap, so that the
 * plan can count live words per chunk with popcount and the page routine can find
 * the next live object with a bit scan.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "marker.h"

void marker_init(marker *m, const ugc_gc *gc, uint64_t hi, uint64_t valid_hi)
{
	UGC_DCHECK(gc->first_words <= hi && hi <= valid_hi, "marker bounds out of order");
	*m = (marker){
		.gc = gc,
		.heap = (const uint64_t *)(uintptr_t)gc->base,
		.bitmap = gc->bitmap,
		.lo = gc->first_words,
		.hi = hi,
		.valid_hi = valid_hi,
	};
}

void marker_free(marker *m)
{
	free(m->grey);
	free(m->spare);
	m->grey = m->spare = NULL;
	m->len = m->cap = m->spare_cap = 0;
}

/* Makes room for extra more entries on the grey stack. */
static int reserve(marker *m, uint64_t extra)
{
	return gc_grow_refs(&m->grey, &m->cap, m->len + extra, 4096);
}

/* Queues a root or logged reference; -EINVAL if it names nothing in the heap. */
static inline int discover(marker *m, uint32_t r)
{
	if (r == UGC_REF_NULL || (r >= m->hi && r < m->valid_hi))
		return 0; /* null, or allocated since marking began: live without tracing */
	if (r < m->lo || r >= m->valid_hi)
		return -EINVAL;
	int rc = reserve(m, 1);
	if (rc < 0)
		return rc;
	m->grey[m->len++] = r;
	return 0;
}

/* Moves a reference into the FIFO and starts fetching what examine() will read. */
static inline void enter_fifo(marker *m, uint32_t r)
{
	__builtin_prefetch(&m->heap[r], 0, 3);
	__builtin_prefetch(&m->bitmap[r >> 6], 1, 3);
	m->fifo[(m->head + m->count++) % MARK_FIFO] = r;
}

/*
 * Marks the object at r unless it is marked already: checks its header, sets the
 * bits of all its words and queues its references that are not marked yet.
 * The header is read and decoded once: it is the cache miss that marking pays for.
 * (A header below hi never changes: it was written before marking began.)
 */
static int examine(marker *m, uint32_t r)
{
	uint64_t *bw = &m->bitmap[r >> 6];
	if ((__atomic_load_n(bw, __ATOMIC_RELAXED) >> (r & 63)) & 1)
		return 0;
	obj_info o;
	if (gc_describe(m->gc, m->heap[r], &o) < 0 || o.size > m->hi - r)
		return -EINVAL;
	if (m->share) {
		/*
		 * Another marker may have reached r meanwhile: the one whose OR flips its first bit
		 * marks it. One OR sets every bit of the object in r's bitmap word (most objects fit
		 * in one; ORing them twice changes nothing), the winner sets the rest.
		 */
		uint64_t bit = r & 63, first = o.size < 64 - bit ? o.size : 64 - bit;
		uint64_t mask = (first == 64 ? ~0ULL : (1ULL << first) - 1) << bit;
		if (__atomic_fetch_or(bw, mask, __ATOMIC_RELAXED) & (1ULL << bit))
			return 0;
		gc_set_bits_atomic(m->bitmap, r + first, o.size - first);
	} else {
		gc_set_bits(m->bitmap, r, o.size);
	}
	m->objects++;
	m->words += o.size;
	if (o.nrefs == 0)
		return 0;
	int rc = reserve(m, o.nrefs);
	if (rc < 0)
		return rc;
	/*
	 * Whether a slot is null, or its target marked already, is a coin toss for the
	 * branch predictor; so every slot is written to the top of the grey stack and
	 * the top advances only past the ones to follow, without a branch. A reference
	 * at or above hi is not followed: outside the heap it is remembered in bad (and
	 * read as word 0, which is in the bitmap) and fails the whole mark after the
	 * loop; below valid_hi it names an object allocated since marking began (live).
	 * A mutator may store into a slot meanwhile: each slot is loaded once (relaxed;
	 * a plain mov on x86), and what it held before is the barrier's to report.
	 */
	const uint32_t *slots = (const uint32_t *)(m->heap + r + 1);
	uint32_t *top = m->grey + m->len;
	uint64_t n = 0, bad = 0, span = m->hi - m->lo, vspan = m->valid_hi - m->lo;
	for (uint64_t k = 0; k < o.nrefs; k++) {
		uint32_t c = __atomic_load_n(&slots[k], __ATOMIC_RELAXED);
		uint64_t outside = (uint64_t)c - m->lo >= span;
		bad |= ((uint64_t)c - m->lo >= vspan) & (c != UGC_REF_NULL);
		uint64_t w = outside ? 0 : c;
		uint64_t unmarked = ~(__atomic_load_n(&m->bitmap[w >> 6], __ATOMIC_RELAXED) >> (w & 63)) & 1;
		top[n] = c;
		n += unmarked & !outside;
	}
	m->len += n;
	return bad ? -EINVAL : 0;
}

int marker_trace(marker *m, const uint32_t *refs, uint64_t nrefs)
{
	uint64_t next = 0;
	for (;;) {
		/* Keep the FIFO full: from the grey stack, else from refs. */
		if (m->count < MARK_FIFO) {
			if (m->len > 0) {
				enter_fifo(m, m->grey[--m->len]);
				continue;
			}
			if (next < nrefs) {
				int rc = discover(m, __atomic_load_n(&refs[next++], __ATOMIC_RELAXED));
				if (rc < 0)
					return rc;
				continue;
			}
			if (m->count == 0)
				return 0;
		}
		uint32_t r = m->fifo[m->head];
		m->head = (m->head + 1) % MARK_FIFO;
		m->count--;
		int rc = examine(m, r);
		if (rc < 0)
			return rc;
		if (m->share && m->len >= 2 * MARK_SHARE_CHUNK && (rc = mark_share_offer(m)) < 0)
			return rc;
	}
}

int gc_snapshot_layouts(ugc_gc *gc)
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

int gc_cycle_begin(ugc_gc *gc)
{
	if (atomic_load(&gc->phase) != PHASE_IDLE || gc->mark_step != MARK_IDLE)
		return -EBUSY;
	ugc_heap *h = gc->heap;
	if (h->top % UGC_WORD_BYTES || h->top > gc->capacity || h->top < gc->first_words * UGC_WORD_BYTES)
		return -EINVAL;
	int rc = gc_snapshot_layouts(gc);
	if (rc < 0)
		return rc;
	memset(&gc->st, 0, sizeof(gc->st));
	gc->planned = false;
	gc->old_top_words = h->top / UGC_WORD_BYTES;
	gc->st.old_top = h->top;
	return 0;
}

int64_t ugc_gc_mark(ugc_gc *gc)
{
	int rc = gc_cycle_begin(gc);
	if (rc < 0)
		return rc;
	gc->mark_top_words = gc->remark_top_words = gc->old_top_words;
	memset(gc->bitmap, 0, ((gc->old_top_words + 63) / 64) * sizeof(uint64_t));
	ugc_heap *h = gc->heap;
	uint64_t objects = 0, words = 0;
	rc = gc_mark_trace(gc, gc->old_top_words, gc->old_top_words, (const uint32_t *)(uintptr_t)h->roots, h->nroots,
			   false, gc->mark_threads, &objects, &words);
	gc->st.live_objects = objects;
	gc->st.live_bytes = words * UGC_WORD_BYTES;
	return rc < 0 ? rc : (int64_t)gc->st.live_bytes;
}
