package io.github.logits4j.conformal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The conformal quantile is exactly the {@code ceil((n + 1)(1 - alpha))}-th smallest score, for every n and level
 * (issue 24): the rank against decimal arithmetic over n from 1 to 10,000 and a grid of alphas, the selection against a
 * sort, ties and repeated values included; too few rows give the full set with a warning naming n and alpha.
 */
class ConformalQuantileTest {
    private static final double[] ALPHAS = {0.001, 0.01, 0.025, 0.05, 0.07, 0.1, 0.15, 0.2, 0.25, 0.3, 0.33, 0.5,
        0.9};

    @Test
    void theRankIsTheExactCeilingForEveryNAndAlpha() {
        for (double alpha : ALPHAS) {
            BigDecimal level = BigDecimal.ONE.subtract(new BigDecimal(Double.toString(alpha)));
            for (int n = 1; n <= 10_000; n++) {
                long k = BigDecimal.valueOf(n + 1L).multiply(level).setScale(0, RoundingMode.CEILING).longValueExact();
                assertEquals(k, ConformalQuantile.rank(n, alpha), "n " + n + ", alpha " + alpha);
            }
        }
    }

    @Property(tries = 300)
    void theQuantileIsTheKthSmallest(@ForAll @IntRange(min = 1, max = 10_000) int n, @ForAll("seed") long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            // few distinct values half the time: ties, as top-k ranks are
            scores[i] = rnd.nextBoolean() ? rnd.nextInt(5) : rnd.nextDouble();
        }
        double[] before = scores.clone();
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        for (double alpha : ALPHAS) {
            long k = ConformalQuantile.rank(n, alpha);
            double q = ConformalQuantile.of(scores, n, alpha);
            if (k > n) {
                assertEquals(Double.POSITIVE_INFINITY, q);
            } else {
                assertEquals(sorted[(int) k - 1], q, "n " + n + ", alpha " + alpha + ", k " + k);
            }
        }
        assertArrayEquals(before, scores, "the scores are not changed");
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Long> seed() {
        return net.jqwik.api.Arbitraries.longs();
    }

