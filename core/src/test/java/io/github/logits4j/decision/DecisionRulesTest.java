package io.github.logits4j.decision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;
import org.junit.jupiter.api.Test;

/**
 * The decision rules' definitions on cases small enough to check by hand: ties toward the lower index, {@code >=}
 * versus {@code >} at {@code p == t}, thresholds as probabilities even over logits, top-k limiting the labels and
 * at-least-one picking the argmax. Numeric parity with PyTorch and numpy is the golden tests' job.
 */
class DecisionRulesTest {

    private static FloatMatrix m(int rows, int cols, float... data) {
        return FloatMatrix.wrap(data, rows, cols);
    }

    @Test
    void argmaxBreaksTiesTowardTheLowerIndex() {
        FloatMatrix x = m(4, 4,
                1f, 3f, 3f, 2f,
                0f, 0f, 0f, 0f,
                Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY,
                -1f, Float.POSITIVE_INFINITY, 5f, Float.POSITIVE_INFINITY);
        assertArrayEquals(new int[] {1, 0, 0, 1}, Argmax.of(x));
        // -0 and 0 are equal scores: the first wins.
        assertEquals(0, Argmax.ofRow(new float[] {-0f, 0f}, 0, 2));
        assertEquals(1, Argmax.ofRow(new float[] {9f, 1f, 2f, 2f}, 1, 3), "relative to the offset");
    }

    @Test
    void topKBreaksTiesTowardTheLowerIndex() {
        FloatMatrix x = m(2, 4,
                0.5f, 0.9f, 0.5f, 0.9f,
                0f, 0f, 0f, 0f);
        int[] indices = new int[6];
        float[] values = new float[6];
        TopK.into(x, 3, indices, values);
        assertArrayEquals(new int[] {1, 3, 0, 0, 1, 2}, indices);
        assertArrayEquals(new float[] {0.9f, 0.9f, 0.5f, 0f, 0f, 0f}, values);
        assertArrayEquals(new int[] {1, 3, 0, 2, 0, 1, 2, 3}, TopK.of(x, 4), "k = C is the full stable order");
    }

    @Test
    void binaryDecisionAtTheThreshold() {
        FloatMatrix p = m(3, 1, 0.49f, 0.5f, 0.51f);
        assertArrayEquals(new boolean[] {false, true, true}, BinaryDecision.builder().build().decide(p), ">=");
        assertArrayEquals(new boolean[] {false, false, true},
                BinaryDecision.builder().comparison(Comparison.GREATER).build().decide(p), ">");
        // p = 1 at threshold 1 and p = 0 at threshold 0: only >= passes.
        BinaryDecision atOne = BinaryDecision.builder().threshold(1.0).build();
        assertTrue(atOne.test(1f));
        assertFalse(BinaryDecision.builder().threshold(1.0).comparison(Comparison.GREATER).build().test(1f));
        assertTrue(BinaryDecision.builder().threshold(0.0).build().test(0f));
        assertFalse(BinaryDecision.builder().threshold(0.0).comparison(Comparison.GREATER).build().test(0f));
        assertTrue(Comparison.AT_LEAST.passes(0.5f, 0.5f));
        assertFalse(Comparison.GREATER.passes(0.5f, 0.5f));
        assertEquals(Comparison.AT_LEAST, Comparison.of(">="));
        assertEquals(Comparison.GREATER, Comparison.of(">"));
    }

