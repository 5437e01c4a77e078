package io.github.logits4j.metrics;

/**
 * A multi-label report's samples averages, named: each row's own precision, recall, F1, Jaccard index, average
 * precision, ROC AUC, NDCG and DCG over its labels, averaged over the rows with their weights; package-private.
 *
 * <pre>{@code
 * double f1 = samples.f1();
 * double recall = samples.prf(Prf.RECALL);
 * }</pre>
 */
record SamplesAveraged(double precision, double recall, double f1, double jaccard, double averagePrecision,
        double rocAuc, double ndcg, double dcg) {

    /** Precision, recall or F1 by {@link Prf}'s index. */
    double prf(int measure) {
        return switch (measure) {
            case Prf.PRECISION -> precision;
            case Prf.RECALL -> recall;
            case Prf.F -> f1;
            default -> throw new IllegalArgumentException("no samples average " + measure);
        };
    }
}
