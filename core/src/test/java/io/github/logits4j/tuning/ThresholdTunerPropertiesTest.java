package io.github.logits4j.tuning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.logits4j.FloatMatrix;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The sweep agrees with a brute-force evaluation of every candidate threshold (O(N^2), straight from the rule's
 * definition) for every objective; tuned F1 is at least the F1 of any other candidate; results survive
 * {@code toMap -> JSON -> fromMap}; the float, double and binary entry points agree.
 */
class ThresholdTunerPropertiesTest {
    private static final JsonMapper JSON = new JsonMapper();

    @Provide
    Arbitrary<ThresholdObjective> objectives() {
        return Arbitraries.oneOf(
                Arbitraries.just(ThresholdObjective.f1()),
                Arbitraries.of(0.5, 1.0, 2.0, 0.3).map(ThresholdObjective::fBeta),
                Arbitraries.of(0.5, 0.75, 0.8, 1.0).map(ThresholdObjective::precisionAtLeast),
                Arbitraries.of(0.5, 0.75, 0.9, 1.0).map(ThresholdObjective::recallAtLeast));
    }

    /** Scores on a coarse grid ({@code ties}) or continuous, labels correlated with them. */
    static double[][] data(long seed, int n, int labels, boolean ties) {
        Random rnd = new Random(seed);
        double[] s = new double[n * labels];
        double[] y = new double[n * labels];
        for (int i = 0; i < s.length; i++) {
            s[i] = ties ? rnd.nextInt(11) / 10.0 : rnd.nextDouble();
            y[i] = rnd.nextDouble() < 0.15 + 0.7 * s[i] ? 1 : 0;
        }
        return new double[][] {s, y};
    }

