package io.github.logits4j.benchmarks;

import io.github.logits4j.kernel.Kernels;
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
 * No cliff: each kernel over 65,536 floats cut into rows of {@code n}, through the kernels the JVM picked
 * ({@code path=vector}: start the fork with {@code -Dlogits4j.vectorBits=128|256|512}) and through the scalar kernels
 * ({@code path=scalar}) in the same JVM, so that the two can be compared per row length and width. The vector
 * kernels send rows below their measured break-even points to the scalar code (the results are the same bit for bit
 * either way), so {@code vector} should never be slower than {@code scalar}.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar RowLengthBenchmarks -jvmArgsAppend -Dlogits4j.vectorBits=256
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class RowLengthBenchmarks {
    static final int ELEMENTS = 1 << 16;

    @Param({"1", "4", "7", "8", "10", "15", "16", "17", "24", "31", "32", "33", "48", "64", "100", "256", "1000",
            "4096"})
    public int n;

    @Param({"scalar", "vector"})
    public String path;

    private Kernels k;
    private float[] x;
    private float[] y;
    private float[] out;
    private int rows;

    @Setup
    public void setUp() {
        k = path.equals("scalar") ? Kernels.scalar() : Kernels.get();
        Random r = new Random(42);
        rows = ELEMENTS / n;
        x = new float[rows * n];
        y = new float[rows * n];
        out = new float[rows * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 3);
            y[i] = r.nextBoolean() ? 1f : 0f;
        }
    }

    @Benchmark
    public float[] softmax() {
        for (int r = 0, o = 0; r < rows; r++, o += n) {
            k.softmax(x, o, out, o, n, 1.0);
        }
        return out;
    }

    @Benchmark
    public float[] logSoftmax() {
        for (int r = 0, o = 0; r < rows; r++, o += n) {
            k.logSoftmax(x, o, out, o, n, 1.0);
        }
        return out;
    }

    @Benchmark
    public float[] sigmoid() {
        for (int r = 0, o = 0; r < rows; r++, o += n) {
            k.sigmoid(x, o, out, o, n, 1.0);
        }
        return out;
    }

    @Benchmark
    public float[] exp() {
        for (int r = 0, o = 0; r < rows; r++, o += n) {
            k.exp(x, o, out, o, n);
        }
        return out;
    }

    @Benchmark
    public double bceWithLogits() {
        double sum = 0.0;
        for (int r = 0, o = 0; r < rows; r++, o += n) {
            sum += k.bceWithLogitsSum(x, o, y, o, n);
        }
        return sum;
    }

    @Benchmark
    public double logSumExp() {
        double sum = 0.0;
        for (int r = 0, o = 0; r < rows; r++, o += n) {
            sum += k.logSumExpShifted(x, o, n, k.max(x, o, n), 1.0);
        }
        return sum;
    }
}
