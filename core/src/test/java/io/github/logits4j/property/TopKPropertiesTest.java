package io.github.logits4j.property;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.decision.Argmax;
import io.github.logits4j.decision.TopK;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@link TopK} is a full stable sort cut at k: indices by descending score, ties (including {@code -0 == 0} and equal
 * infinities) by ascending index; its values are the scores at its indices; {@link Argmax} is the first index of the
 * top-1 and the first maximal index. The rows are dense with ties: values drawn mostly from
 * {@code {-inf, -1, -0, 0, 0.5, 1, +inf}}.
 */
class TopKPropertiesTest {

    /** Scores {@code [rows × cols]} and a k in [1, cols]. */
    record Rows(int rows, int cols, float[] data, int k) {
        FloatMatrix matrix() {
            return FloatMatrix.wrap(data.clone(), rows, cols);
        }

        @Override
        public String toString() {
            return "Rows[" + rows + " x " + cols + ", k=" + k + ", data=" + Arrays.toString(data) + "]";
        }
    }

    @Provide
    Arbitrary<Rows> tiedRows() {
        Arbitrary<Float> value = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(Float.NEGATIVE_INFINITY, -1f, -0f, 0f, 0.5f, 1f, Float.POSITIVE_INFINITY)),
                Tuple.of(1, Arbitraries.floats().between(-2f, 2f).ofScale(3)));
        return Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 200))
                .flatAs((rows, cols) -> Combinators.combine(
                        value.array(float[].class).ofSize(rows * cols),
                        Arbitraries.integers().between(1, cols))
                        .as((d, k) -> new Rows(rows, cols, d, k)));
    }

    /** The stable-sort reference for row {@code r}: all column indices, best first. */
    private static int[] sortedRow(Rows x, int r) {
        int off = r * x.cols();
        // Numeric comparison (not Float.compare): -0 and 0 are equal scores, as TopK and torch compare.
        Comparator<Integer> byScoreDescending = (a, b) -> {
            float va = x.data()[off + a];
            float vb = x.data()[off + b];
            return va > vb ? -1 : va < vb ? 1 : 0;
        };
        // Stream.sorted is stable on an ordered stream: equal scores keep ascending index order.
        return IntStream.range(0, x.cols()).boxed().sorted(byScoreDescending).mapToInt(Integer::intValue).toArray();
    }

    @Property(tries = 500, seed = "9101")
    void topKIsAStableSortCutAtK(@ForAll("tiedRows") Rows x) {
        int k = x.k();
        int[] indices = new int[x.rows() * k];
        float[] values = new float[x.rows() * k];
        TopK.into(x.matrix(), k, indices, values);
        for (int r = 0; r < x.rows(); r++) {
            int[] expected = Arrays.copyOf(sortedRow(x, r), k);
            int[] actual = Arrays.copyOfRange(indices, r * k, r * k + k);
            assertArrayEquals(expected, actual, "row " + r + " indices");
            for (int j = 0; j < k; j++) {
                float score = x.data()[r * x.cols() + actual[j]];
                assertEquals(Float.floatToIntBits(score), Float.floatToIntBits(values[r * k + j]),
                        "row " + r + " value " + j + " must be the score at its index");
                if (j > 0) {
                    assertTrue(values[r * k + j - 1] >= values[r * k + j], "row " + r + " values descend");
                }
            }
        }
        assertArrayEquals(indices, TopK.of(x.matrix(), k), "indices()");
        int[] withoutValues = new int[indices.length];
        TopK.into(x.matrix(), k, withoutValues, null);
        assertArrayEquals(indices, withoutValues, "select without values");
    }

    /** The one-row form, at offsets in both arrays, and a direct-buffer matrix give the same answer. */
    @Property(tries = 300, seed = "9102")
    void topKForms(@ForAll("tiedRows") Rows x) {
        int k = x.k();
        int[] expected = TopK.of(x.matrix(), k);
        int pad = 3;
        float[] padded = new float[x.data().length + 2 * pad];
        Arrays.fill(padded, Float.POSITIVE_INFINITY);
        System.arraycopy(x.data(), 0, padded, pad, x.data().length);
        for (int r = 0; r < x.rows(); r++) {
            int[] out = new int[k + 4];
            Arrays.fill(out, -7);
            TopK.ofRow(padded, pad + r * x.cols(), x.cols(), k, out, 2);
            assertArrayEquals(Arrays.copyOfRange(expected, r * k, r * k + k), Arrays.copyOfRange(out, 2, 2 + k),
                    "row " + r);
            assertEquals(-7, out[0], "written before outOff");
            assertEquals(-7, out[1], "written before outOff");
            assertEquals(-7, out[k + 2], "written after outOff + k");
            assertEquals(-7, out[k + 3], "written after outOff + k");
        }
        FloatBuffer direct = ByteBuffer.allocateDirect(4 * x.data().length).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        direct.put(x.data()).flip();
        assertArrayEquals(expected, TopK.of(FloatMatrix.wrap(direct, x.rows(), x.cols()), k), "direct buffer");
        assertArrayEquals(expected, TopK.of(FloatMatrix.wrap(padded, pad, x.rows(), x.cols()), k), "offset");
    }

    @Property(tries = 500, seed = "9103")
    void argmaxIsTheFirstMaximumAndTheTop1(@ForAll("tiedRows") Rows x) {
        int[] argmax = Argmax.of(x.matrix());
        int[] top1 = TopK.of(x.matrix(), 1);
        int[] into = new int[x.rows() + 2];
        Arrays.fill(into, -1);
        Argmax.into(x.matrix(), into);
        for (int r = 0; r < x.rows(); r++) {
            int off = r * x.cols();
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < x.cols(); c++) {
                max = Math.max(max, x.data()[off + c]);
            }
            int first = -1;
            for (int c = 0; c < x.cols() && first < 0; c++) {
                if (x.data()[off + c] == max) {
                    first = c;
                }
            }
            assertEquals(first, argmax[r], "row " + r + ": argmax is the first maximal index");
            assertEquals(top1[r], argmax[r], "row " + r + ": argmax is the top-1");
            assertEquals(sortedRow(x, r)[0], argmax[r], "row " + r + ": argmax heads the stable sort");
            assertEquals(argmax[r], Argmax.ofRow(x.data(), off, x.cols()), "row " + r + ": ofRow");
            assertEquals(argmax[r], into[r], "row " + r + ": into");
        }
        if (into[x.rows()] != -1 || into[x.rows() + 1] != -1) {
            fail("Argmax.into wrote past the last row");
        }
    }
}
