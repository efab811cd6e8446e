package io.uffdgc.uffd.service;

import static io.uffdgc.uffd.Mapped.PAGE;
import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.uffd.Mapped;
import io.uffdgc.uffd.Memory;
import io.uffdgc.uffd.Userfaultfd;
import io.uffdgc.uffd.gen.testing.UffdgcTesting;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Java threads fault on a registered range and the native service resolves every
 * fault: contents, counters, latencies, and a stop that leaves nobody blocked.
 */
@Timeout(60)
class FaultServiceTest {
    private static final int READERS = 4;
    private final Mapped mem = new Mapped();
    private Userfaultfd uffd;

    @BeforeEach
    void open() { uffd = Userfaultfd.open(); }

    @AfterEach
    void close() {
        uffd.close(); // wakes any thread a failed test left blocked
        mem.close();
    }

    /** READERS threads read every page of [base, base+len), interleaved; returns the first mismatch seen. */
    private static void readAll(long base, long len, long seed) throws InterruptedException {
        MemorySegment s = Memory.segment(base, len);
        AtomicReference<String> bad = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        long pages = len / PAGE;
        for (int t = 0; t < READERS; t++) {
            int first = t;
            threads.add(Thread.ofPlatform().start(() -> {
                // Each thread walks all pages from a different start, so threads also meet on pages.
                for (long i = 0; i < pages; i++) {
                    long off = ((i + first * pages / READERS) % pages) * PAGE + (i % (PAGE / 8)) * 8;
                    long want = seed == 0 ? 0 : Mapped.pattern(seed, off);
                    long got = s.get(ValueLayout.JAVA_LONG, off);
                    if (got != want) bad.compareAndSet(null, "offset " + off + ": " + got + " != " + want);
                }
            }));
        }
        for (Thread t : threads) t.join(30_000);
        for (Thread t : threads) assertFalse(t.isAlive(), "a reader is still blocked");
        assertNull(bad.get());
    }

    @Test
    void zeroResolverServesManyThreads() throws Exception {
        long len = 16L << 20, base = mem.reserve(len);
        uffd.register(base, len);
        try (Resolver zero = Resolver.zeroPage(); FaultService svc = FaultService.start(uffd, 2, zero)) {
            readAll(base, len, 0);
            FaultServiceStats st = svc.stats();
            long pages = len / PAGE;
            assertTrue(st.faults() >= pages, st.toString());
            assertEquals(st.faults(), st.resolved(), st.toString());
            assertEquals(0, st.failed());
            assertEquals(len, st.ioctls().zeropageBytes(), "every page zero-filled exactly once");
            assertEquals(st.faults() - pages, st.ioctls().eexist(), "extra faults on a page lose the race with EEXIST");
            Histogram h = svc.intervalServiceTimes();
            assertEquals(st.faults(), h.getTotalCount());
            // A resolution includes a UFFDIO_ZEROPAGE ioctl (~650 ns here): the samples are real times,
            // not values clamped to an auto-resizing histogram's initial range.
            assertTrue(h.getValueAtPercentile(50) > 200, "median service time " + h.getValueAtPercentile(50) + " ns");
            assertTrue(h.getMaxValue() < 10_000_000_000L, "max service time " + h.getMaxValue() + " ns");
            assertEquals(0, svc.intervalServiceTimes().getTotalCount(), "an interval holds only what came after the last");
        }
    }

    @Test
    void copyResolverFillsFromTheSource() throws Exception {
        long len = 8L << 20, src = mem.reserve(len), dst = mem.reserve(len);
        Mapped.fill(src, len, 5);
        uffd.register(dst, len);
        try (Resolver copy = Resolver.copyFrom(dst, src, len); FaultService svc = FaultService.start(uffd, 2, copy)) {
            readAll(dst, len, 5);
            FaultServiceStats st = svc.stats();
            assertEquals(st.faults(), st.resolved(), st.toString());
            assertEquals(len, st.ioctls().copyBytes());
            assertEquals(-1, Mapped.firstMismatch(dst, len, 5));
        }
    }

