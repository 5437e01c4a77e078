package io.github.logits4j.benchmarks;

import io.github.logits4j.metrics.MulticlassMetrics;
import io.github.logits4j.metrics.MulticlassReport;
import io.github.logits4j.metrics.RankMode;
import java.util.Arrays;
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
 * Multi-class metrics of a vocabulary-sized model (issue 22): 1,000 rows of 100,000-class probabilities, updated in
 * batches of 50 (the command line's default batch) and finished, with the sparse confusion counts and no rank metrics.
 * The time per row is what an evaluation adds to ONNX Runtime's for such a model; memory stays at one batch of
 * probabilities plus the cells that occur.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar LargeLabelSpaceBenchmarks
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class LargeLabelSpaceBenchmarks {
    static final int ROWS = 1000;
    static final int BATCH = 50;

    @Param({"100000"})
    public int classes;

    private double[] probabilities;
    private int[] labels;

    @Setup
    public void setUp() {
        Random r = new Random(2204);
        probabilities = new double[BATCH * classes];
        Arrays.fill(probabilities, 0.2 / (classes - 2));
        labels = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            labels[i] = r.nextInt(classes);
        }
        for (int i = 0; i < BATCH; i++) {
            probabilities[i * classes + r.nextInt(classes / 2)] = 0.5;
            probabilities[i * classes + classes / 2 + r.nextInt(classes / 2)] = 0.3;
        }
    }

    /** 1,000 rows in batches of 50 (the same 50 probability rows each time, new labels), then the report. */
    @Benchmark
    public MulticlassReport updateAndFinish() {
        MulticlassMetrics m = MulticlassMetrics.builder(classes).topK(1, 5).rankMode(RankMode.none()).build();
        for (int start = 0; start < ROWS; start += BATCH) {
            m.update(probabilities, BATCH, Arrays.copyOfRange(labels, start, start + BATCH), null);
        }
        return m.result();
    }
}
