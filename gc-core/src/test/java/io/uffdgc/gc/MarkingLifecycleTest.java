package io.uffdgc.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uffdgc.heap.HandleScope;
import io.uffdgc.heap.Heap;
import io.uffdgc.heap.HeapConfig;
import io.uffdgc.heap.Mutator;
import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.verify.HeapVerifier;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A mutator that holds objects only through handles hands them over while marking runs,
 * then leaves: it stores them into an array the marker scans first and releases the handles,
 * then closes its mutator, or its thread ends attached, or it stays in a blocking region for
 * the rest of the cycle. The root slots it frees come after 3,000,000 others (the marker takes
 * roots in slot order, tens of milliseconds for these), so the barrier's log of the dropped
 * roots (flushed on detach, drained from a dead mutator at remark) is the objects' only way
 * to be marked. Afterwards every object is
 * intact and the heap verifies.
 */
class MarkingLifecycleTest {
    static final int OBJECTS = 2000, BALLAST = 3_000_000;
    /**
     * How long the worker lets the marker run before it hands over: long enough that the marker
     * has scanned the array (its first root), short against the ballast's roots (tens of ms), so
     * the handover lands in between, where only the barrier keeps the objects. It decides
     * whether a missing barrier can be caught, never whether a correct one passes.
     */
    static final long HANDOVER_DELAY_MS = 3;

    enum Exit { DETACH, DIE_ATTACHED, BLOCK }

    @ParameterizedTest
    @EnumSource(Exit.class)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void objectsHandedOverDuringMarkingSurviveTheMutatorLeaving(Exit exit) throws Exception {
        try (Heap heap = Heap.create(HeapConfig.defaults().withName("lifecycle-" + exit).withCapacity(256L << 20)
                     .withMaxHandles(1 << 22));
             Collector collector = Collector.attach(heap, ConcurrentMarkingTest.concurrent());
             Mutator main = heap.attach()) {
            RecordLayout node = ShadowGraph.defineNode(heap);
            long array = main.newRefArray(OBJECTS); // its root slot comes first: scanned before the others
            RecordLayout tiny = heap.defineRecord("tiny", 0, 0); // one word: the ballast is roots, not bytes
            for (int i = 0; i < BALLAST; i++) main.allocate(tiny); // root slots the marker takes before the worker's
            CountDownLatch marking = new CountDownLatch(1), leave = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long arrayRef = main.duplicate(array);
            Thread worker = Thread.ofPlatform().name("leaving-" + exit).unstarted(() -> {
                Mutator m = heap.attach();
                try {
                    long[] objs = new long[OBJECTS];
                    for (int i = 0; i < OBJECTS; i++) { // root slots after the array's and the ballast's
                        objs[i] = m.allocate(node);
                        m.putLong(objs[i], 0, i);
                    }
                    m.blocking(() -> {
                        Latches.await(marking);
                        try {
                            Thread.sleep(HANDOVER_DELAY_MS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    for (int i = 0; i < OBJECTS; i++) {
                        m.putRefElement(arrayRef, i, objs[i]);
                        m.release(objs[i]); // logged: its root slot may not have been scanned yet
                    }
                    switch (exit) {
                        case DETACH -> m.close();
                        case BLOCK -> m.blocking(() -> Latches.await(leave));
                        case DIE_ATTACHED -> {} // the thread ends attached: remark drains its buffer
                    }
                    if (exit == Exit.BLOCK) m.close();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            collector.addListener(new CycleListener() {
                @Override public void cycleCompleted(CycleStats s) {}
                @Override public void markingStarted() {
                    marking.countDown(); // the marker scans the (empty) array first, then the ballast for a while
                }
            });
            worker.start();
            CycleStats s = main.blockingCall(() -> collector.collect(Mode.STW));
            leave.countDown();
            worker.join(30_000);
            if (failure.get() != null) throw new AssertionError("worker failed", failure.get());
            assertEquals(Marking.CONCURRENT, s.marking());
            for (int i = 0; i < OBJECTS; i++) {
                try (HandleScope _ = main.openScope()) {
                    long o = main.getRefElement(array, i);
                    assertTrue(o != 0, "element " + i + " is null");
                    assertEquals(node, main.layoutOf(o), "element " + i);
                    assertEquals(i, main.getLong(o, 0), "element " + i + " names another object: it was lost");
                }
            }
            main.blocking(() -> HeapVerifier.verify(heap));
        }
    }
}
