/*
 * ugc_service.c: the native fault service (see ugc_service.h for the why).
 *
 * Each service thread polls the userfaultfd and an eventfd that signals stop,
 * reads one fault message at a time (several threads may race for the same
 * message: the losers see EAGAIN and poll again) and calls the resolver. The
 * fault path (read, resolver, wake, counters, fault ring) allocates nothing
 * and takes no lock: everything it touches is set up by ugc_service_start.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "ugc_service_internal.h"

/* ---- the service ------------------------------------------------------------------ */

/* Serves one message read at time read_ns. */
static void serve(ugc_service *svc, ugc_worker *w, const struct uffd_msg *msg, int64_t read_ns)
{
	if (msg->event != UFFD_EVENT_PAGEFAULT) {
		/* Reading a non-cooperative event (REMOVE, UNMAP, ...) is what releases the
		 * thread that caused it; nothing else to do for it here. */
		atomic_fetch_add_explicit(&svc->other_events, 1, memory_order_relaxed);
		return;
	}
	service_count_fault(svc);
	uint64_t addr = msg->arg.pagefault.address & ~(svc->page - 1);
	int rc = svc->resolver(svc->ctx, svc->uffd, addr, msg->arg.pagefault.flags, w);
	if (rc == 0) {
		atomic_fetch_add_explicit(&svc->resolved, 1, memory_order_relaxed);
	} else {
		/* Never leave the mutator blocked: wake it, it retries the access (and faults
		 * again if the page is still missing). */
		atomic_fetch_add_explicit(&svc->failed, 1, memory_order_relaxed);
		atomic_store_explicit(&svc->last_error, rc, memory_order_relaxed);
		ugc_uffd_wake(svc->uffd, addr, svc->page);
		w->ctr.wake_calls++;
	}
	service_record_fault(svc, read_ns, addr);
}

/* Reads one message without blocking: 1 read, 0 none queued (or another thread took it), <0 error. */
static int read_one(int uffd, struct uffd_msg *msg)
{
	ssize_t r = read(uffd, msg, sizeof(*msg));
	if (r == (ssize_t)sizeof(*msg))
		return 1;
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	return r < 0 ? -errno : -EIO;
}

/* Records the calling service thread's CPU time so far (the thread itself only). */
static void cpu_log_write(struct service_thread *t, int64_t now)
{
	ugc_thread_cpu c;
	if (ugc_thread_cpu_read(&c) != 0)
		return;
	uint64_t seq = atomic_load_explicit(&t->cpu.seq, memory_order_relaxed);
	atomic_store_explicit(&t->cpu.seq, seq + 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	atomic_store_explicit(&t->cpu.user_ns, c.user_ns, memory_order_relaxed);
	atomic_store_explicit(&t->cpu.sys_ns, c.sys_ns, memory_order_relaxed);
	atomic_store_explicit(&t->cpu.seq, seq + 2, memory_order_release);
	t->cpu.logged_at = now;
}

/* A service thread's CPU time as of now, from any thread: its log, plus what its clock ran since. */
static ugc_thread_cpu cpu_of(struct service_thread *t)
{
	ugc_thread_cpu c;
	uint64_t s1, s2;
	do {
		s1 = atomic_load_explicit(&t->cpu.seq, memory_order_acquire);
		c.user_ns = atomic_load_explicit(&t->cpu.user_ns, memory_order_relaxed);
		c.sys_ns = atomic_load_explicit(&t->cpu.sys_ns, memory_order_relaxed);
		atomic_thread_fence(memory_order_acquire);
		s2 = atomic_load_explicit(&t->cpu.seq, memory_order_relaxed);
	} while (s1 != s2 || (s1 & 1));
	struct timespec ts;
	/* A thread that has exited logged itself last on its way out (its clock is gone). */
	if (!atomic_load(&t->clock_ready) || clock_gettime(t->clock, &ts) != 0)
		return c;
	uint64_t total = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec, logged = c.user_ns + c.sys_ns;
	if (total <= logged)
		return c;
	uint64_t pending = total - logged;
	uint64_t user = logged ? (uint64_t)((unsigned __int128)pending * c.user_ns / logged) : pending / 2;
	c.user_ns += user;
	c.sys_ns += pending - user;
	return c;
}

static void *service_loop(struct service_thread *t);

static void *service_main(void *arg)
{
	struct service_thread *t = arg;
	if (pthread_getcpuclockid(pthread_self(), &t->clock) == 0)
		atomic_store(&t->clock_ready, 1);
	cpu_log_write(t, now_ns());
	void *r = service_loop(t);
	atomic_store(&t->clock_ready, 0);
	cpu_log_write(t, now_ns());
	return r;
}

static void *service_loop(struct service_thread *t)
{
	ugc_service *svc = t->svc;
	struct pollfd fds[2] = { { .fd = svc->uffd, .events = POLLIN }, { .fd = svc->stop_fd, .events = POLLIN } };
	for (;;) {
		int n = poll(fds, 2, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			atomic_store(&svc->last_error, -errno);
			return NULL;
		}
		if (fds[1].revents)
			return NULL;
		if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
			/* The uffd is gone or unusable: spinning on it would burn a CPU. */
			atomic_store(&svc->last_error, -EBADF);
			return NULL;
		}
		struct uffd_msg msg;
		int rc = read_one(svc->uffd, &msg);
		if (rc == 1) {
			serve(svc, &t->worker, &msg, now_ns());
			int64_t now = now_ns();
			if (now - t->cpu.logged_at >= CPU_LOG_NS)
				cpu_log_write(t, now);
		} else if (rc < 0)
			atomic_store(&svc->last_error, rc);
	}
}

