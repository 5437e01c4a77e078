package io.github.logits4j.loss;

import static io.github.logits4j.golden.Tolerance.assertAllClose;
import static io.github.logits4j.golden.Tolerance.assertClose;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;
import io.github.logits4j.golden.Golden;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Keras 3 semantics ({@link Semantics#KERAS}) against Keras' own values ({@code testdata/golden/losses_keras.json},
 * computed in float32 with the torch backend) at 1e-6 absolute or 1e-5 relative: per-sample values and the default
 * {@code sum_over_batch_size} reduction.
 */
class KerasLossGoldenTest {
    private static final Golden GOLDEN = Golden.load("losses_keras");

    private static OutputKind kind(Golden.Case c) {
        return c.paramBoolean("from_logits") ? OutputKind.LOGITS : OutputKind.PROBABILITIES;
    }

    @TestFactory
    Stream<DynamicTest> categorical() {
        return GOLDEN.cases("keras_categorical_crossentropy").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            CrossEntropyLoss loss = CrossEntropyLoss.builder().semantics(Semantics.KERAS).input(kind(c))
                    .labelSmoothing(c.paramDouble("label_smoothing")).build();
            FloatMatrix pred = c.input("y_pred").matrix();
            FloatMatrix truth = c.input("y_true").matrix();
            assertAllClose(c.expected("per_sample").doubles(), loss.computeEach(pred, truth), c.id() + " per_sample");
            assertClose(c.expected("mean").scalar(), loss.compute(pred, truth), c.id() + " mean");
        }));
    }

    @TestFactory
    Stream<DynamicTest> sparseCategorical() {
        return GOLDEN.cases("keras_sparse_categorical_crossentropy").stream()
                .map(c -> DynamicTest.dynamicTest(c.id(), () -> {
                    CrossEntropyLoss loss = CrossEntropyLoss.builder().semantics(Semantics.KERAS).input(kind(c))
                            .build();
                    FloatMatrix pred = c.input("y_pred").matrix();
                    int[] truth = c.input("y_true").ints();
                    assertAllClose(c.expected("per_sample").doubles(), loss.computeEach(pred, truth),
                            c.id() + " per_sample");
                    assertClose(c.expected("mean").scalar(), loss.compute(pred, truth), c.id() + " mean");
                }));
    }

    @TestFactory
    Stream<DynamicTest> binary() {
        return GOLDEN.cases("keras_binary_crossentropy").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            BinaryCrossEntropyLoss loss = BinaryCrossEntropyLoss.builder().semantics(Semantics.KERAS).input(kind(c))
                    .labelSmoothing(c.paramDouble("label_smoothing")).build();
            FloatMatrix pred = c.input("y_pred").matrix();
            FloatMatrix truth = c.input("y_true").matrix();
            assertAllClose(c.expected("per_sample").doubles(), loss.computePerSample(pred, truth),
                    c.id() + " per_sample");
            assertClose(c.expected("mean").scalar(), loss.compute(pred, truth), c.id() + " mean");
        }));
    }
}
