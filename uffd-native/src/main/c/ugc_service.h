/*
 * ugc_service.h: the native fault service.
 *
 * A JVM safepoint waits for a mutator blocked on a missing page (it is "in Java"
 * to the JVM), so whatever resolves that page must never be a Java thread that
 * can stop at a safepoint (../shared/design/UFFD-FACTS.md). The service's threads
 * are pthreads that never attach to the JVM: they poll the userfaultfd, read
 * fault messages and call a resolver written in C. Java starts, observes and
 * stops them through downcalls; there is no upcall into Java on this path.
 */
#ifndef UGC_SERVICE_H
#define UGC_SERVICE_H

#include <stdint.h>
#include "ugc_abi.h"
#include "ugc_sys.h"

/*
 * What a resolver gets besides its context: the thread it runs on. Resolvers
 * must be async-signal-safe and must not assume a dedicated thread, so that a
 * later SIGBUS mode can call them on the faulting thread itself.
 */
typedef struct ugc_worker {
	uint32_t index;        /* thread number within its service or compactor group */
	uint32_t reserved;
	uint64_t scratch;      /* address of scratch_len private bytes this worker may use freely */
	uint64_t scratch_len;  /* at least one page */
	ugc_counters ctr;      /* ioctls issued by this worker */
} ugc_worker;

/*
 * Resolves the fault at fault_addr (uffd_msg.pagefault.address, flags as read).
 * Returns 0 once the page is mapped and its waiters woken (by this call or by a
 * racing thread that won the page), else a negated errno. On failure the service
 * still wakes the page's waiters so the mutator retries its access.
 */
typedef int (*ugc_resolver_fn)(void *ctx, int uffd, uint64_t fault_addr, uint64_t fault_flags,
                               ugc_worker *worker);

typedef struct ugc_service ugc_service;

typedef struct ugc_service_stats {
	uint64_t faults;            /* page-fault messages read */
	uint64_t resolved;          /* faults whose resolver returned 0 */
	uint64_t failed;            /* faults whose resolver failed (the page's waiters were woken) */
	int64_t  last_error;        /* negated errno of the latest failure, 0 if none */
	uint64_t other_events;      /* messages other than page faults */
	uint64_t latencies_dropped; /* fault records lost because the ring was full */
	uint64_t served_at_stop;    /* messages still queued at stop, served by ugc_service_stop */
	uint64_t recorded;          /* faults whose record is in the ring or counted dropped: at most faults, and
	                             * equal once no fault is being served (a record is put after the resolver
	                             * returns, so after the faulting thread may already run on) */
	uint64_t cpu_user_ns;       /* CPU time of all service threads so far, user mode (ns; 0 in SIGBUS mode, whose faults run on the mutators) */
	uint64_t cpu_sys_ns;        /*   and kernel mode: see ugc_thread_cpu_read for what the split is */
	ugc_counters ctr;           /* ioctls issued by all threads, summed when read */
} ugc_service_stats;

/*
 * One served fault, as the service keeps it for Java (ugc_service_drain_faults). start_ns is
 * CLOCK_MONOTONIC, the clock of Java's System.nanoTime. Threads: from reading the message to
 * the resolver's return (the mutator's own stall is longer by its wake-up); SIGBUS: from
 * handler entry to exit, on the mutator, which is its stall.
 */
typedef struct ugc_fault_record {
	int64_t  start_ns;
	int64_t  stall_ns;
	uint64_t page;      /* the faulting page's address */
} ugc_fault_record;

#define UGC_SERVICE_MAX_THREADS 64
#define UGC_SERVICE_MAX_LATENCIES (1u << 24)

/*
 * Starts nthreads (1..64) service threads on uffd (which must be O_NONBLOCK) that
 * call resolver(ctx, ...) for every page fault. The service keeps a ring of
 * latency_capacity fault records (ugc_fault_record: start, service time, page)
 * for Java to drain into an HdrHistogram and, when asked, a trace.
 */
UGC_API int ugc_service_start(int uffd, uint32_t nthreads, ugc_resolver_fn resolver, void *ctx,
                              uint64_t latency_capacity, ugc_service **out);
/* (latency_capacity: 0 records nothing; at most UGC_SERVICE_MAX_LATENCIES; rounded up to a
 * power of two. -EINVAL for a uffd without O_NONBLOCK, a thread count out of range, a NULL
 * resolver or out.) */
/*
 * Starts a service that runs on the faulting threads themselves: uffd must have
 * UFFD_FEATURE_SIGBUS, so a missing page in [base, base+len) raises SIGBUS in the thread
 * that touched it, and a process-wide SIGBUS handler (installed at the first call with
 * sigaction, chaining every other SIGBUS to the action that was there before, e.g. the
 * JVM's) calls resolver(ctx, ...) on that thread and returns; the access then retries.
 * nworkers (1..64) scratch pages are shared by concurrent handlers; a handler that finds
 * none free calls the resolver with a NULL worker. The ring's records hold stalls: ns from
 * handler entry to exit, on the mutator. Stats, drain, stop and free are as for threads;
 * fault-message fields (other_events, served_at_stop) stay 0. At most 64 at once (-EBUSY).
 */
UGC_API int ugc_service_start_sigbus(int uffd, uint64_t base, uint64_t len, uint32_t nworkers,
                                     ugc_resolver_fn resolver, void *ctx, uint64_t latency_capacity,
                                     ugc_service **out);
/*
 * Stops the threads. Before they exit, every fault message already queued is read
 * and resolved (or its page woken), so no mutator is left blocked by the stop.
 * Faults that arrive later are nobody's: unregister the range or close the uffd
 * first if mutators may still touch missing pages.
 */
UGC_API int ugc_service_stop(ugc_service *svc);
/* Frees a stopped service. */
UGC_API void ugc_service_free(ugc_service *svc);
/* Copies the current counters into *out. */
UGC_API void ugc_service_stats_read(ugc_service *svc, ugc_service_stats *out);
/*
 * A live counter for a reader in another process: from now on every fault message (or SIGBUS
 * fault) is also added to the uint64_t at address `counter` (relaxed atomic add, no lock).
 * 0 unsets. The memory must stay mapped until it is unset or the service is freed.
 * -EINVAL for an address not 8-byte aligned.
 */
UGC_API int ugc_service_set_live_faults(ugc_service *svc, uint64_t counter);
/* Moves up to max fault records, oldest first, into out; returns how many. */
UGC_API int64_t ugc_service_drain_faults(ugc_service *svc, ugc_fault_record *out, int64_t max);

/* ---- resolvers shipped with the service --------------------------------- */

/* Maps the shared zero page at the faulting page (UFFDIO_ZEROPAGE). ctx unused. */
UGC_API int ugc_resolve_zero(void *ctx, int uffd, uint64_t fault_addr, uint64_t fault_flags,
                             ugc_worker *worker);

/* Context of ugc_resolve_copy: the page at dst_base + k is filled from src_base + k. */
typedef struct ugc_copy_source {
	uint64_t dst_base;
	uint64_t src_base;
	uint64_t len;
} ugc_copy_source;

/* Fills the faulting page from a source range (UFFDIO_COPY). ctx: ugc_copy_source*. */
UGC_API int ugc_resolve_copy(void *ctx, int uffd, uint64_t fault_addr, uint64_t fault_flags,
                             ugc_worker *worker);

#endif
