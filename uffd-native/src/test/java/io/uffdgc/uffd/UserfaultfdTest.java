package io.uffdgc.uffd;

import static io.uffdgc.uffd.Mapped.HUGE;
import static io.uffdgc.uffd.Mapped.PAGE;
import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.uffd.UffdFeatures.Feature;
import io.uffdgc.uffd.UffdFeatures.Ioctl;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The safe API against the real kernel: negotiation, registration, COPY / ZEROPAGE / MOVE, checks. */
@Timeout(60)
class UserfaultfdTest {
    private final Mapped mem = new Mapped();
    private Userfaultfd uffd;

    @BeforeEach
    void open() { uffd = Userfaultfd.open(); }

    @AfterEach
    void close() {
        uffd.close(); // first: wakes anything still waiting on a registered range
        mem.close();
    }

    @Test
    @RequiresUffdFeature(Feature.MOVE)
    void negotiatesMoveAndReportsItsIoctls() {
        UffdFeatures f = uffd.features();
        assertTrue(f.has(Feature.MOVE), f.toString());
        assertEquals(Set.of(Feature.MOVE), f.featureSet(), "granted = asked & supported");
        assertTrue(uffd.supportedFeatures().containsAll(EnumSet.of(Feature.MOVE, Feature.EVENT_REMOVE, Feature.PAGEFAULT_FLAG_WP)));
        assertTrue(f.allows(Ioctl.API) && f.allows(Ioctl.REGISTER) && f.allows(Ioctl.UNREGISTER), f.toString());
        assertTrue(f.toString().contains("MOVE"), f.toString());
        assertEquals("userfaultfd(O_CLOEXEC|O_NONBLOCK)", uffd.openedWith(), "root: the plain syscall works");
        assertFalse(uffd.userModeOnly());
    }

    @Test
    @RequiresUffdFeature({Feature.MOVE, Feature.EVENT_REMOVE, Feature.THREAD_ID})
    void grantsOnlyWhatWasAskedAndSupported() {
        try (Userfaultfd more = Userfaultfd.open(EnumSet.of(Feature.MOVE, Feature.EVENT_REMOVE, Feature.THREAD_ID))) {
            assertEquals(EnumSet.of(Feature.MOVE, Feature.EVENT_REMOVE, Feature.THREAD_ID), more.features().featureSet());
        }
    }

    @Test
    @RequiresUffdFeature(Feature.MOVE)
    void registerReportsTheRangeIoctls() {
        long a = mem.reserve(16 * PAGE);
        Registration r = uffd.register(a, 16 * PAGE);
        for (Ioctl i : EnumSet.of(Ioctl.WAKE, Ioctl.COPY, Ioctl.ZEROPAGE, Ioctl.MOVE)) assertTrue(r.allows(i), r.toString());
        assertTrue(uffd.isRegistered(a, 16 * PAGE));
        uffd.unregister(a + 4 * PAGE, 4 * PAGE);
        assertTrue(uffd.isRegistered(a, 4 * PAGE));
        assertFalse(uffd.isRegistered(a, 5 * PAGE));
        assertTrue(uffd.isRegistered(a + 8 * PAGE, 8 * PAGE));
    }

    @Test
    void registersWriteProtectModeWhereOffered() {
        long a = mem.reserve(4 * PAGE);
        Registration r = uffd.register(a, 4 * PAGE, EnumSet.of(RegisterMode.MISSING, RegisterMode.WP));
        assertTrue(r.allows(Ioctl.WRITEPROTECT), r.toString());
        assertEquals(EnumSet.of(RegisterMode.MISSING, RegisterMode.WP), r.modes());
    }

    @Test
    void copiesOnePageAndManyPages() {
        long src = mem.reserve(65 * PAGE), dst = mem.reserve(65 * PAGE);
        Mapped.fill(src, 65 * PAGE, 7);
        uffd.register(dst, 65 * PAGE);
        uffd.copy(dst, src, PAGE);
        uffd.copy(dst + PAGE, src + PAGE, 64 * PAGE);
        assertEquals(-1, Mapped.firstMismatch(dst, 65 * PAGE, 7));
        assertEquals(-1, Mapped.firstMismatch(src, 65 * PAGE, 7), "COPY leaves the source as it was");
    }

    @Test
    void zeroPageMapsZeros() {
        long dst = mem.reserve(65 * PAGE);
        uffd.register(dst, 65 * PAGE);
        uffd.zeroPage(dst, PAGE);
        uffd.zeroPage(dst + PAGE, 64 * PAGE);
        assertTrue(Mapped.allZero(dst, 65 * PAGE));
    }

    @Test
    @RequiresUffdFeature(Feature.MOVE)
    void movesOnePageAndManyPagesLeavingTheSourceEmpty() {
        long src = mem.reserve(65 * PAGE), dst = mem.reserve(65 * PAGE);
        Mapped.fill(src, 65 * PAGE, 11);
        uffd.register(dst, 65 * PAGE);
        uffd.move(dst, src, PAGE);
        uffd.move(dst + PAGE, src + PAGE, 64 * PAGE);
        assertEquals(-1, Mapped.firstMismatch(dst, 65 * PAGE, 11));
        assertEquals(0, Memory.residentBytes(src, 65 * PAGE), "MOVE takes the pages away from the source");
    }

