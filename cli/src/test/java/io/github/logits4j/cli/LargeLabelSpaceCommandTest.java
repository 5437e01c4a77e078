package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vocabulary-sized model, 100,000 classes, through the command line (issue 22): evaluated in bounded memory with
 * the rank metrics off, refused up front with them on, naming {@code --rank-metrics none}. The model is generated
 * here: {@code x [N, 64] -> Gemm -> logits [N, 100000]}, class {@code j < 64} scoring {@code 10 x[j]} and every other
 * class 0, so one-hot rows make the probabilities and the metrics closed-form: a row's class has probability
 * {@code e^10 / (e^10 + 99,999)}, every other {@code 1 / (e^10 + 99,999)}.
 */
class LargeLabelSpaceCommandTest {
    private static final int CLASSES = 100_000;
    private static final int ROWS = 200;

    @TempDir
    static Path dir;
    private static Path model;
    private static Path x;
    private static Path y;
    private static int correct;

    @BeforeAll
    static void fixtures() throws IOException {
        model = dir.resolve("vocabulary.onnx");
        Files.write(model, gemmModel());
        float[] xs = new float[ROWS * 64];
        long[] ys = new long[ROWS];
        Random rng = new Random(2203);
        for (int r = 0; r < ROWS; r++) {
            int j = rng.nextInt(64);
            xs[r * 64 + j] = 1f;
            boolean right = rng.nextDouble() < 0.7;
            ys[r] = right ? j : 64 + rng.nextInt(CLASSES - 64);
            correct += right ? 1 : 0;
        }
        x = NpyFiles.float32(dir.resolve("x.npy"), xs, ROWS, 64);
        y = NpyFiles.int64(dir.resolve("y.npy"), ys, ROWS);
    }

    /** The ONNX model: one Gemm, B = 10 on (j, j) for j < 64 (transB: [classes, 64]), no bias. */
    private static byte[] gemmModel() throws IOException {
        ByteBuffer w = ByteBuffer.allocate(4 * CLASSES * 64).order(ByteOrder.LITTLE_ENDIAN);
        for (int j = 0; j < 64; j++) {
            w.putFloat(4 * (j * 64 + j), 10f);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        onnx(out, w.array());
        return out.toByteArray();
    }

    // ---- a minimal protobuf writer for this one model
    private static void onnx(ByteArrayOutputStream out, byte[] weights) throws IOException {
        ByteArrayOutputStream graph = new ByteArrayOutputStream();
        field(graph, 1, node());
        field(graph, 2, "vocabulary".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream tensor = new ByteArrayOutputStream();
        varintField(tensor, 1, CLASSES);
        varintField(tensor, 1, 64);
        varintField(tensor, 2, 1);
        field(tensor, 8, "w".getBytes(StandardCharsets.UTF_8));
        field(tensor, 9, weights);
        field(graph, 5, tensor.toByteArray());
        field(graph, 11, valueInfo("x", 64));
        field(graph, 12, valueInfo("logits", CLASSES));
        varintField(out, 1, 8);
        field(out, 2, "logits4j-test".getBytes(StandardCharsets.UTF_8));
        field(out, 7, graph.toByteArray());
        ByteArrayOutputStream opset = new ByteArrayOutputStream();
        field(opset, 1, new byte[0]);
        varintField(opset, 2, 17);
        field(out, 8, opset.toByteArray());
    }

    private static byte[] node() throws IOException {
        ByteArrayOutputStream n = new ByteArrayOutputStream();
        field(n, 1, "x".getBytes(StandardCharsets.UTF_8));
        field(n, 1, "w".getBytes(StandardCharsets.UTF_8));
        field(n, 2, "logits".getBytes(StandardCharsets.UTF_8));
        field(n, 3, "fc".getBytes(StandardCharsets.UTF_8));
        field(n, 4, "Gemm".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream attr = new ByteArrayOutputStream();
        field(attr, 1, "transB".getBytes(StandardCharsets.UTF_8));
        varintField(attr, 3, 1);
        varintField(attr, 20, 2);                   // AttributeProto.type INT
        field(n, 5, attr.toByteArray());
        return n.toByteArray();
    }

    private static byte[] valueInfo(String name, int width) throws IOException {
        ByteArrayOutputStream shape = new ByteArrayOutputStream();
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        field(batch, 2, "batch".getBytes(StandardCharsets.UTF_8));
        field(shape, 1, batch.toByteArray());
        ByteArrayOutputStream dim = new ByteArrayOutputStream();
        varintField(dim, 1, width);
        field(shape, 1, dim.toByteArray());
        ByteArrayOutputStream tensorType = new ByteArrayOutputStream();
        varintField(tensorType, 1, 1);
        field(tensorType, 2, shape.toByteArray());
        ByteArrayOutputStream type = new ByteArrayOutputStream();
        field(type, 1, tensorType.toByteArray());
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        field(v, 1, name.getBytes(StandardCharsets.UTF_8));
        field(v, 2, type.toByteArray());
        return v.toByteArray();
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static void varintField(ByteArrayOutputStream out, int field, long v) {
        varint(out, (long) field << 3);
        varint(out, v);
    }

    private static void field(ByteArrayOutputStream out, int field, byte[] bytes) throws IOException {
        varint(out, ((long) field << 3) | 2);
        varint(out, bytes.length);
        out.write(bytes);
    }

    @Test
    void aHundredThousandClassesAreEvaluatedWithTheRankMetricsOff() {
        Map<String, Object> r = Cli.run("evaluate", "--model", model.toString(), "--inputs", x.toString(), "--labels",
                y.toString(), "--rank-metrics", "none", "--top-k", "1,5", "--format", "json").ok().json();
        assertEquals(CLASSES, ((Number) r.get("classes")).intValue());
        assertEquals(correct / (double) ROWS, Cli.metric(r, "accuracy"), 1e-12);
        double z = Math.exp(10) + (CLASSES - 1);
        double expectedLogLoss = (correct * -Math.log(Math.exp(10) / z) + (ROWS - correct) * -Math.log(1 / z)) / ROWS;
        assertEquals(expectedLogLoss, Cli.metric(r, "log_loss"), 1e-6);
        assertEquals(expectedLogLoss, Cli.loss(r), 1e-5, "cross-entropy of the logits");
        Map<?, ?> metrics = (Map<?, ?>) r.get("metrics");
        assertFalse(metrics.containsKey("confusion_matrix"), "no 10^10-cell list");
        assertEquals(CLASSES, ((java.util.List<?>) metrics.get("per_class_f1")).size());
    }

    @Test
    void rankMetricsAreRefusedUpFrontNamingWhatWorks() {
        Cli.run("evaluate", "--model", model.toString(), "--inputs", x.toString(), "--labels", y.toString())
                .fails(Main.EXIT_DATA, "100000 classes", "--rank-metrics none");
    }
}
