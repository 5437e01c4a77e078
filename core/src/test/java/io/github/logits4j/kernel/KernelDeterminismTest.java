package io.github.logits4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * One number on every path: the kernels the JVM picked (the build runs core's tests with the scalar kernels and with
 * the vector kernels at 128, 256 and 512 bits) give the same results bit for bit as the scalar kernels, for every row
 * length from 1 to 300 and longer rows past several fold points, at offsets, in place, with temperatures and with
 * infinities; and they allocate nothing per row once compiled.
 */
class KernelDeterminismTest {
    private static final Kernels K = Kernels.get();
    private static final Kernels SCALAR = Kernels.scalar();

    @Test
    void theWidthAskedForIsTheWidthUsed() {
        String requested = System.getProperty("logits4j.vectorBits", "");
        if (!requested.isEmpty()) {
            assertEquals("vector", K.name());
            assertEquals(Integer.parseInt(requested), K.vectorBits());
        }
        if (K.name().equals("scalar")) {
            assertEquals(0, K.vectorBits());
        }
    }

    /** Rows of 1 .. 300 and a few thousand elements, each kernel, compared bit for bit; twice, so compiled code is too. */
    @Test
    void everyKernelEqualsTheScalarKernelsBitForBit() {
        for (int round = 0; round < 2; round++) {
            SplittableRandom random = new SplittableRandom(20 + round);
            for (int n = 1; n <= 4200; n += n < 300 ? 1 : 389) {
                for (int kind = 0; kind < 4; kind++) {
                    compareRow(random, n, kind);
                }
            }
        }
    }

