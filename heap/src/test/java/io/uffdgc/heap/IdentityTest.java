package io.uffdgc.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.heap.handle.StaleHandleException;
import io.uffdgc.heap.layout.ArrayLayout;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.layout.WrongLayoutException;
import io.uffdgc.heap.verify.HeapChecksum;
import io.uffdgc.heap.verify.HeapVerifier;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Identities: one word at the end of an object that asked for it, unique, readable, invisible to the payload. */
class IdentityTest {
    @Test
    void identitiesAreUniqueAndCostOneWord() throws Exception {
        try (Heap heap = Heap.create(HeapLifecycleTest.small("identity"))) {
            RecordLayout node = heap.defineRecord("node", 2, 12);
            Set<Long> seen = new HashSet<>();
            try (Mutator m = heap.attach()) {
                long before = heap.top();
                long r = m.allocateWithIdentity(node);
                long arr = m.allocateArrayWithIdentity(ArrayLayout.CHAR, 3);
                long plain = m.allocate(node);
                assertTrue(m.hasIdentity(r) && m.hasIdentity(arr) && !m.hasIdentity(plain));
                assertTrue(seen.add(m.identity(r)) && seen.add(m.identity(arr)));
                assertFalse(seen.contains(0L), "0 is never an identity");
                // Payloads are unchanged by the identity word: all of it writable, nothing beyond.
                assertEquals(3, m.length(arr));
                m.writeChars(arr, 0, new char[] {'a', 'b', 'c'}, 0, 3);
                assertThrows(IndexOutOfBoundsException.class, () -> m.putCharElement(arr, 3, 'd'));
                m.putInt(r, 8, -1);
                assertThrows(IndexOutOfBoundsException.class, () -> m.putInt(r, 12, 0));
                m.putRef(r, 1, arr);
                long id = m.identity(arr);
                long again = m.getRef(r, 1);
                assertEquals(id, m.identity(again), "read through another handle: the same identity");
                var none = assertThrows(WrongLayoutException.class, () -> m.identity(plain));
                assertTrue(none.getMessage().contains("without an identity"), none.getMessage());
                m.release(again);
                m.release(arr);
                assertThrows(StaleHandleException.class, () -> m.identity(arr));
                HeapChecksum sum = HeapChecksum.of(heap);
                assertEquals(3, sum.objects());
                assertTrue(heap.top() >= before); // (TLAB-granular; sizes checked below through the verifier)
                assertEquals(node.sizeBytes() * 2 + 8 + ArrayLayout.CHAR.sizeBytes(3) + 8, HeapVerifier.verify(heap).reachableBytes(),
                        "one word more per identified object");
                for (int i = 0; i < 5000; i++) {
                    long h = m.allocateArrayWithIdentity(ArrayLayout.INT, i % 5);
                    assertTrue(seen.add(m.identity(h)), "unique across mutator blocks");
                    m.release(h);
                }
            }
            // A second thread's mutator takes its own block: still unique.
            Thread t = new Thread(() -> {
                try (Mutator m2 = heap.attach()) {
                    for (int i = 0; i < 5000; i++) {
                        long h = m2.allocateWithIdentity(node);
                        synchronized (seen) { assertTrue(seen.add(m2.identity(h))); }
                        m2.release(h);
                    }
                }
            });
            var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
            t.setUncaughtExceptionHandler((th, e) -> failure.set(e));
            t.start();
            t.join();
            assertNull(failure.get());
            HeapVerifier.verify(heap);
        }
    }
}
