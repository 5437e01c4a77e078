package io.github.logits4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.LoadException;
import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.data.NpyArray;
import io.github.logits4j.golden.Golden;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Threads, memory, providers, chunking and bad input of {@link OnnxClassifier}, on the committed digits models.
 */
class OnnxClassifierBehaviourTest {
    private static final Path MODELS = Golden.testdata().resolve("models");
    private static float[] pixels;
    private static int rows;
    private static OnnxClassifier softmax;

    @BeforeAll
    static void load() throws Exception {
        try (NpyArray x = NpyArray.open(Golden.testdata().resolve("data").resolve("digits_test_x.npy"))) {
            rows = (int) x.rows();
            pixels = new float[rows * 64];
            x.readFloats(0, rows, pixels, 0);
        }
        softmax = OnnxClassifier.builder(MODELS.resolve("digits_softmax.onnx")).build();
    }

    @AfterAll
    static void close() {
        softmax.close();
    }

    private static FloatMatrix features(int from, int count) {
        return FloatMatrix.wrap(pixels, from * 64, count, 64);
    }

    @Test
    void sixteenThreadsAtOnceGiveTheSingleThreadResults() throws Exception {
        float[] expected = softmax.run(features(0, rows)).probabilities().toArray();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int seed = t;
                Callable<Boolean> job = () -> {
                    for (int i = 0; i < 40; i++) {
                        int from = (seed * 7 + i * 13) % (rows - 20);
                        int count = 1 + (seed + i) % 20;
                        float[] p = softmax.run(features(from, count)).probabilities().toArray();
                        for (int k = 0; k < p.length; k++) {
                            if (p[k] != expected[from * 10 + k]) {
                                return false;
                            }
                        }
                    }
                    return true;
                };
                futures.add(pool.submit(job));
            }
            for (Future<Boolean> f : futures) {
                assertTrue(f.get(), "a concurrent run differed from the single-thread result");
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Every tensor and result is closed: 100,000 batches leave native and heap memory flat. Measured through
     * {@code evaluate}, which reuses its buffers: after a warm-up pass of 50,000 batches (JIT compilation and the
     * allocator's arenas settle there), two passes of 50,000 batches each must not grow the resident size by more
     * than 8 MiB. An unclosed tensor or result per batch (native structures of a few hundred bytes or more) would add
     * over 20 MiB. Measured here: within 1 MiB. The module's tests run with a pre-touched fixed heap (see the pom), so
     * the heap itself does not grow the resident size.
     */
    @Test
    void hundredThousandBatchesKeepNativeMemoryFlat() throws Exception {
        FloatMatrix x = features(0, 4);
        int[] y = {0, 1, 2, 3};
        List<LabelledBatch> pass = java.util.Collections.nCopies(50_000, LabelledBatch.of(Inputs.of("pixels", x), y));
        EvaluationOptions noStore = EvaluationOptions.builder().rankMode(io.github.logits4j.metrics.RankMode.none())
                .build();
        long[] rss = new long[3];
        long[] heap = new long[3];
        for (int round = 0; round < 3; round++) {
            assertEquals(200_000, softmax.evaluate(pass, noStore).samples());
            heap[round] = usedHeapAfterGc();
            rss[round] = residentKiB();
        }
        long rssGrowth = rss[2] - rss[1];
        assertTrue(rss[1] < 0 || rssGrowth < 8 * 1024, "resident memory grew by " + rssGrowth + " KiB over 100,000"
                + " batches (after the warm-up pass: " + java.util.Arrays.toString(rss) + ")");
        assertTrue(heap[2] - heap[1] < 8L << 20, "heap grew by " + (heap[2] - heap[1]) + " bytes");
    }

    /**
     * {@code run} writes into one reused direct buffer per thread and copies the result out, so 20,000 runs allocate
     * no direct memory (no collection in between to hide it); {@code close()} releases every thread's buffers.
     */
    @Test
    void runReusesOneDirectBufferPerThreadAndCloseReleasesThem() throws Exception {
        java.lang.management.BufferPoolMXBean direct = ManagementFactory
                .getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        FloatMatrix batch = features(0, 4);
        OnnxClassifier own = OnnxClassifier.builder(MODELS.resolve("digits_softmax.onnx")).build();
        try {
            own.run(batch);
            long before = direct.getMemoryUsed();
            long count = direct.getCount();
            for (int i = 0; i < 20_000; i++) {
                own.run(batch);
            }
            // a collection may free other tests' buffers meanwhile, never add any
            assertTrue(direct.getCount() <= count, "direct buffers: " + count + " before, " + direct.getCount()
                    + " after 20,000 runs");
            assertTrue(direct.getMemoryUsed() <= before, "direct memory grew by " + (direct.getMemoryUsed() - before));
            Thread other = new Thread(() -> own.run(batch));
            other.start();
            other.join();
            assertEquals(2, own.workspaceCount(), "one workspace per thread that ran");
            own.close();
            assertEquals(0, own.workspaceCount(), "close() releases every thread's workspace");
        } finally {
            own.close();
        }
    }

    /**
     * Evaluation of a logits model takes its cross-entropy and its probabilities from one log-softmax: the loss and
     * every metric equal, bit for bit, CrossEntropyLoss and MulticlassMetrics fed the same batches separately.
     */
    @Test
    void sharedLogSoftmaxGivesTheSeparateLossAndMetricsBitForBit() throws Exception {
        int[] labels;
        try (NpyArray y = NpyArray.open(Golden.testdata().resolve("data").resolve("digits_test_y.npy"))) {
            labels = new int[rows];
            long[] l = new long[rows];
            y.readLongs(0, rows, l, 0);
            for (int i = 0; i < rows; i++) {
                labels[i] = (int) l[i];
            }
        }
        try (OnnxClassifier logits = OnnxClassifier.builder(MODELS.resolve("digits_logits.onnx")).build()) {
            List<LabelledBatch> batches = new ArrayList<>();
            io.github.logits4j.loss.CrossEntropyLoss ce = io.github.logits4j.loss.CrossEntropyLoss.builder()
                    .reduction(io.github.logits4j.loss.Reduction.SUM).build();
            io.github.logits4j.metrics.MulticlassMetrics metrics =
                    io.github.logits4j.metrics.MulticlassMetrics.builder(10).build();
            double loss = 0.0;
            for (int from = 0; from < rows; from += 64) {
                int count = Math.min(64, rows - from);
                int[] y = java.util.Arrays.copyOfRange(labels, from, from + count);
                batches.add(LabelledBatch.of(Inputs.of("pixels", features(from, count)), y));
                FloatMatrix raw = logits.run(features(from, count)).raw();
                double[] p = new double[count * 10];
                io.github.logits4j.activation.Activation.SOFTMAX.applyToDoubles(raw, p);
                metrics.update(p, count, y, null);
                loss += ce.compute(raw, y);
            }
            EvaluationResult r = logits.evaluate(batches);
            assertEquals(Double.doubleToLongBits(loss / rows), Double.doubleToLongBits(r.loss()));
            assertEquals(metrics.result().toMap().toString(), r.multiclassReport().toMap().toString());
        }
    }

    private static long residentKiB() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void autoFallsBackToTheCpuAndCudaSaysWhyAndWhatToDo() throws Exception {
        try (OnnxClassifier auto = OnnxClassifier.builder(MODELS.resolve("digits_logits.onnx"))
                .provider(ExecutionProvider.AUTO).build()) {
            if (System.getProperty("logits4j.test.cuda") == null) {
                assertEquals(ExecutionProvider.CPU, auto.provider());
            }
            assertEquals(auto.provider(), auto.inspection().provider());
            assertTrue(auto.inspection().toString().contains("provider     " + auto.provider().id()));
        }
        if (System.getProperty("logits4j.test.cuda") == null) {
            LoadException e = assertThrows(LoadException.class,
                    () -> OnnxClassifier.builder(MODELS.resolve("digits_logits.onnx"))
                            .provider(ExecutionProvider.CUDA).build());
            assertTrue(e.getMessage().contains("CUDA execution provider cannot be used"), e.getMessage());
            assertTrue(e.getMessage().contains("onnxruntime_gpu"), e.getMessage());
            assertTrue(e.getMessage().contains("digits_logits.onnx"), e.getMessage());
            assertFalse(e.getMessage().contains("null"), e.getMessage());
        }
    }

    /** Runs only where a GPU and the onnxruntime_gpu artifact are present: -Dlogits4j.test.cuda=true. */
    @Test
    @EnabledIfSystemProperty(named = "logits4j.test.cuda", matches = "true")
    void cudaGivesTheCpuResults() throws Exception {
        try (OnnxClassifier gpu = OnnxClassifier.builder(MODELS.resolve("digits_softmax.onnx"))
                .provider(ExecutionProvider.CUDA).build()) {
            assertEquals(ExecutionProvider.CUDA, gpu.provider());
            float[] expected = softmax.run(features(0, rows)).probabilities().toArray();
            float[] actual = gpu.run(features(0, rows)).probabilities().toArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-5, "element " + i);
            }
        }
    }

