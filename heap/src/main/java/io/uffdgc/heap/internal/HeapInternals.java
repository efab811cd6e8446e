package io.uffdgc.heap.internal;

import io.uffdgc.heap.Heap;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * What only the collector (and the heap's own verifier) may do to a heap: read its native
 * descriptor and its whole range, reach its handle table, move its top after a compaction,
 * report live bytes. None of it is on {@link Heap}'s public API, because each of these breaks
 * a promise the API makes to its users (handles cannot be forged, raw addresses never leave
 * a mutator, the top moves only inside a collection).
 *
 * <p>This package is exported to {@code io.uffdgc.gc} alone ({@code module-info.java}), so on
 * the module path no other module can reach it. (On the class path Java enforces no module
 * boundaries: there the package name is the warning.)
 *
 * <p>Heap installs the one {@link Bridge} from its static initializer, the pattern of the
 * JDK's {@code SharedSecrets}: the heap's private state stays private to it.
 */
public final class HeapInternals {
    /** Implemented once, by Heap. */
    public interface Bridge {
        MemorySegment descriptor(Heap heap);

        MemorySegment segment(Heap heap);

        HandleTable handles(Heap heap);

        void resetTop(Heap heap, long newTop);

        void setLiveBytes(Heap heap, long bytes);

        void setSatbSink(Heap heap, SatbSink sink);

        void beginMarking(Heap heap);

        void endMarking(Heap heap);

        void rootsCopied(Heap heap);

        void clearRootCards(Heap heap);

        void cancelMarking(Heap heap);

        void disableBarrierForTesting(Heap heap);

        HeapReadGuard holdOpen(Heap heap);

        Object claimCollector(Heap heap, Object collector);

        void releaseCollector(Heap heap, Object collector);
    }

    private static Bridge bridge;

    private final Heap heap;
    private final Bridge access;

    private HeapInternals(Heap heap, Bridge access) {
        this.heap = heap;
        this.access = access;
    }

    /** Called by Heap's static initializer; refused a second time. */
    public static synchronized void install(Bridge b) {
        if (bridge != null) throw new IllegalStateException("the heap bridge is installed already");
        bridge = Objects.requireNonNull(b);
    }

    /** The collector's view of heap. */
    public static HeapInternals of(Heap heap) {
        Objects.requireNonNull(heap, "heap");
        Bridge b;
        synchronized (HeapInternals.class) {
            b = bridge; // set by Heap's class initialization, which a Heap instance implies
        }
        return new HeapInternals(heap, b);
    }

    /** The heap's ugc_heap descriptor (read it with the generated ugc_heap accessors). */
    public MemorySegment descriptor() { return access.descriptor(heap); }

    /** Address of the ugc_heap descriptor: what the C engine is created with. */
    public long descriptorAddress() { return descriptor().address(); }

    /** The whole heap range [base, base+capacity) as one segment, valid until the heap closes. */
    public MemorySegment segment() { return access.segment(heap); }

    /** The root table: handle slots and the references they hold. */
    public HandleTable handles() { return access.handles(heap); }

    /**
     * After compaction: the heap holds objects in [start, newTop) and allocation continues
     * at newTop. Only inside a safepoint session of the calling thread.
     */
    public void resetTop(long newTop) { access.resetTop(heap, newTop); }

    /** Where the mutators' write-barrier buffers go (the collector's marker). */
    public void setSatbSink(SatbSink sink) { access.setSatbSink(heap, sink); }

    /**
     * Inside a safepoint session of the calling thread, every TLAB retired: turns the write
     * barrier on (snapshot at the beginning: from now on every overwritten reference and every
     * dropped root is logged) after emptying the buffers of an earlier cycle.
     */
    public void beginMarking() { access.beginMarking(heap); }

    /** Inside a safepoint session: pushes what every mutator's buffer holds to the sink, turns the barrier off. */
    public void endMarking() { access.endMarking(heap); }

    /**
     * Inside a safepoint session (the TAIL pause), before ugc_gc_plan_tail_ahead: clears the
     * root table's cards, so the flip redoes only the root slots written after it.
     */
    public void clearRootCards() { access.clearRootCards(heap); }

    /**
     * Marking active, any thread, after the engine copied the root table's values (ugc_gc_mark_roots): from
     * now on a released or retargeted handle is not logged (SatbBarrier B5).
     */
    public void rootsCopied() { access.rootsCopied(heap); }

    /** A cycle given up before its remark, any thread: the barrier turns off; late buffers are dropped by the sink. */
    public void cancelMarking() { access.cancelMarking(heap); }

    /** Test knob: beginMarking leaves the barrier off from now on, so a test can show what it would lose. */
    public void disableBarrierForTesting() { access.disableBarrierForTesting(heap); }

    /**
     * Keeps the heap mapped until the guard is closed (Heap.close() waits for it): for a
     * collector step that reads the heap outside a safepoint.
     *
     * @throws io.uffdgc.heap.HeapClosedException if the heap is closed already
     */
    public HeapReadGuard holdOpen() { return access.holdOpen(heap); }

    /**
     * Makes collector the heap's one collector. Two collectors on one heap would each open a
     * userfaultfd, install the allocation hook and the barrier's sink over the other's, and
     * compact the same range: refused.
     *
     * @throws IllegalStateException if another collector is attached and not closed yet
     */
    public void claimCollector(Object collector) {
        Object other = access.claimCollector(heap, Objects.requireNonNull(collector, "collector"));
        if (other != null)
            throw new IllegalStateException("heap " + heap.name() + " already has a collector attached (" + other
                    + "); close it before attaching another");
    }

    /** Ends collector's claim (its close()); a no-op if it holds none. */
    public void releaseCollector(Object collector) { access.releaseCollector(heap, collector); }

    /** Live bytes the last collection found (the allocation path's hint). */
    public void setLiveBytes(long bytes) { access.setLiveBytes(heap, bytes); }
}
