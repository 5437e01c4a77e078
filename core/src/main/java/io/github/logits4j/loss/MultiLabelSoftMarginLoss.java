package io.github.logits4j.loss;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;
import io.github.logits4j.kernel.Checks;
import java.util.Objects;

/**
 * Multi-label soft-margin loss, as {@code torch.nn.functional.multilabel_soft_margin_loss}:
 * {@code l_n = (1/C) sum_c -w_c [y logsigmoid(x) + (1-y) logsigmoid(-x)]}, MEAN over the N samples. Unweighted it
 * equals the mean of {@link BinaryCrossEntropyLoss} over logits.
 *
 * <pre>{@code
 * MultiLabelSoftMarginLoss loss = MultiLabelSoftMarginLoss.builder().build();
 * double value = loss.compute(logits, targets);       // targets: [N x C] of 0/1
 * }</pre>
 *
 * <p>Over probabilities or log-probabilities the log terms are {@code max(log p, -100)} and
 * {@code max(log(1-p), -100)}, as in {@link BinaryCrossEntropyLoss}. An empty batch has MEAN NaN. Immutable and safe
 * to share between threads.
 */
public final class MultiLabelSoftMarginLoss {
    private final OutputKind input;
    private final double[] classWeights;
    private final Reduction reduction;

    private MultiLabelSoftMarginLoss(Builder b) {
        this.input = b.input;
        this.classWeights = b.classWeights;
        this.reduction = b.reduction;
    }

    /** A builder with PyTorch's defaults: logits, no weights, MEAN. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The reduced loss over the N samples.
     *
     * @throws IllegalArgumentException on a shape mismatch or a value outside [0, 1] where one is required
     * @throws IllegalStateException if the reduction is {@link Reduction#NONE}
     */
    public double compute(FloatMatrix scores, FloatMatrix targets) {
        double[] each = computeEach(scores, targets);
        double sum = 0.0;
        for (double v : each) {
            sum += v;
        }
        return LossMath.reduce(reduction, sum, each.length);
    }

    /** The per-sample losses, length N, whatever the reduction. */
    public double[] computeEach(FloatMatrix scores, FloatMatrix targets) {
        Objects.requireNonNull(targets, "targets");
        scores.requireSameShape(targets, "targets");
        int rows = scores.rows();
        int cols = scores.cols();
        if (classWeights != null) {
            Checks.requireLength(classWeights, cols, "class weights");
        }
        if (input == OutputKind.PROBABILITIES) {
            Checks.requireProbabilities(scores, "input");
        }
        Checks.requireProbabilities(targets, "targets");
        float[] xScratch = scores.hasArray() ? null : new float[cols];
        float[] yScratch = targets.hasArray() ? null : new float[cols];
        double[] terms = new double[2];
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            float[] x = scores.row(r, xScratch);
            int xOff = scores.rowOffset(r);
            float[] y = targets.row(r, yScratch);
            int yOff = targets.rowOffset(r);
            double rowSum = 0.0;
            for (int c = 0; c < cols; c++) {
                LossMath.binaryLogTerms(input, Semantics.PYTORCH, x[xOff + c], terms);
                double yc = y[yOff + c];
                double loss = -(yc * terms[0] + (1.0 - yc) * terms[1]);
                rowSum += classWeights == null ? loss : loss * classWeights[c];
            }
            out[r] = rowSum / cols;
        }
        return out;
    }

    /** The reduction {@link #compute} applies. */
    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String toString() {
        return "MultiLabelSoftMarginLoss[input=" + input + ", reduction=" + reduction + ", classWeights="
                + (classWeights != null) + "]";
    }

    /**
     * Configures a {@link MultiLabelSoftMarginLoss}; setters validate at once.
     *
     * <pre>{@code
     * MultiLabelSoftMarginLoss l = MultiLabelSoftMarginLoss.builder().reduction(Reduction.SUM).build();
     * }</pre>
     */
    public static final class Builder {
        private OutputKind input = OutputKind.LOGITS;
        private double[] classWeights;
        private Reduction reduction = Reduction.MEAN;

        private Builder() {
        }

        /** What the scores are (default {@link OutputKind#LOGITS}). */
        public Builder input(OutputKind kind) {
            this.input = OutputKind.requireProbabilistic(Objects.requireNonNull(kind, "input kind"), "MultiLabelSoftMarginLoss");
            return this;
        }

        /** A weight per class, finite and {@code >= 0} (default: all 1). */
        public Builder classWeights(double[] weights) {
            this.classWeights = Checks.nonNegativeFinite(Objects.requireNonNull(weights, "class weights"),
                    "class weights");
            return this;
        }

        /** The reduction (default {@link Reduction#MEAN}). */
        public Builder reduction(Reduction reduction) {
            this.reduction = Objects.requireNonNull(reduction, "reduction");
            return this;
        }

        /** Builds the loss. */
        public MultiLabelSoftMarginLoss build() {
            return new MultiLabelSoftMarginLoss(this);
        }
    }
}
