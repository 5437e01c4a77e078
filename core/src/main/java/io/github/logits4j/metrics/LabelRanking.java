package io.github.logits4j.metrics;

import io.github.logits4j.kernel.State;

/**
 * The per-row ranking metrics of a {@link MultilabelMetrics}, as scikit-learn computes them for each row and averages
 * them with the sample weights: label ranking average precision, coverage error, label ranking loss, the samples
 * average precision and ROC AUC, and DCG and NDCG at k (ties averaged).
 *
 * <pre>{@code
 * LabelRanking r = new LabelRanking(labels, labels);     // k = every label
 * r.add(p, off, y, yOff, relevant, w);                    // per row
 * double lrap = r.lrapSum / weightSum;
 * }</pre>
 *
 * <p>Not thread-safe, as its accumulator; mergeable.
 */
final class LabelRanking {
    private final int labels;
    /** NDCG and DCG at {@code ndcgK}: the positions' cumulative discounts and scratch orders. */
    private final int ndcgK;
    private final double[] discountSum;
    private final int[] order;
    private final int[] orderScratch;
    /** Each positive label's precision in the row being added (LRAP's terms, summed in label order). */
    private final double[] precisions;
    /** Weighted sums over the rows. */
    double apSamplesSum;
    double aucSamplesSum;
    double dcgSum;
    double ndcgSum;
    double lrapSum;
    double coverageSum;
    double rankingLossSum;

    LabelRanking(int labels, int ndcgK) {
        this.labels = labels;
        this.ndcgK = ndcgK;
        this.discountSum = new double[labels];
        double cumulative = 0.0;
        for (int i = 0; i < labels; i++) {
            cumulative += i < ndcgK ? discount(i) : 0.0;
            discountSum[i] = cumulative;
        }
        this.order = new int[labels];
        this.orderScratch = new int[labels];
        this.precisions = new double[labels];
    }

    /** The k of NDCG and DCG. */
    int ndcgK() {
        return ndcgK;
    }

    /** Adds {@code other}'s sums. */
    void merge(LabelRanking other) {
        apSamplesSum += other.apSamplesSum;
        aucSamplesSum += other.aucSamplesSum;
        dcgSum += other.dcgSum;
        ndcgSum += other.ndcgSum;
        lrapSum += other.lrapSum;
        coverageSum += other.coverageSum;
        rankingLossSum += other.rankingLossSum;
    }

    /** Writes the sums, or adds another's ({@link State}). */
    void exchange(State s) {
        apSamplesSum = s.add(apSamplesSum);
        aucSamplesSum = s.add(aucSamplesSum);
        dcgSum = s.add(dcgSum);
        ndcgSum = s.add(ndcgSum);
        lrapSum = s.add(lrapSum);
        coverageSum = s.add(coverageSum);
        rankingLossSum = s.add(rankingLossSum);
    }

    /**
     * Label ranking average precision, coverage error, ranking loss, the row's AP and AUC, and its DCG: one sort of the
     * row (descending, ties kept together), then one walk over its groups of equal scores. A positive's counts (the
     * labels scored at least it, the positives among them, the negatives below or tied) are its group's; the
     * precisions are summed in label order, as the pairwise definition adds them, so the sums are the same bits.
     */
    void add(double[] p, int off, int[] y, int yOff, int relevant, double w) {
        sortDescending(p, off);
        boolean mixed = relevant != 0 && relevant != labels;
        int negatives = labels - relevant;
        int above = 0;                              // labels scored above the group
        int positivesAbove = 0;
        double wrongPairs = 0.0;
        double twiceU = 0.0;
        double coverage = relevant == 0 ? 0.0 : labels;
        double dcg = 0.0;
        double before = 0.0;                        // the discounts of the positions above the group
        for (int i = 0; i < labels; ) {
            double s = p[off + order[i]];
            int j = i;
            int positives = 0;
            while (j < labels && p[off + order[j]] == s) {
                positives += y[yOff + order[j]];
                j++;
            }
            // DCG with ties averaged: the group's labels share its mean gain over its positions (a group of one
            // label, the usual case, needs no division: its gain over 1 is the gain)
            double upTo = discountSum[j - 1];
            dcg += (j - i == 1 ? positives : (double) positives / (j - i)) * (upTo - before);
            before = upTo;
            int atLeast = above + j - i;
            int relevantAtLeast = positivesAbove + positives;
            if (mixed && positives > 0) {
                double precision = (double) relevantAtLeast / atLeast;
                for (int k = i; k < j; k++) {
                    if (y[yOff + order[k]] == 1) {
                        precisions[order[k]] = precision;
                    }
                }
                int negativesAtLeast = atLeast - relevantAtLeast;
                int negativesTied = j - i - positives;
                wrongPairs += (double) positives * negativesAtLeast;
                twiceU += (double) positives * (2 * (negatives - negativesAtLeast) + negativesTied);
                coverage = atLeast;                 // the lowest positive's group comes last
            }
            above = atLeast;
            positivesAbove = relevantAtLeast;
            i = j;
        }
        double lrap;
        double rankingLoss;
        double rowAp;
        double rowAuc;
        if (!mixed) {
            lrap = 1.0;
            rankingLoss = 0.0;
            rowAp = relevant == 0 ? 0.0 : 1.0;       // scikit-learn: no positive, recall is 1 everywhere, AP 0
            rowAuc = Double.NaN;                    // one class in the row: scikit-learn scores it NaN
        } else {
            double precisionSum = 0.0;
            for (int l = 0; l < labels; l++) {
                if (y[yOff + l] == 1) {
                    precisionSum += precisions[l];
                }
            }
            lrap = precisionSum / relevant;
            rankingLoss = wrongPairs / ((double) relevant * negatives);
            // the row's average precision: at each positive's score, the precision of the labels scored at least it
            // (LRAP's terms, which ties leave equal to the precision-recall curve's), averaged over the positives
            rowAp = lrap;
            rowAuc = twiceU / (2.0 * relevant * negatives);
        }
        apSamplesSum += w * rowAp;
        aucSamplesSum += w == 0.0 ? 0.0 : w * rowAuc;   // scikit-learn forces the scores of weight-0 rows to 0
        int best = Math.min(relevant, ndcgK);           // the ideal ranking puts every positive first
        double ideal = best == 0 ? 0.0 : discountSum[best - 1];
        dcgSum += w * dcg;
        ndcgSum += w * (ideal == 0.0 ? 0.0 : dcg / ideal);
        lrapSum += w * lrap;
        coverageSum += w * coverage;
        rankingLossSum += w * rankingLoss;
    }

    /** {@code order}: the row's labels by descending score, labels of equal score in label order. */
    private void sortDescending(double[] p, int off) {
        if (labels <= 32) {
            // few labels: each label's place counted, without branches (a sort's comparisons of scores mispredict
            // half the time): the labels scored above it, and those of equal score before it
            for (int i = 0; i < labels; i++) {
                double v = p[off + i];
                int place = 0;
                for (int j = 0; j < i; j++) {
                    place += p[off + j] >= v ? 1 : 0;
                }
                for (int j = i + 1; j < labels; j++) {
                    place += p[off + j] > v ? 1 : 0;
                }
                order[place] = i;
            }
        } else {
            for (int i = 0; i < labels; i++) {
                order[i] = i;
            }
            Ranking.sortIndicesDescending(p, off, order, orderScratch, labels);
        }
    }

    /** scikit-learn's DCG discount of position {@code i} (0-based): {@code 1 / (log(i + 2) / log(2))}. */
    private static double discount(int i) {
        return 1.0 / (Math.log(i + 2) / Math.log(2));
    }
}
