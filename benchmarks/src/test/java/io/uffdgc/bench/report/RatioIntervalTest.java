package io.uffdgc.bench.report;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class RatioIntervalTest {
    @Test
    void signedRankNullDistributionMatchesTheCountedSubsets() {
        // n = 8: 256 sign patterns; W+ = 0, 1, 2 once each, 3 twice ({3}, {1,2}): P(W+ <= 3) = 5/256.
        double[] cdf = RatioInterval.signedRankCdf(8);
        assertEquals(5.0 / 256, cdf[3], 1e-15);
        assertEquals(7.0 / 256, cdf[4], 1e-15);
        assertEquals(1.0, cdf[36], 1e-12);
        assertEquals(3.0 / 128, RatioInterval.signedRankCdf(7)[2], 1e-15);
    }

    @Test
    void smallSampleByHand() {
        // log-ratios ln2 * {1, 2, 3}; Walsh averages ln2 * {1, 1.5, 2, 2, 2.5, 3}: median ln2 * 2.
        RatioInterval r = RatioInterval.paired(List.of(2.0, 4.0, 8.0), List.of(1.0, 1.0, 1.0), 0.95);
        assertEquals(4.0, r.value(), 1e-12);
        assertEquals(2.0, r.lo(), 1e-12);
        assertEquals(8.0, r.hi(), 1e-12);
        assertEquals(0.75, r.coverage(), 1e-12);  // three pairs: the widest interval misses with 2/8
        assertFalse(r.reachesLevel());
        assertFalse(r.includesOne());
    }

    @Test
    void swappingTheModesInvertsTheInterval() {
        List<Double> a = List.of(5.0, 4.1, 6.3, 4.8, 5.5, 7.0, 4.4), b = List.of(8.0, 7.7, 7.1, 9.9, 6.0, 8.8, 7.5);
        RatioInterval ab = RatioInterval.paired(a, b, 0.95), ba = RatioInterval.paired(b, a, 0.95);
        assertEquals(1 / ab.value(), ba.value(), 1e-12);
        assertEquals(1 / ab.hi(), ba.lo(), 1e-12);
        assertEquals(1 / ab.lo(), ba.hi(), 1e-12);
        assertEquals(0.953125, ab.coverage(), 1e-12);  // 7 pairs: 1 - 2 * 3/128
        assertTrue(ab.lo() <= ab.value() && ab.value() <= ab.hi());
    }

    @Test
    void printsLikeTheReadme() {
        assertEquals("0.62 [0.55\u20130.70]", new RatioInterval(0.62, 0.55, 0.70, 0.95, 0.953, 7).brief());
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RatioInterval.paired(List.of(1.0, 2.0), List.of(1.0), 0.95));
        assertTrue(e.getMessage().contains("differ in length"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RatioInterval.paired(List.of(1.0, 0.0), List.of(1.0, 1.0), 0.95));
        assertTrue(e.getMessage().contains("pair 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RatioInterval.paired(List.of(), List.of(), 0.95));
        assertThrows(IllegalArgumentException.class, () -> RatioInterval.paired(List.of(1.0), List.of(1.0), 1.0));
    }

    /**
     * The interval's coverage on known distributions: ratios whose logarithm is symmetric
     * about ln(0.62) (normal; and Laplace, heavy-tailed), many seeded trials. The fraction of
     * intervals holding 0.62 must be the exact coverage the method claims, within 3.5 binomial
     * standard errors.
     */
    @Test
    void coversTheTrueRatioAsOftenAsItClaims() {
        SplittableRandom rnd = new SplittableRandom(20261122);
        double truth = 0.62;
        DoubleSupplier normal = () -> 0.25 * gaussian(rnd);
        DoubleSupplier laplace = () -> {
            double u = rnd.nextDouble() - 0.5;
            return -0.2 * Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
        };
        for (int n : new int[] {7, 12})
            for (DoubleSupplier noise : List.of(normal, laplace)) {
                int trials = 4000, covered = 0;
                double claimed = 0;
                for (int t = 0; t < trials; t++) {
                    List<Double> a = new ArrayList<>(), b = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        double copy = 400 + 200 * rnd.nextDouble();       // the pair's own level: cancels in the ratio
                        b.add(copy);
                        a.add(copy * truth * Math.exp(noise.getAsDouble()));
                    }
                    RatioInterval r = RatioInterval.paired(a, b, 0.95);
                    claimed = r.coverage();
                    if (r.lo() <= truth && truth <= r.hi()) covered++;
                }
                double observed = (double) covered / trials, se = Math.sqrt(claimed * (1 - claimed) / trials);
                assertTrue(claimed >= 0.95, "n=" + n + " claims " + claimed);
                assertEquals(claimed, observed, 3.5 * se, "n=" + n + ": coverage " + observed + ", claimed " + claimed);
            }
    }

    /** A standard normal deviate (Box-Muller), from the seeded generator. */
    private static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}
