package io.github.logits4j.activation;

import io.github.logits4j.DenseScores;
import io.github.logits4j.FloatMatrix;
import io.github.logits4j.kernel.Checks;
import io.github.logits4j.kernel.Kernels;
import io.github.logits4j.kernel.Parallel;

/**
 * The activations that turn classifier outputs into probabilities or log-probabilities, applied row by row over a
 * batch, with an optional temperature {@code T} ({@code f(x / T)}), into a destination or in place. Each equals its
 * PyTorch counterpart ({@code torch.softmax}, {@code torch.log_softmax}, {@code torch.sigmoid},
 * {@code F.logsigmoid}, {@code torch.exp}) to float precision and is numerically stable for any magnitude.
 *
 * <pre>{@code
 * FloatMatrix logits = FloatMatrix.wrap(new float[] {2f, 1f, 0.1f}, 1, 3);
 * FloatMatrix probs = Activation.SOFTMAX.apply(logits);          // a new matrix
 * Activation.SIGMOID.applyInPlace(multiLabelLogits);             // overwrite
 * Activation.SOFTMAX.apply(logits, probs, 2.0);                  // temperature 2, into probs
 * }</pre>
 *
 * <p><b>Non-finite input follows PyTorch</b>: softmax and log-softmax of a row holding NaN or +inf, or made only of
 * -inf, are NaN across the row; a single -inf gives probability 0 and log-probability -inf; sigmoid and log-sigmoid
 * map NaN to NaN, +-inf to 1/0 and 0/-inf. Nothing is thrown for values.
 *
 * <p><b>Precision.</b> Float32 results come from logits4j's kernels ({@code kernel.Kernels}): float arithmetic with an
 * FMA polynomial for {@code exp}, the same bit for bit on every CPU, vector width and kernel path. Relative error
 * against the exact value: {@code exp} below 2e-7, sigmoid below 3e-7, log-sigmoid below 4e-7, a softmax element
 * below {@code 1e-6 + |x - max| * 2^-24} (the second term is the rounding of {@code x - max} to float that PyTorch's
 * float32 softmax has too), a log-softmax element below {@code 1e-6} absolute plus the same term; within PyTorch's
 * own float32 results' distance from the exact ones. {@link #applyToDoubles} computes in double instead. Buffer-backed
 * matrices are processed one row at a time through a scratch row allocated once per call. Safe to call from many
 * threads on distinct destinations.
 */
public enum Activation {
    /** {@code softmax(x / T)} along each row. */
    SOFTMAX("softmax"),
    /** {@code log_softmax(x / T)} along each row. */
    LOG_SOFTMAX("log_softmax"),
    /** {@code sigmoid(x / T)} elementwise. */
    SIGMOID("sigmoid"),
    /** {@code log(sigmoid(x / T))} elementwise, in the stable {@code min(v,0) - log1p(exp(-|v|))} form. */
    LOG_SIGMOID("log_sigmoid"),
    /** {@code exp(x)} elementwise: log-probabilities to probabilities; takes no temperature. */
    EXP("exp"),
    /** Leaves the values as they are (probabilities need no head); takes no temperature. */
    NONE("none");

    private static final Kernels KERNELS = Kernels.get();
    /** Elements below which a parallel call stays on one thread: the hand-off costs more than the work. */
    private static final int PARALLEL_MIN_ELEMENTS = 1 << 16;

    private final String id;

    Activation(String id) {
        this.id = id;
    }

    /** The lowercase name used in reports and JSON ({@code "softmax"}, {@code "sigmoid"}, {@code "exp"}, ...). */
    public String id() {
        return id;
    }

    /** Applies this activation to {@code input} into a new matrix of the same shape. */
    public FloatMatrix apply(FloatMatrix input) {
        FloatMatrix out = FloatMatrix.allocate(input.rows(), input.cols());
        apply(input, out, 1.0);
        return out;
    }

    /** Applies this activation to {@code input}, writing {@code output} (same shape; may be {@code input}). */
    public void apply(FloatMatrix input, FloatMatrix output) {
        apply(input, output, 1.0);
    }

