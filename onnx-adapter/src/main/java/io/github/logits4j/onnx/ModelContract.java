package io.github.logits4j.onnx;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.activation.Activation;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What a model's scores output promises, decided once from the graph, its metadata and the caller's settings (see
 * {@link ContractResolver}): which output, what it emits (logits, probabilities or log-probabilities) and why, the
 * task, the classes and their names, or why the model cannot run. Everything that reads a batch of scores (the
 * classifier, {@link Scores}, the evaluation) reads it from here, never from the live session.
 *
 * <pre>{@code
 * ModelContract c = ContractResolver.resolve(graph, builder.contractSettings());
 * c.activation();                                  // SOFTMAX for a multi-class logits output
 * c.classNames();                                  // ["setosa", "versicolor", "virginica"]
 * }</pre>
 *
 * <p>Immutable; safe to share between threads.
 */
final class ModelContract {
    /** Where the output kind came from, for the advice when the output breaks it. */
    enum KindSource { CALLER, METADATA, GRAPH }

    private final String source;
    private final String output;
    private final OutputKind outputKind;
    private final String kindEvidence;
    private final KindSource kindSource;
    private final String headOp;
    private final Task task;
    private final String taskEvidence;
    private final int classes;
    private final List<String> classNames;
    private final String classNamesSource;
    private final List<String> zipMapKeys;
    private final long[] outputShape;
    private final String outputShapeNote;
    private final String refusal;
    private final Function<Setting, String> settingNames;
    private final io.github.logits4j.DenseScores.@Nullable ClassAxis denseAxis;

    ModelContract(String source, String output, OutputKind outputKind, String kindEvidence, KindSource kindSource,
            String headOp, Task task, String taskEvidence, int classes, ClassNames names, List<String> zipMapKeys,
            long[] outputShape, String outputShapeNote, String refusal, Function<Setting, String> settingNames,
            io.github.logits4j.DenseScores.@Nullable ClassAxis denseAxis) {
        this.denseAxis = denseAxis;
        this.source = source;
        this.output = output;
        this.outputKind = outputKind;
        this.kindEvidence = kindEvidence;
        this.kindSource = kindSource;
        this.headOp = headOp;
        this.task = task;
        this.taskEvidence = taskEvidence;
        this.classes = classes;
        this.classNames = names.names();
        this.classNamesSource = names.source();
        this.zipMapKeys = List.copyOf(zipMapKeys);
        this.outputShape = outputShape == null ? null : outputShape.clone();
        this.outputShapeNote = outputShapeNote;
        this.refusal = refusal;
        this.settingNames = settingNames;
    }

    /** The output buffer's size for {@code rows} rows, checked to fit one array. */
    int checkedSize(int rows) {
        if (rows == 0) {
            throw new IllegalArgumentException("empty batch: expected at least one row");
        }
        long size = (long) rows * classes;
        if (size > Integer.MAX_VALUE / Float.BYTES) {
            throw new IllegalArgumentException("a batch of " + rows + " rows x " + classes + " classes is too large"
                    + " for one output buffer; split it");
        }
        return (int) size;
    }

    /**
     * Checks that the output is dense (or is not), for {@code runDense} (and {@code run}).
     *
     * @throws IllegalStateException naming the method that reads this output
     */
    void requireDense(boolean dense) {
        if (dense && denseAxis == null) {
            throw new IllegalStateException(source + ": output '" + output + "' holds one row of scores per sample;"
                    + " read it with run(Inputs)");
        }
        if (!dense && denseAxis != null) {
            throw new IllegalStateException(source + ": the output holds dense scores (" + outputShapeNote
                    + "); read them with runDense(Inputs)");
        }
    }

    /** Where the classes of a dense output lie, or null for one row of scores per sample. */
    io.github.logits4j.DenseScores.@Nullable ClassAxis denseAxis() {
        return denseAxis;
    }

    /** How messages name {@code setting}: a builder method, or a command-line option. */
    String settingName(Setting setting) {
        return settingNames.apply(setting);
    }

    String source() {
        return source;
    }

    /** The name of the scores output. */
    String output() {
        return output;
    }

    /** What the output emits, or null when nothing tells (then {@link #refusal()} says what to set). */
    OutputKind outputKindOrNull() {
        return outputKind;
    }

    /** What the output emits; throws unless {@link #resolved()}. */
    OutputKind outputKind() {
        requireResolved();
        return outputKind;
    }

    /** The graph node, metadata key or setting that decided the output kind. */
    String kindEvidence() {
        return kindEvidence;
    }

    /** The task, or null when nothing tells. */
    Task taskOrNull() {
        return task;
    }

    /** The task; throws unless {@link #resolved()}. */
    Task task() {
        requireResolved();
        return task;
    }

    /** What decided the task. */
    String taskEvidence() {
        return taskEvidence;
    }

    /** The number of classes (labels; 1 for binary). */
    int classes() {
        return classes;
    }

    /** The class names in class-index order. */
    List<String> classNames() {
        return classNames;
    }

    /** Where the class names came from. */
    String classNamesSource() {
        return classNamesSource;
    }

    /** Whether the output is a ZipMap (a sequence of maps, one per row). */
    boolean zipMap() {
        return !zipMapKeys.isEmpty();
    }

    /** The ZipMap's class labels in column order; empty for a tensor output. */
    List<String> zipMapKeys() {
        return zipMapKeys;
    }

    /** The output's declared first dimension when fixed (> 0), else -1 (dynamic, ZipMap or unknown). */
    long declaredOutputBatch() {
        return outputShape == null || outputShape.length == 0 ? -1 : outputShape[0];
    }

