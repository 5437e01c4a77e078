package io.github.logits4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.golden.Tolerance;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * A downsampled curve keeps at most the points asked for, its first and last, and an area within its stated bound of
 * the full curve's; a curve from binned scores lies within its bound of the exact curve's area and agrees with the
 * binned metrics the report gives.
 */
class CurvesPropertiesTest {

    private static double[] scores(Random rnd, int[] y, boolean ties) {
        double[] s = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            double z = rnd.nextGaussian() + 1.5 * y[i];
            s[i] = 1.0 / (1.0 + Math.exp(-z));
            if (ties) {
                s[i] = Math.round(s[i] * 20) / 20.0;
            }
        }
        return s;
    }

    private static int[] labels(Random rnd, int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextDouble() < 0.4 ? 1 : 0;
        }
        y[0] = 1;
        y[n - 1] = 0;
        return y;
    }

    @Property(tries = 80)
    void downsampledCurvesStayWithinTheirBound(@ForAll long seed, @ForAll @IntRange(min = 2, max = 3000) int n,
            @ForAll @IntRange(min = 2, max = 60) int maxPoints, @ForAll boolean ties) {
        Random rnd = new Random(seed);
        int[] y = labels(rnd, n);
        double[] s = scores(rnd, y, ties);
        RocCurve roc = Curves.roc(s, y, null, false);
        RocCurve small = roc.downsample(maxPoints);
        assertTrue(small.points() <= maxPoints, small.points() + " points");
        assertEquals(roc.fpr()[0], small.fpr()[0]);
        assertEquals(roc.tpr()[roc.points() - 1], small.tpr()[small.points() - 1]);
        assertEquals(small.points(), small.thresholds().length);
        assertTrue(Math.abs(roc.auc() - small.auc()) <= small.areaBound() + 1e-12,
                "auc " + roc.auc() + " vs " + small.auc() + ", bound " + small.areaBound());

        PrecisionRecallCurve pr = Curves.precisionRecall(s, y, null, false);
        PrecisionRecallCurve prSmall = pr.downsample(maxPoints);
        assertTrue(prSmall.points() <= maxPoints, prSmall.points() + " points");
        assertEquals(prSmall.points() - 1, prSmall.thresholds().length);
        assertEquals(1.0, prSmall.precision()[prSmall.points() - 1]);
        assertTrue(Math.abs(pr.averagePrecision() - prSmall.averagePrecision()) <= prSmall.areaBound() + 1e-12,
                "ap " + pr.averagePrecision() + " vs " + prSmall.averagePrecision() + ", bound "
                        + prSmall.areaBound());
    }

    @Property(tries = 60)
    void binnedCurvesLieWithinTheirBoundAndMatchTheReport(@ForAll long seed,
            @ForAll @IntRange(min = 2, max = 2000) int n, @ForAll @IntRange(min = 2, max = 300) int bins,
            @ForAll boolean ties) {
        Random rnd = new Random(seed);
        int[] y = labels(rnd, n);
        double[] s = scores(rnd, y, ties);
        BinaryMetrics exact = BinaryMetrics.builder().build();
        exact.update(s, y, null);
        BinaryMetrics binned = BinaryMetrics.builder().rankMode(RankMode.binned(bins)).build();
        binned.update(s, y, null);
        RocCurve e = exact.rocCurve(false);
        RocCurve b = binned.rocCurve(false);
        assertTrue(Math.abs(e.auc() - b.auc()) <= b.areaBound() + 1e-12,
                "exact " + e.auc() + ", binned " + b.auc() + ", bound " + b.areaBound());
        BinaryReport report = binned.result();
        Tolerance.assertClose(report.rocAuc(), b.auc(), 1e-12, 1e-12, "binned auc");
        Tolerance.assertClose(report.rocAucErrorBound(), b.areaBound(), 1e-12, 1e-12, "binned auc bound");
        PrecisionRecallCurve pr = binned.precisionRecallCurve(false);
        Tolerance.assertClose(report.averagePrecision(), pr.averagePrecision(), 1e-12, 1e-12, "binned ap");
        Tolerance.assertClose(report.averagePrecisionErrorBound(), pr.areaBound(), 1e-12, 1e-12, "binned ap bound");
        Tolerance.assertClose(exact.result().rocAuc(), e.auc(), 1e-12, 1e-12, "exact auc");
    }

    @Property(tries = 30)
    void multiClassBinnedCurvesMatchTheirAucs(@ForAll long seed, @ForAll @IntRange(min = 10, max = 500) int n) {
        Random rnd = new Random(seed);
        int classes = 3;
        double[] p = new double[n * classes];
        int[] y = new int[n];
        for (int r = 0; r < n; r++) {
            y[r] = r < classes ? r : rnd.nextInt(classes);
            double sum = 0.0;
            for (int c = 0; c < classes; c++) {
                p[r * classes + c] = Math.exp(rnd.nextGaussian() + (c == y[r] ? 1.0 : 0.0));
                sum += p[r * classes + c];
            }
            for (int c = 0; c < classes; c++) {
                p[r * classes + c] /= sum;
            }
        }
        MulticlassMetrics exact = MulticlassMetrics.builder(classes).build();
        exact.update(p, n, y, null);
        MulticlassMetrics binned = MulticlassMetrics.builder(classes).rankMode(RankMode.binned(100)).build();
        binned.update(p, n, y, null);
        double sum = 0.0;
        for (int c = 0; c < classes; c++) {
            RocCurve e = exact.rocCurve(c, false);
            RocCurve b = binned.rocCurve(c, false);
            assertTrue(Math.abs(e.auc() - b.auc()) <= b.areaBound() + 1e-12);
            sum += e.auc();
        }
        Tolerance.assertClose(exact.result().rocAucOvr(Average.MACRO), sum / classes, 1e-12, 1e-12, "macro ovr auc");
        RocCurve micro = exact.microRocCurve(false);
        Tolerance.assertClose(exact.result().rocAucOvr(Average.MICRO), micro.auc(), 1e-12, 1e-12, "micro auc");
        RocCurve binnedMicro = binned.microRocCurve(false);
        assertTrue(Math.abs(micro.auc() - binnedMicro.auc()) <= binnedMicro.areaBound() + 1e-12);
    }

    /** The reliability diagram is the expected calibration error's own bins: its weighted mean gap is the ECE. */
    @Property(tries = 40)
    void reliabilityCurveIsTheEceBins(@ForAll long seed, @ForAll @IntRange(min = 1, max = 400) int n,
            @ForAll boolean binary) {
        Random rnd = new Random(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(2);
        }
        double[] s = scores(rnd, y, rnd.nextBoolean());
        CalibrationCurve curve;
        double ece;
        if (binary) {
            BinaryMetrics m = BinaryMetrics.builder().rankMode(RankMode.none()).build();
            m.update(s, y, null);
            curve = m.reliabilityCurve();
            ece = m.result().expectedCalibrationError();
        } else {
            double[] p = new double[2 * n];
            for (int i = 0; i < n; i++) {
                p[2 * i] = 1.0 - s[i];
                p[2 * i + 1] = s[i];
            }
            MulticlassMetrics m = MulticlassMetrics.builder(2).rankMode(RankMode.none()).build();
            m.update(p, n, y, null);
            curve = m.reliabilityCurve();
            ece = m.result().expectedCalibrationError();
        }
        double total = 0.0;
        double gap = 0.0;
        double[] w = curve.counts();
        for (int k = 0; k < w.length; k++) {
            total += w[k];
            gap += w[k] * Math.abs(curve.probTrue()[k] - curve.probPred()[k]);
        }
        assertEquals(n, total, 0.0);
        Tolerance.assertClose(ece, gap / total, 1e-12, 1e-12, "ece");
    }

    @Test
    void curvesNeedScoresAndRows() {
        BinaryMetrics none = BinaryMetrics.builder().rankMode(RankMode.none()).build();
        none.update(new double[] {0.2, 0.7}, new int[] {0, 1}, null);
        String msg = assertThrows(IllegalStateException.class, () -> none.rocCurve(true)).getMessage();
        assertTrue(msg.contains("RankMode.exact()") && msg.contains("this one is none"), msg);
        msg = assertThrows(IllegalStateException.class,
                () -> BinaryMetrics.builder().build().precisionRecallCurve(false)).getMessage();
        assertTrue(msg.contains("no rows added"), msg);
        MulticlassMetrics m = MulticlassMetrics.builder(3).build();
        m.update(new double[] {0.2, 0.3, 0.5}, 1, new int[] {2}, null);
        msg = assertThrows(IllegalArgumentException.class, () -> m.rocCurve(3, true)).getMessage();
        assertTrue(msg.contains("class 3 is out of range; expected 0 to 2"), msg);
        msg = assertThrows(IllegalArgumentException.class, () -> Curves.roc(new double[] {0.1, 0.9},
                new int[] {0, 1}, null, true).downsample(1)).getMessage();
        assertTrue(msg.contains("at least 2 points"), msg);
        msg = assertThrows(IllegalStateException.class, () -> BinaryMetrics.builder()
                .rankMode(RankMode.binned(10)).build().calibrationCurve(5, CalibrationCurve.Strategy.UNIFORM))
                .getMessage();
        assertTrue(msg.contains("RankMode.exact()"), msg);
    }
}
