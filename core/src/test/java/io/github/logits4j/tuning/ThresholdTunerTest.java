package io.github.logits4j.tuning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;
import io.github.logits4j.decision.BinaryDecision;
import io.github.logits4j.decision.Comparison;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Worked examples, the decision rules the results build, and every bad input with the message it gives. */
class ThresholdTunerTest {
    private static final ThresholdTuner F1 = ThresholdTuner.builder().build();

    static void assertMessage(Executable e, String... parts) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        for (String p : parts) {
            assertTrue(x.getMessage().contains(p), "message '" + x.getMessage() + "' should contain '" + p + "'");
        }
    }

    @Test
    void equalF1GoesToTheLowerThreshold() {
        // F1 = 2/3 at t = 0.9 (tp 2 of 2 predicted, 4 positives) and at t = 0.45 (tp 4 of 8 predicted)
        double[] s = {0.95, 0.9, 0.8, 0.7, 0.6, 0.55, 0.5, 0.45, 0.3, 0.2, 0.1};
        int[] y = {1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0};
        TunedThreshold t = F1.tuneBinary(s, y);
        assertEquals(0.45, t.threshold());
        assertEquals(2.0 / 3.0, t.objectiveValue());
        assertFalse(t.fellBack());
    }

    @Test
    void noPositivesFallsBack() {
        TunedThreshold t = ThresholdTuner.builder().fallback(0.7).build()
                .tuneBinary(new double[] {0.1, 0.9}, new int[] {0, 0});
        assertTrue(t.fellBack());
        assertEquals(0.7, t.threshold());
        assertTrue(Double.isNaN(t.objectiveValue()));
        assertEquals(null, t.toMap().get("objective_value"), "JSON has no NaN");
    }

    @Test
    void unreachableConstraintFallsBack() {
        ThresholdTuner precise = ThresholdTuner.builder().objective(ThresholdObjective.precisionAtLeast(0.95)).build();
        TunedThreshold t = precise.tuneBinary(new double[] {0.9, 0.8, 0.7}, new int[] {0, 1, 1});
        assertTrue(t.fellBack());
        // precision exactly 2/3 at t = 0.7 meets a target of 2/3 (>=)
        TunedThreshold met = ThresholdTuner.builder().objective(ThresholdObjective.precisionAtLeast(2.0 / 3.0)).build()
                .tuneBinary(new double[] {0.9, 0.8, 0.7}, new int[] {0, 1, 1});
        assertEquals(0.7, met.threshold());
        assertEquals(1.0, met.objectiveValue());
    }

    @Test
    void emptyInputFallsBackForEveryLabel() {
        TunedThresholds t = F1.tune(new double[0], new int[0], 0, 3);
        assertArrayEquals(new boolean[] {true, true, true}, t.fellBack());
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, t.thresholds());
    }

    @Test
    void objectiveNamesAndMaps() {
        assertEquals("f1", ThresholdObjective.f1().name());
        assertEquals("fbeta", ThresholdObjective.fBeta(2).name());
        assertEquals("precision_at_least", ThresholdObjective.precisionAtLeast(0.9).name());
        assertEquals("recall_at_least", ThresholdObjective.recallAtLeast(0.9).name());
        TunedThresholds t = ThresholdTuner.builder().objective(ThresholdObjective.fBeta(0.5)).build()
                .tune(new double[] {0.2, 0.8, 0.6, 0.4}, new int[] {0, 1, 1, 0}, 2, 2);
        Map<String, Object> m = t.toMap();
        assertEquals(List.of("rule", "objective", "beta", "fallback", "thresholds", "objective_values", "fell_back"),
                new ArrayList<>(m.keySet()));
        assertEquals(">=", m.get("rule"));
        assertEquals(0.5, m.get("beta"));
        Map<String, Object> r = ThresholdTuner.builder().objective(ThresholdObjective.recallAtLeast(0.9)).build()
                .tuneBinary(new double[] {0.2, 0.8}, new int[] {0, 1}).toMap();
        assertEquals(0.9, r.get("target"));
        assertFalse(r.containsKey("beta"));
    }

    @Test
    void binaryDecisionUsesProbabilitiesAndAtLeast() {
        TunedThreshold t = F1.tuneBinary(new double[] {0.25, 0.75, 0.5}, new int[] {0, 1, 1});
        assertEquals(0.5, t.threshold());
        BinaryDecision rule = t.toDecisionBuilder().build();
        assertEquals(OutputKind.PROBABILITIES, rule.input());
        assertEquals(Comparison.AT_LEAST, rule.comparison());
        assertTrue(rule.test(0.5f));
        // the same threshold under '>' flips the sample whose score equals it
        assertFalse(t.toDecisionBuilder().comparison(Comparison.GREATER).build().test(0.5f));
        // over logits the threshold stays a probability: sigmoid(0) = 0.5 >= 0.5
        assertTrue(t.toDecisionBuilder().input(OutputKind.LOGITS).build().test(0f));
    }

    @Test
    void multiLabelDecisionRoundTripsThroughTheMap() {
        float[] s = {0.1f, 0.9f, 0.6f, 0.3f, 0.8f, 0.2f};
        float[] y = {0, 1, 1, 0, 1, 0};
        TunedThresholds t = F1.tune(FloatMatrix.wrap(s, 3, 2), FloatMatrix.wrap(y, 3, 2));
        boolean[] direct = t.toDecisionBuilder().build().decide(FloatMatrix.wrap(s, 3, 2));
        boolean[] saved = TunedThresholds.fromMap(t.toMap()).toDecisionBuilder().build().decide(FloatMatrix.wrap(s, 3, 2));
        assertArrayEquals(direct, saved);
        assertArrayEquals(new boolean[] {false, true, true, false, true, false}, direct);
    }

    // ---------------------------------------------------------------------------------------------- bad input

    @Test
    void labelNeitherZeroNorOne() {
        assertMessage(() -> F1.tune(new double[] {0.1, 0.2, 0.3, 0.4}, new int[] {0, 1, 1, 2}, 2, 2),
                "label at row 1, column 1 is 2", "expected 0 or 1");
        assertMessage(() -> F1.tuneBinary(new double[] {0.1, 0.2}, new int[] {-1, 1}),
                "label at row 0 is -1", "expected 0 or 1");
        assertMessage(() -> F1.tune(FloatMatrix.wrap(new float[] {0.1f, 0.2f}, 1, 2),
                FloatMatrix.wrap(new float[] {1f, 0.5f}, 1, 2)), "label at row 0, column 1 is 0.5");
    }

    @Test
    void scoreNotFinite() {
        assertMessage(() -> F1.tune(new double[] {0.1, Double.NaN, 0.3, 0.4}, new int[] {0, 1, 1, 0}, 2, 2),
                "score at row 0, column 1 is NaN", "finite");
        assertMessage(() -> F1.tuneBinary(new double[] {0.1, Double.POSITIVE_INFINITY}, new int[] {0, 1}),
                "score at row 1 is Infinity", "finite");
        assertMessage(() -> F1.tune(FloatMatrix.wrap(new float[] {0.1f, 0.2f, Float.NaN, 0.4f}, 2, 2),
                FloatMatrix.wrap(new float[] {0, 1, 1, 0}, 2, 2)), "score at row 1, column 0 is NaN");
    }

    @Test
    void shapesThatDoNotMatch() {
        assertMessage(() -> F1.tune(new double[] {0.1, 0.2, 0.3}, new int[] {0, 1, 1, 0}, 2, 2),
                "scores has 3 elements", "expected rows * labelsCount = 2 * 2 = 4");
        assertMessage(() -> F1.tune(new double[] {0.1, 0.2, 0.3, 0.4}, new int[] {0, 1, 1}, 2, 2),
                "labels has 3 elements");
        assertMessage(() -> F1.tune(new double[0], new int[0], 0, 0), "labelsCount must be at least 1");
        assertMessage(() -> F1.tune(new double[0], new int[0], -1, 2), "rows must not be negative");
        assertMessage(() -> F1.tuneBinary(new double[] {0.1, 0.2}, new int[] {1}),
                "labels has 1 entries; expected 2");
        assertMessage(() -> F1.tune(FloatMatrix.allocate(2, 2), FloatMatrix.allocate(2, 3)),
                "labels shape is [2 x 3]; expected [2 x 2]");
    }

    @Test
    void badObjectiveParameters() {
        assertMessage(() -> ThresholdObjective.fBeta(0), "beta must be finite and > 0; found 0.0");
        assertMessage(() -> ThresholdObjective.fBeta(Double.NaN), "beta must be finite and > 0");
        assertMessage(() -> ThresholdObjective.fBeta(Double.POSITIVE_INFINITY), "beta must be finite and > 0");
        assertMessage(() -> ThresholdObjective.precisionAtLeast(0), "precision target must be in (0, 1]; found 0.0");
        assertMessage(() -> ThresholdObjective.recallAtLeast(1.5), "recall target must be in (0, 1]; found 1.5");
        assertMessage(() -> ThresholdObjective.recallAtLeast(Double.NaN), "recall target must be in (0, 1]");
        assertMessage(() -> ThresholdObjective.of("accuracy", 1, 1), "objective is 'accuracy'", "expected one of");
        assertMessage(() -> ThresholdTuner.builder().fallback(1.5), "fallback threshold is 1.5",
                "expected a probability in [0, 1]");
        assertMessage(() -> ThresholdTuner.builder().fallback(Double.NaN), "fallback threshold is NaN");
    }

    @Test
    void thresholdsThatAreNotProbabilitiesCannotBecomeADecision() {
        TunedThreshold logitThreshold = F1.tuneBinary(new double[] {-2.0, 3.0}, new int[] {0, 1});
        assertEquals(3.0, logitThreshold.threshold());
        assertMessage(logitThreshold::toDecisionBuilder, "threshold is 3.0", "expected a probability in [0, 1]");
    }

    @Test
    void fromMapRejectsBadMaps() {
        Map<String, Object> good = F1.tune(new double[] {0.2, 0.8, 0.6, 0.4}, new int[] {0, 1, 1, 0}, 2, 2).toMap();
        assertEquals(F1.tune(new double[] {0.2, 0.8, 0.6, 0.4}, new int[] {0, 1, 1, 0}, 2, 2),
                TunedThresholds.fromMap(good));

        assertMessage(() -> TunedThresholds.fromMap(without(good, "thresholds")),
                "tuned thresholds map has no 'thresholds'");
        assertMessage(() -> TunedThresholds.fromMap(with(good, "rule", ">")), "'rule' is '>'", "expected '>='");
        assertMessage(() -> TunedThresholds.fromMap(with(good, "thresholds", "0.5")), "'thresholds' is '0.5'",
                "expected a list");
        assertMessage(() -> TunedThresholds.fromMap(with(good, "thresholds", List.of(0.5))),
                "1 thresholds, 2 objective_values and 2 fell_back", "expected equal lengths");
        assertMessage(() -> TunedThresholds.fromMap(with(good, "thresholds", Arrays.asList(0.5, "x"))),
                "'thresholds'[1] is 'x'");
        assertMessage(() -> TunedThresholds.fromMap(with(good, "fell_back", List.of(true, false))),
                "label 0 fell back, so its threshold must be the fallback 0.5");
        assertMessage(() -> TunedThresholds.fromMap(with(good, "objective", "fbeta")), "has no 'beta'");
        assertMessage(() -> TunedThresholds.fromMap(with(good, "fallback", 2)), "fallback threshold is 2.0");
        assertMessage(() -> TunedThresholds.fromMap(with(good, "thresholds", List.of(Double.NaN, 0.5))),
                "threshold of label 0 is NaN", "finite");
        assertMessage(() -> TunedThresholds.fromMap(with(good, "objective_values", Arrays.asList(null, 0.5))),
                "objective value of label 0 is NaN", "did not fall back");
        assertMessage(() -> TunedThresholds.fromMap(null), "map is null");

        Map<String, Object> binary = F1.tuneBinary(new double[] {0.2, 0.8}, new int[] {0, 1}).toMap();
        assertMessage(() -> TunedThreshold.fromMap(without(binary, "fell_back")),
                "tuned threshold map has no 'fell_back'");
        assertMessage(() -> TunedThreshold.fromMap(with(binary, "fell_back", "yes")), "'fell_back' is 'yes'",
                "expected true or false");
        assertMessage(() -> TunedThreshold.fromMap(with(binary, "fell_back", true)),
                "the threshold fell back, so its threshold must be the fallback");
    }

    static Map<String, Object> with(Map<String, Object> m, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(m);
        copy.put(key, value);
        return copy;
    }

    static Map<String, Object> without(Map<String, Object> m, String key) {
        Map<String, Object> copy = new LinkedHashMap<>(m);
        copy.remove(key);
        return copy;
    }
}
