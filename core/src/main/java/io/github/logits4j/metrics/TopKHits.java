package io.github.logits4j.metrics;

import io.github.logits4j.kernel.State;
import java.util.Arrays;

/**
 * Top-k accuracy's counts, scikit-learn's {@code top_k_accuracy_score}: a row is a hit for k when fewer than k classes
 * rank above its true class, ties ranking the higher index first; with two classes of probabilities scikit-learn
 * scores the rows as binary (class 1 when {@code p1 > 0.5}, a tie for class 0); package-private.
 *
 * <pre>{@code
 * TopKHits hits = new TopKHits(new int[] {1, 5});
 * hits.add(p, 0, classes, y, false, 1.0);
 * }</pre>
 */
final class TopKHits {
    private final int[] ks;
    private final double[] hits;

    TopKHits(int[] ks) {
        this.ks = ks;
        this.hits = new double[ks.length];
    }

    /** Adds one row of {@code classes} scores from {@code off} with its true class {@code y}. */
    void add(double[] p, int off, int classes, int y, boolean decisionValues, double w) {
        double py = p[off + y];
        int above = 0;
        if (classes == 2 && !decisionValues) {
            above = (p[off + 1] > 0.5 ? 1 : 0) == y ? 0 : 1;
        } else {
            for (int c = 0; c < classes; c++) {
                double v = p[off + c];
                if (v > py || (v == py && c > y)) {
                    above++;
                }
            }
        }
        for (int i = 0; i < ks.length; i++) {
            if (above < ks[i]) {
                hits[i] += w;
            }
        }
    }

    boolean sameKs(TopKHits other) {
        return Arrays.equals(other.ks, ks);
    }

    void merge(TopKHits other) {
        for (int i = 0; i < hits.length; i++) {
            hits[i] += other.hits[i];
        }
    }

    void exchange(State s) {
        s.add(hits);
    }

    int[] ks() {
        return ks.clone();
    }

    double[] hits() {
        return hits.clone();
    }

    @Override
    public String toString() {
        return Arrays.toString(ks);
    }
}
