package io.uffdgc.gc;

/**
 * Who resolves a mutator's fault in the compaction window. Both run only C on the fault
 * path (a Java thread never resolves a userfault, UFFD-FACTS.md); they differ in where.
 */
public enum FaultHandling {
    /**
     * Native service threads poll the userfaultfd; the faulting thread sleeps in the kernel
     * until one of them has built its page and woken it. The baseline.
     */
    THREADS,
    /**
     * The faulting thread builds its own page: with UFFD_FEATURE_SIGBUS the missing page
     * raises SIGBUS, and a handler that chains to the JVM's own calls the page routine on
     * that thread (ART's mode). Falls back to THREADS, with one line in the log, where the
     * kernel does not grant the feature.
     */
    SIGBUS
}
