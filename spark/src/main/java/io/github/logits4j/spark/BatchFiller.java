package io.github.logits4j.spark;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.Task;
import io.github.logits4j.onnx.Inputs;
import io.github.logits4j.onnx.LabelledBatch;
import java.util.Arrays;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Copies rows of a partition into one batch of model inputs (and labels), checking each value as it is copied: a null,
 * a row of the wrong width, a NaN feature, a fractional token id or a label out of range is refused with the row (its
 * place in the partition, and its key when a key column is set), the column, what was expected and what was found.
 * The buffers are reused from batch to batch; nothing is allocated per row.
 *
 * <pre>{@code
 * BatchFiller<InternalRow> f = new BatchFiller<>(binding, RowAccess.INTERNAL, 512);
 * while (rows.hasNext() && !f.full()) {
 *     f.add(rows.next());
 * }
 * LabelledBatch batch = f.labelled();   // then f.clear()
 * }</pre>
 *
 * @param <R> the row type
 */
final class BatchFiller<R> {
    private final Binding binding;
    private final RowAccess<R> access;
    private final int capacity;
    private final float[][] floats;
    private final long[][] longs;
    private final int[][] ints;
    private final int[] widths;
    private final int[] labels;
    private final float[] labelMatrix;
    private double[] scratch = new double[64];
    private final double[] one = new double[1];
    private int rows;
    private long first;
    private long next;
    /** Each row's identity for randomized prediction sets: its row-id column, or its partition and place there. */
    private final long[] rowIds;
    private final long partitionBase;
    /** Inputs fed by several number columns into floats: filled a column at a time from columnar batches. */
    private final boolean[] byColumns;
    /** Set while {@link #addRows} has filled the {@link #byColumns} inputs of the rows that {@link #add} reads. */
    private boolean columnsFilled;

    BatchFiller(Binding binding, RowAccess<R> access, int capacity) {
        this.binding = binding;
        this.rowIds = new long[capacity];
        org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
        this.partitionBase = task == null ? 0L : (long) task.partitionId() << 40;
        this.access = access;
        this.capacity = capacity;
        int n = binding.inputs.size();
        this.floats = new float[n][];
        this.longs = new long[n][];
        this.ints = new int[n][];
        this.widths = new int[n];
        boolean matrix = binding.task == Task.MULTILABEL;
        this.labels = binding.label == null || matrix ? null : new int[capacity];
        this.labelMatrix = binding.label != null && matrix ? new float[capacity * binding.classes] : null;
        this.byColumns = new boolean[n];
        for (int i = 0; i < n; i++) {
            Binding.Input in = binding.inputs.get(i);
            byColumns[i] = in.columns.length > 1 && in.target == Binding.Target.FLOAT;
        }
    }

    /** The rows in the batch. */
    int rows() {
        return rows;
    }

    /** Whether the batch holds {@code capacity} rows. */
    boolean full() {
        return rows == capacity;
    }

    /** The rows of the partition read so far. */
    long rowsRead() {
        return next;
    }

    /** Empties the batch (the rows of the partition go on counting). */
    void clear() {
        rows = 0;
    }

    /**
     * Copies one row into the batch.
     *
     * @throws IllegalArgumentException naming the row, the column, what was expected and what was found; the batch is
     *     left as it was before the row
     */
    void add(R row) {
        long at = next++;
        for (int i = 0; i < widths.length; i++) {
            Binding.Input in = binding.inputs.get(i);
            if (in.columns.length > 1) {
                if (!(columnsFilled && byColumns[i])) {
                    store(row, at, in, i, readNumbers(row, at, in));
                }
            } else if (in.target == Binding.Target.FLOAT) {
                readFloats(row, at, in, i, width(row, at, in, i));
            } else {
                int w = width(row, at, in, i);
                readDoubles(row, at, in.columns[0], w);
                store(row, at, in, i, w);
            }
        }
        if (binding.label != null) {
            readLabel(row, at);
        }
        long id = partitionBase + at;
        if (binding.rowId != null) {
            Column c = binding.rowId;
            if (access.width(row, c) != 1) {
                throw bad(row, at, c, "is null; expected a whole number that identifies the row");
            }
            readDoubles(row, at, c, 1);
            id = (long) scratch[0];
        }
        if (rows == 0) {
            first = at;
        }
        rowIds[rows] = id;
        rows++;
    }

    /** The row's width in the input's one column, checked against the input's shape and the batch's rows. */
    private int width(R row, long at, Binding.Input in, int i) {
        Column c = in.columns[0];
        int w = access.width(row, c);
        if (w < 0) {
            throw bad(row, at, c, "is null; expected " + (in.width >= 0 ? in.width + " values" : "an array of values"));
        }
        int expected = in.width >= 0 ? in.width : rows > 0 ? widths[i] : w;
        if (w != expected || w == 0) {
            throw bad(row, at, c, "holds " + w + " values; expected " + expected + (in.width >= 0 ? " (input '"
                    + in.name + "' takes " + Arrays.toString(in.rowDims) + " a row)" : " (as the batch's first row)"));
        }
        if (in.width < 0 && rows == 0) {
            long[] shape = in.shape(1, w);
            long product = 1;
            for (long d : shape) {
                product *= d;
            }
            if (product != w) {
                throw bad(row, at, c, "holds " + w + " values, which do not fill input '" + in.name + "' of row"
                        + " shape " + Arrays.toString(in.rowDims));
            }
        }
        return w;
    }

