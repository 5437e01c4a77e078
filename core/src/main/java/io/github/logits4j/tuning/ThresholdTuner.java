package io.github.logits4j.tuning;

import io.github.logits4j.FloatMatrix;
import java.util.Arrays;
import java.util.Objects;

/**
 * Tunes one decision threshold per label on validation data: the threshold that maximises an objective
 * ({@link ThresholdObjective}: F1 by default) when a sample is predicted positive if {@code score >= threshold}.
 *
 * <pre>{@code
 * ThresholdTuner tuner = ThresholdTuner.builder()
 *         .objective(ThresholdObjective.f1())
 *         .fallback(0.5)
 *         .build();
 * TunedThresholds tuned = tuner.tune(validationProbabilities, validationLabels);   // [N x L] each, labels 0/1
 * MultilabelDecision rule = tuned.toDecisionBuilder().atLeastOne(true).build();
 * }</pre>
 *
 * <p><b>Rule.</b> For each label the candidates are the distinct scores of that label. F1 and F-beta take the
 * candidate with the highest F (scikit-learn's {@code fbeta_score}, {@code zero_division=0});
 * {@link ThresholdObjective#precisionAtLeast} takes the highest recall among candidates whose precision reaches the
 * target, {@link ThresholdObjective#recallAtLeast} the highest precision among candidates whose recall reaches it.
 * Equal objective values go to the <em>lowest</em> threshold. A label with no positive sample (every threshold scores
 * F = 0 there, and the highest-F rule would predict everything), or with no candidate that meets the constraint, gets
 * the fallback threshold and is flagged {@linkplain TunedThresholds#fellBack() fell back}. With no rows at all, every
 * label falls back.
 *
 * <p><b>Comparison.</b> The thresholds are tuned for {@code >=}. Applied with {@code >} ({@code Comparison.GREATER},
 * torchmetrics' and Keras' rule) they flip every sample whose score equals its threshold, which by construction is at
 * least one validation sample per label. {@link TunedThresholds#toDecisionBuilder()} sets {@code >=}.
 *
 * <p><b>Cost.</b> Per label, {@code O(N log N)}: the positive and negative scores are sorted once (primitive sorts
 * into two scratch arrays allocated once per call) and one sweep from the highest score down visits every distinct
 * threshold with running true- and false-positive counts. Scores are read in double; a {@link FloatMatrix} is
 * widened once. Immutable and safe to share between threads; each call allocates its own scratch.
 */
public final class ThresholdTuner {
    private final ThresholdObjective objective;
    private final double fallback;

    private ThresholdTuner(Builder b) {
        this.objective = b.objective;
        this.fallback = b.fallback;
    }

    /** A builder: F1, fallback 0.5. */
    public static Builder builder() {
        return new Builder();
    }

    /** The objective this tuner maximises. */
    public ThresholdObjective objective() {
        return objective;
    }

    /** The threshold given to labels that cannot be tuned. */
    public double fallback() {
        return fallback;
    }

