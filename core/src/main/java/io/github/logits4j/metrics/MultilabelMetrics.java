package io.github.logits4j.metrics;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.decision.Comparison;
import io.github.logits4j.decision.DecisionThresholds;
import io.github.logits4j.kernel.Checks;
import io.github.logits4j.kernel.State;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Streaming, mergeable evaluation of a multi-label classifier from its per-label probabilities and 0/1 label
 * matrix, matching scikit-learn 1.9.
 *
 * <pre>{@code
 * MultilabelMetrics metrics = MultilabelMetrics.builder(4)
 *         .thresholds(new double[] {0.5, 0.4, 0.6, 0.5})   // or one threshold; p >= t by default
 *         .build();
 * metrics.update(probabilities, labels);                      // both [N x 4]; labels 0/1
 * MultilabelReport report = metrics.result();
 * double hamming = report.hammingLoss();
 * }</pre>
 *
 * <p><b>Definitions.</b> A label is predicted when {@code p >= t} (or {@code >}). Hamming loss is the (weighted) share
 * of wrong labels; subset accuracy the share of rows with every label right; precision, recall and F1 are micro,
 * macro, weighted (by support) and samples averaged, and per label, with {@link ZeroDivision} for 0/0 (NaN entries
 * are left out of averages). ROC AUC (micro, macro, weighted) and average precision (micro, macro) are per label as in
 * the binary case: macro AUC is NaN when a label has only one class present, and an all-negative label's AP is 0.0.
 * Label ranking average precision, coverage error and label ranking loss are per row, then averaged with the sample
 * weights: rows whose labels are all 0 or all 1 score 1 (LRAP) and 0 (ranking loss), rows with no relevant label
 * cover 0.
 *
 * <p><b>Memory.</b> O(L) counts; rank metrics keep every probability and label (12·N·L bytes) unless a
 * {@link RankMode} says otherwise. <b>Threads:</b> not thread-safe; one accumulator per thread, then {@link #merge}.
 */
public final class MultilabelMetrics {
    private final int labels;
    private final ZeroDivision zeroDivision;
    private final RankMode rankMode;
    private final int parallelism;

    /** Per-label confusion counts at the thresholds, wrong labels and exact rows. */
    private final LabelCounts counts;
    private double weightSum;
    /** The betas whose samples-averaged F-beta is kept ({@link Builder#samplesFBeta}). */
    private final double[] samplesFBeta;
    /** The samples averages: each row's precision, recall, F1, F-betas and Jaccard index, averaged. */
    private final SampleAverages samples;
    /** The per-row ranking metrics: samples AP and AUC, NDCG and DCG, LRAP, coverage error, ranking loss. */
    private final LabelRanking ranking;
    private long rows;
    private final RankColumns rank;

    private MultilabelMetrics(Builder b) {
        this.labels = b.labels;
        this.counts = new LabelCounts(labels, b.thresholds);
        this.zeroDivision = b.settings.zeroDivision();
        this.rankMode = b.settings.rankMode();
        this.parallelism = b.settings.parallelism();
        this.ranking = new LabelRanking(labels, b.ndcgK == 0 ? labels : Math.min(b.ndcgK, labels));
        this.samplesFBeta = b.samplesFBeta;
        this.samples = new SampleAverages(zeroDivision, samplesFBeta);
        this.rank = new RankColumns(rankMode, labels, true);
    }

    /**
     * A builder for {@code labels} labels (at least 1).
     *
     * @throws IllegalArgumentException if {@code labels < 1}
     */
    public static Builder builder(int labels) {
        return new Builder(labels);
    }

    /** The number of labels. */
    public int labels() {
        return labels;
    }

    /** The number of rows added so far. */
    public long rows() {
        return rows;
    }

    /** Adds a batch of {@code [N × L]} probabilities with the {@code [N × L]} 0/1 labels, all weighing 1. */
    public void update(FloatMatrix probabilities, FloatMatrix labelMatrix) {
        update(probabilities, labelMatrix, null);
    }

    /**
     * Adds a batch with per-sample weights.
     *
     * @throws IllegalArgumentException naming the row and column of the first invalid value; nothing is added then
     */
    public void update(FloatMatrix probabilities, FloatMatrix labelMatrix, double @Nullable [] sampleWeights) {
        Objects.requireNonNull(probabilities, "probabilities");
        Objects.requireNonNull(labelMatrix, "labels");
        Checks.requireCols(probabilities.cols(), labels, "probabilities");
        probabilities.requireSameShape(labelMatrix, "labels");
        update(probabilities, null, labelMatrix, sampleWeights);
    }

    /**
     * Adds a batch of row-major {@code [N × L]} double probabilities with an {@code [N × L]} 0/1 label matrix (the
     * form evaluation has: float64 probabilities of a model's float32 outputs, labels as read from data).
     *
     * @throws IllegalArgumentException naming the row and column of the first invalid value; nothing is added then
     */
    public void update(double[] probabilities, FloatMatrix labelMatrix, double @Nullable [] sampleWeights) {
        Objects.requireNonNull(probabilities, "probabilities");
        Objects.requireNonNull(labelMatrix, "labels");
        Checks.requireCols(labelMatrix.cols(), labels, "labels");
        Checks.requireLength(probabilities, labelMatrix.rows(), labels, "probabilities");
        update(null, probabilities, labelMatrix, sampleWeights);
    }

    /** Validates every row, then adds them: probabilities from the matrix or the array, whichever is given. */
    private void update(FloatMatrix probMatrix, double[] probArray, FloatMatrix labelMatrix,
            double @Nullable [] sampleWeights) {
        int n = labelMatrix.rows();
        if (sampleWeights != null) {
            Checks.requireRows(sampleWeights.length, n, "sample weights");
        }
        float[] pScratch = probMatrix == null || probMatrix.hasArray() ? null : new float[labels];
        float[] yScratch = labelMatrix.hasArray() ? null : new float[labels];
        double[] p = probMatrix == null ? null : new double[labels];
        int[] y = new int[labels];
        for (int r = 0; r < n; r++) {                  // every row checked first: a bad value adds nothing
            float[] ya = labelMatrix.row(r, yScratch);
            for (int l = 0, off = labelMatrix.rowOffset(r); l < labels; l++) {
                label(ya[off + l], r, l);
            }
            if (probMatrix != null) {
                Checks.weight(sampleWeights, r);
                float[] a = probMatrix.row(r, pScratch);
                for (int l = 0, off = probMatrix.rowOffset(r); l < labels; l++) {
                    Checks.probabilityAt(a[off + l], r, l);
                }
            } else {
                validateRow(probArray, r * labels, r, sampleWeights);
            }
        }
        for (int r = 0; r < n; r++) {
            double[] row = p;
            int off = 0;
            if (probMatrix != null) {
                Checks.rowAsDoubles(probMatrix, r, pScratch, p);
            } else {
                row = probArray;
                off = r * labels;
            }
            float[] ya = labelMatrix.row(r, yScratch);
            for (int l = 0, yOff = labelMatrix.rowOffset(r); l < labels; l++) {
                y[l] = (int) ya[yOff + l];               // 0 or 1, checked above
            }
            addRow(row, off, y, 0, Checks.weight(sampleWeights, r));
        }
    }

    /**
     * Adds a batch given as row-major arrays of {@code rows × L} probabilities and 0/1 labels.
     *
     * @throws IllegalArgumentException naming the row and column of the first invalid value; nothing is added then
     */
    public void update(double[] probabilities, int[] labelMatrix, int rows, double @Nullable [] sampleWeights) {
        Objects.requireNonNull(probabilities, "probabilities");
        Objects.requireNonNull(labelMatrix, "labels");
        Checks.requireLength(probabilities, rows, labels, "probabilities");
        if (labelMatrix.length != probabilities.length) {
            throw new IllegalArgumentException("labels has " + labelMatrix.length + " values; expected rows * labels = "
                    + probabilities.length);
        }
        if (sampleWeights != null) {
            Checks.requireRows(sampleWeights.length, rows, "sample weights");
        }
        for (int r = 0; r < rows; r++) {
            for (int l = 0; l < labels; l++) {
                label(labelMatrix[r * labels + l], r, l);
            }
            validateRow(probabilities, r * labels, r, sampleWeights);
        }
        for (int r = 0; r < rows; r++) {
            addRow(probabilities, r * labels, labelMatrix, r * labels, Checks.weight(sampleWeights, r));
        }
    }

    private static int label(double v, int r, int l) {
        return Checks.zeroOneLabel(v, r, l);
    }

    private void validateRow(double[] p, int off, int r, double[] weights) {
        Checks.weight(weights, r);
        for (int l = 0; l < labels; l++) {
            Checks.probabilityAt(p[off + l], r, l);
        }
    }

    private void addRow(double[] p, int pOff, int[] y, int yOff, double w) {
        counts.add(p, pOff, y, yOff, w);
        weightSum += w;
        // a zero-weight row is 0/0 (the zero_division value, left out of the samples average when NaN)
        samples.add(counts.rowTp, counts.rowFp, counts.rowFn, w);
        ranking.add(p, pOff, y, yOff, counts.relevant, w);
        rank.addEntryRow(p, pOff, y, yOff, w);
        rows++;
    }

    /**
     * Adds everything {@code other} has seen.
     *
     * @throws IllegalArgumentException if the two were built with different settings
     */
    public void merge(MultilabelMetrics other) {
        Objects.requireNonNull(other, "other");
        if (other.labels != labels || !other.counts.sameRule(counts) || other.zeroDivision != zeroDivision || !other.rankMode.equals(rankMode)
                || !Arrays.equals(other.samplesFBeta, samplesFBeta) || other.ranking.ndcgK() != ranking.ndcgK()) {
            throw new IllegalArgumentException("cannot merge multi-label metrics built with different settings");
        }
        counts.merge(other.counts);
        weightSum += other.weightSum;
        samples.merge(other.samples);
        ranking.merge(other.ranking);
        rows += other.rows;
        rank.merge(other.rank);
    }

    /**
     * The one-vs-rest ROC curve of label {@code label}: its probabilities against whether the row has that label, with
     * the sample weights (scikit-learn's {@code roc_curve} on that column). In binned rank mode, the curve of the bins
     * (one point per non-empty bin; {@link RocCurve#areaBound()} says how far its area may lie from the exact one).
     *
     * @throws IllegalStateException if the rank mode is none, or nothing was added
     * @throws IllegalArgumentException if {@code label} is out of range
     */
    public RocCurve rocCurve(int label, boolean dropIntermediate) {
        return rank.roc(label, dropIntermediate);
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
     * The macro-averaged ROC curve over the labels ({@link Curves#macroRoc} of the per-label curves).
     *
     * @throws IllegalStateException if the rank mode is none, or nothing was added
     */
    public RocCurve macroRocCurve() {
        return rank.macroRoc();
    }

    /**
     * The one-vs-rest precision-recall curve of label {@code label} (scikit-learn's
     * {@code precision_recall_curve} on that column), with the sample weights; in binned rank mode, of the bins.
     *
     * @throws IllegalStateException if the rank mode is none, or nothing was added
     * @throws IllegalArgumentException if {@code label} is out of range
     */
    public PrecisionRecallCurve precisionRecallCurve(int label, boolean dropIntermediate) {
        return rank.precisionRecall(label, dropIntermediate);
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
     * The calibration curve of label {@code label}'s probabilities one-vs-rest (scikit-learn's
     * {@code calibration_curve} on that column, which weighs every sample alike).
     *
     * @throws IllegalStateException unless the rank mode is exact, or nothing was added
     * @throws IllegalArgumentException if {@code label} is out of range or {@code bins < 1}
     */
    public CalibrationCurve calibrationCurve(int label, int bins, CalibrationCurve.Strategy strategy) {
        return rank.calibration(label, bins, strategy);
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

    /** Whether ROC and precision-recall curves can be drawn (exact or binned rank mode). */
    boolean hasRankCurves() {
        return rank.hasCurves();
    }

    /** The decision threshold of label {@code l}. */
    double threshold(int l) {
        return counts.threshold(l);
    }

    /**
     * What this accumulator has seen, in a compact binary form (its settings as text, then its sums; the stored scores
     * in exact rank mode), to send to another JVM and {@link #mergeBytes merge} there: a Spark partition's metrics,
     * say. Not meant for storage: read it with the same logits4j version.
     *
     * @throws IllegalStateException if exact rank mode holds more scores than one array can
     */
    public byte[] toBytes() {
        return State.write("multi-label metrics", settings(), this::exchange);
    }

    /**
     * Adds what {@link #toBytes} wrote, from an accumulator built with the same settings, to this one; as
     * {@link #merge}, with the same result.
     *
     * @throws IllegalArgumentException if the bytes are not such a state, or come from other settings (nothing is
     *         merged then); if they are truncated, this accumulator is left partly merged and should be dropped
     */
    public void mergeBytes(byte[] state) {
        State.merge(state, "multi-label metrics", settings(), this::exchange);
    }

    /** Writes the sums, or adds another accumulator's ({@link State}). */
    private void exchange(State s) {
        counts.exchange(s);
        weightSum = s.add(weightSum);
        samples.exchange(s);
        ranking.exchange(s);
        rows = s.add(rows);
        rank.exchange(s);
    }

    private String settings() {
        return "labels=" + labels + ", " + counts.settings() + ", zeroDivision=" + zeroDivision + ", rankMode=" + rankMode + ", samplesFBeta="
                + Arrays.toString(samplesFBeta) + ", ndcgK=" + ranking.ndcgK();
    }

    /**
     * Checks the betas of F-beta as every setting of them does (this builder, evaluation options, the command line):
     * each finite and {@code >= 0}; returns them sorted, without repeats.
     *
     * @throws IllegalArgumentException naming the beta that is wrong
     */
    public static double[] checkBetas(double... betas) {
        for (double beta : betas) {
            Prf.checkBeta(beta);
        }
        return Arrays.stream(betas).sorted().distinct().toArray();
    }

    /** The metrics of everything added so far; the accumulator stays usable. */
    public MultilabelReport result() {
        double[] labelAuc = new double[labels];
        double[] labelAp = new double[labels];
        double[] micro = new double[4];
        double[] bounds = new double[4];
        Arrays.fill(labelAuc, Double.NaN);
        Arrays.fill(labelAp, Double.NaN);
        Arrays.fill(micro, Double.NaN);
        if (!rankMode.isNone() && rows > 0) {
            rank.entryRanks(rows, parallelism, labelAuc, labelAp, micro, bounds);
        }
        SamplesAveraged sampleValues = new SamplesAveraged(samples.value(Prf.PRECISION),
                samples.value(Prf.RECALL), samples.value(Prf.F), samples.jaccard(), ranking.apSamplesSum / weightSum,
                ranking.aucSamplesSum / weightSum, ranking.ndcgSum / weightSum, ranking.dcgSum / weightSum);
        double[] fBetaValues = samples.fBetas();
        return new MultilabelReport(labels, rows, weightSum, counts.tp.clone(), counts.fp.clone(),
                counts.fn.clone(), counts.tn.clone(), zeroDivision, counts.wrongLabels / (labels * weightSum),
                counts.exactRows / weightSum, sampleValues,
                ranking.lrapSum / weightSum, ranking.coverageSum / weightSum, ranking.rankingLossSum / weightSum,
                labelAuc, labelAp,
                micro[Ranking.AUC], micro[Ranking.AP], rankMode, bounds, samplesFBeta, fBetaValues);
    }

    /**
     * Configures a {@link MultilabelMetrics}; setters validate at once.
     *
     * <pre>{@code
     * MultilabelMetrics m = MultilabelMetrics.builder(4).thresholds(DecisionThresholds.perLabel(0.5, 0.4, 0.6, 0.5))
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private MetricSettings settings = MetricSettings.DEFAULT;
        private final int labels;
        private DecisionThresholds thresholds = DecisionThresholds.DEFAULT;

        private double[] samplesFBeta = new double[0];
        private int ndcgK;

        /**
         * The k of NDCG and DCG (scikit-learn's {@code k}): only the k best-scored positions count (default: every
         * label, scikit-learn's {@code k=None}).
         *
         * @throws IllegalArgumentException if {@code k < 1}
         */
        public Builder ndcgK(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("NDCG k is " + k + "; expected k >= 1");
            }
            this.ndcgK = k;
            return this;
        }

        /**
         * The betas whose samples-averaged F-beta the report keeps ({@code fBeta(beta, Average.SAMPLES)},
         * scikit-learn's {@code fbeta_score(average="samples")}): the samples average is a mean over rows, so it is
         * accumulated for the betas named here (beta 1 always, as F1). None by default.
         *
         * @throws IllegalArgumentException if a beta is not finite and positive
         */
        public Builder samplesFBeta(double... betas) {
            this.samplesFBeta = checkBetas(betas);
            return this;
        }

        /**
         * Threads for the exact per-label ROC AUC and average precision in {@link MultilabelMetrics#result()}
         * (default 1: the calling thread only): the labels are sorted and walked on the calling thread and the common
         * fork-join pool, each thread with its own buffers of one column, and the result equals one thread's bit for
         * bit.
         *
         * @throws IllegalArgumentException if {@code threads < 1}
         */
        public Builder parallelism(int threads) {
            this.settings = settings.toBuilder().parallelism(threads).build();
            return this;
        }

        private Builder(int labels) {
            if (labels < 1) {
                throw new IllegalArgumentException("a multi-label evaluation needs at least 1 label; found " + labels);
            }
            this.labels = labels;
        }

        /** The decision thresholds: one for every label, or one per label, with their comparison (default 0.5, >=). */
        public Builder thresholds(DecisionThresholds thresholds) {
            this.thresholds = Objects.requireNonNull(thresholds, "thresholds").requireLabels(labels);
            return this;
        }

        /** One decision threshold for every label, in [0, 1] (default 0.5); keeps the comparison. */
        public Builder threshold(double threshold) {
            return thresholds(DecisionThresholds.of(threshold).with(thresholds.comparison()));
        }

        /** One decision threshold per label, each in [0, 1] (for example tuned ones); keeps the comparison. */
        public Builder thresholds(double[] perLabel) {
            return thresholds(DecisionThresholds.perLabel(perLabel).with(thresholds.comparison()));
        }

        /** The comparison with the thresholds (default {@code >=}). */
        public Builder comparison(Comparison comparison) {
            return thresholds(thresholds.with(comparison));
        }

        /** What 0/0 gives in precision, recall and F1 (default {@link ZeroDivision#ZERO}). */
        public Builder zeroDivision(ZeroDivision zeroDivision) {
            this.settings = settings.toBuilder().zeroDivision(zeroDivision).build();
            return this;
        }

        /** How ROC AUC and average precision are computed (default {@link RankMode#exact()}). */
        public Builder rankMode(RankMode mode) {
            this.settings = settings.toBuilder().rankMode(mode).build();
            return this;
        }

        /**
         * Every shared setting at once ({@link MetricSettings}: zero division, rank mode, threads; the others are not used here).
         */
        public Builder settings(MetricSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Builds an empty accumulator. */
        public MultilabelMetrics build() {
            return new MultilabelMetrics(this);
        }
    }
}
