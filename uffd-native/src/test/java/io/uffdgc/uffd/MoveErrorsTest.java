package io.uffdgc.uffd;

import static io.uffdgc.uffd.Mapped.PAGE;
import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.uffd.UffdFeatures.Feature;
import io.uffdgc.uffd.gen.Uffdgc;
import io.uffdgc.uffd.gen.testing.UffdgcTesting;
import io.uffdgc.uffd.gen.ugc_counters;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every documented UFFDIO_MOVE error, produced for real and mapped to its exception. */
@Timeout(60)
@RequiresUffdFeature(Feature.MOVE)
class MoveErrorsTest {
    private final Mapped mem = new Mapped();
    private Userfaultfd uffd;
    private long src, dst;

    @BeforeEach
    void setUp() {
        uffd = Userfaultfd.open();
        src = mem.reserve(8 * PAGE);
        dst = mem.reserve(8 * PAGE);
        Mapped.fill(src, 8 * PAGE, 21);
        uffd.register(dst, 8 * PAGE);
    }

    @AfterEach
    void tearDown() {
        UffdgcTesting.ugc_inject_clear();
        uffd.close();
        mem.close();
    }

    private static <T extends UffdException> T assertRange(T e, long dst, long src, long len, long done, int errno) {
        assertEquals(errno, e.errno(), e.getMessage());
        assertEquals(dst, e.dst());
        assertEquals(src, e.src());
        assertEquals(len, e.len());
        assertEquals(done, e.done(), e.getMessage());
        assertEquals("UFFDIO_MOVE", e.operation());
        return e;
    }

    @Test
    void eexistWhenTheDestinationIsAlreadyMapped() {
        uffd.zeroPage(dst + 3 * PAGE, PAGE);
        var e = assertThrows(DestinationExistsException.class, () -> uffd.move(dst, src, 8 * PAGE));
        assertRange(e, dst, src, 8 * PAGE, 3 * PAGE, Errno.EEXIST);
        assertEquals(-1, Mapped.firstMismatch(dst, 3 * PAGE, 21), "the pages before the mapped one moved");
        // Resume after the mapped page, as done() says.
        uffd.move(dst + 4 * PAGE, src + 4 * PAGE, 4 * PAGE);
        assertEquals(-1, Mapped.firstMismatch(dst + 4 * PAGE, 4 * PAGE, 21, 4 * PAGE));
        assertEquals(PAGE, Memory.residentBytes(src + 3 * PAGE, 4 * PAGE), "only the refused page is left");
    }

    @Test
    void enoentForASourceHoleAndAllowSrcHolesSkipsIt() {
        Memory.advise(src + 2 * PAGE, PAGE, Memory.Advice.DONTNEED); // a hole at page 2
        var e = assertThrows(SourceHoleException.class, () -> uffd.move(dst, src, 4 * PAGE));
        assertRange(e, dst, src, 4 * PAGE, 2 * PAGE, Errno.ENOENT);
        // The twin: with ALLOW_SRC_HOLES the same move succeeds and leaves the hole missing.
        uffd.move(dst + 2 * PAGE, src + 2 * PAGE, 6 * PAGE, FillOption.ALLOW_SRC_HOLES);
        assertEquals(0, Memory.residentBytes(dst + 2 * PAGE, PAGE), "the hole stays a hole");
        assertEquals(5 * PAGE, Memory.residentBytes(dst + 3 * PAGE, 5 * PAGE));
        assertEquals(0, Memory.residentBytes(src, 8 * PAGE));
    }

    @Test
    void einvalForMisalignmentIsCaughtInJavaAndByTheKernel() {
        var dstOff = assertThrows(UffdInvalidArgumentException.class, () -> uffd.move(dst + 16, src, PAGE));
        assertEquals(Errno.EINVAL, dstOff.errno());
        assertTrue(dstOff.getMessage().contains("checked before the kernel"), dstOff.getMessage());
        var lenOff = assertThrows(UffdInvalidArgumentException.class, () -> uffd.move(dst, src, PAGE + 512));
        assertEquals(Errno.EINVAL, lenOff.errno());
        // The kernel says the same when the checks are bypassed (the raw C wrapper).
        assertEquals(-Errno.EINVAL, rawMove(dst + 16, src, PAGE, 0));
        assertEquals(-Errno.EINVAL, rawMove(dst, src, PAGE + 512, 0));
        assertEquals(-Errno.EINVAL, rawMove(dst, src, PAGE, 1L << 7), "unknown mode bit");
        assertEquals(0, Memory.residentBytes(dst, 8 * PAGE), "nothing moved");
    }

    @Test
    void einvalFromTheKernelWhenTheMappingsDiffer() {
        Memory.protect(src, PAGE, false); // source PROT_NONE, destination read-write: the kernel refuses
        var e = assertThrows(UffdInvalidArgumentException.class, () -> uffd.move(dst, src, PAGE));
        assertRange(e, dst, src, PAGE, 0, Errno.EINVAL);
        assertTrue(e.getMessage().contains("rejected by the kernel"), e.getMessage());
    }

