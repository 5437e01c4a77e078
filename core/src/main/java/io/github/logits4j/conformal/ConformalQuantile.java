package io.github.logits4j.conformal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * The conformal quantile of n calibration scores at level {@code alpha}: the k-th smallest score with
 * {@code k = ceil((n + 1)(1 - alpha))}, computed exactly for the decimal {@code alpha} the caller wrote (0.1 is one
 * tenth, not the nearest double), and found by selection in linear time, not by a sort. When {@code k > n} (too few
 * scores for the level) the quantile is {@code +infinity}: every class is in every set.
 *
 * <pre>{@code
 * int k = ConformalQuantile.rank(1000, 0.1);                  // 901
 * double q = ConformalQuantile.of(scores, scores.length, 0.1);   // the 901st smallest score
 * }</pre>
 *
 * <p>MAPIE 1.5 takes {@code np.quantile(scores, (n + 1)(1 - alpha) / n, method="higher")}, whose index
 * {@code ceil((n + 1)(1 - alpha)(n - 1) / n)} is one order statistic too high for some (n, alpha) (MAPIE PR #973);
 * TorchCP 1.2.1 takes {@code kthvalue(scores, ceil((n + 1)(1 - alpha)))} in double arithmetic, which agrees with this
 * rank except where the rounding of {@code (n + 1)(1 - alpha)} crosses an integer.
 */
public final class ConformalQuantile {
    private ConformalQuantile() {
    }

    /**
     * {@code ceil((n + 1)(1 - alpha))}, exact for the decimal value of {@code alpha} ({@link Double#toString}).
     *
     * @throws IllegalArgumentException unless {@code n >= 1} and {@code 0 < alpha < 1}
     */
    public static long rank(long n, double alpha) {
        checkAlpha(alpha);
        if (n < 1) {
            throw new IllegalArgumentException("a conformal quantile needs at least one calibration score; found " + n);
        }
        BigDecimal level = BigDecimal.ONE.subtract(new BigDecimal(Double.toString(alpha)));
        return BigDecimal.valueOf(n + 1).multiply(level).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /**
     * Checks a miscoverage level.
     *
     * @throws IllegalArgumentException unless {@code 0 < alpha < 1}
     */
    public static double checkAlpha(double alpha) {
        if (!(alpha > 0.0 && alpha < 1.0)) {
            throw new IllegalArgumentException("alpha is " + alpha + "; expected a miscoverage level in (0, 1)");
        }
        return alpha;
    }

    /**
     * The conformal quantile of the first {@code n} of {@code scores} (not changed): the {@link #rank}-th smallest, or
     * {@code +infinity} when that rank exceeds {@code n}.
     *
     * @throws IllegalArgumentException if a score is NaN, or {@code alpha} or {@code n} is out of range
     */
    public static double of(double[] scores, int n, double alpha) {
        Objects.requireNonNull(scores, "scores");
        if (n > scores.length) {
            throw new IllegalArgumentException(n + " scores asked of an array of " + scores.length);
        }
        long k = rank(n, alpha);
        if (k > n) {
            return Double.POSITIVE_INFINITY;
        }
        double[] work = new double[n];
        System.arraycopy(scores, 0, work, 0, n);
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(work[i])) {
                throw new IllegalArgumentException("conformity score " + i + " is NaN");
            }
        }
        return select(work, 0, n - 1, (int) k - 1);
    }

    /**
     * The weighted conformal quantile (Tibshirani et al. 2019; Barber et al. 2023): the smallest of the first
     * {@code n} scores whose cumulative weight, over the scores at or below it, reaches {@code (1 - alpha)} of the
     * total weight plus {@code testWeight} (the weight of the point at +infinity that stands for the new row), or
     * {@code +infinity} when none does. Found by a weighted selection in linear expected time; the weights are summed
     * in double precision in the order the selection visits them. With every weight equal to {@code testWeight}
     * it is {@link #of}, exactly.
     *
     * <pre>{@code
     * double q = ConformalQuantile.weighted(scores, weights, n, 1.0, 0.1);   // nexCP: fixed weights, test weight 1
     * }</pre>
     *
     * @throws IllegalArgumentException if a score is NaN, a weight is negative or not finite, {@code testWeight} is
     *     not positive and finite, or {@code alpha} or {@code n} is out of range
     */
    public static double weighted(double[] scores, double[] weights, int n, double testWeight, double alpha) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(weights, "weights");
        checkAlpha(alpha);
        if (n < 1 || n > scores.length || n > weights.length) {
            throw new IllegalArgumentException(n + " weighted scores asked of " + scores.length + " scores and "
                    + weights.length + " weights; expected 1 to both lengths");
        }
        if (!(testWeight > 0.0 && testWeight < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("the test weight is " + testWeight + "; expected a finite number > 0");
        }
        double[] s = new double[n];
        double[] w = new double[n];
        boolean equal = true;
        double total = 0.0;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("conformity score " + i + " is NaN");
            }
            if (!(weights[i] >= 0.0 && weights[i] < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("weight " + i + " is " + weights[i] + "; expected a finite number"
                        + " >= 0");
            }
            s[i] = scores[i];
            w[i] = weights[i];
            equal &= weights[i] == testWeight;
            total += weights[i];
        }
        if (equal) {
            return of(scores, n, alpha);
        }
        double level = (1.0 - alpha) * (total + testWeight);
        if (total < level) {
            return Double.POSITIVE_INFINITY;
        }
        int lo = 0;
        int hi = n - 1;
        double below = 0.0;          // the weight of the scores known to lie below the range
        while (true) {
            double pivot = median(s[lo], s[(lo + hi) >>> 1], s[hi]);
            int lt = lo;
            int gt = hi;
            int i = lo;
            double less = 0.0;
            double same = 0.0;
            while (i <= gt) {
                double v = s[i];
                if (v < pivot) {
                    less += w[i];
                    swap(s, w, lt++, i++);
                } else if (v > pivot) {
                    swap(s, w, i, gt--);
                } else {
                    same += w[i];
                    i++;
                }
            }
            if (below + less >= level) {
                hi = lt - 1;
            } else if (below + less + same >= level) {
                return pivot;
            } else if (gt + 1 > hi) {
                return pivot;          // the largest score: the total reached the level, its parts summed below it
            } else {
                below += less + same;
                lo = gt + 1;
            }
        }
    }

    private static void swap(double[] s, double[] w, int i, int j) {
        swap(s, i, j);
        swap(w, i, j);
    }

    /** The element that sorting {@code a[lo..hi]} would put at {@code index}; reorders {@code a} in place. */
    static double select(double[] a, int lo, int hi, int index) {
        while (hi > lo) {
            // median of three, then a three-way partition (many equal scores, as top-k ranks are, stay linear)
            int mid = (lo + hi) >>> 1;
            double pivot = median(a[lo], a[mid], a[hi]);
            int lt = lo;
            int gt = hi;
            int i = lo;
            while (i <= gt) {
                double v = a[i];
                if (v < pivot) {
                    swap(a, lt++, i++);
                } else if (v > pivot) {
                    swap(a, i, gt--);
                } else {
                    i++;
                }
            }
            if (index < lt) {
                hi = lt - 1;
            } else if (index > gt) {
                lo = gt + 1;
            } else {
                return pivot;
            }
        }
        return a[lo];
    }

    private static double median(double a, double b, double c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
