package io.github.logits4j.onnx;

import static io.github.logits4j.onnx.ProtoWriter.FLOAT;
import static io.github.logits4j.onnx.ProtoWriter.INT64;
import static io.github.logits4j.onnx.ProtoWriter.graph;
import static io.github.logits4j.onnx.ProtoWriter.node;
import static io.github.logits4j.onnx.ProtoWriter.tensor;
import static io.github.logits4j.onnx.ProtoWriter.tensorProto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.LoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs that declare a fixed batch size their inputs do not share (issue 21): a model that runs any batch (the
 * declared [8, 10] is a converter artefact) is run at every batch size; a model traced at 8 rows (a Reshape to
 * [8, 10] inside) fails with advice naming the batch size, and with that batch size its last partial batch is padded.
 */
class FixedOutputBatchTest {
    @TempDir
    Path dir;

    /** x [N, 64] -> Gemm (logits = x[:, :10] + 0.1 c) -> [Reshape to [8, 10]] -> Softmax, output declared [8, 10]. */
    private Path model(boolean traced) throws IOException {
        float[] w = new float[10 * 64];
        float[] b = new float[10];
        for (int c = 0; c < 10; c++) {
            w[c * 64 + c] = 1;
            b[c] = 0.1f * c;
        }
        List<ProtoWriter> nodes = traced
                ? List.of(node("Gemm", "fc", List.of("x", "w", "b"), List.of("z"), ProtoWriter.attrInt("transB", 1)),
                        node("Reshape", "traced", List.of("z", "shape"), List.of("logits")),
                        node("Softmax", "sm", List.of("logits"), List.of("p"), ProtoWriter.attrInt("axis", -1)))
                : List.of(node("Gemm", "fc", List.of("x", "w", "b"), List.of("logits"),
                        ProtoWriter.attrInt("transB", 1)),
                        node("Softmax", "sm", List.of("logits"), List.of("p"), ProtoWriter.attrInt("axis", -1)));
        ProtoWriter g = graph(nodes, List.of(tensor("x", FLOAT, "sym", 64)), List.of(tensor("p", FLOAT, 8, 10)));
        g.message(5, tensorProto("w", FLOAT, ProtoWriter.floats(w), 10, 64));
        g.message(5, tensorProto("b", FLOAT, ProtoWriter.floats(b), 10));
        g.message(5, tensorProto("shape", INT64, ProtoWriter.longs(8, 10), 2));
        Path p = dir.resolve(traced ? "traced.onnx" : "declared.onnx");
        Files.write(p, ProtoWriter.model(17, g));
        return p;
    }

    private static FloatMatrix rows(int n) {
        float[] x = new float[n * 64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.37);
        }
        return FloatMatrix.wrap(x, n, 64);
    }

    /** The softmax of x[r, :10] + 0.1 c, as the model computes it. */
    private static double expected(FloatMatrix x, int r, int c) {
        double sum = 0;
        for (int j = 0; j < 10; j++) {
            sum += Math.exp(x.get(r, j) + 0.1 * j);
        }
        return Math.exp(x.get(r, c) + 0.1 * c) / sum;
    }

    private static void check(Scores s, FloatMatrix x) {
        assertEquals(x.rows(), s.raw().rows());
        for (int r = 0; r < x.rows(); r++) {
            for (int c = 0; c < 10; c++) {
                assertEquals(expected(x, r, c), s.raw().get(r, c), 1e-6, "row " + r + ", class " + c);
            }
        }
    }

    @Test
    void aDeclaredFixedBatchDoesNotStopOtherBatchSizes() throws IOException, LoadException {
        FloatMatrix x = rows(21);
        for (int batch : new int[] {0, 5, 8, 21}) {
            OnnxClassifier.Builder b = OnnxClassifier.builder(model(false));
            if (batch > 0) {
                b.batchSize(batch);
            }
            try (OnnxClassifier m = b.build()) {
                check(m.run(x), x);
            }
        }
    }

    @Test
    void aModelTracedAtOneBatchSizeIsToldAndPaddedToIt() throws IOException, LoadException {
        FloatMatrix x = rows(21);
        try (OnnxClassifier m = OnnxClassifier.builder(model(true)).build()) {
            String msg = assertThrows(IllegalStateException.class, () -> m.run(x)).getMessage();
            assertTrue(msg.contains("declares a fixed batch of 8") && msg.contains("--batch-size")
                    && msg.contains("pads the last batch"), msg);
        }
        try (OnnxClassifier m = OnnxClassifier.builder(model(true)).batchSize(8).build()) {
            check(m.run(x), x);            // 8 + 8 + 5 rows, the last padded to 8
        }
    }
}
