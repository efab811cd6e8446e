/*
 * ugc_sigbus.c: the fault service without threads. With UFFD_FEATURE_SIGBUS a missing
 * page in a registered range raises SIGBUS in the faulting thread instead of queueing a
 * message; the handler here calls the service's resolver on that thread, records the
 * stall (handler entry to exit) and returns, and the access retries on the mapped page.
 * ART resolves every fault this way (its threaded handler is gone); measured here in a
 * JVM, 5-6 us per fault against 15-21 us through a poll thread (UFFD-FACTS.md).
 *
 * The handler is installed once, with sigaction, after the JVM started: it keeps the
 * previous action (HotSpot's) and hands it every SIGBUS that is not a fault in an active
 * service's range. The JDK's libjsig does not serve here: HotSpot takes the SIGBUS of a
 * memory-segment access as its own and throws InternalError (UFFD-FACTS.md).
 *
 * Services live in a fixed table of slots. A handler enters a slot (users++) and reads its
 * service; stop clears the slot's service, then waits until no handler is inside it, so a
 * service is never freed under a handler. The slots themselves are never freed.
 * Everything on the handler's path is async-signal-safe: atomics, clock_gettime, the
 * resolver (ioctls, memcpy), sched_yield.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include "ugc_service_internal.h"

#define SIGBUS_SERVICES 64

struct sigbus_slot {
	_Atomic(ugc_service *) svc;
	_Atomic uint64_t base, end;    /* [base, end): checked before entering */
	_Atomic uint32_t users;        /* handlers inside this slot now */
} __attribute__((aligned(64)));

static struct sigbus_slot slots[SIGBUS_SERVICES];
static struct sigaction previous;  /* the JVM's action, written once before ours is installed */
static _Atomic int installed;
static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;

/* Hands a SIGBUS that is not ours to the action that was there before. */
static void chain(int sig, siginfo_t *info, void *uctx)
{
	if (previous.sa_flags & SA_SIGINFO) {
		if (previous.sa_sigaction) {
			previous.sa_sigaction(sig, info, uctx);
			return;
		}
	} else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
		previous.sa_handler(sig);
		return;
	}
	/* Default (or ignored, which a fault cannot be): die as without us. */
	signal(sig, SIG_DFL);
	raise(sig);
}

/* A worker slot with its scratch page, or NULL if every slot is busy (the resolver then borrows). */
static struct service_thread *take_worker(ugc_service *svc)
{
	for (uint32_t i = 0; i < svc->nthreads; i++) {
		int expected = 0;
		if (atomic_compare_exchange_strong(&svc->threads[i].busy, &expected, 1))
			return &svc->threads[i];
	}
	return NULL;
}

static void serve_here(ugc_service *svc, uint64_t addr)
{
	int64_t t0 = now_ns();
	service_count_fault(svc);
	struct service_thread *t = take_worker(svc);
	uint64_t page = addr & ~(svc->page - 1);
	int rc = svc->resolver(svc->ctx, svc->uffd, page, 0, t ? &t->worker : NULL);
	if (t)
		atomic_store_explicit(&t->busy, 0, memory_order_release);
	if (rc == 0) {
		atomic_fetch_add_explicit(&svc->resolved, 1, memory_order_relaxed);
	} else {
		/* The access retries and faults again while the page is missing. */
		atomic_fetch_add_explicit(&svc->failed, 1, memory_order_relaxed);
		atomic_store_explicit(&svc->last_error, rc, memory_order_relaxed);
		sched_yield();
	}
	service_record_fault(svc, t0, page);
}

/*
 * Enter and leave a slot: users++ then load svc here, store svc = NULL then load users in
 * sigbus_stop. All four are sequentially consistent, so either the handler sees NULL or stop
 * sees the handler inside; do not relax them.
 */
static void on_sigbus(int sig, siginfo_t *info, void *uctx)
{
	int saved_errno = errno;
	uint64_t addr = (uint64_t)(uintptr_t)info->si_addr;
	/* si_code <= 0: sent by kill/tgkill/sigqueue, not a fault; si_addr means nothing then. */
	for (int i = 0; info->si_code > 0 && i < SIGBUS_SERVICES; i++) {
		struct sigbus_slot *s = &slots[i];
		if (addr < atomic_load(&s->base) || addr >= atomic_load(&s->end))
			continue;
		atomic_fetch_add(&s->users, 1);
		ugc_service *svc = atomic_load(&s->svc);
		/* Rechecked inside: stop clears svc before it waits for users to drain. */
		if (svc && addr >= svc->base && addr < svc->base + svc->len) {
			serve_here(svc, addr);
			atomic_fetch_sub(&s->users, 1);
			errno = saved_errno;
			return;
		}
		atomic_fetch_sub(&s->users, 1);
	}
	chain(sig, info, uctx);
	errno = saved_errno;
}

/* Installs on_sigbus once for the process, keeping the previous action for chain(). */
static int install_handler(void)
{
	if (atomic_load(&installed))
		return 0;
	pthread_mutex_lock(&install_lock);
	int rc = 0;
	if (!atomic_load(&installed)) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_sigbus;
		/* As HotSpot installs its own: on the alternate stack if a thread has one, restarting calls. */
		sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK;
		if (sigaction(SIGBUS, NULL, &previous) != 0) {
			rc = -errno;
		} else {
			/* The previous handler, called from ours, runs with the mask it was installed with. */
			sa.sa_mask = previous.sa_mask;
			if (sigaction(SIGBUS, &sa, NULL) != 0)
				rc = -errno;
			else
				atomic_store(&installed, 1);
		}
	}
	pthread_mutex_unlock(&install_lock);
	return rc;
}

int ugc_service_start_sigbus(int uffd, uint64_t base, uint64_t len, uint32_t nworkers, ugc_resolver_fn resolver,
			     void *ctx, uint64_t latency_capacity, ugc_service **out)
{
	if (!out || !resolver || nworkers < 1 || nworkers > UGC_SERVICE_MAX_THREADS || len == 0 ||
	    base + len < base || latency_capacity > UGC_SERVICE_MAX_LATENCIES)
		return -EINVAL;
	int rc = install_handler();
	if (rc)
		return rc;
	ugc_service *svc;
	rc = service_create(SERVICE_SIGBUS, uffd, nworkers, resolver, ctx, latency_capacity, &svc);
	if (rc)
		return rc;
	svc->base = base;
	svc->len = len;
	for (int i = 0; i < SIGBUS_SERVICES; i++) {
		ugc_service *expected = NULL;
		if (atomic_compare_exchange_strong(&slots[i].svc, &expected, svc)) {
			atomic_store(&slots[i].base, base);
			atomic_store(&slots[i].end, base + len);
			*out = svc;
			return 0;
		}
	}
	service_release(svc);
	return -EBUSY; /* SIGBUS_SERVICES services at once */
}

int sigbus_stop(ugc_service *svc)
{
	for (int i = 0; i < SIGBUS_SERVICES; i++) {
		struct sigbus_slot *s = &slots[i];
		if (atomic_load(&s->svc) != svc)
			continue;
		atomic_store(&s->end, 0);
		atomic_store(&s->base, UINT64_MAX);
		atomic_store(&s->svc, NULL);
		while (atomic_load(&s->users) > 0)
			sched_yield();
		return 0;
	}
	return 0;
}
