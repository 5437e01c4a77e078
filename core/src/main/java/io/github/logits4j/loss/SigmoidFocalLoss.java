package io.github.logits4j.loss;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;
import io.github.logits4j.kernel.Checks;
import java.util.Objects;

/**
 * Sigmoid focal loss (Lin et al. 2017) exactly as {@code torchvision.ops.sigmoid_focal_loss}: {@code p = sigmoid(x)},
 * {@code ce = BCEWithLogits(x, y)}, {@code p_t = p y + (1-p)(1-y)}, {@code loss = ce (1 - p_t)^gamma}, then, when
 * {@code alpha >= 0}, {@code loss *= alpha y + (1-alpha)(1-y)}. {@code alpha = -1} disables the weighting;
 * {@code 0^0 = 1}. The default reduction is {@link Reduction#NONE}, as torchvision's; MEAN divides by N·C.
 *
 * <pre>{@code
 * SigmoidFocalLoss focal = SigmoidFocalLoss.builder().alpha(0.25).gamma(2.0).reduction(Reduction.MEAN).build();
 * double loss = focal.compute(logits, targets);
 * }</pre>
 *
 * <p>Over probabilities, {@code ce} uses PyTorch's clamped logs ({@code max(log p, -100)}). Immutable and safe to
 * share between threads.
 */
public final class SigmoidFocalLoss {
    private final OutputKind input;
    private final double alpha;
    private final double gamma;
    private final Reduction reduction;

    private SigmoidFocalLoss(Builder b) {
        this.input = b.input;
        this.alpha = b.alpha;
        this.gamma = b.gamma;
        this.reduction = b.reduction;
    }

    /** A builder with torchvision's defaults: logits, alpha 0.25, gamma 2, reduction NONE. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The reduced loss over all N·C elements.
     *
     * @throws IllegalStateException if the reduction is {@link Reduction#NONE} (the default)
     */
    public double compute(FloatMatrix scores, FloatMatrix targets) {
        if (reduction == Reduction.NONE) {
            LossMath.reduce(reduction, 0, 0);
        }
        double[] each = computeEach(scores, targets);
        double sum = 0.0;
        for (double v : each) {
            sum += v;
        }
        return LossMath.reduce(reduction, sum, each.length);
    }

    /** The per-element losses, row-major {@code [N × C]}, whatever the reduction. */
    public double[] computeEach(FloatMatrix scores, FloatMatrix targets) {
        Objects.requireNonNull(targets, "targets");
        scores.requireSameShape(targets, "targets");
        int rows = scores.rows();
        int cols = scores.cols();
        if (input == OutputKind.PROBABILITIES) {
            Checks.requireProbabilities(scores, "input");
        }
        Checks.requireProbabilities(targets, "targets");
        float[] xScratch = scores.hasArray() ? null : new float[cols];
        float[] yScratch = targets.hasArray() ? null : new float[cols];
        double[] terms = new double[2];
        double[] out = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            float[] x = scores.row(r, xScratch);
            int xOff = scores.rowOffset(r);
            float[] y = targets.row(r, yScratch);
            int yOff = targets.rowOffset(r);
            for (int c = 0; c < cols; c++) {
                float v = x[xOff + c];
                double yc = y[yOff + c];
                double ce;
                if (input == OutputKind.LOGITS) {
                    ce = LossMath.bceWithLogits(v, yc, 1.0);
                } else {
                    LossMath.binaryLogTerms(input, Semantics.PYTORCH, v, terms);
                    ce = -(yc * terms[0] + (1.0 - yc) * terms[1]);
                }
                double p = LossMath.probability(input, v);
                double pt = p * yc + (1.0 - p) * (1.0 - yc);
                double loss = ce * Math.pow(1.0 - pt, gamma);
                if (alpha >= 0) {
                    loss *= alpha * yc + (1.0 - alpha) * (1.0 - yc);
                }
                out[r * cols + c] = loss;
            }
        }
        return out;
    }

    /** The reduction {@link #compute} applies. */
    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String toString() {
        return "SigmoidFocalLoss[input=" + input + ", alpha=" + alpha + ", gamma=" + gamma + ", reduction="
                + reduction + "]";
    }

    /**
     * Configures a {@link SigmoidFocalLoss}; setters validate at once.
     *
     * <pre>{@code
     * SigmoidFocalLoss f = SigmoidFocalLoss.builder().alpha(-1).gamma(1.5).reduction(Reduction.SUM).build();
     * }</pre>
     */
    public static final class Builder {
        private OutputKind input = OutputKind.LOGITS;
        private double alpha = 0.25;
        private double gamma = 2.0;
        private Reduction reduction = Reduction.NONE;

        private Builder() {
        }

        /** What the scores are (default {@link OutputKind#LOGITS}). */
        public Builder input(OutputKind kind) {
            this.input = OutputKind.requireProbabilistic(Objects.requireNonNull(kind, "input kind"), "SigmoidFocalLoss");
            return this;
        }

        /** The positive-class weight in [0, 1], or -1 for none (default 0.25). */
        public Builder alpha(double alpha) {
            if (!(alpha >= 0.0 && alpha <= 1.0) && alpha != -1.0) {
                throw new IllegalArgumentException("alpha must be in [0, 1], or -1 to disable it; found " + alpha);
            }
            this.alpha = alpha;
            return this;
        }

        /** The focusing exponent, finite and {@code >= 0} (default 2). */
        public Builder gamma(double gamma) {
            if (!(gamma >= 0.0 && gamma < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("gamma must be finite and >= 0; found " + gamma);
            }
            this.gamma = gamma;
            return this;
        }

        /** The reduction (default {@link Reduction#NONE}, as torchvision). */
        public Builder reduction(Reduction reduction) {
            this.reduction = Objects.requireNonNull(reduction, "reduction");
            return this;
        }

        /** Builds the loss. */
        public SigmoidFocalLoss build() {
            return new SigmoidFocalLoss(this);
        }
    }
}