    @Test
    void anyBatchSizeRunsAndChunkingChangesNothing() throws Exception {
        float[] whole = softmax.run(features(0, 37)).raw().toArray();
        try (OnnxClassifier chunked = OnnxClassifier.builder(MODELS.resolve("digits_softmax.onnx")).batchSize(8)
                .build();
                OnnxClassifier fixed = OnnxClassifier.builder(MODELS.resolve("digits_fixed_batch1.onnx")).build();
                OnnxClassifier logits = OnnxClassifier.builder(MODELS.resolve("digits_logits.onnx")).build()) {
            assertArrayEquals(whole, chunked.run(features(0, 37)).raw().toArray());
            assertEquals(1, fixed.inspection().fixedBatch());
            assertArrayEquals(logits.run(features(0, 37)).raw().toArray(), fixed.run(features(0, 37)).raw().toArray());
        }
    }

    @Test
    void modelsFromBytesGiveTheFileResults() throws Exception {
        byte[] bytes = Files.readAllBytes(MODELS.resolve("digits_softmax.onnx"));
        try (OnnxClassifier fromBytes = OnnxClassifier.builder(bytes, "digits_softmax (bytes)").build()) {
            assertArrayEquals(softmax.run(features(0, 5)).raw().toArray(), fromBytes.run(features(0, 5)).raw().toArray());
            assertEquals("digits_softmax (bytes)", fromBytes.inspection().source());
        }
        LoadException e = assertThrows(LoadException.class,
                () -> OnnxClassifier.builderFromResource("no/such/model.onnx", null));
        assertTrue(e.getMessage().contains("classpath:no/such/model.onnx") && e.getMessage().contains("not found"));
    }

