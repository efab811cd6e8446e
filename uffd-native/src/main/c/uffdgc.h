/*
 * uffdgc.h: the one contract between Java and C.
 *
 * jextract reads this file (scripts/regen-bindings) and generates the Java side,
 * package io.uffdgc.uffd.gen, which is committed. Change a struct or a constant
 * here, regenerate, and both sides move together; AbiTest checks that the
 * generated layouts equal what the C compiler sees.
 *
 * Conventions for every function declared here:
 *  - a negative return value is a negated errno; 0 or a positive value is success;
 *  - addresses cross the boundary as uint64_t (Java long), never as pointers to
 *    Java memory;
 *  - functions a faulting thread may wait on (resolvers, the page routine, the
 *    ioctl wrappers) are async-signal-safe: no malloc, no locks, no stdio.
 */
#ifndef UFFDGC_H
#define UFFDGC_H

#include "ugc_abi.h"      /* kernel ABI: userfaultfd.h plus what the 6.1 headers lack */
#include "ugc_sys.h"      /* checked wrappers: userfaultfd ioctls, mmap/mremap/madvise */
#include "ugc_service.h"  /* native fault service: threads that resolve userfaults */
#include "ugc_object.h"   /* heap object model: header word, layouts, references */
#include "ugc_gc.h"       /* collector engine: mark, plan, flip, page routine */

#endif
