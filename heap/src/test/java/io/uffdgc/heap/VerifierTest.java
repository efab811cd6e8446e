package io.uffdgc.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.heap.handle.Handles;
import io.uffdgc.heap.layout.ObjectHeader;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.verify.HeapCorruptionException;
import io.uffdgc.heap.verify.HeapVerifier;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each test corrupts one word and expects the verifier to name it and the path to it. */
class VerifierTest {
    private final Heap heap = Heap.create(HeapLifecycleTest.small("verify"));
    private final RecordLayout node = heap.defineRecord("Node", 2, 8);
    private final Mutator m = heap.attach();
    private final MemorySegment mem = heap.segment();
    private long a, b, c;

    VerifierTest() {
        a = m.allocate(node);
        b = m.allocate(node);
        c = m.allocate(node);
        m.putRef(a, 1, b);
        m.putRef(b, 0, c);
        m.release(b);
        m.release(c); // c is reached only as root a -> ref[1] -> ref[0]
    }

    @AfterEach
    void close() {
        m.close();
        heap.close();
    }

    private long offsetOfC() {
        long h = m.getRef(a, 1);
        long hc = m.getRef(h, 0);
        long at = m.offsetOf(hc);
        m.release(h);
        m.release(hc);
        return at;
    }

    private HeapCorruptionException corruption() {
        return assertThrows(HeapCorruptionException.class, () -> HeapVerifier.verify(heap));
    }

    @Test
    void cleanHeapVerifies() {
        var r = HeapVerifier.verify(heap);
        assertEquals(3, r.objects());
        assertEquals(3, r.reachableObjects());
        assertEquals(1, r.roots());
    }

    @Test
    void badMagic() {
        long at = m.offsetOf(a);
        mem.set(ValueLayout.JAVA_LONG, at, mem.get(ValueLayout.JAVA_LONG, at) & ~(0xFFL << 56));
        var e = corruption();
        assertEquals(heap.base() + at, e.address());
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void identityFlagWithoutItsWord() {
        long at = m.offsetOf(a);
        mem.set(ValueLayout.JAVA_LONG, at, mem.get(ValueLayout.JAVA_LONG, at) | (1L << ObjectHeader.IDENTITY_SHIFT));
        var e = corruption();
        assertTrue(e.getMessage().contains("size inconsistent") && e.getMessage().contains("identity 1"), e.getMessage());
    }

    @Test
    void undefinedLayout() {
        long at = m.offsetOf(a);
        mem.set(ValueLayout.JAVA_LONG, at, ObjectHeader.encode(node.sizeWords(), io.uffdgc.heap.layout.LayoutTable.FIRST_RECORD - 1, 0)); // between the built-ins and the records
        assertTrue(corruption().getMessage().contains("undefined layout"));
        mem.set(ValueLayout.JAVA_LONG, at, ObjectHeader.encode(node.sizeWords(), 60000, 0));
        assertTrue(corruption().getMessage().contains("undefined layout"));
    }

    @Test
    void sizeInconsistentWithLayout() {
        long at = m.offsetOf(a);
        mem.set(ValueLayout.JAVA_LONG, at, ObjectHeader.encode(node.sizeWords() + 1, node.id(), 0));
        assertTrue(corruption().getMessage().contains("size inconsistent"));
    }

    @Test
    void objectRunningPastTop() {
        long cAt = offsetOfC();
        try (SafepointSession s = heap.stopTheWorld()) { // retire the TLAB, then make the filler too long
            long filler = cAt + node.sizeBytes();
            mem.set(ValueLayout.JAVA_LONG, filler, ObjectHeader.filler(heap.top() - filler + 8));
            var e = corruption();
            assertEquals(heap.base() + filler, e.address());
            assertTrue(e.getMessage().contains("past top"), e.getMessage());
        }
    }

    @Test
    void referenceIntoTheMiddleOfAnObjectReportsTheRootPath() {
        long cAt = offsetOfC();
        long slot = cAt + 8; // c.ref[0]
        mem.set(ValueLayout.JAVA_INT, slot, (int) ((m.offsetOf(a) + 8) >>> 3));
        var e = corruption();
        assertEquals(heap.base() + slot, e.address());
        assertTrue(e.path().startsWith("root slot "), e.path());
        assertTrue(e.path().contains("'Node' (layout " + node.id() + ")") && e.path().endsWith(".ref[0]"), e.path());
        assertEquals(4, e.path().split("->").length, e.path()); // root slot -> a.ref[1] -> b.ref[0] -> c.ref[0]
    }

    @Test
    void referenceToAFillerIsCorrupt() {
        long cAt = offsetOfC();
        mem.set(ValueLayout.JAVA_INT, m.offsetOf(a) + 8, (int) ((cAt + node.sizeBytes()) >>> 3)); // the TLAB tail
        assertTrue(corruption().getMessage().contains("not the start of an object"));
    }

    @Test
    void corruptRoot() {
        var roots = MemorySegment.ofAddress(io.uffdgc.uffd.gen.ugc_heap.roots(heap.descriptor())).reinterpret(
                4 * io.uffdgc.uffd.gen.ugc_heap.nroots(heap.descriptor()));
        int slot = Handles.slotOf(a);
        roots.setAtIndex(ValueLayout.JAVA_INT, slot, 1 << 30);
        var e = corruption();
        assertEquals("root slot " + slot, e.path());
    }

    @Test
    void unreachableObjectWithABadReference() {
        long d = m.allocate(node);
        long dAt = m.offsetOf(d);
        m.release(d);
        mem.set(ValueLayout.JAVA_INT, dAt + 12, 3);
        var e = corruption();
        assertTrue(e.path().startsWith("heap walk: unreachable"), e.path());
        assertEquals(heap.base() + dAt + 12, e.address());
    }
}
