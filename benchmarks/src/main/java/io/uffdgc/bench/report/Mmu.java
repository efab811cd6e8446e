package io.uffdgc.bench.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Minimum mutator utilization (Cheng and Blelloch, PLDI 2001): for a window length w,
 * the smallest share of any w-long stretch of a run in which the mutator threads ran,
 * over every position of that stretch in the run.
 *
 * <p>Built from what each mutator thread itself saw: a list of the intervals in which it
 * made no progress (a heap safepoint, a fault stall, being descheduled while a collector
 * thread ran). With several threads the utilization at an instant is the share of them
 * not stalled, so a fault that stalls one of two threads costs half.
 *
 * <p>The mutator time in [x, x + w] is piecewise linear in x with its breakpoints where
 * x or x + w meets the start or end of a stall, so the minimum is at one of those
 * positions (or at the run's ends): O(k log k) for k stalls, no discretisation.
 */
public final class Mmu {
    private final long start, end;
    private final int threads;
    /** Where the number of stalled threads changes, and the mutator time accumulated up to there. */
    private final long[] at;
    private final double[] cumulative;
    /** Share of the threads running in [at[i], at[i+1]). */
    private final double[] utilization;

    /**
     * @param start   first instant of the run (ns, any clock)
     * @param end     last instant of the run
     * @param threads the number of mutator threads (at least 1)
     * @param stalls  per thread, its stall intervals as pairs {from, to}, to >= from; clipped to the run
     */
    public Mmu(long start, long end, int threads, List<long[]> stalls) {
        if (end <= start) throw new IllegalArgumentException("a run must end after it starts: " + start + ", " + end);
        if (threads < 1 || stalls.size() != threads)
            throw new IllegalArgumentException("stall lists for " + stalls.size() + " threads, expected " + threads);
        this.start = start;
        this.end = end;
        this.threads = threads;
        List<long[]> events = new ArrayList<>();  // {time, +1 stall begins / -1 stall ends}
        for (long[] s : stalls) {
            if (s.length % 2 != 0) throw new IllegalArgumentException("stall intervals come in pairs");
            for (int i = 0; i < s.length; i += 2) {
                if (s[i + 1] < s[i]) throw new IllegalArgumentException("a stall ends before it starts: " + s[i] + ", " + s[i + 1]);
                long a = Math.max(start, s[i]), b = Math.min(end, s[i + 1]);
                if (b <= a) continue;
                events.add(new long[] {a, 1});
                events.add(new long[] {b, -1});
            }
        }
        events.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        long[] t = new long[events.size() + 2];
        double[] u = new double[t.length];
        int n = 0, stalled = 0;
        t[n] = start;
        u[n++] = 1;
        for (long[] e : events) {
            stalled += (int) e[1];
            double share = 1 - (double) Math.min(stalled, threads) / threads;
            if (t[n - 1] == e[0]) u[n - 1] = share;   // several changes at one instant: the last one holds
            else {
                t[n] = e[0];
                u[n++] = share;
            }
        }
        if (t[n - 1] != end) {           // the last point closes the run (its utilization is never used)
            t[n] = end;
            u[n] = u[n - 1];
            n++;
        }
        at = Arrays.copyOf(t, n);
        utilization = Arrays.copyOf(u, n);
        cumulative = new double[n];
        for (int i = 1; i < n; i++) cumulative[i] = cumulative[i - 1] + utilization[i - 1] * (at[i] - at[i - 1]);
    }

    /** Length of the run. */
    public long spanNanos() { return end - start; }

    /** Share of the whole run in which the mutators ran. */
    public double overall() { return cumulative[at.length - 1] / (end - start); }

    /** The MMU for windows of w ns; NaN when w is longer than the run. */
    public double at(long w) {
        if (w <= 0) throw new IllegalArgumentException("window must be positive: " + w);
        if (w > end - start) return Double.NaN;
        double min = Math.min(window(start, w), window(end - w, w));
        for (long b : at) {
            if (b + w <= end) min = Math.min(min, window(b, w));
            if (b - w >= start) min = Math.min(min, window(b - w, w));
        }
        return Math.max(0, Math.min(1, min));
    }

    private double window(long x, long w) { return (mutatorTime(x + w) - mutatorTime(x)) / w; }

    /** Mutator thread-time (in units of all threads) from start to x. */
    private double mutatorTime(long x) {
        int i = Arrays.binarySearch(at, x);
        if (i >= 0) return cumulative[i];
        i = -i - 2;                      // the segment [at[i], at[i+1]) holding x
        return cumulative[i] + utilization[i] * (x - at[i]);
    }

    public int threads() { return threads; }
}
