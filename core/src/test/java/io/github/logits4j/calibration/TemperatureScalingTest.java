package io.github.logits4j.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.FloatMatrix;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** A worked fit, the map formats, and every bad input with the message it gives. */
class TemperatureScalingTest {
    /** Three rows, one of them wrong: a finite optimum exists. */
    private static final float[] LOGITS = {3f, 0f, -1f, 0f, 2f, 1f, 2.5f, 0.5f, 0f};
    private static final int[] LABELS = {0, 1, 1};

    static void assertMessage(Executable e, String... parts) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        for (String p : parts) {
            assertTrue(x.getMessage().contains(p), "message '" + x.getMessage() + "' should contain '" + p + "'");
        }
    }

    @Test
    void fitsAndReports() {
        TemperatureFit fit = TemperatureScaling.fit(FloatMatrix.wrap(LOGITS, 3, 3), LABELS);
        assertTrue(fit.temperature() > 0 && fit.nllAfter() < fit.nllBefore(), fit.toString());
        assertTrue(fit.iterations() > 0);
        assertEquals(List.of("temperature", "nll_before", "nll_after", "ece_before", "ece_after", "iterations"),
                List.copyOf(fit.toMap().keySet()));
        MultilabelTemperatureFit ml = TemperatureScaling.fitMultilabel(
                FloatMatrix.wrap(new float[] {1f, -1f, 2f, 0.5f}, 4, 1),
                FloatMatrix.wrap(new float[] {1f, 0f, 1f, 0f}, 4, 1), false);
        assertTrue(ml.nllAfter() <= ml.nllBefore());
        assertEquals(List.of("per_class", "temperature", "nll_before", "nll_after", "iterations"),
                List.copyOf(ml.toMap().keySet()));
    }

    // ---------------------------------------------------------------------------------------------- bad input

    @Test
    void emptyInput() {
        assertMessage(() -> TemperatureScaling.fit(FloatMatrix.allocate(0, 3), new int[0]),
                "logits has no rows; expected at least one validation sample");
        assertMessage(() -> TemperatureScaling.fitMultilabel(FloatMatrix.allocate(0, 3), FloatMatrix.allocate(0, 3),
                true), "logits has no rows");
    }

    @Test
    void oneClass() {
        assertMessage(() -> TemperatureScaling.fit(FloatMatrix.wrap(new float[] {1f, 2f}, 2, 1), new int[] {0, 0}),
                "logits has 1 column; expected at least 2 classes");
    }

    @Test
    void labelsOutOfRangeOrMiscounted() {
        assertMessage(() -> TemperatureScaling.fit(FloatMatrix.wrap(LOGITS, 3, 3), new int[] {0, 3, 1}),
                "target at row 1 is 3; expected a class index in [0, 2]");
        assertMessage(() -> TemperatureScaling.fit(FloatMatrix.wrap(LOGITS, 3, 3), new int[] {0, -1, 1}),
                "target at row 1 is -1");
        assertMessage(() -> TemperatureScaling.fit(FloatMatrix.wrap(LOGITS, 3, 3), new int[] {0, 1}),
                "targets has 2 entries; expected 3");
    }

    @Test
    void nonFiniteLogits() {
        float[] z = LOGITS.clone();
        z[5] = Float.NaN;
        assertMessage(() -> TemperatureScaling.fit(FloatMatrix.wrap(z, 3, 3), LABELS),
                "logits at row 1, column 2 is NaN; expected a finite number");
        z[5] = Float.NEGATIVE_INFINITY;
        assertMessage(() -> TemperatureScaling.fit(FloatMatrix.wrap(z, 3, 3), LABELS),
                "logits at row 1, column 2 is -Infinity");
        assertMessage(() -> TemperatureScaling.fitMultilabel(FloatMatrix.wrap(z, 3, 3),
                FloatMatrix.allocate(3, 3), false), "logits at row 1, column 2 is -Infinity");
    }

    @Test
    void separableLogitsHaveNoTemperature() {
        assertMessage(() -> TemperatureScaling.fit(FloatMatrix.wrap(LOGITS, 3, 3), new int[] {0, 1, 0}),
                "validation logits are perfectly separable", "the true class has the highest logit in all 3 rows",
                "the NLL keeps falling as T -> 0", "no finite temperature minimises it", "held-out data");
        // a tie at the top counts: the NLL still falls toward log 2 as T -> 0
        assertMessage(() -> TemperatureScaling.fit(FloatMatrix.wrap(new float[] {1f, 1f, 0f, 2f}, 2, 2),
                new int[] {0, 1}), "perfectly separable");
    }

    @Test
    void numericallySeparableLogitsHaveNoTemperature() {
        // right by 1e-30 in nine rows, wrong by 1e-38 in one: the optimum is near T = 1e-32, far below any useful T
        int rows = 10;
        float[] z = new float[rows * 2];
        int[] y = new int[rows];
        for (int r = 0; r < rows - 1; r++) {
            z[2 * r] = 1e-30f;
        }
        z[2 * (rows - 1)] = 1e-38f;
        y[rows - 1] = 1;
        assertMessage(() -> TemperatureScaling.fit(FloatMatrix.wrap(z, rows, 2), y), "the NLL still falls at T = ",
                "numerically perfectly separable", "no finite temperature minimises it");
    }

    @Test
    void logitsWorseThanChanceHaveNoTemperature() {
        // every label is the lowest logit of its row: the NLL keeps falling as T -> infinity
        assertMessage(() -> TemperatureScaling.fit(FloatMatrix.wrap(LOGITS, 3, 3), new int[] {2, 0, 2}),
                "the NLL keeps falling as T -> infinity", "no finite temperature minimises it");
        assertMessage(() -> TemperatureScaling.fitMultilabel(FloatMatrix.wrap(new float[] {2f, -1f, 1f}, 3, 1),
                FloatMatrix.wrap(new float[] {0f, 1f, 1f}, 3, 1), false), "the NLL keeps falling as T -> infinity");
    }

    @Test
    void multiLabelSeparableColumnIsNamed() {
        float[] z = {2f, 1f, -1f, -2f, 3f, 0.5f};
        float[] y = {1f, 0f, 0f, 1f, 1f, 1f};   // column 0 separable, column 1 not
        FloatMatrix logits = FloatMatrix.wrap(z, 3, 2);
        FloatMatrix targets = FloatMatrix.wrap(y, 3, 2);
        assertMessage(() -> TemperatureScaling.fitMultilabel(logits, targets, true), "column 0: ",
                "validation logits are perfectly separable", "the NLL keeps falling as T -> 0");
        MultilabelTemperatureFit single = TemperatureScaling.fitMultilabel(logits, targets, false);
        assertEquals(1, single.temperatures().length);
        assertMessage(() -> TemperatureScaling.fitMultilabel(FloatMatrix.wrap(new float[] {0f, 0f}, 2, 1),
                FloatMatrix.wrap(new float[] {0f, 1f}, 2, 1), false), "every logit is 0");
    }

    @Test
    void multiLabelTargetsAndShapes() {
        assertMessage(() -> TemperatureScaling.fitMultilabel(FloatMatrix.wrap(new float[] {1f, -1f}, 1, 2),
                FloatMatrix.wrap(new float[] {1f, 2f}, 1, 2), false),
                "targets at row 0, column 1 is 2.0; expected a probability in [0, 1]");
        assertMessage(() -> TemperatureScaling.fitMultilabel(FloatMatrix.allocate(2, 2), FloatMatrix.allocate(2, 3),
                false), "targets shape is [2 x 3]; expected [2 x 2]");
    }

    @Test
    void applyChecksShapes() {
        MultilabelTemperatureFit perClass = new MultilabelTemperatureFit(new double[] {1.0, 2.0}, true, 0.5, 0.4, 1);
        assertMessage(() -> perClass.apply(FloatMatrix.allocate(2, 3)), "logits has 3 columns; expected 2");
        assertMessage(() -> perClass.apply(FloatMatrix.allocate(2, 2), FloatMatrix.allocate(3, 2)),
                "output shape is [3 x 2]");
        FloatMatrix readOnly = FloatMatrix.wrap(FloatBuffer.allocate(4).asReadOnlyBuffer(), 2, 2);
        assertThrows(IllegalStateException.class, () -> perClass.apply(FloatMatrix.allocate(2, 2), readOnly));
        TemperatureFit fit = new TemperatureFit(2.0, 1.0, 0.9, 0.1, 0.05, 4);
        assertMessage(() -> fit.apply(FloatMatrix.allocate(2, 2), FloatMatrix.allocate(2, 3)), "output shape");
    }

    @Test
    void fromMapRejectsBadMaps() {
        Map<String, Object> good = new TemperatureFit(2.0, 1.0, 0.9, 0.1, 0.05, 4).toMap();
        assertEquals(new TemperatureFit(2.0, 1.0, 0.9, 0.1, 0.05, 4), TemperatureFit.fromMap(good));
        assertMessage(() -> TemperatureFit.fromMap(with(good, "temperature", 0.0)),
                "temperature fit 'temperature' is 0.0; expected a finite number > 0.0");
        assertMessage(() -> TemperatureFit.fromMap(with(good, "temperature", Double.NaN)), "'temperature' is NaN");
        assertMessage(() -> TemperatureFit.fromMap(with(good, "temperature", "2")), "'temperature' is '2'",
                "expected a number");
        assertMessage(() -> TemperatureFit.fromMap(with(good, "ece_after", 1.5)), "'ece_after' is 1.5", "<= 1.0");
        assertMessage(() -> TemperatureFit.fromMap(with(good, "nll_before", -1)), "'nll_before' is -1.0");
        assertMessage(() -> TemperatureFit.fromMap(with(good, "iterations", 2.5)), "'iterations' is 2.5",
                "whole number");
        Map<String, Object> missing = new LinkedHashMap<>(good);
        missing.remove("nll_after");
        assertMessage(() -> TemperatureFit.fromMap(missing), "temperature fit map has no 'nll_after'");
        missing.remove("iterations");
        missing.put("nll_after", 0.9);
        assertEquals(0, TemperatureFit.fromMap(missing).iterations(), "iterations is optional");

        Map<String, Object> ml = new MultilabelTemperatureFit(new double[] {1.5, 2.5}, true, 0.5, 0.4, 3).toMap();
        assertEquals(List.of(1.5, 2.5), ml.get("temperature"));
        assertMessage(() -> MultilabelTemperatureFit.fromMap(with(ml, "per_class", false)),
                "'temperature' is [1.5, 2.5]", "expected one number because 'per_class' is false");
        assertMessage(() -> MultilabelTemperatureFit.fromMap(with(ml, "temperature", 2.0)),
                "'temperature' is 2.0", "non-empty list");
        assertMessage(() -> MultilabelTemperatureFit.fromMap(with(ml, "temperature", List.of(1.0, -2.0))),
                "'temperature'[1] is -2.0", "> 0.0");
        assertMessage(() -> MultilabelTemperatureFit.fromMap(with(ml, "per_class", "yes")), "'per_class' is 'yes'");
        assertMessage(() -> MultilabelTemperatureFit.fromMap(null), "map is null");
    }

    static Map<String, Object> with(Map<String, Object> m, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(m);
        copy.put(key, value);
        return copy;
    }
}