    /**
     * The weighted quantile is the smallest score whose cumulative weight (scores sorted) reaches (1 - alpha) of the
     * total plus the test weight, against a sort and a walk in exact decimal arithmetic (margins far from the edge
     * are asserted; a draw within 1e-9 of it is skipped); with equal weights it is the unweighted quantile, exactly.
     */
    @Property(tries = 300)
    void theWeightedQuantileIsTheFirstScoreWhoseWeightReachesTheLevel(@ForAll @IntRange(min = 1, max = 3000) int n,
            @ForAll("seed") long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] scores = new double[n];
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = rnd.nextInt(4) == 0 ? rnd.nextInt(20) : rnd.nextDouble();     // ties too
            weights[i] = rnd.nextInt(10) == 0 ? 0.0 : rnd.nextDouble(0.1, 3.0);
        }
        double alpha = ALPHAS[rnd.nextInt(ALPHAS.length)];
        double test = rnd.nextDouble(0.1, 3.0);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        BigDecimal total = BigDecimal.valueOf(0);
        for (double w : weights) {
            total = total.add(new BigDecimal(w));
        }
        BigDecimal level = BigDecimal.ONE.subtract(new BigDecimal(Double.toString(alpha)))
                .multiply(total.add(new BigDecimal(test)));
        double expected = Double.POSITIVE_INFINITY;
        BigDecimal cum = BigDecimal.ZERO;
        BigDecimal closest = null;
        for (int j = 0; j < n; j++) {
            cum = cum.add(new BigDecimal(weights[order[j]]));
            boolean lastOfValue = j + 1 == n || scores[order[j + 1]] != scores[order[j]];
            if (lastOfValue) {
                BigDecimal gap = cum.subtract(level).abs();
                closest = closest == null || gap.compareTo(closest) < 0 ? gap : closest;
                if (cum.compareTo(level) >= 0 && Double.isInfinite(expected)) {
                    expected = scores[order[j]];
                }
            }
        }
        if (closest != null && closest.doubleValue() < 1e-9) {
            return;      // too close to the edge for double sums to be held to the decimal answer
        }
        assertEquals(expected, ConformalQuantile.weighted(scores, weights, n, test, alpha), "n " + n + ", alpha "
                + alpha);
        double[] ones = new double[n];
        Arrays.fill(ones, 1.0);
        assertEquals(ConformalQuantile.of(scores, n, alpha), ConformalQuantile.weighted(scores, ones, n, 1.0, alpha));
    }

    /** Fills {@code p} with rows of uniform draws normalized to 1, and {@code y} with uniform classes. */
    private static void randomRows(SplittableRandom rnd, double[] p, int[] y, int classes) {
        for (int r = 0; r < y.length; r++) {
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                p[r * classes + c] = rnd.nextDouble();
                sum += p[r * classes + c];
            }
            for (int c = 0; c < classes; c++) {
                p[r * classes + c] /= sum;
            }
            y[r] = rnd.nextInt(classes);
        }
    }

    @Test
    void weightedCalibrationsMergeAndTravelAsBytes() {
        SplittableRandom rnd = new SplittableRandom(5);
        int classes = 4;
        int n = 500;
        double[] p = new double[n * classes];
        int[] y = new int[n];
        randomRows(rnd, p, y, classes);
        double[] w = new double[n];
        for (int r = 0; r < n; r++) {
            w[r] = rnd.nextDouble(0.5, 2.0);
        }
        ConformalCalibrator whole = ConformalCalibrator.builder(classes).build();
        whole.update(p, n, y, null, w);
        ConformalCalibrator first = ConformalCalibrator.builder(classes).build();
        ConformalCalibrator second = ConformalCalibrator.builder(classes).build();
        first.update(Arrays.copyOf(p, 200 * classes), 200, Arrays.copyOf(y, 200), null, Arrays.copyOf(w, 200));
        second.update(Arrays.copyOfRange(p, 200 * classes, n * classes), n - 200, Arrays.copyOfRange(y, 200, n), null,
                Arrays.copyOfRange(w, 200, n));
        ConformalCalibrator viaBytes = ConformalCalibrator.builder(classes).build();
        viaBytes.mergeBytes(first.toBytes());
        viaBytes.mergeBytes(second.toBytes());
        first.merge(second);
        assertTrue(whole.isWeighted() && first.isWeighted() && viaBytes.isWeighted());
        for (double test : new double[] {0.5, 1.0, 3.0}) {
            double q = whole.predictor(0.1, test).quantile();
            assertEquals(q, first.predictor(0.1, test).quantile());
            assertEquals(q, viaBytes.predictor(0.1, test).quantile());
        }
        // a heavier test row asks for a higher quantile
        assertTrue(whole.predictor(0.1, 50.0).quantile() >= whole.predictor(0.1, 0.5).quantile());
        // unweighted rows merged into a weighted calibration weigh 1
        ConformalCalibrator mixed = ConformalCalibrator.builder(classes).build();
        mixed.update(p, n, y, null);
        assertTrue(!mixed.isWeighted());
        double[] ones = new double[n];
        Arrays.fill(ones, 1.0);
        ConformalCalibrator unit = ConformalCalibrator.builder(classes).build();
        unit.update(p, n, y, null, ones);
        assertEquals(mixed.predictor(0.1).quantile(), unit.predictor(0.1).quantile());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> unit.update(p, 1, y, null, new double[] {-1}));
        assertTrue(e.getMessage().contains("weight at row 0 is -1.0"), e.getMessage());
    }

    @Test
    void rapsTuningRowsAreDrawnBySeedAndTheTuningPicksFromTheGrid() {
        int[] a = RapsTuning.tuningRows(1000, 0.2, 7);
        assertEquals(200, a.length);
        assertArrayEquals(a, RapsTuning.tuningRows(1000, 0.2, 7));
        assertTrue(!Arrays.equals(a, RapsTuning.tuningRows(1000, 0.2, 8)));
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i] > a[i - 1] && a[i] < 1000);
        }
        assertThrows(IllegalArgumentException.class, () -> RapsTuning.tuningRows(3, 0.9, 1));
        assertThrows(IllegalArgumentException.class, () -> RapsTuning.tuningRows(100, 0.0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> ConformityScore.raps(-0.1, 1, true, ConformityScore.IncludeLastLabel.TRUE));
        ConformityScore.Raps raps = ConformityScore.raps(0.2, 3, false, ConformityScore.IncludeLastLabel.RANDOMIZED);
        assertEquals(raps, ConformityScore.fromMap(raps.toMap()));
        assertEquals(0.0, raps.penalty(2));
        assertEquals(0.2 * 2, raps.penalty(4));
    }

    @Test
    void tooFewRowsGiveFullSetsAndAWarning() {
        ConformalCalibrator cal = ConformalCalibrator.builder(3).build();
        cal.update(new double[] {0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.3, 0.3, 0.4}, 3, new int[] {0, 1, 2}, null);
        ConformalPredictor p = cal.predictor(0.1);                 // k = ceil(4 * 0.9) = 4 > 3
        assertEquals(Double.POSITIVE_INFINITY, p.quantile());
        assertNotNull(p.warning());
        assertTrue(p.warning().contains("3 calibration rows") && p.warning().contains("alpha 0.1")
                && p.warning().contains("at least 9 rows"), p.warning());
        boolean[] in = new boolean[3];
        assertEquals(3, p.predict(new double[] {0.98, 0.01, 0.01}, 0, 0.0, in));
        assertNull(cal.predictor(0.5).warning());                 // k = 2 <= 3
        assertThrows(IllegalArgumentException.class, () -> cal.predictor(0.0));
        assertThrows(IllegalArgumentException.class, () -> cal.predictor(1.0));
        assertThrows(IllegalStateException.class, () -> ConformalCalibrator.builder(3).build().predictor(0.1));
    }

    @Test
    void aPredictorSurvivesItsMapAndCalibrationsMerge() {
        SplittableRandom rnd = new SplittableRandom(11);
        int classes = 4;
        int n = 200;
        double[] p = new double[n * classes];
        int[] y = new int[n];
        randomRows(rnd, p, y, classes);
        for (boolean conditional : new boolean[] {false, true}) {
            ConformalCalibrator whole = ConformalCalibrator.builder(classes).score(ConformityScore.aps())
                    .classConditional(conditional).seed(5).build();
            whole.update(p, n, y, null);
            ConformalCalibrator a = ConformalCalibrator.builder(classes).score(ConformityScore.aps())
                    .classConditional(conditional).seed(5).build();
            ConformalCalibrator b = ConformalCalibrator.builder(classes).score(ConformityScore.aps())
                    .classConditional(conditional).seed(5).build();
            double[] uA = new double[120];
            double[] uB = new double[80];
            for (int r = 0; r < 200; r++) {
                (r < 120 ? uA : uB)[r < 120 ? r : r - 120] = ConformalCalibrator.uniform(5, r);
            }
            a.update(Arrays.copyOfRange(p, 0, 120 * classes), 120, Arrays.copyOfRange(y, 0, 120), uA);
            b.update(Arrays.copyOfRange(p, 120 * classes, n * classes), 80, Arrays.copyOfRange(y, 120, n), uB);
            a.mergeBytes(b.toBytes());
            ConformalPredictor expected = whole.predictor(0.1);
            assertEquals(expected, a.predictor(0.1), "merged parts with each row's own uniform");
            assertEquals(expected, ConformalPredictor.fromMap(expected.toMap()));
        }
    }
}
