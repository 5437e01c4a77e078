package io.github.logits4j.metrics;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.kernel.Checks;
import io.github.logits4j.kernel.Parallel;
import io.github.logits4j.kernel.State;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Streaming, mergeable evaluation of a multi-class classifier from its probabilities and the true class indices,
 * matching scikit-learn 1.9 (and torchmetrics 1.9 for the calibration error). Feed batches with {@code update}, combine
 * the accumulators of threads or partitions with {@link #merge}, and read an immutable {@link MulticlassReport} with
 * {@link #result()} at any time.
 *
 * <pre>{@code
 * MulticlassMetrics metrics = MulticlassMetrics.builder(10).topK(5).build();
 * for (Batch b : batches) {
 *     metrics.update(b.probabilities(), b.labels());          // [N x 10] softmax rows, N class indices
 * }
 * MulticlassReport report = metrics.result();
 * double macroF1 = report.f1(Average.MACRO);
 * System.out.println(report.toTable());
 * }</pre>
 *
 * <p><b>Definitions.</b> The predicted class is the argmax (first index on ties). Accuracy, precision, recall, F1
 * (micro, macro, weighted, per class, with {@link ZeroDivision}), the confusion matrix and Matthews correlation come
 * from the (weighted) confusion matrix; macro and weighted averages run over the classes seen in the labels or the
 * predictions, as scikit-learn's default label set; per-class arrays cover all C classes. Top-k accuracy counts a row
 * when fewer than k classes rank above the true one, ties ranking the HIGHER index first, as scikit-learn does; with
 * two classes scikit-learn scores the rows as binary, class 1 when {@code p1 > 0.5} (a tie counts for class 0). Log
 * loss clips probabilities to {@code [eps, 1 - eps]} (eps = the float64 machine epsilon unless set), Brier score is the
 * mean of {@code sum_c (Y_c - p_c)^2} (halved when C = 2). ROC AUC is one-vs-rest and one-vs-one (Hand and Till), macro
 * and weighted by prevalence; a class absent from the labels makes the AUCs NaN, as in scikit-learn. Expected
 * calibration error is torchmetrics' (15 bins by default; l1, l2 and max).
 *
 * <p><b>Memory.</b> Counts take O(C²); rank metrics keep every probability (8·N·C bytes) unless a {@link RankMode}
 * says otherwise. <b>Threads:</b> not thread-safe; use one accumulator per thread and {@link #merge} them.
 */
public final class MulticlassMetrics {
    private final int classes;
    private final int[] topK;
    private final ZeroDivision zeroDivision;
    private final double logLossEpsilon;
    private final double rowSumTolerance;
    /**
     * The most classes whose rank metrics (ROC AUC, average precision) are computed; above it they are refused up
     * front (build with {@link RankMode#none()}), and the confusion counts are kept sparse.
     */
    public static final int MAX_RANKED_CLASSES = Confusion.DENSE_LIMIT;
    /** The default {@link Builder#rowSumTolerance}: float32 softmax rows sum to 1 within about 1e-7. */
    public static final double DEFAULT_ROW_SUM_TOLERANCE = 1e-4;
    private final RankMode rankMode;
    private final int parallelism;
    private final boolean decisionValues;

    private final Confusion confusion;
    private final boolean[] seen;
    private final double[] topKHits;
    private double weightSum;
    private double logLossSum;
    private double brierSum;
    private long rows;
    private final CalibrationError ece;
    private final Store store;
    private final double[] hist;

    private MulticlassMetrics(Builder b) {
        this.classes = b.classes;
        this.topK = b.topK;
        this.zeroDivision = b.zeroDivision;
        this.logLossEpsilon = b.logLossEpsilon;
        this.rowSumTolerance = b.rowSumTolerance;
        this.decisionValues = b.decisionValues;
        this.rankMode = b.decisionValues ? RankMode.none() : b.rankMode;
        this.parallelism = b.parallelism;
        this.confusion = new Confusion(classes);
        this.seen = new boolean[classes];
        this.topKHits = new double[topK.length];
        this.ece = new CalibrationError(b.calibrationBins);
        this.store = rankMode.isExact() ? new Store() : null;
        this.hist = rankMode.isBinned() ? new double[classes * classes * rankMode.bins()] : null;
    }

    /**
     * Checks the k of top-k accuracy as every setting of them does (this builder, evaluation options, the command
     * line): at least one, each at least 1; returns a copy.
     *
     * @throws IllegalArgumentException naming the k that is wrong
     */
    public static int[] checkTopK(int... ks) {
        if (ks.length == 0) {
            throw new IllegalArgumentException("top-k needs at least one k");
        }
        for (int k : ks) {
            if (k < 1) {
                throw new IllegalArgumentException("top-k is " + k + "; expected at least 1");
            }
        }
        return ks.clone();
    }

    /**
     * A builder for {@code classes} classes (at least 2).
     *
     * @throws IllegalArgumentException if {@code classes < 2}
     */
    public static Builder builder(int classes) {
        return new Builder(classes);
    }

    /** The number of classes. */
    public int classes() {
        return classes;
    }

    /** The number of rows added so far. */
    public long rows() {
        return rows;
    }

    /** Adds a batch of {@code [N × C]} probabilities (softmax rows) with their N true classes, all weighing 1. */
    public void update(FloatMatrix probabilities, int[] labels) {
        update(probabilities, labels, null);
    }

    /**
     * Adds a batch with per-sample weights.
     *
     * @param probabilities {@code [N × C]}, each row in [0, 1] summing to 1 (within 1e-4)
     * @param labels N class indices in {@code [0, C)}
     * @param sampleWeights N finite weights {@code >= 0}, or null for all 1
     * @throws IllegalArgumentException naming the row (and column) of the first invalid value; nothing is added then
     */
    public void update(FloatMatrix probabilities, int[] labels, double @Nullable [] sampleWeights) {
        Objects.requireNonNull(labels, "labels");
        Checks.requireCols(probabilities.cols(), classes, "probabilities");
        int n = probabilities.rows();
        checkLengths(n, labels, sampleWeights);
        float[] scratch = probabilities.hasArray() ? null : new float[classes];
        double[] row = new double[classes];
        for (int r = 0; r < n; r++) {
            Checks.rowAsDoubles(probabilities, r, scratch, row);
            validateRow(row, 0, r, labels[r], sampleWeights);
        }
        for (int r = 0; r < n; r++) {
            Checks.rowAsDoubles(probabilities, r, scratch, row);
            addRow(row, 0, labels[r], Checks.weight(sampleWeights, r));
        }
    }

    /**
     * Adds a batch given as a row-major {@code double[]} of {@code rows × C} probabilities.
     *
     * @throws IllegalArgumentException naming the row (and column) of the first invalid value; nothing is added then
     */
    public void update(double[] probabilities, int rows, int[] labels, double @Nullable [] sampleWeights) {
        Objects.requireNonNull(probabilities, "probabilities");
        Objects.requireNonNull(labels, "labels");
        Checks.requireLength(probabilities, rows, classes, "probabilities");
        checkLengths(rows, labels, sampleWeights);
        for (int r = 0; r < rows; r++) {
            validateRow(probabilities, r * classes, r, labels[r], sampleWeights);
        }
        for (int r = 0; r < rows; r++) {
            addRow(probabilities, r * classes, labels[r], Checks.weight(sampleWeights, r));
        }
    }

    private static void checkLengths(int rows, int[] labels, double @Nullable [] sampleWeights) {
        Checks.requireRows(labels.length, rows, "labels");
        if (sampleWeights != null) {
            Checks.requireRows(sampleWeights.length, rows, "sample weights");
        }
    }

    private void validateRow(double[] p, int off, int r, int y, double[] weights) {
        Checks.classLabel(y, r, classes);
        Checks.weight(weights, r);
        if (decisionValues) {
            for (int c = 0; c < classes; c++) {
                if (!Double.isFinite(p[off + c])) {
                    throw new IllegalArgumentException("decision value at row " + r + ", column " + c + " is "
                            + p[off + c] + "; expected a finite number");
                }
            }
            return;
        }
        double sum = 0.0;
        for (int c = 0; c < classes; c++) {
            sum += Checks.probabilityAt(p[off + c], r, c);
        }
        if (!(Math.abs(sum - 1.0) <= rowSumTolerance)) {
            throw new IllegalArgumentException("probabilities at row " + r + " sum to " + sum
                    + "; expected 1 within " + rowSumTolerance + " (multi-class metrics take softmax probabilities,"
                    + " not logits; Builder.rowSumTolerance allows rows that drift further)");
        }
    }

    private void addRow(double[] p, int off, int y, double w) {
        int pred = argmax(p, off);
        confusion.add(y, pred, w);
        seen[y] = true;
        seen[pred] = true;
        double py = p[off + y];
        int above = 0;
        if (classes == 2 && !decisionValues) {
            // scikit-learn scores two classes as binary: class 1 when p1 > 0.5, so a tie goes to class 0
            above = (p[off + 1] > 0.5 ? 1 : 0) == y ? 0 : 1;
        } else {
            for (int c = 0; c < classes; c++) {
                double v = p[off + c];
                if (v > py || (v == py && c > y)) {
                    above++;
                }
            }
        }
        for (int i = 0; i < topK.length; i++) {
            if (above < topK[i]) {
                topKHits[i] += w;
            }
        }
        if (decisionValues) {
            weightSum += w;
            rows++;
            return;
        }
        logLossSum -= w * Math.log(Math.min(Math.max(py, logLossEpsilon), 1.0 - logLossEpsilon));
        double brier = 0.0;
        for (int c = 0; c < classes; c++) {
            double d = (c == y ? 1.0 : 0.0) - p[off + c];
            brier += d * d;
        }
        brierSum += w * brier;
        weightSum += w;
        ece.add(p[off + pred], pred == y, w);
        if (store != null) {
            store.addScores(p, off, classes);
            store.addLabel(y);
            store.addRow(w);
        } else if (hist != null) {
            int bins = rankMode.bins();
            for (int c = 0; c < classes; c++) {
                hist[(c * classes + y) * bins + Ranking.bin(p[off + c], bins)] += w;
            }
        }
        rows++;
    }

    private int argmax(double[] p, int off) {
        return predictedClass(p, off, classes);
    }

    /**
     * The class these metrics count as predicted for one row of probabilities: the first of the highest (as
     * scikit-learn's {@code argmax}); for a caller that must decide as the report counts (the Spark transformer's
     * {@code prediction}).
     */
    public static int predictedClass(double[] probabilities, int offset, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (probabilities[offset + c] > probabilities[offset + best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * Adds everything {@code other} has seen to this accumulator.
     *
     * @throws IllegalArgumentException if the two were built with different settings
     */
    public void merge(MulticlassMetrics other) {
        Objects.requireNonNull(other, "other");
        if (other.classes != classes || !Arrays.equals(other.topK, topK) || other.zeroDivision != zeroDivision
                || other.logLossEpsilon != logLossEpsilon || other.rowSumTolerance != rowSumTolerance
                || other.decisionValues != decisionValues || !other.rankMode.equals(rankMode)
                || other.ece.bins() != ece.bins()) {
            throw new IllegalArgumentException("cannot merge multi-class metrics built with different settings: "
                    + settings() + " vs " + other.settings());
        }
        confusion.merge(other.confusion);
        for (int c = 0; c < classes; c++) {
            seen[c] |= other.seen[c];
        }
        for (int i = 0; i < topKHits.length; i++) {
            topKHits[i] += other.topKHits[i];
        }
        weightSum += other.weightSum;
        logLossSum += other.logLossSum;
        brierSum += other.brierSum;
        rows += other.rows;
        ece.merge(other.ece);
        if (store != null) {
            store.merge(other.store);
        }
        if (hist != null) {
            for (int i = 0; i < hist.length; i++) {
                hist[i] += other.hist[i];
            }
        }
    }

    /**
     * The one-vs-rest ROC curve of class {@code c}: its probabilities against whether the row is of that class, with
     * the sample weights (scikit-learn's {@code roc_curve} on that column). In binned rank mode, the curve of the bins
     * (one point per non-empty bin; {@link RocCurve#areaBound()} says how far its area may lie from the exact one).
     *
     * @throws IllegalStateException if the rank mode is none, or nothing was added
     * @throws IllegalArgumentException if {@code c} is out of range
     */
    public RocCurve rocCurve(int c, boolean dropIntermediate) {
        if (hist != null) {
            double[][] pn = binnedColumn(Curves.checkColumn(c, classes, "class"));
            return Curves.binnedRoc(pn[0], pn[1], rankMode.bins());
        }
        Curves.Column col = Curves.column(Curves.requireScores(store, rankMode), classes,
                Curves.checkColumn(c, classes, "class"), false);
        return Curves.roc(col.scores(), col.labels(), col.weights(), dropIntermediate);
    }

    /**
     * The micro-averaged ROC curve: every probability against its 0/1 truth as one binary problem, each row's weight
     * on all its entries (scikit-learn's {@code roc_curve(Y.ravel(), P.ravel())}); in binned rank mode, of the bins.
     *
     * @throws IllegalStateException if the rank mode is none, or nothing was added
     */
    public RocCurve microRocCurve(boolean dropIntermediate) {
        if (hist != null) {
            double[][] pn = binnedMicro();
            return Curves.binnedRoc(pn[0], pn[1], rankMode.bins());
        }
        Curves.Column col = Curves.micro(Curves.requireScores(store, rankMode), classes, false);
        return Curves.roc(col.scores(), col.labels(), col.weights(), dropIntermediate);
    }

    /**
     * The macro-averaged ROC curve over the classes ({@link Curves#macroRoc} of the per-class curves).
     *
     * @throws IllegalStateException if the rank mode is none, or nothing was added
     */
    public RocCurve macroRocCurve() {
        List<RocCurve> curves = new ArrayList<>();
        for (int j = 0; j < classes; j++) {
            curves.add(rocCurve(j, true));
        }
        return Curves.macroRoc(curves);
    }

    /**
     * The one-vs-rest precision-recall curve of class {@code c} (scikit-learn's
     * {@code precision_recall_curve} on that column), with the sample weights; in binned rank mode, of the bins.
     *
     * @throws IllegalStateException if the rank mode is none, or nothing was added
     * @throws IllegalArgumentException if {@code c} is out of range
     */
    public PrecisionRecallCurve precisionRecallCurve(int c, boolean dropIntermediate) {
        if (hist != null) {
            double[][] pn = binnedColumn(Curves.checkColumn(c, classes, "class"));
            return Curves.binnedPrecisionRecall(pn[0], pn[1], rankMode.bins());
        }
        Curves.Column col = Curves.column(Curves.requireScores(store, rankMode), classes,
                Curves.checkColumn(c, classes, "class"), false);
        return Curves.precisionRecall(col.scores(), col.labels(), col.weights(), dropIntermediate);
    }

    /**
     * The micro-averaged precision-recall curve (scikit-learn's {@code precision_recall_curve(Y.ravel(),
     * P.ravel())}), each row's weight on all its entries; in binned rank mode, of the bins.
     *
     * @throws IllegalStateException if the rank mode is none, or nothing was added
     */
    public PrecisionRecallCurve microPrecisionRecallCurve(boolean dropIntermediate) {
        if (hist != null) {
            double[][] pn = binnedMicro();
            return Curves.binnedPrecisionRecall(pn[0], pn[1], rankMode.bins());
        }
        Curves.Column col = Curves.micro(Curves.requireScores(store, rankMode), classes, false);
        return Curves.precisionRecall(col.scores(), col.labels(), col.weights(), dropIntermediate);
    }

    /**
     * The calibration curve of class {@code c}'s probabilities one-vs-rest (scikit-learn's
     * {@code calibration_curve} on that column, which weighs every sample alike).
     *
     * @throws IllegalStateException unless the rank mode is exact, or nothing was added
     * @throws IllegalArgumentException if {@code c} is out of range or {@code bins < 1}
     */
    public CalibrationCurve calibrationCurve(int c, int bins, CalibrationCurve.Strategy strategy) {
        Curves.Column col = Curves.column(Curves.requireScores(store, rankMode), classes,
                Curves.checkColumn(c, classes, "class"), false);
        return Curves.calibration(col.scores(), col.labels(), bins, strategy);
    }

    /**
     * The calibration curve of every probability against its 0/1 truth as one binary problem (scikit-learn's
     * {@code calibration_curve(Y.ravel(), P.ravel())}).
     *
     * @throws IllegalStateException unless the rank mode is exact, or nothing was added
     * @throws IllegalArgumentException if {@code bins < 1}
     */
    public CalibrationCurve microCalibrationCurve(int bins, CalibrationCurve.Strategy strategy) {
        Curves.Column col = Curves.micro(Curves.requireScores(store, rankMode), classes, false);
        return Curves.calibration(col.scores(), col.labels(), bins, strategy);
    }

    /**
     * The reliability diagram of the expected calibration error's bins: each row's top probability (its confidence)
     * against whether its argmax is right, in any rank mode.
     */
    public CalibrationCurve reliabilityCurve() {
        return ece.curve();
    }

    /** Whether ROC and precision-recall curves can be drawn (exact or binned rank mode). */
    boolean hasRankCurves() {
        return store != null || hist != null;
    }

    /** The binned weights of class {@code c}'s scores: rows of class {@code c}, and the others. */
    private double[][] binnedColumn(int c) {
        int bins = rankMode.bins();
        double[][] pn = new double[2][bins];
        for (int y = 0; y < classes; y++) {
            int base = (c * classes + y) * bins;
            double[] into = pn[y == c ? 0 : 1];
            for (int i = 0; i < bins; i++) {
                into[i] += hist[base + i];
            }
        }
        return pn;
    }

    /** The binned weights of every class's scores, pooled (micro-averaging). */
    private double[][] binnedMicro() {
        int bins = rankMode.bins();
        double[][] all = new double[2][bins];
        for (int c = 0; c < classes; c++) {
            double[][] pn = binnedColumn(c);
            for (int i = 0; i < bins; i++) {
                all[0][i] += pn[0][i];
                all[1][i] += pn[1][i];
            }
        }
        return all;
    }

    /**
     * What this accumulator has seen, in a compact binary form (its settings as text, then its sums; the stored scores
     * in exact rank mode), to send to another JVM and {@link #mergeBytes merge} there: a Spark partition's metrics,
     * say. Not meant for storage: read it with the same logits4j version.
     *
     * @throws IllegalStateException if exact rank mode holds more scores than one array can
     */
    public byte[] toBytes() {
        return State.write("multi-class metrics", settings(), this::exchange);
    }

    /**
     * Adds what {@link #toBytes} wrote, from an accumulator built with the same settings, to this one; as
     * {@link #merge}, with the same result.
     *
     * @throws IllegalArgumentException if the bytes are not such a state, or come from other settings (nothing is
     *         merged then); if they are truncated, this accumulator is left partly merged and should be dropped
     */
    public void mergeBytes(byte[] state) {
        State.merge(state, "multi-class metrics", settings(), this::exchange);
    }

    /** Writes the sums, or adds another accumulator's ({@link State}). */
    private void exchange(State s) {
        confusion.exchange(s);
        s.or(seen);
        s.add(topKHits);
        weightSum = s.add(weightSum);
        logLossSum = s.add(logLossSum);
        brierSum = s.add(brierSum);
        rows = s.add(rows);
        ece.exchange(s);
        if (store != null) {
            store.exchange(s);
        }
        if (hist != null) {
            s.add(hist);
        }
    }

    private String settings() {
        return "classes=" + classes + ", topK=" + Arrays.toString(topK) + ", zeroDivision=" + zeroDivision
                + ", logLossEpsilon=" + logLossEpsilon + ", rowSumTolerance=" + rowSumTolerance + ", decisionValues="
                + decisionValues + ", rankMode=" + rankMode + ", calibrationBins=" + ece.bins();
    }

    /** The metrics of everything added so far; the accumulator stays usable. */
    public MulticlassReport result() {
        double[] auc = new MulticlassRanking(classes, rows, confusion.rowSums(), store, hist, rankMode,
                parallelism).rocAuc();
        double nan = Double.NaN;
        return decisionValues
                ? new MulticlassReport(classes, rows, weightSum, confusion.copy(), seen.clone(), topK.clone(),
                        topKHits.clone(), zeroDivision, nan, nan, nan, nan, nan, ece.bins(), auc, rankMode, true)
                : new MulticlassReport(classes, rows, weightSum, confusion.copy(), seen.clone(), topK.clone(),
                        topKHits.clone(), zeroDivision, logLossSum, brierSum, ece.l1(), ece.l2(), ece.max(),
                        ece.bins(), auc, rankMode, false);
    }

    /**
     * Why rank metrics are refused for {@code classes}: above {@value Confusion#DENSE_LIMIT} classes ROC AUC and
     * average precision are refused up front, naming what works.
     */
    static String rankLimit(int classes) {
        return "ROC AUC and average precision over " + classes + " classes are not computed: one-vs-one AUC pairs"
                + " every two classes (" + (long) classes * (classes - 1) / 2 + " pairs), and scikit-learn defines"
                + " multi-class AUC only when every class occurs in the labels; above " + Confusion.DENSE_LIMIT
                + " classes build with rankMode(RankMode.none()) (on the command line --rank-metrics none). Accuracy,"
                + " top-k accuracy, precision, recall, F1, Matthews, kappa, log loss, Brier and calibration error work at"
                + " any class count";
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

    /**
     * Configures a {@link MulticlassMetrics}; setters validate at once.
     *
     * <pre>{@code
     * MulticlassMetrics m = MulticlassMetrics.builder(10).topK(1, 5).zeroDivision(ZeroDivision.NAN).build();
     * }</pre>
     */
    public static final class Builder {
        private final int classes;
        private int[] topK;
        private ZeroDivision zeroDivision = ZeroDivision.ZERO;
        private double logLossEpsilon = Math.ulp(1.0);
        private double rowSumTolerance = DEFAULT_ROW_SUM_TOLERANCE;
        private boolean decisionValues;
        private RankMode rankMode = RankMode.exact();
        private int calibrationBins = 15;
        private int parallelism = 1;

        private Builder(int classes) {
            if (classes < 2) {
                throw new IllegalArgumentException("a multi-class evaluation needs at least 2 classes; found "
                        + classes);
            }
            this.classes = classes;
            this.topK = new int[] {Math.min(5, classes)};
        }

        /**
         * The k of top-k accuracy; the first is the report's {@code top_k_accuracy} (default 5, or C if fewer). A k of
         * C or more counts every row, as scikit-learn does (it warns).
         *
         * @throws IllegalArgumentException if none is given or one is below 1
         */
        public Builder topK(int... ks) {
            this.topK = checkTopK(ks);
            return this;
        }

        /** What 0/0 gives in precision, recall and F1 (default {@link ZeroDivision#ZERO}). */
        public Builder zeroDivision(ZeroDivision zeroDivision) {
            this.zeroDivision = Objects.requireNonNull(zeroDivision, "zeroDivision");
            return this;
        }

        /**
         * The batches hold decision values (SVM margins, ridge or perceptron scores), not probabilities: any finite
         * values, ranked per row. The decision metrics hold (accuracy, top-k accuracy by rank, precision, recall, F1,
         * Jaccard, Matthews, Cohen's kappa, balanced accuracy, the confusion matrix; with two classes the argmax
         * decides, not {@code p1 > 0.5}); log loss, Brier score, ROC AUC, average precision and calibration error
         * have no meaning and are NaN (absent from the report's map). The rank mode is {@link RankMode#none()}.
         */
        public Builder decisionValues() {
            this.decisionValues = true;
            return this;
        }

        /**
         * How far from 1 a row of probabilities may sum (default {@value #DEFAULT_ROW_SUM_TOLERANCE}). Rows within it
         * are scored as they are, not renormalised, as scikit-learn 1.9's {@code log_loss} does (it only warns);
         * float32 exports that build probabilities with arithmetic (GaussianNB: rows up to 1.0025) need more.
         *
         * @throws IllegalArgumentException unless {@code 0 <= tolerance < 1}
         */
        public Builder rowSumTolerance(double tolerance) {
            if (!(tolerance >= 0 && tolerance < 1)) {
                throw new IllegalArgumentException("row-sum tolerance is " + tolerance + "; expected a value in [0, 1)");
            }
            this.rowSumTolerance = tolerance;
            return this;
        }

        /**
         * The log-loss clip, {@code [eps, 1 - eps]}: scikit-learn uses the machine epsilon of the input's dtype
         * (float64 2.220446e-16, the default; float32 1.1920929e-7).
         */
        public Builder logLossEpsilon(double eps) {
            this.logLossEpsilon = Checks.logLossEpsilon(eps);
            return this;
        }

        /**
         * Threads for the exact ROC AUC in {@link MulticlassMetrics#result()} (default 1: the calling thread only):
         * the class columns are sorted and walked on the calling thread and the common fork-join pool, each thread
         * with its own buffers of one column (8 bytes a row), and the result equals one thread's bit for bit.
         *
         * @throws IllegalArgumentException if {@code threads < 1}
         */
        public Builder parallelism(int threads) {
            this.parallelism = Parallel.check(threads);
            return this;
        }

        /** How ROC AUC is computed (default {@link RankMode#exact()}). */
        public Builder rankMode(RankMode mode) {
            RankMode m = Objects.requireNonNull(mode, "rankMode");
            if (m.isBinned() && (long) classes * classes * m.bins() > 50_000_000L) {
                throw new IllegalArgumentException(classes > Confusion.DENSE_LIMIT ? rankLimit(classes)
                        : "binned one-vs-one AUC keeps C*C*bins = " + classes + "*" + classes + "*" + m.bins()
                        + " doubles; expected at most 50,000,000: use fewer bins, or RankMode.none()");
            }
            this.rankMode = m;
            return this;
        }

        /** The number of equal-width bins of the expected calibration error (default 15). */
        public Builder calibrationBins(int bins) {
            CalibrationError.boundaries(bins);
            this.calibrationBins = bins;
            return this;
        }

        /** Builds an empty accumulator. */
        public MulticlassMetrics build() {
            if (classes > Confusion.DENSE_LIMIT && !decisionValues && !rankMode.isNone()) {
                throw new IllegalArgumentException(rankLimit(classes));
            }
            return new MulticlassMetrics(this);
        }
    }
}
