package io.github.logits4j.property;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;
import io.github.logits4j.activation.Activation;
import io.github.logits4j.decision.TopK;
import io.github.logits4j.kernel.Parallel;
import io.github.logits4j.loss.BinaryCrossEntropyLoss;
import io.github.logits4j.loss.CrossEntropyLoss;
import io.github.logits4j.loss.Reduction;
import io.github.logits4j.metrics.MulticlassMetrics;
import io.github.logits4j.metrics.MultilabelMetrics;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code parallelism(n)} gives one thread's results bit for bit (activations, losses, top-k, the exact rank metrics),
 * on matrices large enough to be split, from arrays and from buffers, and reports the error a single thread meets
 * first.
 */
class ParallelismTest {
    private static final int ROWS = 3001;                 // not a multiple of any range count
    private static final int COLS = 97;

    private static float[] gaussian(long seed, int n, double scale) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * scale);
        }
        return x;
    }

    private static FloatMatrix direct(float[] x, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocateDirect(x.length * 4).order(ByteOrder.nativeOrder());
        b.asFloatBuffer().put(x);
        return FloatMatrix.wrap(b.asFloatBuffer(), rows, cols);
    }

    @Test
    void activationsEqualOneThreadFromArraysAndBuffers() {
        float[] x = gaussian(1, ROWS * COLS, 4);
        for (Activation a : Activation.values()) {
            double t = a == Activation.EXP || a == Activation.NONE ? 1.0 : 0.7;
            FloatMatrix one = FloatMatrix.allocate(ROWS, COLS);
            a.apply(FloatMatrix.wrap(x, ROWS, COLS), one, t);
            for (int threads : new int[] {2, 3, 8}) {
                FloatMatrix many = FloatMatrix.allocate(ROWS, COLS);
                a.apply(FloatMatrix.wrap(x, ROWS, COLS), many, t, threads);
                assertArrayEquals(one.toArray(), many.toArray(), a + " on " + threads + " threads");
                FloatMatrix buffer = direct(new float[x.length], ROWS, COLS);
                a.apply(direct(x, ROWS, COLS), buffer, t, threads);
                assertArrayEquals(one.toArray(), buffer.toArray(), a + " on " + threads + " threads, buffers");
            }
        }
    }

    @Test
    void lossesEqualOneThreadAndNameTheFirstBadRow() {
        float[] x = gaussian(2, ROWS * COLS, 3);
        int[] t = new int[ROWS];
        Random r = new Random(3);
        for (int i = 0; i < ROWS; i++) {
            t[i] = i % 17 == 0 ? -100 : r.nextInt(COLS);
        }
        FloatMatrix m = FloatMatrix.wrap(x, ROWS, COLS);
        for (double smoothing : new double[] {0.0, 0.1}) {
            CrossEntropyLoss one = CrossEntropyLoss.builder().labelSmoothing(smoothing).build();
            CrossEntropyLoss many = CrossEntropyLoss.builder().labelSmoothing(smoothing).parallelism(3).build();
            assertEquals(one.compute(m, t), many.compute(m, t), 0.0, "cross-entropy, smoothing " + smoothing);
            assertArrayEquals(one.computeEach(m, t), many.computeEach(m, t), 0.0);
        }
        float[] y = new float[ROWS * COLS];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextBoolean() ? 1f : 0f;
        }
        FloatMatrix ym = FloatMatrix.wrap(y, ROWS, COLS);
        for (Reduction red : new Reduction[] {Reduction.MEAN, Reduction.SUM}) {
            BinaryCrossEntropyLoss one = BinaryCrossEntropyLoss.builder().input(OutputKind.LOGITS).reduction(red)
                    .build();
            BinaryCrossEntropyLoss many = BinaryCrossEntropyLoss.builder().input(OutputKind.LOGITS).reduction(red)
                    .parallelism(4).build();
            assertEquals(one.compute(m, ym), many.compute(m, ym), 0.0, "BCE " + red);
            assertEquals(one.compute(direct(x, ROWS, COLS), ym), many.compute(direct(x, ROWS, COLS), ym), 0.0);
        }
        float[] bad = x.clone();
        bad[(ROWS - 10) * COLS + 5] = Float.NaN;          // in the last range
        bad[1500 * COLS + 2] = Float.NaN;                 // in a middle range: the one a single thread meets first
        int[] top = new int[ROWS * 5];
        IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class,
                () -> TopK.into(FloatMatrix.wrap(bad, ROWS, COLS), 5, top, null));
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                () -> TopK.into(FloatMatrix.wrap(bad, ROWS, COLS), 5, top, null, 3));
        assertEquals(e1.getMessage(), e3.getMessage());
    }

    @Test
    void topKEqualsOneThread() {
        float[] x = gaussian(4, ROWS * COLS, 1);
        for (int i = 0; i < x.length; i += 7) {
            x[i] = 0.5f;                                  // ties
        }
        int[] one = new int[ROWS * 5];
        float[] oneValues = new float[ROWS * 5];
        TopK.into(FloatMatrix.wrap(x, ROWS, COLS), 5, one, oneValues);
        int[] many = new int[ROWS * 5];
        float[] manyValues = new float[ROWS * 5];
        TopK.into(FloatMatrix.wrap(x, ROWS, COLS), 5, many, manyValues, 4);
        assertArrayEquals(one, many);
        assertArrayEquals(oneValues, manyValues);
    }

    @Test
    void exactRankMetricsEqualOneThread() {
        int rows = 20_000;
        int classes = 7;
        float[] p = gaussian(5, rows * classes, 1);
        int[] y = new int[rows];
        Random r = new Random(6);
        for (int i = 0; i < rows; i++) {
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                p[i * classes + c] = (float) Math.exp(Math.round(p[i * classes + c] * 8) / 8.0);   // ties
                sum += p[i * classes + c];
            }
            for (int c = 0; c < classes; c++) {
                p[i * classes + c] = (float) (p[i * classes + c] / sum);
            }
            y[i] = r.nextInt(classes);
        }
        FloatMatrix m = FloatMatrix.wrap(p, rows, classes);
        MulticlassMetrics one = MulticlassMetrics.builder(classes).build();
        MulticlassMetrics many = MulticlassMetrics.builder(classes).parallelism(3).build();
        one.update(m, y);
        many.update(m, y);
        assertEquals(one.result().toMap().toString(), many.result().toMap().toString());

        float[] labels = new float[rows * classes];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(3) == 0 ? 1f : 0f;
        }
        MultilabelMetrics oneL = MultilabelMetrics.builder(classes).build();
        MultilabelMetrics manyL = MultilabelMetrics.builder(classes).parallelism(2).build();
        oneL.update(m, FloatMatrix.wrap(labels, rows, classes));
        manyL.update(m, FloatMatrix.wrap(labels, rows, classes));
        assertEquals(oneL.result().toMap().toString(), manyL.result().toMap().toString());
    }

    @Test
    void parallelismBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CrossEntropyLoss.builder().parallelism(0));
        assertEquals("parallelism is 0; expected at least 1 (1 runs on the calling thread only)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Parallel.check(-2));
        assertThrows(IllegalArgumentException.class,
                () -> Activation.SOFTMAX.apply(FloatMatrix.allocate(2, 2), FloatMatrix.allocate(2, 2), 1.0, 0));
    }
}
