package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.activation.Activation;
import io.github.logits4j.loss.CrossEntropyLoss;
import io.github.logits4j.metrics.DenseMetrics;
import io.github.logits4j.metrics.DenseReport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Dense scores: shapes and their refusals, positions and strides of both class axes, gather and scatter, the same
 * numbers from an array and from a direct buffer (read in place), and the metrics' refusals (labels out of range, NaN
 * scores, the ignore index a class) naming sample and position, with nothing counted.
 */
class DenseScoresTest {
    private static float[] random(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    @Test
    void shapesAndStrides() {
        DenseScores first = DenseScores.wrap(new float[2 * 3 * 4 * 5], DenseScores.ClassAxis.FIRST, 2, 3, 4, 5);
        assertEquals(3, first.classes());
        assertEquals(20, first.positions());
        assertEquals(40, first.rows());
        assertEquals(20, first.classStride());
        assertEquals(1, first.positionStride());
        assertArrayEquals(new long[] {4, 5}, first.dims());
        assertArrayEquals(new long[] {2, 3, 4, 5}, first.shape());
        DenseScores last = DenseScores.wrap(new float[2 * 7 * 9], DenseScores.ClassAxis.LAST, 2, 7, 9);
        assertEquals(9, last.classes());
        assertEquals(7, last.positions());
        assertEquals(1, last.classStride());
        assertEquals(9, last.positionStride());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DenseScores.wrap(new float[6], DenseScores.ClassAxis.FIRST, 2, 3));
        assertTrue(e.getMessage().contains("FloatMatrix"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> DenseScores.wrap(new float[10], DenseScores.ClassAxis.FIRST, 1, 2, 4));
        assertThrows(IllegalArgumentException.class,
                () -> DenseScores.wrap(new float[0], DenseScores.ClassAxis.LAST, 1, 0, 3));
    }

    @Test
    void gatherAndScatterAreInverseAndTheBufferIsReadInPlace() {
        float[] x = random(2 * 5 * 37, 3);
        DenseScores a = DenseScores.wrap(x.clone(), DenseScores.ClassAxis.FIRST, 2, 5, 37);
        FloatBuffer direct = ByteBuffer.allocateDirect(x.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        direct.put(x).flip();
        DenseScores b = DenseScores.wrap(direct, DenseScores.ClassAxis.FIRST, 2, 5, 37);
        float[] rowsA = new float[10 * 5];
        float[] rowsB = new float[10 * 5];
        a.gather(1, 20, 10, rowsA);
        b.gather(1, 20, 10, rowsB);
        assertArrayEquals(rowsA, rowsB);
        for (int t = 0; t < 10; t++) {
            for (int c = 0; c < 5; c++) {
                assertEquals(x[37 * 5 + c * 37 + 20 + t], rowsA[t * 5 + c]);
            }
        }
        // heads and losses: the same numbers from the array and from the buffer
        Activation.SOFTMAX.apply(a, a, 1.0);
        Activation.SOFTMAX.apply(b, b, 1.0);
        float[] fromBuffer = new float[x.length];
        direct.get(0, fromBuffer);
        assertArrayEquals(a.sampleMatrix().toArray(), fromBuffer);
        int[] labels = new int[2 * 37];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 7 == 0 ? -100 : i % 5;
        }
        DenseScores logitsA = DenseScores.wrap(x.clone(), DenseScores.ClassAxis.FIRST, 2, 5, 37);
        direct.put(0, x);
        assertEquals(CrossEntropyLoss.ofLogits().compute(logitsA, labels), CrossEntropyLoss.ofLogits().compute(b,
                labels));
        DenseMetrics ma = DenseMetrics.builder(5).build();
        DenseMetrics mb = DenseMetrics.builder(5).build();
        ma.update(logitsA, labels);
        mb.update(b, labels);
        assertArrayEquals(ma.result().confusionMatrix(), mb.result().confusionMatrix());
        assertEquals(2 * 37 - 11, ma.result().positions());
        assertEquals(11, ma.result().ignoredPositions());
    }

    /**
     * Class-first cross-entropy (log-sum-exps of a tile of positions at once) equals, bit for bit, the loss of each
     * position's row as a FloatMatrix row, for class counts below, at and above one canonical block of 16 and past a
     * fold of 1,024, with weights, smoothing, ignored positions, an infinite and a NaN logit.
     */
    @Test
    void classFirstCrossEntropyIsEachRowsLossBitForBit() {
        for (int c : new int[] {3, 16, 21, 37, 1030}) {
            int n = 2;
            int p = c > 100 ? 9 : 1100;          // past one tile of 1,024 positions
            float[] x = random(n * c * p, c);
            x[5] = Float.NEGATIVE_INFINITY;
            x[c * p + 7] = Float.NaN;
            int[] y = new int[n * p];
            SplittableRandom rnd = new SplittableRandom(c);
            for (int i = 0; i < y.length; i++) {
                y[i] = rnd.nextInt(8) == 0 ? -100 : rnd.nextInt(c);
            }
            double[] w = new double[c];
            for (int k = 0; k < c; k++) {
                w[k] = 0.5 + (k % 5) * 0.25;
            }
            CrossEntropyLoss loss = CrossEntropyLoss.builder().classWeights(w).labelSmoothing(0.1).build();
            DenseScores dense = DenseScores.wrap(x, DenseScores.ClassAxis.FIRST, n, c, p);
            double[] each = loss.computeEach(dense, y);
            float[] rows = new float[n * p * c];
            float[] part = new float[p * c];
            for (int s = 0; s < n; s++) {
                dense.gather(s, 0, p, part);
                System.arraycopy(part, 0, rows, s * p * c, part.length);
            }
            double[] expected = loss.computeEach(FloatMatrix.wrap(rows, n * p, c), y);
            for (int i = 0; i < each.length; i++) {
                assertEquals(expected[i], each[i], c + " classes, position " + i);
            }
            assertEquals(loss.compute(FloatMatrix.wrap(rows, n * p, c), y), loss.compute(dense, y), c + " classes");
        }
    }

    @Test
    void theDenseArgmaxIsEachRowsArgmax() {
        float[] x = random(2 * 4 * 600, 12);
        x[5] = 10f;                                         // a tie for the maximum at sample 0, position 5:
        x[600 + 5] = 10f;                                   // class 0 wins
        DenseScores s = DenseScores.wrap(x, DenseScores.ClassAxis.FIRST, 2, 4, 600);
        int[] mask = new int[1200];
        io.github.logits4j.decision.Argmax.into(s, mask);
        float[] row = new float[4];
        for (int n = 0; n < 2; n++) {
            for (int p = 0; p < 600; p++) {
                s.gather(n, p, 1, row);
                assertEquals(io.github.logits4j.decision.Argmax.ofRow(row, 0, 4), mask[n * 600 + p]);
            }
        }
        assertEquals(0, mask[5]);
        x[600 * 4 + 2 * 600 + 7] = Float.NaN;              // sample 1, class 2, position 7
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> io.github.logits4j.decision.Argmax.into(s, mask));
        assertTrue(e.getMessage().startsWith("sample 1, position 7: score at column 2 is NaN"), e.getMessage());
    }

