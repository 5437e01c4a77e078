package io.github.logits4j.calibration;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.decision.Argmax;
import io.github.logits4j.kernel.Checks;
import io.github.logits4j.kernel.Kernels;
import io.github.logits4j.metrics.CalibrationError;
import java.util.Objects;

/**
 * Temperature scaling (Guo et al. 2017): one scalar {@code T > 0} such that {@code softmax(z / T)} (multi-class) or
 * {@code sigmoid(z / T)} (multi-label, one T or one per class) minimises the mean negative log-likelihood of held-out
 * validation logits. Dividing by a positive T never changes which class has the highest logit, so predictions and
 * accuracy are unchanged; only the confidence is.
 *
 * <pre>{@code
 * TemperatureFit fit = TemperatureScaling.fit(validationLogits, validationLabels);   // [N x C], N labels
 * double t = fit.temperature();                                  // e.g. 1.8 for an over-confident network
 * fit.apply(testLogits, testProbabilities);                      // softmax(z / T)
 *
 * MultilabelTemperatureFit tags = TemperatureScaling.fitMultilabel(tagLogits, tagTargets, true);   // one T per tag
 * }</pre>
 *
 * <p><b>How.</b> The mean NLL is convex in {@code beta = 1/T}. The fit brackets the minimum by doubling or halving
 * beta from 1, runs Brent's method (commons-math3) on {@code log T}, then takes Newton steps on beta with the analytic
 * first and second derivatives (multi-class {@code f' = mean [E_p(z) - z_y]}, {@code f'' = mean Var_p(z)}) until a
 * step is below 1e-13 relative: T is found to about 1e-12 relative, far inside the 1e-10 it promises. Sums run in
 * double over the float32 logits, in place (a buffer-backed matrix is copied once), with no per-row allocation; each
 * evaluation costs one pass over the logits.
 *
 * <p><b>When there is no temperature.</b> If the true class has the highest logit in every validation row (multi-label:
 * every logit is on its target's side of 0), the NLL keeps falling as {@code T -> 0} and no finite T minimises it;
 * returning a T near 0 would turn every probability into 0 or 1. That is an {@link IllegalArgumentException} saying
 * so, as is the opposite case of logits no better than chance on average (the NLL keeps falling as
 * {@code T -> infinity}). Empty input, a label out of range, targets outside [0, 1] and non-finite logits are errors
 * naming the row and column.
 *
 * <p>Stateless; safe to call from many threads at once.
 */
public final class TemperatureScaling {
    /** Equal-width bins of the expected calibration error reported by {@link TemperatureFit} (torchmetrics' default). */
    public static final int ECE_BINS = 15;

    static final String SEPARABLE_ADVICE = "fit the temperature on more held-out data that the model was not trained "
            + "on, or leave the logits unscaled";
    static final String UNINFORMATIVE = "the logits are on average no better than a uniform guess, so the NLL keeps "
            + "falling as T -> infinity and no finite temperature minimises it; check that the labels (targets) line "
            + "up with the rows and columns of the logits";

    private static final Kernels KERNELS = Kernels.get();

    private TemperatureScaling() {
    }

