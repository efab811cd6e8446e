/*
 * gc/satb.c: the snapshot-at-the-beginning queue. While marking is active every
 * mutator's write barrier records the reference a store overwrites (and the root a
 * handle release or retarget drops) in a buffer of its own, off the Java heap, and
 * hands a full buffer here (ugc_gc_satb_push, a downcall from the mutator's thread);
 * at remark the safepoint requester hands in what every buffer holds. The marker
 * traces the queue as more roots, so everything reachable when marking began is
 * marked even if a mutator cut its last path meanwhile (Yuasa's deletion barrier).
 * The root table's values at the start of marking enter the same queue
 * (gc_satb_push_roots): once they are copied, a root a mutator drops needs no log.
 *
 * Never on the fault path: a mutex, and malloc to grow.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

int gc_satb_init(ugc_gc *gc)
{
	return -pthread_mutex_init(&gc->satb.lock, NULL);
}

void gc_satb_destroy(ugc_gc *gc)
{
	pthread_mutex_destroy(&gc->satb.lock);
	free(gc->satb.refs);
	gc->satb.refs = NULL;
}

/* Room for n more entries; the lock is held. A failure marks the cycle's marking incomplete. */
static int reserve(satb_queue *q, uint64_t n)
{
	int rc = gc_grow_refs(&q->refs, &q->cap, q->len + n, 16384);
	if (rc < 0)
		q->failed = true; /* losing these could lose objects: the cycle fails at remark instead */
	return rc;
}

void gc_satb_set_open(ugc_gc *gc, bool open)
{
	pthread_mutex_lock(&gc->satb.lock);
	gc->satb.open = open;
	gc->satb.len = 0;
	if (open)
		gc->satb.failed = false;
	pthread_mutex_unlock(&gc->satb.lock);
}

int ugc_gc_satb_push(ugc_gc *gc, uint64_t refs, uint64_t n)
{
	if (n == 0)
		return 0;
	if (refs == 0 || n > (1ULL << 32))
		return -EINVAL;
	satb_queue *q = &gc->satb;
	pthread_mutex_lock(&q->lock);
	if (!q->open) {
		/* Marking ended (or was cancelled) before this buffer arrived: nothing needs it. */
		pthread_mutex_unlock(&q->lock);
		STAT_ADD(gc, satb_dropped, n);
		return 0;
	}
	int rc = reserve(q, n);
	if (rc == 0) {
		memcpy(q->refs + q->len, (const void *)(uintptr_t)refs, n * sizeof(uint32_t));
		q->len += n;
	}
	pthread_mutex_unlock(&q->lock);
	if (rc == 0)
		STAT_ADD(gc, satb_logged, n);
	return rc;
}

int gc_satb_push_roots(ugc_gc *gc, const uint32_t *roots, uint64_t n)
{
	satb_queue *q = &gc->satb;
	pthread_mutex_lock(&q->lock);
	int rc = reserve(q, n);
	if (rc == 0) {
		for (uint64_t i = 0; i < n; i++)
			q->refs[q->len + i] = __atomic_load_n(&roots[i], __ATOMIC_RELAXED);
		q->len += n;
	}
	pthread_mutex_unlock(&q->lock);
	return rc;
}

uint64_t gc_satb_take(ugc_gc *gc, uint32_t **refs, uint64_t *cap)
{
	satb_queue *q = &gc->satb;
	pthread_mutex_lock(&q->lock);
	uint64_t n = q->len;
	if (n > 0) {
		uint32_t *mine = *refs;
		uint64_t mine_cap = *cap;
		*refs = q->refs;
		*cap = q->cap;
		q->refs = mine;
		q->cap = mine_cap;
		q->len = 0;
	}
	pthread_mutex_unlock(&q->lock);
	return n;
}

bool gc_satb_failed(ugc_gc *gc)
{
	pthread_mutex_lock(&gc->satb.lock);
	bool failed = gc->satb.failed;
	pthread_mutex_unlock(&gc->satb.lock);
	return failed;
}

int64_t ugc_gc_satb_pending(ugc_gc *gc)
{
	pthread_mutex_lock(&gc->satb.lock);
	uint64_t n = gc->satb.len;
	pthread_mutex_unlock(&gc->satb.lock);
	return (int64_t)n;
}
