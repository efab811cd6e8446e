/*
 * ugc_dcheck.h: preconditions checked in test builds.
 *
 * UGC_DCHECK(cond, msg) states what must hold at that point (MMTk's debug_assert!).
 * The build compiles the library twice: libuffdgc.so without the checks, and
 * libuffdgc-dcheck.so with -DUGC_DCHECK_ON, which the test suite loads
 * (NativeLibrary, system property uffdgc.native.dcheck). A failed check writes one
 * line to stderr and aborts: write(2) and abort(3) are async-signal-safe, so a check
 * may sit on the fault path (a fault server, later a SIGBUS handler).
 */
#ifndef UGC_DCHECK_H
#define UGC_DCHECK_H

#ifdef UGC_DCHECK_ON
__attribute__((noreturn, cold)) void ugc_dcheck_fail(const char *file, int line, const char *cond, const char *msg);
#define UGC_DCHECK(cond, msg)                                                   \
	do {                                                                    \
		if (__builtin_expect(!(cond), 0))                               \
			ugc_dcheck_fail(__FILE__, __LINE__, #cond, (msg));      \
	} while (0)
#else
/* Compiled out, but still type-checked, so a check cannot rot in release builds. */
#define UGC_DCHECK(cond, msg) ((void)sizeof((cond) ? 1 : 0), (void)sizeof(msg))
#endif

#endif
