package io.uffdgc.gc.policy;

import io.uffdgc.gc.Mode;
import java.time.Duration;

/**
 * Decides when the collector starts a cycle by itself, and in which mode: the extension
 * point for research on collection policies. Give an implementation to
 * {@code CollectorConfig.withPolicy}; nothing else in the collector changes.
 *
 * <p>The contract:
 * <ol>
 *   <li>the collector asks {@link #shouldCollect} every {@link #pollInterval()} on its own
 *       policy thread (one thread, never concurrently with itself), with what it knows of the
 *       heap now ({@link HeapUsage}: used, capacity, live bytes the last cycle found, cycles);</li>
 *   <li>when it answers true, a cycle runs in {@link #mode(HeapUsage)} (asked right after, with
 *       the same usage), unless a cycle is already running, which the new one then follows;</li>
 *   <li>a mutator whose allocation fails triggers a cycle whatever the policy says (in
 *       {@link #mode()}), and an explicit {@code collect()} uses {@link #mode()} too;</li>
 *   <li>implementations must be quick (no blocking: they hold up nothing but their own thread,
 *       but a slow one polls late) and safe to call from the policy thread and from tests;
 *       state between polls is theirs to keep (e.g. {@link AllocationRatePolicy}'s rate).</li>
 * </ol>
 * Examples: {@link OccupancyPolicy} (the default: a fixed occupancy), {@link AllocationRatePolicy}
 * (when the allocation rate would fill the heap too soon), {@link FragmentationPolicy} (the
 * mode chosen from the expected fragmentation). Every cycle's statistics reach a
 * {@code CycleListener}, so a policy can be judged from the same figures it is tuned on.
 */
public interface CollectionPolicy {
    boolean shouldCollect(HeapUsage usage);

    /** The mode of cycles this policy cannot see the heap for (failed allocations, explicit collect()). */
    default Mode mode() { return Mode.AUTO; }

    /** The mode of the cycle this policy starts, given the usage it decided on; by default {@link #mode()}. */
    default Mode mode(HeapUsage usage) { return mode(); }

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
