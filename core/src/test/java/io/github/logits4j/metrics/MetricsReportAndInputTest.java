package io.github.logits4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.activation.Activation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reports' stable keys and table, and bad input: every error names what, where, expected and found, and a
 * rejected batch adds nothing.
 */
class MetricsReportAndInputTest {

    private static MulticlassMetrics multiclass() {
        MulticlassMetrics m = MulticlassMetrics.builder(3).topK(2).build();
        FloatMatrix probs = Activation.SOFTMAX.apply(FloatMatrix.wrap(new float[] {
            2f, 1f, 0f,
            0f, 3f, 1f,
            1f, 1f, 2f,
            0f, 0f, 0f}, 4, 3));
        m.update(probs, new int[] {0, 1, 1, 2});
        return m;
    }

    @Test
    void multiclassReportHasTheStableKeys() {
        Map<String, Object> map = multiclass().result().toMap();
        for (String key : List.of("samples", "classes", "accuracy", "top_k", "top_k_accuracy", "top_2_accuracy",
                "micro_f1", "macro_f1", "weighted_f1", "macro_precision", "weighted_recall", "log_loss", "brier",
                "matthews_corrcoef", "macro_roc_auc_ovr", "weighted_roc_auc_ovr", "macro_roc_auc_ovo",
                "weighted_roc_auc_ovo", "ece", "ece_l2", "ece_max", "ece_bins", "per_class_f1", "confusion_matrix")) {
            assertTrue(map.containsKey(key), "missing " + key + " in " + map.keySet());
        }
        assertEquals(4L, map.get("samples"));
        assertEquals(2, map.get("top_k"));
        assertEquals(0.5, (Double) map.get("accuracy"), 0.0, "rows 0 and 1 right; row 2 predicts 2; the tied row 3 predicts 0");
        String table = multiclass().result().toTable();
        assertTrue(table.contains("macro_roc_auc_ovr"), table);
        assertTrue(table.contains("accuracy") && table.contains("0.500000"), table);
    }

    @Test
    void multilabelAndBinaryReportsHaveTheStableKeys() {
        MultilabelMetrics ml = MultilabelMetrics.builder(2).build();
        ml.update(new double[] {0.9, 0.2, 0.4, 0.7}, new int[] {1, 0, 0, 1}, 2, null);
        Map<String, Object> m = ml.result().toMap();
        for (String key : List.of("hamming_loss", "subset_accuracy", "micro_f1", "macro_f1", "samples_f1",
                "macro_roc_auc", "micro_roc_auc", "weighted_roc_auc", "macro_average_precision",
                "micro_average_precision", "label_ranking_average_precision", "coverage_error", "label_ranking_loss",
                "per_label_confusion")) {
            assertTrue(m.containsKey(key), "missing " + key);
        }
        BinaryMetrics b = BinaryMetrics.builder().rankMode(RankMode.binned(10)).build();
        b.update(new double[] {0.9, 0.2, 0.6}, new int[] {1, 0, 0}, null);
        Map<String, Object> bm = b.result().toMap();
        for (String key : List.of("accuracy", "precision", "recall", "f1", "roc_auc", "average_precision", "brier",
                "log_loss", "roc_auc_error_bound", "average_precision_error_bound", "ece")) {
            assertTrue(bm.containsKey(key), "missing " + key);
        }
        assertThrows(UnsupportedOperationException.class, () -> bm.put("x", 1));
    }

    @Test
    void emptyEvaluationIsNaN() {
        MulticlassReport r = MulticlassMetrics.builder(3).build().result();
        assertTrue(Double.isNaN(r.accuracy()));
        assertTrue(Double.isNaN(r.logLoss()));
        assertTrue(Double.isNaN(r.rocAucOvr(Average.MACRO)));
    }

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void badInputNamesWhatWhereAndExpected() {
        MulticlassMetrics m = MulticlassMetrics.builder(3).build();
        String msg = message(() -> m.update(new double[] {0.2, 0.3, 0.5, 0.1, 0.1, 0.8}, 2, new int[] {0, 3}, null));
        assertTrue(msg.contains("row 1") && msg.contains("3") && msg.contains("[0, 2]"), msg);
        msg = message(() -> m.update(new double[] {0.2, 0.3, 0.5, 2.0, -1.0, 0.0}, 2, new int[] {0, 1}, null));
        assertTrue(msg.contains("row 1, column 0") && msg.contains("2.0") && msg.contains("[0, 1]"), msg);
        msg = message(() -> m.update(new double[] {0.2, 0.3, 0.4}, 1, new int[] {0}, null));
        assertTrue(msg.contains("row 0") && msg.contains("sum to") && msg.contains("logits"), msg);
        msg = message(() -> m.update(new double[] {0.2, 0.3, 0.5}, 1, new int[] {0}, new double[] {-1}));
        assertTrue(msg.contains("sample weight at row 0") && msg.contains("-1.0"), msg);
        msg = message(() -> m.update(new double[] {0.2, 0.3, 0.5}, 1, new int[] {0, 1}, null));
        assertTrue(msg.contains("labels has 2 entries; expected 1"), msg);
        msg = message(() -> m.update(FloatMatrix.allocate(2, 4), new int[] {0, 1}));
        assertTrue(msg.contains("4 columns; expected 3"), msg);
        assertEquals(0, m.rows(), "a rejected batch adds nothing");

        MultilabelMetrics ml = MultilabelMetrics.builder(2).build();
        msg = message(() -> ml.update(new double[] {0.5, 0.5}, new int[] {1, 2}, 1, null));
        assertTrue(msg.contains("row 0, column 1") && msg.contains("expected 0 or 1"), msg);
        msg = message(() -> ml.update(new double[] {0.5, Double.NaN}, new int[] {1, 0}, 1, null));
        assertTrue(msg.contains("row 0, column 1") && msg.contains("NaN"), msg);
        assertEquals(0, ml.rows());

        BinaryMetrics b = BinaryMetrics.builder().build();
        msg = message(() -> b.update(FloatMatrix.allocate(3, 2), new int[] {0, 1, 0}));
        assertTrue(msg.contains("[3 x 2]") && msg.contains("[N x 1]"), msg);
        msg = message(() -> b.update(new double[] {0.5, 0.5}, new int[] {1, -1}, null));
        assertTrue(msg.contains("row 1") && msg.contains("expected 0 or 1"), msg);
    }

