package io.github.logits4j.tuning;

import io.github.logits4j.OutputKind;
import io.github.logits4j.decision.DecisionThresholds;
import io.github.logits4j.decision.MultilabelDecision;
import io.github.logits4j.kernel.Checks;
import io.github.logits4j.kernel.MapFields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-label thresholds tuned by {@link ThresholdTuner} for {@code score >= threshold}, with the objective each one
 * reached and whether it fell back. Saved as a JSON-compatible map with {@link #toMap()}, read back with
 * {@link #fromMap(Map)}, and turned into a decision rule with {@link #toDecisionBuilder()}.
 *
 * <pre>{@code
 * TunedThresholds tuned = ThresholdTuner.builder().build().tune(probabilities, labels);
 * double[] t = tuned.thresholds();
 * Map<String, Object> saved = tuned.toMap();          // write with any JSON library
 * TunedThresholds again = TunedThresholds.fromMap(saved);
 * boolean[] on = again.toDecisionBuilder().build().decide(testProbabilities);
 * }</pre>
 *
 * <p>Applying these thresholds with {@code >} instead of {@code >=} flips every sample whose score equals its
 * threshold: tuned thresholds are scores of validation samples, so that happens by construction. Immutable and safe to
 * share between threads; accessors return copies.
 */
public final class TunedThresholds {
    private final ThresholdObjective objective;
    private final double fallback;
    private final double[] thresholds;
    private final double[] objectiveValues;
    private final boolean[] fellBack;

    TunedThresholds(ThresholdObjective objective, double fallback, double[] thresholds, double[] objectiveValues,
            boolean[] fellBack) {
        this.objective = objective;
        this.fallback = fallback;
        this.thresholds = thresholds;
        this.objectiveValues = objectiveValues;
        this.fellBack = fellBack;
    }

    static double checkFallback(double fallback) {
        return Checks.probability(fallback, "fallback threshold");
    }

    /** The number of labels. */
    public int size() {
        return thresholds.length;
    }

    /** The threshold of each label (the fallback for labels that fell back); a copy. */
    public double[] thresholds() {
        return thresholds.clone();
    }

    /** The threshold of label {@code label}. */
    public double threshold(int label) {
        return thresholds[label];
    }

    /** The objective each label reached at its threshold; NaN where it fell back. A copy. */
    public double[] objectiveValues() {
        return objectiveValues.clone();
    }

    /** The objective label {@code label} reached; NaN if it fell back. */
    public double objectiveValue(int label) {
        return objectiveValues[label];
    }

    /** Whether each label got the fallback (no positive sample, or no threshold meeting the constraint). A copy. */
    public boolean[] fellBack() {
        return fellBack.clone();
    }

    /** Whether label {@code label} got the fallback. */
    public boolean fellBack(int label) {
        return fellBack[label];
    }

    /** The objective the thresholds maximise. */
    public ThresholdObjective objective() {
        return objective;
    }

    /** The fallback threshold. */
    public double fallback() {
        return fallback;
    }

    /**
     * A {@link MultilabelDecision} builder with these thresholds, probability input and {@code >=}; set
     * {@code input(OutputKind.LOGITS)}, {@code topK} or {@code atLeastOne} on it as needed. The decision compares in
     * float32, so thresholds tuned on double scores that are not float32 values are rounded to the nearest float.
     *
     * @throws IllegalArgumentException if a threshold is not a probability (tuned on scores that are not)
     */
    public MultilabelDecision.Builder toDecisionBuilder() {
        return MultilabelDecision.builder().input(OutputKind.PROBABILITIES).thresholds(decisionThresholds());
    }

    /**
     * These thresholds as the decision setting every rule, metric and evaluation takes: one per label, {@code >=}.
     *
     * @throws IllegalArgumentException if a threshold is not a probability (tuned on scores that are not)
     */
    public DecisionThresholds decisionThresholds() {
        return DecisionThresholds.perLabel(thresholds);
    }

    /**
     * A JSON-compatible map: {@code "rule"} ({@code ">="}), {@code "objective"}, {@code "beta"} (fbeta) or
     * {@code "target"} (the {@code *_at_least} objectives), {@code "fallback"}, {@code "thresholds"},
     * {@code "objective_values"} (null where a label fell back: JSON has no NaN) and {@code "fell_back"}. Lists are
     * {@code List<Double>} and {@code List<Boolean>}; a new mutable map each call.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", ">=");
        putObjective(m, objective);
        m.put("fallback", fallback);
        List<Double> t = new ArrayList<>(thresholds.length);
        List<Double> v = new ArrayList<>(thresholds.length);
        List<Boolean> f = new ArrayList<>(thresholds.length);
        for (int i = 0; i < thresholds.length; i++) {
            t.add(thresholds[i]);
            v.add(MapFields.nullIfNaN(objectiveValues[i]));
            f.add(fellBack[i]);
        }
        m.put("thresholds", t);
        m.put("objective_values", v);
        m.put("fell_back", f);
        return m;
    }

    static void putObjective(Map<String, Object> m, ThresholdObjective objective) {
        m.put("objective", objective.name());
        if (objective.hasBeta()) {
            m.put("beta", objective.beta());
        }
        if (objective.hasTarget()) {
            m.put("target", objective.target());
        }
    }

    /**
     * Reads what {@link #toMap()} wrote (numbers may be any {@link Number}; an objective value may be null or NaN
     * where the label fell back). Keys it does not know are ignored.
     *
     * @throws IllegalArgumentException naming the key if one is missing or of the wrong type, the lists differ in
     *     length or are empty, a threshold is not finite, or the values contradict each other (a label that fell back
     *     must have the fallback threshold and no objective value; one that did not must have a value)
     */
    public static TunedThresholds fromMap(Map<String, ?> map) {
        MapFields f = new MapFields(map, "tuned thresholds");
        ThresholdObjective objective = readObjective(f);
        double fallback = checkFallback(f.number("fallback"));
        double[] thresholds = f.numbers("thresholds", false);
        double[] values = f.numbers("objective_values", true);
        boolean[] fellBack = f.booleans("fell_back");
        if (thresholds.length == 0) {
            throw new IllegalArgumentException("tuned thresholds 'thresholds' is empty; expected one per label");
        }
        if (values.length != thresholds.length || fellBack.length != thresholds.length) {
            throw new IllegalArgumentException("tuned thresholds has " + thresholds.length + " thresholds, "
                    + values.length + " objective_values and " + fellBack.length + " fell_back; expected equal lengths");
        }
        for (int i = 0; i < thresholds.length; i++) {
            checkLabel(i, thresholds[i], values[i], fellBack[i], fallback);
        }
        return new TunedThresholds(objective, fallback, thresholds, values, fellBack);
    }

    /**
     * The objective a thresholds map names ({@code "objective"} with its {@code "beta"} or {@code "target"}), after
     * checking its {@code "rule"} is {@code ">="}, the only rule the tuner uses.
     */
    static ThresholdObjective readObjective(MapFields f) {
        String rule = f.string("rule");
        if (!rule.equals(">=")) {
            throw new IllegalArgumentException(f.what() + " 'rule' is '" + rule
                    + "'; expected '>=' (thresholds are tuned for score >= threshold)");
        }
        String name = f.string("objective");
        double beta = name.equals("fbeta") ? f.number("beta") : Double.NaN;
        boolean constrained = name.equals("precision_at_least") || name.equals("recall_at_least");
        double target = constrained ? f.number("target") : Double.NaN;
        return ThresholdObjective.of(name, beta, target);
    }

    static void checkLabel(int i, double threshold, double value, boolean fellBack, double fallback) {
        String where = i >= 0 ? " of label " + i : "";
        if (!(Math.abs(threshold) < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("threshold" + where + " is " + threshold + "; expected a finite number");
        }
        if (fellBack) {
            if (threshold != fallback || !Double.isNaN(value)) {
                throw new IllegalArgumentException((i >= 0 ? "label " + i : "the threshold") + " fell back, so its threshold must be the fallback "
                        + fallback + " and its objective value null; found threshold " + threshold + " and value "
                        + value);
            }
        } else if (!(value >= 0.0 && value <= 1.0 + 1e-12)) {
            // (1 + b^2) tp / (b^2 tp + tp) rounds a perfect F-beta to 1 + 2^-52 when b^2 is inexact, as in sklearn
            throw new IllegalArgumentException("objective value" + where + " is " + value
                    + "; expected a number in [0, 1] for a label that did not fall back");
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TunedThresholds)) {
            return false;
        }
        TunedThresholds other = (TunedThresholds) o;
        return objective.equals(other.objective) && Double.compare(fallback, other.fallback) == 0
                && Arrays.equals(thresholds, other.thresholds) && Arrays.equals(objectiveValues, other.objectiveValues)
                && Arrays.equals(fellBack, other.fellBack);
    }

    @Override
    public int hashCode() {
        return objective.hashCode() * 31 + Arrays.hashCode(thresholds);
    }

    @Override
    public String toString() {
        return "TunedThresholds[" + objective + ", score >= " + Arrays.toString(thresholds) + ", fell back "
                + Arrays.toString(fellBack) + "]";
    }
}