    long[] outputShape(int rows) {
        long[] shape = outputShape.clone();
        shape[0] = rows;
        return shape;
    }

    /** "[?, 10, 1, 1] read as [batch, 10]" for a squeezed output, else null. */
    String outputShapeNote() {
        return outputShapeNote;
    }

    /** Why the model cannot run (what nothing tells and the setting that settles it), or null. */
    String refusal() {
        return refusal;
    }

    /** Whether the output kind and the task are known. */
    boolean resolved() {
        return refusal == null;
    }

    /** Throws the refusal unless {@link #resolved()}. */
    void requireResolved() {
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
    }

    /** The head that turns the output into probabilities; throws unless {@link #resolved()}. */
    Activation activation() {
        requireResolved();
        return switch (outputKind) {
            case LOGITS -> task == Task.MULTICLASS ? Activation.SOFTMAX : Activation.SIGMOID;
            case LOG_PROBABILITIES -> Activation.EXP;
            case PROBABILITIES, DECISION_VALUES -> Activation.NONE;
        };
    }

    /**
     * Checks that the output is logits, which a temperature divides: {@code what} (the operation or setting that
     * needs them) names the caller in the message, which also says what the model emits, why, and the setting that
     * declares logits.
     *
     * @throws IllegalArgumentException if the output is not logits
     */
    void requireLogits(String what) {
        OutputKind kind = outputKind();
        if (kind != OutputKind.LOGITS) {
            throw new IllegalArgumentException(source + ": output '" + output + "' emits " + kind.id() + " ("
                    + kindEvidence + "), not logits; " + what + " divides logits by a temperature before the head,"
                    + " so it needs a model that emits logits (or " + settingNames.apply(Setting.OUTPUT_KIND)
                    + " logits if the model does)");
        }
    }

    /**
     * Checks a batch of output ({@code rows × classes}, row-major): no NaN; probabilities within
     * {@link OnnxClassifier#PROBABILITY_TOLERANCE} of [0, 1], log-probabilities at most that above 0 (a float32 sum
     * of ten tree weights of 0.1 is 1.0000001).
     *
     * @throws IllegalStateException naming the output, row, column and value, and what to set if the kind is wrong
     */
    void checkOutput(FloatBuffer out, int rows, Inputs batch) {
        int n = rows * classes;
        double tolerance = OnnxClassifier.PROBABILITY_TOLERANCE;
        float low = outputKind == OutputKind.PROBABILITIES ? (float) -tolerance : Float.NEGATIVE_INFINITY;
        float high = outputKind == OutputKind.LOGITS || outputKind == OutputKind.DECISION_VALUES
                ? Float.POSITIVE_INFINITY
                : outputKind == OutputKind.PROBABILITIES ? (float) (1 + tolerance) : (float) tolerance;
        for (int i = 0; i < n; i++) {
            float v = out.get(i);
            if (Float.isNaN(v)) {
                String cause = batch.firstNonFinite(i / classes);
                throw new IllegalStateException("model output '" + output + "' is NaN at row "
                        + (batch.firstRow() + i / classes)
                        + ", column " + (i % classes) + (cause != null ? ", where " + cause
                        : "; the model produced no usable score for that row"));
            }
            if (v < low || v > high) {
                throw new IllegalStateException(outOfRange(v, batch.firstRow() + i / classes, i % classes));
            }
        }
    }

    /**
     * Throws when the head turned row {@code row} of {@code raw} into NaN (an infinite logit, or a temperature that
     * overflows it): names the output, the row of the data set ({@code firstRow + row}) and the value, instead of a
     * metric's "not a probability".
     */
    void checkHead(FloatMatrix raw, int row, long firstRow, String what) {
        for (int c = 0; c < raw.cols(); c++) {
            float v = raw.get(row, c);
            if (!Float.isFinite(v)) {
                throw new IllegalStateException(source + ": model output '" + output + "' holds " + v
                        + " at row " + (firstRow + row) + ", column " + c + ", so its " + activation().id() + " is NaN"
                        + what
                        + "; expected finite logits");
            }
        }
        throw new IllegalStateException(source + ": the " + activation().id() + " of model output '"
                + output + "' at row " + (firstRow + row) + " is NaN" + what + "; expected finite logits");
    }

    private String outOfRange(float v, long row, int col) {
        boolean probabilities = outputKind == OutputKind.PROBABILITIES;
        String what = probabilities ? "a probability in [0, 1]" : "a log-probability <= 0";
        String said = probabilities ? "probabilities" : "log-probabilities";
        String option = settingNames.apply(Setting.OUTPUT_KIND);
        String advice = switch (kindSource) {
            case GRAPH -> "the graph's " + headOp + " head should give " + said + ", so the export looks broken; if"
                    + " the output holds something else, say what with " + option;
            case METADATA -> "the model's metadata " + OnnxClassifier.META_OUTPUT_KIND + " says " + said + "; if the"
                    + " output holds logits, say so with " + option + " logits";
            case CALLER -> "it was declared " + said + " by " + option + "; if the output holds logits, say logits";
        };
        return source + ": model output '" + output + "' holds " + v + " at row " + row + ", column " + col
                + "; expected " + what + " (within " + OnnxClassifier.PROBABILITY_TOLERANCE + "): " + advice;
    }

    @Override
    public String toString() {
        return source + ", output '" + output + "' (" + (outputKind == null ? "unknown"
                : outputKind.name().toLowerCase(Locale.ROOT)) + "), " + (task == null ? "unknown task" : task.id())
                + ", " + classes + " classes";
    }
}
