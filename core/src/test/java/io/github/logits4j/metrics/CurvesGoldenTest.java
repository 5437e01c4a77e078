package io.github.logits4j.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.golden.Golden;
import io.github.logits4j.golden.Tolerance;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The curves against {@code testdata/golden/curves.json} (scikit-learn 1.9.1's {@code roc_curve},
 * {@code precision_recall_curve} and {@code calibration_curve}, with ties, sample weights including zeros, and the
 * one-class branches): the same number of points, thresholds and bin edges exactly, every rate, precision and
 * calibration value within 1e-12, areas within 1e-12.
 */
class CurvesGoldenTest {
    private static final Golden GOLDEN = Golden.load("curves");
    private static final double TOL = 1e-12;

    @TestFactory
    Stream<DynamicTest> roc() {
        return GOLDEN.cases("roc_curve").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            RocCurve roc = Curves.roc(c.input("y_score").doubles(), c.input("y_true").ints(), weights(c),
                    c.paramBoolean("drop_intermediate"));
            assertArrayEquals(c.expected("thresholds").doubles(), roc.thresholds(), 0.0, c.id() + " thresholds");
            Tolerance.assertAllClose(c.expected("fpr").doubles(), roc.fpr(), TOL, TOL, c.id() + " fpr");
            Tolerance.assertAllClose(c.expected("tpr").doubles(), roc.tpr(), TOL, TOL, c.id() + " tpr");
            Tolerance.assertClose(c.expected("auc").scalar(), roc.auc(), TOL, TOL, c.id() + " auc");
        }));
    }

    @TestFactory
    Stream<DynamicTest> precisionRecall() {
        return GOLDEN.cases("precision_recall_curve").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            PrecisionRecallCurve pr = Curves.precisionRecall(c.input("y_score").doubles(), c.input("y_true").ints(),
                    weights(c), c.paramBoolean("drop_intermediate"));
            assertArrayEquals(c.expected("thresholds").doubles(), pr.thresholds(), 0.0, c.id() + " thresholds");
            Tolerance.assertAllClose(c.expected("precision").doubles(), pr.precision(), TOL, TOL, c.id() + " precision");
            Tolerance.assertAllClose(c.expected("recall").doubles(), pr.recall(), TOL, TOL, c.id() + " recall");
            if (c.expectedNames().contains("average_precision")) {
                Tolerance.assertClose(c.expected("average_precision").scalar(), pr.averagePrecision(), TOL, TOL,
                        c.id() + " average_precision");
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> calibration() {
        return GOLDEN.cases("calibration_curve").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            CalibrationCurve.Strategy strategy = CalibrationCurve.Strategy.valueOf(
                    c.paramString("strategy").toUpperCase(java.util.Locale.ROOT));
            CalibrationCurve curve = Curves.calibration(c.input("y_prob").doubles(), c.input("y_true").ints(),
                    c.paramInt("n_bins"), strategy);
            assertArrayEquals(c.expected("edges").doubles(), curve.edges(), 0.0, c.id() + " edges");
            assertArrayEquals(c.expected("counts").doubles(), curve.counts(), 0.0, c.id() + " counts");
            Tolerance.assertAllClose(c.expected("prob_true").doubles(), curve.probTrue(), TOL, TOL,
                    c.id() + " prob_true");
            Tolerance.assertAllClose(c.expected("prob_pred").doubles(), curve.probPred(), TOL, TOL,
                    c.id() + " prob_pred");
            assertEquals(strategy.id(), curve.toMap().get("strategy"));
        }));
    }

    /** The accumulators' one-vs-rest, micro and macro curves against scikit-learn on the same columns. */
    @TestFactory
    Stream<DynamicTest> oneVsRest() {
        return GOLDEN.cases("ovr_curves").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            Golden.Array score = c.input("y_score");
            int n = score.dim(0);
            int classes = score.dim(1);
            double[] w = weights(c);
            boolean multiclass = "multiclass".equals(c.paramString("task"));
            java.util.function.IntFunction<RocCurve> roc;
            java.util.function.IntFunction<PrecisionRecallCurve> pr;
            java.util.function.IntFunction<CalibrationCurve> calibration;
            CalibrationCurve microCalibration;
            RocCurve microRoc;
            RocCurve macroRoc;
            PrecisionRecallCurve microPr;
            if (multiclass) {
                MulticlassMetrics m = MulticlassMetrics.builder(classes).build();
                m.update(score.doubles(), n, c.input("y_true").ints(), w);
                roc = j -> m.rocCurve(j, true);
                pr = j -> m.precisionRecallCurve(j, false);
                calibration = j -> m.calibrationCurve(j, 5, CalibrationCurve.Strategy.QUANTILE);
                microCalibration = m.microCalibrationCurve(10, CalibrationCurve.Strategy.UNIFORM);
                microRoc = m.microRocCurve(true);
                macroRoc = m.macroRocCurve();
                microPr = m.microPrecisionRecallCurve(false);
            } else {
                MultilabelMetrics m = MultilabelMetrics.builder(classes).build();
                m.update(score.doubles(), c.input("y_true").ints(), n, w);
                roc = j -> m.rocCurve(j, true);
                pr = j -> m.precisionRecallCurve(j, false);
                calibration = j -> m.calibrationCurve(j, 5, CalibrationCurve.Strategy.QUANTILE);
                microCalibration = m.microCalibrationCurve(10, CalibrationCurve.Strategy.UNIFORM);
                microRoc = m.microRocCurve(true);
                macroRoc = m.macroRocCurve();
                microPr = m.microPrecisionRecallCurve(false);
            }
            for (int j = 0; j < classes; j++) {
                assertRoc(c, "roc_%s_" + j, roc.apply(j));
                assertPr(c, "pr_%s_" + j, pr.apply(j));
                assertCalibration(c, "cal_%s_" + j, calibration.apply(j));
            }
            assertCalibration(c, "cal_%s_micro", microCalibration);
            assertRoc(c, "roc_%s_micro", microRoc);
            assertPr(c, "pr_%s_micro", microPr);
            Tolerance.assertAllClose(c.expected("roc_fpr_macro").doubles(), macroRoc.fpr(), 0.0, 0.0,
                    c.id() + " macro fpr grid");
            Tolerance.assertAllClose(c.expected("roc_tpr_macro").doubles(), macroRoc.tpr(), TOL, TOL,
                    c.id() + " macro tpr");
            Tolerance.assertClose(c.expected("roc_auc_macro").scalar(), macroRoc.auc(), TOL, TOL, c.id() + " macro auc");
        }));
    }

    private static void assertRoc(Golden.Case c, String key, RocCurve roc) {
        String where = c.id() + " " + key.replace("%s_", "");
        assertArrayEquals(c.expected(String.format(key, "thresholds")).doubles(), roc.thresholds(), 0.0,
                where + " thresholds");
        Tolerance.assertAllClose(c.expected(String.format(key, "fpr")).doubles(), roc.fpr(), TOL, TOL, where + " fpr");
        Tolerance.assertAllClose(c.expected(String.format(key, "tpr")).doubles(), roc.tpr(), TOL, TOL, where + " tpr");
    }

    private static void assertPr(Golden.Case c, String key, PrecisionRecallCurve pr) {
        String where = c.id() + " " + key.replace("%s_", "");
        assertArrayEquals(c.expected(String.format(key, "thresholds")).doubles(), pr.thresholds(), 0.0,
                where + " thresholds");
        Tolerance.assertAllClose(c.expected(String.format(key, "precision")).doubles(), pr.precision(), TOL, TOL,
                where + " precision");
        Tolerance.assertAllClose(c.expected(String.format(key, "recall")).doubles(), pr.recall(), TOL, TOL,
                where + " recall");
    }

    private static void assertCalibration(Golden.Case c, String key, CalibrationCurve curve) {
        String where = c.id() + " " + key.replace("%s_", "");
        Tolerance.assertAllClose(c.expected(String.format(key, "prob_true")).doubles(), curve.probTrue(), TOL, TOL,
                where + " prob_true");
        Tolerance.assertAllClose(c.expected(String.format(key, "prob_pred")).doubles(), curve.probPred(), TOL, TOL,
                where + " prob_pred");
    }

    private static double[] weights(Golden.Case c) {
        return c.inputNames().contains("sample_weight") ? c.input("sample_weight").doubles() : null;
    }

    @Test
    void badInputsAreRefusedNamingTheIndex() {
        String msg = assertThrows(IllegalArgumentException.class,
                () -> Curves.roc(new double[] {0.1, Double.NaN}, new int[] {0, 1}, null, true)).getMessage();
        assertTrue(msg.contains("score at index 1 is NaN"), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> Curves.precisionRecall(new double[] {0.1, 0.2}, new int[] {0, 2}, null, false)).getMessage();
        assertTrue(msg.contains("1") && msg.contains("0 or 1"), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> Curves.roc(new double[] {0.1}, new int[] {0, 1}, null, true)).getMessage();
        assertTrue(msg.contains("1 scores, 2 labels"), msg);
        msg = assertThrows(IllegalArgumentException.class, () -> Curves.roc(new double[] {0.1, 0.2},
                new int[] {0, 1}, new double[] {0.0, -1.0}, true)).getMessage();
        assertTrue(msg.contains("weight at index 1 is -1.0"), msg);
        msg = assertThrows(IllegalArgumentException.class, () -> Curves.calibration(new double[] {0.5, 1.5},
                new int[] {0, 1}, 5, CalibrationCurve.Strategy.UNIFORM)).getMessage();
        assertTrue(msg.contains("probability at index 1 is 1.5"), msg);
        msg = assertThrows(IllegalArgumentException.class, () -> Curves.calibration(new double[] {0.5},
                new int[] {0}, 0, CalibrationCurve.Strategy.QUANTILE)).getMessage();
        assertTrue(msg.contains("bins is 0"), msg);
    }
}
