package io.github.logits4j.metrics;

import io.github.logits4j.decision.Comparison;
import java.util.Arrays;
import java.util.Map;

/**
 * The metrics of a binary evaluation ({@link BinaryMetrics#result()}): immutable, printable as an aligned table and
 * exportable as a plain map with stable snake_case keys.
 *
 * <pre>{@code
 * BinaryReport r = metrics.result();
 * System.out.println(r.f1() + " " + r.rocAuc());
 * Map<String, Object> json = r.toMap();   // "accuracy", "precision", "recall", "f1", "roc_auc", "average_precision", ...
 * }</pre>
 */
public final class BinaryReport implements Report {
    final long samples;
    final double tp;
    final double fp;
    final double fn;
    private final double tn;
    final ZeroDivision zeroDivision;
    private final double logLossSum;
    private final double brierSum;
    final double logLoss;
    final double brier;
    final double eceL1;
    final double eceL2;
    final double eceMax;
    final int eceBins;
    private final double[] rank;
    final RankMode rankMode;
    final double threshold;
    final Comparison comparison;
    final double[] maxFpr;
    final double[] partialAuc;
    private final double apClass0;

    BinaryReport(long samples, double tp, double fp, double fn, double tn, ZeroDivision zeroDivision,
            double logLossSum, double brierSum, double weightSum, double eceL1, double eceL2, double eceMax, int eceBins, double[] rank, RankMode rankMode,
            double threshold, Comparison comparison, double[] maxFpr, double[] partialAuc, double apClass0) {
        this.samples = samples;
        this.tp = tp;
        this.fp = fp;
        this.fn = fn;
        this.tn = tn;
        this.zeroDivision = zeroDivision;
        this.logLossSum = logLossSum;
        this.brierSum = brierSum;
        this.logLoss = logLossSum / weightSum;
        this.brier = brierSum / weightSum;
        this.eceL1 = eceL1;
        this.eceL2 = eceL2;
        this.eceMax = eceMax;
        this.eceBins = eceBins;
        this.rank = rank.clone();
        this.rankMode = rankMode;
        this.maxFpr = maxFpr.clone();
        this.partialAuc = partialAuc.clone();
        this.apClass0 = apClass0;
        this.threshold = threshold;
        this.comparison = comparison;
    }

    /** The number of samples evaluated. */
    public long samples() {
        return samples;
    }

    /** The (weighted) share of correct decisions. */
    public double accuracy() {
        return (tp + tn) / (tp + fp + fn + tn);
    }

    /** {@code tp / (tp + fp)}. */
    public double precision() {
        return zeroDivision.divide(tp, tp + fp);
    }

    /** {@code tp / (tp + fn)}. */
    public double recall() {
        return zeroDivision.divide(tp, tp + fn);
    }

    /** {@code 2 tp / (2 tp + fp + fn)}. */
    public double f1() {
        return zeroDivision.divide(2.0 * tp, 2.0 * tp + fp + fn);
    }

    /**
     * scikit-learn's binary {@code fbeta_score}: {@code (1 + b^2) tp / ((1 + b^2) tp + b^2 fn + fp)}.
     *
     * @throws IllegalArgumentException if {@code beta} is not finite and {@code >= 0}
     */
    public double fBeta(double beta) {
        double[] out = new double[3];
        Prf.of(tp, fp, fn, Prf.checkBeta(beta), zeroDivision, out);
        return out[Prf.F];
    }

    /**
     * Precision with {@code posLabel} (0 or 1) as the positive class: scikit-learn's
     * {@code precision_score(pos_label=posLabel)} ({@code average="binary"}); {@code precision(1)} is
     * {@link #precision()}.
     *
     * @throws IllegalArgumentException if {@code posLabel} is not 0 or 1
     */
    public double precision(int posLabel) {
        return asPositive(posLabel, Prf.PRECISION, 1.0);
    }

    /** Recall with {@code posLabel} as the positive class ({@code recall_score(pos_label=posLabel)}). */
    public double recall(int posLabel) {
        return asPositive(posLabel, Prf.RECALL, 1.0);
    }

