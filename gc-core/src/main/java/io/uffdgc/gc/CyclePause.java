package io.uffdgc.gc;

/**
 * One heap safepoint of a cycle: from requesting it until the mutators resumed.
 *
 * @param kind                 which step it held
 * @param nanos                its length
 * @param timeToSafepointNanos of that, waiting for the mutators to stop
 */
public record CyclePause(Kind kind, long nanos, long timeToSafepointNanos) {
    /** The pauses of a cycle, in order; stop-the-world marking has only FLIP. */
    public enum Kind {
        /** Concurrent marking begins: the barrier turns on, the top is remembered. */
        MARK_BEGIN,
        /** Every barrier buffer drained, marking finished, the barrier off. */
        REMARK,
        /** After the concurrent plan: every TLAB retired, so the allocations since remark can be planned beside the mutators. */
        TAIL,
        /**
         * Roots forwarded, the heap moved to from-space and registered; before that the objects
         * allocated since the TAIL pause are planned (concurrent marking), or marking and planning
         * happen right here (stop-the-world marking). STW compaction: every page too.
         */
        FLIP
    }
}
