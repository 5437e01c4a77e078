package io.github.logits4j.metrics;

import io.github.logits4j.decision.DecisionThresholds;
import io.github.logits4j.kernel.State;
import java.util.Arrays;

/**
 * The confusion counts of a multi-label evaluation: per label, the weights of true and false positives and
 * negatives at the label's threshold, and the weights of wrong labels and of rows with every label right; the counts
 * of the row just added stay readable for the per-row metrics; package-private.
 *
 * <pre>{@code
 * LabelCounts counts = new LabelCounts(4, DecisionThresholds.DEFAULT);
 * counts.add(p, 0, y, 0, 1.0);
 * double rowTp = counts.rowTp;
 * }</pre>
 */
final class LabelCounts {
    private final int labels;
    private final DecisionThresholds thresholds;
    final double[] tp;
    final double[] fp;
    final double[] fn;
    final double[] tn;
    double wrongLabels;
    double exactRows;
    /** The last row's weighted counts (each hit adds the row's weight, as scikit-learn's samplewise counts). */
    double rowTp;
    double rowFp;
    double rowFn;
    /** The last row's number of true labels. */
    int relevant;

    LabelCounts(int labels, DecisionThresholds thresholds) {
        this.labels = labels;
        this.thresholds = thresholds;
        this.tp = new double[labels];
        this.fp = new double[labels];
        this.fn = new double[labels];
        this.tn = new double[labels];
    }

    /** The decision threshold of label {@code l}. */
    double threshold(int l) {
        return thresholds.threshold(l);
    }

    /** Adds one row: {@code labels} probabilities from {@code pOff}, 0/1 truths from {@code yOff}. */
    void add(double[] p, int pOff, int[] y, int yOff, double w) {
        double rTp = 0.0;
        double rFp = 0.0;
        double rFn = 0.0;
        int wrong = 0;
        int rel = 0;
        for (int l = 0; l < labels; l++) {
            // counted without branches (a row's labels are as good as random to a branch predictor): a cell not hit
            // adds w * 0 = +0.0, which leaves the non-negative sums as they were, bit for bit
            int truth = y[yOff + l] == 1 ? 1 : 0;
            int pred = thresholds.passes(p[pOff + l], l) ? 1 : 0;
            rel += truth;
            wrong += truth ^ pred;
            double hitTp = w * (truth & pred);
            double hitFp = w * (pred & ~truth);
            double hitFn = w * (truth & ~pred);
            tp[l] += hitTp;
            fp[l] += hitFp;
            fn[l] += hitFn;
            tn[l] += w * (1 & ~(truth | pred));
            rTp += hitTp;
            rFp += hitFp;
            rFn += hitFn;
        }
        wrongLabels += w * wrong;
        if (wrong == 0) {
            exactRows += w;
        }
        rowTp = rTp;
        rowFp = rFp;
        rowFn = rFn;
        relevant = rel;
    }

    /** Whether {@code other} decides with the same thresholds and comparison. */
    boolean sameRule(LabelCounts other) {
        return other.thresholds.equals(thresholds);
    }

    void merge(LabelCounts other) {
        for (int l = 0; l < labels; l++) {
            tp[l] += other.tp[l];
            fp[l] += other.fp[l];
            fn[l] += other.fn[l];
            tn[l] += other.tn[l];
        }
        wrongLabels += other.wrongLabels;
        exactRows += other.exactRows;
    }

    void exchange(State s) {
        s.add(tp);
        s.add(fp);
        s.add(fn);
        s.add(tn);
        wrongLabels = s.add(wrongLabels);
        exactRows = s.add(exactRows);
    }

    String settings() {
        return "thresholds=" + Arrays.toString(thresholds.values()) + ", comparison=" + thresholds.comparison();
    }
}
