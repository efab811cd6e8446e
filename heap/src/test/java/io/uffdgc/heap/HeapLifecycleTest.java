package io.uffdgc.heap;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.heap.verify.HeapVerifier;
import io.uffdgc.uffd.Memory;
import io.uffdgc.uffd.gen.ugc_heap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HeapLifecycleTest {
    static HeapConfig small(String name) { return HeapConfig.defaults().withName(name).withCapacity(8L << 20); }

    @Test
    void defaultHeapIsOneGibAlignedToOneGibAndDescribedForC() {
        try (Heap heap = Heap.create(HeapConfig.defaults())) {
            assertEquals(1L << 30, heap.capacity());
            assertEquals(0, heap.base() % (1L << 30));
            var d = heap.descriptor();
            assertEquals(heap.base(), ugc_heap.base(d));
            assertEquals(heap.capacity(), ugc_heap.capacity(d));
            assertEquals(Heap.START, ugc_heap.top(d));
            assertEquals(heap.descriptor().address(), d.address());
            assertEquals(0, Memory.residentBytes(heap.base(), heap.capacity()), "reserving commits nothing");
        }
    }

    @Test
    void sixteenGibHeapWorksBecauseItIsOnlyReserved() {
        try (Heap heap = Heap.create(HeapConfig.defaults().withCapacity(16L << 30)); Mutator m = heap.attach()) {
            long big = m.newLongArray(1 << 20);
            m.putLongElement(big, (1 << 20) - 1, 42);
            assertEquals(42, m.getLongElement(big, (1 << 20) - 1));
            assertTrue(Memory.residentBytes(heap.base(), heap.capacity()) < (64L << 20));
        }
    }

    @Test
    void smallHeapIsTwoMibAligned() {
        try (Heap heap = Heap.create(small("s"))) {
            assertEquals(0, heap.base() % (2L << 20));
        }
    }

    @Test
    void severalHeapsAreIndependent() {
        try (Heap a = Heap.create(small("a")); Heap b = Heap.create(small("b"));
             Mutator ma = a.attach(); Mutator mb = b.attach()) {
            assertNotEquals(a.id(), b.id());
            long x = ma.newIntArray(3), y = mb.newIntArray(5);
            assertEquals(3, ma.length(x));
            assertEquals(5, mb.length(y));
            ma.close();
            mb.close();
            HeapVerifier.verify(a);
            HeapVerifier.verify(b);
        }
    }

    @Test
    void badConfigurationsAreRejected() {
        HeapConfig d = HeapConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withCapacity(0));
        assertThrows(IllegalArgumentException.class, () -> d.withCapacity(-(2L << 20)));
        assertThrows(IllegalArgumentException.class, () -> d.withCapacity(3L << 19));
        var tooBig = assertThrows(IllegalArgumentException.class, () -> d.withCapacity(64L << 30));
        assertTrue(tooBig.getMessage().contains("32-bit"), tooBig.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withTlabBytes(100));
        assertThrows(IllegalArgumentException.class, () -> d.withTlabBytes(1001));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxHandles(0));
        assertThrows(IllegalArgumentException.class, () -> d.withName(" "));
    }

    @Test
    void closeWithAttachedMutatorIsRefusedAndTheHeapStaysUsable() {
        Heap heap = Heap.create(small("busy"));
        Mutator m = heap.attach();
        var e = assertThrows(HeapInUseException.class, heap::close);
        assertTrue(e.getMessage().contains(Thread.currentThread().getName()), e.getMessage());
        long h = m.newByteArray(10);
        assertEquals(10, m.length(h));
        m.close();
        HeapVerifier.verify(heap);
        heap.close();
        assertTrue(heap.isClosed());
    }

    @Test
    void useAfterCloseIsAClearException() {
        Heap heap = Heap.create(small("closed"));
        Mutator m = heap.attach();
        long h = m.newLongArray(2);
        m.close();
        heap.close();
        heap.close(); // twice is fine
        assertThrows(HeapClosedException.class, heap::attach);
        assertThrows(HeapClosedException.class, heap::base);
        assertThrows(HeapClosedException.class, heap::top);
        assertThrows(HeapClosedException.class, heap::stopTheWorld);
        assertThrows(HeapClosedException.class, () -> heap.defineRecord("x", 1, 1));
        assertThrows(HeapClosedException.class, () -> HeapVerifier.verify(heap));
        var e = assertThrows(MutatorStateException.class, () -> m.getLongElement(h, 0));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void mutatorOfADeadThreadDoesNotBlockCloseOrSafepoints() {
        Heap heap = Heap.create(small("dead"));
        TestThread.run("leaker", () -> heap.attach().newLongArray(4)); // ends attached
        assertEquals(1, heap.mutatorCount());
        try (SafepointSession s = heap.stopTheWorld()) {
            assertFalse(s.isNested());
        }
        HeapVerifier.verify(heap);
        heap.close();
        assertTrue(heap.isClosed());
    }

    @Test
    void aBlockedMutatorIsDetachedFromAnotherThreadAndItsOwnerCannotComeBack() throws Exception {
        Heap heap = Heap.create(small("detach-blocked"));
        var worker = new java.util.concurrent.CompletableFuture<Mutator>();
        var release = new java.util.concurrent.CountDownLatch(1);
        TestThread owner = TestThread.start("pool-worker", () -> {
            Mutator m = heap.attach();
            HandleScope scope = m.openScope();
            long h = m.newLongArray(4); // a scoped handle: the detach must release it
            m.enterBlocking();
            worker.complete(m);
            release.await();
            var e = assertThrows(MutatorStateException.class, m::exitBlocking);
            assertTrue(e.getMessage().contains("detached"), e.getMessage());
            assertThrows(MutatorStateException.class, () -> m.getLongElement(h, 0));
            assertFalse(m.isAttached());
            scope.close(); // released by the detach already: nothing to do
            m.close();
        });
        Mutator blocked = worker.get(20, java.util.concurrent.TimeUnit.SECONDS);
        Mutator running;
        try (Mutator self = heap.attach()) {
            running = self;
            assertFalse(heap.detachBlocked(self), "a running mutator is left alone");
            assertTrue(self.isAttached());
        }
        assertFalse(heap.detachBlocked(running), "a detached one too");
        try (Heap other = Heap.create(small("other"))) {
            assertFalse(other.detachBlocked(blocked), "another heap's mutator too");
        }
        assertTrue(heap.detachBlocked(blocked));
        assertEquals(0, heap.mutatorCount());
        assertEquals(0, heap.handles().liveCount(), "its scoped handle was released");
        release.countDown();
        owner.join();
        HeapVerifier.verify(heap);
        heap.close(); // the worker thread is alive but no longer attached
        assertTrue(heap.isClosed());
    }

    @Test
    void attachingTwiceOnOneThreadIsRefused() {
        try (Heap heap = Heap.create(small("twice")); Mutator m = heap.attach()) {
            assertThrows(MutatorStateException.class, heap::attach);
            assertTrue(m.isAttached());
        }
    }

    @Test
    void mutatorIsThreadConfined() {
        try (Heap heap = Heap.create(small("confined")); Mutator m = heap.attach()) {
            long h = m.newLongArray(1);
            TestThread.run("intruder", () -> {
                var e = assertThrows(MutatorStateException.class, () -> m.getLongElement(h, 0));
                assertTrue(e.getMessage().contains("thread-confined"), e.getMessage());
            });
        }
    }
}
