package io.github.logits4j.metrics;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * The metrics of a multi-label evaluation ({@link MultilabelMetrics#result()}): immutable, printable as an aligned
 * table and exportable as a plain map with stable snake_case keys named as scikit-learn names them.
 *
 * <pre>{@code
 * MultilabelReport r = metrics.result();
 * double h = r.hammingLoss();
 * double samplesF1 = r.f1(Average.SAMPLES);
 * Map<String, Object> json = r.toMap();   // "hamming_loss", "subset_accuracy", "micro_f1", "macro_roc_auc", ...
 * }</pre>
 */
public final class MultilabelReport implements Report {
    final int labels;
    final long samples;
    private final double weightSum;
    final double[] tp;
    final double[] fp;
    final double[] fn;
    private final double[] tn;
    final ZeroDivision zeroDivision;
    final double hammingLoss;
    final double subsetAccuracy;
    private final SamplesAveraged samplesAveraged;
    final double[] samplesFBeta;
    final double[] samplesFBetaValues;
    final double lrap;
    final double coverageError;
    final double rankingLoss;
    final double[] labelAuc;
    final double[] labelAp;
    private final double microAuc;
    final double microAp;
    final RankMode rankMode;
    final double[] bounds;


    MultilabelReport(int labels, long samples, double weightSum, double[] tp, double[] fp, double[] fn, double[] tn,
            ZeroDivision zeroDivision, double hammingLoss, double subsetAccuracy, SamplesAveraged samplesAveraged,
            double lrap, double coverageError, double rankingLoss, double[] labelAuc, double[] labelAp,
            double microAuc, double microAp, RankMode rankMode, double[] bounds, double[] samplesFBeta,
            double[] samplesFBetaValues) {
        this.labels = labels;
        this.samples = samples;
        this.weightSum = weightSum;
        this.tp = tp;
        this.fp = fp;
        this.fn = fn;
        this.tn = tn;
        this.zeroDivision = zeroDivision;
        this.hammingLoss = hammingLoss;
        this.subsetAccuracy = subsetAccuracy;
        this.samplesAveraged = samplesAveraged;
        this.samplesFBeta = samplesFBeta.clone();
        this.samplesFBetaValues = samplesFBetaValues.clone();
        this.lrap = lrap;
        this.coverageError = coverageError;
        this.rankingLoss = rankingLoss;
        this.labelAuc = labelAuc;
        this.labelAp = labelAp;
        this.microAuc = microAuc;
        this.microAp = microAp;
        this.rankMode = rankMode;
        this.bounds = bounds;
    }

    /** The number of labels. */
    public int labels() {
        return labels;
    }

    /** The number of samples evaluated. */
    public long samples() {
        return samples;
    }

    /** The (weighted) share of wrong labels. */
    public double hammingLoss() {
        return hammingLoss;
    }

    /** The (weighted) share of rows with every label right (scikit-learn's multi-label {@code accuracy_score}). */
    public double subsetAccuracy() {
        return subsetAccuracy;
    }

    /**
     * scikit-learn's multi-label {@code zero_one_loss}: the (weighted) share of rows with any label wrong, {@code 1 -}
     * {@link #subsetAccuracy()}.
     */
    public double zeroOneLoss() {
        return 1.0 - subsetAccuracy;
    }

    /**
     * scikit-learn's {@code jaccard_score}: {@code tp / (tp + fp + fn)} per label, pooled ({@link Average#MICRO}),
     * averaged ({@link Average#MACRO}), weighted by support ({@link Average#WEIGHTED}), or per row and averaged with
     * the sample weights ({@link Average#SAMPLES}, each row's counts scaled by its weight). 0/0 follows the
     * zero-division policy; a NaN entry makes an average NaN, as scikit-learn's plain average does.
     */
    public double jaccard(Average average) {
        Objects.requireNonNull(average, "average");
        double[] per = jaccardPerLabel();
        return switch (average) {
            case MICRO -> {
                double num = 0.0;
                double den = 0.0;
                for (int l = 0; l < labels; l++) {
                    num += tp[l];
                    den += tp[l] + fp[l] + fn[l];
                }
                yield zeroDivision.divide(num, den);
            }
            case MACRO -> mean(per, null);
            case WEIGHTED -> mean(per, supportPerLabel());
            case SAMPLES -> samplesAveraged.jaccard();
        };
    }

    /** The Jaccard index {@code tp / (tp + fp + fn)} of every label (0/0 by the zero-division policy). */
    public double[] jaccardPerLabel() {
        double[] out = new double[labels];
        for (int l = 0; l < labels; l++) {
            out[l] = zeroDivision.divide(tp[l], tp[l] + fp[l] + fn[l]);
        }
        return out;
    }

    /** numpy's {@code average}: weighted when the weights do not all vanish (then plain), NaN entries kept. */
    private static double mean(double[] values, double[] weights) {
        double sum = 0.0;
        double plain = 0.0;
        double weightSum = 0.0;
        for (int i = 0; i < values.length; i++) {
            double w = weights == null ? 1.0 : weights[i];
            sum += w * values[i];
            plain += values[i];
            weightSum += w;
        }
        return weightSum == 0.0 ? plain / values.length : sum / weightSum;
    }

    /**
     * scikit-learn's {@code ndcg_score} of the label ranking (relevance = the 0/1 labels, ties averaged, at the
     * builder's {@code ndcgK}), averaged over the rows with the sample weights; a row without a positive label counts 0.
     */
    public double ndcg() {
        return samplesAveraged.ndcg();
    }

    /** scikit-learn's {@code dcg_score} (log base 2, ties averaged, at the builder's {@code ndcgK}), row-averaged. */
    public double dcg() {
        return samplesAveraged.dcg();
    }

    /** Precision averaged as {@code average}. */
    public double precision(Average average) {
        return averaged(Prf.PRECISION, average);
    }

    /** Recall averaged as {@code average}. */
    public double recall(Average average) {
        return averaged(Prf.RECALL, average);
    }

    /** F1 averaged as {@code average}. */
    public double f1(Average average) {
        return averaged(Prf.F, average);
    }

    /**
     * scikit-learn's {@code fbeta_score}, {@link Average#MICRO}, {@link Average#MACRO} or {@link Average#WEIGHTED}
     * (the samples average is kept for F1 only: {@link #f1(Average)}).
     *
     * @throws IllegalArgumentException if {@code beta} is not finite and {@code >= 0}, or for {@link Average#SAMPLES}
     */
    public double fBeta(double beta, Average average) {
        Objects.requireNonNull(average, "average");
        double b = Prf.checkBeta(beta);
        return switch (average) {
            case MICRO -> Prf.micro(Prf.F, tp, fp, fn, null, b, zeroDivision);
            case MACRO -> Prf.nanAverage(Prf.perLabel(Prf.F, tp, fp, fn, b, zeroDivision), null, null);
            case WEIGHTED -> Prf.nanAverage(Prf.perLabel(Prf.F, tp, fp, fn, b, zeroDivision), supportPerLabel(), null);
            case SAMPLES -> samplesFBeta(b);
        };
    }

    private double samplesFBeta(double beta) {
        if (beta == 1.0) {
            return samplesAveraged.f1();
        }
        for (int k = 0; k < samplesFBeta.length; k++) {
            if (samplesFBeta[k] == beta) {
                return samplesFBetaValues[k];
            }
        }
        throw new IllegalArgumentException("the samples average of F-beta is kept for beta 1 and the betas given to"
                + " MultilabelMetrics.Builder.samplesFBeta (" + Arrays.toString(samplesFBeta) + "); found beta "
                + beta);
    }

    private double averaged(int measure, Average average) {
        Objects.requireNonNull(average, "average");
        return switch (average) {
            case MICRO -> Prf.micro(measure, tp, fp, fn, null, 1.0, zeroDivision);
            case MACRO -> Prf.nanAverage(Prf.perLabel(measure, tp, fp, fn, 1.0, zeroDivision), null, null);
            case WEIGHTED -> Prf.nanAverage(Prf.perLabel(measure, tp, fp, fn, 1.0, zeroDivision), supportPerLabel(),
                    null);
            case SAMPLES -> samplesAveraged.prf(measure);
        };
    }

    /** Precision of every label. */
    public double[] precisionPerLabel() {
        return Prf.perLabel(Prf.PRECISION, tp, fp, fn, 1.0, zeroDivision);
    }

    /** Recall of every label. */
    public double[] recallPerLabel() {
        return Prf.perLabel(Prf.RECALL, tp, fp, fn, 1.0, zeroDivision);
    }

    /** F1 of every label. */
    public double[] f1PerLabel() {
        return Prf.perLabel(Prf.F, tp, fp, fn, 1.0, zeroDivision);
    }

    /** The (weighted) number of positives of every label. */
    public double[] supportPerLabel() {
        double[] s = new double[labels];
        for (int l = 0; l < labels; l++) {
            s[l] = tp[l] + fn[l];
        }
        return s;
    }

    /** Per-label confusion counts, {@code [L × 2 × 2]} row-major: {@code [[tn, fp], [fn, tp]]} per label. */
    public double[] confusionPerLabel() {
        double[] out = new double[labels * 4];
        for (int l = 0; l < labels; l++) {
            out[l * 4] = tn[l];
            out[l * 4 + 1] = fp[l];
            out[l * 4 + 2] = fn[l];
            out[l * 4 + 3] = tp[l];
        }
        return out;
    }

    /**
     * ROC AUC: {@link Average#MICRO} over all (row, label) pairs, the {@link Average#MACRO} or support-weighted mean of
     * per-label AUCs (NaN when a label has one class present), or {@link Average#SAMPLES}: each row's AUC over its
     * labels averaged with the sample weights, NaN when a row of non-zero weight has one class only (scikit-learn
     * 1.9 scores such a row NaN, with a warning, and forces rows of weight 0 to 0).
     */
    public double rocAuc(Average average) {
        return switch (average) {
            case MICRO -> microAuc;
            case MACRO -> Means.mean(labelAuc, null);
            case WEIGHTED -> Means.supportWeightedMean(labelAuc, supportPerLabel());
            case SAMPLES -> samplesAveraged.rocAuc();
        };
    }

    /**
     * Average precision, {@link Average#MICRO}, {@link Average#MACRO}, {@link Average#WEIGHTED} (by support, 0.0
     * when the total positive weight is np.isclose to 0, as scikit-learn's {@code _average_binary_score}) or
     * {@link Average#SAMPLES} (each row's over its labels, 0 for a row without positives, averaged with the sample
     * weights).
     */
    public double averagePrecision(Average average) {
        return switch (average) {
            case MICRO -> microAp;
            case MACRO -> Means.mean(labelAp, null);
            case WEIGHTED -> Means.supportWeightedMean(labelAp, supportPerLabel());
            case SAMPLES -> samplesAveraged.averagePrecision();
        };
    }

    /** ROC AUC of every label. */
    public double[] rocAucPerLabel() {
        return labelAuc.clone();
    }

    /** Average precision of every label. */
    public double[] averagePrecisionPerLabel() {
        return labelAp.clone();
    }

    /** Label ranking average precision. */
    public double labelRankingAveragePrecision() {
        return lrap;
    }

    /** Coverage error. */
    public double coverageError() {
        return coverageError;
    }

    /** Label ranking loss. */
    public double labelRankingLoss() {
        return rankingLoss;
    }

    /** The total sample weight. */
    public double weightSum() {
        return weightSum;
    }

    /**
     * The report as a plain map with stable snake_case keys: {@code samples}, {@code labels}, {@code hamming_loss},
     * {@code subset_accuracy}, {@code <average>_precision|recall|f1} for micro, macro, weighted, samples,
     * {@code micro_roc_auc}, {@code macro_roc_auc}, {@code weighted_roc_auc}, {@code micro_average_precision},
     * {@code macro_average_precision} (in binned rank mode also {@code macro_roc_auc_error_bound},
     * {@code macro_average_precision_error_bound}, {@code micro_roc_auc_error_bound},
     * {@code micro_average_precision_error_bound}), {@code label_ranking_average_precision}, {@code coverage_error},
     * {@code label_ranking_loss}, then the lists {@code per_label_precision}, {@code per_label_recall},
     * {@code per_label_f1}, {@code per_label_support}, {@code per_label_roc_auc}, {@code per_label_average_precision}
     * and {@code per_label_confusion} ({@code [tn, fp, fn, tp]} per label).
     */
    @Override
    public Map<String, Object> toMap() {
        return ReportMaps.multilabel(this);
    }

    @Override
    public String title() {
        return "multi-label metrics";
    }

    @Override
    public String toString() {
        return "MultilabelReport[samples=" + samples + ", labels=" + labels + ", hammingLoss=" + hammingLoss + "]";
    }
}
