package io.uffdgc.gc;

import io.uffdgc.gc.CycleStats.Cpu;
import io.uffdgc.uffd.CpuTime;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Sums, per part of one cycle, the CPU time and the wall time of the threads that ran
 * it: each part is a downcall, measured on the thread that makes it (several compactor
 * threads at once), so what the C engine does inside is what is counted.
 */
final class CpuMeter {
    /** The parts of a cycle that a thread of the collector runs. */
    enum Part { MARK, PLAN, FLIP, COMPACT, FINISH }

    private final Map<Part, CpuTime> cpu = new EnumMap<>(Part.class);
    private final Map<Part, Long> wall = new EnumMap<>(Part.class);

    CpuMeter() {
        for (Part p : Part.values()) {
            cpu.put(p, CpuTime.ZERO);
            wall.put(p, 0L);
        }
    }

    /**
     * Runs work on this thread and adds its CPU and wall time to part. The wall time holds
     * the CPU readings (~2 us each), so a part's CPU time never exceeds its wall time.
     */
    long time(Part part, LongSupplier work) {
        long t0 = System.nanoTime();
        CpuTime c0 = CpuTime.ofCurrentThread();
        try {
            return work.getAsLong();
        } finally {
            CpuTime dc = CpuTime.ofCurrentThread().minus(c0);
            long dt = System.nanoTime() - t0;
            synchronized (this) {
                cpu.merge(part, dc, CpuTime::plus);
                wall.merge(part, dt, Long::sum);
            }
        }
    }

    /** Adds CPU time that threads other than the callers spent on part (the engine's other marking threads). */
    synchronized void add(Part part, CpuTime more) { cpu.merge(part, more, CpuTime::plus); }

    synchronized Cpu toCpu(CpuTime faultService) {
        return new Cpu(cpu.get(Part.MARK), cpu.get(Part.PLAN), cpu.get(Part.FLIP), cpu.get(Part.COMPACT),
                wall.get(Part.COMPACT), cpu.get(Part.FINISH), faultService);
    }
}