    private static void compareRow(SplittableRandom random, int n, int kind) {
        float[] x = new float[n + 7];
        float[] y = new float[n + 7];
        double scale = kind == 2 ? 40.0 : 3.0;
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * scale);
            y[i] = random.nextBoolean() ? random.nextInt(2) : (float) random.nextDouble();
        }
        if (kind == 1) {
            x[3 + random.nextInt(n)] = Float.NEGATIVE_INFINITY;     // a -inf logit: probability 0
        }
        if (kind == 3) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (random.nextDouble() * 1e-3);         // near-ties: every exponential about 1
            }
        }
        String where = K.name() + " " + K.vectorBits() + "-bit, n = " + n + ", kind " + kind;
        double invT = kind == 0 ? 1.0 : 1.0 / 1.7;
        float[] expected = new float[n + 9];
        float[] actual = new float[n + 9];
        for (int op = 0; op < 5; op++) {
            Arrays.fill(expected, 0.25f);
            Arrays.fill(actual, 0.25f);
            switch (op) {
                case 0 -> {
                    SCALAR.softmax(x, 3, expected, 2, n, invT);
                    K.softmax(x, 3, actual, 2, n, invT);
                }
                case 1 -> {
                    SCALAR.logSoftmax(x, 3, expected, 2, n, invT);
                    K.logSoftmax(x, 3, actual, 2, n, invT);
                }
                case 2 -> {
                    SCALAR.sigmoid(x, 3, expected, 2, n, invT);
                    K.sigmoid(x, 3, actual, 2, n, invT);
                }
                case 3 -> {
                    SCALAR.logSigmoid(x, 3, expected, 2, n, invT);
                    K.logSigmoid(x, 3, actual, 2, n, invT);
                }
                default -> {
                    SCALAR.exp(x, 3, expected, 2, n);
                    K.exp(x, 3, actual, 2, n);
                }
            }
            if (!Arrays.equals(expected, actual)) {
                int i = Arrays.mismatch(expected, actual);
                fail(where + ", op " + op + ": element " + (i - 2) + " is " + actual[i] + ", scalar " + expected[i]);
            }
        }
        float m = SCALAR.max(x, 3, n);
        assertEquals(Float.floatToIntBits(m), Float.floatToIntBits(K.max(x, 3, n)), where + " max");
        same(SCALAR.logSumExpShifted(x, 3, n, m, invT), K.logSumExpShifted(x, 3, n, m, invT), where + " logSumExp");
        same(SCALAR.bceWithLogitsSum(x, 1, y, 4, n), K.bceWithLogitsSum(x, 1, y, 4, n), where + " bce");
        float[] inPlaceScalar = Arrays.copyOf(x, x.length);
        float[] inPlace = Arrays.copyOf(x, x.length);
        SCALAR.softmax(inPlaceScalar, 1, inPlaceScalar, 1, n, invT);
        K.softmax(inPlace, 1, inPlace, 1, n, invT);
        assertTrue(Arrays.equals(inPlaceScalar, inPlace), where + " softmax in place");
        SCALAR.sigmoid(inPlaceScalar, 2, inPlaceScalar, 2, n, 1.0);
        K.sigmoid(inPlace, 2, inPlace, 2, n, 1.0);
        assertTrue(Arrays.equals(inPlaceScalar, inPlace), where + " sigmoid in place");
        compareArgmaxTile(random, n, kind, where);
    }

    /** The dense argmax of n positions over 1 to 25 class-first classes: maxima, classes and the finite flag. */
    private static void compareArgmaxTile(SplittableRandom random, int n, int kind, String where) {
        int classes = 1 + random.nextInt(25);
        int stride = n + random.nextInt(3);
        float[] x = new float[2 + classes * stride];
        for (int i = 0; i < x.length; i++) {
            x[i] = kind == 3 ? random.nextInt(3) : (float) random.nextGaussian();   // kind 3: ties everywhere
        }
        if (kind == 1) {
            x[2 + random.nextInt(classes) * stride + random.nextInt(n)] = Float.NaN;
        }
        if (kind == 2) {
            x[2 + random.nextInt(classes) * stride + random.nextInt(n)] = Float.POSITIVE_INFINITY;
        }
        float[] best = new float[n];
        float[] bestClass = new float[n];
        float[] vBest = new float[n];
        float[] vClass = new float[n];
        boolean finite = SCALAR.argmaxTile(x, 2, stride, classes, best, bestClass, n);
        assertEquals(finite, K.argmaxTile(x, 2, stride, classes, vBest, vClass, n), where + " argmax finite");
        assertEquals(kind != 1 && kind != 2, finite, where + " argmax finite flag");
        for (int t = 0; t < n; t++) {
            assertEquals(Float.floatToIntBits(best[t]), Float.floatToIntBits(vBest[t]), where + " argmax max " + t);
            assertEquals(bestClass[t], vClass[t], where + " argmax class " + t);
        }
        // the dense log-sum-exp's steps: maxima, shifted exponentials added into lanes, the lanes' tree
        float[] max = new float[n];
        float[] vMax = new float[n];
        SCALAR.maxTile(x, 2, stride, classes, max, n);
        K.maxTile(x, 2, stride, classes, vMax, n);
        assertTrue(Arrays.equals(max, vMax), where + " maxTile");
        float[] lanes = new float[16 * stride];
        float[] vLanes = new float[16 * stride];
        for (int c = 0; c < classes; c++) {
            SCALAR.expShiftedAdd(x, 2 + c * stride, max, lanes, (c % 16) * stride, n);
            K.expShiftedAdd(x, 2 + c * stride, max, vLanes, (c % 16) * stride, n);
        }
        assertTrue(Arrays.equals(lanes, vLanes), where + " expShiftedAdd");
        float[] tree = new float[n];
        float[] vTree = new float[n];
        SCALAR.treeLanes(lanes, stride, tree, n);
        K.treeLanes(lanes, stride, vTree, n);
        assertTrue(Arrays.equals(tree, vTree), where + " treeLanes");
    }

    private static void same(double expected, double actual, String where) {
        if (Double.compare(expected, actual) != 0) {
            fail(where + ": " + actual + ", scalar " + expected);
        }
    }

    /** The kernels whose allocation is measured, one a loop, so that each loop is a small method of its own. */
    private static final String[] MEASURED = {"softmax", "logSoftmax", "sigmoid", "logSigmoid", "exp",
        "bceWithLogitsSum", "max and logSumExpShifted", "argmaxTile", "maxTile", "expShiftedAdd", "treeLanes"};

    /** {@code calls} calls of one kernel on rows of {@code n} (the dense ones: 4 classes of n / 4 positions). */
    @FunctionalInterface
    private interface Loop {
        double run(int calls, float[] x, float[] y, float[] z, float[] w, int n);
    }

    /**
     * The loops, one method each, called through an interface that sees eleven targets: the JIT compiles each on its
     * own and inlines none into the measuring loop (one method holding every loop outgrew C2's inlining budget, and
     * boxed vectors that no kernel boxes on its own).
     */
    private static final Loop[] LOOPS = {
        KernelDeterminismTest::softmaxLoop, KernelDeterminismTest::logSoftmaxLoop, KernelDeterminismTest::sigmoidLoop,
        KernelDeterminismTest::logSigmoidLoop, KernelDeterminismTest::expLoop, KernelDeterminismTest::bceLoop,
        KernelDeterminismTest::logSumExpLoop, KernelDeterminismTest::argmaxTileLoop, KernelDeterminismTest::maxTileLoop,
        KernelDeterminismTest::expShiftedAddLoop, KernelDeterminismTest::treeLanesLoop};

    private static double softmaxLoop(int calls, float[] x, float[] y, float[] z, float[] w, int n) {
        for (int c = 0; c < calls; c++) {
            K.softmax(x, 1, z, 0, n, 1.0);
        }
        return z[0];
    }

    private static double logSoftmaxLoop(int calls, float[] x, float[] y, float[] z, float[] w, int n) {
        for (int c = 0; c < calls; c++) {
            K.logSoftmax(x, 1, z, 0, n, 0.5);
        }
        return z[0];
    }

    private static double sigmoidLoop(int calls, float[] x, float[] y, float[] z, float[] w, int n) {
        for (int c = 0; c < calls; c++) {
            K.sigmoid(x, 1, z, 0, n, 1.0);
        }
        return z[0];
    }

    private static double logSigmoidLoop(int calls, float[] x, float[] y, float[] z, float[] w, int n) {
        for (int c = 0; c < calls; c++) {
            K.logSigmoid(x, 1, z, 0, n, 1.0);
        }
        return z[0];
    }

    private static double expLoop(int calls, float[] x, float[] y, float[] z, float[] w, int n) {
        for (int c = 0; c < calls; c++) {
            K.exp(x, 1, z, 0, n);
        }
        return z[0];
    }

    private static double bceLoop(int calls, float[] x, float[] y, float[] z, float[] w, int n) {
        double sink = 0.0;
        for (int c = 0; c < calls; c++) {
            sink += K.bceWithLogitsSum(x, 1, y, 0, n);
        }
        return sink;
    }

    private static double logSumExpLoop(int calls, float[] x, float[] y, float[] z, float[] w, int n) {
        double sink = 0.0;
        for (int c = 0; c < calls; c++) {
            sink += K.logSumExpShifted(x, 1, n, K.max(x, 1, n), 1.0);
        }
        return sink;
    }

    private static double argmaxTileLoop(int calls, float[] x, float[] y, float[] z, float[] w, int n) {
        double sink = 0.0;
        for (int c = 0; c < calls; c++) {
            sink += K.argmaxTile(x, 1, n / 4, 4, z, w, n / 4) ? 1 : 0;
        }
        return sink;
    }

    private static double maxTileLoop(int calls, float[] x, float[] y, float[] z, float[] w, int n) {
        for (int c = 0; c < calls; c++) {
            K.maxTile(x, 1, n / 4, 4, z, n / 4);
        }
        return z[0];
    }

    private static double expShiftedAddLoop(int calls, float[] x, float[] y, float[] z, float[] w, int n) {
        for (int c = 0; c < calls; c++) {
            K.expShiftedAdd(x, 1, z, w, 0, n / 4);
        }
        return w[0];
    }

    private static double treeLanesLoop(int calls, float[] x, float[] y, float[] z, float[] w, int n) {
        for (int c = 0; c < calls; c++) {
            K.treeLanes(x, n / 16, w, n / 16);
        }
        return w[0];
    }

    /**
     * Once compiled, no kernel allocates, at any row length (the JIT boxing vectors would show here): each kernel
     * measured on its own, after whatever the tests before it ran in this JVM.
     */
    @Test
    void noKernelAllocatesPerRow() throws ReflectiveOperationException {
        // through reflection: core's module does not read java.management, and its tests compile inside it
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                .invoke(null);
        Class<?> type;
        try {
            type = Class.forName("com.sun.management.ThreadMXBean");
        } catch (ClassNotFoundException e) {
            type = null;
        }
        assumeTrue(type != null && type.isInstance(bean), "per-thread allocation is not measurable on this JVM");
        Method allocated = type.getMethod("getThreadAllocatedBytes", long.class);
        long id = Thread.currentThread().getId();
        int[] lengths = {1, 3, 4, 7, 8, 10, 15, 16, 17, 31, 33, 64, 100, 1000, 1030, 4096};
        float[] x = new float[4096 + 16];
        float[] y = new float[4096 + 16];
        float[] z = new float[4096 + 16];
        float[] w = new float[4096 + 16];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
            y[i] = random.nextInt(2);
        }
        double sink = 0.0;
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (int n : lengths) {
            int calls = Math.max(200, 400_000 / n);
            for (int op = 0; op < MEASURED.length; op++) {
                long bytes = Long.MAX_VALUE;
                // less than a byte per row: the measurement's own boxed results are a few dozen bytes a window
                while (bytes >= calls) {
                    long before = (long) allocated.invoke(bean, id);
                    sink += LOOPS[op].run(calls, x, y, z, w, n);
                    bytes = (long) allocated.invoke(bean, id) - before;
                    if (bytes >= calls && System.nanoTime() > deadline) {
                        fail(K.name() + " " + K.vectorBits() + "-bit " + MEASURED[op] + " still allocates " + bytes
                                + " bytes per " + calls + " rows of " + n + " after 30 s of warm-up");
                    }
                }
            }
        }
        assertTrue(Double.isFinite(sink));
    }
}