    @Test
    @RequiresUffdFeature(Feature.MOVE)
    void movesATransparentHugePageWhole() throws Exception {
        long src = mem.reserve(HUGE, HUGE), dst = mem.reserve(HUGE, HUGE);
        Memory.advise(src, HUGE, Memory.Advice.HUGEPAGE);
        Memory.advise(dst, HUGE, Memory.Advice.HUGEPAGE);
        Mapped.fill(src, HUGE, 13);
        assertEquals(HUGE / 1024, anonHugeKb(src), "source is backed by one THP");
        uffd.register(dst, HUGE);
        uffd.move(dst, src, HUGE);
        assertEquals(HUGE / 1024, anonHugeKb(dst), "the PMD moved whole, not split into pages");
        assertEquals(-1, Mapped.firstMismatch(dst, HUGE, 13));
        assertEquals(0, Memory.residentBytes(src, HUGE));
    }

    /** AnonHugePages (kB) of the mapping that starts at addr, from /proc/self/smaps. */
    private static long anonHugeKb(long addr) throws Exception {
        String head = Long.toHexString(addr) + "-";
        boolean in = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) in = line.startsWith(head);
            if (in && line.startsWith("AnonHugePages:"))
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new AssertionError("no mapping at 0x" + Long.toHexString(addr));
    }

    @Test
    void readsAFaultOfANativeThreadAndResolvesIt() {
        long dst = mem.reserve(4 * PAGE);
        uffd.register(dst, 4 * PAGE);
        long src = mem.reserve(PAGE);
        Memory.segment(src, PAGE).set(ValueLayout.JAVA_BYTE, 100, (byte) 42);
        // The faulting thread is a C pthread: a Java thread must never wait on a fault Java serves.
        try (Toucher toucher = Toucher.start(uffd, dst + 2 * PAGE + 100)) {
            Optional<UffdEvent> e = uffd.readEvent(5000);
            assertTrue(e.isPresent(), "no fault message within 5 s");
            FaultEvent f = assertInstanceOf(FaultEvent.class, e.get());
            assertEquals(dst + 2 * PAGE, f.address());
            assertFalse(f.isWrite());
            uffd.copy(dst + 2 * PAGE, src, PAGE);
            assertEquals(OptionalInt.of(42), toucher.join(5000), "toucher still blocked, or it read the wrong byte");
        }
        assertTrue(uffd.readEvent(0).isEmpty());
    }

    @Test
    void checksArgumentsBeforeTheKernel() {
        long src = mem.reserve(8 * PAGE), dst = mem.reserve(8 * PAGE);
        uffd.register(dst, 4 * PAGE);
        var e = assertThrows(UffdInvalidArgumentException.class, () -> uffd.copy(dst + 8, src, PAGE));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("not page aligned"), e.getMessage());
        assertThrows(UffdInvalidArgumentException.class, () -> uffd.copy(dst, src + 8, PAGE));
        assertThrows(UffdInvalidArgumentException.class, () -> uffd.zeroPage(dst, 0));
        assertThrows(UffdInvalidArgumentException.class, () -> uffd.zeroPage(dst, PAGE + 1));
        assertThrows(UffdInvalidArgumentException.class, () -> uffd.copy(dst, src, PAGE, FillOption.ALLOW_SRC_HOLES));
        var outside = assertThrows(RangeNotRegisteredException.class, () -> uffd.copy(dst + 2 * PAGE, src, 4 * PAGE));
        assertEquals(dst + 2 * PAGE, outside.dst());
        assertEquals(4 * PAGE, outside.len());
        assertThrows(RangeNotRegisteredException.class, () -> uffd.zeroPage(src, PAGE));
        assertThrows(UffdInvalidArgumentException.class, () -> uffd.move(dst, dst + PAGE, 2 * PAGE), "overlap");
        // Nothing above reached the kernel or changed anything: the range is still empty and usable.
        assertEquals(0, Memory.residentBytes(dst, 4 * PAGE));
        uffd.zeroPage(dst, 4 * PAGE);
        uffd.close();
        assertThrows(UffdClosedException.class, () -> uffd.zeroPage(dst, PAGE));
        assertThrows(UffdClosedException.class, () -> uffd.register(src, PAGE));
        uffd.close(); // idempotent
    }

    @Test
    void copyOntoAMappedPageIsDestinationExists() {
        long src = mem.reserve(4 * PAGE), dst = mem.reserve(4 * PAGE);
        Mapped.fill(src, 4 * PAGE, 3);
        uffd.register(dst, 4 * PAGE);
        uffd.zeroPage(dst + 2 * PAGE, PAGE);
        var e = assertThrows(DestinationExistsException.class, () -> uffd.copy(dst, src, 4 * PAGE));
        assertEquals(Errno.EEXIST, e.errno());
        assertEquals(2 * PAGE, e.done(), "the two pages before the mapped one were copied");
        assertEquals(-1, Mapped.firstMismatch(dst, 2 * PAGE, 3));
    }
}
