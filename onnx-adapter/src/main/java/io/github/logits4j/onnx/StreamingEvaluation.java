package io.github.logits4j.onnx;

import io.github.logits4j.FloatMatrix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An evaluation fed one labelled batch at a time, and mergeable: evaluate parts of a data set apart (on threads,
 * processes or the executors of a Spark job), send each part's {@link #toBytes() state} where the parts meet and
 * {@link #mergeBytes merge} them there; the result equals one evaluation over all the rows (counts, threshold metrics
 * and exact rank metrics exactly; sums such as the loss up to the order of addition). {@link OnnxClassifier#evaluate}
 * is one of these fed every batch.
 *
 * <pre>{@code
 * StreamingEvaluation part = model.newEvaluation(options);
 * for (LabelledBatch b : partition) {
 *     part.add(b);                                  // runs the model and adds its scores
 * }
 * byte[] state = part.toBytes();                    // a few kB, or every score in exact rank mode
 * StreamingEvaluation total = model.newEvaluation(options);
 * total.mergeBytes(state);                          // for each part
 * EvaluationResult result = total.result();
 * }</pre>
 *
 * <p>The state holds the metrics, the loss and counts, not the model or the options: merge it into an evaluation of
 * the same model output and options, which the state's header checks. Timing sums the parts' times in ONNX Runtime and
 * post-processing; the total time is this evaluation's own, from its start. Not thread-safe: one thread feeds one
 * evaluation (its metrics may use several); the classifier itself is shared.
 */
public final class StreamingEvaluation {
    private final OnnxClassifier model;
    private final Evaluation evaluation;
    private final Workspace workspace = new Workspace();
    private FloatBuffer out;

    StreamingEvaluation(OnnxClassifier model, Evaluation evaluation) {
        this.model = model;
        this.evaluation = evaluation;
    }

    /**
     * Runs the model on the batch and adds its scores, with the batch's labels, to the loss and the metrics.
     *
     * @throws IllegalArgumentException if the batch does not match the model or its labels are invalid (naming rows
     *         of the data set, from the batch's first row)
     * @throws IllegalStateException if the classifier is closed, ONNX Runtime fails, or the output holds NaN
     */
    public void add(LabelledBatch batch) {
        Objects.requireNonNull(batch, "batch");
        out = outputFor(batch, out);
        addRun(batch, out, run(batch, out, workspace));
    }

    /**
     * Runs the model on {@code batch} into {@code out} (room for the batch's scores, {@link #outputFor}) with the
     * calling thread's workspace; returns the nanoseconds in ONNX Runtime. Safe on another thread than {@link #addRun}.
     */
    long run(LabelledBatch batch, FloatBuffer out, Workspace ws) {
        return model.runInto(batch.inputs(), out, ws);
    }

    /**
     * {@code current} when it has room for {@code batch}'s scores, else a new direct buffer that does.
     *
     * @throws IllegalArgumentException if the batch is empty or its scores would not fit one buffer
     */
    FloatBuffer outputFor(LabelledBatch batch, @Nullable FloatBuffer current) {
        int size = model.contract().checkedSize(batch.inputs().rows());
        return current != null && current.capacity() >= size ? current
                : ByteBuffer.allocateDirect(size * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Adds {@code batch}, whose model output {@link #run} wrote into {@code out} in {@code ort} nanoseconds. */
    void addRun(LabelledBatch batch, FloatBuffer out, long ort) {
        evaluation.add(FloatMatrix.wrap(out, batch.inputs().rows(), model.classes()), batch, ort);
    }

    /**
     * This evaluation's state in a compact binary form (the loss, counts and metric accumulators; every stored score
     * in exact rank mode), for {@link #mergeBytes} in another JVM running the same logits4j version. The evaluation
     * stays usable.
     *
     * @throws IllegalStateException if exact rank mode holds more scores than one array can; use binned rank metrics
     */
    public byte[] toBytes() {
        return evaluation.toBytes();
    }

    /**
     * Adds the rows of another evaluation, given as its {@link #toBytes()}, to this one.
     *
     * @throws IllegalArgumentException if the bytes are not an evaluation's state, or come from another model output
     *         or other options (nothing is merged then; a truncated state leaves this evaluation partly merged)
     */
    public void mergeBytes(byte[] state) {
        evaluation.mergeBytes(Objects.requireNonNull(state, "state"));
    }

    /**
     * Adds the rows of {@code other} (of the same model output and options) to this one.
     *
     * @throws IllegalArgumentException if {@code other} is of another model output or other options
     */
    public void merge(StreamingEvaluation other) {
        evaluation.mergeBytes(Objects.requireNonNull(other, "other").toBytes());
    }

    /**
     * The loss, the metrics report, counts and timing of every row added or merged so far; the evaluation stays
     * usable.
     *
     * @throws IllegalArgumentException if no row was added
     */
    public EvaluationResult result() {
        return evaluation.result();
    }
}
