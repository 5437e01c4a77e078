package io.github.logits4j.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.metrics.BinaryMetrics;
import io.github.logits4j.metrics.MultilabelMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One setting of decision thresholds, shared by the rules, the metric accumulators and the evaluation options (issue
 * 23): the same thresholds give the same decisions everywhere, and the shorthand setters are that setting.
 */
class DecisionThresholdsTest {
    @Test
    void oneOrPerLabelWithItsComparison() {
        DecisionThresholds one = DecisionThresholds.of(0.3);
        assertFalse(one.isPerLabel());
        assertEquals(0.3, one.threshold(7));
        assertEquals(0, one.labels());
        DecisionThresholds per = DecisionThresholds.perLabel(0.2, 0.8).with(Comparison.GREATER);
        assertTrue(per.isPerLabel());
        assertEquals(0.8, per.threshold(1));
        assertFalse(per.passes(0.8, 1));
        assertTrue(per.with(Comparison.AT_LEAST).passes(0.8, 1));
        assertEquals(Map.of("rule", ">", "thresholds", List.of(0.2, 0.8)), per.toMap());
        assertEquals(DecisionThresholds.of(0.5), DecisionThresholds.DEFAULT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> per.requireLabels(3));
        assertEquals("2 per-label thresholds; expected 3, one per label", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DecisionThresholds.of(1.5));
        assertThrows(IllegalArgumentException.class, () -> DecisionThresholds.perLabel(0.5, Double.NaN));
        assertThrows(IllegalArgumentException.class, DecisionThresholds::perLabel);
    }

    @Test
    void theRuleAndTheMetricsDecideAlikeFromOneSetting() {
        DecisionThresholds t = DecisionThresholds.perLabel(0.25, 0.5, 0.75).with(Comparison.GREATER);
        float[] p = {0.25f, 0.5f, 0.75f, 0.3f, 0.6f, 0.8f};
        boolean[] on = MultilabelDecision.builder().thresholds(t).build().decide(FloatMatrix.wrap(p, 2, 3));
        assertEquals("[false, false, false, true, true, true]", java.util.Arrays.toString(on));
        MultilabelMetrics m = MultilabelMetrics.builder(3).thresholds(t).build();
        // every label of row 1 is true: row 0 all negative predictions (false negatives), row 1 all true positives
        m.update(FloatMatrix.wrap(p, 2, 3), FloatMatrix.wrap(new float[] {1, 1, 1, 1, 1, 1}, 2, 3));
        assertEquals(0.5, m.result().hammingLoss());
        // the shorthands are the same setting
        MultilabelMetrics same = MultilabelMetrics.builder(3).thresholds(new double[] {0.25, 0.5, 0.75})
                .comparison(Comparison.GREATER).build();
        same.update(FloatMatrix.wrap(p, 2, 3), FloatMatrix.wrap(new float[] {1, 1, 1, 1, 1, 1}, 2, 3));
        assertEquals(m.result().toMap(), same.result().toMap());
        assertThrows(IllegalArgumentException.class, () -> MultilabelMetrics.builder(4).thresholds(t));
        assertThrows(IllegalArgumentException.class, () -> BinaryMetrics.builder().thresholds(t));
        assertEquals(0.25f, BinaryDecision.builder().thresholds(DecisionThresholds.of(0.25)).build().threshold());
    }
}
