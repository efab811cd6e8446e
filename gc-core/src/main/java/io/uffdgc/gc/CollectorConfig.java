package io.uffdgc.gc;

import io.uffdgc.gc.policy.CollectionPolicy;
import io.uffdgc.gc.policy.OccupancyPolicy;
import io.uffdgc.uffd.gen.Uffdgc;
import io.uffdgc.heap.SafepointWait;
import java.time.Duration;

/**
 * How a collector runs.
 *
 * @param faultThreads     native fault-service threads (1..64), alive for the collector's lifetime
 * @param compactorThreads compactor threads per window (1..64)
 * @param runPages         longest run of contiguous pages one ioctl installs (1..64)
 * @param policy           starts cycles by itself
 * @param windowTimeout    a window not closed by then fails the cycle (a bug or a closed heap, never load)
 * @param densePercent     a page of the heap's bottom at least this live (0..100) is not compacted: its objects
 *                         stay where they are (the dense prefix, ART's black-dense region); 0 turns it off
 * @param hugePages        madvise(MADV_HUGEPAGE) the heap and from-space at attach, so a dense 2 MiB block
 *                         moves back as one PMD; costs resident memory in 2 MiB steps
 * @param safepointWait    how a cycle's pause waits for the mutators: after its limit the stragglers are named
 *                         (logged, and the wait goes on, by default; or the cycle fails, with FAIL)
 * @param faultHandling    who resolves a mutator's fault in the window: service threads (faultThreads of them)
 *                         or the faulting thread itself in a SIGBUS handler
 * @param marking          concurrent (the default) or inside the flip pause (the baseline)
 * @param markThreads      threads one marking trace uses (1..64; default 1, for 2 cores: the mutators need the
 *                         other): native threads sharing a pool of grey references, stop-the-world or concurrent
 *                         marking alike; the remark pause traces on one
 * @param liveCounters     keep live counters in this process's counters file, /tmp/uffdgc-&lt;pid&gt;.counters
 *                         ({@link io.uffdgc.gc.observe.CountersFile}), for {@code scripts/gcstat} in another
 *                         process; off by default
 * @param copySinglePages  MOVE mode: a lone page (one a fault waits for, or a one-page piece of a run) is
 *                         installed by COPY from the installer's own page, with no TLB-shootdown IPI to the
 *                         mutators' CPUs; runs still move. On by default (measured: README, "One IPI per MOVE
 *                         ioctl"); off is the pure-MOVE baseline
 * @param faultLog         keep every fault's record (start, stall, page) in the cycle's statistics
 *                         ({@link CycleStats.Faults#log()}), e.g. for a trace's fault lines; off by default
 */
