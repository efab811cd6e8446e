package io.uffdgc.store;

import io.uffdgc.gc.Mode;
import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.gc.policy.HeapUsage;

/**
 * A store's default collection policy: collect when the heap in use has grown to ratio times
 * what the last cycle left, and by at least minGrowthBytes. Occupancy of the reserved
 * capacity (the collector's default policy) would let a store with a large reservation keep
 * most of it resident; tying the trigger to the live data keeps resident memory within about
 * ratio times live, whatever the reservation, at the cost of a cycle per (ratio - 1) of live
 * data allocated.
 */
public record LiveRatioPolicy(double ratio, long minGrowthBytes, Mode mode) implements CollectionPolicy {
    public static final double DEFAULT_RATIO = 1.25;
    public static final long DEFAULT_MIN_GROWTH = 4L << 20;

    public LiveRatioPolicy {
        if (!(ratio > 1)) throw new IllegalArgumentException("growth ratio " + ratio + " is not above 1");
        if (minGrowthBytes < 0) throw new IllegalArgumentException("minimum growth " + minGrowthBytes + " is negative");
        if (mode == null) throw new IllegalArgumentException("mode must not be null");
    }

    @Override
    public boolean shouldCollect(HeapUsage u) {
        long grown = u.allocatedSinceLast();
        return grown >= minGrowthBytes && u.used() >= ratio * u.liveAfterLast();
    }
}
