package io.uffdgc.uffd;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The calling thread's CPU time: it grows with work, in the mode the work runs in, and agrees with the JVM's clock. */
class CpuTimeTest {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long SPIN_NANOS = 60_000_000;

    @Test
    void computingIsUserTimeAndAgreesWithTheJvmsThreadClock() {
        CpuTime.ofCurrentThread();                  // the first call links the downcall and the accessors (~1 ms)
        CpuTime c0 = CpuTime.ofCurrentThread();
        long j0 = THREADS.getCurrentThreadCpuTime(), x = 1;
        while (THREADS.getCurrentThreadCpuTime() - j0 < SPIN_NANOS)           // the clock is a syscall: look seldom
            for (int i = 0; i < 1_000_000; i++) x = x * 6364136223846793005L + 1442695040888963407L;
        CpuTime d = CpuTime.ofCurrentThread().minus(c0);
        long jvm = THREADS.getCurrentThreadCpuTime() - j0;
        assertNotEquals(42, x);
        // Both read the scheduler's runtime of this thread; ours was read just outside the JVM's.
        assertEquals(jvm, d.totalNanos(), 200_000, d + ", the JVM's clock " + jvm + " ns");
        assertTrue(d.userNanos() > d.systemNanos(), "spinning is user time: " + d);
    }

    @Test
    void systemCallsAreSystemTime() throws IOException {
        try (FileChannel zero = FileChannel.open(Path.of("/dev/zero"))) {
            ByteBuffer buf = ByteBuffer.allocateDirect(8 << 20);
            for (int i = 0; i < 8; i++) zero.read(buf.clear());     // the read path compiled before it is measured
            CpuTime c0 = CpuTime.ofCurrentThread();
            long j0 = THREADS.getCurrentThreadCpuTime();
            // The split is sampled per 4 ms tick: a long enough run (75 ticks) of calls that are nearly all kernel work
            // (clearing 8 MiB per read) keeps a sampled split from looking like user time by chance.
            while (THREADS.getCurrentThreadCpuTime() - j0 < 5 * SPIN_NANOS) zero.read(buf.clear());
            CpuTime d = CpuTime.ofCurrentThread().minus(c0);
            assertTrue(d.systemNanos() > d.userNanos(), "reading /dev/zero is system time: " + d);
        }
    }

    @Test
    void negativeTimesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new CpuTime(-1, 0));
        assertEquals(new CpuTime(0, 5), new CpuTime(3, 10).minus(new CpuTime(4, 5)), "a part that stepped back is clamped");
    }
}
