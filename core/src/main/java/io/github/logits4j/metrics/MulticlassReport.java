package io.github.logits4j.metrics;

import java.util.Map;
import java.util.Objects;

/**
 * The metrics of a multi-class evaluation ({@link MulticlassMetrics#result()}): immutable, printable as an aligned
 * table ({@link #toTable()}) and exportable as a plain map with stable snake_case keys ({@link #toMap()}) named as
 * scikit-learn names the metrics.
 *
 * <pre>{@code
 * MulticlassReport r = metrics.result();
 * double acc = r.accuracy();
 * double macroF1 = r.f1(Average.MACRO);
 * double[] recallPerClass = r.recallPerClass();
 * Map<String, Object> json = r.toMap();     // "accuracy", "macro_f1", "macro_roc_auc_ovr", "log_loss", "ece", ...
 * }</pre>
 *
 * <p>Every value is NaN when no sample was added. See {@link MulticlassMetrics} for the definitions.
 */
public final class MulticlassReport implements Report {
    final int classes;
    final long samples;
    private final double weightSum;
    final Confusion confusion;
    /** The classes the precision, recall, F-beta and Jaccard averages run over: present ones, or withLabels'. */
    private final boolean[] labelSet;
    /** The classes present in the labels or the predictions. */
    private final boolean[] present;
    /** The label order {@link #withLabels} was given (Cohen's kappa weighs by positions in it), or null. */
    private final int[] labelOrder;
    final int[] topK;
    final double[] topKAccuracy;
    final ZeroDivision zeroDivision;
    private final double[] topKHits;
    private final double logLossSum;
    private final double brierSum;
    final double logLoss;
    final double brier;
    final double eceL1;
    final double eceL2;
    final double eceMax;
    final int eceBins;
    final MulticlassRanks rocAuc;
    final RankMode rankMode;
    final double[] tp;
    final double[] fp;
    final double[] fn;
    /** Built from decision values: no probability metric (log loss, Brier, ROC AUC, average precision, ECE). */
    final boolean decisionValues;

    MulticlassReport(int classes, long samples, double weightSum, Confusion confusion, boolean[] labelSet, int[] topK,
            double[] topKHits, ZeroDivision zeroDivision, double logLossSum, double brierSum, double eceL1, double eceL2,
            double eceMax, int eceBins, MulticlassRanks rocAuc, RankMode rankMode, boolean decisionValues) {
        this(classes, samples, weightSum, confusion, labelSet, topK, topKHits, zeroDivision, logLossSum, brierSum,
                eceL1, eceL2, eceMax, eceBins, rocAuc, rankMode, labelSet, null, decisionValues);
    }

    private MulticlassReport(int classes, long samples, double weightSum, Confusion confusion, boolean[] labelSet,
            int[] topK, double[] topKHits, ZeroDivision zeroDivision, double logLossSum, double brierSum, double eceL1,
            double eceL2, double eceMax, int eceBins, MulticlassRanks rocAuc, RankMode rankMode, boolean[] present,
            int[] labelOrder, boolean decisionValues) {
        this.decisionValues = decisionValues;
        this.present = present;
        this.labelOrder = labelOrder;
        this.classes = classes;
        this.samples = samples;
        this.weightSum = weightSum;
        this.confusion = confusion;
        this.labelSet = labelSet;
        this.topK = topK;
        this.topKAccuracy = new double[topK.length];
        for (int i = 0; i < topK.length; i++) {
            topKAccuracy[i] = topKHits[i] / weightSum;
        }
        this.zeroDivision = zeroDivision;
        this.topKHits = topKHits;
        this.logLossSum = logLossSum;
        this.brierSum = brierSum;
        this.logLoss = logLossSum / weightSum;
        this.brier = brierSum / weightSum * (classes == 2 ? 0.5 : 1.0);
        this.eceL1 = eceL1;
        this.eceL2 = eceL2;
        this.eceMax = eceMax;
        this.eceBins = eceBins;
        this.rocAuc = rocAuc;
        this.rankMode = rankMode;
        this.tp = new double[classes];
        this.fp = new double[classes];
        this.fn = new double[classes];
        confusion.forEach((t, p, v) -> {
            if (t == p) {
                tp[t] += v;
            } else {
                fn[t] += v;
                fp[p] += v;
            }
        });
    }

