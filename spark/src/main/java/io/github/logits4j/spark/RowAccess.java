package io.github.logits4j.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;

/**
 * Reads the values of a {@link Column} from one row, whatever the row's representation: Spark's internal rows (the
 * distributed evaluation reads the data set's own binary rows, with no boxing) or public {@link Row}s (the
 * transformer, whose output rows carry the input's values). Values arrive as doubles, which hold every float and every
 * integer up to 2^53 exactly.
 *
 * <pre>{@code
 * int n = RowAccess.INTERNAL.width(row, column);    // -1 when the value is null
 * RowAccess.INTERNAL.read(row, column, scratch);    // n values into scratch
 * }</pre>
 *
 * @param <R> the row type
 */
interface RowAccess<R> extends Serializable {
    /** The number of values the row holds in the column (1 for a number), or -1 when it is null. */
    int width(R row, Column c);

    /**
     * Reads the row's values of the column into {@code dst} from index 0 ({@link #width} of them).
     *
     * @return the index of a null element of an array, or -1 when there is none
     */
    int read(R row, Column c, double[] dst);

    /**
     * Reads the row's values of the column as floats into {@code dst} from {@code off} ({@link #width} of them): the
     * path of the usual float input, without the pass through doubles.
     *
     * @return the index of a null element of an array, or -1 when there is none
     */
    int readFloats(R row, Column c, float[] dst, int off);

    /** The value as text, for messages (a key column). */
    String text(R row, Column c);

    /**
     * Reads one number from each of the number columns {@code cs} into {@code dst} from index 0 (the inputs fed by
     * many number columns).
     *
     * @return the index in {@code cs} of a column whose value is null, or -1 when there is none
     */
    int readNumbers(R row, Column[] cs, double[] dst);

    /** Spark's internal binary rows. */
    RowAccess<InternalRow> INTERNAL = new RowAccess<>() {
        private static final long serialVersionUID = 1L;

        @Override
        public int width(InternalRow row, Column c) {
            if (row.isNullAt(c.ordinal)) {
                return -1;
            }
            return switch (c.form) {
                case NUMBER -> 1;
                case ARRAY -> row.getArray(c.ordinal).numElements();
                case VECTOR -> {
                    InternalRow v = row.getStruct(c.ordinal, 4);
                    yield v.getByte(0) == 1 ? v.getArray(3).numElements() : v.getInt(1);
                }
            };
        }

        @Override
        public int read(InternalRow row, Column c, double[] dst) {
            switch (c.form) {
                case NUMBER -> dst[0] = number(row, c);
                case ARRAY -> {
                    ArrayData a = row.getArray(c.ordinal);
                    return array(a, c.element, dst);
                }
                case VECTOR -> {
                    InternalRow v = row.getStruct(c.ordinal, 4);
                    ArrayData values = v.getArray(3);
                    if (v.getByte(0) == 1) {
                        for (int i = 0, n = values.numElements(); i < n; i++) {
                            dst[i] = values.getDouble(i);
                        }
                    } else {
                        java.util.Arrays.fill(dst, 0, v.getInt(1), 0.0);
                        ArrayData indices = v.getArray(2);
                        for (int i = 0, n = values.numElements(); i < n; i++) {
                            dst[indices.getInt(i)] = values.getDouble(i);
                        }
                    }
                }
            }
            return -1;
        }

        @Override
        public int readFloats(InternalRow row, Column c, float[] dst, int off) {
            switch (c.form) {
                case NUMBER -> dst[off] = (float) number(row, c);
                case ARRAY -> {
                    ArrayData a = row.getArray(c.ordinal);
                    int n = a.numElements();
                    if (c.element == Column.Element.FLOAT) {
                        for (int i = 0; i < n; i++) {
                            if (a.isNullAt(i)) {
                                return i;
                            }
                            dst[off + i] = a.getFloat(i);
                        }
                    } else {
                        for (int i = 0; i < n; i++) {
                            if (a.isNullAt(i)) {
                                return i;
                            }
                            dst[off + i] = (float) element(a, c.element, i);
                        }
                    }
                }
                case VECTOR -> {
                    InternalRow v = row.getStruct(c.ordinal, 4);
                    ArrayData values = v.getArray(3);
                    if (v.getByte(0) == 1) {
                        for (int i = 0, n = values.numElements(); i < n; i++) {
                            dst[off + i] = (float) values.getDouble(i);
                        }
                    } else {
                        java.util.Arrays.fill(dst, off, off + v.getInt(1), 0f);
                        ArrayData indices = v.getArray(2);
                        for (int i = 0, n = values.numElements(); i < n; i++) {
                            dst[off + indices.getInt(i)] = (float) values.getDouble(i);
                        }
                    }
                }
            }
            return -1;
        }

        private double element(ArrayData a, Column.Element element, int i) {
            return switch (element) {
                case DOUBLE -> a.getDouble(i);
                case FLOAT -> a.getFloat(i);
                case LONG -> a.getLong(i);
                case INT -> a.getInt(i);
                case SHORT -> a.getShort(i);
                case BYTE -> a.getByte(i);
                case BOOLEAN -> a.getBoolean(i) ? 1.0 : 0.0;
            };
        }

        private double number(InternalRow row, Column c) {
            int o = c.ordinal;
            return switch (c.element) {
                case DOUBLE -> row.getDouble(o);
                case FLOAT -> row.getFloat(o);
                case LONG -> row.getLong(o);
                case INT -> row.getInt(o);
                case SHORT -> row.getShort(o);
                case BYTE -> row.getByte(o);
                case BOOLEAN -> row.getBoolean(o) ? 1.0 : 0.0;
            };
        }

        private int array(ArrayData a, Column.Element element, double[] dst) {
            for (int i = 0, n = a.numElements(); i < n; i++) {
                if (a.isNullAt(i)) {
                    return i;
                }
                dst[i] = element(a, element, i);
            }
            return -1;
        }

        @Override
        public int readNumbers(InternalRow row, Column[] cs, double[] dst) {
            for (int j = 0; j < cs.length; j++) {
                if (row.isNullAt(cs[j].ordinal)) {
                    return j;
                }
                dst[j] = number(row, cs[j]);
            }
            return -1;
        }

        @Override
        public String text(InternalRow row, Column c) {
            return row.isNullAt(c.ordinal) ? "null" : String.valueOf(row.get(c.ordinal, c.type));
        }
    };