    @Test
    void aFailingResolverWakesTheThreadInsteadOfLeavingItBlocked() throws Exception {
        long len = 4 * PAGE, src = mem.reserve(len), dst = mem.reserve(2 * len);
        Mapped.fill(src, len, 9);
        uffd.register(dst, 2 * len);
        // The copy source covers only the first half: a fault in the second half fails.
        try (Resolver copy = Resolver.copyFrom(dst, src, len); FaultService svc = FaultService.start(uffd, 1, copy)) {
            long handle = UffdgcTesting.ugc_test_touch_start(dst + len);
            // Woken after each failure, the C thread faults again and again until the page appears.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (svc.stats().failed() < 3 && System.nanoTime() < deadline) Thread.sleep(1);
            FaultServiceStats st = svc.stats();
            assertTrue(st.failed() >= 3, st.toString());
            assertEquals(14 /* EFAULT */, st.lastErrno());
            uffd.zeroPage(dst + len, PAGE); // now the retry succeeds
            try (Arena arena = Arena.ofConfined()) {
                assertEquals(1, UffdgcTesting.ugc_test_touch_join(handle, 5000, arena.allocate(1)));
            }
        }
    }

    @Test
    void stopServesEveryQueuedFault() throws Exception {
        long len = 4 * PAGE, base = mem.reserve(len);
        uffd.register(base, len);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment delay = arena.allocate(ValueLayout.JAVA_LONG);
            delay.set(ValueLayout.JAVA_LONG, 0, 200_000_000L); // 200 ms per fault
            Resolver slow = Resolver.of("slowZero", UffdgcTesting.ugc_test_resolve_slow_zero$address(), delay.address());
            FaultService svc = FaultService.start(uffd, 1, slow);
            // Four threads fault on four pages: the one service thread sits 200 ms in the first,
            // the other three messages wait in the queue when stop is asked.
            List<Thread> readers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                long at = base + i * PAGE;
                readers.add(Thread.ofPlatform().start(() -> Memory.segment(at, 8).get(ValueLayout.JAVA_LONG, 0)));
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (svc.stats().faults() == 0 && System.nanoTime() < deadline) Thread.sleep(1);
            Thread.sleep(50); // the other three faults are queued by now
            svc.close();
            for (Thread t : readers) t.join(5_000);
            for (Thread t : readers) assertFalse(t.isAlive(), "a reader stayed blocked after stop");
            FaultServiceStats st = svc.stats();
            assertEquals(4, st.faults(), st.toString());
            assertEquals(4, st.resolved(), st.toString());
            assertEquals(3, st.servedAtStop(), st.toString());
            assertFalse(svc.isRunning());
            svc.close(); // idempotent
            slow.close();
        }
    }

    @Test
    void aResolverInUseCannotBeClosed() {
        long base = mem.reserve(PAGE);
        uffd.register(base, PAGE);
        Resolver zero = Resolver.zeroPage();
        try (FaultService svc = FaultService.start(uffd, 1, zero)) {
            assertThrows(IllegalStateException.class, zero::close);
            assertTrue(svc.isRunning());
        }
        zero.close();
        assertThrows(IllegalStateException.class, () -> FaultService.start(uffd, 1, zero));
    }

    @Test
    void rejectsBadArguments() {
        try (Resolver zero = Resolver.zeroPage()) {
            assertThrows(IllegalArgumentException.class, () -> FaultService.start(uffd, 0, zero));
            assertThrows(IllegalArgumentException.class, () -> FaultService.start(uffd, 65, zero));
            assertThrows(IllegalArgumentException.class, () -> Resolver.of("null", MemorySegment.NULL, 0));
            assertThrows(IllegalArgumentException.class, () -> Resolver.copyFrom(PAGE, PAGE, PAGE + 1));
        }
    }
}