    /** The number of classes. */
    public int classes() {
        return classes;
    }

    /** The number of samples evaluated. */
    public long samples() {
        return samples;
    }

    /** The total sample weight (the number of samples when unweighted). */
    public double weightSum() {
        return weightSum;
    }

    /** The (weighted) share of samples whose argmax is the label. */
    public double accuracy() {
        double correct = 0.0;
        for (int c = 0; c < classes; c++) {
            correct += tp[c];
        }
        return correct / weightSum;
    }

    /** Top-k accuracy for the first configured k ({@code top_k_accuracy}). */
    public double topKAccuracy() {
        return topKAccuracy[0];
    }

    /** The first configured k. */
    public int topK() {
        return topK[0];
    }

    /**
     * Top-k accuracy for a configured {@code k}.
     *
     * @throws IllegalArgumentException if {@code k} was not configured
     */
    public double topKAccuracy(int k) {
        return topKAccuracy[topKSlot(k)];
    }

    /** The index of a configured {@code k} among {@link #topK}. */
    private int topKSlot(int k) {
        for (int i = 0; i < topK.length; i++) {
            if (topK[i] == k) {
                return i;
            }
        }
        throw new IllegalArgumentException("top-" + k + " was not computed: k " + k + " is not among the configured"
                + " k " + java.util.Arrays.toString(topK) + " (MulticlassMetrics.Builder.topK)");
    }

    /**
     * This report with the precision, recall, F1, F-beta and Jaccard averages and Cohen's kappa taken over
     * {@code labels}, scikit-learn's {@code labels=} argument: a class in the list that never occurs counts in a macro average with its 0/0 value
     * (the zero-division setting), one left out does not count (micro pools the counts of the listed classes only,
     * weighted weighs them by their support). By default the averages run over the classes present in the labels or
     * the predictions, as scikit-learn's {@code labels=None} does. Cohen's kappa reads the confusion matrix of the
     * listed classes only (samples whose label or prediction is left out do not count) and weighs disagreements by
     * the classes' positions in {@code labels}, as {@code cohen_kappa_score(labels=...)} does. The other metrics do
     * not change.
     *
     * <pre>{@code
     * double macroF1OverAll = report.withLabels(IntStream.range(0, report.classes()).toArray()).f1(Average.MACRO);
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code labels} is empty, repeats a class, or names one outside [0, C)
     */
    public MulticlassReport withLabels(int... labels) {
        if (labels.length == 0) {
            throw new IllegalArgumentException("labels is empty; expected at least one class index");
        }
        boolean[] set = new boolean[classes];
        for (int c : labels) {
            if (c < 0 || c >= classes) {
                throw new IllegalArgumentException("label " + c + " is not a class index in [0, " + (classes - 1)
                        + "]");
            }
            if (set[c]) {
                throw new IllegalArgumentException("labels gives class " + c + " twice");
            }
            set[c] = true;
        }
        return new MulticlassReport(classes, samples, weightSum, confusion, set, topK, topKHits, zeroDivision,
                logLossSum, brierSum, eceL1, eceL2, eceMax, eceBins, rocAuc, rankMode, present, labels.clone(),
                decisionValues);
    }

    /** Precision averaged as {@code average} (not {@link Average#SAMPLES}). */
    public double precision(Average average) {
        return averaged(Prf.PRECISION, average, 1.0);
    }

    /** Recall averaged as {@code average}. */
    public double recall(Average average) {
        return averaged(Prf.RECALL, average, 1.0);
    }

    /** F1 averaged as {@code average}. */
    public double f1(Average average) {
        return averaged(Prf.F, average, 1.0);
    }

    /**
     * scikit-learn's {@code fbeta_score}: F-beta averaged as {@code average} (beta above 1 weighs recall more).
     *
     * @throws IllegalArgumentException if {@code beta} is not finite and {@code >= 0}, or for {@link Average#SAMPLES}
     */
    public double fBeta(double beta, Average average) {
        return averaged(Prf.F, average, Prf.checkBeta(beta));
    }

