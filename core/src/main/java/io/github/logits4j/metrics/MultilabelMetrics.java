package io.github.logits4j.metrics;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.decision.Comparison;
import io.github.logits4j.kernel.Checks;
import io.github.logits4j.kernel.Parallel;
import io.github.logits4j.kernel.State;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    private final double[] thresholds;
    private final Comparison comparison;
    private final ZeroDivision zeroDivision;
    private final RankMode rankMode;
    private final int parallelism;

    private final double[] tp;
    private final double[] fp;
    private final double[] fn;
    private final double[] tn;
    private double weightSum;
    private double wrongLabels;
    private double exactRows;
    private final Prf.NanMean[] samples = {new Prf.NanMean(), new Prf.NanMean(), new Prf.NanMean()};
    private final double[] rowScratch = new double[3];
    /** The betas whose samples-averaged F-beta is kept ({@link Builder#samplesFBeta}), and their running means. */
    private final double[] samplesFBeta;
    private final Prf.NanMean[] fBetaSamples;
    /** The samples-averaged Jaccard index: sum of weight * row index, and of the weights (a NaN row makes it NaN). */
    private double jaccardSum;
    private double jaccardWeight;
    /** The per-row ranking metrics: samples AP and AUC, NDCG and DCG, LRAP, coverage error, ranking loss. */
    private final LabelRanking ranking;
    private long rows;
    private final Store store;
    private final double[] pos;
    private final double[] neg;

    private MultilabelMetrics(Builder b) {
        this.labels = b.labels;
        this.thresholds = b.thresholds;
        this.comparison = b.comparison;
        this.zeroDivision = b.zeroDivision;
        this.rankMode = b.rankMode;
        this.parallelism = b.parallelism;
        this.ranking = new LabelRanking(labels, b.ndcgK == 0 ? labels : Math.min(b.ndcgK, labels));
        this.samplesFBeta = b.samplesFBeta;
        this.fBetaSamples = new Prf.NanMean[samplesFBeta.length];
        for (int k = 0; k < fBetaSamples.length; k++) {
            fBetaSamples[k] = new Prf.NanMean();
        }
        this.tp = new double[labels];
        this.fp = new double[labels];
        this.fn = new double[labels];
        this.tn = new double[labels];
        this.store = rankMode.isExact() ? new Store() : null;
        this.pos = rankMode.isBinned() ? new double[labels * rankMode.bins()] : null;
        this.neg = rankMode.isBinned() ? new double[labels * rankMode.bins()] : null;
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
        double[] yd = new double[labels];
        int[] y = new int[labels];
        for (int pass = 0; pass < 2; pass++) {
            for (int r = 0; r < n; r++) {
                double[] row = p;
                int off = 0;
                if (probMatrix != null) {
                    Checks.rowAsDoubles(probMatrix, r, pScratch, p);
                } else {
                    row = probArray;
                    off = r * labels;
                }
                Checks.rowAsDoubles(labelMatrix, r, yScratch, yd);
                for (int l = 0; l < labels; l++) {
                    y[l] = label(yd[l], r, l);
                }
                if (pass == 0) {
                    validateRow(row, off, r, sampleWeights);
                } else {
                    addRow(row, off, y, 0, Checks.weight(sampleWeights, r));
                }
            }
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

    private boolean predicted(double p, int l) {
        double t = thresholds.length == 1 ? thresholds[0] : thresholds[l];
        return comparison == Comparison.AT_LEAST ? p >= t : p > t;
    }

    private void addRow(double[] p, int pOff, int[] y, int yOff, double w) {
        // the row's own counts, each hit adding the row's weight as scikit-learn's samplewise confusion matrix does:
        // a zero-weight row is 0/0 (the zero_division value, left out of the samples average when NaN)
        double rowTp = 0.0;
        double rowFp = 0.0;
        double rowFn = 0.0;
        int wrong = 0;
        int relevant = 0;
        for (int l = 0; l < labels; l++) {
            boolean truth = y[yOff + l] == 1;
            boolean pred = predicted(p[pOff + l], l);
            relevant += truth ? 1 : 0;
            if (truth && pred) {
                tp[l] += w;
                rowTp += w;
            } else if (pred) {
                fp[l] += w;
                rowFp += w;
                wrong++;
            } else if (truth) {
                fn[l] += w;
                rowFn += w;
                wrong++;
            } else {
                tn[l] += w;
            }
        }
        weightSum += w;
        wrongLabels += w * wrong;
        if (wrong == 0) {
            exactRows += w;
        }
        double[] prf = rowScratch;
        Prf.of(rowTp, rowFp, rowFn, 1.0, zeroDivision, prf);
        for (int i = 0; i < 3; i++) {
            samples[i].add(prf[i], w);
        }
        for (int k = 0; k < samplesFBeta.length; k++) {
            Prf.of(rowTp, rowFp, rowFn, samplesFBeta[k], zeroDivision, prf);
            fBetaSamples[k].add(prf[Prf.F], w);
        }
        jaccardSum += w * zeroDivision.divide(rowTp, rowTp + rowFp + rowFn);
        jaccardWeight += w;
        ranking.add(p, pOff, y, yOff, relevant, w);
        if (store != null) {
            store.addScores(p, pOff, labels);
            for (int l = 0; l < labels; l++) {
                store.addLabel(y[yOff + l]);
            }
            store.addRow(w);
        } else if (pos != null) {
            int bins = rankMode.bins();
            for (int l = 0; l < labels; l++) {
                (y[yOff + l] == 1 ? pos : neg)[l * bins + Ranking.bin(p[pOff + l], bins)] += w;
            }
        }
        rows++;
    }

    /**
     * Adds everything {@code other} has seen.
     *
     * @throws IllegalArgumentException if the two were built with different settings
     */
    public void merge(MultilabelMetrics other) {
        Objects.requireNonNull(other, "other");
        if (other.labels != labels || !Arrays.equals(other.thresholds, thresholds) || other.comparison != comparison
                || other.zeroDivision != zeroDivision || !other.rankMode.equals(rankMode)
                || !Arrays.equals(other.samplesFBeta, samplesFBeta) || other.ranking.ndcgK() != ranking.ndcgK()) {
            throw new IllegalArgumentException("cannot merge multi-label metrics built with different settings");
        }
        for (int l = 0; l < labels; l++) {
            tp[l] += other.tp[l];
            fp[l] += other.fp[l];
            fn[l] += other.fn[l];
            tn[l] += other.tn[l];
        }
        weightSum += other.weightSum;
        wrongLabels += other.wrongLabels;
        exactRows += other.exactRows;
        for (int i = 0; i < 3; i++) {
            samples[i].merge(other.samples[i]);
        }
        for (int k = 0; k < samplesFBeta.length; k++) {
            fBetaSamples[k].merge(other.fBetaSamples[k]);
        }
        jaccardSum += other.jaccardSum;
        jaccardWeight += other.jaccardWeight;
        ranking.merge(other.ranking);
        rows += other.rows;
        if (store != null) {
            store.merge(other.store);
        }
        if (pos != null) {
            for (int i = 0; i < pos.length; i++) {
                pos[i] += other.pos[i];
                neg[i] += other.neg[i];
            }
        }
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
        if (pos != null) {
            double[][] pn = binnedColumn(Curves.checkColumn(label, labels, "label"));
            return Curves.binnedRoc(pn[0], pn[1], rankMode.bins());
        }
        Curves.Column col = Curves.column(Curves.requireScores(store, rankMode), labels,
                Curves.checkColumn(label, labels, "label"), true);
        return Curves.roc(col.scores(), col.labels(), col.weights(), dropIntermediate);
    }

    /**
     * The micro-averaged ROC curve: every probability against its 0/1 truth as one binary problem, each row's weight
     * on all its entries (scikit-learn's {@code roc_curve(Y.ravel(), P.ravel())}); in binned rank mode, of the bins.
     *
     * @throws IllegalStateException if the rank mode is none, or nothing was added
     */
    public RocCurve microRocCurve(boolean dropIntermediate) {
        if (pos != null) {
            double[][] pn = binnedMicro();
            return Curves.binnedRoc(pn[0], pn[1], rankMode.bins());
        }
        Curves.Column col = Curves.micro(Curves.requireScores(store, rankMode), labels, true);
        return Curves.roc(col.scores(), col.labels(), col.weights(), dropIntermediate);
    }

    /**
     * The macro-averaged ROC curve over the labels ({@link Curves#macroRoc} of the per-label curves).
     *
     * @throws IllegalStateException if the rank mode is none, or nothing was added
     */
    public RocCurve macroRocCurve() {
        List<RocCurve> curves = new ArrayList<>();
        for (int j = 0; j < labels; j++) {
            curves.add(rocCurve(j, true));
        }
        return Curves.macroRoc(curves);
    }

    /**
     * The one-vs-rest precision-recall curve of label {@code label} (scikit-learn's
     * {@code precision_recall_curve} on that column), with the sample weights; in binned rank mode, of the bins.
     *
     * @throws IllegalStateException if the rank mode is none, or nothing was added
     * @throws IllegalArgumentException if {@code label} is out of range
     */
    public PrecisionRecallCurve precisionRecallCurve(int label, boolean dropIntermediate) {
        if (pos != null) {
            double[][] pn = binnedColumn(Curves.checkColumn(label, labels, "label"));
            return Curves.binnedPrecisionRecall(pn[0], pn[1], rankMode.bins());
        }
        Curves.Column col = Curves.column(Curves.requireScores(store, rankMode), labels,
                Curves.checkColumn(label, labels, "label"), true);
        return Curves.precisionRecall(col.scores(), col.labels(), col.weights(), dropIntermediate);
    }

    /**
     * The micro-averaged precision-recall curve (scikit-learn's {@code precision_recall_curve(Y.ravel(),
     * P.ravel())}), each row's weight on all its entries; in binned rank mode, of the bins.
     *
     * @throws IllegalStateException if the rank mode is none, or nothing was added
     */
    public PrecisionRecallCurve microPrecisionRecallCurve(boolean dropIntermediate) {
        if (pos != null) {
            double[][] pn = binnedMicro();
            return Curves.binnedPrecisionRecall(pn[0], pn[1], rankMode.bins());
        }
        Curves.Column col = Curves.micro(Curves.requireScores(store, rankMode), labels, true);
        return Curves.precisionRecall(col.scores(), col.labels(), col.weights(), dropIntermediate);
    }

    /**
     * The calibration curve of label {@code label}'s probabilities one-vs-rest (scikit-learn's
     * {@code calibration_curve} on that column, which weighs every sample alike).
     *
     * @throws IllegalStateException unless the rank mode is exact, or nothing was added
     * @throws IllegalArgumentException if {@code label} is out of range or {@code bins < 1}
     */
    public CalibrationCurve calibrationCurve(int label, int bins, CalibrationCurve.Strategy strategy) {
        Curves.Column col = Curves.column(Curves.requireScores(store, rankMode), labels,
                Curves.checkColumn(label, labels, "label"), true);
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
        Curves.Column col = Curves.micro(Curves.requireScores(store, rankMode), labels, true);
        return Curves.calibration(col.scores(), col.labels(), bins, strategy);
    }

    /** Whether ROC and precision-recall curves can be drawn (exact or binned rank mode). */
    boolean hasRankCurves() {
        return store != null || pos != null;
    }

    /** The decision threshold of label {@code l}. */
    double threshold(int l) {
        return thresholds.length == 1 ? thresholds[0] : thresholds[l];
    }

    /** The binned weights of label {@code l}'s scores: rows with the label, and without. */
    private double[][] binnedColumn(int l) {
        int bins = rankMode.bins();
        return new double[][] {Arrays.copyOfRange(pos, l * bins, (l + 1) * bins),
            Arrays.copyOfRange(neg, l * bins, (l + 1) * bins)};
    }

    /** The binned weights of every label's scores, pooled (micro-averaging). */
    private double[][] binnedMicro() {
        int bins = rankMode.bins();
        double[][] all = new double[2][bins];
        for (int l = 0; l < labels; l++) {
            for (int i = 0; i < bins; i++) {
                all[0][i] += pos[l * bins + i];
                all[1][i] += neg[l * bins + i];
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
        s.add(tp);
        s.add(fp);
        s.add(fn);
        s.add(tn);
        weightSum = s.add(weightSum);
        wrongLabels = s.add(wrongLabels);
        exactRows = s.add(exactRows);
        for (Prf.NanMean m : samples) {
            m.exchange(s);
        }
        for (Prf.NanMean m : fBetaSamples) {
            m.exchange(s);
        }
        jaccardSum = s.add(jaccardSum);
        jaccardWeight = s.add(jaccardWeight);
        ranking.exchange(s);
        rows = s.add(rows);
        if (store != null) {
            store.exchange(s);
        }
        if (pos != null) {
            s.add(pos);
            s.add(neg);
        }
    }

    private String settings() {
        return "labels=" + labels + ", thresholds=" + Arrays.toString(thresholds) + ", comparison=" + comparison
                + ", zeroDivision=" + zeroDivision + ", rankMode=" + rankMode + ", samplesFBeta="
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
            rankMetrics(labelAuc, labelAp, micro, bounds);
        }
        double[] sampleValues = new double[8];
        for (int i = 0; i < 3; i++) {
            sampleValues[i] = samples[i].value();
        }
        sampleValues[MultilabelReport.JACCARD] = jaccardSum / jaccardWeight;
        sampleValues[MultilabelReport.AVERAGE_PRECISION] = ranking.apSamplesSum / weightSum;
        sampleValues[MultilabelReport.ROC_AUC] = ranking.aucSamplesSum / weightSum;
        sampleValues[MultilabelReport.NDCG] = ranking.ndcgSum / weightSum;
        sampleValues[MultilabelReport.DCG] = ranking.dcgSum / weightSum;
        double[] fBetaValues = new double[samplesFBeta.length];
        for (int k = 0; k < fBetaValues.length; k++) {
            fBetaValues[k] = fBetaSamples[k].value();
        }
        return new MultilabelReport(labels, rows, weightSum, tp.clone(), fp.clone(), fn.clone(), tn.clone(),
                zeroDivision, wrongLabels / (labels * weightSum), exactRows / weightSum, sampleValues,
                ranking.lrapSum / weightSum, ranking.coverageSum / weightSum, ranking.rankingLossSum / weightSum,
                labelAuc, labelAp,
                micro[Ranking.AUC], micro[Ranking.AP], rankMode, bounds, samplesFBeta, fBetaValues);
    }

    /** bounds: {macro AUC, macro AP, micro AUC, micro AP} error bounds (binned mode). */
    private void rankMetrics(double[] labelAuc, double[] labelAp, double[] micro, double[] bounds) {
        double[] slot = new double[4];
        if (store != null) {
            int n = (int) rows;
            // labels are independent: each thread has its own column buffers and writes its own slots
            Parallel.forRanges(parallelism, labels, 1, (from, to) -> {
                double[] column = new double[n];
                boolean[] positive = new boolean[n];
                double[] own = new double[4];
                for (int l = from; l < to; l++) {
                    for (int r = 0; r < n; r++) {
                        column[r] = store.score(r * labels + l);
                        positive[r] = store.labels[r * labels + l] == 1;
                    }
                    Ranking.exact(column, positive, store.weights, n, own);
                    labelAuc[l] = own[Ranking.AUC];
                    labelAp[l] = own[Ranking.AP];
                }
            });
            int total = n * labels;
            boolean[] all = new boolean[total];
            double[] weights = null;
            if (store.weights != null) {
                weights = new double[total];
                for (int r = 0; r < n; r++) {
                    Arrays.fill(weights, r * labels, (r + 1) * labels, store.weights[r]);
                }
            }
            for (int i = 0; i < total; i++) {
                all[i] = store.labels[i] == 1;
            }
            Ranking.exact(store.scores(total), all, weights, total, micro);
        } else {
            int bins = rankMode.bins();
            double[] pooledPos = new double[bins];
            double[] pooledNeg = new double[bins];
            for (int l = 0; l < labels; l++) {
                Ranking.binned(pos, neg, l * bins, bins, slot);
                labelAuc[l] = slot[Ranking.AUC];
                labelAp[l] = slot[Ranking.AP];
                bounds[0] += slot[Ranking.AUC_BOUND] / labels;
                bounds[1] += slot[Ranking.AP_BOUND] / labels;
                for (int b = 0; b < bins; b++) {
                    pooledPos[b] += pos[l * bins + b];
                    pooledNeg[b] += neg[l * bins + b];
                }
            }
            Ranking.binned(pooledPos, pooledNeg, 0, bins, micro);
            bounds[2] = micro[Ranking.AUC_BOUND];
            bounds[3] = micro[Ranking.AP_BOUND];
        }
    }

    /**
     * Configures a {@link MultilabelMetrics}; setters validate at once.
     *
     * <pre>{@code
     * MultilabelMetrics m = MultilabelMetrics.builder(4).thresholds(new double[] {0.5, 0.4, 0.6, 0.5}).build();
     * }</pre>
     */
    public static final class Builder {
        private final int labels;
        private double[] thresholds = {0.5};
        private Comparison comparison = Comparison.AT_LEAST;
        private ZeroDivision zeroDivision = ZeroDivision.ZERO;
        private RankMode rankMode = RankMode.exact();

        private int parallelism = 1;
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
            this.parallelism = Parallel.check(threads);
            return this;
        }

        private Builder(int labels) {
            if (labels < 1) {
                throw new IllegalArgumentException("a multi-label evaluation needs at least 1 label; found " + labels);
            }
            this.labels = labels;
        }

        /** One decision threshold for every label, in [0, 1] (default 0.5). */
        public Builder threshold(double threshold) {
            this.thresholds = new double[] {Checks.probability(threshold, "threshold")};
            return this;
        }

        /** One decision threshold per label, each in [0, 1] (for example tuned ones). */
        public Builder thresholds(double[] perLabel) {
            Objects.requireNonNull(perLabel, "thresholds");
            if (perLabel.length != labels) {
                throw new IllegalArgumentException("thresholds has " + perLabel.length + " entries; expected " + labels
                        + ", one per label");
            }
            double[] t = perLabel.clone();
            for (int l = 0; l < t.length; l++) {
                Checks.probability(t[l], "thresholds[" + l + "]");
            }
            this.thresholds = t;
            return this;
        }

        /** The comparison with the thresholds (default {@code >=}). */
        public Builder comparison(Comparison comparison) {
            this.comparison = Objects.requireNonNull(comparison, "comparison");
            return this;
        }

        /** What 0/0 gives in precision, recall and F1 (default {@link ZeroDivision#ZERO}). */
        public Builder zeroDivision(ZeroDivision zeroDivision) {
            this.zeroDivision = Objects.requireNonNull(zeroDivision, "zeroDivision");
            return this;
        }

        /** How ROC AUC and average precision are computed (default {@link RankMode#exact()}). */
        public Builder rankMode(RankMode mode) {
            this.rankMode = Objects.requireNonNull(mode, "rankMode");
            return this;
        }

        /** Builds an empty accumulator. */
        public MultilabelMetrics build() {
            return new MultilabelMetrics(this);
        }
    }
}
