package io.github.logits4j.metrics;

import io.github.logits4j.kernel.Checks;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * ROC, precision-recall and calibration curves with scikit-learn 1.9's semantics ({@code roc_curve},
 * {@code precision_recall_curve}, {@code calibration_curve}), from scores and 0/1 labels: the curves behind the rank
 * metrics and the reliability diagram, to draw or to export.
 *
 * <pre>{@code
 * RocCurve roc = Curves.roc(scores, labels, null, true);                  // drop_intermediate=True
 * PrecisionRecallCurve pr = Curves.precisionRecall(scores, labels, null, false);
 * CalibrationCurve reliability = Curves.calibration(scores, labels, 10, CalibrationCurve.Strategy.UNIFORM);
 * }</pre>
 *
 * <p>As scikit-learn: samples of weight 0 are left out of the ROC and PR curves; scores are sorted descending with
 * ties in input order, and each distinct score is one threshold; the sums run in that order in float64.
 */
public final class Curves {
    private Curves() {
    }

    /**
     * The ROC curve of {@code scores} against {@code labels} (0/1), each sample weighing {@code weights[i]} (null: 1).
     *
     * @param dropIntermediate drop the points collinear with their neighbours (scikit-learn's default, true)
     * @throws IllegalArgumentException if the lengths differ, there is no sample, a label is not 0 or 1, a score is
     *     not finite, or a weight is negative or not finite (naming the index)
     */
    public static RocCurve roc(double[] scores, int[] labels, double @Nullable [] weights, boolean dropIntermediate) {
        Counts c = counts(scores, labels, weights);
        int m = c.size;
        double[] tps = c.tps;
        double[] fps = c.fps;
        double[] thr = c.thresholds;
        int[] keep = identity(m);
        int kept = m;
        if (dropIntermediate && m > 2) {
            kept = 0;
            for (int i = 0; i < m; i++) {
                if (i == 0 || i == m - 1 || secondDifference(fps, i - 1) != 0.0
                        || secondDifference(tps, i - 1) != 0.0) {
                    keep[kept++] = i;
                }
            }
        }
        double[] fpr = new double[kept + 1];
        double[] tpr = new double[kept + 1];
        double[] thresholds = new double[kept + 1];
        thresholds[0] = Double.POSITIVE_INFINITY;
        double lastFp = fps[m - 1];
        double lastTp = tps[m - 1];
        for (int k = 0; k < kept; k++) {
            int i = keep[k];
            fpr[k + 1] = lastFp <= 0.0 ? Double.NaN : fps[i] / lastFp;
            tpr[k + 1] = lastTp <= 0.0 ? Double.NaN : tps[i] / lastTp;
            thresholds[k + 1] = thr[i];
        }
        fpr[0] = lastFp <= 0.0 ? Double.NaN : 0.0;
        tpr[0] = lastTp <= 0.0 ? Double.NaN : 0.0;
        return new RocCurve(fpr, tpr, thresholds, 0.0);
    }

    /** numpy's {@code diff(a, 2)[j]}: the difference of the differences, as numpy computes it. */
    private static double secondDifference(double[] a, int j) {
        return (a[j + 2] - a[j + 1]) - (a[j + 1] - a[j]);
    }

