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
        for (int r = 0; r < n; r++) {
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