    /** Applies this activation to {@code matrix}, overwriting it. */
    public void applyInPlace(FloatMatrix matrix) {
        apply(matrix, matrix, 1.0);
    }

    /** Applies this activation with temperature {@code temperature} to {@code matrix}, overwriting it. */
    public void applyInPlace(FloatMatrix matrix, double temperature) {
        apply(matrix, matrix, temperature);
    }

    /**
     * Applies this activation to {@code input / temperature}, writing {@code output}.
     *
     * @param output a matrix of {@code input}'s shape; may be {@code input} itself
     * @param temperature {@code T > 0}, finite; 1 for none
     * @throws IllegalArgumentException if the shapes differ or the temperature is not finite and positive, or is not
     *     1 for {@link #EXP} and {@link #NONE}
     * @throws IllegalStateException if {@code output} is read-only
     */
    public void apply(FloatMatrix input, FloatMatrix output, double temperature) {
        apply(input, output, temperature, 1);
    }

    /**
     * {@link #apply(FloatMatrix, FloatMatrix, double)} on up to {@code parallelism} threads (the calling one and the
     * common fork-join pool), rows split into contiguous ranges: the same result, bit for bit, as one thread.
     *
     * <pre>{@code
     * Activation.SOFTMAX.apply(logits, probs, 1.0, Runtime.getRuntime().availableProcessors());
     * }</pre>
     *
     * @param parallelism at least 1; 1 runs on the calling thread only
     * @throws IllegalArgumentException as the three-argument form, or if {@code parallelism < 1}
     */
    public void apply(FloatMatrix input, FloatMatrix output, double temperature, int parallelism) {
        double invT = inverseTemperature(temperature);
        Parallel.check(parallelism);
        input.requireSameShape(output, "output");
        if (output.isReadOnly()) {
            throw new IllegalStateException("output matrix is backed by a read-only buffer and cannot be written");
        }
        int cols = input.cols();
        if (parallelism == 1) {
            applyRows(input, output, invT, 0, input.rows());          // no task, no lambda: nothing allocated
        } else {
            Parallel.forRanges(parallelism, input.rows(), Math.max(1, PARALLEL_MIN_ELEMENTS / Math.max(1, cols)),
                    (from, to) -> applyRows(input, output, invT, from, to));
        }
    }

    /**
     * Applies this activation along the class axis of dense scores (every position's row of class scores), writing
     * {@code output} (same shape and class axis; may be {@code input}): each position gets, bit for bit, what its row
     * would get in a {@link FloatMatrix}. Class-last scores are such rows already; class-first ones are read a tile of
     * positions at a time, never transposed as a whole.
     *
     * <pre>{@code
     * Activation.SOFTMAX.apply(masks, masks, 1.0);           // [N, 21, H, W] logits to probabilities, in place
     * }</pre>
     *
     * @throws IllegalArgumentException if the shapes differ or the temperature is invalid (as for matrices)
     * @throws IllegalStateException if {@code output} is read-only
     */
    public void apply(DenseScores input, DenseScores output, double temperature) {
        double invT = inverseTemperature(temperature);
        input.requireSameShape(output, "output");
        if (output.sampleMatrix().isReadOnly()) {
            throw new IllegalStateException("output scores are backed by a read-only buffer and cannot be written");
        }
        int c = input.classes();
        int tile = DenseScores.tilePositions(c);
        float[] x = new float[tile * c];
        for (int n = 0; n < input.samples(); n++) {
            for (int from = 0; from < input.positions(); from += tile) {
                int count = Math.min(tile, input.positions() - from);
                input.gather(n, from, count, x);
                for (int t = 0; t < count; t++) {
                    applyRow(x, t * c, x, t * c, c, invT);
                }
                output.scatter(n, from, count, x);
            }
        }
    }

