package io.github.logits4j.onnx;

import static io.github.logits4j.onnx.OnnxClassifier.META_OUTPUT_KIND;
import static io.github.logits4j.onnx.OnnxClassifier.META_TASK;

import io.github.logits4j.LoadException;
import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.onnx.ModelContract.KindSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Decides a model's {@link ModelContract} from its graph, its metadata and the builder's settings, without ONNX
 * Runtime: which output holds the scores, what it emits (caller, then metadata {@code logits4j.output_kind}, then the
 * graph's head), the number of classes, the task (caller, metadata, the head, the class count) and the class names
 * (caller, metadata, output name, ZipMap or classifier labels, indices). When nothing tells the kind or the task, the
 * contract carries a refusal naming the setting that settles it.
 *
 * <pre>{@code
 * ModelContract c = ContractResolver.resolve(OnnxGraph.read(path), OnnxClassifier.builder(path).contractSettings());
 * c.resolved();                                    // false for a bare Gemm with one column and no task
 * c.refusal();                                     // "... say so with task(...) binary"
 * }</pre>
 *
 * <p>Stateless.
 */
final class ContractResolver {
    private ContractResolver() {
    }

    /**
     * The contract of {@code graph} under the settings of {@code b}.
     *
     * @throws LoadException            if the output does not exist or cannot hold class scores, or the metadata is
     *                                  invalid
     * @throws IllegalArgumentException if the caller's class names do not fit the output
     */
    static ModelContract resolve(OnnxGraph graph, ContractSettings b) throws LoadException {
        String source = b.source();
        Map<String, String> metadata = graph.metadata();
        Function<Setting, String> say = b.settingNames();

        // Output: the one the builder names, else the only score-like output (or the only one with a head).
        String output = chooseOutput(b, graph, source);
        ValueSpec outSpec = graph.output(output);
        HeadEvidence head = graph.detectHead(output);
        boolean zipMap = outSpec.isSequenceOfMaps();
        if (!zipMap && !"float".equals(outSpec.elementType())) {
            throw new LoadException(source + ": output '" + output + "' is " + outSpec.type()
                    + "; expected a float tensor of scores or a sequence of maps (ZipMap)");
        }
        List<String> zipMapKeys = zipMap ? head.classLabels() : List.of();
        if (zipMap && zipMapKeys.isEmpty()) {
            throw new LoadException(source + ": output '" + output + "' is a sequence of maps but no ZipMap node with"
                    + " class labels produces it; expected a ZipMap output as scikit-learn exports it");
        }

        // Output kind: builder > metadata > graph; null when none of them tells.
        String kindEvidence;
        OutputKind kind;
        if (b.outputKind() != null) {
            kind = b.outputKind();
            kindEvidence = "set by the caller";
        } else if (metadata.containsKey(META_OUTPUT_KIND)) {
            try {
                kind = OutputKind.parse(metadata.get(META_OUTPUT_KIND));
            } catch (IllegalArgumentException e) {
                throw new LoadException(source + ": metadata " + META_OUTPUT_KIND + " is '"
                        + metadata.get(META_OUTPUT_KIND) + "'; expected logits, probabilities or log_probabilities", e);
            }
            kindEvidence = "model metadata " + META_OUTPUT_KIND + " = " + metadata.get(META_OUTPUT_KIND);
        } else {
            kind = head.kind();
            kindEvidence = "graph: " + head.description();
        }
        boolean kindFromGraph = b.outputKind() == null && !metadata.containsKey(META_OUTPUT_KIND);
        KindSource kindSource = b.outputKind() != null ? KindSource.CALLER : kindFromGraph ? KindSource.GRAPH
                : KindSource.METADATA;

        // Classes: [batch], [batch, classes], or [batch, classes, 1, ..., 1] read as [batch, classes].
        long[] shape = outSpec.shape();
        int classes;
        long[] outputShape;
        io.github.logits4j.DenseScores.ClassAxis denseAxis = null;
        String denseEvidence = null;
        if (zipMap) {
            classes = zipMapKeys.size();
            outputShape = null;
        } else if (shape != null && shape.length > 2 && !HeadDetector.onlyOnesAfter(shape, 1)) {
            // dense scores: a row of classes at every position; where the classes lie, from the caller or the graph
            DenseLayout layout = DenseLayout.of(graph.graph(), output, shape);
            denseAxis = b.classAxis() != null ? b.classAxis() : layout.axis();
            if (denseAxis == null) {
                throw new LoadException(source + ": output '" + output + "' has shape "
                        + ValueSpec.formatShape(shape, null) + ": dense scores whose class axis the graph does not show ("
                        + layout.evidence() + "); say where the classes are with " + say.apply(Setting.CLASS_AXIS)
                        + " (first: [batch, classes, ...]; last: [batch, ..., classes])");
            }
            int at = denseAxis == io.github.logits4j.DenseScores.ClassAxis.FIRST ? 1 : shape.length - 1;
            long c = shape[at] > 0 ? shape[at] : denseAxis == layout.axis() ? layout.classes() : -1;
            if (c < 1 && b.classNames() != null) {
                c = b.classNames().size();
            }
            if (c < 1) {
                throw new LoadException(source + ": output '" + output + "' has shape "
                        + ValueSpec.formatShape(shape, null) + " and no static class dimension; give the class names"
                        + " with " + say.apply(Setting.CLASS_NAMES) + " so the number of classes is known");
            }
            classes = (int) c;
            outputShape = shape.clone();
            outputShape[at] = classes;
            denseEvidence = b.classAxis() != null ? "set by the caller" : layout.evidence();
        } else if (shape == null || shape.length == 0) {
            throw new LoadException(source + ": output '" + output + "' has shape " + ValueSpec.formatShape(shape, null)
                    + "; expected [batch, classes], [batch], or [batch, classes, 1, ..., 1]");
        } else if (shape.length == 1) {
            classes = 1;
            outputShape = new long[] {-1};
        } else if (shape[1] > 0) {
            classes = (int) shape[1];
            outputShape = shape.clone();
        } else if (b.classNames() != null) {
            classes = b.classNames().size();
            outputShape = shape.clone();
            outputShape[1] = classes;
        } else {
            throw new LoadException(source + ": output '" + output + "' has a dynamic class dimension "
                    + ValueSpec.formatShape(shape, null) + "; give the class names with " + say.apply(Setting.CLASS_NAMES)
                    + " so the number of classes is known");
        }

        // Task: builder > metadata > graph head > class count; null when a single column could be a regression.
        String taskEvidence;
        Task t;
        if (b.task() != null) {
            t = b.task();
            taskEvidence = "set by the caller";
        } else if (metadata.containsKey(META_TASK)) {
            try {
                t = Task.parse(metadata.get(META_TASK));
            } catch (IllegalArgumentException e) {
                throw new LoadException(source + ": metadata " + META_TASK + ": " + e.getMessage(), e);
            }
            taskEvidence = "model metadata " + META_TASK + " = " + metadata.get(META_TASK);
        } else if ("Sigmoid".equals(head.op()) && kind != null && kind == head.kind()) {
            t = classes == 1 ? Task.BINARY : Task.MULTILABEL;
            taskEvidence = "graph: sigmoid head over " + classes + (classes == 1 ? " output" : " outputs");
        } else if (head.taskHint() != null && kind != null && kind == head.kind()) {
            t = head.taskHint();
            taskEvidence = "graph: " + head.op() + " head";
        } else if (classes == 1 && kind != null && (!kindFromGraph || kind != OutputKind.LOGITS)) {
            t = Task.BINARY;
            taskEvidence = "one " + kind.id().replace('_', '-').replaceAll("s$", "")
                    + " per sample (" + kindEvidence + ")";
        } else if (classes == 1) {
            t = null;
            taskEvidence = "unknown: one output column " + (kind == null ? "of unknown kind"
                    : "computed by an affine op") + ", which a binary classifier's logit and a regression output"
                    + " share";
        } else {
            t = Task.MULTICLASS;
            taskEvidence = classes + " outputs without a sigmoid head (set " + say.apply(Setting.TASK)
                    + " multilabel for a multi-label model)";
        }
        if (t == Task.BINARY && classes != 1) {
            throw new LoadException(source + ": task binary needs one output per sample; output '" + output + "' has "
                    + classes + " (a two-class softmax model is multiclass)");
        }
        if (t == Task.MULTICLASS && classes < 2) {
            throw new LoadException(source + ": task multiclass needs at least 2 classes; output '" + output
                    + "' has " + classes);
        }
        String refusal;
        if (kind == OutputKind.DECISION_VALUES && t != Task.MULTICLASS) {
            refusal = source + ": output '" + output + "' holds raw decision values (" + kindEvidence + ") for a "
                    + (t == null ? "single-column" : t.id()) + " model; logits4j evaluates decision values of"
                    + " multi-class models only. If the model was trained with a log loss, say so with "
                    + say.apply(Setting.OUTPUT_KIND) + " logits";
        } else if (kind == null) {
            refusal = source + ": output '" + output + "' does not show what it holds: "
                    + head.description() + ". logits4j does not guess logits, probabilities or log-probabilities"
                    + " from the values; say which with " + say.apply(Setting.OUTPUT_KIND);
        } else if (t == null) {
            refusal = source + ": output '" + output + "' has one column from " + head.description()
                    + ": a binary classifier's logit and a regression output look the same, and nothing in the model"
                    + " says which; if it is a binary classifier, say so with " + say.apply(Setting.TASK) + " binary";
        } else {
            refusal = null;
        }

        // Class names: builder > metadata > output name > ZipMap or classifier labels > indices.
        ClassNames names;
        if (b.classNames() != null) {
            if (b.classNames().size() != classes) {
                throw new IllegalArgumentException("classNames has " + b.classNames().size() + " names; expected "
                        + classes + ", one per class of output '" + output + "'");
            }
            names = ClassNames.given(b.classNames());
        } else {
            try {
                names = ClassNames.fromMetadata(metadata, classes);
                if (names == null) {
                    names = ClassNames.fromOutputName(output, classes);
                }
            } catch (IllegalArgumentException e) {
                throw new LoadException(source + ": " + e.getMessage(), e);
            }
            if (names == null && head.classLabels().size() == classes && (zipMap || kind == head.kind())) {
                names = ClassNames.fromHead(head.classLabels(), head.op());
            }
            if (names == null) {
                names = ClassNames.indices(classes);
            }
        }
        boolean squeezed = denseAxis == null && outputShape != null && outputShape.length > 2;
        String note = squeezed ? ValueSpec.formatShape(shape, null) + " read as [batch, " + classes + "]"
                : denseAxis != null ? ValueSpec.formatShape(shape, null) + ": dense, " + classes + " classes on "
                + (denseAxis == io.github.logits4j.DenseScores.ClassAxis.FIRST ? "axis 1" : "the last axis") + " ("
                + denseEvidence + ")" : null;
        return new ModelContract(source, output, kind, kindEvidence, kindSource, head.op(), t, taskEvidence, classes,
                names, zipMapKeys, outputShape, note, refusal, say, denseAxis);
    }

    private static String chooseOutput(ContractSettings b, OnnxGraph graph, String source) throws LoadException {
        List<String> names = new ArrayList<>();
        for (ValueSpec s : graph.outputs()) {
            names.add(s.name());
        }
        if (b.output() != null) {
            if (!names.contains(b.output())) {
                throw new LoadException(source + ": the model has no output '" + b.output() + "'; its outputs are "
                        + names);
            }
            return b.output();
        }
        List<String> candidates = new ArrayList<>();
        for (ValueSpec s : graph.outputs()) {
            if (s.isSequenceOfMaps() || "float".equals(s.elementType())) {
                candidates.add(s.name());
            }
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        List<String> withHead = new ArrayList<>();
        for (String name : candidates) {
            if (graph.detectHead(name).known()) {
                withHead.add(name);
            }
        }
        if (withHead.size() == 1) {
            return withHead.get(0);
        }
        throw new LoadException(source + ": cannot tell which output holds the scores: "
                + (candidates.isEmpty() ? "none of " + names + " is a float tensor or a ZipMap"
                        : candidates + " all could") + "; choose it with " + b.settingNames().apply(Setting.OUTPUT));
    }

    /**
     * Each input's batch axis: the axis whose dimension name is the scores output's batch dimension; failing names,
     * the only dynamic axis of an input that has one, else the first; none for a scalar, or for a fixed-shape input
     * of a model whose other inputs have a dynamic batch (it is given once).
     */
    static Map<String, Integer> batchAxes(List<ValueSpec> inputs, ValueSpec output) {
        String[] outNames = output.dimNames();
        String batch = outNames != null && outNames.length > 0 ? outNames[0] : null;
        boolean anyDynamic = false;
        for (ValueSpec in : inputs) {
            long[] s = in.shape();
            for (int i = 0; s != null && i < s.length; i++) {
                anyDynamic |= s[i] < 0;
            }
        }
        Map<String, Integer> axes = new LinkedHashMap<>();
        for (ValueSpec in : inputs) {
            long[] s = in.shape();
            String[] dn = in.dimNames();
            int axis = 0;
            if (s != null && s.length == 0) {
                axis = Inputs.NO_BATCH_AXIS;
            } else if (s != null) {
                int named = -1;
                int dynamic = -1;
                int dynamics = 0;
                for (int i = 0; i < s.length; i++) {
                    if (named < 0 && batch != null && batch.equals(dn[i])) {
                        named = i;
                    }
                    if (s[i] < 0) {
                        dynamics++;
                        dynamic = dynamic < 0 ? i : dynamic;
                    }
                }
                if (named >= 0) {
                    axis = named;
                } else if (dynamics == 1) {
                    axis = dynamic;
                } else if (dynamics == 0 && anyDynamic) {
                    axis = Inputs.NO_BATCH_AXIS;
                }
            }
            axes.put(in.name(), axis);
        }
        return axes;
    }

    /**
     * The model's inputs as the graph describes them, each with its batch axis ({@link #batchAxes}): the one
     * description of the inputs that a data set binds its files to and every batch is checked against.
     *
     * @throws LoadException if an input is not a tensor
     */
    static Map<String, InputSpec> inputs(OnnxGraph graph, ValueSpec output) throws LoadException {
        Map<String, Integer> axes = batchAxes(graph.inputs(), output);
        Map<String, InputSpec> specs = new LinkedHashMap<>();
        for (ValueSpec v : graph.inputs()) {
            if (!v.isTensor()) {
                throw new LoadException(graph.source() + ": input '" + v.name() + "' is not a tensor; expected tensor"
                        + " inputs");
            }
            specs.put(v.name(), InputSpec.of(v, axes.get(v.name())));
        }
        return specs;
    }
}