    /** F-beta of every class. */
    public double[] fBetaPerClass(double beta) {
        return Prf.perLabel(Prf.F, tp, fp, fn, Prf.checkBeta(beta), zeroDivision);
    }

    /** Precision of every class (length C; 0/0 follows the zero-division setting). */
    public double[] precisionPerClass() {
        return Prf.perLabel(Prf.PRECISION, tp, fp, fn, 1.0, zeroDivision);
    }

    /** Recall of every class. */
    public double[] recallPerClass() {
        return Prf.perLabel(Prf.RECALL, tp, fp, fn, 1.0, zeroDivision);
    }

    /** F1 of every class. */
    public double[] f1PerClass() {
        return Prf.perLabel(Prf.F, tp, fp, fn, 1.0, zeroDivision);
    }

    /** The (weighted) number of samples of every class. */
    public double[] supportPerClass() {
        double[] s = new double[classes];
        for (int c = 0; c < classes; c++) {
            s[c] = tp[c] + fn[c];
        }
        return s;
    }

    private double averaged(int measure, Average average, double beta) {
        Objects.requireNonNull(average, "average");
        return switch (average) {
            case MICRO -> Prf.micro(measure, tp, fp, fn, labelSet, beta, zeroDivision);
            case MACRO -> Prf.nanAverage(Prf.perLabel(measure, tp, fp, fn, beta, zeroDivision), null, labelSet);
            case WEIGHTED -> Prf.nanAverage(Prf.perLabel(measure, tp, fp, fn, beta, zeroDivision), supportPerClass(),
                    labelSet);
            case SAMPLES -> throw new IllegalArgumentException("samples averaging applies to multi-label evaluation;"
                    + " expected MICRO, MACRO or WEIGHTED");
        };
    }

    /**
     * The confusion matrix, row-major {@code [C × C]}: row = true class, column = predicted class.
     *
     * @throws IllegalStateException for more classes than a {@code C × C} array can hold in 2^28 cells (16,384):
     *     read {@link #confusionCells} instead
     */
    public double[] confusionMatrix() {
        if (confusion.isDense()) {
            return confusion.dense().clone();
        }
        if ((long) classes * classes > MAX_DENSE_CELLS) {
            throw new IllegalStateException("the confusion matrix of " + classes + " classes has " + (long) classes
                    * classes + " cells; read confusionCells(...), which visits the cells that occur");
        }
        double[] m = new double[classes * classes];
        confusion.forEach((t, p, v) -> m[t * classes + p] += v);
        return m;
    }

    /**
     * Calls {@code cell} with (true class, predicted class, weight) for the cells of the confusion matrix that hold a
     * count (above {@value Confusion#DENSE_LIMIT} classes only those that occur, in no particular order; at most one
     * per row evaluated), for any number of classes.
     */
    public void confusionCells(ConfusionCell cell) {
        java.util.Objects.requireNonNull(cell, "cell");
        confusion.forEach((t, p, v) -> {
            if (v != 0.0) {
                cell.accept(t, p, v);
            }
        });
    }

    /** One cell of the confusion matrix: its true class, predicted class and (weighted) count. */
    @FunctionalInterface
    public interface ConfusionCell {
        /** Takes one cell. */
        void accept(int trueClass, int predictedClass, double weight);
    }

    /** The most cells {@link #confusionMatrix()} builds for a sparse confusion matrix. */
    private static final long MAX_DENSE_CELLS = 1L << 28;

    /**
     * Whether the report was computed from decision values ({@link MulticlassMetrics.Builder#decisionValues}): the
     * probability metrics (log loss, Brier score, ROC AUC, average precision, calibration error) are then NaN and
     * absent from {@link #toMap()}.
     */
    public boolean decisionValues() {
        return decisionValues;
    }

    /** Log loss: the (weighted) mean of {@code -log(clip(p_label))}. */
    public double logLoss() {
        return logLoss;
    }

