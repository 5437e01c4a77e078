package io.github.logits4j.tuning;

import io.github.logits4j.OutputKind;
import io.github.logits4j.decision.BinaryDecision;
import io.github.logits4j.decision.DecisionThresholds;
import io.github.logits4j.kernel.MapFields;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The threshold of a binary classifier tuned by {@link ThresholdTuner#tuneBinary} for {@code score >= threshold},
 * with the objective it reached and whether it fell back.
 *
 * <pre>{@code
 * TunedThreshold tuned = ThresholdTuner.builder()
 *         .objective(ThresholdObjective.recallAtLeast(0.9))
 *         .build()
 *         .tuneBinary(validationProbabilities, validationLabels);
 * BinaryDecision rule = tuned.toDecisionBuilder().build();
 * Map<String, Object> saved = tuned.toMap();
 * }</pre>
 *
 * <p>Applying the threshold with {@code >} instead of {@code >=} flips the samples whose score equals it (at least one
 * validation sample, by construction). Immutable and safe to share between threads.
 */
public final class TunedThreshold {
    private final ThresholdObjective objective;
    private final double fallback;
    private final double threshold;
    private final double objectiveValue;
    private final boolean fellBack;

    TunedThreshold(ThresholdObjective objective, double fallback, double threshold, double objectiveValue,
            boolean fellBack) {
        this.objective = objective;
        this.fallback = fallback;
        this.threshold = threshold;
        this.objectiveValue = objectiveValue;
        this.fellBack = fellBack;
    }

    /** The threshold (the fallback if it fell back). */
    public double threshold() {
        return threshold;
    }

    /** The objective reached at the threshold; NaN if it fell back. */
    public double objectiveValue() {
        return objectiveValue;
    }

    /** Whether the fallback was used: no positive sample, or no threshold meeting the constraint. */
    public boolean fellBack() {
        return fellBack;
    }

    /** The objective the threshold maximises. */
    public ThresholdObjective objective() {
        return objective;
    }

    /** The fallback threshold. */
    public double fallback() {
        return fallback;
    }

    /**
     * A {@link BinaryDecision} builder with this threshold, probability input and {@code >=}; set
     * {@code input(OutputKind.LOGITS)} on it for logit scores. The decision compares in float32.
     *
     * @throws IllegalArgumentException if the threshold is not a probability (tuned on scores that are not)
     */
    public BinaryDecision.Builder toDecisionBuilder() {
        return BinaryDecision.builder().input(OutputKind.PROBABILITIES).thresholds(decisionThresholds());
    }

    /**
     * This threshold as the decision setting every rule, metric and evaluation takes: {@code >=}.
     *
     * @throws IllegalArgumentException if the threshold is not a probability (tuned on scores that are not)
     */
    public DecisionThresholds decisionThresholds() {
        return DecisionThresholds.of(threshold);
    }

    /**
     * A JSON-compatible map: {@code "rule"} ({@code ">="}), {@code "objective"}, {@code "beta"} or {@code "target"}
     * when the objective has one, {@code "fallback"}, {@code "threshold"}, {@code "objective_value"} (null if it fell
     * back: JSON has no NaN) and {@code "fell_back"}. A new mutable map each call.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", ">=");
        TunedThresholds.putObjective(m, objective);
        m.put("fallback", fallback);
        m.put("threshold", threshold);
        m.put("objective_value", MapFields.nullIfNaN(objectiveValue));
        m.put("fell_back", fellBack);
        return m;
    }

    /**
     * Reads what {@link #toMap()} wrote. Keys it does not know are ignored.
     *
     * @throws IllegalArgumentException naming the key if one is missing or of the wrong type, or if the values
     *     contradict each other
     */
    public static TunedThreshold fromMap(Map<String, ?> map) {
        MapFields f = new MapFields(map, "tuned threshold");
        ThresholdObjective objective = TunedThresholds.readObjective(f);
        double fallback = TunedThresholds.checkFallback(f.number("fallback"));
        double threshold = f.number("threshold");
        double value = f.numberOrNaN("objective_value");
        boolean fellBack = f.bool("fell_back");
        TunedThresholds.checkLabel(-1, threshold, value, fellBack, fallback);
        return new TunedThreshold(objective, fallback, threshold, value, fellBack);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TunedThreshold)) {
            return false;
        }
        TunedThreshold other = (TunedThreshold) o;
        return objective.equals(other.objective) && Double.compare(fallback, other.fallback) == 0
                && Double.compare(threshold, other.threshold) == 0
                && Double.compare(objectiveValue, other.objectiveValue) == 0 && fellBack == other.fellBack;
    }

    @Override
    public int hashCode() {
        return objective.hashCode() * 31 + Double.hashCode(threshold);
    }

    @Override
    public String toString() {
        return "TunedThreshold[" + objective + ", score >= " + threshold + (fellBack ? " (fell back)" : "") + "]";
    }
}