    @Test
    void inputsThatDoNotFitAreRejectedBeforeRunning() {
        String msg = assertThrows(IllegalArgumentException.class,
                () -> softmax.run(FloatMatrix.allocate(3, 63))).getMessage();
        assertTrue(msg.contains("'pixels'") && msg.contains("[3, 63]") && msg.contains("float[?, 64]"), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> softmax.run(Inputs.of("image", FloatMatrix.allocate(2, 64)))).getMessage();
        assertTrue(msg.contains("[pixels]") && msg.contains("[image]"), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> softmax.run(Inputs.builder().add("pixels", new long[128], 2, 64).build())).getMessage();
        assertTrue(msg.contains("int64") && msg.contains("float[?, 64]"), msg);
        msg = assertThrows(IllegalArgumentException.class, () -> softmax.run(FloatMatrix.allocate(0, 64)))
                .getMessage();
        assertTrue(msg.contains("empty batch"), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> Inputs.builder().add("a", new long[24], 2, 12).add("b", new long[36], 3, 12).build())
                .getMessage();
        assertTrue(msg.contains("'b' has 3 rows; expected 2"), msg);
    }

    @Test
    void nanInTheOutputIsAnErrorNamingTheRow() {
        float[] x = new float[3 * 64];
        x[2 * 64 + 5] = Float.NaN;
        String msg = assertThrows(IllegalStateException.class, () -> softmax.run(FloatMatrix.wrap(x, 3, 64)))
                .getMessage();
        assertTrue(msg.contains("NaN at row 2"), msg);
    }

