package io.github.logits4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.golden.Golden;
import io.github.logits4j.golden.ReportValues;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Multi-class metrics beyond the dense confusion array (issue 22): 2,000 and 50,000 classes against scikit-learn
 * ({@code classes.json}), fed in batches of 10 rows and merged from two accumulators through bytes, at 1e-12; the
 * confusion counts stay sparse (memory in proportion to the cells that occur), and rank metrics are refused up front
 * naming what works.
 */
class LargeLabelSpaceGoldenTest {
    private static final Golden GOLDEN = Golden.load("classes");

    /** Row {@code r}'s probabilities as the generator builds them: 0.5 on pred, 0.3 on second, the rest shared. */
    private static void row(double[] p, int off, int classes, int pred, int second) {
        Arrays.fill(p, off, off + classes, 0.2 / (classes - 2));
        p[off + pred] = 0.5;
        p[off + second] = 0.3;
    }

    private static MulticlassMetrics feed(Golden.Case c, int from, int to) {
        int classes = c.paramInt("classes");
        double[] y = c.input("y_true").doubles();
        double[] pred = c.input("pred").doubles();
        double[] second = c.input("second").doubles();
        MulticlassMetrics m = MulticlassMetrics.builder(classes).topK(1, 5).rankMode(RankMode.none()).build();
        int batch = 10;
        double[] p = new double[batch * classes];
        int[] labels = new int[batch];
        for (int start = from; start < to; start += batch) {
            int n = Math.min(batch, to - start);
            for (int r = 0; r < n; r++) {
                row(p, r * classes, classes, (int) pred[start + r], (int) second[start + r]);
                labels[r] = (int) y[start + r];
            }
            m.update(n == batch ? p : Arrays.copyOf(p, n * classes), n, Arrays.copyOf(labels, n), null);
        }
        return m;
    }

    @TestFactory
    Stream<DynamicTest> sparseCountsEqualScikitLearn() {
        return GOLDEN.cases("sparse_multiclass").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            int n = c.input("y_true").dim(0);
            MulticlassMetrics whole = feed(c, 0, n);
            MulticlassMetrics merged = feed(c, 0, n / 3);
            merged.mergeBytes(feed(c, n / 3, n).toBytes());
            for (MulticlassMetrics m : List.of(whole, merged)) {
                MulticlassReport r = m.result();
                List<String> keys = new ArrayList<>(c.expectedNames());
                Map<String, Supplier<double[]>> values = ReportValues.of(r, new int[] {1, 5}, 15);
                ReportValues.check(c, keys, values, 1e-12);
                assertFalse(r.toMap().containsKey("confusion_matrix"), "no C x C list in the report");
                long[] cells = new long[1];
                r.confusionCells((t, p, w) -> cells[0]++);
                assertTrue(cells[0] <= n, "at most one cell per row: " + cells[0]);
            }
        }));
    }

    /**
     * A million classes in bounded memory: 40 rows in batches of 2 (16 MB of probabilities a batch), the confusion
     * counts one cell per row; accuracy and log loss against their closed forms (a row's class has probability 0.5
     * when predicted, else 0.2 / (C - 2)).
     */
    @Test
    void aMillionClassesInBatchesOfTwo() {
        int classes = 1_000_000;
        int rows = 40;
        MulticlassMetrics m = MulticlassMetrics.builder(classes).topK(1).rankMode(RankMode.none()).build();
        double[] p = new double[2 * classes];
        int correct = 0;
        for (int start = 0; start < rows; start += 2) {
            int[] labels = new int[2];
            for (int r = 0; r < 2; r++) {
                int pred = (start + r) * 24_989;
                row(p, r * classes, classes, pred, pred + 1);
                boolean right = (start + r) % 4 != 0;
                labels[r] = right ? pred : pred + 7;
                correct += right ? 1 : 0;
            }
            m.update(p, 2, labels, null);
        }
        MulticlassReport r = m.result();
        assertEquals(correct / (double) rows, r.accuracy(), 1e-15);
        double expected = (correct * -Math.log(0.5) + (rows - correct) * -Math.log(0.2 / (classes - 2))) / rows;
        assertEquals(expected, r.logLoss(), 1e-12);
        long[] cells = new long[1];
        r.confusionCells((t, q, w) -> cells[0]++);
        assertTrue(cells[0] <= rows);
        assertEquals(classes, r.f1PerClass().length);
    }

    @Test
    void rankMetricsAreRefusedUpFrontAboveTheDenseLimit() {
        String msg = assertThrows(IllegalArgumentException.class, () -> MulticlassMetrics.builder(50_000).build())
                .getMessage();
        assertTrue(msg.contains("50000 classes") && msg.contains("RankMode.none()") && msg.contains("--rank-metrics"
                + " none"), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> MulticlassMetrics.builder(50_000).rankMode(RankMode.binned(100))).getMessage();
        assertTrue(msg.contains("RankMode.none()"), msg);
        MulticlassMetrics ok = MulticlassMetrics.builder(Confusion.DENSE_LIMIT).build();
        assertEquals(Confusion.DENSE_LIMIT, ok.classes());
        String cells = assertThrows(IllegalStateException.class, () -> feed(GOLDEN.caseById("classes_50000"), 0, 10)
                .result().confusionMatrix()).getMessage();
        assertTrue(cells.contains("confusionCells"), cells);
    }
}
