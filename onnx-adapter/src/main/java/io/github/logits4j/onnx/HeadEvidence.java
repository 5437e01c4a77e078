package io.github.logits4j.onnx;

import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the model graph says about one output: whether it emits logits, probabilities or log-probabilities, and the
 * nodes that show it.
 *
 * <p>It is found by walking back from the output through shape-only operators (Identity, Reshape, Flatten, Squeeze,
 * Unsqueeze, Cast, and a Transpose that keeps the last axis last) to the node that computes it: Softmax gives
 * {@link OutputKind#PROBABILITIES} (multi-class), LogSoftmax {@link OutputKind#LOG_PROBABILITIES} (multi-class),
 * Sigmoid {@link OutputKind#PROBABILITIES} (binary or multi-label, decided by the class count), a scikit-learn
 * {@code ZipMap} {@link OutputKind#PROBABILITIES} (multi-class, with the class labels), and anything else
 * {@link OutputKind#LOGITS}. An {@code If} node counts when both its branches end in the same head.
 *
 * <pre>{@code
 * HeadEvidence head = graph.detectHead("probabilities");
 * head.kind();          // PROBABILITIES
 * head.op();            // "Softmax"
 * head.description();   // "Softmax node 'sm' (through Identity 'id', Reshape 'rs')"
 * head.nodes();         // ["sm", "id", "rs"]
 * head.taskHint();      // MULTICLASS
 * }</pre>
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class HeadEvidence {
    private final OutputKind kind;
    private final String op;
    private final List<String> nodes;
    private final String description;
    private final Task taskHint;
    private final List<String> zipMapLabels;

    HeadEvidence(OutputKind kind, String op, List<String> nodes, String description, Task taskHint,
            List<String> zipMapLabels) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.op = op;
        this.nodes = List.copyOf(nodes);
        this.description = Objects.requireNonNull(description, "description");
        this.taskHint = taskHint;
        this.zipMapLabels = List.copyOf(zipMapLabels);
    }

    /** What the output emits, as the graph shows it. */
    public OutputKind kind() {
        return kind;
    }

    /**
     * The operator that decided the kind: {@code "Softmax"}, {@code "LogSoftmax"}, {@code "Sigmoid"},
     * {@code "ZipMap"}, {@code "If"} when the branches of an If node disagree, or for logits the operator that
     * produces them ({@code "Gemm"}, {@code "MatMul"}, {@code "Add"}, ...). Null when the output is a graph input or
     * a constant. An operator of a domain other than the default ONNX one is qualified by it
     * ({@code "com.microsoft.FusedMatMul"}), except {@code ZipMap} of {@code ai.onnx.ml}.
     */
    public String op() {
        return op;
    }

    /**
     * The names of the nodes walked, the head first and then the shape-only nodes between it and the output, in graph
     * order (for an If node: the heads in its branches, then the If node). An unnamed node appears as {@code #index}
     * (its position in its graph). Unmodifiable.
     */
    public List<String> nodes() {
        return nodes;
    }

    /**
     * One line for people: {@code "Softmax node 'sm' (through Identity 'id', Reshape 'rs')"},
     * {@code "Softmax in both branches of If node 'head_if' ('sm_then', 'sm_else')"}, {@code "ZipMap node 'zm'"},
     * {@code "no softmax, log-softmax or sigmoid head: produced by Gemm node 'fc2'"}.
     */
    public String description() {
        return description;
    }

    /**
     * {@link Task#MULTICLASS} for a Softmax, LogSoftmax or ZipMap head; null otherwise (a sigmoid head serves a binary
     * or a multi-label task, which the class count decides; logits say nothing).
     */
    public Task taskHint() {
        return taskHint;
    }

    /**
     * The class labels of a ZipMap head, in the order of its attribute ({@code classlabels_strings}, or
     * {@code classlabels_int64s} as decimal text); empty for other heads. Unmodifiable.
     */
    public List<String> zipMapLabels() {
        return zipMapLabels;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + ": " + description;
    }
}
