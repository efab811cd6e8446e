package io.uffdgc.gc.policy;

/**
 * What a policy sees of the heap when it is asked whether to collect.
 *
 * @param used          bytes claimed by allocation (the heap's top)
 * @param capacity      bytes reserved
 * @param liveAfterLast live bytes the last cycle found (0 before the first)
 * @param cycles        cycles completed so far
 */
public record HeapUsage(long used, long capacity, long liveAfterLast, long cycles) {
    public double occupancy() { return (double) used / capacity; }

    /** Bytes allocated since the last cycle's compacted end: what a cycle could free at most. */
    public long allocatedSinceLast() { return Math.max(0, used - liveAfterLast); }
}
