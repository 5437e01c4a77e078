package io.github.logits4j.metrics;

/**
 * The averages of per-class (or per-label) scores that scikit-learn's rank metrics use; package-private.
 *
 * <pre>{@code
 * double macro = Means.mean(classAuc, null);
 * double weighted = Means.supportWeightedMean(classAuc, support);
 * }</pre>
 */
final class Means {
    private Means() {
    }

    /**
     * scikit-learn's support-weighted average of per-class scores: a class of zero support scores 0 (its NaN does not
     * spread), then {@code np.average}.
     */
    static double supportWeightedMean(double[] values, double[] support) {
        double total = 0.0;
        for (double w : support) {
            total += w;
        }
        if (Math.abs(total) <= 1e-8) {
            return 0.0;         // scikit-learn's _average_binary_score: np.isclose(total positive weight, 0) gives 0
        }
        double[] v = values.clone();
        for (int i = 0; i < v.length; i++) {
            if (support[i] == 0.0) {
                v[i] = 0.0;
            }
        }
        return mean(v, support);
    }

    /** The (weighted) mean, NaN-propagating, as {@code np.average}. */
    static double mean(double[] values, double[] weights) {
        double s = 0.0;
        double ws = 0.0;
        for (int i = 0; i < values.length; i++) {
            double w = weights == null ? 1.0 : weights[i];
            s += w * values[i];
            ws += w;
        }
        return s / ws;
    }
}
