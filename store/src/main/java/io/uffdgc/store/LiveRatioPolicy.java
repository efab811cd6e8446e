package io.uffdgc.store;

import io.uffdgc.gc.Mode;
import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.gc.policy.HeapUsage;
import java.util.function.LongSupplier;

/**
 * A store's default collection policy: collect when the heap in use has grown to ratio
 * times the live data, and by at least minGrowthBytes of garbage. The live data is what the
 * store counts it keeps reachable (every entry, array and table, exactly), so deleting
 * entries alone is reason to collect; without a store (a policy made with the public
 * constructor), it is what the last cycle left.
 *
 * <p>Why not the collector's default, occupancy of the reservation: a store with a large
 * reservation would then keep most of it resident. Tying the trigger to the live data keeps
 * resident memory within about ratio times live, whatever the reservation, at the cost of a
 * cycle per (ratio - 1) of live data allocated or deleted.
 */
public final class LiveRatioPolicy implements CollectionPolicy {
    public static final double DEFAULT_RATIO = 1.25;
    public static final long DEFAULT_MIN_GROWTH = 4L << 20;

    private final double ratio;
    private final long minGrowthBytes;
    private final Mode mode;
    private final LongSupplier liveBytes;

    public LiveRatioPolicy(double ratio, long minGrowthBytes, Mode mode) { this(ratio, minGrowthBytes, mode, null); }

    LiveRatioPolicy(double ratio, long minGrowthBytes, Mode mode, LongSupplier liveBytes) {
        if (!(ratio > 1)) throw new IllegalArgumentException("growth ratio " + ratio + " is not above 1");
        if (minGrowthBytes < 0) throw new IllegalArgumentException("minimum growth " + minGrowthBytes + " is negative");
        if (mode == null) throw new IllegalArgumentException("mode must not be null");
        this.ratio = ratio;
        this.minGrowthBytes = minGrowthBytes;
        this.mode = mode;
        this.liveBytes = liveBytes;
    }

    @Override
    public boolean shouldCollect(HeapUsage u) {
        long live = liveBytes != null ? liveBytes.getAsLong() : u.liveAfterLast();
        return u.used() - live >= minGrowthBytes && u.used() >= ratio * live;
    }

    @Override
    public Mode mode() { return mode; }

    public double ratio() { return ratio; }

    public long minGrowthBytes() { return minGrowthBytes; }

    @Override
    public String toString() { return "LiveRatioPolicy[ratio " + ratio + ", min growth " + minGrowthBytes + " B, " + mode + "]"; }
}
