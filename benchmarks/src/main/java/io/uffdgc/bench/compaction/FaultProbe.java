package io.uffdgc.bench.compaction;

import io.uffdgc.uffd.Memory;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * A fault's stall as the faulting thread sees it, in both fault-handling modes. The fault
 * service's figure (service time) starts once a service thread has read the fault message
 * and ends when it has woken the thread; what the thread waits also holds the kernel's
 * delivery, the service thread's wake-up and, with SIGBUS, the signal's delivery and
 * return. So while the window is open one thread touches a random page of the compacted
 * range that is not installed yet, every interval, and times that one read from the access
 * to its completion ({@link Memory#timedTouch}, in C: a Java thread inside a downcall, as a
 * mutator is while it faults).
 *
 * <p>The probe is a third reader of the heap beside the mutators, a light one (one read per
 * interval); its faults are served like theirs and counted with them.
 */
final class FaultProbe {
    private final long intervalNanos;
    private final SplittableRandom random;
    private final Histogram stalls = new Histogram(3);
    private volatile boolean stop;
    private volatile Throwable failure;
    private Thread thread;

    /** @param intervalNanos time between two touches; 0: no probe */
    FaultProbe(long intervalNanos, long seed) {
        this.intervalNanos = intervalNanos;
        this.random = new SplittableRandom(seed);
    }

    /** Starts touching pages of [from, to) (addresses): the window has opened on them. */
    void start(long from, long to) {
        long pages = (to - from) / Memory.pageSize();
        if (intervalNanos == 0 || pages <= 0) return;
        thread = Thread.ofPlatform().daemon().name("bench-fault-probe").start(() -> {
            try {
                while (!stop) {
                    long ns = Memory.timedTouch(from + random.nextLong(pages) * Memory.pageSize());
                    if (ns >= 0) stalls.recordValue(ns);
                    LockSupport.parkNanos(intervalNanos);
                }
            } catch (Throwable t) {
                failure = t;
            }
        });
    }

    /**
     * Stops before the window closes (the range stays mapped until the heap does); returns the
     * stalls (ns), or rethrows what stopped the probe's thread.
     */
    Histogram stop() throws InterruptedException {
        stop = true;
        if (thread != null) thread.join();
        if (failure != null) throw new IllegalStateException("the fault probe failed: " + failure, failure);
        return stalls;
    }
}