    /** Brier score: the (weighted) mean of {@code sum_c (Y_c - p_c)^2}. */
    public double brier() {
        return brier;
    }

    /**
     * The Brier score with scikit-learn's {@code scale_by_half} given: the mean of {@code sum_c (p_c - y_c)^2},
     * halved when {@code scaleByHalf} ({@link #brier()} halves it for two classes only, as {@code "auto"} does).
     */
    public double brier(boolean scaleByHalf) {
        return brierSum / weightSum * (scaleByHalf ? 0.5 : 1.0);
    }

    /** The log loss summed rather than averaged over the samples (scikit-learn's {@code normalize=False}). */
    public double logLossSum() {
        return logLossSum;
    }

    /**
     * The (weighted) number of samples whose label is among the top {@code k} (scikit-learn's
     * {@code top_k_accuracy_score(normalize=False)}), for a configured {@code k}.
     *
     * @throws IllegalArgumentException if {@code k} was not configured
     */
    public double topKCorrect(int k) {
        return topKHits[topKSlot(k)];
    }

    /**
     * Matthews correlation coefficient; 0 when undefined. The total is the sum of the predicted counts, as
     * scikit-learn takes it ({@code p_sum.sum()}), so that predictions all of one class give exactly 0, in one pass
     * or after any merge.
     */
    public double matthewsCorrcoef() {
        return confusion.isDense() ? ConfusionMetrics.matthewsCorrcoef(confusion.dense(), classes, present)
                : ConfusionMetrics.matthewsCorrcoef(confusion, present);
    }

    /**
     * One-vs-rest ROC AUC: macro, weighted by prevalence, or micro (one AUC over every (row, class) score, positive
     * where the class is the row's label: scikit-learn's {@code roc_auc_score(multi_class="ovr", average="micro")}).
     */
    public double rocAucOvr(Average average) {
        return average == Average.MICRO ? rocAuc.microOvr() : auc(average, rocAuc.macroOvr(), rocAuc.weightedOvr());
    }

    /** One-vs-one ROC AUC (Hand and Till), macro or weighted by pair prevalence. */
    public double rocAucOvo(Average average) {
        return auc(average, rocAuc.macroOvo(), rocAuc.weightedOvo());
    }

    private static double auc(Average average, double macro, double weighted) {
        return switch (average) {
            case MACRO -> macro;
            case WEIGHTED -> weighted;
            default -> throw new IllegalArgumentException("ROC AUC averages are MACRO or WEIGHTED (and MICRO for"
                    + " one-vs-rest); found " + average);
        };
    }

    /** Expected calibration error, l1 ({@code ece}). */
    public double expectedCalibrationError() {
        return eceL1;
    }

    /** Calibration error with the l2 norm. */
    public double calibrationErrorL2() {
        return eceL2;
    }

    /** Maximum calibration error. */
    public double calibrationErrorMax() {
        return eceMax;
    }

    /** The weighting of disagreements in {@link #cohenKappa(KappaWeights)}, as scikit-learn's {@code weights}. */
    public enum KappaWeights {
        /** Every disagreement weighs 1 ({@code weights=None}). */
        NONE,
        /** {@code |i - j|} between the positions of the two classes among the classes present. */
        LINEAR,
        /** {@code (i - j)^2}. */
        QUADRATIC
    }

    /**
     * scikit-learn's {@code balanced_accuracy_score}: the mean recall over the classes present in the labels (a class
     * only ever predicted is left out); {@code adjusted} rescales it so that chance scores 0 and a perfect
     * classifier 1. NaN when no class has samples.
     *
     * <pre>{@code
     * double balanced = report.balancedAccuracy(false);
     * }</pre>
     */
    public double balancedAccuracy(boolean adjusted) {
        return ConfusionMetrics.balancedAccuracy(tp, fn, present, adjusted);
    }

