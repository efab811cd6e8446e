package io.uffdgc.gc.policy;

import io.uffdgc.gc.Mode;

/**
 * The default policy: collect once the heap is {@code threshold} full, but only if
 * enough was allocated since the last cycle to be worth it (an eighth of the free
 * space the last cycle left), so a heap whose live data alone exceeds the threshold
 * does not collect back to back.
 */
public record OccupancyPolicy(double threshold, Mode mode) implements CollectionPolicy {
    public OccupancyPolicy {
        if (!(threshold > 0 && threshold <= 1))
            throw new IllegalArgumentException("occupancy threshold " + threshold + " is not in (0, 1]");
        if (mode == null) throw new IllegalArgumentException("mode must not be null");
    }

    @Override
    public boolean shouldCollect(HeapUsage u) {
        if (u.occupancy() < threshold) return false;
        long freeAfterLast = u.capacity() - u.liveAfterLast();
        return u.cycles() == 0 || u.allocatedSinceLast() >= freeAfterLast / 8;
    }
}
