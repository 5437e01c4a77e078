package io.github.logits4j.spark;

import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * A data set's rows as Spark's internal rows, for reading without boxing. When the data set is a plain vectorized
 * scan (a Parquet or ORC table as read, the usual case for an evaluation), the rows are views over the scan's columnar
 * batches, so the values are read where the reader decoded them, without the copy into row format Spark makes for
 * everything else; any other plan (a repartition, a join, a filter Spark does not push down) gives its rows as they
 * are.
 *
 * <pre>{@code
 * JavaRDD<InternalRow> rows = InternalRows.of(df);     // read each row before the next: the views are reused
 * }</pre>
 */
final class InternalRows {
    private InternalRows() {
    }

    /** The rows of {@code dataset}; each row object is valid until the iterator moves on. */
    static JavaRDD<InternalRow> of(Dataset<?> dataset) {
        SparkPlan plan = dataset.queryExecution().executedPlan();
        SparkPlan top = plan instanceof WholeStageCodegenExec w ? w.child() : plan;
        if (top instanceof ColumnarToRowExec c && c.child().supportsColumnar()
                && Arrays.equals(c.child().schema().fieldNames(), dataset.schema().fieldNames())) {
            return c.child().executeColumnar().toJavaRDD().mapPartitions(InternalRows::rows);
        }
        return dataset.queryExecution().toRdd().toJavaRDD();
    }

    /** The rows of each batch in turn; a batch is left (and may be reused by the reader) once its rows are read. */
    private static Iterator<InternalRow> rows(Iterator<ColumnarBatch> batches) {
        return new Iterator<>() {
            private Iterator<InternalRow> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && batches.hasNext()) {
                    current = batches.next().rowIterator();
                }
                return current.hasNext();
            }

            @Override
            public InternalRow next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }
}
