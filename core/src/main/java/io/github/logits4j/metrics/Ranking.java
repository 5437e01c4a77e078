package io.github.logits4j.metrics;

/**
 * ROC AUC and average precision of one binary problem, exactly as scikit-learn computes them (distinct thresholds
 * in descending order, ties sharing one point, trapezoidal AUC, uninterpolated AP), from stored scores or from a
 * fixed-bin histogram. Package-private.
 */
final class Ranking {
    private Ranking() {
    }

    /** Result slots of {@link #exact} and {@link #binned}. */
    static final int AUC = 0;
    static final int AP = 1;
    static final int AUC_BOUND = 2;
    static final int AP_BOUND = 3;

    /**
     * Sorts {@code idx[0 .. n)} so that {@code key[idx[i]]} is descending; stable (a merge sort), O(n log n).
     */
    static void sortDescending(double[] key, int[] idx, int n) {
        sortIndicesDescending(key, 0, idx, new int[n], n);
    }

    /**
     * Sorts {@code idx[0 .. n)} so that {@code key[off + idx[i]]} is descending, ties in index order (a stable merge
     * sort into {@code tmp}, at least {@code n} long): the order of one row's labels by score.
     */
    static void sortIndicesDescending(double[] key, int off, int[] idx, int[] tmp, int n) {
        for (int width = 1; width < n; width <<= 1) {
            for (int lo = 0; lo < n - width; lo += width << 1) {
                int mid = lo + width;
                int hi = Math.min(lo + (width << 1), n);
                if (key[off + idx[mid - 1]] >= key[off + idx[mid]]) {
                    continue;
                }
                System.arraycopy(idx, lo, tmp, lo, hi - lo);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    idx[k++] = key[off + tmp[j]] > key[off + tmp[i]] ? tmp[j++] : tmp[i++];
                }
                while (i < mid) {
                    idx[k++] = tmp[i++];
                }
                while (j < hi) {
                    idx[k++] = tmp[j++];
                }
            }
        }
    }

    /**
     * Exact ROC AUC and average precision of {@code n} samples: {@code score[i]}, positive when {@code positive[i]},
     * weight {@code weight[i]} (null for all 1). AUC is NaN when only one class is present (sklearn returns NaN with a
     * warning); AP is 0.0 when there is no positive. Writes {@code out[AUC]}, {@code out[AP]}.
     */
    static void exact(double[] score, boolean[] positive, double[] weight, int n, double[] out) {
        if (weight == null) {
            exactUnweighted(score, positive, n, out);
            return;
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        sortDescending(score, idx, n);
        Curve curve = new Curve();
        int i = 0;
        while (i < n) {
            double s = score[idx[i]];
            while (i < n && score[idx[i]] == s) {
                int j = idx[i++];
                double w = weight == null ? 1.0 : weight[j];
                if (positive[j]) {
                    curve.tp += w;
                } else {
                    curve.fp += w;
                }
            }
            curve.threshold();
        }
        curve.finish(out);
    }

    /**
     * scikit-learn's standardized partial ROC AUC ({@code roc_auc_score(max_fpr=...)}, McClish's correction) of
     * {@code n} samples, weights {@code weight} (null for all 1): the ROC curve (one point a distinct score, from the
     * top, starting at (0, 0)) is cut at {@code fpr = maxFpr} with a point interpolated linearly on the segment that
     * crosses it, its area {@code A} taken by trapezoids, and {@code 0.5 (1 + (A - m) / (M - m))} returned with
     * {@code m = maxFpr^2 / 2} and {@code M = maxFpr}. The plain AUC for {@code maxFpr = 1}; NaN with one class. One
     * value for each rate of {@code maxFpr}.
     */
    static double[] partialAuc(double[] score, boolean[] positive, double[] weight, int n, double[] maxFpr) {
        double[] out = new double[maxFpr.length];
        if (maxFpr.length == 0) {
            return out;
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        sortDescending(score, idx, n);               // one sort and one curve serve every rate
        double[] tps = new double[n + 1];
        double[] fps = new double[n + 1];
        int points = 1;                                  // (0, 0) first, as roc_curve prepends it
        double tp = 0.0;
        double fp = 0.0;
        for (int i = 0; i < n; ) {
            double s = score[idx[i]];
            while (i < n && score[idx[i]] == s) {
                int j = idx[i++];
                double w = weight == null ? 1.0 : weight[j];
                if (positive[j]) {
                    tp += w;
                } else {
                    fp += w;
                }
            }
            tps[points] = tp;
            fps[points] = fp;
            points++;
        }
        for (int m = 0; m < maxFpr.length; m++) {
            out[m] = tp == 0.0 || fp == 0.0 ? Double.NaN : partialArea(tps, fps, points, maxFpr[m]);
        }
        return out;
    }

    /** The standardized area of the curve {@code (fps/fp, tps/tp)} up to {@code maxFpr} ({@link #partialAuc}). */
    private static double partialArea(double[] tps, double[] fps, int points, double maxFpr) {
        double tp = tps[points - 1];
        double fp = fps[points - 1];
        double area = 0.0;
        double prevX = 0.0;
        double prevY = 0.0;
        for (int k = 1; k < points; k++) {
            double x = fps[k] / fp;
            double y = tps[k] / tp;
            if (x > maxFpr) {                            // the segment that crosses maxFpr: interpolate on it
                double slope = (y - prevY) / (x - prevX);
                double atMax = slope * (maxFpr - prevX) + prevY;
                area += (maxFpr - prevX) * (atMax + prevY) / 2.0;
                break;
            }
            area += (x - prevX) * (y + prevY) / 2.0;
            prevX = x;
            prevY = y;
        }
        if (maxFpr >= 1.0) {
            return area;
        }
        double minArea = 0.5 * maxFpr * maxFpr;
        return 0.5 * (1.0 + (area - minArea) / (maxFpr - minArea));
    }

    /**
     * The ROC area (trapezoids) and the uninterpolated average precision, accumulated one distinct threshold at a
     * time, from the top: add the weight of the samples at the threshold to {@link #tp} and {@link #fp}, then call
     * {@link #threshold()}.
     */
    private static final class Curve {
        double tp;
        double fp;
        private double prevTp;
        private double prevFp;
        private double area;
        private double ap;

        void threshold() {
            area += (fp - prevFp) * (tp + prevTp);
            if (tp != prevTp) {
                ap += (tp - prevTp) * (tp / (tp + fp));
            }
            prevTp = tp;
            prevFp = fp;
        }

        /** AUC (NaN with one class present) and AP (0.0 without positives) into {@code out}. */
        void finish(double[] out) {
            out[AUC] = tp == 0.0 || fp == 0.0 ? Double.NaN : area / (2.0 * tp * fp);
            out[AP] = tp == 0.0 ? 0.0 : Math.max(0.0, ap / tp);
        }
    }

    /**
     * {@link #exact} without weights: the positives' and the negatives' scores are sorted apart, as primitive arrays
     * (no index array, no comparison through it), and walked together from the top, one distinct threshold at a time.
     * The thresholds, the counts at each and the order of the sums are those of the indirect sort, so the results are
     * the same to the last bit.
     */
    static void exactUnweighted(double[] score, boolean[] positive, int n, double[] out) {
        int p = 0;
        for (int i = 0; i < n; i++) {
            if (positive[i]) {
                p++;
            }
        }
        double[] pos = new double[p];
        double[] neg = new double[n - p];
        for (int i = 0, a = 0, b = 0; i < n; i++) {
            if (positive[i]) {
                pos[a++] = score[i];
            } else {
                neg[b++] = score[i];
            }
        }
        double[] scratch = new double[Math.max(p, n - p)];
        sort(pos, scratch);
        sort(neg, scratch);
        exactSorted(pos, neg, out);
    }

    /** Arrays shorter than this are sorted by {@link java.util.Arrays#sort(double[])}, longer ones by radix. */
    static final int RADIX_MIN = 1024;
    private static final int DIGIT_BITS = 11;
    /** The radix passes cover the key's top 44 bits (sign, exponent and 32 mantissa bits): 4 digits of 11. */
    private static final int DIGITS = 4;
    private static final int LOW_BITS = 64 - DIGITS * DIGIT_BITS;
    private static final int DIGIT_MASK = (1 << DIGIT_BITS) - 1;
    /** Runs of equal top bits up to this long are finished by insertion, longer ones by {@code Arrays.sort}. */
    private static final int INSERTION_RUN = 24;

    /**
     * Sorts {@code a} ascending in the order {@link java.util.Arrays#sort(double[])} gives (-0.0 before 0.0, NaN
     * last): a least-significant-digit radix sort on the top 44 bits of each double's key (mapped so that unsigned
     * order is numeric order), four passes of 11 bits, each skipped when every value shares that digit, then each run
     * of values sharing those bits (rare for scores unless equal: they agree to 32 mantissa bits) put in order by its
     * low bits.
     * Several times faster than a comparison sort on the million-score columns of exact rank metrics, with no index
     * array.
     *
     * @param scratch at least {@code a.length} long, or null to allocate one
     */
    static void sort(double[] a, double[] scratch) {
        int n = a.length;
        if (n < RADIX_MIN) {
            java.util.Arrays.sort(a);
            return;
        }
        double[] dst = scratch != null && scratch.length >= n ? scratch : new double[n];
        int[] count = new int[DIGITS << DIGIT_BITS];
        for (double v : a) {
            long k = radixKey(v) >>> LOW_BITS;
            for (int d = 0; d < DIGITS; d++) {
                count[(d << DIGIT_BITS) + (int) ((k >>> (d * DIGIT_BITS)) & DIGIT_MASK)]++;
            }
        }
        double[] src = a;
        for (int d = 0; d < DIGITS; d++) {
            int base = d << DIGIT_BITS;
            int shift = LOW_BITS + d * DIGIT_BITS;
            if (count[base + (int) ((radixKey(src[0]) >>> shift) & DIGIT_MASK)] == n) {
                continue;                                       // one value of this digit: the order stands
            }
            for (int b = 0, sum = 0; b <= DIGIT_MASK; b++) {
                int c = count[base + b];
                count[base + b] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                double v = src[i];
                dst[count[base + (int) ((radixKey(v) >>> shift) & DIGIT_MASK)]++] = v;
            }
            double[] t = src;
            src = dst;
            dst = t;
        }
        finishRuns(src);
        if (src != a) {
            System.arraycopy(src, 0, a, 0, n);
        }
    }

    /** Whether {@code a[from, to)} is already in order (a run of one repeated value, say). */
    private static boolean ascending(double[] a, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            if (a[i - 1] > a[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Orders each run of {@code a} (sorted by the keys' top bits) whose values share those bits: by insertion for a
     * short run, by {@code Arrays.sort} for a long one. Within a run the sign and exponent are one, so numeric order is
     * the key's order (and a run of NaN holds only NaN).
     */
    private static void finishRuns(double[] a) {
        int n = a.length;
        int start = 0;
        long top = radixKey(a[0]) >>> LOW_BITS;
        for (int i = 1; i <= n; i++) {
            long k = i < n ? radixKey(a[i]) >>> LOW_BITS : ~top;
            if (k == top) {
                continue;
            }
            if (i - start > INSERTION_RUN && !ascending(a, start, i)) {
                java.util.Arrays.sort(a, start, i);
            } else if (i - start <= INSERTION_RUN) {
                for (int j = start + 1; j < i; j++) {
                    double v = a[j];
                    int h = j - 1;
                    while (h >= start && a[h] > v) {
                        a[h + 1] = a[h];
                        h--;
                    }
                    a[h + 1] = v;
                }
            }
            start = i;
            top = k;
        }
    }

    /** The bits of {@code v} (NaN canonical), the sign bit flipped for positives and every bit for negatives. */
    private static long radixKey(double v) {
        long b = Double.doubleToLongBits(v);
        return b ^ ((b >> 63) | Long.MIN_VALUE);
    }

    /**
     * Unweighted exact ROC AUC and average precision from scores already sorted ascending, the positives {@code pos}
     * and the negatives {@code neg}: walks both from the top, one distinct threshold at a time, as {@link #exact} does
     * over one sorted array, so the results are the same to the last bit.
     */
    static void exactSorted(double[] pos, double[] neg, double[] out) {
        int i = pos.length - 1;
        int j = neg.length - 1;
        Curve curve = new Curve();
        while (i >= 0 || j >= 0) {
            double s = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
            while (i >= 0 && pos[i] == s) {
                curve.tp += 1.0;
                i--;
            }
            while (j >= 0 && neg[j] == s) {
                curve.fp += 1.0;
                j--;
            }
            curve.threshold();
        }
        curve.finish(out);
    }

    /**
     * Twice the Mann-Whitney count of {@code pos} against {@code neg} (both sorted ascending, no NaN): for each
     * positive, twice the negatives below it plus the negatives equal to it. It is the {@code area} the unweighted
     * ROC walk accumulates (trapezoids over integer counts, exact in a double below 2^53), so
     * {@link #aucOfCount} of it equals that walk's AUC bit for bit, without a threshold walk or a division per
     * threshold; and counts against disjoint lists of negatives add up to the count against their union. Adds to
     * {@code atOrAbove[i]} (when not null) the negatives at or above positive {@code i}: what average precision needs
     * at each threshold, found by the same walk ({@link #averagePrecision}), so that it costs no pass of its own.
     */
    static long twiceMannWhitney(double[] pos, double[] neg, long[] atOrAbove) {
        long twice = 0;
        int below = 0;
        int upTo = 0;
        int m = neg.length;
        for (int i = 0; i < pos.length; i++) {
            double p = pos[i];
            while (below < m && neg[below] < p) {
                below++;
            }
            if (upTo < below) {
                upTo = below;
            }
            while (upTo < m && neg[upTo] <= p) {
                upTo++;
            }
            twice += below + upTo;
            if (atOrAbove != null) {
                atOrAbove[i] += m - below;
            }
        }
        return twice;
    }

    /**
     * Unweighted average precision of the sorted positives {@code pos}, given for each the negatives at or above it
     * ({@code atOrAbove[i]}, summed over the negatives' lists by {@link #twiceMannWhitney}):
     * at each distinct positive score from the top, the precision {@code tp / (tp + fp)} weighted by the positives
     * there: the same sum in the same order as {@link #exactSorted}'s walk (a threshold holding only negatives adds
     * nothing), so the same bits, in one pass over the positives.
     */
    static double averagePrecision(double[] pos, long[] atOrAbove) {
        if (pos.length == 0) {
            return 0.0;
        }
        double tp = 0.0;
        double ap = 0.0;
        int i = pos.length - 1;
        while (i >= 0) {
            double s = pos[i];
            double prev = tp;
            double fp = atOrAbove[i];                 // the same for every positive of this score
            while (i >= 0 && pos[i] == s) {
                tp += 1.0;
                i--;
            }
            ap += (tp - prev) * (tp / (tp + fp));
        }
        return Math.max(0.0, ap / tp);
    }

    /**
     * {@link #twiceMannWhitney} counted from the negatives' side: for each negative (ascending), twice the positives
     * above it plus the positives equal to it, found by galloping searches in {@code pos}, so a short list of
     * negatives costs {@code O(|neg| log(|pos| / |neg|))} rather than a walk over every positive. Equal to
     * {@code twiceMannWhitney(pos, neg)}; counts against disjoint lists of negatives add up.
     */
    static long twiceMannWhitneyByNegatives(double[] pos, double[] neg) {
        int n = pos.length;
        long twice = 0;
        int above = 0;                       // the first positive > the negative
        for (double q : neg) {
            above = firstAbove(pos, above, q);
            int equal = 0;                   // positives equal to the negative: just below the first one above it
            while (above - equal > 0 && pos[above - equal - 1] == q) {
                equal++;
            }
            twice += 2L * (n - above) + equal;
        }
        return twice;
    }

    /** The first index from {@code from} of sorted {@code a} holding a value {@code > q}, by a galloping search. */
    private static int firstAbove(double[] a, int from, double q) {
        int n = a.length;
        int lo = from;
        int hi = from;
        int step = 1;
        while (hi < n && a[hi] <= q) {
            lo = hi + 1;
            hi = from + step;
            step <<= 1;
        }
        hi = Math.min(hi, n);
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= q) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The ROC AUC of a {@link #twiceMannWhitney} count: NaN without positives or negatives, as the walk gives. */
    static double aucOfCount(long twice, long positives, long negatives) {
        return positives == 0 || negatives == 0 ? Double.NaN
                : (double) twice / (2.0 * (double) positives * (double) negatives);
    }

    /** The bin of probability {@code p} among {@code bins} equal-width bins of [0, 1]. */
    static int bin(double p, int bins) {
        return Math.min((int) (p * bins), bins - 1);
    }

    /**
     * ROC AUC and average precision from histograms of positive and negative weight per equal-width bin, each bin one
     * threshold, with bounds on their distance from the exact values: samples in the same bin are treated as tied,
     * so the AUC can be off by at most half the weight of the (positive, negative) pairs that share a bin,
     * {@code sum_b pos_b neg_b / (2 P N)}, and the AP by at most
     * {@code sum_b (pos_b / P) (maxPrecision_b - minPrecision_b)}, the spread of precisions any order inside the bin
     * could give. Writes all four slots of {@code out}.
     */
    static void binned(double[] pos, double[] neg, int off, int bins, double[] out) {
        double totalPos = 0.0;
        double totalNeg = 0.0;
        for (int b = 0; b < bins; b++) {
            totalPos += pos[off + b];
            totalNeg += neg[off + b];
        }
        double tp = 0.0;
        double fp = 0.0;
        double area = 0.0;
        double tiedPairs = 0.0;
        double ap = 0.0;
        double apBound = 0.0;
        for (int b = bins - 1; b >= 0; b--) {
            double p = pos[off + b];
            double q = neg[off + b];
            if (p == 0.0 && q == 0.0) {
                continue;
            }
            area += q * (2.0 * tp + p);
            tiedPairs += p * q;
            if (p != 0.0) {
                double precision = (tp + p) / (tp + fp + p + q);
                double max = (tp + p) / (tp + fp + p);
                double min = tp == 0.0 ? 0.0 : tp / (tp + fp + q);
                ap += p * precision;
                apBound += p * (max - min);
            }
            tp += p;
            fp += q;
        }
        boolean oneClass = totalPos == 0.0 || totalNeg == 0.0;
        out[AUC] = oneClass ? Double.NaN : area / (2.0 * totalPos * totalNeg);
        out[AUC_BOUND] = oneClass ? Double.NaN : tiedPairs / (2.0 * totalPos * totalNeg);
        out[AP] = totalPos == 0.0 ? 0.0 : ap / totalPos;
        out[AP_BOUND] = totalPos == 0.0 ? 0.0 : apBound / totalPos;
    }
}
