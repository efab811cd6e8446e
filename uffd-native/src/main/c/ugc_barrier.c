/*
 * ugc_barrier.c: the wait barrier of ugc_sys.h, over futex(2).
 *
 * The word's protocol: 0 is disarmed; arm stores a nonzero tag; disarm stores 0 and then
 * wakes. A waiter that read tag t sleeps in FUTEX_WAIT(t), which the kernel refuses (EAGAIN)
 * if the word no longer holds t, so a disarm between the waiter's read and its sleep cannot
 * be missed. The tag changes on every arm (the caller's job), so a waiter that slept through
 * one disarm and the next arm still returns: its t is gone either way.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "uffdgc.h"

/* A sleeper rechecks the word this often even if no wake comes (a wake that failed). */
#define RECHECK_S 1

static long futex(int32_t *word, int op, int32_t val, const struct timespec *timeout)
{
	return syscall(SYS_futex, word, op | FUTEX_PRIVATE_FLAG, val, timeout, NULL, 0);
}

void ugc_barrier_arm(int32_t *word, int32_t tag)
{
	atomic_store_explicit((_Atomic int32_t *)word, tag, memory_order_seq_cst);
}

void ugc_barrier_wait(int32_t *word)
{
	int32_t tag = atomic_load_explicit((_Atomic int32_t *)word, memory_order_acquire);
	if (tag == 0)
		return;
	const struct timespec recheck = { RECHECK_S, 0 };
	while (atomic_load_explicit((_Atomic int32_t *)word, memory_order_acquire) == tag)
		futex(word, FUTEX_WAIT, tag, &recheck); /* woken, EAGAIN (changed), EINTR, ETIMEDOUT: recheck */
}

int ugc_barrier_disarm(int32_t *word, int64_t *wake_ns)
{
	struct timespec now;
	atomic_store_explicit((_Atomic int32_t *)word, 0, memory_order_seq_cst);
	clock_gettime(CLOCK_MONOTONIC, &now); /* vDSO, no system call: ~20 ns */
	*wake_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
	long woken = futex(word, FUTEX_WAKE, INT_MAX, NULL);
	return woken < 0 ? -errno : (int)woken;
}