    @Test
    void badModelsAndSettingsAreClearLoadErrors(@TempDir Path tmp) throws Exception {
        LoadException e = assertThrows(LoadException.class,
                () -> OnnxClassifier.builder(tmp.resolve("missing.onnx")).build());
        assertTrue(e.getMessage().contains("missing.onnx") && e.getMessage().contains("not found"), e.getMessage());
        Path corrupt = Files.write(tmp.resolve("corrupt.onnx"), "not a model at all".getBytes());
        e = assertThrows(LoadException.class, () -> OnnxClassifier.builder(corrupt).build());
        assertTrue(e.getMessage().contains("corrupt.onnx"), e.getMessage());
        e = assertThrows(LoadException.class,
                () -> OnnxClassifier.builder(MODELS.resolve("digits_logits.onnx")).output("probs").build());
        assertTrue(e.getMessage().contains("no output 'probs'") && e.getMessage().contains("[logits]"), e.getMessage());
        e = assertThrows(LoadException.class,
                () -> OnnxClassifier.builder(MODELS.resolve("digits_logits.onnx")).task(Task.BINARY).build());
        assertTrue(e.getMessage().contains("binary needs one output"), e.getMessage());
        IllegalArgumentException i = assertThrows(IllegalArgumentException.class,
                () -> OnnxClassifier.builder(MODELS.resolve("digits_logits.onnx")).classNames(List.of("a", "b"))
                        .build());
        assertTrue(i.getMessage().contains("2 names; expected 10"), i.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OnnxClassifier.builder(MODELS.resolve("x")).batchSize(0));
    }

    @Test
    void settingsWinOverMetadataAndGraph() throws Exception {
        try (OnnxClassifier m = OnnxClassifier.builder(MODELS.resolve("digits_softmax.onnx"))
                .outputKind(OutputKind.LOGITS).build()) {
            assertEquals(OutputKind.LOGITS, m.outputKind());
            assertEquals("set by the caller", m.inspection().outputKindEvidence());
            assertEquals("softmax", m.activation().id());
        }
        assertEquals(OutputKind.PROBABILITIES, softmax.outputKind());
        assertEquals("none", softmax.activation().id());
        assertTrue(softmax.inspection().outputKindEvidence().startsWith("graph: Softmax"),
                softmax.inspection().outputKindEvidence());
    }

