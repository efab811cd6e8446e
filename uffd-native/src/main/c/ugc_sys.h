/*
 * ugc_sys.h: thin, checked wrappers over the system calls uffdgc needs.
 *
 * Every function returns a negated errno on failure, so Java never reads errno
 * (a JVM thread's errno is not ours to trust between two downcalls).
 */
#ifndef UGC_SYS_H
#define UGC_SYS_H

#include <stdint.h>
#include "ugc_abi.h"

/* ---- creating a userfaultfd ------------------------------------------- */

/* userfaultfd(2) with these flags (O_CLOEXEC, O_NONBLOCK, UFFD_USER_MODE_ONLY). Returns fd. */
UGC_API int ugc_uffd_create_syscall(int flags);
/* open("/dev/userfaultfd") then ioctl USERFAULTFD_IOC_NEW(flags). Returns fd. */
UGC_API int ugc_uffd_create_dev(int flags);
UGC_API int ugc_close(int fd);

/* Values for the flags above, so Java needs no libc header. */
#define UGC_O_CLOEXEC  02000000
#define UGC_O_NONBLOCK 04000

/* ---- userfaultfd ioctls ------------------------------------------------ */

/* UFFDIO_API handshake. Requesting features = 0 reports every feature the kernel has. */
UGC_API int ugc_uffd_api(int fd, uint64_t features, uint64_t *features_out, uint64_t *ioctls_out);
UGC_API int ugc_uffd_register(int fd, uint64_t start, uint64_t len, uint64_t mode, uint64_t *ioctls_out);
UGC_API int ugc_uffd_unregister(int fd, uint64_t start, uint64_t len);
UGC_API int ugc_uffd_wake(int fd, uint64_t start, uint64_t len);

/*
 * UFFDIO_COPY / UFFDIO_ZEROPAGE / UFFDIO_MOVE. Return 0 when all len bytes are
 * done, else a negated errno; *done (may be NULL) receives the bytes done either
 * way. EAGAIN after partial progress is resumed here from where the kernel
 * stopped; EAGAIN with no progress at all is returned (the cause, e.g. a pending
 * non-cooperative event, will not clear by retrying at once).
 * ctr (may be NULL) accumulates calls, bytes and errors.
 */
typedef struct ugc_counters {
	uint64_t copy_calls, copy_bytes;
	uint64_t zeropage_calls, zeropage_bytes;
	uint64_t move_calls, move_bytes;
	uint64_t wake_calls;
	uint64_t eexist;      /* destination already mapped: another thread won the page */
	uint64_t eagain;      /* partial progress or mmap changing */
	uint64_t ebusy;       /* MOVE source pinned or shared */
	uint64_t enomem;
	uint64_t other_errors;
} ugc_counters;

UGC_API int ugc_uffd_copy(int fd, uint64_t dst, uint64_t src, uint64_t len, uint64_t mode,
                          int64_t *done, ugc_counters *ctr);
UGC_API int ugc_uffd_zeropage(int fd, uint64_t dst, uint64_t len, uint64_t mode,
                              int64_t *done, ugc_counters *ctr);
UGC_API int ugc_uffd_move(int fd, uint64_t dst, uint64_t src, uint64_t len, uint64_t mode,
                          int64_t *done, ugc_counters *ctr);

/* Waits up to timeout_ms (-1: forever) for one event and reads it: 1 read, 0 timed out. */
UGC_API int ugc_uffd_read(int fd, struct uffd_msg *msg, int timeout_ms);

/* ---- memory ------------------------------------------------------------ */

#define UGC_PROT_NONE  0
#define UGC_PROT_READ  1
#define UGC_PROT_WRITE 2
#define UGC_MADV_DONTNEED   4
#define UGC_MADV_DONTFORK   10
#define UGC_MADV_HUGEPAGE   14
#define UGC_MADV_NOHUGEPAGE 15

/* Private anonymous MAP_NORESERVE mapping of len bytes whose start is a multiple of
 * align (a power of two >= page size). Returns the address, or a negated errno. */
