package io.github.logits4j.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.activation.Activation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the activations that must hold for any finite input: softmax rows are distributions, log-softmax and
 * log-sigmoid are the logarithms of softmax and sigmoid, softmax ignores a per-row shift, and the result does not
 * depend on how the matrix is stored (array, array at an offset, heap, read-only, direct or byte-view buffer; into a
 * new matrix, into a buffer, or in place).
 */
class ActivationPropertiesTest {

    /** The activations that take a temperature. */
    private static final Activation[] TEMPERED = {
        Activation.SOFTMAX, Activation.LOG_SOFTMAX, Activation.SIGMOID, Activation.LOG_SIGMOID
    };

    /** A batch of scores with a temperature. */
    record Batch(int rows, int cols, float[] data, double temperature) {
        FloatMatrix matrix() {
            return FloatMatrix.wrap(data.clone(), rows, cols);
        }

        @Override
        public String toString() {
            return "Batch[" + rows + " x " + cols + ", T=" + temperature + ", data=" + Arrays.toString(data) + "]";
        }
    }

    private static Arbitrary<Double> temperatures() {
        return Arbitraries.oneOf(Arbitraries.just(1.0), Arbitraries.doubles().between(0.05, 20.0).ofScale(4));
    }

    /** Finite logits of moderate or large magnitude (|x| up to 1e4), up to 300 classes. */
    @Provide
    Arbitrary<Batch> finiteLogits() {
        Arbitrary<Integer> rows = Arbitraries.integers().between(1, 4);
        Arbitrary<Integer> cols = Arbitraries.integers().between(1, 300);
        Arbitrary<Float> scale = Arbitraries.of(1f, 10f, 100f, 1e4f);
        return Combinators.combine(rows, cols, scale, temperatures()).flatAs((r, c, s, t) ->
                Arbitraries.floats().between(-s, s).ofScale(5).array(float[].class).ofSize(r * c)
                        .map(d -> new Batch(r, c, d, t)));
    }

