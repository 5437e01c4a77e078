package io.github.logits4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.golden.Tolerance;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Merging the accumulators of any split of a data set, directly or through their bytes, equals one pass over it (every
 * report value within 1e-12), and
 * the fixed-bin rank mode stays within the error bound it reports.
 */
class MetricsPropertiesTest {

    /** Random probabilities, coarse ({@code ties}) or fine, with rows summing to 1. */
    static double[] softmaxRows(Random rnd, int n, int c, boolean ties) {
        double[] p = new double[n * c];
        for (int r = 0; r < n; r++) {
            double s = 0.0;
            for (int j = 0; j < c; j++) {
                double v = ties ? 1 + rnd.nextInt(3) : Math.exp(2 * rnd.nextGaussian());
                p[r * c + j] = v;
                s += v;
            }
            for (int j = 0; j < c; j++) {
                p[r * c + j] /= s;
            }
        }
        return p;
    }

    static double[] weights(Random rnd, int n, boolean weighted) {
        if (!weighted) {
            return null;
        }
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = rnd.nextInt(4) == 0 ? 0.0 : 0.1 + 3 * rnd.nextDouble();
        }
        return w;
    }

    static int[] splits(Random rnd, int n, int parts) {
        int[] cuts = new int[parts + 1];
        cuts[parts] = n;
        for (int i = 1; i < parts; i++) {
            cuts[i] = rnd.nextInt(n + 1);
        }
        java.util.Arrays.sort(cuts, 1, parts);
        return cuts;
    }

    static double[] slice(double[] a, int from, int to) {
        return a == null ? null : java.util.Arrays.copyOfRange(a, from, to);
    }

    static int[] slice(int[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }

    static void assertSameReport(Map<String, Object> expected, Map<String, Object> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            assertSameValue(e.getKey(), e.getValue(), actual.get(e.getKey()));
        }
    }

    static void assertSameValue(String key, Object expected, Object actual) {
        if (expected instanceof Double d) {
            Tolerance.assertClose(d, (Double) actual, 1e-12, 1e-12, key);
        } else if (expected instanceof List<?> list) {
            List<?> other = (List<?>) actual;
            assertEquals(list.size(), other.size(), key);
            for (int i = 0; i < list.size(); i++) {
                assertSameValue(key + "[" + i + "]", list.get(i), other.get(i));
            }
        } else {
            assertEquals(expected, actual, key);
        }
    }

    @Property(tries = 60)
    void multiclassMergeEqualsOnePass(@ForAll long seed, @ForAll @IntRange(min = 0, max = 80) int n,
            @ForAll @IntRange(min = 2, max = 6) int classes, @ForAll @IntRange(min = 1, max = 5) int parts,
            @ForAll boolean weighted, @ForAll boolean ties, @ForAll boolean binned, @ForAll boolean viaBytes) {
        Random rnd = new Random(seed);
        double[] p = softmaxRows(rnd, n, classes, ties);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(classes);
        }
        double[] w = weights(rnd, n, weighted);
        RankMode mode = binned ? RankMode.binned(50) : RankMode.exact();
        MulticlassMetrics whole = MulticlassMetrics.builder(classes).topK(1, 2).rankMode(mode).build();
        whole.update(p, n, y, w);
        int[] cuts = splits(rnd, n, parts);
        MulticlassMetrics merged = MulticlassMetrics.builder(classes).topK(1, 2).rankMode(mode).build();
        for (int i = 0; i < parts; i++) {
            MulticlassMetrics part = MulticlassMetrics.builder(classes).topK(1, 2).rankMode(mode).build();
            part.update(slice(p, cuts[i] * classes, cuts[i + 1] * classes), cuts[i + 1] - cuts[i],
                    slice(y, cuts[i], cuts[i + 1]), slice(w, cuts[i], cuts[i + 1]));
            if (viaBytes) {
                merged.mergeBytes(part.toBytes());     // as a partition's metrics reach the Spark driver
            } else {
                merged.merge(part);
            }
        }
        assertEquals(whole.rows(), merged.rows());
        assertSameReport(whole.result().toMap(), merged.result().toMap());
    }

    @Property(tries = 60)
    void multilabelMergeEqualsOnePass(@ForAll long seed, @ForAll @IntRange(min = 0, max = 80) int n,
            @ForAll @IntRange(min = 1, max = 6) int labels, @ForAll @IntRange(min = 1, max = 5) int parts,
            @ForAll boolean weighted, @ForAll boolean binned, @ForAll boolean viaBytes) {
        Random rnd = new Random(seed);
        double[] p = new double[n * labels];
        int[] y = new int[n * labels];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.round(rnd.nextDouble() * 20) / 20.0;
            y[i] = rnd.nextInt(3) == 0 ? 1 : 0;
        }
        double[] w = weights(rnd, n, weighted);
        RankMode mode = binned ? RankMode.binned(40) : RankMode.exact();
        MultilabelMetrics whole = MultilabelMetrics.builder(labels).rankMode(mode).samplesFBeta(0.5, 2.0).build();
        whole.update(p, y, n, w);
        int[] cuts = splits(rnd, n, parts);
        MultilabelMetrics merged = MultilabelMetrics.builder(labels).rankMode(mode).samplesFBeta(0.5, 2.0).build();
        for (int i = 0; i < parts; i++) {
            MultilabelMetrics part = MultilabelMetrics.builder(labels).rankMode(mode).samplesFBeta(0.5, 2.0).build();
            part.update(slice(p, cuts[i] * labels, cuts[i + 1] * labels), slice(y, cuts[i] * labels,
                    cuts[i + 1] * labels), cuts[i + 1] - cuts[i], slice(w, cuts[i], cuts[i + 1]));
            if (viaBytes) {
                merged.mergeBytes(part.toBytes());     // as a partition's metrics reach the Spark driver
            } else {
                merged.merge(part);
            }
        }
        assertSameReport(whole.result().toMap(), merged.result().toMap());
    }

    @Property(tries = 60)
    void binaryMergeEqualsOnePass(@ForAll long seed, @ForAll @IntRange(min = 0, max = 120) int n,
            @ForAll @IntRange(min = 1, max = 5) int parts, @ForAll boolean weighted, @ForAll boolean binned,
            @ForAll boolean viaBytes) {
        Random rnd = new Random(seed);
        double[] p = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = rnd.nextBoolean() ? rnd.nextDouble() : Math.round(rnd.nextDouble() * 10) / 10.0;
            y[i] = rnd.nextDouble() < p[i] ? 1 : 0;
        }
        double[] w = weights(rnd, n, weighted);
        RankMode mode = binned ? RankMode.binned(64) : RankMode.exact();
        BinaryMetrics whole = BinaryMetrics.builder().rankMode(mode).maxFpr(0.1, 0.5).build();
        whole.update(p, y, w);
        int[] cuts = splits(rnd, n, parts);
        BinaryMetrics merged = BinaryMetrics.builder().rankMode(mode).maxFpr(0.1, 0.5).build();
        for (int i = 0; i < parts; i++) {
            BinaryMetrics part = BinaryMetrics.builder().rankMode(mode).maxFpr(0.1, 0.5).build();
            part.update(slice(p, cuts[i], cuts[i + 1]), slice(y, cuts[i], cuts[i + 1]), slice(w, cuts[i], cuts[i + 1]));
            if (viaBytes) {
                merged.mergeBytes(part.toBytes());     // as a partition's metrics reach the Spark driver
            } else {
                merged.merge(part);
            }
        }
        assertSameReport(whole.result().toMap(), merged.result().toMap());
    }

    /** The binned AUC and AP lie within the bound they report of the exact values, and finer bins tighten it. */
    @Property(tries = 80)
    void binnedRankMetricsStayWithinTheirBound(@ForAll long seed, @ForAll @IntRange(min = 2, max = 400) int n,
            @ForAll @IntRange(min = 2, max = 200) int bins, @ForAll boolean weighted) {
        Random rnd = new Random(seed);
        double[] p = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = rnd.nextDouble();
            y[i] = rnd.nextDouble() < 0.3 + 0.4 * p[i] ? 1 : 0;
        }
        double[] w = weights(rnd, n, weighted);
        BinaryMetrics exact = BinaryMetrics.builder().build();
        exact.update(p, y, w);
        BinaryMetrics approx = BinaryMetrics.builder().rankMode(RankMode.binned(bins)).build();
        approx.update(p, y, w);
        BinaryReport e = exact.result();
        BinaryReport a = approx.result();
        if (Double.isNaN(e.rocAuc())) {
            assertTrue(Double.isNaN(a.rocAuc()));
            return;
        }
        assertTrue(Math.abs(a.rocAuc() - e.rocAuc()) <= a.rocAucErrorBound() + 1e-12,
                "AUC " + a.rocAuc() + " vs exact " + e.rocAuc() + ", bound " + a.rocAucErrorBound());
        assertTrue(Math.abs(a.averagePrecision() - e.averagePrecision()) <= a.averagePrecisionErrorBound() + 1e-12,
                "AP " + a.averagePrecision() + " vs exact " + e.averagePrecision() + ", bound "
                        + a.averagePrecisionErrorBound());
    }

    /** With many bins and distinct scores the binned values converge on the exact ones. */
    @Property(tries = 10)
    void fineBinsConverge(@ForAll long seed) {
        Random rnd = new Random(seed);
        int n = 2000;
        double[] p = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = rnd.nextDouble();
            y[i] = rnd.nextDouble() < p[i] ? 1 : 0;
        }
        BinaryMetrics exact = BinaryMetrics.builder().build();
        exact.update(p, y, null);
        BinaryMetrics approx = BinaryMetrics.builder().rankMode(RankMode.binned(100_000)).build();
        approx.update(p, y, null);
        assertTrue(approx.result().rocAucErrorBound() < 1e-3);
        Tolerance.assertClose(exact.result().rocAuc(), approx.result().rocAuc(), 1e-3, 0, "auc");
        Tolerance.assertClose(exact.result().averagePrecision(), approx.result().averagePrecision(), 1e-2, 0, "ap");
    }

    /** The galloping count from the negatives' side equals the walk over the positives, ties and all. */
    @Property(tries = 200)
    void mannWhitneyByNegativesEqualsTheWalk(@ForAll long seed, @ForAll @IntRange(min = 0, max = 300) int pos,
            @ForAll @IntRange(min = 0, max = 300) int neg, @ForAll @IntRange(min = 1, max = 50) int levels) {
        Random rnd = new Random(seed);
        double[] p = new double[pos];
        double[] q = new double[neg];
        for (int i = 0; i < pos; i++) {
            p[i] = rnd.nextInt(levels) / (double) levels;        // few levels: many ties
        }
        for (int i = 0; i < neg; i++) {
            q[i] = rnd.nextInt(levels) / (double) levels;
        }
        java.util.Arrays.sort(p);
        java.util.Arrays.sort(q);
        assertEquals(Ranking.twiceMannWhitney(p, q, null), Ranking.twiceMannWhitneyByNegatives(p, q));
    }

    /**
     * The micro one-vs-rest AUC: exact (unweighted: Mann-Whitney counts; weighted: one walk over every score) equals
     * the binary AUC of the flattened one-hot labels, and the binned one lies within its bound.
     */
    @Property(tries = 60)
    void microOvrAucIsTheAucOfEveryScore(@ForAll long seed, @ForAll @IntRange(min = 1, max = 120) int n,
            @ForAll @IntRange(min = 2, max = 6) int classes, @ForAll boolean weighted, @ForAll boolean ties) {
        Random rnd = new Random(seed);
        double[] p = new double[n * classes];
        int[] y = new int[n];
        for (int r = 0; r < n; r++) {
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                double v = ties ? rnd.nextInt(4) + 1 : rnd.nextDouble() + 1e-3;
                p[r * classes + c] = v;
                sum += v;
            }
            for (int c = 0; c < classes; c++) {
                p[r * classes + c] /= sum;
            }
            y[r] = rnd.nextInt(classes);
        }
        double[] w = weights(rnd, n, weighted);
        double[] flatW = w == null ? null : new double[n * classes];
        int[] flatY = new int[n * classes];
        for (int r = 0; r < n; r++) {
            flatY[r * classes + y[r]] = 1;
            for (int c = 0; c < classes && w != null; c++) {
                flatW[r * classes + c] = w[r];
            }
        }
        BinaryMetrics flat = BinaryMetrics.builder().build();
        flat.update(p, flatY, flatW);
        MulticlassMetrics exact = MulticlassMetrics.builder(classes).build();
        exact.update(p, n, y, w);
        Tolerance.assertClose(flat.result().rocAuc(), exact.result().rocAucOvr(Average.MICRO), 1e-12, 1e-12,
                "micro AUC");
        MulticlassMetrics binned = MulticlassMetrics.builder(classes).rankMode(RankMode.binned(20)).build();
        binned.update(p, n, y, w);
        MulticlassReport b = binned.result();
        if (Double.isNaN(flat.result().rocAuc())) {
            assertTrue(Double.isNaN(b.rocAucOvr(Average.MICRO)), "binned micro AUC without positive weight");
            return;
        }
        double bound = (Double) b.toMap().get("micro_roc_auc_ovr_error_bound");
        assertTrue(Math.abs(b.rocAucOvr(Average.MICRO) - flat.result().rocAuc()) <= bound + 1e-12,
                "binned " + b.rocAucOvr(Average.MICRO) + " vs exact " + flat.result().rocAuc() + ", bound " + bound);
    }
}
