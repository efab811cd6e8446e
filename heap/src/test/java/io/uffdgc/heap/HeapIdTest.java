package io.uffdgc.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.heap.handle.ForeignHandleException;
import io.uffdgc.heap.handle.Handles;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.verify.HeapVerifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 13.1: no two open heaps share an id, so a handle of one is never accepted by another. */
@Timeout(120)
class HeapIdTest {

    @Test
    void aHandleOfAnOpenHeapIsForeignToEveryHeapCreatedAfterItEvenWhenIdsWrap() {
        try (Heap a = Heap.create(HeapLifecycleTest.small("kept-open"))) {
            RecordLayout cellA = a.defineRecord("Cell", 0, 8);
            long handle;
            try (Mutator m = a.attach()) {
                handle = m.allocate(cellA);
                m.putLong(handle, 0, 42);
                // Every id once round: before the fix the last of these reused a's id.
                for (int i = 0; i < Handles.MAX_HEAP_ID; i++) {
                    Heap b = Heap.create(HeapLifecycleTest.small("churn").withMaxHandles(16));
                    try {
                        assertNotEquals(a.id(), b.id(), "heap #" + i + " created after a got a's id");
                    } finally {
                        b.close();
                    }
                }
                try (Heap b = Heap.create(HeapLifecycleTest.small("after-wrap"))) {
                    RecordLayout cellB = b.defineRecord("Cell", 0, 8);
                    TestThread.run("b-mutator", () -> {
                        try (Mutator o = b.attach()) {
                            long own = o.allocate(cellB);
                            o.putLong(own, 0, 7);
                            var e = assertThrows(ForeignHandleException.class, () -> o.getLong(handle, 0));
                            assertTrue(e.getMessage().contains("belongs to heap"), e.getMessage());
                            assertEquals(7, o.getLong(own, 0));
                        }
                    });
                    HeapVerifier.verify(b);
                }
                assertEquals(42, m.getLong(handle, 0));
            }
            HeapVerifier.verify(a);
        }
    }

    @Test
    void whenEveryIdIsHeldCreateFailsClearlyAndRecoversAfterAClose() {
        // Opening 32,767 real heaps needs ~131k mappings (vm.max_map_count is 65,530 here), so
        // the ids are held directly and one real create is tried against the full set.
        List<Integer> held = new ArrayList<>();
        try {
            while (HeapIds.open() < Handles.MAX_HEAP_ID) held.add(HeapIds.acquire());
            var e = assertThrows(TooManyHeapsException.class, () -> Heap.create(HeapLifecycleTest.small("one-too-many")));
            assertTrue(e.getMessage().contains("heap ids are in use"), e.getMessage());
            assertEquals(Handles.MAX_HEAP_ID, HeapIds.open(), "a failed create must not hold an id");
            HeapIds.release(held.removeLast());
            try (Heap h = Heap.create(HeapLifecycleTest.small("fits-again"))) {
                assertTrue(h.id() >= 1 && h.id() <= Handles.MAX_HEAP_ID);
            }
        } finally {
            held.forEach(HeapIds::release);
        }
    }
}
