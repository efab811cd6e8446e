package io.uffdgc.uffd.service;

import static io.uffdgc.uffd.Mapped.PAGE;
import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.uffd.Mapped;
import io.uffdgc.uffd.Memory;
import io.uffdgc.uffd.UffdFeatures.Feature;
import io.uffdgc.uffd.Userfaultfd;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SIGBUS fault service (ugc_sigbus.c): Java threads that fault on a registered range
 * resolve their own page in a signal handler, and every SIGBUS that is not theirs still
 * reaches the JVM's handler.
 */
@Timeout(60)
class SigbusServiceTest {
    private final Mapped mem = new Mapped();
    private Userfaultfd uffd;

    @BeforeEach
    void open() {
        uffd = Userfaultfd.open(EnumSet.of(Feature.SIGBUS));
        Assumptions.assumeTrue(uffd.features().has(Feature.SIGBUS), () -> "kernel lacks UFFD_FEATURE_SIGBUS: " + uffd);
    }

    @AfterEach
    void close() {
        if (uffd != null) uffd.close();
        mem.close();
    }

    @Test
    void faultingThreadsFillTheirOwnPages() throws Exception {
        long len = 8L << 20, src = mem.reserve(len), dst = mem.reserve(len);
        Mapped.fill(src, len, 3);
        uffd.register(dst, len);
        try (Resolver copy = Resolver.copyFrom(dst, src, len);
             FaultService svc = FaultService.startSigbus(uffd, dst, len, FaultServiceTest.READERS, copy)) { // a slot per reader: every ioctl counted
            assertTrue(svc.isSigbus());
            FaultServiceTest.readAll(dst, len, 3);
            Histogram stalls = svc.intervalServiceTimes(); // first: it waits until every counted outcome is counted
            FaultServiceStats st = svc.stats();
            long pages = len / PAGE;
            assertTrue(st.faults() >= pages, st.toString());
            assertEquals(st.faults(), st.resolved(), st.toString());
            assertEquals(0, st.failed());
            assertEquals(len, st.ioctls().copyBytes(), "every page copied exactly once");
            assertEquals(0, st.otherEvents(), "no fault messages: the kernel raised SIGBUS instead");
            assertEquals(st.faults(), stalls.getTotalCount(), "one stall sample per fault, taken in the handler");
            assertTrue(stalls.getValueAtPercentile(50) > 200, "median stall " + stalls.getValueAtPercentile(50) + " ns");
            assertEquals(-1, Mapped.firstMismatch(dst, len, 3));
        }
    }

    @Test
    void theFaultLogHoldsEachMutatorsStallAndPage() throws Exception {
        long len = 4L << 20, src = mem.reserve(len), dst = mem.reserve(len);
        Mapped.fill(src, len, 6);
        uffd.register(dst, len);
        try (Resolver copy = Resolver.copyFrom(dst, src, len);
             FaultService svc = FaultService.startSigbus(uffd, dst, len, FaultServiceTest.READERS, copy)) {
            svc.keepFaultLog(true);
            long before = System.nanoTime();
            FaultServiceTest.readAll(dst, len, 6);
            FaultServiceTest.checkFaultLog(svc, dst, len, before, System.nanoTime(), svc.stats().faults());
        }
    }

    @Test
    void aSigbusThatIsNotOursStillReachesTheJvm(@TempDir Path dir) throws IOException {
        long len = 4 * PAGE, src = mem.reserve(len), dst = mem.reserve(len);
        Mapped.fill(src, len, 4);
        uffd.register(dst, len);
        try (Resolver copy = Resolver.copyFrom(dst, src, len);
             FaultService svc = FaultService.startSigbus(uffd, dst, len, 1, copy)) {
            // A mapped file truncated under its mapping: the access raises SIGBUS, which HotSpot's
            // handler turns into an InternalError; ours must hand it on untouched.
            Path f = dir.resolve("truncated");
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.allocate((int) (2 * PAGE)));
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, 2 * PAGE);
                ch.truncate(0);
                Error e = assertThrows(InternalError.class, () -> map.get((int) PAGE));
                assertTrue(e.getMessage().contains("unsafe memory access"), e.getMessage());
            }
            assertEquals(0, svc.stats().faults(), "the file's SIGBUS was not counted as ours");
            // And ours still work after it.
            assertEquals(Mapped.pattern(4, 8), Memory.segment(dst, len).get(ValueLayout.JAVA_LONG, 8));
            assertEquals(1, svc.stats().resolved());
        }
    }

    @Test
    void startNeedsTheFeature() {
        try (Userfaultfd plain = Userfaultfd.open(); Resolver zero = Resolver.zeroPage()) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> FaultService.startSigbus(plain, 1L << 30, PAGE, 1, zero));
            assertTrue(e.getMessage().contains("UFFD_FEATURE_SIGBUS"), e.getMessage());
        }
    }
}