    @Test
    void classLastAndClassFirstCountTheSame() {
        int n = 3;
        int c = 6;
        int p = 1500;          // more than one tile of the class-first pass
        float[] first = random(n * c * p, 9);
        float[] last = new float[first.length];
        for (int s = 0; s < n; s++) {
            for (int k = 0; k < c; k++) {
                for (int q = 0; q < p; q++) {
                    last[s * c * p + q * c + k] = first[s * c * p + k * p + q];
                }
            }
        }
        int[] labels = new int[n * p];
        SplittableRandom rnd = new SplittableRandom(4);
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rnd.nextInt(10) == 0 ? 255 : rnd.nextInt(c);
        }
        DenseMetrics a = DenseMetrics.builder(c).ignoreIndex(255).build();
        DenseMetrics b = DenseMetrics.builder(c).ignoreIndex(255).build();
        a.update(DenseScores.wrap(first, DenseScores.ClassAxis.FIRST, n, c, p), labels);
        b.update(DenseScores.wrap(last, DenseScores.ClassAxis.LAST, n, p, c), labels);
        assertArrayEquals(a.result().confusionMatrix(), b.result().confusionMatrix());
        DenseMetrics merged = DenseMetrics.builder(c).ignoreIndex(255).build();
        merged.mergeBytes(a.toBytes());
        merged.merge(b);
        DenseReport r = merged.result();
        assertEquals(2 * a.result().positions(), r.positions());
        assertEquals(a.result().meanIou(), r.meanIou(), 1e-15);
    }

    @Test
    void refusalsNameTheSampleAndPositionAndCountNothing() {
        float[] x = random(2 * 3 * 10, 5);
        DenseScores s = DenseScores.wrap(x, DenseScores.ClassAxis.FIRST, 2, 3, 10);
        DenseMetrics m = DenseMetrics.builder(3).build();
        int[] labels = new int[20];
        labels[13] = 7;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.update(s, labels));
        assertTrue(e.getMessage().contains("sample 1, position 3 is 7"), e.getMessage());
        labels[13] = 0;
        x[10 + 4] = Float.NaN;                      // sample 0, class 1, position 4: never the maximum
        e = assertThrows(IllegalArgumentException.class, () -> m.update(s, labels));
        assertTrue(e.getMessage().contains("sample 0, position 4, class 1 is NaN"), e.getMessage());
        assertEquals(0, m.result().positions());
        x[10 + 4] = 0.5f;
        m.update(s, labels);                        // nothing of the refused updates stays behind
        DenseMetrics fresh = DenseMetrics.builder(3).build();
        fresh.update(s, labels);
        assertArrayEquals(fresh.result().confusionMatrix(), m.result().confusionMatrix());
        assertEquals(20, m.result().positions());
        e = assertThrows(IllegalArgumentException.class, () -> DenseMetrics.builder(3).ignoreIndex(2));
        assertTrue(e.getMessage().contains("ignore index 2 is a class"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CrossEntropyLoss.ofLogits().compute(s, new int[] {0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 0, 0, 0, 0}));
        assertTrue(e.getMessage().contains("sample 0, position 3 is 3"), e.getMessage());
        float[] probs = new float[2 * 3 * 10];
        java.util.Arrays.fill(probs, 0.25f);
        probs[30 + 2 * 10 + 3] = 1.5f;                      // sample 1, class 2, position 3
        DenseScores bad = DenseScores.wrap(probs, DenseScores.ClassAxis.FIRST, 2, 3, 10);
        e = assertThrows(IllegalArgumentException.class, () -> CrossEntropyLoss.builder()
                .input(io.github.logits4j.OutputKind.PROBABILITIES).build().compute(bad, new int[20]));
        assertTrue(e.getMessage().startsWith("input at sample 1, position 3, class 2 is 1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> io.github.logits4j.loss.BinaryCrossEntropyLoss
                .builder().build().compute(s, bad));
        assertTrue(e.getMessage().startsWith("targets at sample 1, position 3, class 2 is 1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CrossEntropyLoss.ofLogits().compute(s, new int[3]));
        assertTrue(e.getMessage().contains("expected 20"), e.getMessage());
    }
}