    /**
     * Tunes one threshold per column of a multi-label problem.
     *
     * @param scores {@code [N x L]} scores (probabilities, to use the result as a {@code MultilabelDecision}), finite
     * @param labels {@code [N x L]} true labels, each 0 or 1
     * @throws IllegalArgumentException if the shapes differ, a score is not finite or a label is neither 0 nor 1
     *     (naming its row and column)
     */
    public TunedThresholds tune(FloatMatrix scores, FloatMatrix labels) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(labels, "labels");
        scores.requireSameShape(labels, "labels");
        int rows = scores.rows();
        int cols = scores.cols();
        double[] s = new double[scores.size()];
        int[] y = new int[scores.size()];
        float[] scoreScratch = scores.hasArray() ? null : new float[cols];
        float[] labelScratch = labels.hasArray() ? null : new float[cols];
        for (int r = 0; r < rows; r++) {
            float[] a = scores.row(r, scoreScratch);
            int aOff = scores.rowOffset(r);
            float[] b = labels.row(r, labelScratch);
            int bOff = labels.rowOffset(r);
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                s[i] = a[aOff + c];
                float v = b[bOff + c];
                if (v != 0f && v != 1f) {
                    throw badLabel(Float.toString(v), r, c, cols);
                }
                y[i] = (int) v;
            }
        }
        return tuneChecked(s, y, rows, cols);
    }

    /**
     * Tunes one threshold per column of a multi-label problem given as row-major arrays.
     *
     * @param scores {@code rows * labelsCount} finite scores, row-major
     * @param labels {@code rows * labelsCount} true labels, each 0 or 1, row-major
     * @throws IllegalArgumentException if a length does not match the shape, a score is not finite or a label is
     *     neither 0 nor 1 (naming its row and column)
     */
    public TunedThresholds tune(double[] scores, int[] labels, int rows, int labelsCount) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(labels, "labels");
        if (rows < 0) {
            throw new IllegalArgumentException("rows must not be negative; found " + rows);
        }
        if (labelsCount < 1) {
            throw new IllegalArgumentException("labelsCount must be at least 1; found " + labelsCount);
        }
        long size = (long) rows * labelsCount;
        if (scores.length != size) {
            throw new IllegalArgumentException("scores has " + scores.length + " elements; expected rows * labelsCount = "
                    + rows + " * " + labelsCount + " = " + size);
        }
        if (labels.length != size) {
            throw new IllegalArgumentException("labels has " + labels.length + " elements; expected rows * labelsCount = "
                    + rows + " * " + labelsCount + " = " + size);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw badLabel(Integer.toString(labels[i]), i / labelsCount, i % labelsCount, labelsCount);
            }
        }
        return tuneChecked(scores, labels, rows, labelsCount);
    }

    /**
     * Tunes the threshold of a binary classifier.
     *
     * @param scores one finite score per sample (the probability of the positive class)
     * @param labels one true label per sample, 0 or 1
     * @throws IllegalArgumentException if the lengths differ, a score is not finite or a label is neither 0 nor 1
     *     (naming its row)
     */
    public TunedThreshold tuneBinary(double[] scores, int[] labels) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(labels, "labels");
        if (labels.length != scores.length) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries; expected " + scores.length
                    + ", one per score");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw badLabel(Integer.toString(labels[i]), i, 0, 1);
            }
        }
        TunedThresholds t = tuneChecked(scores, labels, scores.length, 1);
        return new TunedThreshold(objective, fallback, t.threshold(0), t.objectiveValue(0), t.fellBack(0));
    }

    private static IllegalArgumentException badLabel(String found, int row, int col, int cols) {
        return new IllegalArgumentException("label at row " + row + (cols > 1 ? ", column " + col : "") + " is "
                + found + "; expected 0 or 1");
    }

    /** Labels are already checked; scores are checked here, in row-major order, before any tuning. */
    private TunedThresholds tuneChecked(double[] scores, int[] labels, int rows, int cols) {
        for (int i = 0; i < scores.length; i++) {
            double v = scores[i];
            if (!(v > Double.NEGATIVE_INFINITY && v < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("score at row " + i / cols + (cols > 1 ? ", column " + i % cols : "")
                        + " is " + v + "; expected a finite number");
            }
        }
        double[] thresholds = new double[cols];
        double[] values = new double[cols];
        boolean[] fellBack = new boolean[cols];
        double[] positives = new double[rows];
        double[] negatives = new double[rows];
        double[] result = new double[2];
        for (int c = 0; c < cols; c++) {
            int p = 0;
            int n = 0;
            for (int i = c; i < scores.length; i += cols) {
                if (labels[i] == 1) {
                    positives[p++] = scores[i];
                } else {
                    negatives[n++] = scores[i];
                }
            }
            if (p > 0 && sweep(positives, p, negatives, n, result)) {
                thresholds[c] = result[0];
                values[c] = result[1];
            } else {
                thresholds[c] = fallback;
                values[c] = Double.NaN;
                fellBack[c] = true;
            }
        }
        return new TunedThresholds(objective, fallback, thresholds, values, fellBack);
    }

    /**
     * Sweeps the distinct scores from the highest down, counting the positives and negatives at or above each one.
     * Writes the best threshold and its objective value into {@code result} and returns true, or returns false when
     * no threshold meets the objective's constraint. Going down, a later threshold is lower, so {@code >=} keeps the
     * lowest among equals.
     */
    private boolean sweep(double[] pos, int p, double[] neg, int n, double[] result) {
        Arrays.sort(pos, 0, p);
        Arrays.sort(neg, 0, n);
        int i = p - 1;
        int j = n - 1;
        long tp = 0;
        long fp = 0;
        boolean found = false;
        double best = Double.NEGATIVE_INFINITY;
        double bestThreshold = Double.NaN;
        while (i >= 0 || j >= 0) {
            double t = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
            while (i >= 0 && pos[i] == t) {
                tp++;
                i--;
            }
            while (j >= 0 && neg[j] == t) {
                fp++;
                j--;
            }
            double v = objective.evaluate(tp, fp, p);
            if (v >= best) {             // false for NaN: the constraint is not met
                best = v;
                bestThreshold = t + 0.0;  // -0.0 and 0.0 are one candidate; report 0.0
                found = true;
            }
        }
        result[0] = bestThreshold;
        result[1] = best;
        return found;
    }

    @Override
    public String toString() {
        return "ThresholdTuner[" + objective + ", score >= t, fallback " + fallback + "]";
    }

    /**
     * Configures a {@link ThresholdTuner}; setters validate at once.
     *
     * <pre>{@code
     * ThresholdTuner t = ThresholdTuner.builder().objective(ThresholdObjective.fBeta(2.0)).fallback(0.5).build();
     * }</pre>
     */
    public static final class Builder {
        private ThresholdObjective objective = ThresholdObjective.f1();
        private double fallback = 0.5;

        private Builder() {
        }

        /** What to maximise (default {@link ThresholdObjective#f1()}). */
        public Builder objective(ThresholdObjective objective) {
            this.objective = Objects.requireNonNull(objective, "objective");
            return this;
        }

        /**
         * The threshold for a label with no positive sample or with no threshold meeting the constraint (default
         * 0.5; a global threshold you already use is a good choice).
         *
         * @throws IllegalArgumentException if {@code fallback} is not in [0, 1]
         */
        public Builder fallback(double fallback) {
            this.fallback = TunedThresholds.checkFallback(fallback);
            return this;
        }

        /** Builds the tuner. */
        public ThresholdTuner build() {
            return new ThresholdTuner(this);
        }
    }
}
