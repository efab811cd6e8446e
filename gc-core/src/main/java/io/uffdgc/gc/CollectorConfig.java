package io.uffdgc.gc;

import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.gc.policy.OccupancyPolicy;
import java.time.Duration;

/**
 * How a collector runs.
 *
 * @param faultThreads     native fault-service threads (1..64), alive for the collector's lifetime
 * @param compactorThreads compactor threads per window (1..64)
 * @param runPages         longest run of contiguous pages one ioctl installs (1..64)
 * @param policy           starts cycles by itself
 * @param windowTimeout    a window not closed by then fails the cycle (a bug or a closed heap, never load)
 */
public record CollectorConfig(int faultThreads, int compactorThreads, int runPages, CollectionPolicy policy,
                              Duration windowTimeout) {
    public static final double DEFAULT_OCCUPANCY = 0.75;

    public CollectorConfig {
        if (faultThreads < 1 || faultThreads > 64)
            throw new IllegalArgumentException("faultThreads " + faultThreads + " is not in 1..64");
        if (compactorThreads < 1 || compactorThreads > 64)
            throw new IllegalArgumentException("compactorThreads " + compactorThreads + " is not in 1..64");
        if (runPages < 1 || runPages > 64)
            throw new IllegalArgumentException("runPages " + runPages + " is not in 1..64");
        if (policy == null) throw new IllegalArgumentException("policy must not be null");
        if (windowTimeout == null || windowTimeout.isNegative() || windowTimeout.isZero())
            throw new IllegalArgumentException("windowTimeout must be positive, not " + windowTimeout);
    }

    /** One fault thread, one compactor, runs of 64 pages, collect at 75% occupancy. */
    public static CollectorConfig defaults() {
        return new CollectorConfig(1, 1, 64, new OccupancyPolicy(DEFAULT_OCCUPANCY, Mode.AUTO), Duration.ofSeconds(60));
    }

    public CollectorConfig withFaultThreads(int n) { return new CollectorConfig(n, compactorThreads, runPages, policy, windowTimeout); }

    public CollectorConfig withCompactorThreads(int n) { return new CollectorConfig(faultThreads, n, runPages, policy, windowTimeout); }

    public CollectorConfig withRunPages(int n) { return new CollectorConfig(faultThreads, compactorThreads, n, policy, windowTimeout); }

    public CollectorConfig withPolicy(CollectionPolicy p) { return new CollectorConfig(faultThreads, compactorThreads, runPages, p, windowTimeout); }

    public CollectorConfig withWindowTimeout(Duration t) { return new CollectorConfig(faultThreads, compactorThreads, runPages, policy, t); }
}
