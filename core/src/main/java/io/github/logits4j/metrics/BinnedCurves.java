package io.github.logits4j.metrics;

/**
 * The ROC and precision-recall curves of binned scores ({@link RankMode#binned}): one point per non-empty bin, each
 * curve with the bound its binned area reports; package-private.
 *
 * <pre>{@code
 * RocCurve roc = BinnedCurves.roc(pos, neg, bins);     // pos, neg: the weights per bin of [0, 1]
 * }</pre>
 */
final class BinnedCurves {
    private BinnedCurves() {
    }

    /**
     * The ROC curve of binned scores: {@code pos} and {@code neg} hold the weight of positive and negative samples
     * whose score falls in each of {@code bins} equal-width bins of [0, 1]; one point per non-empty bin, at the bin's
     * lower edge as threshold, scores in one bin counting as tied. Its {@link RocCurve#areaBound()} is half the share of
     * (positive, negative) pairs in one bin, the bound the binned AUC reports.
     */
    static RocCurve roc(double[] pos, double[] neg, int bins) {
        double totalPos = 0.0;
        double totalNeg = 0.0;
        int points = 1;
        for (int b = 0; b < bins; b++) {
            totalPos += pos[b];
            totalNeg += neg[b];
            points += pos[b] != 0.0 || neg[b] != 0.0 ? 1 : 0;
        }
        double[] fpr = new double[points];
        double[] tpr = new double[points];
        double[] thresholds = new double[points];
        thresholds[0] = Double.POSITIVE_INFINITY;
        fpr[0] = totalNeg > 0.0 ? 0.0 : Double.NaN;
        tpr[0] = totalPos > 0.0 ? 0.0 : Double.NaN;
        double tp = 0.0;
        double fp = 0.0;
        double tied = 0.0;
        for (int b = bins - 1, k = 1; b >= 0; b--) {
            if (pos[b] == 0.0 && neg[b] == 0.0) {
                continue;
            }
            tp += pos[b];
            fp += neg[b];
            tied += pos[b] * neg[b];
            fpr[k] = totalNeg > 0.0 ? fp / totalNeg : Double.NaN;
            tpr[k] = totalPos > 0.0 ? tp / totalPos : Double.NaN;
            thresholds[k++] = (double) b / bins;
        }
        double bound = totalPos > 0.0 && totalNeg > 0.0 ? tied / (2.0 * totalPos * totalNeg) : Double.NaN;
        return new RocCurve(fpr, tpr, thresholds, bound);
    }

    /**
     * The precision-recall curve of binned scores ({@link #roc}'s bins): one point per bin holding a sample, at
     * the bin's lower edge; its {@link PrecisionRecallCurve#areaBound()} is the bound the binned average precision
     * reports (the spread of precision any order inside a bin could give).
     */
    static PrecisionRecallCurve precisionRecall(double[] pos, double[] neg, int bins) {
        double[] slot = new double[4];
        Ranking.binned(pos, neg, 0, bins, slot);
        double totalPos = 0.0;
        int points = 0;
        for (int b = 0; b < bins; b++) {
            totalPos += pos[b];
            points += pos[b] != 0.0 || neg[b] != 0.0 ? 1 : 0;
        }
        double[] precision = new double[points + 1];
        double[] recall = new double[points + 1];
        double[] thresholds = new double[points];
        double tp = 0.0;
        double fp = 0.0;
        for (int b = bins - 1, k = points - 1; b >= 0; b--) {
            if (pos[b] == 0.0 && neg[b] == 0.0) {
                continue;
            }
            tp += pos[b];
            fp += neg[b];
            precision[k] = tp + fp != 0.0 ? tp / (tp + fp) : 0.0;
            recall[k] = totalPos == 0.0 ? 1.0 : tp / totalPos;
            thresholds[k--] = (double) b / bins;
        }
        precision[points] = 1.0;
        recall[points] = 0.0;
        return new PrecisionRecallCurve(precision, recall, thresholds, slot[Ranking.AP_BOUND]);
    }
}