    @Test
    void settingsAreValidatedEagerlyAndMergeChecksThem() {
        assertTrue(message(() -> MulticlassMetrics.builder(1)).contains("at least 2 classes"));
        assertTrue(message(() -> MulticlassMetrics.builder(3).topK(0)).contains("top-k is 0; expected at least 1"));
        assertTrue(message(() -> MultilabelMetrics.builder(2).thresholds(new double[] {0.5})).contains("expected 2"));
        assertTrue(message(() -> BinaryMetrics.builder().threshold(1.5)).contains("[0, 1]"));
        assertTrue(message(() -> RankMode.binned(1)).contains("at least 2"));
        assertTrue(message(() -> new CalibrationError(0)).contains("at least 1"));
        MulticlassMetrics a = MulticlassMetrics.builder(3).build();
        MulticlassMetrics b = MulticlassMetrics.builder(4).build();
        assertTrue(message(() -> a.merge(b)).contains("different settings"));
    }

    @Test
    void mergeBytesRefusesOtherSettingsOtherKindsAndDamagedStates() {
        MulticlassMetrics three = MulticlassMetrics.builder(3).build();
        three.update(new double[] {0.2, 0.3, 0.5}, 1, new int[] {2}, null);
        byte[] state = three.toBytes();
        MulticlassMetrics four = MulticlassMetrics.builder(4).build();
        String msg = message(() -> four.mergeBytes(state));
        assertTrue(msg.contains("different settings") && msg.contains("classes=3") && msg.contains("classes=4"), msg);
        assertEquals(0, four.rows());
        msg = message(() -> BinaryMetrics.builder().build().mergeBytes(state));
        assertTrue(msg.contains("the state is of multi-class metrics; expected binary metrics"), msg);
        msg = message(() -> MulticlassMetrics.builder(3).build().mergeBytes(java.util.Arrays.copyOf(state, 40)));
        assertTrue(msg.contains("truncated"), msg);
        msg = message(() -> MulticlassMetrics.builder(3).build().mergeBytes(java.util.Arrays.copyOf(state,
                state.length + 3)));
        assertTrue(msg.contains("3 bytes after its end"), msg);
        msg = message(() -> MulticlassMetrics.builder(3).build().mergeBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        assertTrue(msg.contains("not a logits4j accumulator state"), msg);
        MulticlassMetrics copy = MulticlassMetrics.builder(3).build();
        copy.mergeBytes(state);
        assertEquals(three.result().toMap(), copy.result().toMap());
    }

    /** A binned state travels as its non-empty bins: 10 x 10 x 10,000 bins (8 MB whole) in a few kilobytes. */
    @Test
    void binnedStatesAreCompact() {
        int classes = 10;
        java.util.Random rnd = new java.util.Random(3);
        double[] p = new double[100 * classes];
        int[] y = new int[100];
        for (int r = 0; r < 100; r++) {
            y[r] = rnd.nextInt(classes);
            for (int c = 0; c < classes; c++) {
                p[r * classes + c] = c == y[r] ? 0.91 : 0.01;
            }
        }
        MulticlassMetrics a = MulticlassMetrics.builder(classes).rankMode(RankMode.binned(10_000)).build();
        a.update(p, 100, y, null);
        byte[] state = a.toBytes();
        assertTrue(state.length < 40_000, state.length + " bytes");
        MulticlassMetrics b = MulticlassMetrics.builder(classes).rankMode(RankMode.binned(10_000)).build();
        b.mergeBytes(state);
        assertEquals(a.result().toMap(), b.result().toMap());
    }
}
