package io.uffdgc.gc.policy;

import io.uffdgc.gc.Mode;

/**
 * An example of a policy that chooses the mode per cycle ({@link CollectionPolicy#mode(HeapUsage)}).
 * It collects when the occupancy policy would ({@code threshold}), and picks the mode from
 * what the last cycle found live (the estimate of what this one keeps):
 * <ul>
 *   <li>live at most {@code stwLiveBytes}: STW, because a pause that copies that little is short
 *       and it leaves no compaction window (no faults, no second thread);</li>
 *   <li>else fragmentation {@code 1 - live / used} at least {@code moveFragmentation}: MOVE,
 *       because many from-space pages are consumed early and recycled as destinations;</li>
 *   <li>else COPY: a mostly live heap has few consumed pages to recycle, and MOVE would build
 *       its pages in fresh memory.</li>
 * </ul>
 * Before the first cycle nothing is known: MOVE.
 */
public record FragmentationPolicy(double threshold, long stwLiveBytes, double moveFragmentation) implements CollectionPolicy {
    public FragmentationPolicy {
        if (!(threshold > 0 && threshold <= 1))
            throw new IllegalArgumentException("occupancy threshold " + threshold + " is not in (0, 1]");
        if (stwLiveBytes < 0) throw new IllegalArgumentException("stwLiveBytes must not be negative: " + stwLiveBytes);
        if (!(moveFragmentation >= 0 && moveFragmentation <= 1))
            throw new IllegalArgumentException("moveFragmentation " + moveFragmentation + " is not in [0, 1]");
    }

    /** 75% occupancy, STW up to 8 MiB live, MOVE from 30% fragmentation. */
    public static FragmentationPolicy defaults() { return new FragmentationPolicy(0.75, 8L << 20, 0.3); }

    @Override
    public boolean shouldCollect(HeapUsage u) { return new OccupancyPolicy(threshold, Mode.AUTO).shouldCollect(u); }

    /** The fragmentation the next cycle is expected to find: the share of the used heap not live at the last cycle. */
    public static double fragmentation(HeapUsage u) {
        return u.used() == 0 ? 0 : 1 - Math.min(1.0, (double) u.liveAfterLast() / u.used());
    }

    @Override
    public Mode mode(HeapUsage u) {
        if (u.cycles() == 0) return Mode.MOVE;
        if (u.liveAfterLast() <= stwLiveBytes) return Mode.STW;
        return fragmentation(u) >= moveFragmentation ? Mode.MOVE : Mode.COPY;
    }

    /** Without usage (an explicit collect()): what a heap never collected gets. */
    @Override
    public Mode mode() { return Mode.MOVE; }
}
