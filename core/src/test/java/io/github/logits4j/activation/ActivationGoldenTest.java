package io.github.logits4j.activation;

import static io.github.logits4j.golden.Tolerance.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.golden.Golden;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every activation against PyTorch's values ({@code testdata/golden/activations.json}), at 1e-6 absolute or 1e-5
 * relative, on array-backed and direct-buffer-backed matrices alike.
 */
class ActivationGoldenTest {
    private static final Golden GOLDEN = Golden.load("activations");
    private static final Map<String, Activation> OPS = Map.of(
            "softmax", Activation.SOFTMAX,
            "log_softmax", Activation.LOG_SOFTMAX,
            "sigmoid", Activation.SIGMOID,
            "logsigmoid", Activation.LOG_SIGMOID);

    @TestFactory
    Stream<DynamicTest> matchesTorch() {
        return GOLDEN.cases().stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            Activation activation = OPS.get(c.op());
            assertTrue(activation != null, "unknown op " + c.op());
            FloatMatrix x = c.input("x").matrix();
            double t = c.paramDouble("temperature");
            double[] expected = c.expected("y").doubles();

            FloatMatrix out = FloatMatrix.allocate(x.rows(), x.cols());
            activation.apply(x, out, t);
            assertAllClose(expected, out.toArray(), c.id() + " (array)");

            FloatMatrix direct = directCopy(x);
            activation.applyInPlace(direct, t);
            assertAllClose(expected, direct.toArray(), c.id() + " (direct buffer, in place)");
        }));
    }

    /** exp of PyTorch's log_softmax gives PyTorch's softmax of the same input. */
    @TestFactory
    Stream<DynamicTest> expOfLogSoftmaxIsSoftmax() {
        List<Golden.Case> logSoftmax = GOLDEN.cases("log_softmax");
        return GOLDEN.cases("softmax").stream()
                .flatMap(s -> logSoftmax.stream()
                        .filter(l -> l.id().substring(l.id().indexOf('/')).equals(s.id().substring(s.id().indexOf('/'))))
                        .map(l -> DynamicTest.dynamicTest(s.id() + " = exp(" + l.id() + ")", () -> {
                            FloatMatrix lp = l.expected("y").matrix();
                            FloatMatrix p = Activation.EXP.apply(lp);
                            assertAllClose(s.expected("y").doubles(), p.toArray(), s.id());
                        })));
    }

    static FloatMatrix directCopy(FloatMatrix m) {
        FloatBuffer b = ByteBuffer.allocateDirect(m.size() * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        b.put(m.toArray());
        b.flip();
        return FloatMatrix.wrap(b, m.rows(), m.cols());
    }
}
