package io.github.logits4j.benchmarks;

import io.github.logits4j.DenseScores;
import io.github.logits4j.loss.CrossEntropyLoss;
import io.github.logits4j.metrics.DenseMetrics;
import java.util.SplittableRandom;
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

/**
 * Dense outputs on one core (issue 25): one DeepLabV3-sized image, {@code [1, 21, 520, 520]} float32 logits (22.7 MB)
 * and its 520 x 520 labels (VOC's 255 on 5 % of the pixels): the fused argmax-and-confusion pass of
 * {@link DenseMetrics#update} (target: under 5 ms, within 2x of the copy floor), {@code System.arraycopy} of the same
 * bytes (the floor), and cross-entropy over the image (beside {@code benchmarks/dense_compare.py}'s PyTorch line).
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar DenseBenchmarks -f 1 -wi 3 -i 5
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class DenseBenchmarks {
    static final int CLASSES = 21;
    static final int SIDE = 520;

    private float[] logits;
    private float[] copy;
    private DenseScores image;
    private int[] labels;
    private DenseMetrics metrics;
    private CrossEntropyLoss loss;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(25);
        int p = SIDE * SIDE;
        logits = new float[CLASSES * p];
        labels = new int[p];
        for (int q = 0; q < p; q++) {
            int hot = rnd.nextInt(CLASSES);
            labels[q] = rnd.nextInt(20) == 0 ? 255 : (rnd.nextInt(10) < 8 ? hot : rnd.nextInt(CLASSES));
            for (int c = 0; c < CLASSES; c++) {
                logits[c * p + q] = (float) rnd.nextGaussian() + (c == hot ? 4f : 0f);
            }
        }
        copy = new float[logits.length];
        image = DenseScores.wrap(logits, DenseScores.ClassAxis.FIRST, 1, CLASSES, SIDE, SIDE);
        metrics = DenseMetrics.builder(CLASSES).ignoreIndex(255).build();
        loss = CrossEntropyLoss.builder().ignoreIndex(255).build();
    }

    /** Argmax along the class axis and the confusion update, fused, no softmax. */
    @Benchmark
    public DenseMetrics argmaxAndConfusion() {
        metrics.update(image, labels);
        return metrics;
    }

    /** The memory floor: copying the image's bytes once. */
    @Benchmark
    public float[] copyFloor() {
        System.arraycopy(logits, 0, copy, 0, logits.length);
        return copy;
    }

    /** Cross-entropy over the image's labelled pixels (mean). */
    @Benchmark
    public double crossEntropy() {
        return loss.compute(image, labels);
    }
}
