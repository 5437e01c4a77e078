package io.github.logits4j.benchmarks;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.LoadException;
import io.github.logits4j.onnx.EvaluationOptions;
import io.github.logits4j.onnx.EvaluationResult;
import io.github.logits4j.onnx.Inputs;
import io.github.logits4j.onnx.LabelledBatch;
import io.github.logits4j.onnx.OnnxClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Evaluation of the bundled digits model ({@code testdata/models/digits_logits.onnx}; the path comes from the system
 * property {@code logits4j.testdata}, default {@code testdata}) over N rows held in memory, in batches of 1024: ONNX
 * Runtime (one intra-op thread), softmax, cross-entropy and the full metrics report.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class EvaluationBenchmarks {
    @Param({"100000", "1000000"})
    public int rows;

    private OnnxClassifier model;
    private List<LabelledBatch> batches;

    @Setup
    public void setUp() throws LoadException {
        Path testdata = Path.of(System.getProperty("logits4j.testdata", "testdata"));
        model = OnnxClassifier.builder(testdata.resolve("models/digits_logits.onnx")).intraOpThreads(1).build();
        Random r = new Random(7);
        batches = new ArrayList<>();
        for (int start = 0; start < rows; start += 1024) {
            int n = Math.min(1024, rows - start);
            float[] x = new float[n * 64];
            int[] y = new int[n];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextInt(17) / 16f;
            }
            for (int i = 0; i < n; i++) {
                y[i] = r.nextInt(10);
            }
            batches.add(LabelledBatch.of(Inputs.of(model.inputNames().iterator().next(), FloatMatrix.wrap(x, n, 64)),
                    y));
        }
    }

    @TearDown
    public void tearDown() {
        model.close();
    }

    @Benchmark
    public EvaluationResult evaluateDigits() {
        return model.evaluate(batches, EvaluationOptions.builder().topK(1, 5).build());
    }
}
