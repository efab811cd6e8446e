/*
 * ugc_testing.c: helpers the tests need that Java cannot do safely itself.
 *
 * A forked JVM must run nothing but async-signal-safe code (only the forking
 * thread exists in the child, every lock may be held by a thread that is gone),
 * so the child is created and kept here in C and never returns to Java.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "uffdgc.h"
#include "ugc_testing.h"

int ugc_test_fork_sleeper(void)
{
	pid_t parent = getpid();
	/* _Fork: no atfork handlers run, so no JVM or libc code runs in the child. */
	pid_t pid = _Fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		/* Die with the parent, even if it is killed before it can kill us. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		for (;;)
			pause();
	}
	return pid;
}

int ugc_test_kill_child(int pid)
{
	if (pid <= 0)
		return -EINVAL;
	if (kill(pid, SIGKILL) < 0)
		return -errno;
	while (waitpid(pid, NULL, 0) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	return 0;
}

/* ---- a C thread that faults on one address -------------------------------------- */

struct toucher {
	pthread_t tid;
	uint64_t addr;
	uint8_t value;
	_Atomic int done;
};

static void *touch_main(void *arg)
{
	struct toucher *t = arg;
	t->value = *(volatile uint8_t *)(uintptr_t)t->addr;
	atomic_store(&t->done, 1);
	return NULL;
}

int64_t ugc_test_touch_start(uint64_t addr)
{
	struct toucher *t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->addr = addr;
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&t->tid, NULL, touch_main, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		free(t);
		return -rc;
	}
	return (int64_t)(uintptr_t)t;
}

int ugc_test_touch_join(int64_t handle, int timeout_ms, uint8_t *value)
{
	struct toucher *t = (struct toucher *)(uintptr_t)handle;
	struct timespec tick = { 0, 1000000 };
	for (int waited = 0; !atomic_load(&t->done); waited++) {
		if (waited >= timeout_ms)
			return 0; /* still blocked: the caller must resolve the page, then join again */
		nanosleep(&tick, NULL);
	}
	pthread_join(t->tid, NULL);
	if (value)
		*value = t->value;
	free(t);
	return 1;
}

/* ---- a resolver that takes its time ------------------------------------------------ */

int ugc_test_resolve_slow_zero(void *ctx, int uffd, uint64_t fault_addr, uint64_t fault_flags,
			       ugc_worker *worker)
{
	uint64_t ns = *(const uint64_t *)ctx;
	struct timespec d = { (time_t)(ns / 1000000000), (long)(ns % 1000000000) };
	while (nanosleep(&d, &d) < 0 && errno == EINTR)
		;
	return ugc_resolve_zero(NULL, uffd, fault_addr, fault_flags, worker);
}
