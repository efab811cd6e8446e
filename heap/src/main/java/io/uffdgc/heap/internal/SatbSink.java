package io.uffdgc.heap.internal;

/**
 * Where a mutator's write-barrier buffer goes when it is full, and where the remark
 * pause sends what every buffer holds: the collector's marker (a downcall into the C
 * engine's queue). Installed by the collector ({@link HeapInternals#setSatbSink}).
 */
@FunctionalInterface
public interface SatbSink {
    /**
     * Takes count logged references (32-bit word offsets) at native address; copies them
     * before it returns. Called on the mutator's own thread, or on the safepoint requester's
     * while every mutator is stopped.
     */
    void push(long address, int count);
}