    /**
     * scikit-learn's {@code cohen_kappa_score} of the labels and the predictions: {@code 1 - sum(w * observed) /
     * sum(w * expected)} over the classes present in either (positions among them give the linear and quadratic
     * weights), the expected counts from the marginals. NaN when undefined (no samples, or one class in common).
     */
    public double cohenKappa(KappaWeights weights) {
        java.util.Objects.requireNonNull(weights, "weights");
        return confusion.isDense() ? ConfusionMetrics.cohenKappa(confusion.dense(), classes, present, labelOrder, weights)
                : ConfusionMetrics.cohenKappa(confusion, present, labelOrder, weights);
    }

    /**
     * scikit-learn's {@code jaccard_score}: {@code tp / (tp + fp + fn)} per class, averaged over the classes present
     * ({@link Average#MICRO} pools the counts, {@link Average#WEIGHTED} weighs by support); 0/0 follows the
     * zero-division policy, and a NaN class makes a macro or weighted mean NaN, as scikit-learn's plain average does.
     *
     * @throws IllegalArgumentException for {@link Average#SAMPLES}, which multi-class data does not have
     */
    public double jaccard(Average average) {
        return ConfusionMetrics.jaccard(average, tp, fp, fn, labelSet, zeroDivision);
    }

    /** The per-class Jaccard index {@code tp / (tp + fp + fn)} of every class (0/0 by the zero-division policy). */
    public double[] jaccardPerClass() {
        double[] out = new double[classes];
        for (int c = 0; c < classes; c++) {
            out[c] = zeroDivision.divide(tp[c], tp[c] + fp[c] + fn[c]);
        }
        return out;
    }

    /** scikit-learn's {@code zero_one_loss}: the (weighted) share of samples whose argmax is not the label. */
    public double zeroOneLoss() {
        return 1.0 - accuracy();
    }

    /**
     * The report as a plain map with stable snake_case keys, in a fixed order: {@code samples}, {@code classes},
     * {@code accuracy}, {@code top_k}, {@code top_k_accuracy}, {@code top_<k>_accuracy} for each k, {@code
     * <average>_precision|recall|f1} for micro, macro, weighted, {@code log_loss}, {@code brier},
     * {@code matthews_corrcoef}, {@code macro_roc_auc_ovr}, {@code weighted_roc_auc_ovr}, {@code macro_roc_auc_ovo},
     * {@code weighted_roc_auc_ovo}, {@code micro_roc_auc_ovr} (and, in binned rank mode,
     * {@code roc_auc_ovr_error_bound}, {@code micro_roc_auc_ovr_error_bound}, {@code roc_auc_ovo_error_bound}),
     * {@code ece}, {@code ece_l2}, {@code ece_max}, {@code ece_bins} (and, with two classes, {@code binary_precision},
     * {@code binary_recall}, {@code binary_f1}: scikit-learn's default {@code average="binary"}), then the lists
     * {@code per_class_precision}, {@code per_class_recall}, {@code per_class_f1}, {@code per_class_support} and
     * {@code confusion_matrix} (a list of rows). Values are {@code Long}, {@code Integer}, {@code Double},
     * {@code List<Double>} or {@code List<List<Double>>}.
     */
    @Override
    public Map<String, Object> toMap() {
        return ReportMaps.multiclass(this);
    }

    /**
     * scikit-learn's multi-class {@code average_precision_score} (one-vs-rest): each class's average precision
     * against the other classes, {@link Average#MACRO} or {@link Average#WEIGHTED} by support (0.0 when the total
     * positive weight is np.isclose to 0). scikit-learn computes it only when every class occurs in the labels; here a
     * class without samples counts 0.0, as scikit-learn's binary average precision without positives gives.
     *
     * @throws IllegalArgumentException for {@link Average#MICRO} or {@link Average#SAMPLES}
     */
    public double averagePrecision(Average average) {
        return switch (Objects.requireNonNull(average, "average")) {
            case MACRO -> rocAuc.macroAp();
            case WEIGHTED -> rocAuc.weightedAp();
            default -> throw new IllegalArgumentException("multi-class average precision averages are MACRO or"
                    + " WEIGHTED; found " + average);
        };
    }

    @Override
    public String title() {
        return "multi-class metrics";
    }

    @Override
    public String toString() {
        return "MulticlassReport[samples=" + samples + ", classes=" + classes + ", accuracy=" + accuracy() + "]";
    }
}
