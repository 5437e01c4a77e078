package io.github.logits4j.loss;

/**
 * How a loss reduces its per-sample (or per-element) values, as PyTorch's {@code reduction} argument.
 *
 * <pre>{@code
 * CrossEntropyLoss.builder().reduction(Reduction.SUM).build();
 * }</pre>
 *
 * <p>Reductions accumulate in double. Over an empty batch (or one where every target is ignored) {@link #MEAN} is NaN
 * and {@link #SUM} is 0, as in PyTorch.
 */
public enum Reduction {
    /** No reduction: use {@code computeEach}, which returns one value per sample or element. */
    NONE,
    /** The (weighted) mean; each loss documents its divisor. */
    MEAN,
    /** The sum. */
    SUM
}
