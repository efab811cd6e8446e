package io.uffdgc.uffd;

import io.uffdgc.uffd.gen.testing.UffdgcTesting;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.OptionalInt;

/**
 * A C pthread that reads one byte at an address (ugc_test_touch_start), so a test can
 * fault a registered page without blocking a Java thread. close() joins it in any
 * case: if it is still blocked, close maps the zero page at its address first, so no
 * thread outlives the test that started it.
 */
public final class Toucher implements AutoCloseable {
    private final Userfaultfd uffd;
    private final long addr;
    private long handle;

    private Toucher(Userfaultfd uffd, long addr, long handle) {
        this.uffd = uffd;
        this.addr = addr;
        this.handle = handle;
    }

    public static Toucher start(Userfaultfd uffd, long addr) {
        long h = UffdgcTesting.ugc_test_touch_start(addr);
        if (h <= 0) throw new IllegalStateException("ugc_test_touch_start: " + Errno.name((int) -h));
        return new Toucher(uffd, addr, h);
    }

    /** Waits up to timeoutMs for the read: the byte it read, or empty while the thread is still blocked. */
    public OptionalInt join(int timeoutMs) {
        if (handle == 0) throw new IllegalStateException("already joined");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(1);
            if (UffdgcTesting.ugc_test_touch_join(handle, timeoutMs, value) == 0) return OptionalInt.empty();
            handle = 0;
            return OptionalInt.of(value.get(ValueLayout.JAVA_BYTE, 0));
        }
    }

    @Override
    public void close() {
        if (handle == 0) return;
        long page = addr & -Memory.pageSize();
        try {
            uffd.zeroPage(page, Memory.pageSize());
        } catch (DestinationExistsException e) {
            // mapped meanwhile: the thread is on its way out
        }
        if (join(5000).isEmpty()) throw new IllegalStateException("toucher of 0x" + Long.toHexString(addr) + " still blocked");
    }
}
