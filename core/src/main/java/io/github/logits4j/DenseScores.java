package io.github.logits4j;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Dense scores: a class score at every position of every sample, as a segmentation model ({@code [N, C, H, W]}: the
 * class axis 1, PyTorch's K-dimensional convention) or a token classifier ({@code [N, T, C]}: the class axis last,
 * as transformers emit) gives them, over a {@code float[]} or a {@link FloatBuffer}, read and written in place.
 *
 * <pre>{@code
 * DenseScores masks = DenseScores.wrap(logits, DenseScores.ClassAxis.FIRST, 2, 21, 520, 520);   // [N, C, H, W]
 * DenseScores tags = DenseScores.wrap(out, DenseScores.ClassAxis.LAST, 8, 128, 9);              // [N, T, C]
 * float s = masks.get(0, 15, 1000);        // sample 0, class 15, position 1000 (row-major over H, W)
 * }</pre>
 *
 * <p>A position is one element of the spatial (or token) axes, numbered row-major from 0 to {@link #positions()}; the
 * class scores of one position are a row of {@code C} values {@link #classStride()} apart. Every logits4j operation on
 * dense scores (heads, losses, decisions, metrics) works along the class axis without transposing the tensor, and
 * gives each position the numbers the same row would get as a row of a {@link FloatMatrix}. A view holds no mutable
 * state: many threads may read it; writes are not synchronised.
 */
public final class DenseScores {
    /** Where the class axis lies. */
    public enum ClassAxis {
        /** {@code [N, C, d1 .. dk]}: axis 1 (PyTorch's K-dimensional losses, torchvision's segmentation models). */
        FIRST,
        /** {@code [N, d1 .. dk, C]}: the last axis (token classifiers, channels-last models). */
        LAST
    }

    /** One row of the matrix per sample: its {@code C * P} scores in the tensor's order. */
    private final FloatMatrix samples;
    private final ClassAxis axis;
    private final int classes;
    private final int positions;
    private final long[] dims;

    private DenseScores(FloatMatrix samples, ClassAxis axis, int classes, int positions, long[] dims) {
        this.samples = samples;
        this.axis = axis;
        this.classes = classes;
        this.positions = positions;
        this.dims = dims;
    }

    /**
     * Wraps {@code data} (row-major, the tensor's own order) of the given full shape: {@code [N, C, d1..dk]} for
     * {@link ClassAxis#FIRST}, {@code [N, d1..dk, C]} for {@link ClassAxis#LAST}, with at least one spatial axis.
     *
     * @throws IllegalArgumentException if the shape is not such a shape or does not match the data's length
     */
    public static DenseScores wrap(float[] data, ClassAxis axis, long... shape) {
        Objects.requireNonNull(data, "data");
        Shape s = Shape.of(axis, shape);
        if (data.length != (long) s.samples * s.classes * s.positions) {
            throw new IllegalArgumentException("data has " + data.length + " elements; shape "
                    + Arrays.toString(shape) + " holds " + (long) s.samples * s.classes * s.positions);
        }
        return new DenseScores(FloatMatrix.wrap(data, s.samples, s.classes * s.positions), axis, s.classes,
                s.positions, s.dims);
    }

    /**
     * Wraps the buffer's elements from its current position, of the given full shape (see
     * {@link #wrap(float[], ClassAxis, long...)}): an ONNX Runtime output read in place.
     *
     * @throws IllegalArgumentException if the shape is not such a shape or the buffer holds too few elements
     */
    public static DenseScores wrap(FloatBuffer buffer, ClassAxis axis, long... shape) {
        Objects.requireNonNull(buffer, "buffer");
        Shape s = Shape.of(axis, shape);
        return new DenseScores(FloatMatrix.wrap(buffer, s.samples, s.classes * s.positions), axis, s.classes,
                s.positions, s.dims);
    }

    /** A new zeroed tensor of the given full shape. */
    public static DenseScores allocate(ClassAxis axis, long... shape) {
        Shape s = Shape.of(axis, shape);
        return new DenseScores(FloatMatrix.allocate(s.samples, s.classes * s.positions), axis, s.classes, s.positions,
                s.dims);
    }

    /** A new zeroed tensor of this one's shape and class axis (a head's output). */
    public DenseScores allocateLike() {
        return new DenseScores(FloatMatrix.allocate(samples.rows(), samples.cols()), axis, classes, positions, dims);
    }

    /** The number of samples N. */
    public int samples() {
        return samples.rows();
    }

    /** The number of classes C. */
    public int classes() {
        return classes;
    }

    /** The positions of one sample: the product of the spatial (or token) axes. */
    public int positions() {
        return positions;
    }

    /** The positions of all samples, {@code N * positions()}: one label per position. */
    public long rows() {
        return (long) samples.rows() * positions;
    }

    /** Where the class axis lies. */
    public ClassAxis classAxis() {
        return axis;
    }

    /** The spatial (or token) axes {@code d1 .. dk} (a copy). */
    public long[] dims() {
        return dims.clone();
    }

    /** The full shape, as the tensor has it (a copy). */
    public long[] shape() {
        long[] s = new long[dims.length + 2];
        s[0] = samples.rows();
        if (axis == ClassAxis.FIRST) {
            s[1] = classes;
            System.arraycopy(dims, 0, s, 2, dims.length);
        } else {
            System.arraycopy(dims, 0, s, 1, dims.length);
            s[s.length - 1] = classes;
        }
        return s;
    }

    /** The distance between two classes of one position in a sample's scores: P (class first) or 1 (class last). */
    public int classStride() {
        return axis == ClassAxis.FIRST ? positions : 1;
    }

    /** The distance between two positions of one class: 1 (class first) or C (class last). */
    public int positionStride() {
        return axis == ClassAxis.FIRST ? 1 : classes;
    }

    /** Where class {@code c} of position {@code p} lies in a sample's scores. */
    public int index(int c, int p) {
        return c * classStride() + p * positionStride();
    }

    /** The score of class {@code c} at position {@code p} of sample {@code n}. */
    public float get(int n, int c, int p) {
        check(c, p);
        return samples.get(n, index(c, p));
    }

    /**
     * Sets the score of class {@code c} at position {@code p} of sample {@code n}.
     *
     * @throws IllegalStateException if the view is read-only
     */
    public void set(int n, int c, int p, float value) {
        check(c, p);
        samples.set(n, index(c, p), value);
    }

    /** Whether the scores are read through an array ({@link #sampleMatrix()}'s {@code array()}). */
    public boolean hasArray() {
        return samples.hasArray();
    }

    /**
     * The scores as a {@code [N × C·P]} matrix, one row per sample in the tensor's order (the same storage): for the
     * kernels that walk a sample's scores themselves.
     */
    public FloatMatrix sampleMatrix() {
        return samples;
    }

    /**
     * Copies the class scores of positions {@code [from, from + count)} of sample {@code n} into {@code dst} as
     * {@code count} rows of {@code C}: the rows a {@link FloatMatrix} of those positions would hold.
     *
     * @throws IndexOutOfBoundsException if the positions or {@code dst} are out of range
     */
    public void gather(int n, int from, int count, float[] dst) {
        Objects.checkFromIndexSize(from, count, positions);
        Objects.checkFromIndexSize(0, count * classes, dst.length);
        if (axis == ClassAxis.LAST) {
            samples.copyTo(n, from * classes, dst, 0, count * classes);
            return;
        }
        if (samples.hasArray()) {
            float[] a = samples.array();
            int base = samples.rowOffset(n) + from;
            for (int c = 0; c < classes; c++) {
                int src = base + c * positions;
                for (int t = 0, d = c; t < count; t++, d += classes) {
                    dst[d] = a[src + t];
                }
            }
            return;
        }
        float[] column = new float[count];
        for (int c = 0; c < classes; c++) {
            samples.copyTo(n, c * positions + from, column, 0, count);
            for (int t = 0, d = c; t < count; t++, d += classes) {
                dst[d] = column[t];
            }
        }
    }

    /**
     * Writes {@code count} rows of {@code C} from {@code src} back as the class scores of positions
     * {@code [from, from + count)} of sample {@code n}: the inverse of {@link #gather}.
     *
     * @throws IllegalStateException if the view is read-only
     */
    public void scatter(int n, int from, int count, float[] src) {
        Objects.checkFromIndexSize(from, count, positions);
        Objects.checkFromIndexSize(0, count * classes, src.length);
        if (axis == ClassAxis.LAST) {
            samples.copyFrom(n, from * classes, src, 0, count * classes);
            return;
        }
        if (samples.hasArray()) {
            float[] a = samples.array();
            int base = samples.rowOffset(n) + from;
            for (int c = 0; c < classes; c++) {
                int dst = base + c * positions;
                for (int t = 0, s = c; t < count; t++, s += classes) {
                    a[dst + t] = src[s];
                }
            }
            return;
        }
        float[] column = new float[count];
        for (int c = 0; c < classes; c++) {
            for (int t = 0, s = c; t < count; t++, s += classes) {
                column[t] = src[s];
            }
            samples.copyFrom(n, c * positions + from, column, 0, count);
        }
    }

    /**
     * How many positions the operations along the class axis read at a time: about 16,384 scores (64 KB), at least
     * one position.
     */
    public static int tilePositions(int classes) {
        return Math.max(1, 16_384 / Math.max(1, classes));
    }

    /**
     * Checks that {@code other} has this tensor's shape and class axis.
     *
     * @throws IllegalArgumentException naming both shapes if they differ
     */
    public void requireSameShape(DenseScores other, String what) {
        if (other.axis != axis || !Arrays.equals(other.shape(), shape())) {
            throw new IllegalArgumentException(what + " is " + other + "; expected " + this);
        }
    }

    private void check(int c, int p) {
        Objects.checkIndex(c, classes);
        Objects.checkIndex(p, positions);
    }

    @Override
    public String toString() {
        return "DenseScores" + Arrays.toString(shape()) + " (class axis " + (axis == ClassAxis.FIRST ? "1"
                : "last") + ")";
    }

    /** A full shape taken apart. */
    private record Shape(int samples, int classes, int positions, long[] dims) {
        static Shape of(ClassAxis axis, long[] shape) {
            Objects.requireNonNull(axis, "axis");
            Objects.requireNonNull(shape, "shape");
            if (shape.length < 3) {
                throw new IllegalArgumentException("dense scores have a sample axis, a class axis and at least one"
                        + " spatial or token axis; found shape " + Arrays.toString(shape) + " (scores per sample are"
                        + " a FloatMatrix)");
            }
            long c = axis == ClassAxis.FIRST ? shape[1] : shape[shape.length - 1];
            long[] dims = axis == ClassAxis.FIRST ? Arrays.copyOfRange(shape, 2, shape.length)
                    : Arrays.copyOfRange(shape, 1, shape.length - 1);
            long p = 1;
            for (long d : dims) {
                if (d < 1) {
                    throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has an empty axis");
                }
                p *= d;
                if (p > Integer.MAX_VALUE) {
                    break;
                }
            }
            if (shape[0] < 0 || c < 1 || c * p > Integer.MAX_VALUE - 8 || shape[0] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is not a shape of dense"
                        + " scores: expected N >= 0, C >= 1 and at most 2^31 - 9 scores per sample");
            }
            return new Shape((int) shape[0], (int) c, (int) p, dims);
        }
    }
}
