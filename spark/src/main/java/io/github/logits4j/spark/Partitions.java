package io.github.logits4j.spark;

import io.github.logits4j.data.DataException;
import io.github.logits4j.onnx.EvaluationOptions;
import io.github.logits4j.onnx.StreamingEvaluation;
import java.util.Iterator;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * What the executors do for {@link OnnxClassifierTransformer#evaluate}: evaluate one partition's rows into the bytes
 * of a {@link StreamingEvaluation}, and merge two such states (the steps of {@code treeAggregate}).
 *
 * <pre>{@code
 * byte[] state = Partitions.evaluate(handle, binding, options, 512, rows);
 * byte[] both = Partitions.merge(handle, options, state, other);
 * }</pre>
 */
final class Partitions {
    /** The state of a partition with no rows: merging it changes nothing. */
    static final byte[] NOTHING = new byte[0];

    private Partitions() {
    }

    /**
     * The evaluation state of one partition's rows, run in batches of {@code batch} rows.
     *
     * @throws PartitionFailure naming the partition, the row and what was wrong
     */
    static byte[] evaluate(ModelHandle handle, Binding binding, EvaluationOptions options, int batch,
            Iterator<InternalRow> rows) {
        if (!rows.hasNext()) {
            return NOTHING;
        }
        try {
            StreamingEvaluation evaluation = handle.classifier().newEvaluation(options);
            BatchFiller<InternalRow> filler = new BatchFiller<>(binding, RowAccess.INTERNAL, batch);
            while (rows.hasNext()) {
                filler.add(rows.next());
                if (filler.full()) {
                    evaluation.add(filler.labelled());
                    filler.clear();
                }
            }
            if (filler.rows() > 0) {
                evaluation.add(filler.labelled());
            }
            return evaluation.toBytes();
        } catch (IllegalArgumentException | IllegalStateException | DataException e) {
            throw PartitionFailure.of(e);
        }
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
