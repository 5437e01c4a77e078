package io.github.logits4j.data;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.LoadException;
import io.github.logits4j.SafeText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} array read through a memory map, so a file larger than the heap streams: rows are read on
 * demand, converted to the element type the caller asks for. Supported: float32, float64, int32, int64 and bool, C
 * order, little and big endian, format versions 1, 2 and 3. A Fortran-order or object array, a truncated file or a
 * malformed header is a {@link LoadException} naming the file and what was wrong.
 *
 * <pre>{@code
 * try (NpyArray x = NpyArray.open(Path.of("digits_test_x.npy"))) {
 *     long rows = x.rows();                       // first dimension
 *     int width = x.rowSize();                    // product of the other dimensions
 *     float[] batch = new float[64 * width];
 *     x.readFloats(0, 64, batch, 0);              // rows 0..63, converted to float
 *     FloatMatrix features = x.readMatrix(0, 64);  // the same rows as a matrix
 * }
 * }</pre>
 *
 * <p>Reading is thread-safe (each call maps the region it needs). A 0-d array has one row of one element.
 */
public final class NpyArray implements AutoCloseable {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** The element types this reader supports, e.g. {@code if (array.dtype().isIntegral()) { ... }}. */
    public enum DType {
        /** 4-byte IEEE float. */
        FLOAT32(4),
        /** 8-byte IEEE float. */
        FLOAT64(8),
        /** 4-byte signed integer. */
        INT32(4),
        /** 8-byte signed integer. */
        INT64(8),
        /** 1-byte boolean (0 or 1). */
        BOOL(1);

        private final int size;

        DType(int size) {
            this.size = size;
        }

        /** Bytes per element. */
        public int size() {
            return size;
        }

