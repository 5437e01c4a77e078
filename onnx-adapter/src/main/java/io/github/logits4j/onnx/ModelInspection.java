package io.github.logits4j.onnx;

import io.github.logits4j.OutputKind;
import io.github.logits4j.SafeText;
import io.github.logits4j.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link OnnxClassifier} decided about its model and from which evidence: the output read and what it emits
 * (from a node of the graph, a metadata key, or your setting), the task, the class names and where they came from,
 * the provider in use, and the model's inputs and outputs with their element types and shapes.
 *
 * <pre>{@code
 * ModelInspection info = model.inspection();
 * System.out.println(info.outputKind() + " because " + info.outputKindEvidence());
 * // PROBABILITIES because graph: Softmax node 'softmax' (opset 17)
 * System.out.println(info);          // a readable multi-line summary
 * }</pre>
 *
 * <p>Immutable.
 */
public final class ModelInspection {
    /** The longest line {@link #toString()} prints. */
    static final int MAX_LINE = 2000;
    /** The longest class name {@link #toString()} prints. */
    static final int MAX_NAME = 64;

    private final String source;
    private final List<ValueSpec> inputs;
    private final List<ValueSpec> outputs;
    private final String output;
    private final OutputKind outputKind;
    private final String outputKindEvidence;
    private final Task task;
    private final String taskEvidence;
    private final int classes;
    private final List<String> classNames;
    private final String classNamesSource;
    private final ExecutionProvider provider;
    private final String activation;
    private final int fixedBatch;
    private final Map<String, Long> opsets;
    private final String producer;
    private final Map<String, String> metadata;
    private final Map<String, Integer> batchAxes;
    private final String outputShapeNote;
    private final String refusal;

    ModelInspection(OnnxGraph graph, ModelContract contract, ExecutionProvider provider, int fixedBatch,
            Map<String, Integer> batchAxes) {
        this.source = contract.source();
        this.inputs = List.copyOf(graph.inputs());
        this.outputs = List.copyOf(graph.outputs());
        this.output = contract.output();
        this.outputKind = contract.outputKindOrNull();
        this.outputKindEvidence = contract.kindEvidence();
        this.task = contract.taskOrNull();
        this.taskEvidence = contract.taskEvidence();
        this.classes = contract.classes();
        this.classNames = contract.classNames();
        this.classNamesSource = contract.classNamesSource();
        this.provider = provider;
        this.activation = contract.resolved() ? contract.activation().id() : "none (refused)";
        this.fixedBatch = fixedBatch;
        this.opsets = Collections.unmodifiableMap(new TreeMap<>(graph.opsets()));
        String p = graph.producerName();
        String v = graph.producerVersion();
        this.producer = (p == null ? "" : p) + (v == null || v.isEmpty() ? "" : " " + v);
        this.metadata = Collections.unmodifiableMap(new TreeMap<>(graph.metadata()));
        this.batchAxes = Collections.unmodifiableMap(new LinkedHashMap<>(batchAxes));
        this.outputShapeNote = contract.outputShapeNote();
        this.refusal = contract.refusal();
    }

    /** The model file or resource. */
    public String source() {
        return source;
    }

    /** The model's inputs (initialisers excluded). */
    public List<ValueSpec> inputs() {
        return inputs;
    }

    /** The model's outputs. */
    public List<ValueSpec> outputs() {
        return outputs;
    }

    private String kindText() {
        return outputKind != null ? outputKind.id() : "unknown";
    }

    /** The output read. */
    public String output() {
        return output;
    }

    /** What the output emits; null when neither the graph, the metadata nor the caller tells (see {@link #refusal()}). */
    public @Nullable OutputKind outputKind() {
        return outputKind;
    }

    /** Why: the graph node, metadata key, or caller setting that decided {@link #outputKind()}. */
    public String outputKindEvidence() {
        return outputKindEvidence;
    }

    /** The task; null when the model does not tell it (see {@link #refusal()}). */
    public @Nullable Task task() {
        return task;
    }

    /** Why the task is what it is. */
    public String taskEvidence() {
        return taskEvidence;
    }

    /** The number of classes. */
    public int classes() {
        return classes;
    }

    /** The class names in index order. */
    public List<String> classNames() {
        return classNames;
    }

    /** Where the class names came from. */
    public String classNamesSource() {
        return classNamesSource;
    }

    /** The execution provider in use. */
    public ExecutionProvider provider() {
        return provider;
    }

    /** The head applied: softmax, sigmoid, exp or none. */
    public String activation() {
        return activation;
    }

    /**
     * Each input's batch axis, by name, in the model's input order: 0 for the usual {@code [batch, ...]}, another axis
     * for an input in another layout (a state {@code [2, batch, 128]}), {@link Inputs#NO_BATCH_AXIS} for an input given
     * once to every run (a scalar sample rate). Unmodifiable.
     */
    public Map<String, Integer> batchAxes() {
        return batchAxes;
    }

    /**
     * Why the model cannot run until a setting is given (what the graph does not tell, and the setting that settles
     * it), or null when it can.
     */
    public @Nullable String refusal() {
        return refusal;
    }

