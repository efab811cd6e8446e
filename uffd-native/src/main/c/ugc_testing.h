/*
 * ugc_testing.h: knobs and helpers for the tests only, apart from the contract
 * (uffdgc.h) so that no user-facing binding carries them. scripts/regen-bindings
 * generates their Java side into io.uffdgc.uffd.gen.testing (class UffdgcTesting),
 * a package the Java modules export to the tests' modules only.
 */
#ifndef UGC_TESTING_H
#define UGC_TESTING_H

#include <stdint.h>
#include "uffdgc.h"

/* ---- fault injection into the ioctl and mapping wrappers (ugc_sys.c) ------------ */

/* Which wrapper an injected failure hits. */
#define UGC_INJECT_COPY     0
#define UGC_INJECT_ZEROPAGE 1
#define UGC_INJECT_MOVE     2
#define UGC_INJECT_RESERVE  3 /* ugc_mem_reserve: the mmap of a compactor's or finish's buffer */
#define UGC_INJECT_KINDS    4

/*
 * Test-only switch: the next `count` calls of wrapper `kind` fail with -err
 * instead of reaching the kernel. If partial_bytes > 0 and err is EAGAIN, each
 * such call first does partial_bytes for real, then reports EAGAIN with that
 * progress (exercising the resume path). Async-signal-safe (atomics only).
 */
UGC_API void ugc_inject(int kind, int err, uint32_t count, uint64_t partial_bytes);
UGC_API void ugc_inject_clear(void);

/* ---- the library itself --------------------------------------------------------------- */

/* 1 if this library was built with its UGC_DCHECK preconditions compiled in, else 0. */
UGC_API int ugc_dcheck_enabled(void);

/* ---- the collector engine ------------------------------------------------------------ */

/* The next compactor call stops after claiming `pages` pages (-1: never); finish takes the rest. */
UGC_API void ugc_gc_set_abandon_after(ugc_gc *gc, int64_t pages);

/* Compactor threads sleep `ns` nanoseconds before each of the next `pages` pages they build:
 * a slow compactor, so a test can fault on a page inside a run it has claimed and not built yet. */
UGC_API void ugc_gc_set_build_delay(ugc_gc *gc, uint64_t ns, int64_t pages);

/* ---- children and threads for tests (never on the fault path) ------------------ */

/*
 * Forks a child that shares every private anonymous page of this process
 * copy-on-write (so UFFDIO_MOVE of such a page fails with EBUSY) and sleeps until
 * it is killed. The child runs no Java and dies with its parent. Returns its pid.
 */
UGC_API int ugc_test_fork_sleeper(void);
/* SIGKILLs and reaps a child started by ugc_test_fork_sleeper. */
UGC_API int ugc_test_kill_child(int pid);

/* Starts a pthread (not attached to the JVM) that reads one byte at addr, so a test
 * can fault a registered page without blocking a Java thread. Returns a handle. */
UGC_API int64_t ugc_test_touch_start(uint64_t addr);
/* Waits up to timeout_ms for that thread: 1 joined (the byte read is in *value), 0 still blocked. */
UGC_API int ugc_test_touch_join(int64_t handle, int timeout_ms, uint8_t *value);

/* A resolver that sleeps *(uint64_t *)ctx nanoseconds, then does what ugc_resolve_zero does:
 * lets a test hold a service thread busy while more faults queue up. */
UGC_API int ugc_test_resolve_slow_zero(void *ctx, int uffd, uint64_t fault_addr, uint64_t fault_flags,
                                       ugc_worker *worker);

#endif
