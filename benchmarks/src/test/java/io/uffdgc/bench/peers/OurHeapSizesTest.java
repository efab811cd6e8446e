package io.uffdgc.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.uffdgc.bench.workload.ObjectMix;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.layout.ArrayLayout;
import org.junit.jupiter.api.Test;

/** The Java-heap child sizes its graph with OurHeapSizes; it must agree with the heap's own layouts. */
class OurHeapSizesTest {
    @Test
    void agreesWithTheHeapsLayouts() {
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("sizes").withCapacity(16L << 20))) {
            for (int refs = 1; refs <= ObjectMix.MAX_RECORD_REFS; refs++)
                for (int data : ObjectMix.RECORD_DATA_BYTES)
                    assertEquals(heap.defineRecord("r" + refs + "d" + data, refs, data).sizeBytes(),
                            OurHeapSizes.of(new ObjectMix.Record(refs, data)), refs + " refs, " + data + " bytes");
        }
        for (int len = 0; len <= 600; len++) {
            assertEquals(ArrayLayout.REF.sizeBytes(len), OurHeapSizes.of(new ObjectMix.RefArray(len)), "ref[" + len + "]");
            assertEquals(ArrayLayout.BYTE.sizeBytes(len), OurHeapSizes.of(new ObjectMix.ByteArray(len)), "byte[" + len + "]");
        }
    }
}