    /** Any scores, non-finite ones included, for the storage-independence property; possibly an empty batch. */
    @Provide
    Arbitrary<Batch> anyScores() {
        Arbitrary<Integer> rows = Arbitraries.integers().between(0, 4);
        Arbitrary<Integer> cols = Arbitraries.integers().between(1, 40);
        Arbitrary<Float> value = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, Arbitraries.floats().between(-1e4f, 1e4f).ofScale(4)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(Float.NaN, Float.POSITIVE_INFINITY,
                        Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE, -Float.MAX_VALUE)));
        return Combinators.combine(rows, cols, temperatures()).flatAs((r, c, t) ->
                value.array(float[].class).ofSize(r * c).map(d -> new Batch(r, c, d, t)));
    }

    @Property(tries = 400, seed = "7301")
    void softmaxRowsSumToOne(@ForAll("finiteLogits") Batch b) {
        FloatMatrix p = FloatMatrix.allocate(b.rows(), b.cols());
        Activation.SOFTMAX.apply(b.matrix(), p, b.temperature());
        for (int r = 0; r < b.rows(); r++) {
            double sum = 0;
            for (int c = 0; c < b.cols(); c++) {
                float v = p.get(r, c);
                if (!(v >= 0f && v <= 1f)) {
                    fail("softmax at row " + r + ", column " + c + " is " + v + "; expected a probability");
                }
                sum += v;
            }
            assertEquals(1.0, sum, 1e-5, "row " + r + " sum");
        }
    }

    @Property(tries = 400, seed = "7302")
    void logSoftmaxIsLogOfSoftmax(@ForAll("finiteLogits") Batch b) {
        FloatMatrix p = FloatMatrix.allocate(b.rows(), b.cols());
        FloatMatrix lp = FloatMatrix.allocate(b.rows(), b.cols());
        Activation.SOFTMAX.apply(b.matrix(), p, b.temperature());
        Activation.LOG_SOFTMAX.apply(b.matrix(), lp, b.temperature());
        for (int r = 0; r < b.rows(); r++) {
            for (int c = 0; c < b.cols(); c++) {
                float l = lp.get(r, c);
                if (!(l <= 0f)) {
                    fail("log_softmax at row " + r + ", column " + c + " is " + l + "; expected <= 0");
                }
                float v = p.get(r, c);
                if (v > 1e-30f) {
                    assertClose(Math.log(v), l, "log_softmax at row " + r + ", column " + c);
                }
            }
        }
    }

    @Property(tries = 400, seed = "7303")
    void logSigmoidIsLogOfSigmoid(@ForAll("finiteLogits") Batch b) {
        FloatMatrix s = FloatMatrix.allocate(b.rows(), b.cols());
        FloatMatrix ls = FloatMatrix.allocate(b.rows(), b.cols());
        Activation.SIGMOID.apply(b.matrix(), s, b.temperature());
        Activation.LOG_SIGMOID.apply(b.matrix(), ls, b.temperature());
        for (int r = 0; r < b.rows(); r++) {
            for (int c = 0; c < b.cols(); c++) {
                float v = s.get(r, c);
                if (!(v >= 0f && v <= 1f)) {
                    fail("sigmoid at row " + r + ", column " + c + " is " + v + "; expected a value in [0, 1]");
                }
                float l = ls.get(r, c);
                if (!(l <= 0f)) {
                    fail("log_sigmoid at row " + r + ", column " + c + " is " + l + "; expected <= 0");
                }
                if (v > 1e-30f) {
                    assertClose(Math.log(v), l, "log_sigmoid at row " + r + ", column " + c);
                }
            }
        }
    }

    /**
     * Adding a constant to a row leaves softmax (and log-softmax) unchanged. Logits and shifts are multiples of 1/256
     * below 2^15 in magnitude, so {@code x + shift} is exact in float32 and the property is exact mathematics.
     */
    @Property(tries = 300, seed = "7304")
    void softmaxIgnoresRowShift(@ForAll("finiteLogits") Batch b, @ForAll("shifts") float[] shifts) {
        float[] x = b.data().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.round(x[i] * 256f) / 256f;
        }
        float[] shifted = x.clone();
        for (int r = 0; r < b.rows(); r++) {
            float shift = shifts[r];
            for (int c = 0; c < b.cols(); c++) {
                int i = r * b.cols() + c;
                shifted[i] = x[i] + shift;
                assertEquals((double) x[i] + shift, shifted[i], 0.0, "x + shift must be exact");
            }
        }
        for (Activation a : new Activation[] {Activation.SOFTMAX, Activation.LOG_SOFTMAX}) {
            FloatMatrix expected = FloatMatrix.allocate(b.rows(), b.cols());
            FloatMatrix actual = FloatMatrix.allocate(b.rows(), b.cols());
            a.apply(FloatMatrix.wrap(x, b.rows(), b.cols()), expected, b.temperature());
            a.apply(FloatMatrix.wrap(shifted, b.rows(), b.cols()), actual, b.temperature());
            float[] e = expected.toArray();
            float[] g = actual.toArray();
            for (int i = 0; i < e.length; i++) {
                if (a == Activation.SOFTMAX) {
                    assertEquals(e[i], g[i], 1e-6, "softmax element " + i);
                } else {
                    assertClose(e[i], g[i], "log_softmax element " + i);
                }
            }
        }
    }

    @Provide
    Arbitrary<float[]> shifts() {
        return Arbitraries.integers().between(-10_000 * 256, 10_000 * 256).map(i -> i / 256f)
                .array(float[].class).ofSize(4);
    }

    /** Every activation gives bit-identical results whatever stores its input and output. */
    @Property(tries = 200, seed = "7305")
    void resultDoesNotDependOnStorage(@ForAll("anyScores") Batch b) {
        for (Activation a : Activation.values()) {
            double t = isTempered(a) ? b.temperature() : 1.0;
            float[] expected = applyToArray(a, b, t);
            String what = a + " T=" + t;

            // Into a new array-backed matrix (the one-argument form), from every storage.
            if (t == 1.0) {
                for (Storage s : Storage.values()) {
                    assertBitsEqual(expected, a.apply(s.store(b)).toArray(), what + " apply(" + s + ")");
                }
            }
            // From every storage into every writable storage.
            for (Storage in : Storage.values()) {
                for (Storage out : Storage.values()) {
                    if (!out.writable) {
                        continue;
                    }
                    FloatMatrix dst = out.store(new Batch(b.rows(), b.cols(), new float[b.data().length], t));
                    a.apply(in.store(b), dst, t);
                    assertBitsEqual(expected, dst.toArray(), what + " " + in + " -> " + out);
                }
            }
            // In place on every writable storage.
            for (Storage s : Storage.values()) {
                if (!s.writable) {
                    continue;
                }
                FloatMatrix m = s.store(b);
                if (t == 1.0) {
                    a.applyInPlace(m);
                } else {
                    a.applyInPlace(m, t);
                }
                assertBitsEqual(expected, m.toArray(), what + " in place on " + s);
            }
        }
    }

    /** In place on a matrix wrapped at an offset of a larger array: the result is right and the rest untouched. */
    @Property(tries = 200, seed = "7306")
    void inPlaceAtArrayOffsetTouchesOnlyTheView(@ForAll("anyScores") Batch b) {
        int before = 5;
        int after = 3;
        for (Activation a : TEMPERED) {
            float[] expected = applyToArray(a, b, b.temperature());
            float[] big = new float[before + b.data().length + after];
            Arrays.fill(big, -42.5f);
            System.arraycopy(b.data(), 0, big, before, b.data().length);
            FloatMatrix m = FloatMatrix.wrap(big, before, b.rows(), b.cols());
            a.applyInPlace(m, b.temperature());
            assertBitsEqual(expected, Arrays.copyOfRange(big, before, before + b.data().length), a + " view");
            for (int i = 0; i < before; i++) {
                assertEquals(-42.5f, big[i], a + " wrote before the view at " + i);
            }
            for (int i = before + b.data().length; i < big.length; i++) {
                assertEquals(-42.5f, big[i], a + " wrote after the view at " + i);
            }
        }
    }

    /** The input of an out-of-place apply is left as it was, in every storage. */
    @Property(tries = 100, seed = "7307")
    void applyLeavesInputUnchanged(@ForAll("anyScores") Batch b) {
        for (Activation a : TEMPERED) {
            for (Storage s : Storage.values()) {
                FloatMatrix in = s.store(b);
                a.apply(in, FloatMatrix.allocate(b.rows(), b.cols()), b.temperature());
                assertBitsEqual(b.data(), in.toArray(), a + " input in " + s);
            }
        }
        assertFalse(Storage.READ_ONLY.store(b).hasArray());
        assertTrue(Storage.READ_ONLY.store(b).isReadOnly());
    }

    private static boolean isTempered(Activation a) {
        return a != Activation.EXP && a != Activation.NONE;
    }

    private static float[] applyToArray(Activation a, Batch b, double t) {
        FloatMatrix out = FloatMatrix.allocate(b.rows(), b.cols());
        a.apply(FloatMatrix.wrap(b.data().clone(), b.rows(), b.cols()), out, t);
        return out.toArray();
    }

    /** {@code |expected - actual| <= max(1e-6, 1e-5 |expected|)}. */
    static void assertClose(double expected, double actual, String what) {
        if (expected == actual) {
            return;
        }
        double tol = Math.max(1e-6, 1e-5 * Math.abs(expected));
        if (!(Math.abs(expected - actual) <= tol)) {
            fail(what + ": expected " + expected + " but found " + actual + " (tolerance " + tol + ")");
        }
    }

    static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + ": element " + i + " is " + actual[i] + "; expected exactly " + expected[i]);
            }
        }
    }

    /** The ways a matrix can be stored; each {@link #store} copies the batch's data into a fresh one. */
    enum Storage {
        ARRAY(true) {
            @Override
            FloatMatrix store(float[] d, int rows, int cols) {
                return FloatMatrix.wrap(d.clone(), rows, cols);
            }
        },
        ARRAY_AT_OFFSET(true) {
            @Override
            FloatMatrix store(float[] d, int rows, int cols) {
                float[] big = new float[d.length + 10];
                Arrays.fill(big, 99f);
                System.arraycopy(d, 0, big, 7, d.length);
                return FloatMatrix.wrap(big, 7, rows, cols);
            }
        },
        HEAP_BUFFER(true) {
            @Override
            FloatMatrix store(float[] d, int rows, int cols) {
                return FloatMatrix.wrap(FloatBuffer.wrap(d.clone()), rows, cols);
            }
        },
        HEAP_BUFFER_SLICE(true) {
            @Override
            FloatMatrix store(float[] d, int rows, int cols) {
                float[] big = new float[d.length + 6];
                System.arraycopy(d, 0, big, 4, d.length);
                FloatBuffer b = FloatBuffer.wrap(big);
                b.position(2);
                FloatBuffer slice = b.slice();
                slice.position(2);
                return FloatMatrix.wrap(slice, rows, cols);
            }
        },
        READ_ONLY(false) {
            @Override
            FloatMatrix store(float[] d, int rows, int cols) {
                return FloatMatrix.wrap(FloatBuffer.wrap(d.clone()).asReadOnlyBuffer(), rows, cols);
            }
        },
        DIRECT(true) {
            @Override
            FloatMatrix store(float[] d, int rows, int cols) {
                FloatBuffer b = ByteBuffer.allocateDirect(4 * d.length).order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
                b.put(d).flip();
                return FloatMatrix.wrap(b, rows, cols);
            }
        },
        DIRECT_AT_POSITION(true) {
            @Override
            FloatMatrix store(float[] d, int rows, int cols) {
                FloatBuffer b = ByteBuffer.allocateDirect(4 * (d.length + 5)).order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
                b.position(3);
                b.put(d);
                b.position(3);
                return FloatMatrix.wrap(b, rows, cols);
            }
        },
        DIRECT_SWAPPED_ORDER(true) {
            @Override
            FloatMatrix store(float[] d, int rows, int cols) {
                ByteOrder other = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN
                        ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
                FloatBuffer b = ByteBuffer.allocateDirect(4 * d.length).order(other).asFloatBuffer();
                b.put(d).flip();
                return FloatMatrix.wrap(b, rows, cols);
            }
        },
        HEAP_BYTE_VIEW(true) {
            @Override
            FloatMatrix store(float[] d, int rows, int cols) {
                FloatBuffer b = ByteBuffer.allocate(4 * d.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
                b.put(d).flip();
                return FloatMatrix.wrap(b, rows, cols);
            }
        };

        final boolean writable;

        Storage(boolean writable) {
            this.writable = writable;
        }

        abstract FloatMatrix store(float[] d, int rows, int cols);

        FloatMatrix store(Batch b) {
            return store(b.data(), b.rows(), b.cols());
        }
    }
}