    static int[] ints(double[] a) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (int) a[i];
        }
        return out;
    }

    /** The rule, evaluated naively: every distinct score of the column, ascending, strict improvement only. */
    static double[] bruteForce(double[] s, int[] y, int rows, int cols, int c, ThresholdObjective objective) {
        int positives = 0;
        for (int r = 0; r < rows; r++) {
            positives += y[r * cols + c];
        }
        if (positives == 0) {
            return null;
        }
        double[] sorted = new double[rows];
        for (int r = 0; r < rows; r++) {
            sorted[r] = s[r * cols + c];
        }
        java.util.Arrays.sort(sorted);
        double bestT = Double.NaN;
        double best = Double.NaN;
        for (int k = 0; k < rows; k++) {
            if (k > 0 && sorted[k] == sorted[k - 1]) {
                continue;
            }
            double t = sorted[k];
            long tp = 0;
            long fp = 0;
            for (int r = 0; r < rows; r++) {
                if (s[r * cols + c] >= t) {
                    if (y[r * cols + c] == 1) {
                        tp++;
                    } else {
                        fp++;
                    }
                }
            }
            double v = objective.evaluate(tp, fp, positives);
            if (!Double.isNaN(v) && (Double.isNaN(best) || v > best)) {
                best = v;
                bestT = t;
            }
        }
        return Double.isNaN(best) ? null : new double[] {bestT, best};
    }

    @Property(tries = 200)
    void sweepEqualsBruteForce(@ForAll long seed, @ForAll @IntRange(min = 0, max = 60) int n,
            @ForAll @IntRange(min = 1, max = 4) int labels, @ForAll boolean ties,
            @ForAll("objectives") ThresholdObjective objective) {
        double[][] d = data(seed, n, labels, ties);
        int[] y = ints(d[1]);
        TunedThresholds tuned = ThresholdTuner.builder().objective(objective).fallback(0.3).build()
                .tune(d[0], y, n, labels);
        for (int c = 0; c < labels; c++) {
            double[] expected = bruteForce(d[0], y, n, labels, c, objective);
            if (expected == null) {
                assertTrue(tuned.fellBack(c), "label " + c + " should fall back");
                assertEquals(0.3, tuned.threshold(c));
                assertTrue(Double.isNaN(tuned.objectiveValue(c)));
            } else {
                assertEquals(false, tuned.fellBack(c));
                assertEquals(expected[0], tuned.threshold(c), 0.0, "threshold of label " + c);
                assertEquals(expected[1], tuned.objectiveValue(c), 0.0, "objective of label " + c);
            }
        }
    }

    @Property(tries = 100)
    void tunedF1IsAtLeastF1AtAnyCandidate(@ForAll long seed, @ForAll @IntRange(min = 1, max = 80) int n,
            @ForAll boolean ties) {
        double[][] d = data(seed, n, 1, ties);
        int[] y = ints(d[1]);
        TunedThreshold tuned = ThresholdTuner.builder().build().tuneBinary(d[0], y);
        int positives = 0;
        for (int v : y) {
            positives += v;
        }
        if (positives == 0) {
            assertTrue(tuned.fellBack());
            return;
        }
        for (double t : d[0]) {
            int tp = 0;
            int predicted = 0;
            for (int i = 0; i < n; i++) {
                if (d[0][i] >= t) {
                    predicted++;
                    tp += y[i];
                }
            }
            double f1 = 2.0 * tp / (positives + predicted);
            assertTrue(tuned.objectiveValue() >= f1, "F1 " + f1 + " at " + t + " beats the tuned "
                    + tuned.objectiveValue() + " at " + tuned.threshold());
            if (f1 == tuned.objectiveValue()) {
                assertTrue(tuned.threshold() <= t, "equal F1 at the lower threshold " + t);
            }
        }
    }

    @Property(tries = 100)
    void roundTripsThroughJson(@ForAll long seed, @ForAll @IntRange(min = 0, max = 40) int n,
            @ForAll @IntRange(min = 1, max = 4) int labels, @ForAll("objectives") ThresholdObjective objective)
            throws Exception {
        double[][] d = data(seed, n, labels, true);
        ThresholdTuner tuner = ThresholdTuner.builder().objective(objective).build();
        TunedThresholds tuned = tuner.tune(d[0], ints(d[1]), n, labels);
        assertEquals(tuned, TunedThresholds.fromMap(tuned.toMap()));
        Map<String, Object> parsed = JSON.readValue(JSON.writeValueAsString(tuned.toMap()),
                new TypeReference<Map<String, Object>>() { });
        TunedThresholds back = TunedThresholds.fromMap(parsed);
        assertEquals(tuned, back);
        assertArrayEquals(tuned.thresholds(), back.thresholds(), 0.0);

        double[] column = new double[n];
        int[] columnLabels = new int[n];
        for (int r = 0; r < n; r++) {
            column[r] = d[0][r * labels];
            columnLabels[r] = (int) d[1][r * labels];
        }
        TunedThreshold binary = tuner.tuneBinary(column, columnLabels);
        assertEquals(binary, TunedThreshold.fromMap(JSON.readValue(JSON.writeValueAsString(binary.toMap()),
                new TypeReference<Map<String, Object>>() { })));
        assertEquals(tuned.threshold(0), binary.threshold(), 0.0, "binary = column 0");
        assertEquals(tuned.objectiveValue(0), binary.objectiveValue(), 0.0);
        assertEquals(tuned.fellBack(0), binary.fellBack());
    }

    @Property(tries = 60)
    void floatMatrixAgreesWithDoubleArrays(@ForAll long seed, @ForAll @IntRange(min = 0, max = 50) int n,
            @ForAll @IntRange(min = 1, max = 4) int labels, @ForAll boolean ties) {
        double[][] d = data(seed, n, labels, ties);
        float[] s = new float[d[0].length];
        float[] y = new float[d[1].length];
        double[] widened = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) d[0][i];
            y[i] = (float) d[1][i];
            widened[i] = s[i];
        }
        ThresholdTuner tuner = ThresholdTuner.builder().build();
        TunedThresholds fromMatrix = tuner.tune(FloatMatrix.wrap(s, n, labels), FloatMatrix.wrap(y, n, labels));
        assertEquals(tuner.tune(widened, ints(d[1]), n, labels), fromMatrix);
    }

    /** The decision built from tuned thresholds predicts score >= threshold, the rule they were tuned for. */
    @Property(tries = 50)
    void decisionRuleReproducesTheTunedPredictions(@ForAll long seed, @ForAll @IntRange(min = 1, max = 50) int n,
            @ForAll @IntRange(min = 1, max = 4) int labels) {
        double[][] d = data(seed, n, labels, true);
        float[] s = new float[d[0].length];
        float[] y = new float[d[1].length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) d[0][i];
            y[i] = (float) d[1][i];
        }
        FloatMatrix scores = FloatMatrix.wrap(s, n, labels);
        TunedThresholds tuned = ThresholdTuner.builder().build().tune(scores, FloatMatrix.wrap(y, n, labels));
        boolean[] on = tuned.toDecisionBuilder().build().decide(scores);
        for (int i = 0; i < s.length; i++) {
            assertEquals(s[i] >= (float) tuned.threshold(i % labels), on[i], "element " + i);
        }
    }
}