    /** Reads the row's {@code w} values straight into the float input's buffer, and checks them. */
    private void readFloats(R row, long at, Binding.Input in, int i, int w) {
        Column c = in.columns[0];
        float[] dst = floats(i, w);
        int off = rows * w;
        int nullAt = access.readFloats(row, c, dst, off);
        if (nullAt >= 0) {
            throw bad(row, at, c, "has a null at index " + nullAt + "; expected a number");
        }
        for (int j = 0; j < w; j++) {
            if (!Float.isFinite(dst[off + j])) {
                throw bad(row, at, c, "holds " + dst[off + j] + " at index " + j + "; expected a finite number"
                        + " for input '" + in.name + "'");
            }
        }
        widths[i] = w;
    }

    /** Reads the row's {@code w} values of {@code c} into {@code scratch}. */
    private void readDoubles(R row, long at, Column c, int w) {
        if (scratch.length < w) {
            scratch = new double[Math.max(w, 2 * scratch.length)];
        }
        int nullAt = access.read(row, c, scratch);
        if (nullAt >= 0) {
            throw bad(row, at, c, "has a null at index " + nullAt + "; expected a number");
        }
    }

    /** Input {@code i}'s float buffer, large enough for the batch at {@code w} values a row. */
    private float[] floats(int i, int w) {
        if (floats[i] == null || floats[i].length < capacity * w) {
            floats[i] = Arrays.copyOf(floats[i] == null ? new float[0] : floats[i], capacity * w);
        }
        return floats[i];
    }

    private int readNumbers(R row, long at, Binding.Input in) {
        int w = in.columns.length;
        if (scratch.length < w) {
            scratch = new double[w];
        }
        int nullAt = access.readNumbers(row, in.columns, scratch);
        if (nullAt >= 0) {
            throw bad(row, at, in.columns[nullAt], "is null; expected a number");
        }
        return w;
    }

    /** Checks the row's {@code w} values in {@code scratch} and writes them at the batch's next row. */
    private void store(R row, long at, Binding.Input in, int i, int w) {
        for (int j = 0; j < w; j++) {
            double v = scratch[j];
            boolean ok = in.target == Binding.Target.FLOAT ? Double.isFinite(v)
                    : v == Math.rint(v) && (in.target == Binding.Target.LONG ? Math.abs(v) <= 0x1p53
                    : v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE);
            if (ok && in.target == Binding.Target.FLOAT && !Float.isFinite((float) v)) {
                Column c = in.columns[in.columns.length == 1 ? 0 : j];
                throw bad(row, at, c, "holds " + v + (in.columns.length == 1 ? " at index " + j : "") + ", beyond"
                        + " float32's range; expected a finite float32 for input '" + in.name + "'");
            }
            if (!ok) {
                Column c = in.columns[in.columns.length == 1 ? 0 : j];
                throw bad(row, at, c, "holds " + v + (in.columns.length == 1 ? " at index " + j : "") + "; expected "
                        + (in.target == Binding.Target.FLOAT ? "a finite number" : "an integer"
                        + (in.target == Binding.Target.INT ? " in the int32 range" : "")) + " for input '" + in.name
                        + "'");
            }
        }
        int off = rows * w;
        switch (in.target) {
            case FLOAT -> {
                float[] dst = floats(i, w);
                for (int j = 0; j < w; j++) {
                    dst[off + j] = (float) scratch[j];
                }
            }
            case LONG -> {
                if (longs[i] == null || longs[i].length < capacity * w) {
                    longs[i] = Arrays.copyOf(longs[i] == null ? new long[0] : longs[i], capacity * w);
                }
                long[] dst = longs[i];
                for (int j = 0; j < w; j++) {
                    dst[off + j] = (long) scratch[j];
                }
            }
            case INT -> {
                if (ints[i] == null || ints[i].length < capacity * w) {
                    ints[i] = Arrays.copyOf(ints[i] == null ? new int[0] : ints[i], capacity * w);
                }
                int[] dst = ints[i];
                for (int j = 0; j < w; j++) {
                    dst[off + j] = (int) scratch[j];
                }
            }
        }
        widths[i] = w;
    }

    /**
     * Adds {@code count} rows of a columnar batch from row {@code from} (no more than the batch has room for): the
     * inputs fed by several number columns are copied a column at a time (one pass down each column's vector, instead
     * of one value from each of many vectors a row), the rest row by row. A run with a null or a value that is not
     * finite in those columns goes row by row whole, so that the error names the first bad row as {@link #add} does.
     *
     * @param vectors the batch's vectors, by column ordinal
     */
    static void addRows(BatchFiller<InternalRow> f, ColumnarBatch batch, ColumnVector[] vectors, int from,
            int count) {
        f.columnsFilled = f.fillColumns(vectors, from, count);
        try {
            for (int r = 0; r < count; r++) {
                f.add(batch.getRow(from + r));
            }
        } finally {
            f.columnsFilled = false;
        }
    }

