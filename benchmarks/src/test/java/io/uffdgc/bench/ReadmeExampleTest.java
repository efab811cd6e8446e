package io.uffdgc.bench;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.gc.Collector;
import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.Mode;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.verify.HeapVerifier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's "Embedding it" example, as written there, must run. */
class ReadmeExampleTest {
    @Test
    @Timeout(120)
    void embeddingExampleRuns() {
        try (Heap heap = Heap.create(HeapConfig.defaults().withCapacity(4L << 30));
             Collector gc = Collector.attach(heap);
             Mutator m = heap.attach()) {
            Assumptions.assumeTrue(gc.modeSupport().available().contains(Mode.MOVE),
                    () -> "kernel lacks UFFD_FEATURE_MOVE (Linux 6.8+): " + gc.modeSupport().reason());
            RecordLayout node = heap.defineRecord("node", 2, 16);
            long a = m.allocate(node), b = m.allocate(node);
            m.putRef(a, 0, b);
            m.putLong(b, 8, 42);
            m.release(b);
            CycleStats stats = gc.collect(Mode.MOVE);
            long b2 = m.getRef(a, 0);
            assertEquals(42, m.getLong(b2, 8));
            assertEquals(Mode.MOVE, stats.mode());
            assertEquals(2, stats.memory().liveObjects());
            HeapVerifier.verify(heap);
        }
    }
}