UGC_API int64_t ugc_mem_reserve(uint64_t len, uint64_t align, int prot);
/* Replaces [addr, addr+len) with a fresh private anonymous mapping (MAP_FIXED). */
UGC_API int ugc_mem_map_fixed(uint64_t addr, uint64_t len, int prot);
UGC_API int ugc_mem_unmap(uint64_t addr, uint64_t len);
/* mremap(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP): the pages move to
 * new_addr, the old range stays mapped, empty, and keeps its uffd registration. */
UGC_API int ugc_mem_remap_dontunmap(uint64_t old_addr, uint64_t len, uint64_t new_addr);
UGC_API int ugc_mem_advise(uint64_t addr, uint64_t len, int advice);
UGC_API int ugc_mem_protect(uint64_t addr, uint64_t len, int prot);
/* Bytes of [addr, addr+len) resident in memory (mincore). */
UGC_API int64_t ugc_mem_resident(uint64_t addr, uint64_t len);
/*
 * A fault's stall as the faulting thread sees it: if mincore says the page of addr is
 * not resident, reads one byte of it and returns how long the read took (ns, from before
 * the read to after it, CLOCK_MONOTONIC); -ENOENT if the page was resident (nothing read).
 * The read faults unless the page was installed between the two calls (then it is short).
 */
UGC_API int64_t ugc_mem_timed_touch(uint64_t addr);
UGC_API int64_t ugc_page_size(void);

/* ---- a wait barrier: one system call wakes every waiter ------------------ */

/*
 * How a heap safepoint ends (HotSpot's safepoints end the same way: WaitBarrier, a futex
 * on Linux). The requester arms a 32-bit word with a nonzero tag before it publishes the
 * request; a stopped thread sleeps while the word still holds the tag it read; disarm
 * stores 0 and wakes them all with one FUTEX_WAKE. Waking N sleepers one by one instead
 * lets the first one woken take the waker's core before the next is woken (measured with
 * LockSupport.unpark on 2 cores: the last mutator woken up to 1.3 ms after the first).
 * Sleeping in a downcall is safe for the JVM: a thread in native code is at a JVM safepoint.
 */
UGC_API void ugc_barrier_arm(int32_t *word, int32_t tag);
/* Sleeps until *word no longer holds the value read on entry; returns at once if that was 0.
 * Spurious wake-ups and signals (EINTR) are slept through; it returns only on a change,
 * which it also sees within a second without a wake (should a disarm's wake fail). */
UGC_API void ugc_barrier_wait(int32_t *word);
/* Stores 0 and wakes every sleeper. *wake_ns receives CLOCK_MONOTONIC (System.nanoTime's
 * clock) just before the wake: where the sleepers stop waiting, even if waking them costs
 * the caller its core before the system call returns. Returns how many were woken, or a
 * negated errno. */
UGC_API int ugc_barrier_disarm(int32_t *word, int64_t *wake_ns);

/* ---- CPU time ---------------------------------------------------------- */

/* A thread's CPU time, user and system (kernel) mode apart, in nanoseconds. */
typedef struct ugc_thread_cpu {
	uint64_t user_ns;
	uint64_t sys_ns;
} ugc_thread_cpu;

/*
 * The calling thread's CPU time so far. The total is the CLOCK_THREAD_CPUTIME_ID clock
 * (the scheduler's runtime to the nanosecond, the running slice included); the split is
 * getrusage(RUSAGE_THREAD)'s, whose own sum lags a running thread by the slice not yet
 * accounted (measured: 2.8 ms behind the clock after 60 ms of spinning). With tick
 * accounting (CONFIG_TICK_CPU_ACCOUNTING, HZ 250 on this machine kind) the kernel splits
 * the runtime in the ratio of the ticks that found the thread in each mode, so over a
 * short interval the split is a sample (one tick per 4 ms of CPU) and the total is not.
 * Two syscalls, ~1.3 us in this guest. Not async-signal-safe by POSIX's list: never call
 * it on a fault path.
 */
UGC_API int ugc_thread_cpu_read(ugc_thread_cpu *out);

#endif
