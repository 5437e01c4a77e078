package io.github.logits4j.onnx;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.activation.Activation;
import io.github.logits4j.decision.Argmax;
import io.github.logits4j.decision.MultilabelDecision;
import io.github.logits4j.decision.TopK;
import java.util.List;

/**
 * One batch's output of an {@link OnnxClassifier}: the model's raw output as it produced it, and the probabilities
 * after the head (softmax, sigmoid, exp or none) was applied once.
 *
 * <pre>{@code
 * Scores scores = model.run(features);
 * int[] predicted = scores.predictedClasses();           // argmax, first index on ties
 * String label = scores.className(predicted[0]);
 * int[] top5 = scores.topK(5);                           // [rows x 5], best first, ties to the lower index
 * float[] p5 = new float[scores.rows() * 5];
 * scores.topK(5, top5, p5);                              // the same classes with their probabilities
 * FloatMatrix p = scores.probabilities();                // [rows x classes]
 * }</pre>
 *
 * <p>{@link #raw()} is a read-only view of the buffer ONNX Runtime wrote (no copy); {@link #probabilities()} is that
 * same view when the model already emits probabilities, else a new matrix. Immutable; safe to share between threads.
 */
public final class Scores {
    private final FloatMatrix raw;
    private final FloatMatrix probabilities;
    private final Task task;
    private final OutputKind outputKind;
    private final Activation activation;
    private final List<String> classNames;
    private final long onnxRuntimeNanos;

    Scores(FloatMatrix raw, ModelContract model, long firstRow, long onnxRuntimeNanos) {
        this.raw = raw;
        this.task = model.task();
        this.outputKind = model.outputKind();
        this.activation = model.activation();
        this.classNames = model.classNames();
        this.onnxRuntimeNanos = onnxRuntimeNanos;
        if (outputKind == OutputKind.DECISION_VALUES) {
            this.probabilities = null;
        } else if (activation == Activation.NONE) {
            this.probabilities = raw;
        } else {
            FloatMatrix p = FloatMatrix.allocate(raw.rows(), raw.cols());
            activation.apply(raw, p);
            float[] values = p.array();
            for (int i = 0; i < values.length; i++) {
                if (Float.isNaN(values[i])) {
                    model.checkHead(raw, i / raw.cols(), firstRow, "");
                }
            }
            this.probabilities = FloatMatrix.wrap(java.nio.FloatBuffer.wrap(p.array()).asReadOnlyBuffer(), raw.rows(),
                    raw.cols());
        }
    }

    /** The number of rows. */
    public int rows() {
        return raw.rows();
    }

    /** The number of classes (labels; 1 for binary). */
    public int classes() {
        return raw.cols();
    }

    /** The task of the model. */
    public Task task() {
        return task;
    }

    /** What {@link #raw()} holds. */
    public OutputKind outputKind() {
        return outputKind;
    }

    /** The head that turned {@link #raw()} into {@link #probabilities()}. */
    public Activation activation() {
        return activation;
    }

    /** The model's output as it produced it (read-only). */
    public FloatMatrix raw() {
        return raw;
    }

    /**
     * The probabilities (softmax rows, or per-label sigmoid outputs; read-only).
     *
     * @throws IllegalStateException for a model that emits decision values, which have none
     */
    public FloatMatrix probabilities() {
        if (probabilities == null) {
            throw new IllegalStateException("the model emits decision values (SVM margins, ridge or perceptron"
                    + " scores), which have no probabilities: read raw(), predictedClasses() or topK(), or declare"
                    + " logits with outputKind(OutputKind.LOGITS) if the model was trained with a log loss");
        }
        return probabilities;
    }

    /** What the decisions rank: the probabilities, or the raw decision values. */
    private FloatMatrix ranked() {
        return probabilities != null ? probabilities : raw;
    }

    /** Nanoseconds spent in ONNX Runtime for this batch. */
    public long onnxRuntimeNanos() {
        return onnxRuntimeNanos;
    }

    /** The name of class {@code index}. */
    public String className(int index) {
        return classNames.get(index);
    }

    /** The class names, in index order. */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * The predicted class of every row: the argmax for multi-class (first index on ties), {@code p >= 0.5} for
     * binary (1 or 0).
     *
     * @throws IllegalStateException for a multi-label model: use {@link #decide(MultilabelDecision)}
     */
    public int[] predictedClasses() {
        switch (task) {
            case MULTICLASS:
                return Argmax.of(ranked());
            case BINARY: {
                int[] out = new int[rows()];
                for (int r = 0; r < out.length; r++) {
                    out[r] = probabilities.get(r, 0) >= 0.5f ? 1 : 0;
                }
                return out;
            }
            default:
                throw new IllegalStateException("a multi-label model predicts a set of labels per row: use decide(...)");
        }
    }

    /**
     * The {@code k} most probable classes of every row (highest-scoring, for decision values), row-major
     * {@code [rows × k]}, best first.
     */
    public int[] topK(int k) {
        return TopK.of(ranked(), k);
    }

    /**
     * The {@code k} most probable classes of every row into {@code classes}, and their probabilities into
     * {@code probabilities}, both row-major {@code [rows × k]}, best first (ties to the lower index).
     */
    public void topK(int k, int[] classes, float[] probabilities) {
        TopK.into(ranked(), k, classes, probabilities);
    }

    /**
     * The {@code k} most probable classes of every row (highest-scoring, for decision values), best first (ties to
     * the lower index), as {@link Classification} records with their names and probabilities: a list per row.
     * Allocates per row; {@link #topK(int, int[], float[])} gives the same as flat arrays.
     *
     * @throws IllegalArgumentException if {@code k} is not in {@code [1, classes]}
     */
    public List<List<Classification>> classifications(int k) {
        int n = rows();
        if (k < 1 || k > classes()) {
            throw new IllegalArgumentException("k is " + k + "; expected 1 to " + classes());
        }
        int[] top = new int[n * k];
        float[] values = new float[n * k];
        topK(k, top, values);
        List<List<Classification>> out = new java.util.ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            Classification[] row = new Classification[k];
            for (int j = 0; j < k; j++) {
                int c = top[r * k + j];
                row[j] = new Classification(c, classNames.get(c), values[r * k + j]);
            }
            out.add(List.of(row));
        }
        return java.util.Collections.unmodifiableList(out);
    }

    /**
     * Multi-label decisions over the probabilities, row-major {@code [rows × classes]}.
     *
     * @throws IllegalArgumentException if the rule does not read probabilities
     */
    public boolean[] decide(MultilabelDecision rule) {
        return rule.decide(probabilities());
    }

    @Override
    public String toString() {
        return "Scores[" + rows() + " x " + classes() + ", " + outputKind.name().toLowerCase(java.util.Locale.ROOT)
                + " -> " + activation.id() + "]";
    }
}
