package io.uffdgc.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.heap.handle.ForeignHandleException;
import io.uffdgc.heap.handle.HandleTableFullException;
import io.uffdgc.heap.handle.StaleHandleException;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.verify.HeapVerifier;
import io.uffdgc.uffd.gen.ugc_heap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HandleTest {
    private final Heap heap = Heap.create(HeapLifecycleTest.small("handles").withMaxHandles(1000));
    private final RecordLayout cell = heap.defineRecord("Cell", 1, 8);
    private final Mutator m = heap.attach();

    @AfterEach
    void close() {
        if (m.isAttached()) m.close();
        HeapVerifier.verify(heap);
        heap.close();
    }

    @Test
    void releasedHandleIsStaleEvenAfterItsSlotIsReused() {
        long a = m.allocate(cell);
        m.putLong(a, 0, 1);
        m.release(a);
        var e = assertThrows(StaleHandleException.class, () -> m.getLong(a, 0));
        assertTrue(e.getMessage().contains("released"), e.getMessage());
        long b = m.allocate(cell); // likely the same slot, next generation
        m.putLong(b, 0, 2);
        assertThrows(StaleHandleException.class, () -> m.getLong(a, 0));
        assertThrows(StaleHandleException.class, () -> m.release(a));
        assertEquals(2, m.getLong(b, 0));
    }

    @Test
    void forgedAndForeignHandlesAreNeverDereferenced() {
        long a = m.allocate(cell);
        assertThrows(ForeignHandleException.class, () -> m.getLong(12345L, 0));
        assertThrows(ForeignHandleException.class, () -> m.getLong(-1L, 0));
        assertThrows(ForeignHandleException.class, () -> m.getLong(a ^ (1L << 50), 0));
        assertThrows(StaleHandleException.class, () -> m.getLong(a + 999, 0)); // a slot never issued
        assertThrows(StaleHandleException.class, () -> m.getLong(a ^ (1L << 30), 0)); // wrong generation
        try (Heap other = Heap.create(HeapLifecycleTest.small("other"))) {
            TestThread.run("other-heap", () -> {
                try (Mutator o = other.attach()) {
                    long x = o.newLongArray(1);
                    var e = assertThrows(ForeignHandleException.class, () -> o.getLongElement(a, 0));
                    assertTrue(e.getMessage().contains("belongs to heap"), e.getMessage());
                    assertThrows(ForeignHandleException.class, () -> o.putRef(x, 0, a));
                }
            });
        }
        assertEquals(0, m.getLong(a, 0));
    }

    @Test
    void scopesReleaseTheirHandlesAndEscapeKeepsOne() {
        long root = m.allocate(cell);
        long kept;
        long live0 = heap.handles().liveCount();
        try (HandleScope outer = m.openScope()) {
            long t1 = m.allocate(cell);
            try (HandleScope inner = m.openScope()) {
                long t2 = m.allocate(cell);
                kept = inner.escape(m.allocate(cell));
                m.putRef(root, 0, t2);
                assertEquals(live0 + 3, heap.handles().liveCount());
                m.release(t2); // explicitly released inside the scope: closing must skip it
            }
            assertEquals(live0 + 2, heap.handles().liveCount());
            assertThrows(IllegalArgumentException.class, () -> outer.escape(root));
            assertEquals(0, m.getLong(t1, 0));
        }
        assertEquals(live0 + 1, heap.handles().liveCount());
        assertEquals(0, m.getLong(kept, 0));
        long viaRef = m.getRef(root, 0); // the object outlives its scoped handle: the heap still references it
        assertNotEquals(0, viaRef);
    }

    @Test
    void scopesMustCloseInnermostFirst() {
        HandleScope outer = m.openScope();
        HandleScope inner = m.openScope();
        assertThrows(MutatorStateException.class, outer::close);
        inner.close();
        outer.close();
    }

    @Test
    void fullHandleTableIsAClearErrorAndReleasingRecovers() {
        long[] hs = new long[1000];
        int n = 0;
        HandleTableFullException full = null;
        try {
            while (true) {
                hs[n] = m.newLongArray(1);
                n++;
            }
        } catch (HandleTableFullException e) {
            full = e;
        }
        assertEquals(1000, n);
        assertTrue(full.getMessage().contains("1000"));
        assertEquals(1000, ugc_heap.nroots(heap.descriptor()));
        m.release(hs[0]);
        long again = m.newLongArray(2);
        assertEquals(2, m.length(again));
    }

    @Test
    void detachReleasesOpenScopesButKeepsLongLivedHandles() {
        long longLived = m.newLongArray(1);
        m.putLongElement(longLived, 0, 7);
        HandleScope s = m.openScope();
        long scoped = m.newLongArray(1);
        m.close();
        s.close(); // after detach: nothing left to do
        TestThread.run("next-owner", () -> {
            try (Mutator o = heap.attach()) {
                assertEquals(7, o.getLongElement(longLived, 0));
                assertThrows(StaleHandleException.class, () -> o.getLongElement(scoped, 0));
                o.release(longLived);
            }
        });
        assertEquals(0, heap.handles().liveCount());
    }
}
