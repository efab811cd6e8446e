package io.uffdgc.bench.workload;

import java.util.SplittableRandom;

/**
 * Which allocated objects stay live: the fragmentation the collector must undo.
 * UNIFORM kills each object independently, so nearly every page keeps some live
 * data; CLUSTERED kills runs of neighbours, as whole data structures die
 * together, leaving some pages empty and others dense.
 */
public enum SurvivalPattern {
    UNIFORM, CLUSTERED;

    /** Mean length of a run of objects with one fate, in CLUSTERED. */
    static final int MEAN_RUN = 64;

    /** A stream of fates: call {@link Fates#next()} once per allocated object. */
    public Fates fates(double liveFraction, SplittableRandom rnd) {
        if (!(liveFraction > 0 && liveFraction <= 1))
            throw new IllegalArgumentException("live fraction must be in (0, 1]: " + liveFraction);
        return this == UNIFORM ? () -> rnd.nextDouble() < liveFraction : new Runs(liveFraction, rnd);
    }

    @FunctionalInterface
    public interface Fates {
        /** True when the next object survives. */
        boolean next();
    }

    /** Alternating runs whose lengths are geometric, with live runs taking liveFraction of objects. */
    private static final class Runs implements Fates {
        private final double live;
        private final SplittableRandom rnd;
        private boolean alive;
        private long left;

        Runs(double live, SplittableRandom rnd) {
            this.live = live;
            this.rnd = rnd;
        }

        @Override
        public boolean next() {
            while (left == 0) {
                alive = rnd.nextDouble() < live;
                // Geometric run length with mean MEAN_RUN: equal mean lengths keep the live share at `live`.
                left = 1 + (long) (Math.log(1 - rnd.nextDouble()) / Math.log(1 - 1.0 / MEAN_RUN));
            }
            left--;
            return alive;
        }
    }
}
