package io.uffdgc.gc;

import io.uffdgc.gc.engine.EngineStats;
import org.HdrHistogram.Histogram;

/**
 * What one cycle did and cost. Times are nanoseconds.
 *
 * @param cycle               1 for the collector's first cycle
 * @param mode                the mode the cycle ran in (never AUTO)
 * @param trigger             what started it
 * @param pauseNanos          the flip pause: from requesting the heap safepoint until the mutators resumed
 *                            (STW mode: includes compacting every page)
 * @param timeToSafepointNanos part of the pause spent waiting for the mutators to stop
 * @param markNanos           marking (inside the pause)
 * @param planNanos           planning (inside the pause)
 * @param flipNanos           forwarding roots, the mremap, registering (STW: and compacting)
 * @param windowNanos         compaction window: mutators resumed until the last compactor thread returned
 *                            (0 in STW mode)
 * @param finishNanos         from the compactors' return until from-space was released
 * @param totalNanos          the whole cycle, as the caller of collect() waited for it
 * @param liveBytes           bytes of reachable objects
 * @param liveObjects         reachable objects
 * @param usedBefore          heap top before (bytes)
 * @param usedAfter           heap top after compaction (bytes)
 * @param freedBytes          usedBefore - usedAfter
 * @param pagesCompacted      to-space pages built (compactors + faults, or all of them in STW)
 * @param pagesByFaults       of those, pages compacted first because a mutator faulted on them
 * @param pagesMoved          installed with UFFDIO_MOVE
 * @param pagesInPlace        moved without a copy (dense pages updated in place)
 * @param pagesCopied         installed with UFFDIO_COPY
 * @param pagesZeroed         free heap served with a zero page during the window
 * @param pagesFresh          MOVE: compacted into fresh memory because no consumed from-space page was free
 * @param ebusyFallbacks      pages MOVE refused with EBUSY and COPY installed
 * @param eexistRaces         installs that found their page mapped already
 * @param faultsServed        fault messages the fault service handled during the cycle
 * @param faultServiceNanos   fault service time (message read to resolver return), a copy
 * @param residentBefore      resident bytes of heap + from-space before the cycle
 * @param residentAfter       resident bytes of heap + from-space after it
 * @param engine              every counter of the C engine, errors and retries included
 */
public record CycleStats(long cycle, Mode mode, Trigger trigger, long pauseNanos, long timeToSafepointNanos,
                         long markNanos, long planNanos, long flipNanos, long windowNanos, long finishNanos,
                         long totalNanos, long liveBytes, long liveObjects, long usedBefore, long usedAfter,
                         long freedBytes, long pagesCompacted, long pagesByFaults, long pagesMoved, long pagesInPlace,
                         long pagesCopied, long pagesZeroed, long pagesFresh, long ebusyFallbacks, long eexistRaces,
                         long faultsServed, Histogram faultServiceNanos, long residentBefore, long residentAfter,
                         EngineStats engine) {

    /** Why a cycle ran. */
    public enum Trigger { EXPLICIT, ALLOCATION_FAILURE, POLICY }

    public CycleStats {
        faultServiceNanos = faultServiceNanos.copy();
    }

    /** A copy: the record stays immutable. */
    @Override
    public Histogram faultServiceNanos() { return faultServiceNanos.copy(); }

    @Override
    public String toString() {
        Histogram h = faultServiceNanos;
        return String.format("cycle %d %s (%s): pause %.2f ms (mark %.2f, plan %.2f, flip %.2f), window %.2f ms,"
                        + " finish %.2f ms; live %d MiB of %d MiB, freed %d MiB; pages %d (faults %d, moved %d,"
                        + " in place %d, 2M moves %d, copied %d, zeroed %d, fresh %d, ebusy %d, eexist %d); faults %d p50 %.1f us p99 %.1f us;"
                        + " resident %d -> %d MiB; errors %d",
                cycle, mode, trigger, pauseNanos / 1e6, markNanos / 1e6, planNanos / 1e6, flipNanos / 1e6,
                windowNanos / 1e6, finishNanos / 1e6, liveBytes >> 20, usedBefore >> 20, freedBytes >> 20,
                pagesCompacted, pagesByFaults, pagesMoved, pagesInPlace, engine.hugeMoves(), pagesCopied, pagesZeroed, pagesFresh, ebusyFallbacks,
                eexistRaces, faultsServed, h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                residentBefore >> 20, residentAfter >> 20, engine.errors());
    }
}
