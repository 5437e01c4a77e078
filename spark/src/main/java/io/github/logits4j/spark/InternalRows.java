package io.github.logits4j.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.sql.vectorized.ColumnarBatchRow;
import org.jspecify.annotations.Nullable;

/**
 * A data set's rows as Spark's internal rows, for reading without boxing. When the data set is a plain vectorized
 * scan (a Parquet or ORC table as read, the usual case for an evaluation), the rows are views over the scan's columnar
 * batches and their values are read from the scan's column vectors where the reader decoded them: an array column's
 * values straight from its child vector, with no array view a row and no null check an element when the batch holds
 * no null. Any other plan (a repartition, a join, a filter Spark does not push down) gives its rows as they are, read
 * with {@link RowAccess#INTERNAL}.
 *
 * <pre>{@code
 * JavaRDD<byte[]> states = InternalRows.mapPartitions(df, rows -> evaluate(rows));
 * }</pre>
 */
final class InternalRows {
    private InternalRows() {
    }

    /**
     * What runs on one partition.
     *
     * @param <U> what the partition gives
     */
    @FunctionalInterface
    interface PartitionFunction<U> extends Serializable {
        /** The partition's result. */
        U apply(Partition rows);
    }

    /**
     * One partition's rows: Spark's rows read with {@link RowAccess#INTERNAL}, or a columnar scan's batches, whose
     * rows are views (valid until the next) read from the batch's vectors by {@link #access}.
     */
    static final class Partition {
        private final @Nullable Iterator<InternalRow> rows;
        private final @Nullable Iterator<ColumnarBatch> batches;
        private final VectorAccess columnarAccess = new VectorAccess();
        private @Nullable ColumnarBatch batch;

        private Partition(@Nullable Iterator<InternalRow> rows, @Nullable Iterator<ColumnarBatch> batches) {
            this.rows = rows;
            this.batches = batches;
        }

        /** Whether the rows come as columnar batches ({@link #nextBatch}), else one by one ({@link #rows}). */
        boolean columnar() {
            return batches != null;
        }

        /** How the rows are read. */
        RowAccess<InternalRow> access() {
            return batches != null ? columnarAccess : RowAccess.INTERNAL;
        }

        /** The rows one by one, when the partition is not {@link #columnar}. */
        Iterator<InternalRow> rows() {
            if (rows == null) {
                throw new IllegalStateException("a columnar partition is read a batch at a time");
            }
            return rows;
        }

        /**
         * The next columnar batch, or null at the end; its vectors become those {@link #access} reads. The batch before
         * it is left (the reader may reuse it).
         */
        @Nullable ColumnarBatch nextBatch() {
            if (batches == null || !batches.hasNext()) {
                batch = null;
                return null;
            }
            batch = batches.next();
            ColumnVector[] v = new ColumnVector[batch.numCols()];
            for (int i = 0; i < v.length; i++) {
                v[i] = batch.column(i);
            }
            columnarAccess.vectors = v;
            return batch;
        }

        /** The current batch's vectors, by column ordinal. */
        ColumnVector[] vectors() {
            return columnarAccess.vectors;
        }
    }

    /** One result a partition: {@code f} applied to each partition's rows. */
    static <U> JavaRDD<U> mapPartitions(Dataset<?> dataset, PartitionFunction<U> f) {
        SparkPlan scan = columnarScan(dataset);
        if (scan != null) {
            return scan.executeColumnar().toJavaRDD()
                    .mapPartitions(batches -> List.of(f.apply(new Partition(null, batches))).iterator());
        }
        return dataset.queryExecution().toRdd().toJavaRDD()
                .mapPartitions(rows -> List.of(f.apply(new Partition(rows, null))).iterator());
    }

    /** Whether {@code dataset}'s rows are read from a columnar scan's vectors (for tests). */
    static boolean columnar(Dataset<?> dataset) {
        return columnarScan(dataset) != null;
    }

    /** The columnar scan that gives {@code dataset}'s columns as they are, or null. */
    private static SparkPlan columnarScan(Dataset<?> dataset) {
        SparkPlan plan = dataset.queryExecution().executedPlan();
        SparkPlan top = plan instanceof WholeStageCodegenExec w ? w.child() : plan;
        if (top instanceof ColumnarToRowExec c && c.child().supportsColumnar()
                && Arrays.equals(c.child().schema().fieldNames(), dataset.schema().fieldNames())) {
            return c.child();
        }
        return null;
    }

