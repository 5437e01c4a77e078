package io.github.logits4j.onnx;

import static io.github.logits4j.onnx.ProtoWriter.FLOAT;
import static io.github.logits4j.onnx.ProtoWriter.graph;
import static io.github.logits4j.onnx.ProtoWriter.node;
import static io.github.logits4j.onnx.ProtoWriter.tensor;
import static io.github.logits4j.onnx.ProtoWriter.tensorProto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;
import io.github.logits4j.golden.Golden;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Probabilities a few ulps outside [0, 1] are accepted (a float32 sum of ten tree weights of 0.1 is 1.0000001); a
 * real violation is an error that names the model output and gives advice that fits where the kind came from.
 */
class OutputRangeTest {
    private static final Path MODELS = Golden.testdata().resolve("models");

    /** x [batch, 4] -> Gemm with zero weights and bias {@code bias} -> "scores" [batch, 3]; metadata as given. */
    private static byte[] constantScores(float bias, String... metadata) {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(bias).putFloat(0f).putFloat(0f);
        ProtoWriter g = graph(List.of(node("Gemm", "fc", List.of("x", "w", "b"), List.of("scores"))),
                List.of(tensor("x", FLOAT, "batch", 4)), List.of(tensor("scores", FLOAT, "batch", 3)));
        g.message(5, tensorProto("w", FLOAT, new byte[4 * 12], 4, 3));
        g.message(5, tensorProto("b", FLOAT, b.array(), 3));
        return ProtoWriter.model(17, g, metadata);
    }

    @Test
    void aFewUlpsOutsideTheRangeAreAccepted() throws Exception {
        float near = Math.nextUp(1f);
        try (OnnxClassifier m = OnnxClassifier.builder(constantScores(near), "near.onnx")
                .outputKind(OutputKind.PROBABILITIES).task(io.github.logits4j.Task.MULTILABEL).build()) {
            Scores s = m.run(FloatMatrix.allocate(2, 4));
            assertEquals(near, s.probabilities().get(0, 0));
        }
    }

    @Test
    void aRealViolationNamesTheOutputAndTheSettingThatDeclaredIt() throws Exception {
        try (OnnxClassifier m = OnnxClassifier.builder(constantScores(5f), "five.onnx")
                .outputKind(OutputKind.PROBABILITIES).build()) {
            String msg = assertThrows(IllegalStateException.class, () -> m.run(FloatMatrix.allocate(2, 4)))
                    .getMessage();
            assertEquals("five.onnx: model output 'scores' holds 5.0 at row 0, column 0; expected a probability in"
                    + " [0, 1] (within 1.0E-5): it was declared probabilities by outputKind(...); if the output holds"
                    + " logits, say logits", msg);
        }
        try (OnnxClassifier m = OnnxClassifier.builder(constantScores(5f), "five.onnx")
                .outputKind(OutputKind.LOG_PROBABILITIES).settingNames(Setting::option).build()) {
            String msg = assertThrows(IllegalStateException.class, () -> m.run(FloatMatrix.allocate(1, 4)))
                    .getMessage();
            assertTrue(msg.contains("expected a log-probability <= 0") && msg.contains("by --output-kind"), msg);
            assertTrue(!msg.contains("softmax"), msg);
        }
        try (OnnxClassifier m = OnnxClassifier.builder(constantScores(5f, OnnxClassifier.META_OUTPUT_KIND,
                "probabilities"), "meta.onnx").settingNames(Setting::option).build()) {
            String msg = assertThrows(IllegalStateException.class, () -> m.run(FloatMatrix.allocate(1, 4)))
                    .getMessage();
            assertTrue(msg.contains("metadata logits4j.output_kind says probabilities")
                    && msg.contains("--output-kind logits"), msg);
        }
    }

    @Test
    void unknownKindsAreRefusedNamingTheSettingInTheCallersWords() throws Exception {
        Path tanh = MODELS.resolve("tanh_scores.onnx");
        try (OnnxClassifier m = OnnxClassifier.builder(tanh).build()) {
            assertTrue(!m.resolved());
            String msg = assertThrows(IllegalStateException.class, m::outputKind).getMessage();
            assertTrue(msg.endsWith("say which with outputKind(...)"), msg);
            assertEquals(msg, m.inspection().refusal());
            assertEquals("none (refused)", m.inspection().activation());
        }
        try (OnnxClassifier m = OnnxClassifier.builder(tanh).settingNames(Setting::option).build()) {
            String msg = assertThrows(IllegalStateException.class, m::requireResolved).getMessage();
            assertTrue(msg.endsWith("say which with --output-kind"), msg);
        }
        try (OnnxClassifier m = OnnxClassifier.builder(MODELS.resolve("breast_cancer_logit.onnx")).build()) {
            String msg = assertThrows(IllegalStateException.class, m::task).getMessage();
            assertTrue(msg.contains("regression") && msg.endsWith("say so with task(...) binary"), msg);
        }
    }

    @Test
    void inputsInTheWrongLayoutNameTheBatchAxis() throws Exception {
        try (OnnxClassifier m = OnnxClassifier.builder(MODELS.resolve("state_inputs.onnx")).build()) {
            assertEquals("output", m.output());
            Inputs rowsFirst = Inputs.builder().add("x", new float[2 * 30], 2, 30).add("state", new float[16], 2, 2, 4)
                    .constant("sr", new long[] {16000}).build();
            String msg = assertThrows(IllegalArgumentException.class, () -> m.run(rowsFirst)).getMessage();
            assertTrue(msg.contains("'state' has its batch on axis 0") && msg.contains("has its batch on axis 1")
                    && msg.contains("batchAxis"), msg);
            Inputs srBatched = Inputs.builder().add("x", new float[2 * 30], 2, 30).add("state", new float[16], 2, 2, 4)
                    .batchAxis("state", 1).add("sr", new long[] {16000, 16000}, 2).build();
            msg = assertThrows(IllegalArgumentException.class, () -> m.run(srBatched)).getMessage();
            assertTrue(msg.contains("'sr' has its batch on axis 0") && msg.contains("constant"), msg);
        }
    }

    @Test
    void evaluatingNoRowsIsAnErrorNotANaNLoss() throws Exception {
        try (OnnxClassifier m = OnnxClassifier.builder(MODELS.resolve("digits_logits.onnx")).build()) {
            String msg = assertThrows(IllegalArgumentException.class, () -> m.evaluate(List.of())).getMessage();
            assertTrue(msg.contains("no rows to evaluate"), msg);
        }
    }

    @Test
    void aNaNOutputNamesTheNonFiniteInputThatCausedIt() throws Exception {
        try (OnnxClassifier m = OnnxClassifier.builder(MODELS.resolve("digits_logits.onnx")).build()) {
            float[] x = new float[3 * 64];
            x[2 * 64 + 5] = Float.POSITIVE_INFINITY;
            x[2 * 64 + 6] = Float.NEGATIVE_INFINITY;
            String msg = assertThrows(IllegalStateException.class, () -> m.run(FloatMatrix.wrap(x, 3, 64)))
                    .getMessage();
            assertTrue(msg.contains("is NaN at row 2") && msg.contains("input 'pixels' holds Infinity at row 2,"
                    + " column 5"), msg);
        }
    }
}