    /** F1 with {@code posLabel} as the positive class ({@code f1_score(pos_label=posLabel)}). */
    public double f1(int posLabel) {
        return asPositive(posLabel, Prf.F, 1.0);
    }

    /** F-beta with {@code posLabel} as the positive class ({@code fbeta_score(beta, pos_label=posLabel)}). */
    public double fBeta(double beta, int posLabel) {
        return asPositive(posLabel, Prf.F, Prf.checkBeta(beta));
    }

    /**
     * Average precision with {@code posLabel} as the positive class, scored {@code 1 - p} for class 0: scikit-learn's
     * {@code average_precision_score(y, 1 - p, pos_label=0)}; {@code averagePrecision(1)} is
     * {@link #averagePrecision()}. Exact rank mode only (NaN when binned, and 0.0 without a sample of that class).
     *
     * @throws IllegalArgumentException if {@code posLabel} is not 0 or 1
     */
    public double averagePrecision(int posLabel) {
        checkPosLabel(posLabel);
        return posLabel == 1 ? averagePrecision() : apClass0;
    }

    /** The Jaccard index with {@code posLabel} as the positive class ({@code jaccard_score(pos_label=posLabel)}). */
    public double jaccard(int posLabel) {
        checkPosLabel(posLabel);
        return posLabel == 1 ? jaccard() : zeroDivision.divide(tn, tn + fn + fp);
    }

    private static void checkPosLabel(int posLabel) {
        if (posLabel != 0 && posLabel != 1) {
            throw new IllegalArgumentException("pos_label is " + posLabel + "; expected 0 or 1");
        }
    }

    /** One of precision, recall, F-beta with the roles of the classes as {@code posLabel} says. */
    private double asPositive(int posLabel, int measure, double beta) {
        checkPosLabel(posLabel);
        double[] out = new double[3];
        if (posLabel == 1) {
            Prf.of(tp, fp, fn, beta, zeroDivision, out);
        } else {
            Prf.of(tn, fn, fp, beta, zeroDivision, out);     // class 0 positive: its tp is tn, its fp fn, its fn fp
        }
        return out[measure];
    }

    /** Matthews correlation coefficient; 0 when undefined. */
    public double matthewsCorrcoef() {
        double s = tp + fp + fn + tn;
        double t1 = tp + fn;
        double p1 = tp + fp;
        double t0 = s - t1;
        double p0 = s - p1;
        double cov = (tp + tn) * s - (t1 * p1 + t0 * p0);
        double denom = (s * s - (p1 * p1 + p0 * p0)) * (s * s - (t1 * t1 + t0 * t0));
        return denom == 0.0 || Double.isNaN(denom) ? 0.0 : cov / Math.sqrt(denom);
    }

    /**
     * scikit-learn's {@code balanced_accuracy_score}: the mean of the recalls of the classes that have samples;
     * {@code adjusted} rescales it so that chance scores 0 and a perfect classifier 1. NaN with no samples.
     */
    public double balancedAccuracy(boolean adjusted) {
        double sum = 0.0;
        int present = 0;
        if (tn + fp != 0.0) {
            sum += tn / (tn + fp);
            present++;
        }
        if (tp + fn != 0.0) {
            sum += tp / (tp + fn);
            present++;
        }
        return Prf.balancedAccuracy(sum, present, adjusted);
    }

    /**
     * scikit-learn's {@code cohen_kappa_score} of the labels and the decisions (with two classes the linear and
     * quadratic weightings equal this one): {@code 1 - (fp + fn) / expected disagreements}; NaN when undefined (one
     * class only, or no samples).
     */
    public double cohenKappa() {
        double total = tp + fp + fn + tn;
        double t1 = tp + fn;
        double p1 = tp + fp;
        double expected = (total - t1) * p1 / total + t1 * (total - p1) / total;
        return total == 0.0 || expected == 0.0 ? Double.NaN : 1.0 - (fp + fn) / expected;
    }