    /**
     * Reads the rows of the current batch from its column vectors: an array of numbers from the array's child vector
     * at the row's offset; anything else (a Spark ML vector, a key as text, another kind of vector) as
     * {@link RowAccess#INTERNAL} reads it.
     */
    private static final class VectorAccess implements RowAccess<InternalRow> {
        private static final long serialVersionUID = 1L;
        /** The current batch's vectors, by column ordinal; set as the rows move to the next batch. */
        private transient ColumnVector[] vectors;

        /** The array column's vector when the row's values can be read from it directly, else null. */
        private WritableColumnVector array(InternalRow row, Column c) {
            return c.form == Column.Form.ARRAY && row instanceof ColumnarBatchRow
                    && vectors[c.ordinal] instanceof WritableColumnVector w ? w : null;
        }

        /** The index of the first null of the {@code n} values from {@code start}, or -1: no pass without nulls. */
        private static int firstNull(WritableColumnVector data, int start, int n) {
            if (data.hasNull()) {
                for (int i = 0; i < n; i++) {
                    if (data.isNullAt(start + i)) {
                        return i;
                    }
                }
            }
            return -1;
        }

        @Override
        public int width(InternalRow row, Column c) {
            WritableColumnVector v = array(row, c);
            if (v == null) {
                return RowAccess.INTERNAL.width(row, c);
            }
            int r = ((ColumnarBatchRow) row).rowId;
            return v.isNullAt(r) ? -1 : v.getArrayLength(r);
        }

        @Override
        public int read(InternalRow row, Column c, double[] dst) {
            WritableColumnVector v = array(row, c);
            if (v == null) {
                return RowAccess.INTERNAL.read(row, c, dst);
            }
            int r = ((ColumnarBatchRow) row).rowId;
            int start = v.getArrayOffset(r);
            int n = v.getArrayLength(r);
            WritableColumnVector data = v.arrayData();
            int nullAt = firstNull(data, start, n);
            if (nullAt >= 0) {
                return nullAt;
            }
            switch (c.element) {
                case DOUBLE -> {
                    for (int i = 0; i < n; i++) {
                        dst[i] = data.getDouble(start + i);
                    }
                }
                case FLOAT -> {
                    for (int i = 0; i < n; i++) {
                        dst[i] = data.getFloat(start + i);
                    }
                }
                case LONG -> {
                    for (int i = 0; i < n; i++) {
                        dst[i] = data.getLong(start + i);
                    }
                }
                case INT -> {
                    for (int i = 0; i < n; i++) {
                        dst[i] = data.getInt(start + i);
                    }
                }
                default -> {
                    return RowAccess.INTERNAL.read(row, c, dst);
                }
            }
            return -1;
        }

        @Override
        public int readFloats(InternalRow row, Column c, float[] dst, int off) {
            WritableColumnVector v = array(row, c);
            if (v == null) {
                return RowAccess.INTERNAL.readFloats(row, c, dst, off);
            }
            int r = ((ColumnarBatchRow) row).rowId;
            int start = v.getArrayOffset(r);
            int n = v.getArrayLength(r);
            WritableColumnVector data = v.arrayData();
            int nullAt = firstNull(data, start, n);
            if (nullAt >= 0) {
                return nullAt;
            }
            switch (c.element) {
                case FLOAT -> {
                    for (int i = 0; i < n; i++) {
                        dst[off + i] = data.getFloat(start + i);
                    }
                }
                case DOUBLE -> {
                    for (int i = 0; i < n; i++) {
                        dst[off + i] = (float) data.getDouble(start + i);
                    }
                }
                default -> {
                    return RowAccess.INTERNAL.readFloats(row, c, dst, off);
                }
            }
            return -1;
        }

        @Override
        public int readNumbers(InternalRow row, Column[] cs, double[] dst) {
            if (!(row instanceof ColumnarBatchRow b)) {
                return RowAccess.INTERNAL.readNumbers(row, cs, dst);
            }
            int r = b.rowId;
            for (int j = 0; j < cs.length; j++) {
                Column c = cs[j];
                ColumnVector v = vectors[c.ordinal];
                if (v.isNullAt(r)) {
                    return j;
                }
                dst[j] = switch (c.element) {
                    case FLOAT -> v.getFloat(r);
                    case DOUBLE -> v.getDouble(r);
                    case LONG -> v.getLong(r);
                    case INT -> v.getInt(r);
                    case SHORT -> v.getShort(r);
                    case BYTE -> v.getByte(r);
                    case BOOLEAN -> v.getBoolean(r) ? 1.0 : 0.0;
                };
            }
            return -1;
        }

        @Override
        public String text(InternalRow row, Column c) {
            return RowAccess.INTERNAL.text(row, c);
        }
    }
}
