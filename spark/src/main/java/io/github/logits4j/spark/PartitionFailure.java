package io.github.logits4j.spark;

import org.apache.spark.TaskContext;

/**
 * A bad row or a failed run in one partition, carried from the executor to the driver, where {@link #unwrap} turns
 * Spark's job failure (a long message with the executor's stack trace) back into the one line that says what was
 * wrong: {@code partition 3, row 17 of the partition (id = 42): column 'features' (vector) holds NaN at index 5; ...}.
 *
 * <pre>{@code
 * try {
 *     rdd.treeAggregate(...);
 * } catch (Exception e) {                          // Spark's SparkException, unchecked from Java's view
 *     throw PartitionFailure.unwrap(e);
 * }
 * }</pre>
 */
public final class PartitionFailure extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private PartitionFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code e}, thrown in this task, with the partition in front of its message. */
    static PartitionFailure of(RuntimeException e) {
        if (e instanceof PartitionFailure p) {
            return p;
        }
        TaskContext task = TaskContext.get();
        String where = task == null ? "" : "partition " + task.partitionId() + ", ";
        return new PartitionFailure(where + e.getMessage(), e);
    }

    /**
     * The failure a job died of, as one {@link IllegalArgumentException} whose message is the partition's (the
     * original exception is its cause); Spark's own failure when no partition reported one. For an action on a
     * transformer's output ({@code transform(df).write()...}), whose bad row would otherwise surface as Spark's
     * long job failure.
     */
    public static RuntimeException unwrap(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PartitionFailure p) {
                return new IllegalArgumentException(p.getMessage(), p);
            }
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException("the Spark job failed: "
                + e.getMessage(), e);
    }
}