    /**
     * Writes {@code logits / T} into {@code out}, each value rounded to float32 as PyTorch's {@code logits / T} of a
     * float32 tensor is: the scaled logits that logits4j's calibrated probabilities and losses all start from
     * ({@link TemperatureFit#apply}, {@link MultilabelTemperatureFit#apply}, an evaluation with temperatures), so
     * every path gives the same numbers. {@code temperatures} holds one temperature for every column or one per
     * column; {@code out} may be {@code logits}.
     *
     * <pre>{@code
     * FloatMatrix scaled = FloatMatrix.allocate(n, c);
     * TemperatureScaling.scale(logits, new double[] {1.7}, scaled);
     * Activation.SOFTMAX.applyInPlace(scaled, 1.0);          // what TemperatureFit.apply(logits) gives
     * }</pre>
     *
     * @throws IllegalArgumentException if the shapes differ, a temperature is not finite and positive, or there are
     *     neither one nor one per column
     * @throws IllegalStateException if {@code out} is read-only
     */
    public static void scale(FloatMatrix logits, double[] temperatures, FloatMatrix out) {
        Objects.requireNonNull(temperatures, "temperatures");
        int rows = logits.rows();
        int cols = logits.cols();
        logits.requireSameShape(out, "output");
        if (out.isReadOnly()) {
            throw new IllegalStateException("output matrix is backed by a read-only buffer and cannot be written");
        }
        if (temperatures.length != 1 && temperatures.length != cols) {
            throw new IllegalArgumentException(temperatures.length + " temperatures; expected 1 or " + cols
                    + ", one per column");
        }
        double[] inverse = new double[cols];
        for (int c = 0; c < cols; c++) {
            double t = temperatures[temperatures.length == 1 ? 0 : c];
            Checks.positiveFinite(t, "temperature");
            inverse[c] = 1.0 / t;
        }
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            logits.copyRowTo(r, row, 0);
            for (int c = 0; c < cols; c++) {
                row[c] = inverse[c] == 1.0 ? row[c] : (float) (row[c] * inverse[c]);
            }
            out.copyRowFrom(r, row, 0);
        }
    }

    /**
     * Fits one temperature for {@code softmax(z / T)} to multi-class validation logits.
     *
     * @param logits {@code [N x C]} validation logits, {@code N >= 1}, {@code C >= 2}, all finite
     * @param labels the true class of each row, in {@code [0, C)}
     * @throws IllegalArgumentException if the input is empty or has one class, a logit is not finite, a label is out of
     *     range, or no finite temperature minimises the NLL (perfectly separable logits, or logits no better than
     *     chance)
     */
    public static TemperatureFit fit(FloatMatrix logits, int[] labels) {
        Objects.requireNonNull(logits, "logits");
        Objects.requireNonNull(labels, "labels");
        int rows = logits.rows();
        int cols = logits.cols();
        requireRows(rows);
        if (cols < 2) {
            throw new IllegalArgumentException("logits has " + cols + " column; expected at least 2 classes (softmax "
                    + "of one class is always 1: use fitMultilabel for a single sigmoid output)");
        }
        Checks.requireClassIndices(labels, rows, cols, 0, false);
        float[] a = dense(logits);
        int off = logits.hasArray() ? logits.arrayOffset() : 0;
        requireFinite(a, off, rows, cols, "logits");

        ScaledNll.Softmax nll = new ScaledNll.Softmax(a, off, rows, cols, labels);
        if (nll.separable()) {
            throw new IllegalArgumentException("validation logits are perfectly separable: the true class has the "
                    + "highest logit in all " + rows + " rows, so the NLL keeps falling as T -> 0 and no finite "
                    + "temperature minimises it; " + SEPARABLE_ADVICE);
        }
        double slope = nll.slopeAtZero();
        if (!(slope < 0.0)) {
            throw new IllegalArgumentException("the true class's logit is on average " + (-slope) + " above its row's "
                    + "mean logit (expected > 0): " + UNINFORMATIVE);
        }
        TemperatureSearch search = TemperatureSearch.minimise(nll, "");
        double beta = search.beta();
        return new TemperatureFit(1.0 / beta, nll.value(1.0), nll.value(beta),
                expectedCalibrationError(a, off, rows, cols, labels, 1.0),
                expectedCalibrationError(a, off, rows, cols, labels, beta), search.iterations());
    }

    /**
     * Fits {@code sigmoid(z / T)} to multi-label validation logits with binary cross-entropy: one temperature for all
     * labels, or one per label (column).
     *
     * @param logits {@code [N x L]} validation logits, {@code N >= 1}, all finite
     * @param targets {@code [N x L]} targets in [0, 1] (normally 0 or 1)
     * @param perClass whether each column gets its own temperature
     * @throws IllegalArgumentException if the input is empty, the shapes differ, a logit is not finite, a target is
     *     outside [0, 1], or no finite temperature minimises the NLL (of the whole matrix, or of the column named)
     */
    public static MultilabelTemperatureFit fitMultilabel(FloatMatrix logits, FloatMatrix targets, boolean perClass) {
        Objects.requireNonNull(logits, "logits");
        Objects.requireNonNull(targets, "targets");
        int rows = logits.rows();
        int cols = logits.cols();
        requireRows(rows);
        logits.requireSameShape(targets, "targets");
        float[] x = dense(logits);
        int xOff = logits.hasArray() ? logits.arrayOffset() : 0;
        requireFinite(x, xOff, rows, cols, "logits");
        Checks.requireProbabilities(targets, "targets");
        float[] y = dense(targets);
        int yOff = targets.hasArray() ? targets.arrayOffset() : 0;

        ScaledNll.Sigmoid all = new ScaledNll.Sigmoid(x, xOff, y, yOff, rows, cols, 0, cols);
        double nllBefore = all.value(1.0);
        if (!perClass) {
            TemperatureSearch search = fitSigmoid(all, "");
            double beta = search.beta();
            return new MultilabelTemperatureFit(new double[] {1.0 / beta}, false, nllBefore, all.value(beta),
                    search.iterations());
        }
        double[] temperatures = new double[cols];
        double nllAfter = 0.0;
        int iterations = 0;
        for (int c = 0; c < cols; c++) {
            ScaledNll.Sigmoid column = new ScaledNll.Sigmoid(x, xOff, y, yOff, rows, cols, c, c + 1);
            TemperatureSearch search = fitSigmoid(column, "column " + c + ": ");
            temperatures[c] = 1.0 / search.beta();
            nllAfter += column.value(search.beta());
            iterations += search.iterations();
        }
        return new MultilabelTemperatureFit(temperatures, true, nllBefore, nllAfter / cols, iterations);
    }

    private static TemperatureSearch fitSigmoid(ScaledNll.Sigmoid nll, String where) {
        if (nll.allZero()) {
            throw new IllegalArgumentException(where + "every logit is 0, so no temperature changes sigmoid(z / T) "
                    + "and none can be fitted");
        }
        if (nll.separable()) {
            throw new IllegalArgumentException(where + "validation logits are perfectly separable: every logit is "
                    + "positive only where its target is 1 and negative only where it is 0, so the NLL keeps falling "
                    + "as T -> 0 and no finite temperature minimises it; " + SEPARABLE_ADVICE);
        }
        double slope = nll.slopeAtZero();
        if (!(slope < 0.0)) {
            throw new IllegalArgumentException(where + "mean z * (target - 1/2) is " + (-slope) + " (expected > 0): "
                    + UNINFORMATIVE);
        }
        return TemperatureSearch.minimise(nll, where);
    }

    /**
     * The l1 expected calibration error ({@link #ECE_BINS} bins) of {@code softmax(beta z)}: confidence is the highest
     * probability of a row, correct whether its class (the first highest logit) is the label.
     */
    static double expectedCalibrationError(float[] a, int off, int rows, int cols, int[] labels, double beta) {
        CalibrationError ece = new CalibrationError(ECE_BINS);
        for (int r = 0, o = off; r < rows; r++, o += cols) {
            int predicted = Argmax.ofRow(a, o, cols);
            float m = KERNELS.max(a, o, cols);
            double confidence = Math.exp(beta * (a[o + predicted] - (double) m)
                    - Kernels.logSumExpShiftedDouble(a, o, cols, m, beta));
            ece.add(Math.min(confidence, 1.0), predicted == labels[r], 1.0);
        }
        return ece.l1();
    }

    private static void requireRows(int rows) {
        if (rows == 0) {
            throw new IllegalArgumentException("logits has no rows; expected at least one validation sample");
        }
    }

    /** The backing array of {@code m}, or a copy of a buffer-backed matrix (offset 0). */
    private static float[] dense(FloatMatrix m) {
        return m.hasArray() ? m.array() : m.toArray();
    }

    private static void requireFinite(float[] a, int off, int rows, int cols, String what) {
        for (int r = 0, o = off; r < rows; r++, o += cols) {
            for (int c = 0; c < cols; c++) {
                float v = a[o + c];
                if (!(Math.abs(v) < Float.POSITIVE_INFINITY)) {
                    throw new IllegalArgumentException(what + " at row " + r + ", column " + c + " is " + v
                            + "; expected a finite number");
                }
            }
        }
    }
}
