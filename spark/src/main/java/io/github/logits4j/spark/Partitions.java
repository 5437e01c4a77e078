package io.github.logits4j.spark;

import io.github.logits4j.data.DataException;
import io.github.logits4j.onnx.EvaluationOptions;
import io.github.logits4j.onnx.StreamingEvaluation;
import java.util.Iterator;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.jspecify.annotations.Nullable;

/**
 * What the executors do for {@link OnnxClassifierTransformer#evaluate}: evaluate one partition's rows into the bytes
 * of a {@link StreamingEvaluation}, and merge two such states (the steps of {@code treeAggregate}).
 *
 * <pre>{@code
 * byte[] state = Partitions.evaluate(handle, binding, options, 512, rows);   // an InternalRows.Partition
 * byte[] both = Partitions.merge(handle, options, state, other);
 * }</pre>
 */
final class Partitions {
    /** The state of a partition with no rows: merging it changes nothing. */
    static final byte[] NOTHING = new byte[0];

    private Partitions() {
    }

    /**
     * The evaluation state of one partition's rows, run in batches of {@code batch} rows. A columnar partition's
     * batches fill the model's batches a run of rows at a time ({@link BatchFiller#addRows}).
     *
     * @throws PartitionFailure naming the partition, the row and what was wrong
     */
    static byte[] evaluate(ModelHandle handle, Binding binding, EvaluationOptions options, int batch,
            InternalRows.Partition rows) {
        StreamingEvaluation evaluation = null;
        try {
            BatchFiller<InternalRow> filler = new BatchFiller<>(binding, rows.access(), batch);
            if (rows.columnar()) {
                for (ColumnarBatch b = rows.nextBatch(); b != null; b = rows.nextBatch()) {
                    for (int from = 0, n = b.numRows(); from < n; ) {
                        int count = Math.min(n - from, batch - filler.rows());
                        BatchFiller.addRows(filler, b, rows.vectors(), from, count);
                        from += count;
                        if (filler.full()) {
                            evaluation = flush(filler, evaluation, handle, options);
                        }
                    }
                }
            } else {
                for (Iterator<InternalRow> it = rows.rows(); it.hasNext(); ) {
                    filler.add(it.next());
                    if (filler.full()) {
                        evaluation = flush(filler, evaluation, handle, options);
                    }
                }
            }
            if (filler.rows() > 0) {
                evaluation = flush(filler, evaluation, handle, options);
            }
            return evaluation == null ? NOTHING : evaluation.toBytes();
        } catch (IllegalArgumentException | IllegalStateException | DataException e) {
            throw PartitionFailure.of(e);
        }
    }

    /**
     * Adds the filler's batch to {@code evaluation}, made at the first batch (a partition without rows makes none), and
     * empties the filler.
     */
    private static StreamingEvaluation flush(BatchFiller<InternalRow> filler, @Nullable StreamingEvaluation evaluation,
            ModelHandle handle, EvaluationOptions options) {
        StreamingEvaluation e = evaluation != null ? evaluation : handle.classifier().newEvaluation(options);
        e.add(filler.labelled());
        filler.clear();
        return e;
    }

    /** The state of both {@code a} and {@code b}. */
    static byte[] merge(ModelHandle handle, EvaluationOptions options, byte[] a, byte[] b) {
        if (a.length == 0) {
            return b;
        }
        if (b.length == 0) {
            return a;
        }
        StreamingEvaluation both = handle.classifier().newEvaluation(options);
        both.mergeBytes(a);
        both.mergeBytes(b);
        return both.toBytes();
    }
}