    /**
     * The precision-recall curve of {@code scores} against {@code labels} (0/1), each sample weighing
     * {@code weights[i]} (null: 1).
     *
     * @param dropIntermediate keep only the first and last point of each recall (scikit-learn's default is false)
     * @throws IllegalArgumentException as {@link #roc}
     */
    public static PrecisionRecallCurve precisionRecall(double[] scores, int[] labels, double @Nullable [] weights,
            boolean dropIntermediate) {
        Counts c = counts(scores, labels, weights);
        int m = c.size;
        double[] tps = c.tps;
        double[] fps = c.fps;
        int[] keep = identity(m);
        int kept = m;
        if (dropIntermediate && m > 2) {
            kept = 0;
            for (int i = 0; i < m; i++) {
                if (i == 0 || i == m - 1 || tps[i] != tps[i - 1] || tps[i + 1] != tps[i]) {
                    keep[kept++] = i;
                }
            }
        }
        double[] precision = new double[kept + 1];
        double[] recall = new double[kept + 1];
        double[] thresholds = new double[kept];
        double lastTp = tps[m - 1];
        for (int k = 0; k < kept; k++) {
            int i = keep[k];
            int at = kept - 1 - k;                  // reversed: recall decreasing
            double ps = tps[i] + fps[i];
            precision[at] = ps != 0.0 ? tps[i] / ps : 0.0;
            recall[at] = lastTp == 0.0 ? 1.0 : tps[i] / lastTp;
            thresholds[at] = c.thresholds[i];
        }
        precision[kept] = 1.0;
        recall[kept] = 0.0;
        return new PrecisionRecallCurve(precision, recall, thresholds, 0.0);
    }

    /**
     * The calibration curve of {@code probabilities} against {@code labels} (0/1) in {@code bins} bins.
     *
     * @throws IllegalArgumentException if the lengths differ, there is no sample, {@code bins < 1}, a probability is
     *     outside [0, 1] or a label is not 0 or 1 (naming the index)
     */
    public static CalibrationCurve calibration(double[] probabilities, int[] labels, int bins,
            CalibrationCurve.Strategy strategy) {
        Objects.requireNonNull(strategy, "strategy");
        int n = checkLengths(probabilities, labels, null);
        if (bins < 1) {
            throw new IllegalArgumentException("calibration curve bins is " + bins + "; expected at least 1");
        }
        for (int i = 0; i < n; i++) {
            double p = probabilities[i];
            if (!(p >= 0.0 && p <= 1.0)) {
                throw new IllegalArgumentException("probability at index " + i + " is " + p
                        + "; expected a probability in [0, 1]");
            }
            Checks.binaryLabel(labels[i], i);
        }
        double step = 1.0 / bins;                        // numpy.linspace(0, 1, bins + 1): i * step, then 1.0
        double[] edges = new double[bins + 1];
        double[] sorted = strategy == CalibrationCurve.Strategy.QUANTILE ? probabilities.clone() : null;
        if (sorted != null) {
            Arrays.sort(sorted);
        }
        for (int i = 0; i <= bins; i++) {
            double q = i == bins ? 1.0 : i * step;
            edges[i] = sorted == null ? q : percentile(sorted, q * 100.0 / 100.0);
        }
        double[] sums = new double[bins];
        double[] positives = new double[bins];
        long[] totals = new long[bins];
        for (int i = 0; i < n; i++) {
            int b = searchLeft(edges, bins, probabilities[i]);
            sums[b] += probabilities[i];
            positives[b] += labels[i];
            totals[b]++;
        }
        int nonEmpty = 0;
        for (long t : totals) {
            nonEmpty += t > 0 ? 1 : 0;
        }
        double[] probTrue = new double[nonEmpty];
        double[] probPred = new double[nonEmpty];
        double[] counts = new double[nonEmpty];
        for (int b = 0, k = 0; b < bins; b++) {
            if (totals[b] > 0) {
                probTrue[k] = positives[b] / totals[b];
                probPred[k] = sums[b] / totals[b];
                counts[k++] = totals[b];
            }
        }
        return new CalibrationCurve(probTrue, probPred, counts, edges, strategy);
    }

    /** numpy's {@code searchsorted(edges[1:-1], p)} (side left): how many inner edges lie below {@code p}. */
    private static int searchLeft(double[] edges, int bins, double p) {
        int lo = 1;
        int hi = bins;                                   // inner edges are edges[1 .. bins - 1]
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (edges[mid] < p) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }

