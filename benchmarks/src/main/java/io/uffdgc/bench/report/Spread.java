package io.uffdgc.bench.report;

import java.util.Collection;

/**
 * Median, minimum and maximum of repeated measurements: what a noisy shared
 * machine lets us report honestly (a mean would hide the outliers).
 */
public record Spread(double median, double min, double max, int count) {

    public static Spread of(Collection<Double> values) {
        if (values.isEmpty()) throw new IllegalArgumentException("no measurements");
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Spread(median, v[0], v[n - 1], n);
    }

    /** Ratio of two spreads: median over median, and the extreme ratios as its range. */
    public Spread over(Spread other) {
        return new Spread(median / other.median, min / other.max, max / other.min, Math.min(count, other.count));
    }
}
