package io.uffdgc.uffd;

import io.uffdgc.uffd.gen.Uffdgc;
import io.uffdgc.uffd.gen.ugc_thread_cpu;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * CPU time, user and system (kernel) mode apart, in nanoseconds.
 *
 * <p>Read from the kernel with {@code getrusage(RUSAGE_THREAD)} ({@code ugc_thread_cpu_read}),
 * not with {@code ThreadMXBean}: HotSpot reads a thread's user time on Linux from
 * {@code /proc} in clock ticks (10 ms), getrusage to the microsecond. The sum is the
 * scheduler's exact runtime; with tick accounting (this machine kind) the kernel splits it
 * in the ratio of the 4 ms ticks that found the thread in each mode, so over a short
 * interval the split is a sample and the sum is not.
 */
public record CpuTime(long userNanos, long systemNanos) {
    public static final CpuTime ZERO = new CpuTime(0, 0);

    public CpuTime {
        if (userNanos < 0 || systemNanos < 0)
            throw new IllegalArgumentException("negative CPU time: user " + userNanos + " ns, system " + systemNanos + " ns");
    }

    /** The calling thread's CPU time so far. */
    public static CpuTime ofCurrentThread() {
        NativeLibrary.load();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = ugc_thread_cpu.allocate(arena);
            NativeCallException.check(Uffdgc.ugc_thread_cpu_read(s), "ugc_thread_cpu_read", "getrusage(RUSAGE_THREAD)");
            return new CpuTime(ugc_thread_cpu.user_ns(s), ugc_thread_cpu.sys_ns(s));
        }
    }

    public long totalNanos() { return userNanos + systemNanos; }

    public CpuTime plus(CpuTime o) { return new CpuTime(userNanos + o.userNanos, systemNanos + o.systemNanos); }

    /**
     * What was spent since {@code earlier}. Each part only grows for one thread; a sum over
     * threads estimated between two logs (the fault service's) may step back by a few
     * microseconds in one part, which is clamped at zero.
     */
    public CpuTime minus(CpuTime earlier) {
        return new CpuTime(Math.max(0, userNanos - earlier.userNanos), Math.max(0, systemNanos - earlier.systemNanos));
    }

    @Override
    public String toString() {
        return String.format("%.2f ms CPU (user %.2f, system %.2f)", totalNanos() / 1e6, userNanos / 1e6, systemNanos / 1e6);
    }
}
