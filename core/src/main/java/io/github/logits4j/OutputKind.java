package io.github.logits4j;

/**
 * What a classifier's output scores are: raw logits, probabilities, or log-probabilities. Losses and decision rules
 * take it from the caller (or, in the ONNX adapter, from the model graph) and never guess it from the values.
 *
 * <pre>{@code
 * CrossEntropyLoss ce = CrossEntropyLoss.builder().input(OutputKind.PROBABILITIES).build();
 * }</pre>
 */
public enum OutputKind {
    /** Unnormalised scores; softmax (multi-class) or sigmoid (multi-label, binary) turns them into probabilities. */
    LOGITS,
    /** Probabilities in [0, 1]: softmax rows for multi-class, independent sigmoid outputs otherwise. */
    PROBABILITIES,
    /** Natural logarithms of probabilities, in [-inf, 0] (what a LogSoftmax head emits). */
    LOG_PROBABILITIES
}
