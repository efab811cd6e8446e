package io.uffdgc.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.heap.handle.NullHandleException;
import io.uffdgc.heap.handle.StaleHandleException;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.layout.WrongLayoutException;
import io.uffdgc.heap.verify.HeapVerifier;
import io.uffdgc.heap.verify.VerificationResult;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class GraphBuilderTest {

    /** A cycle wired backwards and forwards by index, with four handles however many objects. */
    @Test
    void forwardReferencesWithoutAHandlePerObject() {
        int n = GraphBuilder.CHUNK + 1000; // crosses a chunk boundary
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("builder").withCapacity(64L << 20).withMaxHandles(64));
             Mutator m = heap.attach()) {
            RecordLayout node = heap.defineRecord("node", 1, 8);
            long root;
            try (GraphBuilder b = new GraphBuilder(m, n)) {
                for (int i = 0; i < n; i++) {
                    long h = m.allocate(node);
                    m.putLong(h, 0, i);
                    assertEquals(i, b.add(h));
                    m.release(h);
                }
                assertTrue(heap.handles().liveCount() <= 4, "the builder holds its four handles, no more");
                for (int i = 0; i < n; i++) b.putRef(i, 0, (i + 1) % n); // i -> i+1: forward references
                root = b.handle(0);
                long probe = b.handle(0);
                b.at(n - 1, probe);
                assertEquals(n - 1, m.getLong(probe, 0));
                m.release(probe);
            }
            assertEquals(1, heap.handles().liveCount(), "closing released the index");
            long cur = m.duplicate(root);
            for (int i = 0; i < n; i++) {
                assertEquals(i, m.getLong(cur, 0));
                assertTrue(m.getRefInto(cur, 0, cur));
            }
            assertTrue(m.sameObject(cur, root), "the cycle closes");
            VerificationResult v = HeapVerifier.verify(heap);
            assertEquals(n, v.reachableObjects(), "the index arrays are garbage now");
        }
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        try (Heap heap = Heap.create(HeapLifecycleTest.small("builder-bad")); Mutator m = heap.attach()) {
            RecordLayout node = heap.defineRecord("node", 1, 0);
            assertThrows(IllegalArgumentException.class, () -> new GraphBuilder(m, -1));
            GraphBuilder b = new GraphBuilder(m, 2);
            long h = m.allocate(node), arr = m.newIntArray(1);
            b.add(h);
            assertThrows(IndexOutOfBoundsException.class, () -> b.putRef(0, 0, 1), "index 1 not added yet");
            assertThrows(IndexOutOfBoundsException.class, () -> b.handle(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> b.putRef(0, 1, 0), "node has one slot");
            assertThrows(IllegalArgumentException.class, () -> b.add(0L));
            long stale = m.duplicate(h);
            m.release(stale);
            assertThrows(StaleHandleException.class, () -> b.add(stale));
            b.add(arr);
            assertThrows(WrongLayoutException.class, () -> b.putRef(1, 0, 0), "an int[] has no reference slots");
            assertThrows(WrongLayoutException.class, () -> b.putRefElement(0, 0, 1), "a record is not a ref array");
            assertThrows(IllegalStateException.class, () -> b.add(h), "full");
            assertThrows(NullHandleException.class, () -> b.at(0, 0L), "the target must be a live handle");
            b.close();
            assertThrows(IllegalStateException.class, () -> b.handle(0), "closed");
            b.close(); // idempotent
            HeapVerifier.verify(heap);
            assertEquals(2, heap.handles().liveCount(), "h and arr only");
        }
    }

    /** Any graph given as edges by index reads back as those edges, whatever the order of wiring. */
    @Property(tries = 30)
    void anyGraphWiredByIndexReadsBack(@ForAll @IntRange(min = 1, max = 300) int n,
                                       @ForAll @Size(max = 600) List<@IntRange(min = 0, max = 1 << 20) Integer> edges) {
        final int refs = 3;
        int[][] model = new int[n][refs];
        for (int[] row : model) java.util.Arrays.fill(row, -1);
        try (Heap heap = Heap.create(HeapLifecycleTest.small("builder-prop").withMaxHandles(64)); Mutator m = heap.attach()) {
            RecordLayout node = heap.defineRecord("node", refs, 4);
            try (GraphBuilder b = new GraphBuilder(m, n)) {
                for (int i = 0; i < n; i++) {
                    long h = m.allocate(node);
                    m.putInt(h, 0, i);
                    b.add(h);
                    m.release(h);
                }
                for (int e : edges) {
                    int src = e % n, slot = (e / n) % refs, dst = (e / (n * refs)) % n;
                    b.putRef(src, slot, dst);
                    model[src][slot] = dst;
                }
                long obj = b.handle(0), t = b.handle(0);
                for (int i = 0; i < n; i++) {
                    b.at(i, obj);
                    assertEquals(i, m.getInt(obj, 0));
                    for (int k = 0; k < refs; k++) {
                        boolean nonNull = m.getRefInto(obj, k, t);
                        assertEquals(model[i][k] >= 0, nonNull);
                        if (nonNull) assertEquals(model[i][k], m.getInt(t, 0));
                    }
                }
            }
            HeapVerifier.verify(heap);
        }
    }
}