int ugc_service_set_live_faults(ugc_service *svc, uint64_t counter)
{
	if (counter % sizeof(uint64_t))
		return -EINVAL;
	atomic_store_explicit(&svc->live_faults, (_Atomic uint64_t *)(uintptr_t)counter, memory_order_relaxed);
	return 0;
}

static void join_all(ugc_service *svc)
{
	uint64_t one = 1;
	/* Never read back: the eventfd stays readable, so every thread sees it. */
	if (write(svc->stop_fd, &one, sizeof(one)) != sizeof(one))
		atomic_store(&svc->last_error, -errno);
	for (uint32_t i = 0; i < svc->started; i++)
		pthread_join(svc->threads[i].tid, NULL);
	svc->started = 0;
}

void service_release(ugc_service *svc)
{
	if (svc->stop_fd >= 0)
		close(svc->stop_fd);
	if (svc->scratch)
		munmap(svc->scratch, svc->nthreads * svc->page);
	ring_free(&svc->ring);
	free(svc);
}

int service_create(enum service_kind kind, int uffd, uint32_t nworkers, ugc_resolver_fn resolver, void *ctx,
		   uint64_t latency_capacity, ugc_service **out)
{
	ugc_service *svc = NULL;
	size_t size = sizeof(*svc) + nworkers * sizeof(struct service_thread);
	int rc = posix_memalign((void **)&svc, 64, size);
	if (rc)
		return -rc;
	memset(svc, 0, size);
	svc->kind = kind;
	svc->uffd = uffd;
	svc->nthreads = nworkers;
	svc->resolver = resolver;
	svc->ctx = ctx;
	svc->page = page_size();
	svc->stop_fd = -1;
	rc = ring_init(&svc->ring, latency_capacity);
	if (rc) {
		service_release(svc);
		return rc;
	}
	/* Scratch pages are populated now: a resolver's use of one (in a SIGBUS handler too) must never fault. */
	void *scratch = mmap(NULL, nworkers * svc->page, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (scratch == MAP_FAILED) {
		rc = -errno;
		service_release(svc);
		return rc;
	}
	svc->scratch = scratch;
	for (uint32_t i = 0; i < nworkers; i++) {
		struct service_thread *t = &svc->threads[i];
		t->svc = svc;
		t->worker.index = i;
		t->worker.scratch = (uint64_t)(uintptr_t)scratch + i * svc->page;
		t->worker.scratch_len = svc->page;
	}
	*out = svc;
	return 0;
}

int ugc_service_start(int uffd, uint32_t nthreads, ugc_resolver_fn resolver, void *ctx,
		      uint64_t latency_capacity, ugc_service **out)
{
	if (!out || !resolver || nthreads < 1 || nthreads > UGC_SERVICE_MAX_THREADS ||
	    latency_capacity > UGC_SERVICE_MAX_LATENCIES)
		return -EINVAL;
	int fl = fcntl(uffd, F_GETFL);
	if (fl < 0)
		return -errno;
	if (!(fl & O_NONBLOCK))
		return -EINVAL; /* a blocking read would keep a thread from seeing stop */

	ugc_service *svc;
	int rc = service_create(SERVICE_THREADS, uffd, nthreads, resolver, ctx, latency_capacity, &svc);
	if (rc)
		return rc;
	svc->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (svc->stop_fd < 0) {
		rc = -errno;
		svc->stop_fd = -1;
		service_release(svc);
		return rc;
	}

	/* The threads start with every signal blocked: process-directed signals are the
	 * JVM's to handle on its own threads, never on one that may be mid-ioctl. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (uint32_t i = 0; i < nthreads && rc == 0; i++) {
		rc = -pthread_create(&svc->threads[i].tid, NULL, service_main, &svc->threads[i]);
		if (rc == 0)
			svc->started++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		join_all(svc);
		service_release(svc);
		return rc;
	}
	*out = svc;
	return 0;
}

int ugc_service_stop(ugc_service *svc)
{
	if (!svc)
		return -EINVAL;
	if (atomic_exchange(&svc->stopping, 1))
		return 0;
	if (svc->kind == SERVICE_SIGBUS)
		return sigbus_stop(svc); /* no queue: faults are served where they happen */
	join_all(svc);
	/* Faults queued but not yet read would leave their mutators blocked forever:
	 * serve them here, on the stopping thread, before returning. */
	struct uffd_msg msg;
	int rc;
	while ((rc = read_one(svc->uffd, &msg)) == 1) {
		serve(svc, &svc->threads[0].worker, &msg, now_ns());
		svc->served_at_stop++;
	}
	return rc < 0 ? rc : 0;
}

void ugc_service_free(ugc_service *svc)
{
	if (!svc)
		return;
	ugc_service_stop(svc);
	service_release(svc);
}

/* The worker counters are plain fields written by their own thread; loads here are
 * relaxed atomic reads of aligned words, so a concurrent increment is seen whole. */
static void add_counters(ugc_counters *sum, ugc_counters *c)
{
	uint64_t *dst = (uint64_t *)sum, *src = (uint64_t *)c;
	for (size_t i = 0; i < sizeof(ugc_counters) / sizeof(uint64_t); i++)
		dst[i] += __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}

void ugc_service_stats_read(ugc_service *svc, ugc_service_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->faults = atomic_load(&svc->faults);
	out->resolved = atomic_load(&svc->resolved);
	out->failed = atomic_load(&svc->failed);
	out->last_error = atomic_load(&svc->last_error);
	out->other_events = atomic_load(&svc->other_events);
	out->latencies_dropped = atomic_load(&svc->latencies_dropped);
	out->recorded = atomic_load(&svc->recorded);
	out->served_at_stop = __atomic_load_n(&svc->served_at_stop, __ATOMIC_RELAXED);
	for (uint32_t i = 0; i < svc->nthreads; i++) {
		add_counters(&out->ctr, &svc->threads[i].worker.ctr);
		ugc_thread_cpu c = cpu_of(&svc->threads[i]);
		out->cpu_user_ns += c.user_ns;
		out->cpu_sys_ns += c.sys_ns;
	}
}

int64_t ugc_service_drain_faults(ugc_service *svc, ugc_fault_record *out, int64_t max)
{
	if (!svc->ring.cells)
		return 0;
	int64_t n = 0;
	while (n < max && ring_take(&svc->ring, &out[n]))
		n++;
	return n;
}

/* ---- resolvers -------------------------------------------------------------------- */

/* EEXIST: another thread mapped the page first. Its ioctl woke the waiters unless it
 * passed DONTWAKE, so wake them once more to be sure; the fault is resolved. */
static int settle(int uffd, uint64_t addr, uint64_t page, int rc, ugc_worker *w)
{
	if (rc != -EEXIST)
		return rc;
	ugc_uffd_wake(uffd, addr, page);
	if (w)
		w->ctr.wake_calls++;
	return 0;
}

int ugc_resolve_zero(void *ctx, int uffd, uint64_t fault_addr, uint64_t fault_flags, ugc_worker *worker)
{
	(void)ctx;
	(void)fault_flags;
	uint64_t page = page_size();
	int rc = ugc_uffd_zeropage(uffd, fault_addr, page, 0, NULL, worker ? &worker->ctr : NULL);
	return settle(uffd, fault_addr, page, rc, worker);
}

int ugc_resolve_copy(void *ctx, int uffd, uint64_t fault_addr, uint64_t fault_flags, ugc_worker *worker)
{
	(void)fault_flags;
	const ugc_copy_source *s = ctx;
	uint64_t page = page_size();
	if (!s || fault_addr < s->dst_base || fault_addr - s->dst_base + page > s->len)
		return -EFAULT; /* not a page this source can fill */
	uint64_t src = s->src_base + (fault_addr - s->dst_base);
	int rc = ugc_uffd_copy(uffd, fault_addr, src, page, 0, NULL, worker ? &worker->ctr : NULL);
	return settle(uffd, fault_addr, page, rc, worker);
}
