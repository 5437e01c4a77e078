package io.github.logits4j.decision;

import io.github.logits4j.kernel.Checks;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The decision thresholds of a binary or multi-label model, the one setting every part of logits4j that decides
 * takes: one probability threshold for every label, or one per label, and the {@link Comparison} ({@code >=} by
 * default). The decision rules ({@link BinaryDecision}, {@link MultilabelDecision}), the metric accumulators, the
 * evaluation options and tuned thresholds all hold their thresholds as one of these. Immutable and serialisable.
 *
 * <pre>{@code
 * DecisionThresholds t = DecisionThresholds.perLabel(0.5, 0.3, 0.7);      // or DecisionThresholds.of(0.4)
 * MultilabelDecision rule = MultilabelDecision.builder().input(OutputKind.LOGITS).thresholds(t).build();
 * MultilabelMetrics metrics = MultilabelMetrics.builder(3).thresholds(t).build();
 * }</pre>
 *
 * <p>Thresholds are probabilities in [0, 1], over logits as well (the rules apply the sigmoid first). Decision rules
 * compare in float32 as numpy does; the metrics compare the float64 probabilities of an evaluation, as scikit-learn
 * does on them.
 */
public final class DecisionThresholds implements Serializable {
    private static final long serialVersionUID = 1L;

    /** 0.5 for every label, {@code >=}: the default of every rule and metric. */
    public static final DecisionThresholds DEFAULT = of(0.5);

    private final double[] values;
    private final boolean perLabel;
    private final Comparison comparison;

    private DecisionThresholds(double[] values, boolean perLabel, Comparison comparison) {
        this.values = values;
        this.perLabel = perLabel;
        this.comparison = comparison;
    }

    /**
     * One threshold for every label (and for the one probability of a binary model), {@code >=}.
     *
     * @throws IllegalArgumentException unless {@code threshold} is in [0, 1]
     */
    public static DecisionThresholds of(double threshold) {
        return new DecisionThresholds(new double[] {check(threshold, "threshold")}, false, Comparison.AT_LEAST);
    }

    /**
     * One threshold per label, in label order, {@code >=}.
     *
     * @throws IllegalArgumentException if none is given or one is not in [0, 1]
     */
    public static DecisionThresholds perLabel(double... thresholds) {
        Objects.requireNonNull(thresholds, "thresholds");
        if (thresholds.length == 0) {
            throw new IllegalArgumentException("per-label thresholds needs at least one threshold");
        }
        double[] t = thresholds.clone();
        for (int i = 0; i < t.length; i++) {
            check(t[i], "thresholds[" + i + "]");
        }
        return new DecisionThresholds(t, true, Comparison.AT_LEAST);
    }

    private static double check(double t, String what) {
        return Checks.probability(t, what, " (thresholds apply to probabilities, even over logits)");
    }

    /** These thresholds with {@code comparison}. */
    public DecisionThresholds with(Comparison comparison) {
        Objects.requireNonNull(comparison, "comparison");
        return comparison == this.comparison ? this : new DecisionThresholds(values, perLabel, comparison);
    }

    /** Whether there is one threshold per label (else one for all). */
    public boolean isPerLabel() {
        return perLabel;
    }

    /** The number of labels these thresholds are for, or 0 when one threshold serves any number. */
    public int labels() {
        return perLabel ? values.length : 0;
    }

    /** The threshold of label {@code label} (the one threshold when not per label). */
    public double threshold(int label) {
        return perLabel ? values[label] : values[0];
    }

    /** The thresholds: one, or one per label. A copy. */
    public double[] values() {
        return values.clone();
    }

    /** The comparison. */
    public Comparison comparison() {
        return comparison;
    }

    /** Whether {@code p} passes the threshold of label {@code label}, compared in double precision. */
    public boolean passes(double p, int label) {
        double t = threshold(label);
        return comparison == Comparison.AT_LEAST ? p >= t : p > t;
    }

    /**
     * These thresholds, checked to fit {@code labels} labels.
     *
     * @throws IllegalArgumentException if there is one threshold per label and not {@code labels} of them
     */
    public DecisionThresholds requireLabels(int labels) {
        if (perLabel && values.length != labels) {
            throw new IllegalArgumentException(values.length + " per-label threshold" + (values.length == 1 ? "" : "s")
                    + "; expected " + labels + ", one per label");
        }
        return this;
    }

    /**
     * {@code {"rule": ">=", "threshold": 0.5}}, or {@code "thresholds": [...]} per label: the report's form.
     * Unmodifiable.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", comparison.symbol());
        if (perLabel) {
            List<Double> t = new ArrayList<>(values.length);
            for (double v : values) {
                t.add(v);
            }
            m.put("thresholds", Collections.unmodifiableList(t));
        } else {
            m.put("threshold", values[0]);
        }
        return Collections.unmodifiableMap(m);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecisionThresholds d && d.perLabel == perLabel && d.comparison == comparison
                && Arrays.equals(d.values, values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(perLabel, comparison, Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "DecisionThresholds[" + comparison.symbol() + " "
                + (perLabel ? Arrays.toString(values) : Double.toString(values[0])) + "]";
    }
}
