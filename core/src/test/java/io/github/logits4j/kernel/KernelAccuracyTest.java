package io.github.logits4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The error bounds the kernels' javadoc states, measured against {@link Math} in double on four million arguments per
 * function, the special values PyTorch defines, and results that do not change while the JIT compiles the kernels.
 * Runs against the kernels the JVM picked: the build runs core's tests once on each implementation.
 */
class KernelAccuracyTest {
    private static final Kernels K = Kernels.get();
    private static final int N = 1 << 22;

    /** The largest relative error of {@code y} against {@code f(x)}, skipping references below {@code floor}. */
    private static double maxRelativeError(float[] x, float[] y, DoubleUnaryOperator f, double floor) {
        double worst = 0.0;
        for (int i = 0; i < x.length; i++) {
            double e = f.applyAsDouble(x[i]);
            if (Math.abs(e) >= floor) {
                worst = Math.max(worst, Math.abs(y[i] - e) / Math.abs(e));
            }
        }
        return worst;
    }

    private static float[] uniform(long seed, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = (float) (lo + r.nextDouble() * (hi - lo));
        }
        return x;
    }

    @Test
    void expWithinTwoTenthsOfAMillionthRelative() {
        float[] x = uniform(1, -87.3, 88.7);
        float[] y = new float[N];
        K.exp(x, 0, y, 0, N);
        double err = maxRelativeError(x, y, Math::exp, Float.MIN_NORMAL);
        assertTrue(err < 2e-7, K.name() + " exp: relative error " + err);
    }

    @Test
    void sigmoidAndLogSigmoidWithinTheirBounds() {
        float[] x = uniform(2, -40, 40);
        float[] y = new float[N];
        K.sigmoid(x, 0, y, 0, N, 1.0);
        double err = maxRelativeError(x, y, v -> 1.0 / (1.0 + Math.exp(-v)), 0.0);
        assertTrue(err < 3e-7, K.name() + " sigmoid: relative error " + err);
        K.logSigmoid(x, 0, y, 0, N, 1.0);
        err = maxRelativeError(x, y, Kernels::logSigmoid, 0.0);
        assertTrue(err < 4e-7, K.name() + " logsigmoid: relative error " + err);
    }

    @Test
    void softmaxAndLogSumExpOfWideRowsWithinBounds() {
        int cols = 1000;
        float[] x = uniform(3, -30, 30);
        float[] y = new float[N];
        double worst = 0.0;
        double worstLse = 0.0;
        for (int off = 0; off + cols <= N; off += cols) {
            K.softmax(x, off, y, off, cols, 1.0);
            double lse = Kernels.scalar().logSumExp(x, off, cols, 1.0);
            worstLse = Math.max(worstLse, Math.abs(K.logSumExp(x, off, cols, 1.0) - lse) / Math.abs(lse));
            float m = Kernels.scalar().max(x, off, cols);
            for (int c = off; c < off + cols; c++) {
                double p = Math.exp(x[c] - lse);
                if (p >= Float.MIN_NORMAL) {
                    // x - max in float (as PyTorch's float32 softmax) adds half an ulp of |x - max| to the argument
                    double allowed = 5e-7 + Math.abs(x[c] - (double) m) * 0x1p-24;
                    worst = Math.max(worst, Math.abs(y[c] - p) / p / allowed);
                }
            }
        }
        assertTrue(worst < 1.0, K.name() + " softmax: relative error " + worst + " of the bound");
        assertTrue(worstLse < 1e-7, K.name() + " logsumexp: relative error " + worstLse);
    }

    @Test
    void specialValuesFollowPyTorch() {
        int n = 40;                                 // wider than a vector, so the vector code runs
        float[] x = new float[n];
        java.util.Arrays.fill(x, 1f);
        float[] special = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, -1000f, 1000f, 88.7f, 89f,
            -87.5f, -0f, 0f, -104f};
        System.arraycopy(special, 0, x, 0, special.length);
        float[] y = new float[n];
        K.exp(x, 0, y, 0, n);
        assertEquals(0f, y[0]);
        assertEquals(Float.POSITIVE_INFINITY, y[1]);
        assertTrue(Float.isNaN(y[2]));
        assertEquals(0f, y[3]);
        assertEquals(Float.POSITIVE_INFINITY, y[4]);
        assertEquals(Math.exp(88.7f), y[5], Math.exp(88.7f) * 2e-7);
        assertEquals(Float.POSITIVE_INFINITY, y[6]);
        assertEquals(Math.exp(-87.5f), y[7], Math.exp(-87.5f) * 2e-7);
        assertEquals(1f, y[8]);
        assertEquals(1f, y[9]);
        assertEquals(0f, y[10]);                    // a subnormal result
        K.sigmoid(x, 0, y, 0, n, 1.0);
        assertEquals(0f, y[0]);
        assertEquals(1f, y[1]);
        assertTrue(Float.isNaN(y[2]));
        assertEquals(0f, y[3]);
        assertEquals(1f, y[4]);
        K.logSigmoid(x, 0, y, 0, n, 1.0);
        assertEquals(Float.NEGATIVE_INFINITY, y[0]);
        assertEquals(0f, y[1]);
        assertTrue(Float.isNaN(y[2]));
        assertEquals(-1000f, y[3]);
        assertEquals(0f, y[4]);
        float[] row = new float[n];
        java.util.Arrays.fill(row, Float.NEGATIVE_INFINITY);
        row[5] = 2f;
        row[n - 1] = 2f;
        K.softmax(row, 0, y, 0, n, 1.0);
        for (int c = 0; c < n; c++) {
            assertEquals(c == 5 || c == n - 1 ? 0.5f : 0f, y[c], "softmax with -inf masks, column " + c);
        }
    }

    @Test
    void resultsDoNotChangeWhileTheJitCompiles() {
        int cols = 1003;                            // not a multiple of any vector length: the row end is exercised
        float[] x = uniform(4, -20, 20);
        float[][] first = new float[4][cols];
        float[] y = new float[cols];
        double firstLse = 0.0;
        for (int round = 0; round < 3000; round++) {
            int off = 7 * cols;
            for (int f = 0; f < 4; f++) {
                switch (f) {
                    case 0 -> K.softmax(x, off, y, 0, cols, 0.7);
                    case 1 -> K.sigmoid(x, off, y, 0, cols, 1.0);
                    case 2 -> K.logSigmoid(x, off, y, 0, cols, 1.0);
                    default -> K.exp(x, off, y, 0, cols);
                }
                if (round == 0) {
                    first[f] = y.clone();
                } else if (round % 500 == 0 || round == 2999) {
                    assertArrayEquals(first[f], y, K.name() + " function " + f + " changed at round " + round);
                }
            }
            double lse = K.logSumExp(x, off, cols, 1.0);
            if (round == 0) {
                firstLse = lse;
            }
            assertEquals(firstLse, lse, 0.0, K.name() + " logsumexp changed at round " + round);
        }
    }
}
