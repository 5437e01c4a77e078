package io.github.logits4j.decision;

/**
 * How a score is compared with a threshold. scikit-learn's tools use {@code score >= t} ({@link #AT_LEAST}, the
 * default everywhere in logits4j); torchmetrics and Keras use {@code score > t} ({@link #GREATER}). The comparison is
 * made in float32, as numpy and PyTorch compare a float32 array with a Python float. A threshold tuned for one rule
 * and applied with the other flips the samples whose score equals it.
 *
 * <pre>{@code
 * Comparison.AT_LEAST.passes(0.5f, 0.5f);   // true
 * Comparison.GREATER.passes(0.5f, 0.5f);    // false
 * }</pre>
 */
public enum Comparison {
    /** {@code score >= threshold}; the default. */
    AT_LEAST(">="),
    /** {@code score > threshold}. */
    GREATER(">");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    /** The operator, {@code ">="} or {@code ">"}. */
    public String symbol() {
        return symbol;
    }

    /** Whether {@code score} passes {@code threshold} under this comparison. */
    public boolean passes(float score, float threshold) {
        return this == AT_LEAST ? score >= threshold : score > threshold;
    }

    /**
     * The comparison written as {@code symbol}.
     *
     * @throws IllegalArgumentException if the symbol is neither {@code ">="} nor {@code ">"}
     */
    public static Comparison of(String symbol) {
        for (Comparison c : values()) {
            if (c.symbol.equals(symbol)) {
                return c;
            }
        }
        throw new IllegalArgumentException("comparison is '" + symbol + "'; expected '>=' or '>'");
    }
}
