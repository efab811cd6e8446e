package io.uffdgc.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.heap.layout.RecordLayout;
import io.uffdgc.heap.verify.HeapVerifier;
import io.uffdgc.heap.verify.VerificationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AllocationTest {
    private static final long MIB = 1 << 20;
    private final Heap heap = Heap.create(HeapLifecycleTest.small("alloc").withTlabBytes(4096));
    private final RecordLayout pair = heap.defineRecord("Pair", 2, 16);
    private final Mutator m = heap.attach();

    @AfterEach
    void close() {
        if (m.isAttached()) m.close();
        heap.close();
    }

    @Test
    void smallObjectsBumpInATlabWhoseTailBecomesAFiller() {
        long a = m.allocate(pair), b = m.allocate(pair);
        assertEquals(m.offsetOf(a) + pair.sizeBytes(), m.offsetOf(b), "bump allocation is contiguous");
        assertEquals(Heap.START, m.offsetOf(a));
        assertEquals(Heap.START + 4096, heap.top(), "one TLAB claimed");
        VerificationResult r = HeapVerifier.verify(heap);
        assertEquals(2, r.objects());
        assertEquals(4096 - 2 * pair.sizeBytes(), r.fillerBytes());
        assertEquals(2, r.reachableObjects());
        // the next allocation refills: the retired TLAB stays parseable
        long c = m.allocate(pair);
        assertEquals(Heap.START + 4096, m.offsetOf(c));
        assertEquals(3, HeapVerifier.verify(heap).objects());
    }

    @Test
    void largeObjectsComeDirectlyFromTheSharedTop() {
        m.allocate(pair);
        long inTlab = m.newByteArray(2000); // fits what is left of the TLAB: the fast path takes it
        assertEquals(Heap.START + pair.sizeBytes(), m.offsetOf(inTlab));
        long top = heap.top();
        long big = m.newByteArray(3000); // does not fit, over a quarter of a TLAB: straight from the shared top
        assertEquals(top, m.offsetOf(big));
        long after = m.allocate(pair);
        assertEquals(Heap.START + pair.sizeBytes() + 2008, m.offsetOf(after), "the TLAB was not given up");
        HeapVerifier.verify(heap);
    }

    @Test
    void exhaustionWithoutHookThrowsAndLeavesTheHeapValid() {
        List<Long> kept = new ArrayList<>();
        HeapExhaustedException e = assertThrows(HeapExhaustedException.class, () -> {
            while (true) kept.add(m.newByteArray((int) MIB));
        });
        assertEquals(MIB + 8, e.requestedBytes());
        assertEquals(8 * MIB, e.capacity());
        assertEquals(-1, e.liveBytes());
        assertTrue(e.getMessage().contains("no collection yet"), e.getMessage());
        assertEquals(7, kept.size());
        assertEquals(7, HeapVerifier.verify(heap).objects());
        m.allocate(pair); // what still fits, fits
        assertEquals(8, HeapVerifier.verify(heap).objects());
    }

    @Test
    void allocationLargerThanTheHeapFailsAtOnceWithoutCallingTheHook() {
        AtomicInteger calls = new AtomicInteger();
        heap.setCollectionHook(bytes -> calls.incrementAndGet());
        var e = assertThrows(HeapExhaustedException.class, () -> m.newLongArray(Integer.MAX_VALUE));
        assertEquals(8 + 8L * Integer.MAX_VALUE, e.requestedBytes());
        assertEquals(0, calls.get());
        HeapVerifier.verify(heap);
    }

    @Test
    void hookThatFreesNothingIsCalledOnceThenExhaustion() {
        AtomicInteger calls = new AtomicInteger();
        heap.setLiveBytes(5 * MIB);
        heap.setCollectionHook(bytes -> {
            calls.incrementAndGet();
            assertEquals(MIB + 8, bytes);
            // the hook may stop the world itself: its own mutator counts as safe
            try (SafepointSession s = heap.stopTheWorld()) {
                HeapVerifier.verify(heap);
            }
        });
        for (int i = 0; i < 7; i++) m.newByteArray((int) MIB);
        var e = assertThrows(HeapExhaustedException.class, () -> m.newByteArray((int) MIB));
        assertEquals(1, calls.get());
        assertEquals(5 * MIB, e.liveBytes());
        HeapVerifier.verify(heap);
    }

    @Test
    void hookThatCompactsLetsTheAllocationSucceedWithZeroedMemory() {
        List<Long> hs = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            long h = m.newByteArray((int) MIB);
            m.writeBytes(h, 0, new byte[] {1, 2, 3}, 0, 3);
            hs.add(h);
        }
        for (long h : hs) m.release(h); // everything is garbage now
        heap.setCollectionHook(bytes -> {
            try (SafepointSession s = heap.stopTheWorld()) {
                heap.resetTop(heap.start()); // a "collection" that found nothing live
                heap.setLiveBytes(0);
            }
        });
        long fresh = m.newByteArray((int) MIB);
        assertEquals(Heap.START, m.offsetOf(fresh));
        byte[] out = new byte[3];
        m.readBytes(fresh, 0, out, 0, 3);
        assertArrayEquals(new byte[3], out, "memory reused after compaction starts zeroed");
        assertEquals(1, HeapVerifier.verify(heap).objects());
    }

    @Test
    void hookExceptionsPropagateAndTheMutatorStaysUsable() {
        heap.setCollectionHook(bytes -> { throw new IllegalStateException("collector broke"); });
        for (int i = 0; i < 7; i++) m.newByteArray((int) MIB);
        var e = assertThrows(IllegalStateException.class, () -> m.newByteArray((int) MIB));
        assertEquals("collector broke", e.getMessage());
        m.allocate(pair);
        HeapVerifier.verify(heap);
    }

    @Test
    void resetTopOnlyInsideASession() {
        assertThrows(IllegalStateException.class, () -> heap.resetTop(Heap.START));
        // this thread is attached: while it waits it must count as safe, or the other thread's safepoint waits for it
        m.blocking(() -> TestThread.run("requester", () -> {
            try (SafepointSession s = heap.stopTheWorld()) {
                assertThrows(IllegalArgumentException.class, () -> heap.resetTop(3));
                assertThrows(IllegalArgumentException.class, () -> heap.resetTop(heap.capacity() + 8));
            }
        }));
    }
}
