/*
 * gc/mark_parallel.c: one trace on N marking threads that share their work.
 *
 * Each marker traces depth first from its own grey stack (mark.c). Work moves
 * between them through a shared pool of chunks of MARK_SHARE_CHUNK references:
 *   - a batch of references (the root table's copy, a swap of the SATB queue) is cut
 *     into chunks at once, all but the first put in the pool;
 *   - a marker whose grey stack holds 2 chunks' worth gives one chunk from its top when
 *     another marker is idle or the pool is empty (two relaxed loads per check, so the
 *     pool keeps about one chunk ready while everyone is busy);
 *   - a marker with nothing left takes a chunk, else swaps out the SATB queue (concurrent
 *     marking), else waits.
 * The trace ends when every marker waits and the pool is empty: no marker holds grey
 * references then, so none can appear (what the barrier logs from then on is the next
 * trace's, as with one thread).
 *
 * The bitmap is shared: the marker whose atomic OR flips an object's first bit marks
 * it (sets its other bits with atomic ORs, counts it, scans its slots); any other
 * reader may see a bit late, which costs only a redundant grey entry.
 *
 * Threads: the caller and threads-1 pthreads started here with every signal blocked,
 * joined before gc_mark_trace returns. They never attach to the JVM and read only the
 * heap below the top, the root copy and the queue: no page registered with the
 * userfaultfd (no window is open while marking), so nothing they touch can fault, and
 * a mutator never waits for them; the Java thread that called in stays inside this one
 * downcall meanwhile, which does not hold up a JVM safepoint.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include "marker.h"

typedef struct mark_chunk {
	struct mark_chunk *next;
	uint32_t n;
	uint32_t refs[MARK_SHARE_CHUNK];
} mark_chunk;

struct mark_share {
	ugc_gc *gc;
	bool satb;                   /* markers with nothing left drain the barrier's queue too */
	pthread_mutex_t lock;        /* guards chunks, threads, done; the condition waits on it */
	pthread_cond_t more;         /* signalled when chunks arrive or the trace ends */
	mark_chunk *chunks;          /* work given away */
	uint32_t threads;            /* markers taking part */
	bool done;
	_Atomic uint32_t nchunks;    /* length of chunks: written under lock, read without it by givers */
	_Atomic uint32_t idle;       /* markers waiting: written under lock, read without it by givers */
	_Atomic int error;           /* the first marker's error (negated errno), 0 if none */
};

bool mark_share_failed(const mark_share *s)
{
	return atomic_load_explicit(&s->error, memory_order_relaxed) != 0;
}

/* Links the list [first, last] of n chunks into the pool and wakes waiting markers. */
static void put_chunks(mark_share *s, mark_chunk *first, mark_chunk *last, uint32_t n)
{
	pthread_mutex_lock(&s->lock);
	last->next = s->chunks;
	s->chunks = first;
	atomic_fetch_add_explicit(&s->nchunks, n, memory_order_relaxed);
	if (n > 1)
		pthread_cond_broadcast(&s->more);
	else
		pthread_cond_signal(&s->more);
	pthread_mutex_unlock(&s->lock);
}

int mark_share_offer(marker *m)
{
	mark_share *s = m->share;
	if (mark_share_failed(s))
		return -ECANCELED;
	if (atomic_load_explicit(&s->idle, memory_order_relaxed) == 0 &&
	    atomic_load_explicit(&s->nchunks, memory_order_relaxed) > 0)
		return 0; /* everyone is busy and a chunk is ready already */
	mark_chunk *c = malloc(sizeof(*c));
	if (!c)
		return 0; /* keep the work: sharing is an optimization */
	m->len -= MARK_SHARE_CHUNK;
	memcpy(c->refs, m->grey + m->len, MARK_SHARE_CHUNK * sizeof(uint32_t));
	c->n = MARK_SHARE_CHUNK;
	put_chunks(s, c, c, 1);
	return 0;
}

/* Puts refs[MARK_SHARE_CHUNK, n) in the pool as chunks, then traces the first chunk's worth here. */
static int trace_batch(marker *m, const uint32_t *refs, uint64_t n)
{
	uint64_t keep = min_u64(n, MARK_SHARE_CHUNK), rest = n; /* [rest, n): no memory for chunks, traced here */
	mark_chunk *first = NULL, *last = NULL;
	uint32_t count = 0;
	for (uint64_t at = keep; at < n; at += MARK_SHARE_CHUNK) {
		mark_chunk *c = malloc(sizeof(*c));
		if (!c) {
			rest = at;
			break;
		}
		c->n = (uint32_t)min_u64(MARK_SHARE_CHUNK, n - at);
		for (uint32_t i = 0; i < c->n; i++)
			c->refs[i] = __atomic_load_n(&refs[at + i], __ATOMIC_RELAXED);
		c->next = first;
		first = c;
		if (!last)
			last = c;
		count++;
	}
	if (first)
		put_chunks(m->share, first, last, count);
	int rc = marker_trace(m, refs, keep);
	return rc < 0 || rest == n ? rc : marker_trace(m, refs + rest, n - rest);
}

enum next { NEXT_DONE, NEXT_CHUNK, NEXT_QUEUE };

/*
 * Waits for work: a chunk (*chunk), the SATB queue's contents (*n references in
 * m->spare), or the end of the trace.
 */