    /**
     * Copies rows {@code from} to {@code from + count} of the {@link #byColumns} inputs' columns into the batch from
     * its next row; false (with the batch's rows to be written again) when a value is null or not finite, or a column
     * is not a plain number column.
     */
    private boolean fillColumns(ColumnVector[] vectors, int from, int count) {
        boolean any = false;
        for (int i = 0; i < byColumns.length; i++) {
            if (!byColumns[i]) {
                continue;
            }
            any = true;
            Binding.Input in = binding.inputs.get(i);
            int w = in.columns.length;
            float[] dst = floats(i, w);
            int base = rows * w;
            for (int j = 0; j < w; j++) {
                Column c = in.columns[j];
                ColumnVector v = vectors[c.ordinal];
                if (c.form != Column.Form.NUMBER || v.hasNull()) {
                    return false;
                }
                int at = base + j;
                switch (c.element) {
                    case FLOAT -> {
                        for (int r = 0; r < count; r++, at += w) {
                            dst[at] = v.getFloat(from + r);
                        }
                    }
                    case DOUBLE -> {
                        for (int r = 0; r < count; r++, at += w) {
                            double d = v.getDouble(from + r);
                            if (!Double.isFinite(d)) {
                                return false;
                            }
                            dst[at] = (float) d;
                        }
                    }
                    default -> {
                        return false;
                    }
                }
            }
            for (int k = base, end = base + count * w; k < end; k++) {
                if (!Float.isFinite(dst[k])) {
                    return false;
                }
            }
            widths[i] = w;
        }
        return any;
    }

    private void readLabel(R row, long at) {
        Column c = binding.label;
        int w = access.width(row, c);
        if (w < 0) {
            throw bad(row, at, c, "is null; expected a label");
        }
        if (labels != null) {
            access.read(row, c, one);
            double v = one[0];
            boolean binary = binding.task == Task.BINARY;
            if (v != Math.rint(v) || v < 0 || v >= (binary ? 2 : binding.classes)) {
                throw bad(row, at, c, "is " + v + "; expected " + (binary ? "0 or 1" : "a class index from 0 to "
                        + (binding.classes - 1)));
            }
            labels[rows] = (int) v;
            return;
        }
        int l = binding.classes;
        if (w != l) {
            throw bad(row, at, c, "holds " + w + " labels; the model has " + l);
        }
        if (scratch.length < w) {
            scratch = new double[w];
        }
        int nullAt = access.read(row, c, scratch);
        if (nullAt >= 0) {
            throw bad(row, at, c, "has a null at index " + nullAt + "; expected 0 or 1");
        }
        for (int j = 0; j < l; j++) {
            double v = scratch[j];
            if (v != 0.0 && v != 1.0) {
                throw bad(row, at, c, "holds " + v + " at index " + j + "; expected 0 or 1");
            }
            labelMatrix[rows * l + j] = (float) v;
        }
    }

    private IllegalArgumentException bad(R row, long at, Column c, String what) {
        Column key = binding.key;
        return new IllegalArgumentException("row " + at + " of the partition"
                + (key == null ? "" : " (" + key.name + " = " + access.text(row, key) + ")") + ": column "
                + c.describe() + " " + what);
    }

    /** The batch's inputs, numbered from its first row in the partition. */
    Inputs inputs() {
        Inputs.Builder b = Inputs.builder().firstRow(first).rowIds(Arrays.copyOf(rowIds, rows));
        for (int i = 0; i < widths.length; i++) {
            Binding.Input in = binding.inputs.get(i);
            int w = widths[i];
            int size = rows * w;
            long[] shape = in.shape(rows, w);
            switch (in.target) {
                case FLOAT -> {
                    if (shape.length == 2) {
                        b.add(in.name, FloatMatrix.wrap(floats[i], 0, rows, w));
                    } else {
                        b.add(in.name, floats[i].length == size ? floats[i] : Arrays.copyOf(floats[i], size), shape);
                    }
                }
                case LONG -> b.add(in.name, longs[i].length == size ? longs[i] : Arrays.copyOf(longs[i], size), shape);
                case INT -> b.add(in.name, ints[i].length == size ? ints[i] : Arrays.copyOf(ints[i], size), shape);
            }
        }
        return b.build();
    }

    /** The batch's inputs with its labels. */
    LabelledBatch labelled() {
        Inputs inputs = inputs();
        if (labels != null) {
            return LabelledBatch.of(inputs, rows == capacity ? labels : Arrays.copyOf(labels, rows));
        }
        return LabelledBatch.ofMatrix(inputs, FloatMatrix.wrap(labelMatrix, 0, rows, binding.classes));
    }
}
