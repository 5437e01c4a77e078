package io.github.logits4j.loss;

import io.github.logits4j.DenseScores;
import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;
import io.github.logits4j.kernel.Checks;
import io.github.logits4j.kernel.Kernels;
import io.github.logits4j.kernel.Parallel;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Binary cross-entropy for binary and multi-label outputs: {@code torch.nn.functional.binary_cross_entropy_with_logits}
 * over logits (the default), {@code binary_cross_entropy} over probabilities, with per-class weights and
 * {@code pos_weight}; Keras 3's {@code binary_crossentropy} with {@link Semantics#KERAS}.
 *
 * <pre>{@code
 * BinaryCrossEntropyLoss bce = BinaryCrossEntropyLoss.builder()
 *         .posWeight(new double[] {3.0, 1.0, 1.0})
 *         .build();                                 // logits in, mean over all elements
 * double loss = bce.compute(logits, targets);       // targets: [N x C] of 0/1 (or soft labels in [0, 1])
 * }</pre>
 *
 * <p><b>Definition</b> (per element, x input, y target, w class weight, pw pos_weight, both broadcast along the class
 * axis). Logits, as PyTorch computes it: {@code l = w [(1-y) x - (1 + (pw-1) y) logsigmoid(x)]}, no clamping
 * ({@code x = -100, y = 1} gives 100). Probabilities: {@code l = -w [pw y max(log p, -100) + (1-y) max(log(1-p), -100)]}
 * (PyTorch's clamp: {@code p = 0, y = 1} gives 100; PyTorch's own BCE has no pos_weight, this extends it the way the
 * logits form does). Log-probabilities: as probabilities with {@code log p = x}. MEAN divides by the number of
 * elements N·C (not by the weights); an empty batch gives NaN.
 *
 * <p><b>Keras semantics</b>: probabilities are clipped to {@code [1e-7, 1 - 1e-7]} in float32 first ({@code p = 0,
 * y = 1} gives 16.118096), label smoothing maps {@code y -> y(1-ls) + 0.5 ls}, and the per-sample loss
 * ({@link #computePerSample}) is the mean over the class axis; no weights or pos_weight.
 *
 * <p>Non-finite logits follow PyTorch: {@code (+inf, y=1)} gives NaN, {@code (+inf, 0)} +inf, {@code (-inf, y)} NaN.
 * Probabilities must lie in [0, 1] and targets in [0, 1], else an {@link IllegalArgumentException} names the row and
 * column. Immutable and safe to share between threads.
 */
public final class BinaryCrossEntropyLoss {
    private static final Kernels KERNELS = Kernels.get();

    private final OutputKind input;
    private final double[] classWeights;
    private final double[] posWeight;
    private final double labelSmoothing;
    private final Reduction reduction;
    private final Semantics semantics;
    private final int parallelism;
    /** Elements below which a parallel loss stays on one thread. */
    private static final int PARALLEL_MIN_ELEMENTS = 1 << 16;

    private BinaryCrossEntropyLoss(Builder b) {
        this.input = b.input;
        this.classWeights = b.classWeights;
        this.posWeight = b.posWeight;
        this.labelSmoothing = b.labelSmoothing;
        this.reduction = b.reduction;
        this.semantics = b.semantics;
        this.parallelism = b.parallelism;
    }

    /** A builder with PyTorch's defaults: logits, no weights, no pos_weight, MEAN. */
    public static Builder builder() {
        return new Builder();
    }

    /** The kind of input this loss reads. */
    public OutputKind input() {
        return input;
    }

    /** The reduction {@link #compute} applies. */
    public Reduction reduction() {
        return reduction;
    }

    /**
     * The reduced loss: the sum or the mean over all N·C elements.
     *
     * @param scores {@code [N × C]} input of this loss's kind
     * @param targets {@code [N × C]} targets in [0, 1]
     * @throws IllegalArgumentException on a shape mismatch or a value outside [0, 1] where one is required
     * @throws IllegalStateException if the reduction is {@link Reduction#NONE}
     */
    public double compute(FloatMatrix scores, FloatMatrix targets) {
        double sum = evaluate(scores, targets, null, null);
        return LossMath.reduce(reduction, sum, (double) scores.size());
    }

    /** The per-element losses, row-major {@code [N × C]}, whatever the reduction. */
    public double[] computeEach(FloatMatrix scores, FloatMatrix targets) {
        double[] out = new double[scores.size()];
        evaluate(scores, targets, out, null);
        return out;
    }

    /**
     * The reduced loss over dense masks (multi-label segmentation: a sigmoid per class at every position), the sum or
     * the mean over all elements; class weights and {@code pos_weight} apply along the class axis (in PyTorch, a
     * weight of shape {@code [C, 1, ..., 1]} on {@code [N, C, d..]} input, or {@code [C]} on {@code [N, d.., C]}).
     *
     * <pre>{@code
     * double loss = BinaryCrossEntropyLoss.builder().posWeight(pw).build().compute(maskLogits, maskTargets);
     * }</pre>
     *
     * @throws IllegalArgumentException on a shape mismatch or a value outside [0, 1] where one is required
     * @throws IllegalStateException if the reduction is {@link Reduction#NONE}
     */
    public double compute(DenseScores scores, DenseScores targets) {
        double sum = evaluate(scores, targets, null);
        return LossMath.reduce(reduction, sum, (double) scores.rows() * scores.classes());
    }

    /** The per-element losses of dense masks, in the tensor's own order, whatever the reduction. */
    public double[] computeEach(DenseScores scores, DenseScores targets) {
        double[] out = new double[Math.toIntExact(scores.rows() * scores.classes())];
        evaluate(scores, targets, out);
        return out;
    }

    /** A tile of positions at a time as rows of classes, so that the per-class weights meet their classes. */
    private double evaluate(DenseScores scores, DenseScores targets, double @Nullable [] each) {
        Objects.requireNonNull(targets, "targets");
        scores.requireSameShape(targets, "targets");
        int c = scores.classes();
        int p = scores.positions();
        int tile = DenseScores.tilePositions(c);
        float[] x = new float[tile * c];
        float[] y = new float[tile * c];
        double[] part = each == null ? null : new double[tile * c];
        double total = 0.0;
        for (int n = 0; n < scores.samples(); n++) {
            for (int from = 0; from < p; from += tile) {
                int count = Math.min(tile, p - from);
                scores.gather(n, from, count, x);
                targets.gather(n, from, count, y);
                try {
                    total += evaluate(FloatMatrix.wrap(x, 0, count, c), FloatMatrix.wrap(y, 0, count, c), part, null);
                } catch (IllegalArgumentException e) {
                    // a value out of [0, 1]: named by sample, position and class rather than by the tile's row
                    if (input == OutputKind.PROBABILITIES) {
                        Checks.requireProbabilities(scores, "input");
                    }
                    Checks.requireProbabilities(targets, "targets");
                    throw e;
                }
                if (each != null) {
                    for (int t = 0; t < count; t++) {
                        for (int k = 0; k < c; k++) {
                            each[n * p * c + scores.index(k, from + t)] = part[t * c + k];
                        }
                    }
                }
            }
        }
        return total;
    }

    /** The per-sample losses, the mean over the class axis (Keras' {@code binary_crossentropy}), length N. */
    public double[] computePerSample(FloatMatrix scores, FloatMatrix targets) {
        double[] out = new double[scores.rows()];
        evaluate(scores, targets, null, out);
        return out;
    }

    private double evaluate(FloatMatrix scores, FloatMatrix targets, double[] each, double[] perSample) {
        Objects.requireNonNull(targets, "targets");
        scores.requireSameShape(targets, "targets");
        int rows = scores.rows();
        int cols = scores.cols();
        if (classWeights != null) {
            Checks.requireLength(classWeights, cols, "class weights");
        }
        if (posWeight != null) {
            Checks.requireLength(posWeight, cols, "pos_weight");
        }
        if (input == OutputKind.PROBABILITIES) {
            Checks.requireProbabilities(scores, "input");
        }
        Checks.requireProbabilities(targets, "targets");
        if (parallelism > 1) {
            // row sums on several threads, added here in row order: the one-thread total, bit for bit
            double[] rowSums = new double[rows];
            Parallel.forRanges(parallelism, rows, Math.max(1, PARALLEL_MIN_ELEMENTS / Math.max(1, cols)),
                    (from, to) -> rowRange(scores, targets, from, to, each, perSample, rowSums));
            double total = 0.0;
            for (double v : rowSums) {
                total += v;
            }
            return total;
        }
        return rowRange(scores, targets, 0, rows, each, perSample, null);
    }

    /**
     * The losses of rows {@code [from, to)}: each element's into {@code each}, each row's mean into
     * {@code perSample}, each row's sum into {@code rowSums} (any may be null); returns the sum over the rows.
     */
    private double rowRange(FloatMatrix scores, FloatMatrix targets, int from, int to, double[] each,
            double[] perSample, double[] rowSums) {
        int cols = scores.cols();
        float[] xScratch = scores.hasArray() ? null : new float[cols];
        float[] yScratch = targets.hasArray() ? null : new float[cols];
        double total = 0.0;
        if (input == OutputKind.LOGITS && posWeight == null && classWeights == null && labelSmoothing == 0.0
                && each == null && perSample == null) {
            for (int r = from; r < to; r++) {       // the common case, one fused kernel per row
                double rowSum = KERNELS.bceWithLogitsSum(scores.row(r, xScratch), scores.rowOffset(r),
                        targets.row(r, yScratch), targets.rowOffset(r), cols);
                if (rowSums != null) {
                    rowSums[r] = rowSum;
                }
                total += rowSum;
            }
            return total;
        }
        double[] terms = new double[2];
        double keep = 1.0 - labelSmoothing;
        double spread = 0.5 * labelSmoothing;
        for (int r = from; r < to; r++) {
            float[] x = scores.row(r, xScratch);
            int xOff = scores.rowOffset(r);
            float[] y = targets.row(r, yScratch);
            int yOff = targets.rowOffset(r);
            double rowSum = 0.0;
            for (int c = 0; c < cols; c++) {
                double yc = labelSmoothing == 0.0 ? y[yOff + c] : y[yOff + c] * keep + spread;
                double pw = posWeight == null ? 1.0 : posWeight[c];
                float v = x[xOff + c];
                double loss;
                if (input == OutputKind.LOGITS) {
                    loss = LossMath.bceWithLogits(v, yc, pw);
                } else {
                    LossMath.binaryLogTerms(input, semantics, v, terms);
                    loss = -(pw * yc * terms[0] + (1.0 - yc) * terms[1]);
                }
                if (classWeights != null) {
                    loss *= classWeights[c];
                }
                if (each != null) {
                    each[r * cols + c] = loss;
                }
                rowSum += loss;
            }
            if (perSample != null) {
                perSample[r] = rowSum / cols;
            }
            if (rowSums != null) {
                rowSums[r] = rowSum;
            }
            total += rowSum;
        }
        return total;
    }

    @Override
    public String toString() {
        return "BinaryCrossEntropyLoss[input=" + input + ", semantics=" + semantics + ", reduction=" + reduction
                + ", labelSmoothing=" + labelSmoothing + ", classWeights=" + (classWeights != null)
                + ", posWeight=" + (posWeight != null) + "]";
    }

    /**
     * Configures a {@link BinaryCrossEntropyLoss}; setters validate at once, {@link #build()} the combination.
     *
     * <pre>{@code
     * BinaryCrossEntropyLoss bce = BinaryCrossEntropyLoss.builder().posWeight(new double[] {3.0}).build();
     * }</pre>
     */
    public static final class Builder {
        private OutputKind input = OutputKind.LOGITS;
        private double[] classWeights;
        private double[] posWeight;
        private double labelSmoothing;
        private Reduction reduction = Reduction.MEAN;
        private Semantics semantics = Semantics.PYTORCH;

        private int parallelism = 1;

        private Builder() {
        }

        /**
         * Threads for large matrices (default 1: the calling thread only): the calling one and the common fork-join
         * pool, each on a contiguous range of rows, the row sums added in row order, so the result equals one
         * thread's bit for bit.
         *
         * @throws IllegalArgumentException if {@code threads < 1}
         */
        public Builder parallelism(int threads) {
            this.parallelism = Parallel.check(threads);
            return this;
        }

        /** What the scores are (default {@link OutputKind#LOGITS}). */
        public Builder input(OutputKind kind) {
            this.input = OutputKind.requireProbabilistic(Objects.requireNonNull(kind, "input kind"), "BinaryCrossEntropyLoss");
            return this;
        }

        /** A weight per class (PyTorch's {@code weight} broadcast along the class axis), finite and {@code >= 0}. */
        public Builder classWeights(double[] weights) {
            this.classWeights = Checks.nonNegativeFinite(Objects.requireNonNull(weights, "class weights"),
                    "class weights");
            return this;
        }

        /** PyTorch's {@code pos_weight}: a weight on the positive term per class, finite and {@code >= 0}. */
        public Builder posWeight(double[] weights) {
            this.posWeight = Checks.nonNegativeFinite(Objects.requireNonNull(weights, "pos_weight"), "pos_weight");
            return this;
        }

        /** Label smoothing in [0, 1], Keras' form {@code y(1-ls) + 0.5 ls} (default 0). */
        public Builder labelSmoothing(double smoothing) {
            this.labelSmoothing = LossMath.checkSmoothing(smoothing);
            return this;
        }

        /** The reduction (default {@link Reduction#MEAN}). */
        public Builder reduction(Reduction reduction) {
            this.reduction = Objects.requireNonNull(reduction, "reduction");
            return this;
        }

        /** Whose definition to follow (default {@link Semantics#PYTORCH}). */
        public Builder semantics(Semantics semantics) {
            this.semantics = Objects.requireNonNull(semantics, "semantics");
            return this;
        }

        /**
         * Builds the loss.
         *
         * @throws IllegalArgumentException if Keras semantics are combined with class weights or pos_weight
         */
        public BinaryCrossEntropyLoss build() {
            if (semantics == Semantics.KERAS && (classWeights != null || posWeight != null)) {
                throw new IllegalArgumentException("Keras semantics take no class weights or pos_weight"
                        + " (use PyTorch semantics for weighted binary cross-entropy)");
            }
            return new BinaryCrossEntropyLoss(this);
        }
    }
}