    /** numpy's {@code percentile} (method linear) of sorted values at quantile {@code q} in [0, 1]. */
    static double percentile(double[] sorted, double q) {
        int n = sorted.length;
        double v = (n - 1) * q;
        if (v >= n - 1) {
            return sorted[n - 1];
        }
        if (v < 0) {
            return sorted[0];
        }
        int prev = (int) Math.floor(v);
        double gamma = v - prev;
        double a = sorted[prev];
        double b = sorted[prev + 1];
        double diff = b - a;
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
    }

    /** The trapezoidal area of {@code y} over {@code x} ({@code x} monotone either way), as scikit-learn's auc. */
    static double trapezoid(double[] x, double[] y) {
        boolean decreasing = x.length > 1 && x[x.length - 1] < x[0];
        double area = 0.0;
        for (int i = 0; i + 1 < x.length; i++) {
            area += (x[i + 1] - x[i]) * (y[i + 1] + y[i]) / 2.0;
        }
        return decreasing ? -area : area;
    }

    /**
     * The macro-averaged ROC curve of per-class (or per-label) curves as scikit-learn's ROC example builds it: each
     * curve's true positive rate interpolated linearly ({@code numpy.interp}) at 1,000 false positive rates evenly
     * spaced over [0, 1], then averaged. Its thresholds are NaN (no one threshold gives a point).
     *
     * @throws IllegalArgumentException if there is no curve
     */
    public static RocCurve macroRoc(List<RocCurve> curves) {
        if (curves.isEmpty()) {
            throw new IllegalArgumentException("no curves to average");
        }
        int points = 1000;
        double step = 1.0 / (points - 1);
        double[] grid = new double[points];
        for (int i = 0; i < points; i++) {
            grid[i] = i == points - 1 ? 1.0 : i * step;
        }
        double[] mean = new double[points];
        for (RocCurve c : curves) {
            double[] fpr = c.fpr();
            double[] tpr = c.tpr();
            for (int i = 0; i < points; i++) {
                mean[i] += interp(grid[i], fpr, tpr);
            }
        }
        for (int i = 0; i < points; i++) {
            mean[i] /= curves.size();
        }
        double[] thresholds = new double[points];
        Arrays.fill(thresholds, Double.NaN);
        return new RocCurve(grid, mean, thresholds, 0.0);
    }

    /**
     * The indices of at most {@code maxPoints} points of the polyline ({@code x}, {@code y}) to keep: the first, the
     * last, and between them the first point past each of {@code maxPoints - 2} even steps of the curve's length
     * (|dx| + |dy|); null when the curve has no more than {@code maxPoints} points.
     */
    static int @Nullable [] downsample(double[] x, double[] y, int maxPoints) {
        if (maxPoints < 2) {
            throw new IllegalArgumentException("a downsampled curve keeps at least 2 points; found " + maxPoints);
        }
        int n = x.length;
        if (n <= maxPoints) {
            return null;
        }
        double length = 0.0;
        for (int i = 1; i < n; i++) {
            length += Math.abs(x[i] - x[i - 1]) + Math.abs(y[i] - y[i - 1]);
        }
        double step = maxPoints > 2 ? length / (maxPoints - 2) : Double.POSITIVE_INFINITY;
        int[] keep = new int[maxPoints];
        int kept = 0;
        keep[kept++] = 0;
        double walked = 0.0;
        double next = step;
        for (int i = 1; i < n - 1 && kept < maxPoints - 1; i++) {
            walked += Math.abs(x[i] - x[i - 1]) + Math.abs(y[i] - y[i - 1]);
            if (walked >= next) {
                keep[kept++] = i;
                next = walked + step;
            }
        }
        keep[kept++] = n - 1;
        return Arrays.copyOf(keep, kept);
    }

