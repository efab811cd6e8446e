package io.uffdgc.bench.report;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The ratio of two modes' times from paired repetitions (repetition i of both ran on the
 * same heap, built from the same seed), with a distribution-free confidence interval.
 *
 * <p>Method: on the log-ratios {@code d_i = ln(a_i / b_i)}, the Hodges-Lehmann estimate
 * (the median of the Walsh averages {@code (d_i + d_j) / 2}, {@code i <= j}) and the
 * confidence interval that inverts the Wilcoxon signed-rank test (Hollander, Wolfe and
 * Chicken, <i>Nonparametric Statistical Methods</i>, section 3.2), both exponentiated.
 * It assumes the pairs independent and their log-ratios symmetric about a center; it
 * needs no normal distribution, an outlier moves it little, and it is deterministic: the
 * same samples give the same interval, no resampling seed. Its coverage is exact, from
 * the exact null distribution of the signed-rank statistic; the statistic is discrete,
 * so the achieved coverage is the smallest one at or above the level asked for, and is
 * reported. For 95% it needs at least 6 pairs; with fewer, the interval is the widest
 * one (smallest to largest Walsh average) and its coverage is below the level.
 *
 * @param value    the estimate of the ratio: exp(Hodges-Lehmann estimate of the log-ratios)
 * @param lo       lower end of the interval
 * @param hi       upper end
 * @param level    the coverage asked for (e.g. 0.95)
 * @param coverage the interval's exact coverage under the assumptions (at least level when pairs allow)
 * @param pairs    the number of paired repetitions
 */
public record RatioInterval(double value, double lo, double hi, double level, double coverage, int pairs) {
    /** One line naming the method, for the output. */
    public static final String METHOD = "Hodges-Lehmann estimate with the Wilcoxon signed-rank confidence interval"
            + " of the paired log-ratios (exact, distribution-free; no resampling)";

    /** a_i / b_i over paired samples a, b (same length, every value positive). */
    public static RatioInterval paired(List<Double> a, List<Double> b, double level) {
        if (a.size() != b.size())
            throw new IllegalArgumentException("paired samples differ in length: " + a.size() + " and " + b.size());
        if (a.isEmpty()) throw new IllegalArgumentException("no paired samples");
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("confidence level must be in (0, 1): " + level);
        int n = a.size();
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            double x = a.get(i), y = b.get(i);
            if (!(x > 0) || !(y > 0) || Double.isInfinite(x) || Double.isInfinite(y))
                throw new IllegalArgumentException("pair " + (i + 1) + " is not two positive times: " + x + ", " + y);
            d[i] = Math.log(x / y);
        }
        double[] walsh = walshAverages(d);
        int m = walsh.length;
        double[] cdf = signedRankCdf(n);
        double alpha = 1 - level;
        // The largest c with P(W+ <= c) <= alpha/2: the interval [A(c+1), A(m-c)] covers 1 - 2 P(W+ <= c).
        int c = -1;
        while (c + 1 < cdf.length && cdf[c + 1] <= alpha / 2) c++;
        double coverage = c >= 0 ? 1 - 2 * cdf[c] : 1 - 2 * cdf[0];
        int k = Math.max(c, 0);
        return new RatioInterval(Math.exp(median(walsh)), Math.exp(walsh[k]), Math.exp(walsh[m - 1 - k]), level,
                coverage, n);
    }

    /** Whether the interval reaches the level asked for (false with too few pairs). */
    public boolean reachesLevel() { return coverage >= level; }

    /** Whether 1.0 (no difference) lies inside the interval. */
    public boolean includesOne() { return lo <= 1 && 1 <= hi; }

    /** "0.62 [0.55–0.70]". */
    public String brief() { return String.format(Locale.ROOT, "%.2f [%.2f\u2013%.2f]", value, lo, hi); }

    /** Sorted (d_i + d_j) / 2 for i <= j. */
    static double[] walshAverages(double[] d) {
        int n = d.length;
        double[] w = new double[n * (n + 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++) w[k++] = (d[i] + d[j]) / 2;
        Arrays.sort(w);
        return w;
    }

    /**
     * P(W+ <= w) for w = 0 .. n(n+1)/2 under the null hypothesis: each rank 1..n enters the
     * sum with probability 1/2, independently (dynamic programming over the ranks).
     */
    static double[] signedRankCdf(int n) {
        int max = n * (n + 1) / 2;
        double[] p = new double[max + 1];
        p[0] = 1;
        for (int r = 1; r <= n; r++)
            for (int w = max; w >= 0; w--) p[w] = (p[w] + (w >= r ? p[w - r] : 0)) / 2;
        for (int w = 1; w <= max; w++) p[w] += p[w - 1];
        return p;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
