package io.github.logits4j.tuning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.logits4j.golden.Golden;
import io.github.logits4j.golden.Tolerance;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Threshold tuning against {@code testdata/golden/thresholds.json} (the rule evaluated with scikit-learn 1.9.1 and an
 * independent count-based implementation): every threshold equal to the reference exactly (the same candidate chosen,
 * ties to the lowest), every fell-back flag equal, objective values within 1e-9. The scores are float64 and go through
 * the {@code double[]} overloads, so no rounding stands between the data and the rule.
 */
class ThresholdGoldenTest {
    private static final Golden GOLDEN = Golden.load("thresholds");
    private static final double OBJECTIVE_ABS = 1e-9;

    @TestFactory
    Stream<DynamicTest> multiLabel() {
        return GOLDEN.cases("tune_thresholds").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            Golden.Array y = c.input("y_true");
            Golden.Array s = c.input("y_score");
            int rows = y.dim(0);
            int labels = y.dim(1);
            TunedThresholds tuned = tuner(c).tune(s.doubles(), y.ints(), rows, labels);

            assertArrayEquals(c.expected("thresholds").doubles(), tuned.thresholds(), 0.0, c.id() + " thresholds");
            Tolerance.assertAllClose(c.expected("objective_values").doubles(), tuned.objectiveValues(), OBJECTIVE_ABS,
                    0.0, c.id() + " objective_values");
            assertArrayEquals(c.expected("fell_back").booleans(), tuned.fellBack(), c.id() + " fell_back");
            assertEquals(tuned, TunedThresholds.fromMap(tuned.toMap()), c.id() + " round trip");
        }));
    }

    @TestFactory
    Stream<DynamicTest> binary() {
        return GOLDEN.cases("tune_threshold_binary").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            TunedThreshold tuned = tuner(c).tuneBinary(c.input("y_score").doubles(), c.input("y_true").ints());

            assertEquals(c.expected("threshold").scalar(), tuned.threshold(), 0.0, c.id() + " threshold");
            Tolerance.assertClose(c.expected("objective_value").scalar(), tuned.objectiveValue(), OBJECTIVE_ABS, 0.0,
                    c.id() + " objective_value");
            assertEquals(c.expected("fell_back").booleans()[0], tuned.fellBack(), c.id() + " fell_back");
            assertEquals(tuned, TunedThreshold.fromMap(tuned.toMap()), c.id() + " round trip");
        }));
    }

    static ThresholdTuner tuner(Golden.Case c) {
        ThresholdObjective objective = ThresholdObjective.of(c.paramString("objective"),
                c.hasParam("beta") ? c.paramDouble("beta") : Double.NaN,
                c.hasParam("target") ? c.paramDouble("target") : Double.NaN);
        assertEquals(c.paramString("objective"), objective.name());
        return ThresholdTuner.builder().objective(objective).fallback(c.paramDouble("fallback")).build();
    }
}
