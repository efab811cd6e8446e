package io.uffdgc.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.verify.HeapChecksum;
import org.junit.jupiter.api.Test;

class HeapChecksumTest {
    @Test
    void checksumCoversReachableDataShapeAndNothingElse() {
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("checksum").withCapacity(16L << 20));
             Mutator m = heap.attach()) {
            RecordLayout node = heap.defineRecord("node", 2, 16);
            long a = m.allocate(node), b = m.allocate(node), bytes = m.newByteArray(5);
            m.putRef(a, 0, b);
            m.putRef(a, 1, bytes);
            m.putLong(b, 0, 42);
            m.putByteElement(bytes, 4, (byte) 7);
            m.release(b);
            m.release(bytes);
            HeapChecksum first = HeapChecksum.of(heap);
            assertEquals(3, first.objects());

            long garbage = m.allocate(node);          // unreachable data does not count
            m.putLong(garbage, 0, 99);
            m.release(garbage);
            assertEquals(first, HeapChecksum.of(heap));

            long bb = m.getRef(a, 0);                 // a data change does
            m.putLong(bb, 8, 1);
            long extraRoot = bb;                        // (handles are roots: release before comparing)
            m.release(extraRoot);
            assertNotEquals(first.hash(), HeapChecksum.of(heap).hash());
            bb = m.getRef(a, 0);
            m.putLong(bb, 8, 0);
            m.release(bb);
            assertEquals(first, HeapChecksum.of(heap));

            m.putRef(a, 1, 0);                         // and so does a reference turning null
            assertNotEquals(first.hash(), HeapChecksum.of(heap).hash());
        }
    }
}
