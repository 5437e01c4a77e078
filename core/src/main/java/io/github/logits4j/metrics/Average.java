package io.github.logits4j.metrics;

/**
 * How per-class (per-label) precision, recall and F1 are averaged, as scikit-learn's {@code average}.
 *
 * <pre>{@code
 * double f1 = report.f1(Average.MACRO);
 * }</pre>
 */
public enum Average {
    /** Pool the counts of every class, then divide. */
    MICRO,
    /** Unweighted mean over classes. */
    MACRO,
    /** Mean over classes weighted by support (the weight of their positives). */
    WEIGHTED,
    /** Mean over samples of the per-sample value (multi-label only). */
    SAMPLES;

    /** The lowercase name used in report keys ({@code "macro"}). */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
