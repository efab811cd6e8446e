package io.uffdgc.bench.compaction;

import io.uffdgc.gc.CycleStats;
import io.uffdgc.gc.Mode;
import io.uffdgc.uffd.CpuTime;

/**
 * One measured cycle.
 *
 * @param verified true when the verifier passed and the checksum after the cycle equals the one before
 * @param failure  why not, when not verified
 * @param stats    the collector's statistics of the cycle (null when the cycle itself failed)
 * @param load     what the mutators measured (null when the cycle failed)
 * @param tlbShootdowns TLB-shootdown interrupts, system-wide, while the window was open (-1: not measured,
 *                 STW, or the kernel does not report them)
 */
public record Sample(Mode mode, int repetition, boolean verified, String failure, CycleStats stats,
                     MutatorLoad.Measured load, long tlbShootdowns) {

    /** A cycle measured with no mutator threads running (a replayed heap dump). */
    public static Sample withoutMutators(Mode mode, int repetition, boolean verified, String failure, CycleStats stats) {
        return new Sample(mode, repetition, verified, failure, stats, MutatorLoad.Measured.NONE, -1);
    }

    /**
     * The compacting threads' completion time, the figure the UFFDIO_MOVE commit quotes:
     * concurrent modes, from the mutators' resumption until every page was installed and
     * from-space released; STW, the compaction inside the pause and the release.
     */
    public double compactionMillis() {
        long n = stats.mode().concurrent() ? stats.timings().windowNanos() + stats.timings().finishNanos()
                : stats.timings().flipNanos() + stats.timings().finishNanos();
        return n / 1e6;
    }

    /**
     * CPU time of the same work, user and system: concurrent modes, the compactor threads,
     * the fault-service threads and finish; STW, the flip and finish ({@link CycleStats.Cpu#compaction}).
     */
    public CpuTime compactionCpu() { return stats.cpu().compaction(stats.mode()); }

    public double compactionCpuMillis() { return compactionCpu().totalNanos() / 1e6; }

    /** The headline's measure of this cycle: wall or CPU milliseconds of the compaction. */
    public double compactionMillis(BenchConfig.RatioBasis basis) {
        return basis == BenchConfig.RatioBasis.WALL ? compactionMillis() : compactionCpuMillis();
    }

    /** Mutator operations per second while the compaction window was open (0 for STW). */
    public double windowOpsPerSecond() {
        double s = stats.timings().windowNanos() / 1e9;
        return s > 0 ? load.windowOps() / s : 0;
    }
}