    /** A temperature divides the logits before the head, the loss and the metrics; argmax and accuracy stay. */
    @Test
    void evaluationWithATemperatureScalesTheLogits() throws Exception {
        int[] y;
        try (NpyArray labels = NpyArray.open(Golden.testdata().resolve("data").resolve("digits_test_y.npy"))) {
            long[] l = new long[rows];
            labels.readLongs(0, rows, l, 0);
            y = new int[rows];
            for (int i = 0; i < rows; i++) {
                y[i] = (int) l[i];
            }
        }
        List<LabelledBatch> data = List.of(LabelledBatch.of(Inputs.of("pixels", features(0, rows)), y));
        try (OnnxClassifier logits = OnnxClassifier.builder(MODELS.resolve("digits_logits.onnx")).build()) {
            EvaluationResult plain = logits.evaluate(data);
            EvaluationResult hot = logits.evaluate(data, EvaluationOptions.builder().temperatures(2.0).build());
            float[] z = logits.run(features(0, rows)).raw().toArray();
            // scikit-learn's hinge_loss of the logits (HingeLoss is golden-tested against it) reaches the report
            assertEquals(io.github.logits4j.metrics.HingeLoss.multiclass(FloatMatrix.wrap(z, rows, 10), y, null),
                    plain.hingeLoss(), 1e-12);
            assertEquals(plain.hingeLoss(), (Double) plain.metrics().get("hinge_loss"), 0.0);
            EvaluationResult probabilities = softmax.evaluate(data);
            assertTrue(Double.isNaN(probabilities.hingeLoss()), "no decision values: no hinge loss");
            assertTrue(!probabilities.metrics().containsKey("hinge_loss"));
            float[] half = new float[z.length];
            for (int i = 0; i < z.length; i++) {
                half[i] = (float) (z[i] * 0.5);
            }
            double expected = io.github.logits4j.loss.CrossEntropyLoss.ofLogits()
                    .compute(FloatMatrix.wrap(half, rows, 10), y);
            assertEquals(expected, hot.loss(), 1e-12);

            // evaluate and predict start from the same scaled logits: TemperatureScaling.scale, float32 z / T
            FloatMatrix scaled = FloatMatrix.allocate(rows, 10);
            io.github.logits4j.calibration.TemperatureScaling.scale(FloatMatrix.wrap(z, rows, 10), new double[] {2.0},
                    scaled);
            assertArrayEquals(half, scaled.toArray(), 0f);
            assertEquals(io.github.logits4j.loss.CrossEntropyLoss.ofLogits().compute(scaled, y), hot.loss(), 0.0);
            io.github.logits4j.calibration.TemperatureFit fit = io.github.logits4j.calibration.TemperatureFit.fromMap(
                    Map.of("temperature", 2.0, "nll_before", 0.5, "nll_after", 0.4, "ece_before", 0.1, "ece_after",
                            0.05, "iterations", 1));
            FloatMatrix calibrated = fit.apply(FloatMatrix.wrap(z, rows, 10));    // what predict --calibration writes
            io.github.logits4j.activation.Activation.SOFTMAX.applyInPlace(scaled, 1.0);
            assertArrayEquals(scaled.toArray(), calibrated.toArray(), 0f);
            assertEquals(plain.multiclassReport().accuracy(), hot.multiclassReport().accuracy(), 0.0);
            assertTrue(hot.loss() != plain.loss());
        }
        String msg = assertThrows(IllegalArgumentException.class,
                () -> softmax.evaluate(data, EvaluationOptions.builder().temperatures(2.0).build())).getMessage();
        assertTrue(msg.contains("emits probabilities") && msg.contains("not logits; temperature scaling divides"
                + " logits by a temperature"), msg);
        assertThrows(IllegalArgumentException.class, () -> EvaluationOptions.builder().temperatures(0.0));
    }

    @Test
    void topKGivesClassesWithTheirProbabilities() throws Exception {
        Scores s = softmax.run(features(0, 6));
        int[] classes = new int[6 * 3];
        float[] p = new float[6 * 3];
        s.topK(3, classes, p);
        assertArrayEquals(s.topK(3), classes);
        for (int r = 0; r < 6; r++) {
            assertEquals(s.predictedClasses()[r], classes[r * 3]);
            for (int j = 0; j < 3; j++) {
                assertEquals(s.probabilities().get(r, classes[r * 3 + j]), p[r * 3 + j]);
            }
        }
        try (NpyArray x = NpyArray.open(Golden.testdata().resolve("data").resolve("digits_test_x.npy"));
                NpyArray y = NpyArray.open(Golden.testdata().resolve("data").resolve("digits_test_y.npy"))) {
            assertArrayEquals(features(2, 3).toArray(), x.readMatrix(2, 3).toArray());
            assertEquals(3, y.readInts(0, 3).length);
        }
    }

    @Test
    void closedClassifiersRefuseToRun() throws Exception {
        OnnxClassifier m = OnnxClassifier.builder(MODELS.resolve("digits_logits.onnx")).build();
        m.close();
        m.close();
        assertTrue(m.isClosed());
        String msg = assertThrows(IllegalStateException.class, () -> m.run(features(0, 1))).getMessage();
        assertTrue(msg.contains("closed"), msg);
        assertFalse(softmax.isClosed());
    }
}