static enum next next_work(marker *m, mark_chunk **chunk, uint64_t *n)
{
	mark_share *s = m->share;
	pthread_mutex_lock(&s->lock);
	for (;;) {
		if (s->done)
			break;
		if (s->chunks) {
			*chunk = s->chunks;
			s->chunks = (*chunk)->next;
			atomic_fetch_sub_explicit(&s->nchunks, 1, memory_order_relaxed);
			pthread_mutex_unlock(&s->lock);
			return NEXT_CHUNK;
		}
		if (s->satb) {
			pthread_mutex_unlock(&s->lock);
			*n = gc_satb_take(s->gc, &m->spare, &m->spare_cap);
			if (*n > 0)
				return NEXT_QUEUE;
			pthread_mutex_lock(&s->lock);
			if (s->done || s->chunks)
				continue;
		}
		uint32_t idle = atomic_fetch_add_explicit(&s->idle, 1, memory_order_relaxed) + 1;
		if (idle == s->threads) {
			/* Nobody holds grey references and the pool is empty: the trace is complete. */
			s->done = true;
			pthread_cond_broadcast(&s->more);
			break;
		}
		pthread_cond_wait(&s->more, &s->lock);
		atomic_fetch_sub_explicit(&s->idle, 1, memory_order_relaxed);
	}
	pthread_mutex_unlock(&s->lock);
	return NEXT_DONE;
}

/* Ends the trace for everyone after a marker's error. */
static void fail(mark_share *s, int rc)
{
	int none = 0;
	atomic_compare_exchange_strong(&s->error, &none, rc);
	pthread_mutex_lock(&s->lock);
	s->done = true;
	pthread_cond_broadcast(&s->more);
	pthread_mutex_unlock(&s->lock);
}

typedef struct mark_worker {
	marker m;
	const uint32_t *refs;  /* the first batch (the caller's only) */
	uint64_t n;
	int rc;
	pthread_t tid;
} mark_worker;

static int run(mark_worker *w)
{
	marker *m = &w->m;
	int rc = trace_batch(m, w->refs, w->n);
	while (rc == 0) {
		mark_chunk *c = NULL;
		uint64_t n = 0;
		enum next what = next_work(m, &c, &n);
		if (what == NEXT_DONE)
			break;
		if (what == NEXT_CHUNK) {
			rc = marker_trace(m, c->refs, c->n);
			free(c);
		} else {
			rc = trace_batch(m, m->spare, n);
		}
	}
	if (rc < 0)
		fail(m->share, rc);
	return rc;
}

static void *worker_main(void *arg)
{
	mark_worker *w = arg;
	w->rc = run(w);
	/* The caller's CPU time is measured around its downcall; this thread's is counted here. */
	struct rusage ru;
	if (getrusage(RUSAGE_THREAD, &ru) == 0) {
		ugc_gc *gc = w->m.share->gc;
		STAT_ADD(gc, mark_helper_user_ns, (uint64_t)ru.ru_utime.tv_sec * 1000000000u + (uint64_t)ru.ru_utime.tv_usec * 1000u);
		STAT_ADD(gc, mark_helper_system_ns, (uint64_t)ru.ru_stime.tv_sec * 1000000000u + (uint64_t)ru.ru_stime.tv_usec * 1000u);
	}
	return NULL;
}

/* One marker alone: the tracing loop, then the queue until it is empty. */
static int trace_alone(ugc_gc *gc, uint64_t hi, uint64_t valid_hi, const uint32_t *refs, uint64_t n, bool satb,
		       uint64_t *objects, uint64_t *words)
{
	marker m;
	marker_init(&m, gc, hi, valid_hi);
	int rc = marker_trace(&m, refs, n);
	while (rc == 0 && satb) {
		uint64_t k = gc_satb_take(gc, &m.spare, &m.spare_cap);
		if (k == 0)
			break;
		rc = marker_trace(&m, m.spare, k);
	}
	*objects += m.objects;
	*words += m.words;
	marker_free(&m);
	return rc;
}

int gc_mark_trace(ugc_gc *gc, uint64_t hi, uint64_t valid_hi, const uint32_t *refs, uint64_t n, bool satb,
		  uint32_t threads, uint64_t *objects, uint64_t *words)
{
	if (threads > MARK_MAX_THREADS)
		threads = MARK_MAX_THREADS;
	mark_worker *w = threads > 1 ? calloc(threads, sizeof(*w)) : NULL;
	if (!w)
		return trace_alone(gc, hi, valid_hi, refs, n, satb, objects, words);
	mark_share s = { .gc = gc, .satb = satb, .threads = threads };
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.more, NULL);
	for (uint32_t i = 0; i < threads; i++) {
		marker_init(&w[i].m, gc, hi, valid_hi);
		w[i].m.share = &s;
	}
	w[0].refs = refs;
	w[0].n = n;
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	uint32_t started = 1;
	while (started < threads && pthread_create(&w[started].tid, NULL, worker_main, &w[started]) == 0)
		started++;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (started < threads) {
		/* Fewer threads than asked: the trace ends when those that run are idle. */
		pthread_mutex_lock(&s.lock);
		s.threads = started;
		pthread_mutex_unlock(&s.lock);
	}
	int rc = run(&w[0]);
	for (uint32_t i = 1; i < started; i++)
		pthread_join(w[i].tid, NULL);
	int first = atomic_load(&s.error);
	for (uint32_t i = 0; i < threads; i++) {
		*objects += w[i].m.objects;
		*words += w[i].m.words;
		marker_free(&w[i].m);
	}
	/* The pool is empty unless a marker failed. */
	for (mark_chunk *c = s.chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	pthread_cond_destroy(&s.more);
	pthread_mutex_destroy(&s.lock);
	free(w);
	return first != 0 ? first : rc;
}
