package io.github.logits4j.metrics;

import io.github.logits4j.kernel.State;
import java.util.Objects;

/**
 * Expected calibration error, streamed and mergeable, as torchmetrics 1.9 defines it ({@code BinaryCalibrationError},
 * {@code MulticlassCalibrationError}): confidences fall into {@code bins} equal-width bins {@code [b_k, b_k+1)} with
 * {@code b = linspace(0, 1, bins + 1)}, plus one extra bin for a confidence of exactly 1.0. With {@code n_k} samples
 * (or their total weight), mean accuracy {@code acc_k} and mean confidence {@code conf_k} in bin k out of N:
 * {@code l1 = sum_k (n_k/N) |acc_k - conf_k|}, {@code l2 = sqrt(sum_k (n_k/N) (acc_k - conf_k)^2)},
 * {@code max = max_k |acc_k - conf_k|}; empty bins count 0.
 *
 * <pre>{@code
 * CalibrationError ece = new CalibrationError(15);
 * ece.add(0.92, true, 1.0);             // confidence, whether the prediction was right, weight
 * ece.add(0.61, false, 1.0);
 * double l1 = ece.l1();
 * }</pre>
 *
 * <p>Multi-class confidence is the highest probability of a row (first index on ties) and accuracy whether that class
 * is the label; binary confidence is the probability of class 1 and accuracy the label itself. Memory is three
 * doubles per bin. Not thread-safe: give each thread its own and {@link #merge} them.
 */
public final class CalibrationError {
    private final double[] boundaries;
    private final double[] count;
    private final double[] confidence;
    private final double[] accuracy;

    /**
     * An empty accumulator with {@code bins} equal-width bins (torchmetrics' default is 15).
     *
     * @throws IllegalArgumentException if {@code bins < 1}
     */
    public CalibrationError(int bins) {
        this.boundaries = boundaries(bins);
        this.count = new double[bins + 1];
        this.confidence = new double[bins + 1];
        this.accuracy = new double[bins + 1];
    }

    /**
     * The bin boundaries {@code linspace(0, 1, bins + 1)}, computed as {@code torch.linspace}'s CPU kernel computes them
     * in float64 on x86 machines with FMA (AVX2 and AVX-512, where PyTorch's kernels are compiled with FMA): from the
     * start in the first half, {@code i * step}, and from the end in the second, {@code 1 - k * step} rounded once
     * ({@link Math#fma}), with {@code step = 1 / bins}. The second half is not {@code i / bins}: for 15 bins the edge
     * of 2/3 is 0.6666666666666666, one ulp below, so a confidence of exactly 2/3 falls in the bin above it, as in
     * torchmetrics.
     */
    public static double[] boundaries(int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("calibration bins must be at least 1; found " + bins);
        }
        int steps = bins + 1;
        double step = 1.0 / bins;
        double[] b = new double[steps];
        int half = steps / 2;
        for (int i = 0; i < steps; i++) {
            b[i] = i < half ? i * step : Math.fma(-step, steps - 1 - i, 1.0);
        }
        return b;
    }

    /** The number of equal-width bins (the extra bin for 1.0 not counted). */
    public int bins() {
        return boundaries.length - 1;
    }

    /**
     * Adds one sample.
     *
     * @param conf the confidence, in [0, 1]
     * @param correct whether the prediction was right (binary: whether the label is 1)
     * @param weight the sample's weight, finite and {@code >= 0}
     * @throws IllegalArgumentException if the confidence is NaN or outside [0, 1]
     */
    public void add(double conf, boolean correct, double weight) {
        if (!(conf >= 0.0 && conf <= 1.0)) {
            throw new IllegalArgumentException("confidence is " + conf + "; expected a probability in [0, 1]");
        }
        int k = bin(conf);
        count[k] += weight;
        confidence[k] += weight * conf;
        if (correct) {
            accuracy[k] += weight;
        }
    }

    /** The bin of {@code conf}: the number of boundaries {@code <= conf}, minus one (torch.bucketize, right=True). */
    int bin(double conf) {
        // the boundaries lie within an ulp of i / bins: start at floor(conf * bins) and step to the exact bin, which
        // is nearly always the start (a binary search mispredicted a branch or two per sample)
        int last = boundaries.length - 1;
        int k = Math.min((int) (conf * last), last);
        while (k > 0 && boundaries[k] > conf) {
            k--;
        }
        while (k < last && boundaries[k + 1] <= conf) {
            k++;
        }
        return k;
    }

    /**
     * Adds the other accumulator's samples to this one.
     *
     * @throws IllegalArgumentException if the bin counts differ
     */
    public void merge(CalibrationError other) {
        Objects.requireNonNull(other, "other");
        if (other.bins() != bins()) {
            throw new IllegalArgumentException("cannot merge calibration errors with " + other.bins() + " and "
                    + bins() + " bins");
        }
        for (int k = 0; k < count.length; k++) {
            count[k] += other.count[k];
            confidence[k] += other.confidence[k];
            accuracy[k] += other.accuracy[k];
        }
    }

    /** Writes the bins' sums, or adds another accumulator's ({@link State}). */
    void exchange(State s) {
        s.add(count);
        s.add(confidence);
        s.add(accuracy);
    }

    /**
     * The reliability diagram of these bins: for each bin holding a sample, its accuracy (the share of right
     * predictions, or of label 1 for binary) against its mean confidence, with its weight; a confidence of exactly 1
     * has a bin of its own, as here. The points of the expected calibration error, to draw beside it.
     */
    public CalibrationCurve curve() {
        int nonEmpty = 0;
        for (double c : count) {
            nonEmpty += c > 0.0 ? 1 : 0;
        }
        double[] probTrue = new double[nonEmpty];
        double[] probPred = new double[nonEmpty];
        double[] weights = new double[nonEmpty];
        for (int k = 0, i = 0; k < count.length; k++) {
            if (count[k] > 0.0) {
                probTrue[i] = accuracy[k] / count[k];
                probPred[i] = confidence[k] / count[k];
                weights[i++] = count[k];
            }
        }
        return new CalibrationCurve(probTrue, probPred, weights, boundaries.clone(), CalibrationCurve.Strategy.UNIFORM);
    }

    /** The total weight added (the number of samples when unweighted). */
    public double total() {
        double n = 0.0;
        for (double c : count) {
            n += c;
        }
        return n;
    }

    /** The l1 (expected) calibration error; NaN when nothing was added. */
    public double l1() {
        double n = total();
        double e = 0.0;
        for (int k = 0; k < count.length; k++) {
            e += Math.abs(gap(k)) * (count[k] / n);
        }
        return e;
    }

    /** The l2 (root mean square) calibration error; NaN when nothing was added. */
    public double l2() {
        double n = total();
        double e = 0.0;
        for (int k = 0; k < count.length; k++) {
            double g = gap(k);
            e += g * g * (count[k] / n);
        }
        return Math.sqrt(e);
    }

    /** The maximum calibration error over the bins; NaN when nothing was added. */
    public double max() {
        if (total() == 0.0) {
            return Double.NaN;
        }
        double e = 0.0;
        for (int k = 0; k < count.length; k++) {
            e = Math.max(e, Math.abs(gap(k)));
        }
        return e;
    }

    private double gap(int k) {
        return count[k] == 0.0 ? 0.0 : accuracy[k] / count[k] - confidence[k] / count[k];
    }
}