        /** Whether the type holds integers (or booleans). */
        public boolean isIntegral() {
            return this != FLOAT32 && this != FLOAT64;
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final DType dtype;
    private final ByteOrder order;
    private final long[] shape;
    private final long dataOffset;
    private final long rows;
    private final int rowSize;

    private NpyArray(Path file, FileChannel channel, DType dtype, ByteOrder order, long[] shape, long dataOffset) {
        this.file = file;
        this.channel = channel;
        this.dtype = dtype;
        this.order = order;
        this.shape = shape;
        this.dataOffset = dataOffset;
        this.rows = shape.length == 0 ? 1 : shape[0];
        long r = 1;
        for (int i = 1; i < shape.length; i++) {
            r *= shape[i];
        }
        this.rowSize = (int) r;
    }

    /**
     * Opens {@code file} and reads its header.
     *
     * @throws LoadException if the file is missing, unreadable, not an .npy file, truncated, Fortran-ordered, or of an
     *     unsupported dtype (the message names the file and what was found)
     */
    public static NpyArray open(Path file) throws LoadException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new LoadException(file + ": file not found");
        } catch (IOException e) {
            throw new LoadException(file + ": cannot open: " + e.getMessage(), e);
        }
        try {
            return parse(file, ch);
        } catch (LoadException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new LoadException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    private static NpyArray parse(Path file, FileChannel ch) throws IOException, LoadException {
        long size = ch.size();
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, 12)).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(head, 0);
        head.flip();
        byte[] magic = new byte[Math.min(6, head.remaining())];
        head.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new LoadException(file + ": not a NumPy .npy file (the magic string \\x93NUMPY is missing)");
        }
        if (head.remaining() < 4) {
            throw new LoadException(file + ": truncated .npy header");
        }
        int major = head.get() & 0xff;
        head.get();
        long headerLength;
        int prefix;
        if (major == 1) {
            headerLength = head.getShort() & 0xffff;
            prefix = 10;
        } else if (major == 2 || major == 3) {
            if (head.remaining() < 4) {
                throw new LoadException(file + ": truncated .npy header");
            }
            headerLength = head.getInt() & 0xffffffffL;
            prefix = 12;
        } else {
            throw new LoadException(file + ": .npy format version " + major + " is not supported; expected 1, 2 or 3");
        }
        if (prefix + headerLength > size || headerLength > 1 << 20) {
            throw new LoadException(file + ": truncated .npy header: it declares " + headerLength + " bytes");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLength);
        ch.read(hb, prefix);
        String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new LoadException(file + ": malformed .npy header: " + SafeText.of(header.trim(), 120));
        }
        if (f.group(1).equals("True")) {
            throw new LoadException(file + ": the array is in Fortran order; expected C order (save it with"
                    + " np.ascontiguousarray(a))");
        }
        String descr = d.group(1);
        ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        DType dtype = switch (descr.replaceFirst("^[<>|=]", "")) {
            case "f4" -> DType.FLOAT32;
            case "f8" -> DType.FLOAT64;
            case "i4" -> DType.INT32;
            case "i8" -> DType.INT64;
            case "b1" -> DType.BOOL;
            default -> throw new LoadException(file + ": dtype '" + SafeText.of(descr, 40)
                    + "' is not supported; expected float32,"
                    + " float64, int32, int64 or bool" + (descr.contains("O") ? " (object arrays cannot be read)" : ""));
        };
        String dims = s.group(1).trim();
        long[] shape;
        if (dims.isEmpty()) {
            shape = new long[0];
        } else {
            String[] parts = dims.split(",");
            int n = 0;
            long[] tmp = new long[parts.length];
            for (String p : parts) {
                if (!p.isBlank()) {
                    try {
                        tmp[n++] = Long.parseLong(p.trim().replace("L", ""));
                    } catch (NumberFormatException e) {
                        throw new LoadException(file + ": malformed shape (" + SafeText.of(dims, 80)
                                + ") in the .npy header");
                    }
                }
            }
            shape = Arrays.copyOf(tmp, n);
        }
        long count = 1;
        long bytes;
        try {
            for (long dim : shape) {
                if (dim < 0) {
                    throw new LoadException(file + ": the .npy header declares shape " + Arrays.toString(shape)
                            + "; expected dimensions >= 0");
                }
                count = Math.multiplyExact(count, dim);
            }
            bytes = Math.multiplyExact(count, (long) dtype.size());
            Math.addExact(prefix + headerLength, bytes);
        } catch (ArithmeticException e) {
            throw new LoadException(file + ": the .npy header declares shape " + Arrays.toString(shape) + " of " + descr
                    + ", whose size overflows 64 bits; expected a shape that fits a file");
        }
        long dataOffset = prefix + headerLength;
        long expected = dataOffset + bytes;
        if (size < expected) {
            throw new LoadException(file + ": truncated: the header declares shape " + Arrays.toString(shape) + " of "
                    + descr + " (" + expected + " bytes); the file has " + size);
        }
        long rowSizeCheck = 1;
        for (int i = 1; i < shape.length; i++) {
            rowSizeCheck *= shape[i];
        }
        if (rowSizeCheck > Integer.MAX_VALUE / 8) {
            throw new LoadException(file + ": rows of " + rowSizeCheck + " elements are too wide to read");
        }
        return new NpyArray(file, ch, dtype, order, shape, dataOffset);
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** Whether the data is big-endian. */
    public boolean bigEndian() {
        return order == ByteOrder.BIG_ENDIAN;
    }

    /** The shape (a copy). */
    public long[] shape() {
        return shape.clone();
    }

    /** The number of rows: the first dimension (1 for a 0-d array). */
    public long rows() {
        return rows;
    }

    /** Elements per row: the product of the dimensions after the first. */
    public int rowSize() {
        return rowSize;
    }

    private ByteBuffer map(long firstRow, int count) {
        if (firstRow < 0 || count < 0 || firstRow + count > rows) {
            throw new IndexOutOfBoundsException("rows " + firstRow + ".." + (firstRow + count - 1) + " are outside "
                    + file + " (" + rows + " rows)");
        }
        long bytes = (long) count * rowSize * dtype.size();
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("reading " + count + " rows at once maps " + bytes
                    + " bytes; read fewer rows per call");
        }
        try {
            MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_ONLY,
                    dataOffset + firstRow * rowSize * dtype.size(), bytes);
            return m.order(order);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(file + ": cannot map rows " + firstRow + ".." + (firstRow + count - 1),
                    e);
        }
    }

    /** Reads {@code count} rows from {@code firstRow} into {@code dst} as floats (float64 rounds to float). */
    public void readFloats(long firstRow, int count, float[] dst, int offset) {
        decodeFloats(map(firstRow, count), count * rowSize, dst, offset);
    }

    /** The size of dimension {@code axis}. */
    public long dim(int axis) {
        return shape[axis];
    }

    /**
     * Reads entries {@code first .. first + count - 1} along {@code axis} into {@code dst} as floats, in row-major
     * order of the sub-array ({@code [shape[0], ..., count, ..., shape[rank-1]]}): for axis 0 the same as
     * {@link #readFloats(long, int, float[], int)}; for a state shaped {@code [2, N, 128]} and axis 1, two blocks of
     * {@code count × 128} values. A 0-d array is read whole with axis 0, first 0 and count 1.
     */
    public void readFloats(int axis, long first, int count, float[] dst, int offset) {
        int inner = slabInner(axis, first, count);
        long blocks = blocks(axis);
        for (long o = 0; o < blocks; o++) {
            decodeFloats(mapElements((o * along(axis) + first) * inner, count * inner), count * inner, dst,
                    offset + (int) (o * count * inner));
        }
    }

    /** Like {@link #readFloats(int, long, int, float[], int)}, as longs (floats must be whole numbers). */
    public void readLongs(int axis, long first, int count, long[] dst, int offset) {
        int inner = slabInner(axis, first, count);
        long blocks = blocks(axis);
        for (long o = 0; o < blocks; o++) {
            decodeLongs(mapElements((o * along(axis) + first) * inner, count * inner), count * inner, dst,
                    offset + (int) (o * count * inner), first, inner);
        }
    }

    private long along(int axis) {
        return shape.length == 0 ? 1 : shape[axis];
    }

    private long blocks(int axis) {
        long b = 1;
        for (int i = 0; i < axis; i++) {
            b *= shape[i];
        }
        return b;
    }

    private int slabInner(int axis, long first, int count) {
        if (shape.length == 0 ? axis != 0 : axis < 0 || axis >= shape.length) {
            throw new IllegalArgumentException(file + ": axis " + axis + " is outside its shape "
                    + Arrays.toString(shape));
        }
        if (first < 0 || count < 0 || first + count > along(axis)) {
            throw new IndexOutOfBoundsException("entries " + first + ".." + (first + count - 1) + " along axis " + axis
                    + " are outside " + file + " (shape " + Arrays.toString(shape) + ")");
        }
        long inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        if (inner * count * blocks(axis) > Integer.MAX_VALUE / 8) {
            throw new IllegalArgumentException(file + ": reading " + count + " entries along axis " + axis
                    + " of shape " + Arrays.toString(shape) + " at once is too much; read fewer");
        }
        return (int) inner;
    }

    private ByteBuffer mapElements(long firstElement, int elements) {
        try {
            MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_ONLY,
                    dataOffset + firstElement * dtype.size(), (long) elements * dtype.size());
            return m.order(order);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(file + ": cannot map " + elements + " elements", e);
        }
    }

    private void decodeFloats(ByteBuffer b, int n, float[] dst, int offset) {
        switch (dtype) {
            case FLOAT32 -> b.asFloatBuffer().get(dst, offset, n);
            case FLOAT64 -> {
                for (int i = 0; i < n; i++) {
                    dst[offset + i] = (float) b.getDouble(i * 8);
                }
            }
            case INT32 -> {
                for (int i = 0; i < n; i++) {
                    dst[offset + i] = b.getInt(i * 4);
                }
            }
            case INT64 -> {
                for (int i = 0; i < n; i++) {
                    dst[offset + i] = b.getLong(i * 8);
                }
            }
            case BOOL -> {
                for (int i = 0; i < n; i++) {
                    dst[offset + i] = b.get(i) != 0 ? 1f : 0f;
                }
            }
        }
    }

    /**
     * Reads {@code count} rows from {@code firstRow} into a new {@code [count × rowSize()]} float matrix: features to
     * pass to a model.
     */
    public FloatMatrix readMatrix(long firstRow, int count) {
        float[] data = new float[count * rowSize];
        readFloats(firstRow, count, data, 0);
        return FloatMatrix.wrap(data, count, rowSize);
    }

    /**
     * Reads {@code count} rows from {@code firstRow} as ints (class labels).
     *
     * @throws IllegalArgumentException if a value is not an integer or does not fit an int (naming its row)
     */
    public int[] readInts(long firstRow, int count) {
        long[] longs = new long[count * rowSize];
        readLongs(firstRow, count, longs, 0);
        int[] out = new int[longs.length];
        for (int i = 0; i < out.length; i++) {
            if (longs[i] != (int) longs[i]) {
                throw new IllegalArgumentException(file + ": value " + longs[i] + " at row " + (firstRow + i / rowSize)
                        + " does not fit an int");
            }
            out[i] = (int) longs[i];
        }
        return out;
    }

    /** Reads {@code count} rows from {@code firstRow} into {@code dst} as doubles. */
    public void readDoubles(long firstRow, int count, double[] dst, int offset) {
        ByteBuffer b = map(firstRow, count);
        int n = count * rowSize;
        for (int i = 0; i < n; i++) {
            dst[offset + i] = switch (dtype) {
                case FLOAT32 -> b.getFloat(i * 4);
                case FLOAT64 -> b.getDouble(i * 8);
                case INT32 -> b.getInt(i * 4);
                case INT64 -> b.getLong(i * 8);
                case BOOL -> b.get(i) != 0 ? 1 : 0;
            };
        }
    }

    /**
     * Reads {@code count} rows from {@code firstRow} into {@code dst} as longs.
     *
     * @throws IllegalArgumentException if the array holds floats with a fractional part (naming the row and column)
     */
    public void readLongs(long firstRow, int count, long[] dst, int offset) {
        decodeLongs(map(firstRow, count), count * rowSize, dst, offset, firstRow, rowSize);
    }

    private void decodeLongs(ByteBuffer b, int n, long[] dst, int offset, long firstRow, int rowSize) {
        for (int i = 0; i < n; i++) {
            long v;
            switch (dtype) {
                case INT32 -> v = b.getInt(i * 4);
                case INT64 -> v = b.getLong(i * 8);
                case BOOL -> v = b.get(i) != 0 ? 1 : 0;
                default -> {
                    double d = dtype == DType.FLOAT32 ? b.getFloat(i * 4) : b.getDouble(i * 8);
                    if (d != Math.rint(d) || Double.isInfinite(d)) {
                        throw new IllegalArgumentException(file + ": value " + d + " at row "
                                + (firstRow + (i / rowSize) % Math.max(1, n / rowSize))
                                + (rowSize > 1 ? ", column " + (i % rowSize) : "") + " is not an integer");
                    }
                    v = (long) d;
                }
            }
            dst[offset + i] = v;
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    @Override
    public String toString() {
        return file + ": " + dtype.name().toLowerCase(Locale.ROOT) + (bigEndian() ? " (big endian)" : "")
                + Arrays.toString(shape);
    }
}