public record CollectorConfig(int faultThreads, int compactorThreads, int runPages, CollectionPolicy policy,
                              Duration windowTimeout, int densePercent, boolean hugePages,
                              SafepointWait safepointWait, FaultHandling faultHandling, Marking marking,
                              int markThreads, boolean liveCounters, boolean copySinglePages, boolean faultLog) {
    public static final double DEFAULT_OCCUPANCY = 0.75;
    /** The engine's default (UGC_GC_DEFAULT_DENSE_PERCENT, 90): the measured table is in ugc_gc.h. */
    public static final int DEFAULT_DENSE_PERCENT = Uffdgc.UGC_GC_DEFAULT_DENSE_PERCENT();

    public CollectorConfig {
        if (faultThreads < 1 || faultThreads > 64)
            throw new IllegalArgumentException("faultThreads " + faultThreads + " is not in 1..64");
        if (compactorThreads < 1 || compactorThreads > 64)
            throw new IllegalArgumentException("compactorThreads " + compactorThreads + " is not in 1..64");
        if (runPages < 1 || runPages > 64)
            throw new IllegalArgumentException("runPages " + runPages + " is not in 1..64");
        if (policy == null) throw new IllegalArgumentException("policy must not be null");
        if (windowTimeout == null || windowTimeout.isNegative() || windowTimeout.isZero())
            throw new IllegalArgumentException("windowTimeout must be positive, not " + windowTimeout);
        if (densePercent < 0 || densePercent > 100)
            throw new IllegalArgumentException("densePercent " + densePercent + " is not in 0..100");
        if (safepointWait == null) throw new IllegalArgumentException("safepointWait must not be null");
        if (faultHandling == null) throw new IllegalArgumentException("faultHandling must not be null");
        if (marking == null) throw new IllegalArgumentException("marking must not be null");
        if (markThreads < 1 || markThreads > 64)
            throw new IllegalArgumentException("markThreads " + markThreads + " is not in 1..64");
    }

    /** One fault thread, one compactor, runs of 64 pages, collect at 75% occupancy, default dense percent, no THP,
     * stragglers named after 1 s,
     * faults served by threads, concurrent marking on one thread, no live counters, lone pages by COPY in MOVE mode, no fault log. */
    public static CollectorConfig defaults() {
        return new CollectorConfig(1, 1, 64, new OccupancyPolicy(DEFAULT_OCCUPANCY, Mode.AUTO), Duration.ofSeconds(60),
                DEFAULT_DENSE_PERCENT, false, SafepointWait.DEFAULT, FaultHandling.THREADS, Marking.CONCURRENT, 1, false, true, false);
    }

    public CollectorConfig withFaultThreads(int n) {
        return new CollectorConfig(n, compactorThreads, runPages, policy, windowTimeout, densePercent, hugePages, safepointWait, faultHandling, marking, markThreads, liveCounters, copySinglePages, faultLog);
    }

    public CollectorConfig withCompactorThreads(int n) {
        return new CollectorConfig(faultThreads, n, runPages, policy, windowTimeout, densePercent, hugePages, safepointWait, faultHandling, marking, markThreads, liveCounters, copySinglePages, faultLog);
    }

    public CollectorConfig withRunPages(int n) {
        return new CollectorConfig(faultThreads, compactorThreads, n, policy, windowTimeout, densePercent, hugePages, safepointWait, faultHandling, marking, markThreads, liveCounters, copySinglePages, faultLog);
    }

    public CollectorConfig withPolicy(CollectionPolicy p) {
        return new CollectorConfig(faultThreads, compactorThreads, runPages, p, windowTimeout, densePercent, hugePages, safepointWait, faultHandling, marking, markThreads, liveCounters, copySinglePages, faultLog);
    }

    public CollectorConfig withWindowTimeout(Duration t) {
        return new CollectorConfig(faultThreads, compactorThreads, runPages, policy, t, densePercent, hugePages, safepointWait, faultHandling, marking, markThreads, liveCounters, copySinglePages, faultLog);
    }

    /** 0 turns the dense prefix off: every page is compacted. */
    public CollectorConfig withDensePercent(int percent) {
        return new CollectorConfig(faultThreads, compactorThreads, runPages, policy, windowTimeout, percent, hugePages, safepointWait, faultHandling, marking, markThreads, liveCounters, copySinglePages, faultLog);
    }

    /** How long a pause waits before it names the mutators that keep it waiting, and whether it then fails. */
    public CollectorConfig withSafepointWait(SafepointWait w) {
        return new CollectorConfig(faultThreads, compactorThreads, runPages, policy, windowTimeout, densePercent, hugePages, w, faultHandling, marking, markThreads, liveCounters, copySinglePages, faultLog);
    }

    public CollectorConfig withFaultHandling(FaultHandling h) {
        return new CollectorConfig(faultThreads, compactorThreads, runPages, policy, windowTimeout, densePercent, hugePages,
                safepointWait, h, marking, markThreads, liveCounters, copySinglePages, faultLog);
    }

    public CollectorConfig withMarking(Marking m) {
        return new CollectorConfig(faultThreads, compactorThreads, runPages, policy, windowTimeout, densePercent, hugePages,
                safepointWait, faultHandling, m, markThreads, liveCounters, copySinglePages, faultLog);
    }

    public CollectorConfig withMarkThreads(int n) {
        return new CollectorConfig(faultThreads, compactorThreads, runPages, policy, windowTimeout, densePercent, hugePages,
                safepointWait, faultHandling, marking, n, liveCounters, copySinglePages, faultLog);
    }

    /** Live counters in /tmp/uffdgc-&lt;pid&gt;.counters, for scripts/gcstat. */
    public CollectorConfig withLiveCounters(boolean on) {
        return new CollectorConfig(faultThreads, compactorThreads, runPages, policy, windowTimeout, densePercent, hugePages,
                safepointWait, faultHandling, marking, markThreads, on, copySinglePages, faultLog);
    }

    /** MOVE mode: lone pages by COPY (true, the default) or by MOVE like the runs (false, pure MOVE). */
    public CollectorConfig withCopySinglePages(boolean on) {
        return new CollectorConfig(faultThreads, compactorThreads, runPages, policy, windowTimeout, densePercent, hugePages,
                safepointWait, faultHandling, marking, markThreads, liveCounters, on, faultLog);
    }

    /** Every fault's start, stall and page in {@link CycleStats.Faults#log()}, for {@code --trace-faults}. */
    public CollectorConfig withFaultLog(boolean on) {
        return new CollectorConfig(faultThreads, compactorThreads, runPages, policy, windowTimeout, densePercent, hugePages,
                safepointWait, faultHandling, marking, markThreads, liveCounters, copySinglePages, on);
    }

    public CollectorConfig withHugePages(boolean on) {
        return new CollectorConfig(faultThreads, compactorThreads, runPages, policy, windowTimeout, densePercent, on, safepointWait, faultHandling, marking, markThreads, liveCounters, copySinglePages, faultLog);
    }
}
