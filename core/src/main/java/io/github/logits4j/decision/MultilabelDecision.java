package io.github.logits4j.decision;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;
import io.github.logits4j.kernel.Checks;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Multi-label decisions: which labels of each row are on. A label is on when its probability passes its threshold
 * (one global threshold or one per class, {@code >=} by default); optionally only the {@code topK} most probable labels
 * of a row may be on, and optionally every row gets at least one label (its most probable, first index on ties) when
 * none passes.
 *
 * <pre>{@code
 * MultilabelDecision rule = MultilabelDecision.builder()
 *         .input(OutputKind.LOGITS)                      // sigmoid is applied before thresholding
 *         .thresholds(new double[] {0.5, 0.3, 0.7})
 *         .topK(2)
 *         .atLeastOne(true)
 *         .build();
 * boolean[] on = rule.decide(logits);                    // row-major [N x C]
 * }</pre>
 *
 * <p>Thresholds are probabilities in [0, 1] whatever the input kind: logits go through sigmoid and log-probabilities
 * through exp first, then the float32 probability is compared with the threshold rounded to float32, as numpy and
 * PyTorch compare. Top-k ranks the same probabilities, ties toward the lower index. A NaN score, or a probability
 * outside [0, 1], is an {@link IllegalArgumentException} naming its row and column. Immutable and safe to share
 * between threads.
 */
public final class MultilabelDecision {
    private final OutputKind input;
    private final float globalThreshold;
    private final float[] thresholds;
    private final Comparison comparison;
    private final int topK;
    private final boolean atLeastOne;

    private MultilabelDecision(Builder b) {
        this.input = b.input;
        this.globalThreshold = (float) b.thresholds.threshold(0);
        this.thresholds = floats(b.thresholds);
        this.comparison = b.thresholds.comparison();
        this.topK = b.topK;
        this.atLeastOne = b.atLeastOne;
    }

    /** Per-label thresholds as the float32 they are compared in, or null for one global threshold. */
    private static float @Nullable [] floats(DecisionThresholds t) {
        if (!t.isPerLabel()) {
            return null;
        }
        double[] v = t.values();
        float[] f = new float[v.length];
        for (int c = 0; c < v.length; c++) {
            f[c] = (float) v[c];
        }
        return f;
    }

    /** A builder: probabilities, one threshold 0.5, {@code >=}, no top-k, no at-least-one. */
    public static Builder builder() {
        return new Builder();
    }

    /** The decisions for every row, a new row-major {@code [N × C]} array. */
    public boolean[] decide(FloatMatrix scores) {
        boolean[] out = new boolean[scores.size()];
        decide(scores, out);
        return out;
    }

    /**
     * Writes the decisions for every row into {@code out}, row-major {@code [N × C]}.
     *
     * @throws IllegalArgumentException if the per-class thresholds or {@code topK} do not fit the number of columns,
     *     {@code out} is too short, or a score is invalid
     */
    public void decide(FloatMatrix scores, boolean[] out) {
        Objects.requireNonNull(out, "out");
        int rows = scores.rows();
        int cols = scores.cols();
        if (thresholds != null && thresholds.length != cols) {
            throw new IllegalArgumentException("per-class thresholds has " + thresholds.length + " entries; expected "
                    + cols + ", one per input column");
        }
        if (topK > cols) {
            throw new IllegalArgumentException("topK is " + topK + "; expected at most " + cols
                    + " (the number of classes)");
        }
        if (out.length < scores.size()) {
            throw new IllegalArgumentException("out holds " + out.length + " elements; expected at least rows * cols = "
                    + scores.size());
        }
        float[] rowScratch = scores.hasArray() ? null : new float[cols];
        float[] p = new float[cols];
        int[] top = topK > 0 ? new int[topK] : null;
        for (int r = 0; r < rows; r++) {
            Thresholds.probabilities(scores, input, r, rowScratch, p);
            int base = r * cols;
            boolean any = false;
            if (top == null) {
                for (int c = 0; c < cols; c++) {
                    boolean on = comparison.passes(p[c], threshold(c));
                    out[base + c] = on;
                    any |= on;
                }
            } else {
                Arrays.fill(out, base, base + cols, false);
                TopK.ofRow(p, 0, cols, topK, top, 0);
                for (int c : top) {
                    boolean on = comparison.passes(p[c], threshold(c));
                    out[base + c] = on;
                    any |= on;
                }
            }
            if (atLeastOne && !any) {
                out[base + Argmax.ofRow(p, 0, cols)] = true;
            }
        }
    }

    private float threshold(int c) {
        return thresholds == null ? globalThreshold : thresholds[c];
    }

    @Override
    public String toString() {
        return "MultilabelDecision[input=" + input + ", p " + comparison.symbol() + " "
                + (thresholds == null ? Float.toString(globalThreshold) : Arrays.toString(thresholds))
                + (topK > 0 ? ", topK=" + topK : "") + (atLeastOne ? ", atLeastOne" : "") + "]";
    }

    /**
     * Configures a {@link MultilabelDecision}; setters validate at once.
     *
     * <pre>{@code
     * MultilabelDecision d = MultilabelDecision.builder().threshold(0.4).atLeastOne(true).build();
     * }</pre>
     */
    public static final class Builder {
        private OutputKind input = OutputKind.PROBABILITIES;
        private DecisionThresholds thresholds = DecisionThresholds.DEFAULT;
        private int topK;
        private boolean atLeastOne;

        private Builder() {
        }

        /** What the scores are (default {@link OutputKind#PROBABILITIES}). */
        public Builder input(OutputKind kind) {
            this.input = OutputKind.requireProbabilistic(Objects.requireNonNull(kind, "input kind"), "MultilabelDecision");
            return this;
        }

        /** The thresholds, one for every label or one per label, and their comparison (default 0.5, {@code >=}). */
        public Builder thresholds(DecisionThresholds thresholds) {
            this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
            return this;
        }

        /** One probability threshold in [0, 1] for every label (default 0.5); replaces the per-label thresholds. */
        public Builder threshold(double threshold) {
            return thresholds(DecisionThresholds.of(threshold).with(thresholds.comparison()));
        }

        /** One probability threshold in [0, 1] per label; replaces the global threshold. */
        public Builder thresholds(double[] perLabel) {
            Objects.requireNonNull(perLabel, "thresholds");
            Checks.nonNegativeFinite(perLabel, "thresholds");
            return thresholds(DecisionThresholds.perLabel(perLabel).with(thresholds.comparison()));
        }

        /** The comparison (default {@link Comparison#AT_LEAST}). */
        public Builder comparison(Comparison comparison) {
            return thresholds(thresholds.with(comparison));
        }

        /** Only the {@code k >= 1} most probable labels of a row may be on (default: no limit). */
        public Builder topK(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("topK must be at least 1; found " + k);
            }
            this.topK = k;
            return this;
        }

        /** Whether a row with no label passing gets its most probable label (default false). */
        public Builder atLeastOne(boolean atLeastOne) {
            this.atLeastOne = atLeastOne;
            return this;
        }

        /** Builds the rule. */
        public MultilabelDecision build() {
            return new MultilabelDecision(this);
        }
    }
}
