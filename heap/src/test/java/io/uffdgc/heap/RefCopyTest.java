package io.uffdgc.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.layout.WrongLayoutException;
import io.uffdgc.heap.verify.HeapVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Mutator#copyRefElements}: copies as if through a temporary, and refuses bad ranges without writing. */
@Timeout(60)
class RefCopyTest {
    private final Heap heap = Heap.create(HeapLifecycleTest.small("ref-copy"));
    private final RecordLayout node = heap.defineRecord("Node", 1, 8);
    private final Mutator m = heap.attach();

    @AfterEach
    void close() {
        m.close();
        HeapVerifier.verify(heap);
        heap.close();
    }

    /** An array of n elements, element i a node holding i. */
    private long filled(int n) {
        long a = m.newRefArray(n);
        for (int i = 0; i < n; i++) {
            long x = m.allocate(node);
            m.putLong(x, 0, i);
            m.putRefElement(a, i, x);
        }
        return a;
    }

    private long[] ids(long a, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            long e = m.getRefElement(a, i);
            v[i] = e == 0 ? -1 : m.getLong(e, 0);
        }
        return v;
    }

    @Test
    void overlappingCopiesBehaveAsThroughATemporary() {
        long a = filled(8);
        m.copyRefElements(a, 0, a, 2, 5);  // forward overlap
        assertArrayEquals(new long[] {0, 1, 0, 1, 2, 3, 4, 7}, ids(a, 8));
        long b = filled(8);
        m.copyRefElements(b, 3, b, 1, 5);  // backward overlap
        assertArrayEquals(new long[] {0, 3, 4, 5, 6, 7, 6, 7}, ids(b, 8));
        long c = m.newRefArray(4);
        m.copyRefElements(b, 0, c, 1, 3);  // another array, nulls overwritten
        assertArrayEquals(new long[] {-1, 0, 3, 4}, ids(c, 4));
        m.copyRefElements(c, 0, b, 0, 0);  // nothing
    }

    @Test
    void badRangesAndLayoutsAreRefusedWithoutWriting() {
        long a = filled(4), b = filled(4);
        assertThrows(IndexOutOfBoundsException.class, () -> m.copyRefElements(a, 2, b, 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> m.copyRefElements(a, 0, b, 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> m.copyRefElements(a, -1, b, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> m.copyRefElements(a, 0, b, 0, -1));
        long x = m.allocate(node);
        assertThrows(WrongLayoutException.class, () -> m.copyRefElements(x, 0, b, 0, 1));
        assertThrows(WrongLayoutException.class, () -> m.copyRefElements(a, 0, m.newLongArray(4), 0, 1));
        assertArrayEquals(new long[] {0, 1, 2, 3}, ids(b, 4));
    }
}