    /** scikit-learn's binary {@code jaccard_score}: {@code tp / (tp + fp + fn)}, 0/0 by the zero-division policy. */
    public double jaccard() {
        return zeroDivision.divide(tp, tp + fp + fn);
    }

    /** scikit-learn's {@code zero_one_loss}: the (weighted) share of wrong decisions. */
    public double zeroOneLoss() {
        return 1.0 - accuracy();
    }

    /** The confusion counts {@code [[tn, fp], [fn, tp]]}, row-major. */
    public double[] confusionMatrix() {
        return new double[] {tn, fp, fn, tp};
    }

    /** ROC AUC; NaN when only one class is present. */
    public double rocAuc() {
        return rank[Ranking.AUC];
    }

    /** Average precision; 0.0 when there is no positive. */
    public double averagePrecision() {
        return rank[Ranking.AP];
    }

    /** The bound on |ROC AUC - exact ROC AUC| (0 in exact mode). */
    public double rocAucErrorBound() {
        return rank[Ranking.AUC_BOUND];
    }

    /**
     * The standardized partial ROC AUC up to {@code maxFpr}, scikit-learn's {@code roc_auc_score(max_fpr=maxFpr)};
     * NaN in binned rank mode or with one class present.
     *
     * @throws IllegalArgumentException unless {@code maxFpr} was configured ({@code BinaryMetrics.Builder.maxFpr})
     */
    public double partialRocAuc(double maxFpr) {
        for (int i = 0; i < this.maxFpr.length; i++) {
            if (this.maxFpr[i] == maxFpr) {
                return partialAuc[i];
            }
        }
        throw new IllegalArgumentException("no partial ROC AUC up to max_fpr " + maxFpr + "; the metrics were built"
                + " with max_fpr " + Arrays.toString(this.maxFpr) + " (BinaryMetrics.Builder.maxFpr)");
    }

    /** The false positive rates the partial ROC AUCs stop at; a copy. */
    public double[] maxFpr() {
        return maxFpr.clone();
    }

    /** The bound on |AP - exact AP| (0 in exact mode). */
    public double averagePrecisionErrorBound() {
        return rank[Ranking.AP_BOUND];
    }

    /** Log loss. */
    public double logLoss() {
        return logLoss;
    }

    /** Brier score, the (weighted) mean of {@code (y - p)^2}. */
    public double brier() {
        return brier;
    }

    /**
     * The Brier score with scikit-learn's {@code scale_by_half} given: {@link #brier()} is the halved two-class form
     * (the customary {@code mean (p - y)^2}, scikit-learn's {@code "auto"} for binary); unhalved it is twice that.
     */
    public double brier(boolean scaleByHalf) {
        return scaleByHalf ? brier : brierSum * 2.0 / (tp + fp + fn + tn);
    }

    /** The log loss summed rather than averaged over the samples (scikit-learn's {@code normalize=False}). */
    public double logLossSum() {
        return logLossSum;
    }

    /** Expected calibration error, l1. */
    public double expectedCalibrationError() {
        return eceL1;
    }

    /** Calibration error, l2. */
    public double calibrationErrorL2() {
        return eceL2;
    }

    /** Maximum calibration error. */
    public double calibrationErrorMax() {
        return eceMax;
    }

    /**
     * The report as a plain map with stable snake_case keys: {@code samples}, {@code threshold}, {@code rule},
     * {@code accuracy}, {@code precision}, {@code recall}, {@code f1}, {@code roc_auc}, {@code average_precision} (and,
     * in binned rank mode, {@code roc_auc_error_bound}, {@code average_precision_error_bound}), {@code brier},
     * {@code log_loss}, {@code matthews_corrcoef}, {@code ece}, {@code ece_l2}, {@code ece_max}, {@code ece_bins},
     * {@code confusion_matrix}.
     */
    @Override
    public Map<String, Object> toMap() {
        return ReportMaps.binary(this);
    }

    @Override
    public String title() {
        return "binary metrics";
    }

    @Override
    public String toString() {
        return "BinaryReport[samples=" + samples + ", accuracy=" + accuracy() + ", rocAuc=" + rocAuc() + "]";
    }
}
