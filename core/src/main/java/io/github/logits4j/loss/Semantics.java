package io.github.logits4j.loss;

/**
 * Whose definition of a loss to follow where the libraries differ. PyTorch is the default; Keras 3 changes the
 * probability-input path only (from_logits=False): it clips probabilities to {@code [1e-7, 1 - 1e-7]} in float32 where
 * PyTorch clamps {@code log p} at -100, and categorical cross-entropy first renormalises each row to sum to 1. From
 * logits both agree.
 *
 * <pre>{@code
 * CrossEntropyLoss keras = CrossEntropyLoss.builder()
 *         .input(OutputKind.PROBABILITIES)
 *         .semantics(Semantics.KERAS)
 *         .build();
 * }</pre>
 */
public enum Semantics {
    /** PyTorch 2.x ({@code torch.nn.functional}); the default. */
    PYTORCH,
    /** Keras 3 ({@code keras.losses}, any backend; float32 clipping with epsilon 1e-7). */
    KERAS
}
