package io.github.logits4j.benchmarks;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.activation.Activation;
import io.github.logits4j.decision.TopK;
import io.github.logits4j.kernel.Kernels;
import io.github.logits4j.loss.BinaryCrossEntropyLoss;
import io.github.logits4j.loss.CrossEntropyLoss;
import io.github.logits4j.loss.Reduction;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The post-processing workloads of the performance issue, float32 [4096 x 1000] (BCE-with-logits [4096 x 100]), on one
 * thread and (the {@code ...2Threads} methods) on two, with {@code System.arraycopy} of the same array as the memory
 * floor. The kernels the JVM picks are reported
 * by {@link #kernels}; the forks add {@code --add-modules jdk.incubator.vector}, so {@code auto} takes the vector
 * kernels (pass {@code -jvmArgsAppend -Dlogits4j.kernels=scalar} for the scalar ones).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KernelBenchmarks {
    static final int ROWS = 4096;
    static final int CLASSES = 1000;
    static final int LABELS = 100;

    private FloatMatrix logits;
    private FloatMatrix out;
    private int[] targets;
    private FloatMatrix multiLogits;
    private FloatMatrix multiTargets;
    private int[] top;
    private float[] topValues;
    private float[] copy;
    private final CrossEntropyLoss crossEntropy = CrossEntropyLoss.builder().reduction(Reduction.MEAN).build();
    private final BinaryCrossEntropyLoss bceWithLogits = BinaryCrossEntropyLoss.builder()
            .input(io.github.logits4j.OutputKind.LOGITS).reduction(Reduction.MEAN).build();
    private final CrossEntropyLoss crossEntropy2 = CrossEntropyLoss.builder().reduction(Reduction.MEAN)
            .parallelism(2).build();
    private final BinaryCrossEntropyLoss bceWithLogits2 = BinaryCrossEntropyLoss.builder()
            .input(io.github.logits4j.OutputKind.LOGITS).reduction(Reduction.MEAN).parallelism(2).build();

    @Setup
    public void setUp() {
        Random r = new Random(20261129);
        float[] x = new float[ROWS * CLASSES];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 3);
        }
        logits = FloatMatrix.wrap(x, ROWS, CLASSES);
        out = FloatMatrix.allocate(ROWS, CLASSES);
        targets = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            targets[i] = r.nextInt(CLASSES);
        }
        float[] m = new float[ROWS * LABELS];
        float[] y = new float[ROWS * LABELS];
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) (r.nextGaussian() * 3);
            y[i] = r.nextBoolean() ? 1f : 0f;
        }
        multiLogits = FloatMatrix.wrap(m, ROWS, LABELS);
        multiTargets = FloatMatrix.wrap(y, ROWS, LABELS);
        top = new int[ROWS * 5];
        topValues = new float[ROWS * 5];
        copy = new float[ROWS * CLASSES];
    }

    /** The kernels in use ("vector" or "scalar"), so a result says what it measured. */
    @Benchmark
    public String kernels() {
        return Kernels.get().name();
    }

    @Benchmark
    public FloatMatrix softmax() {
        Activation.SOFTMAX.apply(logits, out);
        return out;
    }

    @Benchmark
    public FloatMatrix logSoftmax() {
        Activation.LOG_SOFTMAX.apply(logits, out);
        return out;
    }

    @Benchmark
    public FloatMatrix sigmoid() {
        Activation.SIGMOID.apply(logits, out);
        return out;
    }

    @Benchmark
    public int[] top5() {
        TopK.into(logits, 5, top, topValues);
        return top;
    }

    @Benchmark
    public double crossEntropyFromLogits() {
        return crossEntropy.compute(logits, targets);
    }

    @Benchmark
    public double bceWithLogits() {
        return bceWithLogits.compute(multiLogits, multiTargets);
    }

    // The same workloads on two threads (parallelism(2)), against PyTorch on two threads.

    @Benchmark
    public FloatMatrix softmax2Threads() {
        Activation.SOFTMAX.apply(logits, out, 1.0, 2);
        return out;
    }

    @Benchmark
    public FloatMatrix logSoftmax2Threads() {
        Activation.LOG_SOFTMAX.apply(logits, out, 1.0, 2);
        return out;
    }

    @Benchmark
    public FloatMatrix sigmoid2Threads() {
        Activation.SIGMOID.apply(logits, out, 1.0, 2);
        return out;
    }

    @Benchmark
    public int[] top52Threads() {
        TopK.into(logits, 5, top, topValues, 2);
        return top;
    }

    @Benchmark
    public double crossEntropyFromLogits2Threads() {
        return crossEntropy2.compute(logits, targets);
    }

    @Benchmark
    public double bceWithLogits2Threads() {
        return bceWithLogits2.compute(multiLogits, multiTargets);
    }

    /** The memory floor: copying the same 16 MB. */
    @Benchmark
    public void arraycopy(Blackhole bh) {
        System.arraycopy(logits.array(), 0, copy, 0, copy.length);
        bh.consume(copy);
    }
}
