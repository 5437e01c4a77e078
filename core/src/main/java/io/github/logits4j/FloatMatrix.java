package io.github.logits4j;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A row-major {@code [rows × cols]} view of {@code float} scores (one row per sample, one column per class) over a
 * {@code float[]} or a {@link FloatBuffer}, read and written in place, never copied.
 *
 * <p>This is how classifier outputs flow through logits4j: an ONNX Runtime output buffer, a slice of a larger array or
 * a matrix the caller allocated is wrapped once and handed to activations, losses and decision rules.
 *
 * <pre>{@code
 * float[] logits = {2.0f, 1.0f, 0.1f,
 *                   0.5f, 2.5f, 0.3f};
 * FloatMatrix scores = FloatMatrix.wrap(logits, 2, 3);   // 2 samples, 3 classes
 * float p = scores.get(1, 2);                            // row 1, column 2
 * FloatMatrix direct = FloatMatrix.wrap(buffer, 64, 1000); // a direct buffer, read in place
 * }</pre>
 *
 * <p><b>Backing storage.</b> An array, or a heap buffer that exposes its array, is read through that array. A direct
 * buffer (or a read-only heap buffer) is read with absolute bulk gets, one row at a time, into a scratch array the
 * caller reuses ({@link #row(int, float[])}); nothing is copied beyond one row. A view over a read-only buffer is
 * read-only: {@link #set} and in-place operations on it throw {@link IllegalStateException}.
 *
 * <p><b>Threads.</b> A view holds no mutable state of its own: many threads may read one view at once. Writes are not
 * synchronised, like writes to the array or buffer underneath. The view sees later changes to its storage.
 *
 * <p>A matrix may have zero rows (an empty batch); it always has at least one column.
 */
public final class FloatMatrix {
    private final float[] array;
    private final int offset;
    private final FloatBuffer buffer;
    private final int rows;
    private final int cols;

    private FloatMatrix(float[] array, int offset, FloatBuffer buffer, int rows, int cols) {
        this.array = array;
        this.offset = offset;
        this.buffer = buffer;
        this.rows = rows;
        this.cols = cols;
    }

    /**
     * Wraps {@code data} as a {@code [rows × cols]} matrix starting at index 0.
     *
     * @throws IllegalArgumentException if {@code rows < 0}, {@code cols < 1} or {@code data.length != rows * cols}
     */
    public static FloatMatrix wrap(float[] data, int rows, int cols) {
        Objects.requireNonNull(data, "data");
        int size = size(rows, cols);
        if (data.length != size) {
            throw new IllegalArgumentException("data has " + data.length + " elements; expected rows * cols = "
                    + rows + " * " + cols + " = " + size);
        }
        return new FloatMatrix(data, 0, null, rows, cols);
    }

    /**
     * Wraps {@code rows * cols} elements of {@code data} from index {@code offset} as a row-major matrix.
     *
     * @throws IllegalArgumentException if the shape is invalid or the elements do not fit in {@code data}
     */
    public static FloatMatrix wrap(float[] data, int offset, int rows, int cols) {
        Objects.requireNonNull(data, "data");
        int size = size(rows, cols);
        if (offset < 0 || offset > data.length || data.length - offset < size) {
            throw new IllegalArgumentException("data has " + data.length + " elements; a " + rows + " x " + cols
                    + " matrix at offset " + offset + " needs " + ((long) offset + size));
        }
        return new FloatMatrix(data, offset, null, rows, cols);
    }

    /**
     * Wraps {@code rows * cols} elements of {@code buffer} from its current position as a row-major matrix. The
     * buffer's position and limit are not changed, and later changes to them do not affect the view.
     *
     * @throws IllegalArgumentException if the shape is invalid or fewer than {@code rows * cols} elements remain
     */
    public static FloatMatrix wrap(FloatBuffer buffer, int rows, int cols) {
        Objects.requireNonNull(buffer, "buffer");
        int size = size(rows, cols);
        if (buffer.remaining() < size) {
            throw new IllegalArgumentException("buffer has " + buffer.remaining() + " elements remaining; expected at"
                    + " least rows * cols = " + rows + " * " + cols + " = " + size);
        }
        if (buffer.hasArray()) {
            return new FloatMatrix(buffer.array(), buffer.arrayOffset() + buffer.position(), null, rows, cols);
        }
        FloatBuffer view = buffer.slice();
        view.limit(size);
        return new FloatMatrix(null, 0, view, rows, cols);
    }

    /** A new zero-filled {@code [rows × cols]} matrix backed by its own array. */
    public static FloatMatrix allocate(int rows, int cols) {
        return new FloatMatrix(new float[size(rows, cols)], 0, null, rows, cols);
    }

    private static int size(int rows, int cols) {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must not be negative; found " + rows);
        }
        if (cols < 1) {
            throw new IllegalArgumentException("cols (classes) must be at least 1; found " + cols);
        }
        long size = (long) rows * cols;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a " + rows + " x " + cols + " matrix has " + size
                    + " elements; at most " + (Integer.MAX_VALUE - 8) + " fit in one view: split the batch");
        }
        return (int) size;
    }

    /** Number of rows (samples); may be 0. */
    public int rows() {
        return rows;
    }

    /** Number of columns (classes); at least 1. */
    public int cols() {
        return cols;
    }

    /** Number of elements, {@code rows() * cols()}. */
    public int size() {
        return rows * cols;
    }

    /** Whether writes through this view are refused (a view over a read-only buffer). */
    public boolean isReadOnly() {
        return buffer != null && buffer.isReadOnly();
    }

    /** Whether the view reads straight from a {@code float[]} ({@link #array()}, {@link #arrayOffset()}). */
    public boolean hasArray() {
        return array != null;
    }

    /**
     * The backing array, for loops that read the matrix in place.
     *
     * @throws IllegalStateException if the view is over a direct or read-only buffer ({@link #hasArray()} is false)
     */
    public float[] array() {
        if (array == null) {
            throw new IllegalStateException("matrix is backed by a buffer without an accessible array (direct, read-only"
                    + " or a view), not an array: read it with row(...) or get(...)");
        }
        return array;
    }

    /** Index in {@link #array()} of element (0, 0). */
    public int arrayOffset() {
        if (array == null) {
            throw new IllegalStateException("matrix is backed by a buffer without an accessible array (direct, read-only"
                    + " or a view), not an array: read it with row(...) or get(...)");
        }
        return offset;
    }

    /** The element at {@code (row, col)}. */
    public float get(int row, int col) {
        int i = index(row, col);
        return array != null ? array[offset + i] : buffer.get(i);
    }

    /**
     * Sets the element at {@code (row, col)}.
     *
     * @throws IllegalStateException if the view is read-only
     */
    public void set(int row, int col, float value) {
        int i = index(row, col);
        if (array != null) {
            array[offset + i] = value;
        } else {
            checkWritable();
            buffer.put(i, value);
        }
    }

    private int index(int row, int col) {
        if (row < 0 || row >= rows || col < 0 || col >= cols) {
            throw new IndexOutOfBoundsException("(" + row + ", " + col + ") is outside a " + rows + " x " + cols
                    + " matrix");
        }
        return row * cols + col;
    }

    /**
     * The array that holds row {@code row}, for a loop that reads it: the backing array itself when there is one,
     * otherwise {@code scratch} filled with the row. Read the row from index {@link #rowOffset(int)}.
     *
     * <pre>{@code
     * float[] scratch = new float[m.cols()];          // once per batch, not per row
     * for (int r = 0; r < m.rows(); r++) {
     *     float[] a = m.row(r, scratch);
     *     int off = m.rowOffset(r);
     *     for (int c = 0; c < m.cols(); c++) { use(a[off + c]); }
     * }
     * }</pre>
     *
     * @param scratch an array of at least {@code cols()} elements; used only for buffer-backed views
     */
    public float[] row(int row, float[] scratch) {
        checkRow(row);
        if (array != null) {
            return array;
        }
        buffer.get(row * cols, scratch, 0, cols);
        return scratch;
    }

    /** Where row {@code row} starts in the array that {@link #row(int, float[])} returned for it. */
    public int rowOffset(int row) {
        return array != null ? offset + row * cols : 0;
    }

    /** Copies row {@code row} into {@code dst} from index {@code dstOffset}. */
    public void copyRowTo(int row, float[] dst, int dstOffset) {
        checkRow(row);
        if (array != null) {
            System.arraycopy(array, offset + row * cols, dst, dstOffset, cols);
        } else {
            buffer.get(row * cols, dst, dstOffset, cols);
        }
    }

    /**
     * Overwrites row {@code row} with {@code cols()} elements of {@code src} from index {@code srcOffset}.
     *
     * @throws IllegalStateException if the view is read-only
     */
    public void copyRowFrom(int row, float[] src, int srcOffset) {
        checkRow(row);
        if (array != null) {
            System.arraycopy(src, srcOffset, array, offset + row * cols, cols);
        } else {
            checkWritable();
            buffer.put(row * cols, src, srcOffset, cols);
        }
    }

    /**
     * Copies {@code length} elements of row {@code row} from column {@code col} into {@code dst} from
     * {@code dstOffset}: a part of a long row (a dense sample's scores) without reading the rest.
     *
     * @throws IndexOutOfBoundsException if the range leaves the row or {@code dst}
     */
    public void copyTo(int row, int col, float[] dst, int dstOffset, int length) {
        checkRow(row);
        Objects.checkFromIndexSize(col, length, cols);
        if (array != null) {
            System.arraycopy(array, offset + row * cols + col, dst, dstOffset, length);
        } else {
            buffer.get(row * cols + col, dst, dstOffset, length);
        }
    }

    /**
     * Overwrites {@code length} elements of row {@code row} from column {@code col} with {@code src} from
     * {@code srcOffset}.
     *
     * @throws IndexOutOfBoundsException if the range leaves the row or {@code src}
     * @throws IllegalStateException if the view is read-only
     */
    public void copyFrom(int row, int col, float[] src, int srcOffset, int length) {
        checkRow(row);
        Objects.checkFromIndexSize(col, length, cols);
        if (array != null) {
            System.arraycopy(src, srcOffset, array, offset + row * cols + col, length);
        } else {
            checkWritable();
            buffer.put(row * cols + col, src, srcOffset, length);
        }
    }

    /** A new array with the elements in row-major order. */
    public float[] toArray() {
        float[] out = new float[size()];
        if (array != null) {
            System.arraycopy(array, offset, out, 0, out.length);
        } else {
            buffer.get(0, out, 0, out.length);
        }
        return out;
    }

    /**
     * Checks that {@code other} has this matrix's shape.
     *
     * @param what what {@code other} is, for the message ("targets", "destination")
     * @throws IllegalArgumentException naming both shapes if they differ
     */
    public void requireSameShape(FloatMatrix other, String what) {
        if (other.rows != rows || other.cols != cols) {
            throw new IllegalArgumentException(what + " shape is " + other.shapeString() + "; expected "
                    + shapeString() + " to match the input");
        }
    }

    /** The shape as {@code "[rows x cols]"}. */
    public String shapeString() {
        return "[" + rows + " x " + cols + "]";
    }

    private void checkRow(int row) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " is outside a matrix of " + rows + " rows");
        }
    }

    private void checkWritable() {
        if (buffer.isReadOnly()) {
            throw new IllegalStateException("matrix is backed by a read-only buffer and cannot be written");
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("FloatMatrix").append(shapeString());
        sb.append(array != null ? " array" : buffer.isDirect() ? " direct buffer"
                : buffer.isReadOnly() ? " read-only buffer" : " buffer");
        if (rows > 0 && size() <= 64) {
            for (int r = 0; r < rows; r++) {
                float[] row = new float[cols];
                copyRowTo(r, row, 0);
                sb.append(r == 0 ? " " : ", ").append(Arrays.toString(row));
            }
        }
        return sb.toString();
    }
}
