package io.uffdgc.gc;

/** Told about every completed cycle, on the thread that ran it; must not block or throw. */
@FunctionalInterface
public interface CycleListener {
    void cycleCompleted(CycleStats stats);

    /**
     * The compaction window opened: the mutators have resumed after the flip and pages
     * are compacted while they run (MOVE and COPY only). Lets a workload tell the
     * operations that met the window from the others.
     */
    default void windowOpened(Mode mode) {}

    /** The compaction window closed: every page is installed. */
    default void windowClosed(Mode mode) {}

    /**
     * Concurrent marking began: the mutators have resumed after the MARK_BEGIN pause and
     * their reference stores pass the write barrier until {@link #markingEnded}.
     */
    default void markingStarted() {}

    /** The REMARK pause ended: marking is complete, the barrier is off again. */
    default void markingEnded() {}

    /**
     * Concurrent planning ended (concurrent marking only): the plan and the roots'
     * forwardings are computed, and the FLIP pause is requested when this returns. A root
     * the mutators changed after the engine read it (from during that computation on) is
     * forwarded inside that pause.
     */
    default void planningEnded() {}
}
