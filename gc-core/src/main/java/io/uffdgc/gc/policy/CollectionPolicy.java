package io.uffdgc.gc.policy;

import io.uffdgc.gc.Mode;
import java.time.Duration;

/**
 * Decides when the collector starts a cycle by itself. The collector asks
 * {@link #shouldCollect} every {@link #pollInterval()} on its policy thread; a
 * mutator whose allocation fails triggers a cycle whatever the policy says.
 * Implementations must be thread-safe and quick (no blocking).
 */
public interface CollectionPolicy {
    boolean shouldCollect(HeapUsage usage);

    /** The mode of cycles this policy starts. */
    default Mode mode() { return Mode.AUTO; }

    default Duration pollInterval() { return Duration.ofMillis(10); }

    /** Collect when the heap is at least {@code threshold} full (0 < threshold <= 1). */
    static CollectionPolicy occupancy(double threshold) { return new OccupancyPolicy(threshold, Mode.AUTO); }

    /** Never collect by itself: cycles come only from explicit collect() calls and allocation failures. */
    static CollectionPolicy manual() {
        return new CollectionPolicy() {
            @Override public boolean shouldCollect(HeapUsage usage) { return false; }

            @Override public String toString() { return "manual"; }
        };
    }
}