    /**
     * How the output's shape is read, when it is not plainly {@code [batch, classes]}: a squeezed {@code [N, C, 1, 1]},
     * or a dense output ("[?, 21, 64, 64]: dense, 21 classes on axis 1 (...)"); null otherwise.
     */
    public @Nullable String outputShapeNote() {
        return outputShapeNote;
    }

    /** The model's fixed batch size (a fixed size on the inputs' batch axes), or 0 when the batch is dynamic. */
    public int fixedBatch() {
        return fixedBatch;
    }

    /** The operator sets the model imports (domain, "" for the default, to version). */
    public Map<String, Long> opsets() {
        return opsets;
    }

    /** The model's custom metadata. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The inspection as a plain map with snake_case keys, for JSON. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", source);
        m.put("producer", producer);
        m.put("opsets", opsets);
        List<Map<String, Object>> in = specs(inputs);
        for (Map<String, Object> i : in) {
            Integer axis = batchAxes.get((String) i.get("name"));
            i.put("batch_axis", axis == null || axis == Inputs.NO_BATCH_AXIS ? null : axis);
        }
        m.put("inputs", in);
        m.put("outputs", specs(outputs));
        m.put("output", output);
        m.put("output_kind", kindText());
        m.put("output_kind_evidence", outputKindEvidence);
        if (outputShapeNote != null) {
            m.put("output_shape", outputShapeNote);
        }
        m.put("task", task == null ? "unknown" : task.id());
        m.put("task_evidence", taskEvidence);
        m.put("activation_applied", activation);
        m.put("classes", classes);
        m.put("class_names", classNames);
        m.put("class_names_source", classNamesSource);
        m.put("provider", provider.id());
        m.put("fixed_batch", fixedBatch);
        m.put("metadata", metadata);
        if (refusal != null) {
            m.put("refusal", refusal);
        }
        return Collections.unmodifiableMap(m);
    }

    private static List<Map<String, Object>> specs(List<ValueSpec> specs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ValueSpec s : specs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("type", s.type());
            long[] shape = s.shape();
            if (shape != null) {
                List<Object> dims = new ArrayList<>();
                String[] names = s.dimNames();
                for (int i = 0; i < shape.length; i++) {
                    dims.add(shape[i] >= 0 ? (Object) shape[i]
                            : names != null && names[i] != null ? names[i] : "?");
                }
                m.put("shape", dims);
            }
            out.add(m);
        }
        return out;
    }

    /**
     * A readable multi-line summary. Everything taken from the model file (names, metadata, class names, evidence)
     * has its control characters escaped and each line is cut at {@value #MAX_LINE} characters, so a model cannot clear
     * the terminal, set its title or forge lines.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("model        ").append(source).append('\n');
        StringBuilder sets = new StringBuilder();
        for (Map.Entry<String, Long> e : opsets.entrySet()) {
            sets.append(sets.length() == 0 ? "" : ", ").append(e.getKey().isEmpty() ? "ai.onnx" : e.getKey())
                    .append(' ').append(e.getValue());
        }
        sb.append("producer     ").append(producer.isEmpty() ? "-" : producer).append("; opsets ").append(sets)
                .append('\n');
        for (ValueSpec s : inputs) {
            Integer axis = batchAxes.get(s.name());
            sb.append("input        ").append(s);
            if (axis != null && axis == Inputs.NO_BATCH_AXIS) {
                sb.append("   given once (no batch axis)");
            } else if (axis != null && axis > 0) {
                sb.append("   batch axis ").append(axis);
            }
            sb.append('\n');
        }
        for (ValueSpec s : outputs) {
            sb.append("output       ").append(s).append(s.name().equals(output) ? "   <- scores" : "");
            if (s.name().equals(output) && outputShapeNote != null) {
                sb.append(" (").append(outputShapeNote).append(')');
            }
            sb.append('\n');
        }
        sb.append("output kind  ").append(kindText())
                .append("  (").append(outputKindEvidence).append(")\n");
        sb.append("head applied ").append(activation).append('\n');
        sb.append("task         ").append(task == null ? "unknown" : task.id()).append("  (").append(taskEvidence)
                .append(")\n");
        sb.append("classes      ").append(classes).append(": ").append(abbreviate(classNames)).append("  (")
                .append(classNamesSource).append(")\n");
        sb.append("provider     ").append(provider.id());
        if (fixedBatch > 0) {
            sb.append("\nfixed batch  ").append(fixedBatch).append(" (larger batches are fed in chunks)");
        }
        if (refusal != null) {
            sb.append("\nrefused      ").append(refusal);
        }
        StringBuilder safe = new StringBuilder(sb.length());
        for (String line : sb.toString().split("\n", -1)) {
            safe.append(safe.length() == 0 ? "" : "\n").append(SafeText.of(line, MAX_LINE));
        }
        return safe.toString();
    }

    private static String abbreviate(List<String> names) {
        List<String> shown = new ArrayList<>();
        for (String n : names.size() <= 12 ? names : names.subList(0, 10)) {
            shown.add(SafeText.of(n, MAX_NAME));
        }
        return String.join(", ", shown) + (names.size() <= 12 ? "" : ", ... (" + (names.size() - 10) + " more)");
    }
}
