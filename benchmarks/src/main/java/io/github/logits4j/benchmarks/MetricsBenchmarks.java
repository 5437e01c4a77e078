package io.github.logits4j.benchmarks;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.metrics.MulticlassMetrics;
import io.github.logits4j.metrics.MulticlassReport;
import io.github.logits4j.metrics.MultilabelMetrics;
import io.github.logits4j.metrics.MultilabelReport;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Multi-class and multi-label metrics over N x 10 probabilities: update in batches of 1024 rows, then finish, with
 * the exact rank metrics (one-vs-rest and one-vs-one ROC AUC, average precision, label ranking).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class MetricsBenchmarks {
    static final int CLASSES = 10;
    static final int BATCH = 1024;

    @Param({"100000", "1000000"})
    public int rows;

    /** Threads for the exact rank metrics' finish (the command line uses every core). */
    @Param({"1", "2"})
    public int threads;

    private float[] probabilities;
    private int[] labels;
    private float[] labelMatrix;

    @Setup
    public void setUp() {
        Random r = new Random(4242);
        probabilities = new float[rows * CLASSES];
        labels = new int[rows];
        labelMatrix = new float[rows * CLASSES];
        for (int i = 0; i < rows; i++) {
            labels[i] = r.nextInt(CLASSES);
            double sum = 0;
            for (int c = 0; c < CLASSES; c++) {
                double v = Math.exp(r.nextGaussian() + (c == labels[i] ? 1.5 : 0));
                probabilities[i * CLASSES + c] = (float) v;
                sum += v;
                labelMatrix[i * CLASSES + c] = r.nextInt(3) == 0 ? 1f : 0f;
            }
            for (int c = 0; c < CLASSES; c++) {
                probabilities[i * CLASSES + c] = (float) (probabilities[i * CLASSES + c] / sum);
            }
        }
    }

    @Benchmark
    public MulticlassReport multiclassUpdateAndFinish() {
        MulticlassMetrics m = MulticlassMetrics.builder(CLASSES).topK(1, 5).parallelism(threads).build();
        int[] batchLabels = new int[BATCH];
        for (int start = 0; start < rows; start += BATCH) {
            int n = Math.min(BATCH, rows - start);
            System.arraycopy(labels, start, batchLabels, 0, n);
            m.update(FloatMatrix.wrap(probabilities, start * CLASSES, n, CLASSES),
                    n == BATCH ? batchLabels : java.util.Arrays.copyOf(batchLabels, n));
        }
        return m.result();
    }

    @Benchmark
    public MultilabelReport multilabelUpdateAndFinish() {
        MultilabelMetrics m = MultilabelMetrics.builder(CLASSES).parallelism(threads).build();
        for (int start = 0; start < rows; start += BATCH) {
            int n = Math.min(BATCH, rows - start);
            m.update(FloatMatrix.wrap(probabilities, start * CLASSES, n, CLASSES),
                    FloatMatrix.wrap(labelMatrix, start * CLASSES, n, CLASSES));
        }
        return m.result();
    }
}
