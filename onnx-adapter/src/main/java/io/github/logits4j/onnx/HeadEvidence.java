package io.github.logits4j.onnx;

import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the model graph says about one output: whether it emits logits, probabilities, log-probabilities or decision
 * values, or that it does not tell, and the nodes that show it. logits4j never guesses "logits": an output is logits
 * only when an affine op computes it.
 *
 * <p>{@link HeadDetector} interprets the graph backwards from the output: every value carries facts (its meaning, its
 * role as a [batch, classes] tensor, one value per row or a constant, the interval of its elements, its row sum as a
 * linear form) and every op a rule. Ops that only move values (Identity, Reshape, Flatten, Squeeze, Unsqueeze, a Cast
 * to a float type, Dropout, a Transpose that keeps the last axis last) keep the facts; Slice, Gather,
 * ArrayFeatureExtractor and Expand keep each element's facts but not the row sum. The rules:
 * <ul>
 *   <li>{@code Softmax} over the class axis: {@link OutputKind#PROBABILITIES} (multi-class); {@code LogSoftmax}:
 *       {@link OutputKind#LOG_PROBABILITIES}; {@code Sigmoid}: probabilities (binary or multi-label, by the class
 *       count); a scikit-learn {@code ZipMap}: probabilities with the class labels;</li>
 *   <li>an {@code ai.onnx.ml} classifier's scores, by its {@code post_transform}: SOFTMAX, SOFTMAX_ZERO, LOGISTIC and
 *       PROBIT give probabilities; NONE gives a {@code LinearClassifier}'s raw decision values
 *       ({@link OutputKind#DECISION_VALUES}; logits for Tribuo, which documents them so), a
 *       {@code TreeEnsembleClassifier}'s summed leaf weights (probabilities, as scikit-learn forests export them), and
 *       an {@code SVMClassifier}'s probabilities only with Platt coefficients, else decision values; an affine op
 *       from skl2onnx is decision values too; {@code Normalizer} with norm L1 and {@code LpNormalization} with p 1 of
 *       non-negative values: probabilities;</li>
 *   <li>arithmetic: a {@code Div} of non-negative values by their own row sum gives probabilities; {@code x} minus
 *       its row log-sum-exp gives log-probabilities; sums and scales of probability rows whose values stay in
 *       [0, 1] and whose rows sum to exactly 1 (soft voting, a mean of heads, a {@code Mul} by 1) give probabilities;
 *       {@code c / (c + x)} with {@code x >= 0} is a logistic;</li>
 *   <li>an affine op ({@code Gemm}, {@code MatMul}, {@code Conv}, {@code ConvTranspose}, {@code Einsum},
 *       {@code BatchNormalization}; logits plus or times a constant, plus a per-row shift, or plus logits):
 *       {@link OutputKind#LOGITS};</li>
 *   <li>a range-keeping reduction ({@code ReduceMean}, {@code ReduceMax}, {@code ReduceMin}, {@code Mean},
 *       {@code Max}, {@code Min}, average and max pooling) keeps what it reduces: a mean of probabilities is a
 *       probability (Silero VAD's ReduceMean of Sigmoid outputs), a mean of logits is logits; {@code Log} of
 *       probabilities is log-probabilities and {@code Exp} of log-probabilities probabilities;</li>
 *   <li>an {@code If} or {@code Where} counts when both sides agree;</li>
 *   <li>anything else is <b>unknown</b>: {@link #kind()} is null and {@link #description()} names the op the walk
 *       stopped at. An {@link OnnxClassifier} refuses to run such an output until you say what it holds.</li>
 * </ul>
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
    private final List<String> classLabels;

    HeadEvidence(OutputKind kind, String op, List<String> nodes, String description, Task taskHint,
            List<String> classLabels) {
        this.kind = kind;
        this.op = op;
        this.nodes = List.copyOf(nodes);
        this.description = Objects.requireNonNull(description, "description");
        this.taskHint = taskHint;
        this.classLabels = List.copyOf(classLabels);
    }

    /** What the output emits, as the graph shows it; null when the graph does not tell (see {@link #known()}). */
    public @Nullable OutputKind kind() {
        return kind;
    }

    /** Whether the graph tells what the output emits. */
    public boolean known() {
        return kind != null;
    }

    /**
     * The operator that decided: the head ({@code "Softmax"}, {@code "LogSoftmax"}, {@code "Sigmoid"},
     * {@code "ZipMap"}, {@code "LinearClassifier"}, {@code "TreeEnsembleClassifier"}, {@code "Normalizer"}, the
     * {@code "Div"} by a row sum, ...), the
     * affine op for logits ({@code "Gemm"}, {@code "MatMul"}, {@code "Conv"}, ...), or for an unknown output the op
     * the walk stopped at ({@code "Tanh"}, {@code "If"} when branches disagree). Null when the output is a graph
     * input or a constant. An operator of a domain other than the default ONNX one or {@code ai.onnx.ml} is qualified
     * by it ({@code "com.example.Custom"}).
     */
    public String op() {
        return op;
    }

    /**
     * The names of the nodes walked, the deciding node first and then the nodes between it and the output, in graph
     * order (for an If node: the nodes in its branches, then the If node). An unnamed node appears as {@code #index}
     * (its position in its graph). Unmodifiable.
     */
    public List<String> nodes() {
        return nodes;
    }

    /**
     * One line for people: {@code "Softmax node 'sm' (through Identity 'id', Reshape 'rs')"},
     * {@code "Gemm node 'fc' (an affine op: logits)"}, {@code "Sigmoid node 'sig', then ReduceMean node 'mean' (a mean,
     * maximum or minimum of probabilities is a probability)"}, {@code "no recognisable head: produced by Tanh node
     * 'squash' (...)"}.
     */
    public String description() {
        return description;
    }

    /**
     * {@link Task#MULTICLASS} for a Softmax, LogSoftmax, ZipMap, ai.onnx.ml classifier or Normalizer head; null
     * otherwise (a sigmoid head serves a binary or a multi-label task, which the class count decides; logits say
     * nothing).
     */
    public @Nullable Task taskHint() {
        return taskHint;
    }

    /**
     * The class labels a ZipMap or ai.onnx.ml classifier carries, in its order ({@code classlabels_strings}, or the
     * integer labels as decimal text); empty for other heads. Unmodifiable.
     */
    public List<String> classLabels() {
        return classLabels;
    }

    @Override
    public String toString() {
        return (kind == null ? "unknown" : kind.id()) + ": " + description;
    }
}