    /**
     * The most the area under ({@code x}, {@code y}) can change when only the points {@code keep} are kept: for each
     * kept segment, the width it spans times the spread of y over the points it replaces (the original runs inside
     * that box, and so does the segment).
     */
    static double droppedArea(double[] x, double[] y, int[] keep) {
        double bound = 0.0;
        for (int k = 0; k + 1 < keep.length; k++) {
            int a = keep[k];
            int b = keep[k + 1];
            if (b == a + 1) {
                continue;
            }
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = a; i <= b; i++) {
                lo = Math.min(lo, y[i]);
                hi = Math.max(hi, y[i]);
            }
            bound += Math.abs(x[b] - x[a]) * (hi - lo);
        }
        return bound;
    }

    /** {@code values} at {@code indices}. */
    static double[] pick(double[] values, int[] indices) {
        double[] out = new double[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = values[indices[i]];
        }
        return out;
    }

    /** numpy's {@code interp(x, xp, fp)} for increasing {@code xp} (repeated values allowed: the last one counts). */
    static double interp(double x, double[] xp, double[] fp) {
        int n = xp.length;
        if (Double.isNaN(x) || n == 0) {
            return Double.NaN;
        }
        if (x > xp[n - 1]) {
            return fp[n - 1];
        }
        if (x < xp[0]) {
            return fp[0];
        }
        if (x == xp[n - 1]) {
            return fp[n - 1];
        }
        int lo = 0;                                      // the last j with xp[j] <= x
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (xp[mid] <= x) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int j = lo;
        if (j == n - 1 || xp[j] == x) {
            return fp[j];
        }
        double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
        double v = slope * (x - xp[j]) + fp[j];
        if (Double.isNaN(v)) {
            v = slope * (x - xp[j + 1]) + fp[j + 1];
            if (Double.isNaN(v) && fp[j] == fp[j + 1]) {
                v = fp[j];
            }
        }
        return v;
    }

    /** {@code values} as a list, for {@code toMap()}. */
    static List<Double> list(double[] values) {
        return ReportMaps.list(values);
    }

    private static int[] identity(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    private static int checkLengths(double[] scores, int[] labels, double @Nullable [] weights) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(labels, "labels");
        int n = scores.length;
        if (labels.length != n || (weights != null && weights.length != n)) {
            throw new IllegalArgumentException(n + " scores, " + labels.length + " labels"
                    + (weights == null ? "" : ", " + weights.length + " weights")
                    + "; expected one of each per sample");
        }
        if (n == 0) {
            throw new IllegalArgumentException("no samples; a curve needs at least one");
        }
        return n;
    }

    /** The true and false positive sums at each distinct score, scores descending: scikit-learn's counts. */
    private static final class Counts {
        int size;
        double[] tps;
        double[] fps;
        double[] thresholds;
    }

    private static Counts counts(double[] scores, int[] labels, double @Nullable [] weights) {
        int n = checkLengths(scores, labels, weights);
        int[] idx = new int[n];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException("score at index " + i + " is " + scores[i]
                        + "; expected a finite number");
            }
            Checks.binaryLabel(labels[i], i);
            if (weights != null) {
                double w = weights[i];
                if (!(w >= 0.0) || w == Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("weight at index " + i + " is " + w
                            + "; expected a finite number >= 0");
                }
                if (w == 0.0) {
                    continue;                            // as scikit-learn: a sample of weight 0 is left out
                }
            }
            idx[kept++] = i;
        }
        if (kept == 0) {
            throw new IllegalArgumentException("every sample weighs 0; a curve needs at least one that does not");
        }
        Ranking.sortIndicesDescending(scores, 0, idx, new int[kept], kept);
        Counts c = new Counts();
        c.tps = new double[kept];
        c.fps = new double[kept];
        c.thresholds = new double[kept];
        double tp = 0.0;
        double fp = 0.0;
        int m = 0;
        for (int k = 0; k < kept; k++) {
            int i = idx[k];
            double w = weights == null ? 1.0 : weights[i];
            tp += labels[i] * w;
            if (weights != null) {
                fp += (1 - labels[i]) * w;
            }
            if (k == kept - 1 || scores[idx[k + 1]] != scores[i]) {
                c.tps[m] = tp;
                c.fps[m] = weights == null ? 1 + k - tp : fp;
                c.thresholds[m] = scores[i];
                m++;
            }
        }
        c.size = m;
        return c;
    }
}
