package io.uffdgc.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.verify.HeapVerifier;
import io.uffdgc.heap.verify.VerificationResult;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Thousands of random operations on a heap and on a plain-Java model must agree. */
class HeapModelPropertyTest {

    @Property(tries = 40)
    void heapAgreesWithModel(@ForAll @Size(min = 500, max = 3000) List<Integer> ops) {
        // small TLABs and handle table so refills, fillers and slot reuse happen often
        HeapConfig config = HeapLifecycleTest.small("model").withTlabBytes(512).withMaxHandles(4096);
        try (Heap heap = Heap.create(config)) {
            RecordLayout node = heap.defineRecord("Node", GraphModel.REFS, 8);
            try (Mutator m = heap.attach()) {
                GraphModel model = new GraphModel(m, node);
                for (int k = 0; k < ops.size(); k++) {
                    model.apply(ops.get(k));
                    if (k % 500 == 499) HeapVerifier.verify(heap); // from a mutator thread: it counts as safe
                }
                model.check();
                VerificationResult r = HeapVerifier.verify(heap);
                assertEquals(model.reachable(), r.reachableObjects());
                assertEquals(model.handleCount(), heap.handles().liveCount());
            }
        }
    }
}
