package io.uffdgc.heap.verify;

import io.uffdgc.heap.internal.HeapInternals;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.SafepointSession;
import io.uffdgc.uffd.gen.Uffdgc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A hash of everything reachable from a heap's roots (shapes, reference pattern,
 * data) that does not depend on where objects are: equal before and after a
 * collection that lost and changed nothing. Computed in C (ugc_heap_checksum)
 * at a heap safepoint.
 */
public record HeapChecksum(long hash, long objects, long bytes) {

    public static HeapChecksum of(Heap heap) {
        try (SafepointSession ignored = heap.stopTheWorld(); Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG, 3);
            int rc = Uffdgc.ugc_heap_checksum(HeapInternals.of(heap).descriptorAddress(), out,
                    out.asSlice(8), out.asSlice(16));
            if (rc < 0) {
                // The verifier names the first corruption and how it was reached.
                HeapVerifier.verify(heap);
                throw new IllegalStateException("checksum of heap '" + heap.name() + "' failed with errno " + -rc
                        + " although the heap verifies");
            }
            return new HeapChecksum(out.getAtIndex(ValueLayout.JAVA_LONG, 0), out.getAtIndex(ValueLayout.JAVA_LONG, 1),
                    out.getAtIndex(ValueLayout.JAVA_LONG, 2));
        }
    }
}
