package io.github.logits4j.metrics;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.kernel.Checks;
import io.github.logits4j.kernel.State;
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
    private final ZeroDivision zeroDivision;
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
    private final TopKHits topK;
    private double weightSum;
    private long rows;
    /** Log loss, Brier score and calibration error (probabilities only). */
    private final ProperScores scores;
    private final RankColumns rank;

    private MulticlassMetrics(Builder b) {
        this.classes = b.classes;
        this.topK = new TopKHits(b.topK);
        this.zeroDivision = b.settings.zeroDivision();
        this.rowSumTolerance = b.rowSumTolerance;
        this.decisionValues = b.decisionValues;
        this.rankMode = b.decisionValues ? RankMode.none() : b.settings.rankMode();
        this.parallelism = b.settings.parallelism();
        this.confusion = new Confusion(classes);
        this.seen = new boolean[classes];
        this.scores = new ProperScores(b.settings.logLossEpsilon(), b.settings.calibrationBins());
        this.rank = new RankColumns(rankMode, classes, false);
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
        RowChecks.scores(p, off, classes, r, decisionValues, rowSumTolerance);
    }

    private void addRow(double[] p, int off, int y, double w) {
        int pred = predictedClass(p, off, classes);
        confusion.add(y, pred, w);
        seen[y] = true;
        seen[pred] = true;
        topK.add(p, off, classes, y, decisionValues, w);
        weightSum += w;
        rows++;
        if (!decisionValues) {
            double brier = 0.0;
            for (int c = 0; c < classes; c++) {
                double d = (c == y ? 1.0 : 0.0) - p[off + c];
                brier += d * d;
            }
            scores.add(p[off + y], brier, p[off + pred], pred == y, w);
            rank.addClassRow(p, off, y, w);
        }
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
        if (other.classes != classes || !other.topK.sameKs(topK) || other.zeroDivision != zeroDivision
                || !other.scores.sameSettings(scores) || other.rowSumTolerance != rowSumTolerance
                || other.decisionValues != decisionValues || !other.rankMode.equals(rankMode)) {
            throw new IllegalArgumentException("cannot merge multi-class metrics built with different settings: "
                    + settings() + " vs " + other.settings());
        }
        confusion.merge(other.confusion);
        for (int c = 0; c < classes; c++) {
            seen[c] |= other.seen[c];
        }
        topK.merge(other.topK);
        weightSum += other.weightSum;
        rows += other.rows;
        scores.merge(other.scores);
        rank.merge(other.rank);
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
        return rank.roc(c, dropIntermediate);
    }

    /**
     * The micro-averaged ROC curve: every probability against its 0/1 truth as one binary problem, each row's weight
     * on all its entries (scikit-learn's {@code roc_curve(Y.ravel(), P.ravel())}); in binned rank mode, of the bins.
     *
     * @throws IllegalStateException if the rank mode is none, or nothing was added
     */
    public RocCurve microRocCurve(boolean dropIntermediate) {
        return rank.microRoc(dropIntermediate);
    }

    /**
     * The macro-averaged ROC curve over the classes ({@link Curves#macroRoc} of the per-class curves).
     *
     * @throws IllegalStateException if the rank mode is none, or nothing was added
     */
    public RocCurve macroRocCurve() {
        return rank.macroRoc();
    }

    /**
     * The one-vs-rest precision-recall curve of class {@code c} (scikit-learn's
     * {@code precision_recall_curve} on that column), with the sample weights; in binned rank mode, of the bins.
     *
     * @throws IllegalStateException if the rank mode is none, or nothing was added
     * @throws IllegalArgumentException if {@code c} is out of range
     */
    public PrecisionRecallCurve precisionRecallCurve(int c, boolean dropIntermediate) {
        return rank.precisionRecall(c, dropIntermediate);
    }

    /**
     * The micro-averaged precision-recall curve (scikit-learn's {@code precision_recall_curve(Y.ravel(),
     * P.ravel())}), each row's weight on all its entries; in binned rank mode, of the bins.
     *
     * @throws IllegalStateException if the rank mode is none, or nothing was added
     */
    public PrecisionRecallCurve microPrecisionRecallCurve(boolean dropIntermediate) {
        return rank.microPrecisionRecall(dropIntermediate);
    }

    /**
     * The calibration curve of class {@code c}'s probabilities one-vs-rest (scikit-learn's
     * {@code calibration_curve} on that column, which weighs every sample alike).
     *
     * @throws IllegalStateException unless the rank mode is exact, or nothing was added
     * @throws IllegalArgumentException if {@code c} is out of range or {@code bins < 1}
     */
    public CalibrationCurve calibrationCurve(int c, int bins, CalibrationCurve.Strategy strategy) {
        return rank.calibration(c, bins, strategy);
    }

    /**
     * The calibration curve of every probability against its 0/1 truth as one binary problem (scikit-learn's
     * {@code calibration_curve(Y.ravel(), P.ravel())}).
     *
     * @throws IllegalStateException unless the rank mode is exact, or nothing was added
     * @throws IllegalArgumentException if {@code bins < 1}
     */
    public CalibrationCurve microCalibrationCurve(int bins, CalibrationCurve.Strategy strategy) {
        return rank.microCalibration(bins, strategy);
    }

    /**
     * The reliability diagram of the expected calibration error's bins: each row's top probability (its confidence)
     * against whether its argmax is right, in any rank mode.
     */
    public CalibrationCurve reliabilityCurve() {
        return scores.ece.curve();
    }

    /** Whether ROC and precision-recall curves can be drawn (exact or binned rank mode). */
    boolean hasRankCurves() {
        return rank.hasCurves();
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
        topK.exchange(s);
        weightSum = s.add(weightSum);
        rows = s.add(rows);
        scores.exchange(s);
        rank.exchange(s);
    }

    private String settings() {
        return "classes=" + classes + ", topK=" + topK + ", zeroDivision=" + zeroDivision
                + ", rowSumTolerance=" + rowSumTolerance + ", decisionValues=" + decisionValues + ", rankMode="
                + rankMode + ", " + scores.settings();
    }

    /** The metrics of everything added so far; the accumulator stays usable. */
    public MulticlassReport result() {
        MulticlassRanks auc = new MulticlassRanking(classes, rows, confusion.rowSums(), rank.store, rank.hist, rankMode,
                parallelism).rocAuc();
        double nan = Double.NaN;
        return decisionValues
                ? new MulticlassReport(classes, rows, weightSum, confusion.copy(), seen.clone(), topK.ks(),
                        topK.hits(), zeroDivision, nan, nan, nan, nan, nan, scores.ece.bins(), auc, rankMode, true)
                : new MulticlassReport(classes, rows, weightSum, confusion.copy(), seen.clone(), topK.ks(),
                        topK.hits(), zeroDivision, scores.logLossSum(), scores.brierSum(), scores.ece.l1(),
                        scores.ece.l2(), scores.ece.max(), scores.ece.bins(), auc, rankMode, false);
    }

    /**
     * Configures a {@link MulticlassMetrics}; setters validate at once.
     *
     * <pre>{@code
     * MulticlassMetrics m = MulticlassMetrics.builder(10).topK(1, 5).zeroDivision(ZeroDivision.NAN).build();
     * }</pre>
     */
    public static final class Builder {
        private MetricSettings settings = MetricSettings.DEFAULT;
        private final int classes;
        private int[] topK;
        private double rowSumTolerance = DEFAULT_ROW_SUM_TOLERANCE;
        private boolean decisionValues;

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
            this.settings = settings.toBuilder().zeroDivision(zeroDivision).build();
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
            this.settings = settings.toBuilder().logLossEpsilon(eps).build();
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
            this.settings = settings.toBuilder().parallelism(threads).build();
            return this;
        }

        /** How ROC AUC is computed (default {@link RankMode#exact()}). */
        public Builder rankMode(RankMode mode) {
            RankMode m = Objects.requireNonNull(mode, "rankMode");
            if (m.isBinned() && (long) classes * classes * m.bins() > 50_000_000L) {
                throw new IllegalArgumentException(classes > Confusion.DENSE_LIMIT ? MulticlassRanking.limit(classes)
                        : "binned one-vs-one AUC keeps C*C*bins = " + classes + "*" + classes + "*" + m.bins()
                        + " doubles; expected at most 50,000,000: use fewer bins, or RankMode.none()");
            }
            this.settings = settings.toBuilder().rankMode(m).build();
            return this;
        }

        /** The number of equal-width bins of the expected calibration error (default 15). */
        public Builder calibrationBins(int bins) {
            this.settings = settings.toBuilder().calibrationBins(bins).build();
            return this;
        }

        /**
         * Every shared setting at once ({@link MetricSettings}); the rank mode is checked as {@link #rankMode} checks
         * it.
         */
        public Builder settings(MetricSettings settings) {
            Objects.requireNonNull(settings, "settings");
            this.settings = settings;
            return rankMode(settings.rankMode());
        }

        /** Builds an empty accumulator. */
        public MulticlassMetrics build() {
            if (classes > Confusion.DENSE_LIMIT && !decisionValues && !settings.rankMode().isNone()) {
                throw new IllegalArgumentException(MulticlassRanking.limit(classes));
            }
            return new MulticlassMetrics(this);
        }
    }
}
