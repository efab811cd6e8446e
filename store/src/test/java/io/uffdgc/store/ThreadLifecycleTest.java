package io.uffdgc.store;

import static io.uffdgc.store.Stores.bytes;
import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.Mode;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The store attaches threads for its callers: an idle or dead thread never holds up a
 * collection, thread churn does not pile up mutators, and closing works while pool threads
 * that used the store are alive and idle.
 */
@Timeout(60)
class ThreadLifecycleTest {
    @Test
    void deadAndIdleThreadsDoNotHoldUpACollection() throws Exception {
        try (OffHeapStore store = Stores.manual("dead").build()) {
            Thread dead = Thread.ofPlatform().start(() -> store.put(bytes("from-dead"), bytes("x")));
            dead.join();
            ExecutorService idle = Executors.newSingleThreadExecutor();
            try {
                idle.submit(() -> store.put(bytes("from-idle"), bytes("y"))).get();
                CycleStats s = store.collector().collect(Mode.STW);
                assertTrue(s.timings().timeToSafepointNanos() < TimeUnit.SECONDS.toNanos(1),
                        "time to safepoint " + s.timings().timeToSafepointNanos() + " ns");
                assertArrayEquals(bytes("x"), store.get(bytes("from-dead")));
                assertArrayEquals(bytes("y"), idle.submit(() -> store.get(bytes("from-idle"))).get());
            } finally {
                idle.shutdown();
                assertTrue(idle.awaitTermination(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void threadChurnDoesNotPileUpMutators() throws Exception {
        try (OffHeapStore store = Stores.manual("churn").build()) {
            for (int i = 0; i < 200; i++) {
                int k = i;
                Thread t = Thread.ofPlatform().start(() -> store.put(bytes("t" + k), bytes("v" + k)));
                t.join();
            }
            assertTrue(store.heap().mutatorCount() <= 3, "mutators attached: " + store.heap().mutatorCount());
            assertEquals(200, store.size());
            Stores.verify(store);
        }
    }

    @Test
    void closeDetachesLivePoolThreads() throws Exception {
        OffHeapStore store = Stores.manual("pool").build();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int i = 0; i < 30; i++) {
                int k = i;
                pool.submit(() -> store.put(bytes("p" + k), bytes("v"))).get();
            }
            assertTrue(store.heap().mutatorCount() >= 2);
            store.close(); // the pool threads are alive, idle, attached
            assertTrue(store.heap().isClosed());
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> pool.submit(() -> store.get(bytes("p1"))).get());
            assertInstanceOf(StoreClosedException.class, e.getCause());
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void closeWaitsForAnOperationInProgress() throws Exception {
        OffHeapStore store = Stores.manual("in-progress").build();
        var inside = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> store.compute(bytes("k"), (cur, len, out) -> {
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            out.putByte(0, (byte) 7);
            return 1;
        }));
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        Thread closer = Thread.ofPlatform().start(store::close);
        closer.join(300);
        assertTrue(closer.isAlive(), "close waits while a compute function runs");
        release.countDown();
        t.join(10_000);
        closer.join(10_000);
        assertFalse(closer.isAlive());
        assertTrue(store.isClosed() && store.heap().isClosed());
    }
}
