package io.uffdgc.uffd.service;

import static io.uffdgc.uffd.Mapped.PAGE;
import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.uffd.Mapped;
import io.uffdgc.uffd.Memory;
import io.uffdgc.uffd.TestThreads;
import io.uffdgc.uffd.Toucher;
import io.uffdgc.uffd.Userfaultfd;
import io.uffdgc.uffd.gen.testing.UffdgcTesting;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;
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
    static final int READERS = 4;
    /**
     * How long the first fault's resolution keeps the only service thread busy while
     * three more faults queue: far longer than starting three threads that fault takes.
     */
    private static final Duration FIRST_FAULT_HOLD = Duration.ofSeconds(1);
    private final Mapped mem = new Mapped();
    private Userfaultfd uffd;

    @BeforeEach
    void open() { uffd = Userfaultfd.open(); }

    @AfterEach
    void close() {
        uffd.close(); // wakes any thread a failed test left blocked
        mem.close();
    }

    /**
     * READERS threads read every page of [base, base+len), interleaved; fails on the first mismatch any saw
     * (seed 0: every word zero). SigbusServiceTest reads with it too.
     */
    static void readAll(long base, long len, long seed) throws InterruptedException {
        MemorySegment s = Memory.segment(base, len);
        TestThreads readers = new TestThreads();
        long pages = len / PAGE;
        for (int t = 0; t < READERS; t++) {
            int first = t;
            readers.start("reader-" + t, () -> {
                // Each thread walks all pages from a different start, so threads also meet on pages.
                for (long i = 0; i < pages; i++) {
                    long off = ((i + first * pages / READERS) % pages) * PAGE + (i % (PAGE / 8)) * 8;
                    long want = seed == 0 ? 0 : Mapped.pattern(seed, off);
                    long got = s.get(ValueLayout.JAVA_LONG, off);
                    assertEquals(want, got, "offset " + off);
                }
            });
        }
        readers.joinAll(Duration.ofSeconds(30), "readers still blocked");
    }

    @Test
    void zeroResolverServesManyThreads() throws Exception {
        long len = 16L << 20, base = mem.reserve(len);
        uffd.register(base, len);
        try (Resolver zero = Resolver.zeroPage(); FaultService svc = FaultService.start(uffd, 2, zero)) {
            readAll(base, len, 0);
            // The interval first: it waits until every counted fault's outcome is counted too.
            Histogram h = svc.intervalServiceTimes();
            FaultServiceStats st = svc.stats();
            long pages = len / PAGE;
            assertTrue(st.faults() >= pages, st.toString());
            assertEquals(st.faults(), st.resolved(), st.toString());
            assertEquals(0, st.failed());
            assertEquals(len, st.ioctls().zeropageBytes(), "every page zero-filled exactly once");
            assertEquals(st.faults() - pages, st.ioctls().eexist(), "extra faults on a page lose the race with EEXIST");
            assertEquals(st.faults(), h.getTotalCount());
            // A resolution includes a UFFDIO_ZEROPAGE ioctl (~650 ns here): the samples are real times,
            // not values clamped to an auto-resizing histogram's initial range.
            assertTrue(h.getValueAtPercentile(50) > 200, "median service time " + h.getValueAtPercentile(50) + " ns");
            assertTrue(h.getMaxValue() < 10_000_000_000L, "max service time " + h.getMaxValue() + " ns");
            assertEquals(0, svc.intervalServiceTimes().getTotalCount(), "an interval holds only what came after the last");
            // Each fault costs its thread a read(2) and a UFFDIO_ZEROPAGE (~650 ns alone), both in the kernel.
            assertTrue(st.cpu().totalNanos() > st.faults() * 500, "service threads' CPU " + st.cpu() + " for " + st.faults());
            // (Not asserted: that most of it is system time. The kernel splits user and system per
            // 4 ms tick, so the split of ~40 ms is a sample of ten ticks; the total is exact.)
            svc.close();
            FaultServiceStats last = svc.stats();
            assertTrue(last.cpu().totalNanos() >= st.cpu().totalNanos() - 10_000, "stopped: " + last.cpu() + ", before " + st.cpu());
        }
    }

    @Test
    void theFaultLogHoldsEveryFaultWithItsPageAndStall() throws Exception {
        long len = 4L << 20, base = mem.reserve(len + PAGE);
        uffd.register(base, len + PAGE);
        try (Resolver zero = Resolver.zeroPage(); FaultService svc = FaultService.start(uffd, 2, zero)) {
            readAll(base + len, PAGE, 0);                    // a fault before the log is on
            assertEquals(0, svc.intervalFaultLog().size(), "off by default");
            svc.keepFaultLog(true);
            svc.intervalServiceTimes();                      // its service time is not the interval's
            long earlier = svc.stats().faults(), before = System.nanoTime();
            readAll(base, len, 0);
            checkFaultLog(svc, base, len, before, System.nanoTime(), svc.stats().faults() - earlier);
            svc.keepFaultLog(false);
            assertEquals(0, svc.intervalFaultLog().size(), "off again");
        }
    }

    /**
     * The log of faults on [base, base+len) taken between before and after (System.nanoTime):
     * one record per fault of the interval (expected of them), every page of the range among
     * them, each begun inside the interval, and its stalls the service-time histogram's samples.
     */
    static void checkFaultLog(FaultService svc, long base, long len, long before, long after, long expected) {
        Histogram times = svc.intervalServiceTimes();
        FaultLog log = svc.intervalFaultLog();
        assertEquals(0, log.dropped(), "the ring had room");
        assertEquals(expected, log.size(), "a record per fault");
        Histogram stalls = new Histogram(FaultService.MAX_SERVICE_NANOS, 3);
        java.util.BitSet pages = new java.util.BitSet();
        for (int i = 0; i < log.size(); i++) {
            long page = log.page(i), start = log.startNanos(i), stall = log.stallNanos(i);
            assertTrue(page >= base && page < base + len && (page - base) % PAGE == 0, "page 0x" + Long.toHexString(page));
            // Its start precedes the wake-up, so it lies in the interval; its end may not (the record
            // is put after the resolver's ioctl woke the thread, which may have ended the interval).
            assertTrue(start >= before && start <= after && stall > 0,
                    "fault " + i + ": start " + (start - before) + " ns into the interval of " + (after - before) + ", stall " + stall);
            pages.set((int) ((page - base) / PAGE));
            stalls.recordValue(stall);
        }
        assertEquals(len / PAGE, pages.cardinality(), "every page of the range faulted");
        assertEquals(times, stalls, "the log's stalls are the histogram's service times");
    }

    @Test
    void copyResolverFillsFromTheSource() throws Exception {
        long len = 8L << 20, src = mem.reserve(len), dst = mem.reserve(len);
        Mapped.fill(src, len, 5);
        uffd.register(dst, len);
        try (Resolver copy = Resolver.copyFrom(dst, src, len); FaultService svc = FaultService.start(uffd, 2, copy)) {
            readAll(dst, len, 5);
            svc.intervalServiceTimes(); // waits until every counted fault's outcome is counted too
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
        try (Resolver copy = Resolver.copyFrom(dst, src, len); FaultService svc = FaultService.start(uffd, 1, copy);
             Toucher toucher = Toucher.start(uffd, dst + len)) {
            // Woken after each failure, the C thread faults again and again until the page appears.
            TestThreads.await(() -> svc.stats().failed() >= 3, Duration.ofSeconds(5), "fewer than 3 failures: " + svc.stats());
            FaultServiceStats st = svc.stats();
            assertTrue(st.failed() >= 3, st.toString());
            assertEquals(14 /* EFAULT */, st.lastErrno());
            uffd.zeroPage(dst + len, PAGE); // now the retry succeeds
            assertTrue(toucher.join(5000).isPresent(), "the toucher is still blocked");
        }
    }

    @Test
    void stopServesEveryQueuedFault() throws Exception {
        long len = 4 * PAGE, base = mem.reserve(len);
        uffd.register(base, len);
        try (Arena arena = Arena.ofConfined()) {
            // ugc_test_resolve_slow_zero sleeps *delay ns, read as each fault's resolution begins.
            MemorySegment delay = arena.allocate(ValueLayout.JAVA_LONG);
            delay.set(ValueLayout.JAVA_LONG, 0, FIRST_FAULT_HOLD.toNanos());
            try (Resolver slow = Resolver.of("slowZero", UffdgcTesting.ugc_test_resolve_slow_zero$address(), delay.address())) {
                FaultService svc = FaultService.start(uffd, 1, slow);
                TestThreads readers = new TestThreads();
                try {
                    // The one service thread takes the first fault and sits in its resolution...
                    readers.start("reader-0", () -> Memory.segment(base, 8).get(ValueLayout.JAVA_LONG, 0));
                    TestThreads.await(() -> svc.stats().faults() == 1, Duration.ofSeconds(5), "no fault read");
                    delay.set(ValueLayout.JAVA_LONG, 0, 0); // (the ones served at stop take no time)
                    // ...while three more faults queue up: each reader sleeps in the kernel on its page.
                    AtomicIntegerArray tids = new AtomicIntegerArray(3); // 0 until the reader runs
                    for (int i = 0; i < 3; i++) {
                        int n = i;
                        long at = base + (i + 1) * PAGE;
                        readers.start("reader-" + (i + 1), () -> {
                            tids.set(n, TestThreads.tid());
                            Memory.segment(at, 8).get(ValueLayout.JAVA_LONG, 0);
                        });
                    }
                    TestThreads.await(() -> IntStream.range(0, 3).allMatch(n -> tids.get(n) > 0 && TestThreads.inUserfault(tids.get(n))),
                            Duration.ofSeconds(5), "the three readers never all waited on their faults");
                    assertEquals(1, svc.stats().faults(),
                            "the first fault's resolution ended before stop: hold it longer than " + FIRST_FAULT_HOLD);
                } finally {
                    svc.close();
                    readers.joinAll(Duration.ofSeconds(5), "readers stayed blocked after stop");
                }
                FaultServiceStats st = svc.stats();
                assertEquals(4, st.faults(), st.toString());
                assertEquals(4, st.resolved(), st.toString());
                assertEquals(3, st.servedAtStop(), st.toString());
                assertFalse(svc.isRunning());
                svc.close(); // idempotent
            }
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
