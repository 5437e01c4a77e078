package io.github.logits4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.OutputKind;
import io.github.logits4j.decision.BinaryDecision;
import io.github.logits4j.decision.MultilabelDecision;
import io.github.logits4j.loss.BinaryCrossEntropyLoss;
import io.github.logits4j.loss.CrossEntropyLoss;
import io.github.logits4j.loss.MultiLabelSoftMarginLoss;
import io.github.logits4j.loss.SigmoidFocalLoss;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Decision values (issue 21): the kind parses and prints; losses and probability-reading decisions refuse it; the
 * decision mode of {@link MulticlassMetrics} takes any finite scores, reports no probability metric, merges as one
 * pass and does not merge with a probability accumulator; and the row-sum tolerance of probability rows. Its numbers
 * against scikit-learn's are checked on real decision values in the ONNX adapter's ConvertersGoldenTest.
 */
class DecisionValuesTest {
    @Test
    void theKindParsesAndProbabilityReadersRefuseIt() {
        assertEquals(OutputKind.DECISION_VALUES, OutputKind.parse("Decision-Values"));
        assertEquals("decision_values", OutputKind.DECISION_VALUES.id());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OutputKind.parse("margins")).getMessage()
                .contains("decision_values"));
        for (Runnable r : new Runnable[] {
            () -> CrossEntropyLoss.builder().input(OutputKind.DECISION_VALUES),
            () -> BinaryCrossEntropyLoss.builder().input(OutputKind.DECISION_VALUES),
            () -> MultiLabelSoftMarginLoss.builder().input(OutputKind.DECISION_VALUES),
            () -> SigmoidFocalLoss.builder().input(OutputKind.DECISION_VALUES),
            () -> BinaryDecision.builder().input(OutputKind.DECISION_VALUES),
            () -> MultilabelDecision.builder().input(OutputKind.DECISION_VALUES)}) {
            String msg = assertThrows(IllegalArgumentException.class, r::run).getMessage();
            assertTrue(msg.contains("decision values") && msg.contains("have no probabilities"), msg);
        }
    }

    private static double[] scores(Random rng, int rows, int classes) {
        double[] s = new double[rows * classes];
        for (int i = 0; i < s.length; i++) {
            s[i] = rng.nextGaussian() * 3;         // margins: any sign, rows summing to anything
        }
        return s;
    }

    @Test
    void decisionModeTakesScoresAndReportsNoProbabilityMetric() {
        Random rng = new Random(2101);
        int n = 200;
        int c = 4;
        double[] s = scores(rng, n, c);
        int[] y = new int[n];
        for (int r = 0; r < n; r++) {
            y[r] = rng.nextInt(c);
        }
        MulticlassMetrics whole = MulticlassMetrics.builder(c).topK(1, 2).decisionValues().build();
        whole.update(s, n, y, null);
        MulticlassReport report = whole.result();
        assertTrue(report.decisionValues());
        assertTrue(Double.isNaN(report.logLoss()) && Double.isNaN(report.brier())
                && Double.isNaN(report.expectedCalibrationError()));
        Map<String, Object> map = report.toMap();
        for (String key : new String[] {"log_loss", "brier", "ece", "macro_roc_auc_ovr", "weighted_average_precision"}) {
            assertFalse(map.containsKey(key), key);
        }
        assertTrue(map.containsKey("accuracy") && map.containsKey("top_2_accuracy") && map.containsKey("macro_f1"));
        int correct = 0;
        for (int r = 0; r < n; r++) {
            correct += MulticlassMetrics.predictedClass(s, r * c, c) == y[r] ? 1 : 0;
        }
        assertEquals(correct / (double) n, report.accuracy(), 0.0, "accuracy is that of the argmax");

        // two accumulators merged through bytes equal one pass
        MulticlassMetrics a = MulticlassMetrics.builder(c).topK(1, 2).decisionValues().build();
        MulticlassMetrics b = MulticlassMetrics.builder(c).topK(1, 2).decisionValues().build();
        double[] s1 = java.util.Arrays.copyOfRange(s, 0, 70 * c);
        double[] s2 = java.util.Arrays.copyOfRange(s, 70 * c, n * c);
        a.update(s1, 70, java.util.Arrays.copyOfRange(y, 0, 70), null);
        b.update(s2, n - 70, java.util.Arrays.copyOfRange(y, 70, n), null);
        a.mergeBytes(b.toBytes());
        assertEquals(report.toMap().toString(), a.result().toMap().toString());
        MulticlassMetrics probabilities = MulticlassMetrics.builder(c).topK(1, 2).build();
        assertThrows(IllegalArgumentException.class, () -> probabilities.mergeBytes(b.toBytes()));

        double[] bad = s.clone();
        bad[3 * c + 2] = Double.NaN;
        String msg = assertThrows(IllegalArgumentException.class,
                () -> MulticlassMetrics.builder(c).decisionValues().build().update(bad, n, y, null)).getMessage();
        assertTrue(msg.contains("row 3, column 2"), msg);
    }

    @Test
    void probabilityRowsMaySumWithinTheTolerance() {
        double[] p = {0.5, 0.502, 0.3, 0.7};       // the first row sums to 1.002
        int[] y = {1, 0};
        String msg = assertThrows(IllegalArgumentException.class,
                () -> MulticlassMetrics.builder(2).build().update(p, 2, y, null)).getMessage();
        assertTrue(msg.contains("row 0 sum to 1.002") && msg.contains("within 1.0E-4")
                && msg.contains("rowSumTolerance"), msg);
        MulticlassMetrics tolerant = MulticlassMetrics.builder(2).rowSumTolerance(0.01).build();
        tolerant.update(p, 2, y, null);
        assertEquals(2, tolerant.rows());
        assertThrows(IllegalArgumentException.class, () -> MulticlassMetrics.builder(2).rowSumTolerance(1.0));
        assertThrows(IllegalArgumentException.class, () -> MulticlassMetrics.builder(2).rowSumTolerance(-1e-9));
    }
}
