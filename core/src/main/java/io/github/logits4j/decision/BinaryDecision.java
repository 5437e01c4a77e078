package io.github.logits4j.decision;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;
import io.github.logits4j.kernel.Kernels;
import java.util.Locale;
import java.util.Objects;

/**
 * The positive/negative decision of a binary classifier from its one output per sample: a logit, a probability or a
 * log-probability. The threshold is always a probability: over logits the decision is {@code sigmoid(x) >= t}, never
 * {@code x >= t} (thresholding logits as if they were probabilities is the bug this class exists to prevent).
 *
 * <pre>{@code
 * BinaryDecision rule = BinaryDecision.builder().input(OutputKind.LOGITS).threshold(0.7).build();
 * boolean positive = rule.test(2.1f);                  // sigmoid(2.1) = 0.89 >= 0.7
 * boolean[] decisions = rule.decide(logits);           // logits: [N x 1]
 * }</pre>
 *
 * <p>The comparison is {@code >=} by default ({@link Comparison}), made in float32 against the threshold rounded to
 * float32, as numpy and PyTorch compare. A NaN score is an {@link IllegalArgumentException} naming its row.
 * Immutable and safe to share between threads.
 */
public final class BinaryDecision {
    private final OutputKind input;
    private final float threshold;
    private final Comparison comparison;

    private BinaryDecision(Builder b) {
        this.input = b.input;
        this.threshold = (float) b.thresholds.threshold(0);
        this.comparison = b.thresholds.comparison();
    }

    /** A builder: probabilities, threshold 0.5, {@code >=}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The threshold, as the float32 it is compared in. */
    public float threshold() {
        return threshold;
    }

    /** The comparison. */
    public Comparison comparison() {
        return comparison;
    }

    /** The kind of score this rule reads. */
    public OutputKind input() {
        return input;
    }

    /**
     * The decision for one score.
     *
     * @throws IllegalArgumentException if the score is NaN, or outside [0, 1] for probability input
     */
    public boolean test(float score) {
        return decideOne(score, -1);
    }

    /**
     * The decision for every row of an {@code [N × 1]} matrix.
     *
     * @throws IllegalArgumentException if the matrix has more than one column or a score is invalid (naming its row)
     */
    public boolean[] decide(FloatMatrix scores) {
        if (scores.cols() != 1) {
            throw new IllegalArgumentException("a binary decision reads one score per row; found "
                    + scores.shapeString() + ", expected [N x 1]");
        }
        boolean[] out = new boolean[scores.rows()];
        for (int r = 0; r < out.length; r++) {
            out[r] = decideOne(scores.get(r, 0), r);
        }
        return out;
    }

    private boolean decideOne(float score, int row) {
        float p = switch (input) {
            case LOGITS -> (float) Kernels.sigmoid(score);
            case LOG_PROBABILITIES -> (float) Math.exp(score);
            case PROBABILITIES -> score;
            case DECISION_VALUES -> throw new IllegalStateException("refused by the builder");
        };
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("score " + (row >= 0 ? "at row " + row + " " : "") + "is " + score
                    + "; expected " + Thresholds.expected(input));
        }
        return comparison.passes(p, threshold);
    }

    @Override
    public String toString() {
        return "BinaryDecision[" + input.name().toLowerCase(Locale.ROOT) + " -> p " + comparison.symbol()
                + " " + threshold + "]";
    }

    /**
     * Configures a {@link BinaryDecision}; setters validate at once.
     *
     * <pre>{@code
     * BinaryDecision d = BinaryDecision.builder().input(OutputKind.LOGITS).threshold(0.7).build();
     * }</pre>
     */
    public static final class Builder {
        private OutputKind input = OutputKind.PROBABILITIES;
        private DecisionThresholds thresholds = DecisionThresholds.DEFAULT;

        private Builder() {
        }

        /** What the scores are (default {@link OutputKind#PROBABILITIES}). */
        public Builder input(OutputKind kind) {
            this.input = OutputKind.requireProbabilistic(Objects.requireNonNull(kind, "input kind"), "BinaryDecision");
            return this;
        }

        /**
         * The threshold and its comparison (default 0.5, {@code >=}).
         *
         * @throws IllegalArgumentException if {@code thresholds} holds more than one threshold
         */
        public Builder thresholds(DecisionThresholds thresholds) {
            this.thresholds = Objects.requireNonNull(thresholds, "thresholds").requireLabels(1);
            return this;
        }

        /** The probability threshold in [0, 1] (default 0.5); keeps the comparison. */
        public Builder threshold(double threshold) {
            return thresholds(DecisionThresholds.of(threshold).with(thresholds.comparison()));
        }

        /** The comparison (default {@link Comparison#AT_LEAST}). */
        public Builder comparison(Comparison comparison) {
            return thresholds(thresholds.with(comparison));
        }

        /** Builds the rule. */
        public BinaryDecision build() {
            return new BinaryDecision(this);
        }
    }
}
