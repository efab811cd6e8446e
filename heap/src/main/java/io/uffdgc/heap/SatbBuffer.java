package io.uffdgc.heap;

import io.uffdgc.heap.internal.SatbSink;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One mutator's log of the references its stores overwrote while marking is active
 * ({@link SatbBarrier}): native memory, off the Java heap, so logging allocates nothing
 * and the C marker reads it where it is. A full buffer is pushed to the collector's sink
 * on the mutator's own thread; the remark pause pushes the rest.
 *
 * <p>Threading: the owner appends and flushes while RUNNING; the safepoint requester
 * flushes or empties it while the owner is not RUNNING (SafepointCoordinator G2, G3).
 * The memory is freed by the garbage collector of the Java heap once the mutator is gone
 * (an automatic arena): the requester may still be reading a just-detached mutator's
 * buffer, so an explicit free on detach could pull it from under it.
 */
final class SatbBuffer {
    /** 4 KiB: one downcall per 1024 logged stores. */
    static final int CAPACITY = 1024;
    private static final ValueLayout.OfInt REF = ValueLayout.JAVA_INT;

    private final MemorySegment refs = Arena.ofAuto().allocate(REF, CAPACITY);
    private final SatbBarrier barrier;
    private int count;

    SatbBuffer(SatbBarrier barrier) { this.barrier = barrier; }

    /** Logs ref (a word offset; 0, null, needs nothing). Out of line from the store: only while marking. */
    void log(int ref) {
        if (ref == 0) return;
        refs.setAtIndex(REF, count, ref);
        if (++count == CAPACITY) flushTo(barrier.sink());
    }

    /** Hands every logged reference to sink and empties the buffer. */
    void flushTo(SatbSink sink) {
        if (count == 0) return;
        int n = count;
        count = 0;
        sink.push(refs.address(), n);
    }

    /** Drops what is logged (a buffer of an earlier cycle). */
    void discard() { count = 0; }
}