    /** Public {@link Row}s. */
    RowAccess<Row> ROW = new RowAccess<>() {
        private static final long serialVersionUID = 1L;

        @Override
        public int width(Row row, Column c) {
            if (row.isNullAt(c.ordinal)) {
                return -1;
            }
            return switch (c.form) {
                case NUMBER -> 1;
                case ARRAY -> row.getList(c.ordinal).size();
                case VECTOR -> ((Vector) row.get(c.ordinal)).size();
            };
        }

        @Override
        public int read(Row row, Column c, double[] dst) {
            Object value = row.get(c.ordinal);
            switch (c.form) {
                case NUMBER -> dst[0] = number(value);
                case ARRAY -> {
                    List<Object> list = row.getList(c.ordinal);
                    for (int i = 0, n = list.size(); i < n; i++) {
                        Object v = list.get(i);
                        if (v == null) {
                            return i;
                        }
                        dst[i] = number(v);
                    }
                }
                case VECTOR -> {
                    if (value instanceof DenseVector d) {
                        System.arraycopy(d.values(), 0, dst, 0, d.size());
                    } else {
                        SparseVector s = (SparseVector) value;
                        java.util.Arrays.fill(dst, 0, s.size(), 0.0);
                        int[] indices = s.indices();
                        double[] values = s.values();
                        for (int i = 0; i < indices.length; i++) {
                            dst[indices[i]] = values[i];
                        }
                    }
                }
            }
            return -1;
        }

        @Override
        public int readFloats(Row row, Column c, float[] dst, int off) {
            Object value = row.get(c.ordinal);
            switch (c.form) {
                case NUMBER -> dst[off] = (float) number(value);
                case ARRAY -> {
                    List<Object> list = row.getList(c.ordinal);
                    for (int i = 0, n = list.size(); i < n; i++) {
                        Object v = list.get(i);
                        if (v == null) {
                            return i;
                        }
                        dst[off + i] = (float) number(v);
                    }
                }
                case VECTOR -> {
                    if (value instanceof DenseVector d) {
                        double[] values = d.values();
                        for (int i = 0; i < values.length; i++) {
                            dst[off + i] = (float) values[i];
                        }
                    } else {
                        SparseVector sv = (SparseVector) value;
                        java.util.Arrays.fill(dst, off, off + sv.size(), 0f);
                        int[] indices = sv.indices();
                        double[] values = sv.values();
                        for (int i = 0; i < indices.length; i++) {
                            dst[off + indices[i]] = (float) values[i];
                        }
                    }
                }
            }
            return -1;
        }

        private double number(Object v) {
            return v instanceof Boolean b ? (b ? 1.0 : 0.0) : ((Number) v).doubleValue();
        }

        @Override
        public int readNumbers(Row row, Column[] cs, double[] dst) {
            for (int j = 0; j < cs.length; j++) {
                Object v = row.get(cs[j].ordinal);
                if (v == null) {
                    return j;
                }
                dst[j] = number(v);
            }
            return -1;
        }

        @Override
        public String text(Row row, Column c) {
            return String.valueOf(row.get(c.ordinal));
        }
    };
}
