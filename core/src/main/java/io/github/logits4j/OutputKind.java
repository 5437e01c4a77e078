package io.github.logits4j;

import java.util.Locale;

/**
 * What a classifier's output scores are: raw logits, probabilities, or log-probabilities. Losses and decision rules
 * take it from the caller (or, in the ONNX adapter, from the model graph) and never guess it from the values.
 *
 * <pre>{@code
 * CrossEntropyLoss ce = CrossEntropyLoss.builder().input(OutputKind.PROBABILITIES).build();
 * OutputKind k = OutputKind.parse("log-probabilities");   // LOG_PROBABILITIES
 * String id = OutputKind.LOG_PROBABILITIES.id();          // "log_probabilities"
 * }</pre>
 */
public enum OutputKind {
    /** Unnormalised scores; softmax (multi-class) or sigmoid (multi-label, binary) turns them into probabilities. */
    LOGITS,
    /** Probabilities in [0, 1]: softmax rows for multi-class, independent sigmoid outputs otherwise. */
    PROBABILITIES,
    /** Natural logarithms of probabilities, in [-inf, 0] (what a LogSoftmax head emits). */
    LOG_PROBABILITIES,
    /**
     * Raw decision values: SVM margins, ridge or perceptron scores (what an ai.onnx.ml {@code LinearClassifier} with
     * post_transform NONE emits). They rank the classes (argmax, top-k and the hinge loss hold) but are not logits: no
     * softmax, probability, cross-entropy or calibration may be computed from them. Losses and probability-reading
     * decisions refuse them.
     */
    DECISION_VALUES;

    /**
     * Checks that {@code kind} can be turned into probabilities, for an operation that needs them.
     *
     * @param what the operation, for the message ({@code "CrossEntropyLoss"})
     * @return {@code kind}
     * @throws IllegalArgumentException for {@link #DECISION_VALUES}
     */
    public static OutputKind requireProbabilistic(OutputKind kind, String what) {
        if (kind == DECISION_VALUES) {
            throw new IllegalArgumentException(what + " reads logits, probabilities or log-probabilities; decision values"
                    + " (SVM margins, ridge or perceptron scores) have no probabilities. Declare logits only for a model"
                    + " trained with a log loss");
        }
        return kind;
    }

    /**
     * The lowercase name used in reports and metadata: {@code logits}, {@code probabilities}, {@code log_probabilities},
     * {@code decision_values}.
     */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind named {@code text}: {@code logits}, {@code probabilities} (or {@code probs}), {@code log_probabilities}
     * (or {@code log_probs}), {@code decision_values}, in any case, with {@code -} or {@code _} between words. The library (model metadata,
     * settings) and the command line both read kinds with this method.
     *
     * @throws IllegalArgumentException naming the text and the accepted names
     */
    public static OutputKind parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        switch (t) {
            case "logits":
                return LOGITS;
            case "probabilities":
            case "probs":
                return PROBABILITIES;
            case "log_probabilities":
            case "log_probs":
                return LOG_PROBABILITIES;
            case "decision_values":
                return DECISION_VALUES;
            default:
                throw new IllegalArgumentException("output kind is '" + text
                        + "'; expected logits, probabilities, log_probabilities or decision_values");
        }
    }
}