    /** Rows {@code [from, to)} of {@link #apply(FloatMatrix, FloatMatrix, double, int)}. */
    private void applyRows(FloatMatrix input, FloatMatrix output, double invT, int from, int to) {
        int cols = input.cols();
        float[] inScratch = input.hasArray() ? null : new float[cols];
        float[] outScratch = output.hasArray() ? null : new float[cols];
        for (int r = from; r < to; r++) {
            float[] x = input.row(r, inScratch);
            int xOff = input.rowOffset(r);
            if (outScratch == null) {
                applyRow(x, xOff, output.array(), output.rowOffset(r), cols, invT);
            } else {
                applyRow(x, xOff, outScratch, 0, cols, invT);
                output.copyRowFrom(r, outScratch, 0);
            }
        }
    }

    /**
     * Applies this activation to every row of {@code input}, writing double-precision results row-major into
     * {@code output} (at least {@code rows * cols} long), with no rounding to float: what evaluation metrics read, so
     * that they equal scikit-learn's on float64 probabilities computed from the same float32 model outputs (a
     * confidence within a float32 ulp of 1 stays below 1).
     *
     * @throws IllegalArgumentException if {@code output} is too short
     */
    public void applyToDoubles(FloatMatrix input, double[] output) {
        int rows = input.rows();
        int cols = input.cols();
        if (output.length < (long) rows * cols) {
            throw new IllegalArgumentException("output holds " + output.length + " values; expected at least "
                    + rows + " * " + cols);
        }
        float[] scratch = input.hasArray() ? null : new float[cols];
        for (int r = 0; r < rows; r++) {
            float[] x = input.row(r, scratch);
            int off = input.rowOffset(r);
            int o = r * cols;
            switch (this) {
                case SOFTMAX, LOG_SOFTMAX -> {
                    float m = KERNELS.max(x, off, cols);
                    double logSum = Kernels.logSumExpShiftedDouble(x, off, cols, m, 1.0);
                    for (int c = 0; c < cols; c++) {
                        double lp = (x[off + c] - (double) m) - logSum;
                        output[o + c] = this == SOFTMAX ? Math.exp(lp) : lp;
                    }
                }
                case SIGMOID -> {
                    for (int c = 0; c < cols; c++) {
                        output[o + c] = Kernels.sigmoid(x[off + c]);
                    }
                }
                case LOG_SIGMOID -> {
                    for (int c = 0; c < cols; c++) {
                        output[o + c] = Kernels.logSigmoid(x[off + c]);
                    }
                }
                case EXP -> {
                    for (int c = 0; c < cols; c++) {
                        output[o + c] = Math.exp(x[off + c]);
                    }
                }
                case NONE -> {
                    for (int c = 0; c < cols; c++) {
                        output[o + c] = x[off + c];
                    }
                }
            }
        }
    }

    /**
     * Applies this activation to one row {@code x[xOff .. xOff+n)} into {@code y[yOff .. yOff+n)} ({@code y} may be
     * {@code x} at the same offset).
     *
     * @param invT the inverse temperature {@code 1/T}
     */
    public void applyRow(float[] x, int xOff, float[] y, int yOff, int n, double invT) {
        switch (this) {
            case SOFTMAX -> KERNELS.softmax(x, xOff, y, yOff, n, invT);
            case LOG_SOFTMAX -> KERNELS.logSoftmax(x, xOff, y, yOff, n, invT);
            case SIGMOID -> KERNELS.sigmoid(x, xOff, y, yOff, n, invT);
            case LOG_SIGMOID -> KERNELS.logSigmoid(x, xOff, y, yOff, n, invT);
            case EXP -> KERNELS.exp(x, xOff, y, yOff, n);
            case NONE -> {
                if (x != y || xOff != yOff) {
                    System.arraycopy(x, xOff, y, yOff, n);
                }
            }
        }
    }

    private double inverseTemperature(double temperature) {
        Checks.positiveFinite(temperature, "temperature");
        if ((this == EXP || this == NONE) && temperature != 1.0) {
            throw new IllegalArgumentException(name() + " takes no temperature; found " + temperature
                    + ", expected 1 (a temperature scales logits, not probabilities)");
        }
        return 1.0 / temperature;
    }
}
