package io.uffdgc.gc.policy;

import io.uffdgc.gc.Mode;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * An example of a policy with state: collect when, at the allocation rate of the last poll
 * interval, the free heap would be gone within {@code headroom} (the time a cycle needs to
 * give memory back, with margin). A mutator that allocates fast starts a cycle early, at
 * lower occupancy; one that allocates slowly lets the heap fill further. Like the occupancy
 * policy, it does not collect again before an eighth of the free space the last cycle left
 * was allocated. Called by the policy thread only; synchronized for tests that call it too.
 */
public final class AllocationRatePolicy implements CollectionPolicy {
    private final Duration headroom;
    private final Mode mode;
    private final LongSupplier nanoClock;
    private long lastUsed = -1, lastAt;
    private double bytesPerSecond;

    public AllocationRatePolicy(Duration headroom, Mode mode) { this(headroom, mode, System::nanoTime); }

    /** nanoClock: System.nanoTime in use; a test's clock in tests. */
    public AllocationRatePolicy(Duration headroom, Mode mode, LongSupplier nanoClock) {
        if (headroom == null || headroom.isNegative() || headroom.isZero())
            throw new IllegalArgumentException("headroom must be positive, not " + headroom);
        if (mode == null) throw new IllegalArgumentException("mode must not be null");
        this.headroom = headroom;
        this.mode = mode;
        this.nanoClock = nanoClock;
    }

    @Override
    public synchronized boolean shouldCollect(HeapUsage u) {
        long now = nanoClock.getAsLong();
        if (lastUsed >= 0 && now > lastAt) {
            // A cycle lowers used: allocation since then is at least the new used minus the compacted end.
            long allocated = u.used() >= lastUsed ? u.used() - lastUsed : Math.max(0, u.used() - u.liveAfterLast());
            bytesPerSecond = allocated * 1e9 / (now - lastAt);
        }
        lastUsed = u.used();
        lastAt = now;
        if (bytesPerSecond <= 0) return false;
        double secondsLeft = (u.capacity() - u.used()) / bytesPerSecond;
        if (secondsLeft > headroom.toNanos() / 1e9) return false;
        long freeAfterLast = u.capacity() - u.liveAfterLast();
        return u.cycles() == 0 || u.allocatedSinceLast() >= freeAfterLast / 8;
    }

    /** The rate the last poll measured, bytes per second. */
    public synchronized double bytesPerSecond() { return bytesPerSecond; }

    @Override
    public Mode mode() { return mode; }

    @Override
    public String toString() { return "allocation-rate(headroom " + headroom.toMillis() + " ms, " + mode + ")"; }
}