    @Test
    void binaryThresholdIsAProbabilityEvenOverLogits() {
        // sigmoid(0) = 0.5 exactly: on the threshold.
        BinaryDecision half = BinaryDecision.builder().input(OutputKind.LOGITS).threshold(0.5).build();
        assertTrue(half.test(0f));
        assertFalse(BinaryDecision.builder().input(OutputKind.LOGITS).comparison(Comparison.GREATER).build()
                .test(0f));
        // Logit 0.3 is below 0.5, but its probability sigmoid(0.3) = 0.574 is above: positive.
        assertTrue(half.test(0.3f));
        // Logit -0.1 has probability 0.475 >= 0.45, though -0.1 < 0.45.
        assertTrue(BinaryDecision.builder().input(OutputKind.LOGITS).threshold(0.45).build().test(-0.1f));
        // Logit 0.9 is above 0.8, but sigmoid(0.9) = 0.711 is below: negative.
        assertFalse(BinaryDecision.builder().input(OutputKind.LOGITS).threshold(0.8).build().test(0.9f));
        // Log-probabilities: log p = 0 is p = 1, log p = -inf is p = 0.
        BinaryDecision logOne = BinaryDecision.builder().input(OutputKind.LOG_PROBABILITIES).threshold(1.0).build();
        assertArrayEquals(new boolean[] {true, false}, logOne.decide(m(2, 1, 0f, Float.NEGATIVE_INFINITY)));
        assertTrue(BinaryDecision.builder().input(OutputKind.LOG_PROBABILITIES).threshold(0.0).build()
                .test(Float.NEGATIVE_INFINITY));
    }

    @Test
    void multiLabelThresholds() {
        FloatMatrix p = m(2, 3,
                0.5f, 0.2f, 0.7f,
                0.3f, 0.3f, 0.31f);
        assertArrayEquals(new boolean[] {true, false, true, false, false, false},
                MultilabelDecision.builder().build().decide(p), ">= 0.5");
        assertArrayEquals(new boolean[] {false, false, true, false, false, false},
                MultilabelDecision.builder().comparison(Comparison.GREATER).build().decide(p), "> 0.5");
        assertArrayEquals(new boolean[] {false, true, false, false, true, false},
                MultilabelDecision.builder().thresholds(new double[] {0.6, 0.2, 0.8}).build().decide(p),
                "per class");
        // Over logits the threshold applies to sigmoid(x): logit 0 is p = 0.5.
        assertArrayEquals(new boolean[] {true, false, true},
                MultilabelDecision.builder().input(OutputKind.LOGITS).build().decide(m(1, 3, 0f, -0.1f, 0.1f)));
    }

    @Test
    void atLeastOnePicksTheArgmaxWhenNothingPasses() {
        FloatMatrix p = m(3, 3,
                0.1f, 0.3f, 0.3f,
                0.2f, 0.9f, 0.4f,
                0f, 0f, 0f);
        assertArrayEquals(new boolean[] {
            false, true, false,
            false, true, false,
            true, false, false
        }, MultilabelDecision.builder().atLeastOne(true).build().decide(p));
        assertArrayEquals(new boolean[] {
            false, false, false,
            false, true, false,
            false, false, false
        }, MultilabelDecision.builder().atLeastOne(false).build().decide(p));
    }

    @Test
    void topKLimitsTheLabelsThatMayBeOn() {
        FloatMatrix p = m(2, 4,
                0.6f, 0.9f, 0.9f, 0.7f,
                0.6f, 0.9f, 0.7f, 0.1f);
        // All four pass 0.5 in row 0; top-2 keeps the two 0.9s. In row 1, top-2 is {1, 2}.
        assertArrayEquals(new boolean[] {
            false, true, true, false,
            false, true, true, false
        }, MultilabelDecision.builder().topK(2).build().decide(p));
        // Top-1 on a tie keeps the lower index.
        assertArrayEquals(new boolean[] {
            false, true, false, false,
            false, true, false, false
        }, MultilabelDecision.builder().topK(1).build().decide(p));
        // A top-k label must still pass its threshold: class 1 needs 0.95; class 0 passes but is not in the top 2.
        assertArrayEquals(new boolean[] {
            false, false, true, false,
            false, false, true, false
        }, MultilabelDecision.builder().topK(2).thresholds(new double[] {0.5, 0.95, 0.5, 0.5}).build().decide(p));
        // Nothing in the top 2 passes: at-least-one turns on the argmax (class 1, first of the tied 0.9s).
        assertArrayEquals(new boolean[] {
            false, true, false, false,
            false, true, false, false
        }, MultilabelDecision.builder().topK(2).threshold(0.95).atLeastOne(true).build().decide(p));
    }
}
