package io.uffdgc.gc;

/** Told about every completed cycle, on the thread that ran it; must not block or throw. */
@FunctionalInterface
public interface CycleListener {
    void cycleCompleted(CycleStats stats);
}
