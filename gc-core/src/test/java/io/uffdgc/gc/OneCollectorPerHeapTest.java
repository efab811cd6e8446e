package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.verify.HeapVerifier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A second collector on a heap would open its own userfaultfd, replace the first one's
 * allocation hook and barrier sink and compact the same range: attach refuses it, by name,
 * and the first collector goes on working; once that is closed, a new one may attach.
 */
class OneCollectorPerHeapTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSecondCollectorIsRefusedUntilTheFirstIsClosed() {
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("one-collector").withCapacity(16L << 20))) {
            long kept;
            try (Mutator m = heap.attach()) {
                kept = m.newLongArray(100);
                m.putLongElement(kept, 7, 42);
                m.release(m.newLongArray(1000));    // garbage, so the cycle moves something
            }
            Collector first = Collector.attach(heap, CollectorModesTest.manual());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Collector.attach(heap, CollectorModesTest.manual()));
            assertTrue(e.getMessage().contains("one-collector") && e.getMessage().contains("already has a collector"),
                    e::getMessage);
            first.collect(Mode.AUTO);                    // the first is untouched by the refusal
            HeapVerifier.verify(heap);
            first.close();
            try (Collector second = Collector.attach(heap, CollectorModesTest.manual())) {
                second.collect(Mode.AUTO);
            }
            HeapVerifier.verify(heap);
            try (Mutator m = heap.attach()) {
                assertEquals(42, m.getLongElement(kept, 7));
            }
        }
    }
}
