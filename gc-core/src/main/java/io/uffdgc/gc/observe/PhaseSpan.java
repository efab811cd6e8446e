package io.uffdgc.gc.observe;

/**
 * One phase of a cycle as it ran: on which thread, from when to when (System.nanoTime()
 * stamps, the same ones {@link io.uffdgc.gc.CycleStats.Timings} and the pauses are computed
 * from, so a span's length equals the statistic it stands for).
 *
 * @param phase      what ran
 * @param thread     the Java thread that ran it (the cycle's thread, or a compactor thread)
 * @param startNanos System.nanoTime() at its start
 * @param endNanos   System.nanoTime() at its end
 * @param pages      COMPACTOR: the pages that thread compacted; 0 for the other phases
 */
public record PhaseSpan(Phase phase, String thread, long startNanos, long endNanos, long pages) {
    public long nanos() { return endNanos - startNanos; }
}
