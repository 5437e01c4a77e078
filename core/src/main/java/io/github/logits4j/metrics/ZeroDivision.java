package io.github.logits4j.metrics;

/**
 * What a ratio is when its denominator is 0 (precision with nothing predicted, recall with no positives), as
 * scikit-learn's {@code zero_division}: 0 (sklearn's default, which warns), 1, or NaN. NaN entries are left out of
 * macro, weighted and samples averages, as sklearn does.
 *
 * <pre>{@code
 * MulticlassMetrics.builder(10).zeroDivision(ZeroDivision.NAN).build();
 * }</pre>
 */
public enum ZeroDivision {
    /** 0/0 is 0; the default, as scikit-learn's {@code zero_division="warn"}. */
    ZERO(0.0),
    /** 0/0 is 1. */
    ONE(1.0),
    /** 0/0 is NaN, and NaN entries are dropped from averages. */
    NAN(Double.NaN);

    private final double value;

    ZeroDivision(double value) {
        this.value = value;
    }

    /** The value 0/0 takes. */
    public double value() {
        return value;
    }

    /** {@code num / den}, or this policy's value when {@code den == 0}. */
    public double divide(double num, double den) {
        return den == 0.0 ? value : num / den;
    }
}
