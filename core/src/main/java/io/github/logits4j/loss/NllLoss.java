package io.github.logits4j.loss;

import io.github.logits4j.DenseScores;
import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;

/**
 * Negative log-likelihood over log-probabilities, as {@code torch.nn.functional.nll_loss}: the loss to use after a
 * LogSoftmax head. {@code l_n = -w[y_n] x[n, y_n]}, 0 where {@code y_n == ignoreIndex}; MEAN divides by
 * {@code sum_n w[y_n]} over the non-ignored rows. No clamping is applied to the log-probabilities.
 *
 * <pre>{@code
 * NllLoss nll = NllLoss.builder().ignoreIndex(0).build();
 * double loss = nll.compute(logProbabilities, new int[] {1, 0, 2});
 * }</pre>
 *
 * <p>It is {@link CrossEntropyLoss} over {@link OutputKind#LOG_PROBABILITIES} without label smoothing, and shares
 * its kernel and validation. Immutable and safe to share between threads.
 */
public final class NllLoss {
    private final CrossEntropyLoss loss;

    private NllLoss(CrossEntropyLoss loss) {
        this.loss = loss;
    }

    /** A builder with PyTorch's defaults: no weights, ignore index -100, MEAN. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The reduced loss.
     *
     * @param logProbabilities {@code [N × C]} log-probabilities
     * @param targets N class indices in {@code [0, C)} or the ignore index
     * @throws IllegalArgumentException if a target is out of range or the shapes do not match
     * @throws IllegalStateException if the reduction is {@link Reduction#NONE}
     */
    public double compute(FloatMatrix logProbabilities, int[] targets) {
        return loss.compute(logProbabilities, targets);
    }

    /**
     * The reduced loss over dense log-probabilities ({@code [N, C, d1..dk]} or {@code [N, d1..dk, C]}), one target
     * per position, as {@code F.nll_loss} on K-dimensional input (see {@link CrossEntropyLoss#compute(DenseScores,
     * int[])}).
     */
    public double compute(DenseScores logProbabilities, int[] targets) {
        return loss.compute(logProbabilities, targets);
    }

    /** The loss at every position (0 where ignored), row-major {@code [N, d1..dk]}. */
    public double[] computeEach(DenseScores logProbabilities, int[] targets) {
        return loss.computeEach(logProbabilities, targets);
    }

    /** The per-sample losses (0 for ignored rows), whatever the reduction. */
    public double[] computeEach(FloatMatrix logProbabilities, int[] targets) {
        return loss.computeEach(logProbabilities, targets);
    }

    /** The reduction {@link #compute} applies. */
    public Reduction reduction() {
        return loss.reduction();
    }

    @Override
    public String toString() {
        return loss.toString().replace("CrossEntropyLoss", "NllLoss");
    }

    /**
     * Configures an {@link NllLoss}; setters validate at once.
     *
     * <pre>{@code
     * NllLoss nll = NllLoss.builder().classWeights(new double[] {1, 2, 1}).reduction(Reduction.SUM).build();
     * }</pre>
     */
    public static final class Builder {
        private final CrossEntropyLoss.Builder ce = CrossEntropyLoss.builder().input(OutputKind.LOG_PROBABILITIES);

        private Builder() {
        }

        /** One weight per class, finite and {@code >= 0} (default: all 1). */
        public Builder classWeights(double[] weights) {
            ce.classWeights(weights);
            return this;
        }

        /** The target value whose rows contribute nothing (default -100). */
        public Builder ignoreIndex(int index) {
            ce.ignoreIndex(index);
            return this;
        }

        /** The reduction (default {@link Reduction#MEAN}). */
        public Builder reduction(Reduction reduction) {
            ce.reduction(reduction);
            return this;
        }

        /** Builds the loss. */
        public NllLoss build() {
            return new NllLoss(ce.build());
        }
    }
}
