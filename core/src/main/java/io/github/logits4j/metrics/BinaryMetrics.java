package io.github.logits4j.metrics;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.decision.Comparison;
import io.github.logits4j.decision.DecisionThresholds;
import io.github.logits4j.kernel.Checks;
import io.github.logits4j.kernel.State;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Streaming, mergeable evaluation of a binary classifier from the probability of class 1 and the 0/1 labels,
 * matching scikit-learn 1.9 (torchmetrics 1.9 for the calibration error).
 *
 * <pre>{@code
 * BinaryMetrics metrics = BinaryMetrics.builder().threshold(0.5).build();
 * metrics.update(probabilities, labels);                 // [N x 1] sigmoid outputs, N labels in {0, 1}
 * BinaryReport report = metrics.result();
 * double auc = report.rocAuc();
 * }</pre>
 *
 * <p><b>Definitions.</b> The prediction is {@code p >= threshold} (0.5 by default; {@code >} selectable). Accuracy,
 * precision, recall, F1 and Matthews correlation come from the (weighted) confusion counts, with
 * {@link ZeroDivision} for 0/0. ROC AUC is NaN when only one class is present (scikit-learn warns and returns NaN);
 * average precision is 0.0 when there is no positive. Log loss clips {@code p} and {@code 1 - p} to
 * {@code [eps, 1 - eps]}; Brier is the mean of {@code (y - p)^2}; the calibration error bins {@code p} against the
 * label (torchmetrics' {@code BinaryCalibrationError}).
 *
 * <p><b>Memory.</b> O(1) for the counts; rank metrics keep every probability (16 bytes a row, 24 with weights) unless
 * a {@link RankMode} says otherwise. <b>Threads:</b> not thread-safe; one accumulator per thread, then {@link #merge}.
 */
public final class BinaryMetrics {
    private final double threshold;
    private final Comparison comparison;
    private final ZeroDivision zeroDivision;
    private final RankMode rankMode;
    private final double[] maxFpr;

    private double tp;
    private double fp;
    private double fn;
    private double tn;
    private long rows;
    /** Log loss, Brier score and calibration error. */
    private final ProperScores scores;
    private final RankColumns rank;

    private BinaryMetrics(Builder b) {
        this.threshold = b.thresholds.threshold(0);
        this.comparison = b.thresholds.comparison();
        this.zeroDivision = b.settings.zeroDivision();
        this.rankMode = b.settings.rankMode();
        this.maxFpr = b.maxFpr;
        this.scores = new ProperScores(b.settings.logLossEpsilon(), b.settings.calibrationBins());
        this.rank = new RankColumns(rankMode, 1, true);
    }

    /** A builder: threshold 0.5 with {@code >=}, zero division 0, exact rank metrics, 15 calibration bins. */
    public static Builder builder() {
        return new Builder();
    }

    /** The number of rows added so far. */
    public long rows() {
        return rows;
    }

    /** Adds a batch of {@code [N × 1]} probabilities of class 1 with N labels in {0, 1}, all weighing 1. */
    public void update(FloatMatrix probabilities, int[] labels) {
        update(probabilities, labels, null);
    }

    /**
     * Adds a batch with per-sample weights.
     *
     * @throws IllegalArgumentException naming the row of the first invalid value; nothing is added then
     */
    public void update(FloatMatrix probabilities, int[] labels, double @Nullable [] sampleWeights) {
        if (probabilities.cols() != 1) {
            throw new IllegalArgumentException("binary metrics read one probability per row; found "
                    + probabilities.shapeString() + ", expected [N x 1]");
        }
        int n = probabilities.rows();
        check(n, labels, sampleWeights);
        for (int r = 0; r < n; r++) {
            validate(probabilities.get(r, 0), labels[r], r, sampleWeights);
        }
        for (int r = 0; r < n; r++) {
            add(probabilities.get(r, 0), labels[r], Checks.weight(sampleWeights, r));
        }
    }

    /**
     * Adds a batch of N probabilities of class 1 given as doubles.
     *
     * @throws IllegalArgumentException naming the row of the first invalid value; nothing is added then
     */
    public void update(double[] probabilities, int[] labels, double @Nullable [] sampleWeights) {
        Objects.requireNonNull(probabilities, "probabilities");
        int n = probabilities.length;
        check(n, labels, sampleWeights);
        for (int r = 0; r < n; r++) {
            validate(probabilities[r], labels[r], r, sampleWeights);
        }
        for (int r = 0; r < n; r++) {
            add(probabilities[r], labels[r], Checks.weight(sampleWeights, r));
        }
    }

    private static void check(int n, int[] labels, double[] weights) {
        Objects.requireNonNull(labels, "labels");
        Checks.requireRows(labels.length, n, "labels");
        if (weights != null) {
            Checks.requireRows(weights.length, n, "sample weights");
        }
    }

    private static void validate(double p, int y, int r, double[] weights) {
        Checks.binaryLabel(y, r);
        Checks.probabilityAt(p, r, -1);
        Checks.weight(weights, r);
    }

    private void add(double p, int y, double w) {
        boolean predicted = comparison == Comparison.AT_LEAST ? p >= threshold : p > threshold;
        if (y == 1) {
            if (predicted) {
                tp += w;
            } else {
                fn += w;
            }
        } else if (predicted) {
            fp += w;
        } else {
            tn += w;
        }
        double q = y == 1 ? p : 1.0 - p;
        double d = y - p;
        scores.add(q, d * d, p, y == 1, w);
        rank.addEntry(p, y, w);
        rows++;
    }

    /**
     * Adds everything {@code other} has seen.
     *
     * @throws IllegalArgumentException if the two were built with different settings
     */
    public void merge(BinaryMetrics other) {
        Objects.requireNonNull(other, "other");
        if (other.threshold != threshold || other.comparison != comparison || other.zeroDivision != zeroDivision
                || !other.scores.sameSettings(scores) || !other.rankMode.equals(rankMode)
                || !Arrays.equals(other.maxFpr, maxFpr)) {
            throw new IllegalArgumentException("cannot merge binary metrics built with different settings");
        }
        tp += other.tp;
        fp += other.fp;
        fn += other.fn;
        tn += other.tn;
        rows += other.rows;
        scores.merge(other.scores);
        rank.merge(other.rank);
    }

    /**
     * The ROC curve of every probability added, with the sample weights (scikit-learn's {@code roc_curve}); in binned
     * rank mode, the curve of the bins (one point per non-empty bin, {@code dropIntermediate} not applied), with its
     * {@link RocCurve#areaBound()}.
     *
     * @throws IllegalStateException if the rank mode is none, or nothing was added
     */
    public RocCurve rocCurve(boolean dropIntermediate) {
        return rank.roc(0, dropIntermediate);
    }

    /**
     * The precision-recall curve of every probability added, with the sample weights (scikit-learn's
     * {@code precision_recall_curve}); in binned rank mode, the curve of the bins, as {@link #rocCurve}.
     *
     * @throws IllegalStateException if the rank mode is none, or nothing was added
     */
    public PrecisionRecallCurve precisionRecallCurve(boolean dropIntermediate) {
        return rank.precisionRecall(0, dropIntermediate);
    }

    /**
     * The calibration curve of every probability added (scikit-learn's {@code calibration_curve}, which weighs every
     * sample alike).
     *
     * @throws IllegalStateException unless the rank mode is exact, or nothing was added
     * @throws IllegalArgumentException if {@code bins < 1}
     */
    public CalibrationCurve calibrationCurve(int bins, CalibrationCurve.Strategy strategy) {
        return rank.calibration(0, bins, strategy);
    }

    /** Whether ROC and precision-recall curves can be drawn (exact or binned rank mode). */
    boolean hasRankCurves() {
        return rank.hasCurves();
    }

    /**
     * The threshold's point on the curves: {@code threshold}, {@code fpr}, {@code tpr} (the recall) and
     * {@code precision}, from the confusion counts (NaN where a rate has no denominator).
     */
    Map<String, Object> operatingPoint() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("threshold", threshold);
        m.put("fpr", fp + tn == 0.0 ? Double.NaN : fp / (fp + tn));
        m.put("tpr", tp + fn == 0.0 ? Double.NaN : tp / (tp + fn));
        m.put("precision", tp + fp == 0.0 ? Double.NaN : tp / (tp + fp));
        return m;
    }

    /**
     * The reliability diagram of the expected calibration error's bins (probability of class 1 against the share of
     * label 1), in any rank mode.
     */
    public CalibrationCurve reliabilityCurve() {
        return scores.ece.curve();
    }

    /**
     * What this accumulator has seen, in a compact binary form (its settings as text, then its sums; the stored scores
     * in exact rank mode), to send to another JVM and {@link #mergeBytes merge} there: a Spark partition's metrics,
     * say. Not meant for storage: read it with the same logits4j version.
     *
     * @throws IllegalStateException if exact rank mode holds more scores than one array can
     */
    public byte[] toBytes() {
        return State.write("binary metrics", settings(), this::exchange);
    }

    /**
     * Adds what {@link #toBytes} wrote, from an accumulator built with the same settings, to this one; as
     * {@link #merge}, with the same result.
     *
     * @throws IllegalArgumentException if the bytes are not such a state, or come from other settings (nothing is
     *         merged then); if they are truncated, this accumulator is left partly merged and should be dropped
     */
    public void mergeBytes(byte[] state) {
        State.merge(state, "binary metrics", settings(), this::exchange);
    }

    /** Writes the sums, or adds another accumulator's ({@link State}). */
    private void exchange(State s) {
        tp = s.add(tp);
        fp = s.add(fp);
        fn = s.add(fn);
        tn = s.add(tn);
        rows = s.add(rows);
        scores.exchange(s);
        rank.exchange(s);
    }

    private String settings() {
        return "threshold=" + threshold + ", comparison=" + comparison + ", zeroDivision=" + zeroDivision
                + ", rankMode=" + rankMode + ", " + scores.settings() + ", maxFpr=" + Arrays.toString(maxFpr);
    }

    /**
     * Checks the false positive rates of partial ROC AUCs as every setting of them does (this builder, evaluation
     * options, the command line): each in (0, 1]; returns them sorted, without repeats.
     *
     * @throws IllegalArgumentException naming the rate that is wrong
     */
    public static double[] checkMaxFpr(double... values) {
        for (double m : values) {
            if (!(m > 0.0 && m <= 1.0)) {
                throw new IllegalArgumentException("max-fpr is " + m + "; expected a rate in (0, 1]");
            }
        }
        return Arrays.stream(values).sorted().distinct().toArray();
    }

    /** The metrics of everything added so far; the accumulator stays usable. */
    public BinaryReport result() {
        double[] rank = new double[4];
        Arrays.fill(rank, Double.NaN);
        double[] partial = new double[maxFpr.length];
        Arrays.fill(partial, Double.NaN);
        double apClass0 = Double.NaN;
        Store store = this.rank.store;
        if (store != null && rows > 0) {
            int n = (int) rows;
            boolean[] positive = new boolean[n];
            for (int r = 0; r < n; r++) {
                positive[r] = store.labels[r] == 1;
            }
            double[] scores = store.scores(n);
            Ranking.exact(scores, positive, store.weights, n, rank);
            rank[Ranking.AUC_BOUND] = 0.0;
            rank[Ranking.AP_BOUND] = 0.0;
            partial = Ranking.partialAuc(scores, positive, store.weights, n, maxFpr);
            // class 0 as the positive class, scored 1 - p: average_precision_score(y, 1 - p, pos_label=0)
            for (int r = 0; r < n; r++) {
                scores[r] = 1.0 - scores[r];
                positive[r] = !positive[r];
            }
            double[] flipped = new double[4];
            Ranking.exact(scores, positive, store.weights, n, flipped);
            apClass0 = flipped[Ranking.AP];
        } else if (this.rank.hist != null && rows > 0) {
            double[][] pn = this.rank.binnedColumn(0);
            Ranking.binned(pn[0], pn[1], 0, rankMode.bins(), rank);
        }
        double w = tp + fp + fn + tn;
        return new BinaryReport(rows, tp, fp, fn, tn, zeroDivision, scores.logLossSum(), scores.brierSum(), w,
                scores.ece.l1(), scores.ece.l2(), scores.ece.max(), scores.ece.bins(), rank, rankMode, threshold,
                comparison, maxFpr, partial, apClass0);
    }

    /**
     * Configures a {@link BinaryMetrics}; setters validate at once.
     *
     * <pre>{@code
     * BinaryMetrics m = BinaryMetrics.builder().threshold(0.3).rankMode(RankMode.binned(1000)).build();
     * }</pre>
     */
    public static final class Builder {
        private MetricSettings settings = MetricSettings.DEFAULT;
        private DecisionThresholds thresholds = DecisionThresholds.DEFAULT;
        private double[] maxFpr = new double[0];

        private Builder() {
        }

        /**
         * The false positive rates up to which the report gives the standardized partial ROC AUC, scikit-learn's
         * {@code roc_auc_score(max_fpr=...)} (McClish's correction): each in (0, 1]; none by default. Exact rank mode
         * only: the binned mode reports NaN for them.
         *
         * @throws IllegalArgumentException if a value is not in (0, 1]
         */
        public Builder maxFpr(double... values) {
            this.maxFpr = checkMaxFpr(values);
            return this;
        }

        /**
         * The decision threshold on the probability of class 1 and its comparison (default 0.5, {@code >=}).
         *
         * @throws IllegalArgumentException if {@code thresholds} has more than one threshold
         */
        public Builder thresholds(DecisionThresholds thresholds) {
            this.thresholds = Objects.requireNonNull(thresholds, "thresholds").requireLabels(1);
            return this;
        }

        /** The decision threshold on the probability of class 1, in [0, 1] (default 0.5); keeps the comparison. */
        public Builder threshold(double threshold) {
            return thresholds(DecisionThresholds.of(threshold).with(thresholds.comparison()));
        }

        /** The comparison with the threshold (default {@code >=}). */
        public Builder comparison(Comparison comparison) {
            return thresholds(thresholds.with(comparison));
        }

        /** What 0/0 gives in precision, recall and F1 (default {@link ZeroDivision#ZERO}). */
        public Builder zeroDivision(ZeroDivision zeroDivision) {
            this.settings = settings.toBuilder().zeroDivision(zeroDivision).build();
            return this;
        }

        /** The log-loss clip {@code [eps, 1 - eps]} (default the float64 machine epsilon). */
        public Builder logLossEpsilon(double eps) {
            this.settings = settings.toBuilder().logLossEpsilon(eps).build();
            return this;
        }

        /** How ROC AUC and average precision are computed (default {@link RankMode#exact()}). */
        public Builder rankMode(RankMode mode) {
            this.settings = settings.toBuilder().rankMode(mode).build();
            return this;
        }

        /** The number of equal-width calibration bins (default 15). */
        public Builder calibrationBins(int bins) {
            this.settings = settings.toBuilder().calibrationBins(bins).build();
            return this;
        }

        /**
         * Every shared setting at once ({@link MetricSettings}: zero division, rank mode, log-loss clip, calibration bins; the others are not used here).
         */
        public Builder settings(MetricSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Builds an empty accumulator. */
        public BinaryMetrics build() {
            return new BinaryMetrics(this);
        }
    }
}
