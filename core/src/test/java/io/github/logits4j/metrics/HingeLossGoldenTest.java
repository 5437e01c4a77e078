package io.github.logits4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.golden.Golden;
import io.github.logits4j.golden.Tolerance;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** {@link HingeLoss} against scikit-learn's {@code hinge_loss}: binary and multi-class, weights, margins, ties. */
class HingeLossGoldenTest {
    private static final Golden GOLDEN = Golden.load("metrics");
    static final double TOL = 1e-12;

    @TestFactory
    Stream<DynamicTest> hingeLoss() {
        return GOLDEN.cases("hinge_loss").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            Golden.Array d = c.input("decision");
            FloatMatrix decision = FloatMatrix.wrap(d.floats(), d.dim(0), d.dim(1));
            int[] y = c.input("y_true").ints();
            double[] w = c.inputNames().contains("sample_weight") ? c.input("sample_weight").doubles() : null;
            double actual = d.dim(1) == 1 ? HingeLoss.binary(decision, y, w) : HingeLoss.multiclass(decision, y, w);
            Tolerance.assertClose(c.expected("hinge_loss").scalar(), actual, TOL, TOL, c.id());
        }));
    }

    @Test
    void badInputNamesTheRow() {
        FloatMatrix d = FloatMatrix.wrap(new float[] {0.5f, -1f}, 2, 1);
        assertEquals("label at row 1 is 2; expected 0 or 1",
                assertThrows(IllegalArgumentException.class, () -> HingeLoss.binary(d, new int[] {0, 2}, null))
                        .getMessage());
        FloatMatrix m = FloatMatrix.wrap(new float[] {0f, 1f, 2f, 3f}, 2, 2);
        assertEquals("label at row 0 is -1; expected a class index in [0, 1]",
                assertThrows(IllegalArgumentException.class, () -> HingeLoss.multiclass(m, new int[] {-1, 0}, null))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> HingeLoss.multiclass(d, new int[] {0, 1}, null));
    }
}