    private int rawMove(long d, long s, long len, long mode) {
        try (Arena arena = Arena.ofConfined()) {
            return Uffdgc.ugc_uffd_move(uffd.fd(), d, s, len, mode, arena.allocate(ValueLayout.JAVA_LONG), MemorySegment.NULL);
        }
    }

    @Test
    void ebusyWhileTheSourceIsSharedWithAForkedChild() {
        int child = UffdgcTesting.ugc_test_fork_sleeper();
        assertTrue(child > 0, "fork failed: " + child);
        try {
            var e = assertThrows(SourceBusyException.class, () -> uffd.move(dst, src, 2 * PAGE));
            assertRange(e, dst, src, 2 * PAGE, 0, Errno.EBUSY);
        } finally {
            assertEquals(0, UffdgcTesting.ugc_test_kill_child(child));
        }
        assertEquals(0, Memory.residentBytes(dst, 8 * PAGE));
    }

    @Test
    void dontForkSourcesStayMovableAcrossAFork() {
        Memory.advise(src, 8 * PAGE, Memory.Advice.DONTFORK);
        int child = UffdgcTesting.ugc_test_fork_sleeper();
        assertTrue(child > 0, "fork failed: " + child);
        try {
            uffd.move(dst, src, 8 * PAGE);
        } finally {
            assertEquals(0, UffdgcTesting.ugc_test_kill_child(child));
        }
        assertEquals(-1, Mapped.firstMismatch(dst, 8 * PAGE, 21));
    }

    @Test
    void eagainAfterPartialProgressIsResumed() {
        try (Arena arena = Arena.ofConfined()) {
            // Raw wrapper with counters: one injected EAGAIN after 3 pages, then the rest.
            UffdgcTesting.ugc_inject(UffdgcTesting.UGC_INJECT_MOVE(), Errno.EAGAIN, 1, 3 * PAGE);
            MemorySegment ctr = ugc_counters.allocate(arena);
            MemorySegment done = arena.allocate(ValueLayout.JAVA_LONG);
            assertEquals(0, Uffdgc.ugc_uffd_move(uffd.fd(), dst, src, 4 * PAGE, 0, done, ctr));
            assertEquals(4 * PAGE, done.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(2, ugc_counters.move_calls(ctr), "a partial call, then one for the rest");
            assertEquals(1, ugc_counters.eagain(ctr));
            assertEquals(4 * PAGE, ugc_counters.move_bytes(ctr));
        }
        // Through the Java API the resume is invisible: the call succeeds whole.
        UffdgcTesting.ugc_inject(UffdgcTesting.UGC_INJECT_MOVE(), Errno.EAGAIN, 2, PAGE);
        uffd.move(dst + 4 * PAGE, src + 4 * PAGE, 4 * PAGE);
        assertEquals(-1, Mapped.firstMismatch(dst, 8 * PAGE, 21));
    }

    @Test
    @RequiresUffdFeature({Feature.MOVE, Feature.EVENT_REMOVE})
    void eagainWithoutProgressWhileARemoveEventIsPending() throws Exception {
        CompletableFuture<Void> madvise = null;
        try (Userfaultfd events = Userfaultfd.open(EnumSet.of(Feature.MOVE, Feature.EVENT_REMOVE))) {
            long d = mem.reserve(64 * PAGE);
            events.register(d, 64 * PAGE);
            // madvise(DONTNEED) on the registered range queues a REMOVE event and blocks the caller
            // (inside its downcall, so not "in Java") until the event is read.
            madvise = CompletableFuture.runAsync(
                    () -> Memory.advise(d, PAGE, Memory.Advice.DONTNEED), Thread::startVirtualThread);
            // Probe with one-page ZEROPAGEs until the kernel says the address space is changing.
            boolean pending = false;
            for (int i = 1; i < 64 && !pending; i++) {
                try {
                    events.zeroPage(d + i * PAGE, PAGE);
                    Thread.sleep(20);
                } catch (UffdAgainException e) {
                    pending = true;
                }
            }
            assertTrue(pending, "the REMOVE event never made the range busy");
            var e = assertThrows(UffdAgainException.class, () -> events.move(d, src, PAGE));
            assertRange(e, d, src, PAGE, 0, Errno.EAGAIN);
            Optional<UffdEvent> ev = events.readEvent(5000);
            assertEquals(Optional.of(new UffdEvent.Removed(d, d + PAGE)), ev);
            madvise.get(5, TimeUnit.SECONDS);
            events.move(d, src, PAGE); // the event is read: MOVE works again
            assertEquals(-1, Mapped.firstMismatch(d, PAGE, 21));
        } finally {
            // If the test failed early, closing the uffd released the madvise: let it finish before the next test.
            if (madvise != null) madvise.exceptionally(e -> null).get(5, TimeUnit.SECONDS);
        }
    }
}
