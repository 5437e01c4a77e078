package io.github.logits4j.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.github.logits4j.LoadException;
import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The parts of an ONNX model file that logits4j needs (IR version, opsets, producer, metadata, the graph's inputs and
 * outputs, and its nodes without their weights), read with protobuf's wire-level reader: no generated ONNX classes.
 *
 * <p>The file is read as a stream. Initializers (the weights) are skipped, never held in memory, so reading a large
 * model costs a few kilobytes of heap per thousand nodes, not the size of the file.
 *
 * <pre>{@code
 * OnnxGraph graph = OnnxGraph.read(Path.of("digits_softmax.onnx"));
 * graph.inputs();                                  // [pixels: float[batch, 64]]
 * graph.opsets();                                  // {"": 17}
 * HeadEvidence head = graph.detectHead("probabilities");
 * head.kind();                                     // PROBABILITIES
 * }</pre>
 *
 * <p>Immutable once read; safe to share between threads.
 */
final class OnnxGraph {
    /** The stream buffer; the parser never asks for more than this at once except for names and small attributes. */
    private static final int BUFFER = 64 * 1024;
    /** Nesting of subgraphs (If/Loop/Scan bodies) beyond which a file is refused as malformed. */
    private static final int MAX_GRAPH_DEPTH = 64;
    private static final String ML_DOMAIN = "ai.onnx.ml";
    /** Longest string attribute kept (post_transform, norm); longer ones are skipped unread. */
    private static final int MAX_STRING_ATTRIBUTE = 256;

    private final String source;
    private final long irVersion;
    private final Map<String, Long> opsets;
    private final String producerName;
    private final String producerVersion;
    private final Map<String, String> metadata;
    private final Graph graph;
    private final List<ValueSpec> inputs;
    private final List<ValueSpec> outputs;

    private OnnxGraph(String source, long irVersion, Map<String, Long> opsets, String producerName,
            String producerVersion, Map<String, String> metadata, Graph graph) {
        this.source = source;
        this.irVersion = irVersion;
        this.opsets = Collections.unmodifiableMap(opsets);
        this.producerName = producerName;
        this.producerVersion = producerVersion;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.graph = graph;
        List<ValueSpec> in = new ArrayList<>();
        for (ValueSpec v : graph.inputs) {
            if (!graph.initializers.contains(v.name())) {
                in.add(v);
            }
        }
        this.inputs = List.copyOf(in);
        this.outputs = List.copyOf(graph.outputs);
    }

    // ------------------------------------------------------------------------------------------------ reading

    /**
     * Reads the model in {@code file}, streaming it: weights are skipped, not loaded.
     *
     * @throws LoadException naming the file if it is missing, unreadable, or not a valid ONNX model
     */
    static OnnxGraph read(Path file) throws LoadException {
        Objects.requireNonNull(file, "file");
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw new LoadException(source + ": is a directory, not an ONNX model file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE) {
                throw new LoadException(source + ": not an ONNX model: it has " + size + " bytes; a protobuf"
                        + " model file holds at most 2 GiB (larger models keep their weights as external data)");
            }
            return read(in, source);
        } catch (NoSuchFileException e) {
            throw new LoadException(source + ": not found", e);
        } catch (AccessDeniedException e) {
            throw new LoadException(source + ": cannot be read (access denied)", e);
        } catch (IOException e) {
            throw new LoadException(source + ": cannot be read: " + e, e);
        }
    }

    /**
     * Reads a model from its bytes.
     *
     * @param source what the bytes are, for messages (a file name, a resource)
     * @throws LoadException naming {@code source} if the bytes are not a valid ONNX model
     */
    static OnnxGraph read(byte[] bytes, String source) throws LoadException {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(source, "source");
        try {
            return parse(CodedInputStream.newInstance(bytes), source);
        } catch (IOException e) {
            throw new LoadException(source + ": cannot be read: " + e, e);
        }
    }

    /**
     * Reads a model from a stream, which it does not close. Large length-delimited fields that are not needed
     * (initializers, tensor attributes) are skipped with {@link InputStream#skip}, never read into memory.
     *
     * @throws IOException   if the stream fails
     * @throws LoadException if the bytes are not a valid ONNX model
     */
    static OnnxGraph read(InputStream stream, String source) throws IOException, LoadException {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(source, "source");
        return parse(CodedInputStream.newInstance(stream, BUFFER), source);
    }

    private static OnnxGraph parse(CodedInputStream in, String source) throws IOException, LoadException {
        in.setSizeLimit(Integer.MAX_VALUE);
        Reader reader = new Reader(in, source);
        try {
            return reader.model();
        } catch (InvalidProtocolBufferException e) {
            throw new LoadException(source + ": not an ONNX model: malformed protobuf near byte "
                    + safeBytesRead(in) + " (" + why(e) + ")", e);
        } catch (Malformed e) {
            throw new LoadException(source + ": not an ONNX model: " + e.getMessage());
        }
    }

    /** protobuf's reason, shortened: its truncation message is three sentences long. */
    private static String why(InvalidProtocolBufferException e) {
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        if (m.contains("input ended unexpectedly")) {
            return "the data ends inside a field: the file is truncated or a length in it is wrong";
        }
        return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
    }

    private static long safeBytesRead(CodedInputStream in) {
        try {
            return in.getTotalBytesRead();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------------------------------------ accessors

    /** What the model was read from (the file name), as used in messages. */
    String source() {
        return source;
    }

    /** The ONNX IR version of the file ({@code ir_version}). */
    long irVersion() {
        return irVersion;
    }

    /** The operator sets the model imports, domain to version; the default ONNX domain is {@code ""}. */
    Map<String, Long> opsets() {
        return opsets;
    }

    /** The default-domain opset version, or 1 when the model imports none (IR versions before 3). */
    long defaultOpset() {
        Long v = opsets.get("");
        return v == null ? 1 : v;
    }

    /** The producer ({@code "pytorch"}, {@code "skl2onnx"}, ...), or {@code ""}. */
    String producerName() {
        return producerName;
    }

    /** The producer's version, or {@code ""}. */
    String producerVersion() {
        return producerVersion;
    }

    /** The model's custom metadata ({@code metadata_props}), in file order. Unmodifiable. */
    Map<String, String> metadata() {
        return metadata;
    }

    /** The inputs a caller feeds: the graph inputs that are not initializers. Unmodifiable. */
    List<ValueSpec> inputs() {
        return inputs;
    }

    /** The graph outputs, in order. Unmodifiable. */
    List<ValueSpec> outputs() {
        return outputs;
    }

    /** The output named {@code name}, or null. */
    ValueSpec output(String name) {
        for (ValueSpec v : outputs) {
            if (v.name().equals(name)) {
                return v;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return source + " (ir_version " + irVersion + ", opsets " + opsets + ", producer " + producerName + " "
                + producerVersion + "): inputs " + inputs + ", outputs " + outputs;
    }

    // ------------------------------------------------------------------------------------------------ head detection

    /**
     * Ops that move or retype values without changing them (walked through; the data is their first input). Concat is
     * walked through all its inputs, which must agree.
     */
    private static final Set<String> SHAPE_ONLY = Set.of("Identity", "Reshape", "Flatten", "Squeeze", "Unsqueeze",
            "Cast", "Transpose", "Slice", "Gather", "Dropout");
    /** Shape-only ops that keep the rank, so the output's rank is the head's rank. */
    private static final Set<String> RANK_KEEPING = Set.of("Identity", "Cast", "Transpose", "Dropout");
    /** Ops whose output is an affine function of their input: their output is logits. */
    private static final Set<String> AFFINE = Set.of("Gemm", "MatMul", "Conv", "ConvTranspose", "Einsum",
            "BatchNormalization");
    /** Reductions that keep the range of what they reduce: of probabilities, probabilities; of logits, logits. */
    private static final Set<String> RANGE_KEEPING = Set.of("ReduceMean", "ReduceMax", "ReduceMin", "Mean", "Max",
            "Min", "GlobalAveragePool", "AveragePool", "GlobalMaxPool", "MaxPool");
    /** Element-wise arithmetic that keeps logits logits when the other operand is a constant. */
    private static final Set<String> ARITHMETIC = Set.of("Add", "Sub", "Mul", "Div");
    /** The ai.onnx.ml classifiers whose second output holds the scores, read by their post_transform. */
    private static final Set<String> ML_CLASSIFIERS = Set.of("LinearClassifier", "TreeEnsembleClassifier",
            "SVMClassifier");
    private static final String NOT_A_HEAD = " (neither a head (Softmax, LogSoftmax, Sigmoid, ZipMap, an ai.onnx.ml"
            + " classifier or Normalizer) nor an affine op (Gemm, MatMul, Conv, Einsum, BatchNormalization, or"
            + " Add/Sub/Mul/Div with a constant))";
    /** How deep the walk recurses through reductions, arithmetic and If branches before it gives up. */
    private static final int MAX_WALK_DEPTH = 256;

    /**
     * Decides what output {@code outputName} emits, from the graph: see {@link HeadEvidence} for the rules.
     *
     * @throws IllegalArgumentException if the model has no output of that name (the message lists the outputs)
     */
    HeadEvidence detectHead(String outputName) {
        Objects.requireNonNull(outputName, "outputName");
        if (output(outputName) == null) {
            List<String> names = new ArrayList<>();
            for (ValueSpec v : outputs) {
                names.add(v.name());
            }
            throw new IllegalArgumentException(source + " has no output '" + outputName + "'; its outputs are "
                    + names);
        }
        Trace t = new Walk().trace(new Scope(graph, null), outputName, 0);
        return new HeadEvidence(t.kind, t.op, t.nodes, t.description, t.taskHint, t.classLabels);
    }

    /** The result of walking back from one value. */
    private static final class Trace {
        /** LOGITS, PROBABILITIES, LOG_PROBABILITIES, or null when the graph does not tell. */
        final OutputKind kind;
        final String op;
        final List<String> nodes;
        final String description;
        final Task taskHint;
        final List<String> classLabels;

        Trace(OutputKind kind, String op, List<String> nodes, String description, Task taskHint,
                List<String> classLabels) {
            this.kind = kind;
            this.op = op;
            this.nodes = nodes;
            this.description = description;
            this.taskHint = taskHint;
            this.classLabels = classLabels;
        }

        static Trace unknown(String op, List<String> nodes, String description) {
            return new Trace(null, op, nodes, description, null, List.of());
        }

        static Trace logits(String op, List<String> nodes, String description) {
            return new Trace(OutputKind.LOGITS, op, nodes, description, null, List.of());
        }

        /** Whether a head (probabilities or log-probabilities) was found. */
        boolean head() {
            return kind == OutputKind.PROBABILITIES || kind == OutputKind.LOG_PROBABILITIES;
        }

        boolean sameAs(Trace o) {
            return kind == o.kind && Objects.equals(op, o.op) && classLabels.equals(o.classLabels)
                    && Objects.equals(taskHint, o.taskHint);
        }

        Trace through(List<Node> path) {
            if (path.isEmpty()) {
                return this;
            }
            List<String> all = new ArrayList<>(nodes);
            StringBuilder via = new StringBuilder(" (through ");
            for (int i = path.size() - 1; i >= 0; i--) {
                Node n = path.get(i);
                all.add(n.label());
                via.append(n.op).append(' ').append(n.quoted());
                if (i > 0) {
                    via.append(", ");
                }
            }
            via.append(')');
            return new Trace(kind, op, all, description + via, taskHint, classLabels);
        }

        /** This head or logits seen through {@code node} (a reduction, an If, arithmetic with a constant). */
        Trace then(Node node, String description) {
            List<String> all = new ArrayList<>(nodes);
            all.add(node.label());
            return new Trace(kind, op, all, description, taskHint, classLabels);
        }
    }

    /** A graph and the graphs it is nested in, for names a subgraph takes from its outer scope. */
    private static final class Scope {
        final Graph graph;
        final Scope parent;

        Scope(Graph graph, Scope parent) {
            this.graph = graph;
            this.parent = parent;
        }

        /** The scope whose graph defines {@code value} (produces it, or has it as input or initializer), or null. */
        Scope definer(String value) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.graph.producers.containsKey(value) || s.graph.inputNames.contains(value)
                        || s.graph.initializers.contains(value)) {
                    return s;
                }
            }
            return null;
        }

        /** The declared type of {@code value} in this scope or an outer one, or null. */
        ValueSpec spec(String value) {
            for (Scope s = this; s != null; s = s.parent) {
                ValueSpec v = s.graph.specs.get(value);
                if (v != null) {
                    return v;
                }
            }
            return null;
        }

        /** Whether {@code value} is a constant: an initializer (not also a graph input) or a Constant node's output. */
        boolean isConstant(String value) {
            Scope def = definer(value);
            if (def == null) {
                return false;
            }
            Node producer = def.graph.producers.get(value);
            if (producer != null) {
                return producer.isDefaultDomain() && producer.op.equals("Constant");
            }
            return def.graph.initializers.contains(value) && !def.graph.inputNames.contains(value);
        }
    }

    /** One walk back from an output; remembers each value it traced, so shared subgraphs are walked once. */
    private final class Walk {
        private final Map<Graph, Map<String, Trace>> memo = new HashMap<>();

        Trace trace(Scope scope, String value, int depth) {
            if (depth > MAX_WALK_DEPTH) {
                return Trace.unknown(null, List.of(), "no head found: the walk back from the output passed more"
                        + " than " + MAX_WALK_DEPTH + " reductions, arithmetic ops or If nodes");
            }
            Scope def = scope.definer(value);
            Map<String, Trace> seen = def == null ? null : memo.computeIfAbsent(def.graph, g -> new HashMap<>());
            if (seen != null && seen.containsKey(value)) {
                Trace t = seen.get(value);
                return t != null ? t : Trace.unknown(null, List.of(), "no head found: the graph has a cycle through '"
                        + value + "'");
            }
            if (seen != null) {
                seen.put(value, null); // in progress: a cycle back to here is reported, not followed
            }
            Trace t = walk(scope, value, depth);
            if (seen != null) {
                seen.put(value, t);
            }
            return t;
        }

        private Trace walk(Scope scope, String start, int depth) {
            String value = start;
            List<Node> path = new ArrayList<>();
            Set<Node> visited = new HashSet<>();
            Scope s = scope;
            Node node;
            while (true) {
                Scope def = s.definer(value);
                if (def == null) {
                    return Trace.unknown(null, List.of(), "no head: '" + value + "' is produced by no node")
                            .through(path);
                }
                s = def;
                node = s.graph.producers.get(value);
                if (node == null) {
                    String what = s.graph.initializers.contains(value) ? "the constant initializer '" + value + "'"
                            : "graph input '" + value + "'";
                    return Trace.unknown(null, List.of(), "no head: the output comes from " + what).through(path);
                }
                if (!visited.add(node)) {
                    return Trace.unknown(null, List.of(), "no head: the graph has a cycle through " + node.op
                            + " node " + node.quoted()).through(path);
                }
                if (node.isDefaultDomain() && SHAPE_ONLY.contains(node.op) && !node.inputs.isEmpty()
                        && !node.inputs.get(0).isEmpty() && keepsLastAxis(node)
                        && node.outputs.indexOf(value) == 0) {
                    path.add(node);
                    value = node.inputs.get(0);
                    continue;
                }
                break;
            }
            return head(s, node, value, scope, start, path, depth).through(path);
        }

        /** The decision at {@code node}, which produces {@code value}; {@code path} is the shape-only walk after. */
        private Trace head(Scope scope, Node node, String value, Scope outputScope, String outputValue,
                List<Node> path, int depth) {
            String op = node.op;
            if (node.isDefaultDomain()) {
                if (op.equals("Softmax") || op.equals("LogSoftmax")) {
                    return softmax(scope, node, value, path, outputScope, outputValue);
                }
                if (op.equals("Sigmoid")) {
                    return new Trace(OutputKind.PROBABILITIES, op, List.of(node.label()),
                            "Sigmoid node " + node.quoted(), null, List.of());
                }
                if (op.equals("If")) {
                    return ifNode(scope, node, value, depth);
                }
                if (AFFINE.contains(op)) {
                    return Trace.logits(op, List.of(node.label()), op + " node " + node.quoted()
                            + " (an affine op: logits)");
                }
                if (RANGE_KEEPING.contains(op) || op.equals("Concat")) {
                    return reduction(scope, node, depth);
                }
                if (ARITHMETIC.contains(op)) {
                    return arithmetic(scope, node, depth);
                }
                if (op.equals("Log") || op.equals("Exp")) {
                    return logOrExp(scope, node, depth);
                }
                if (op.equals("Constant")) {
                    return Trace.unknown(null, List.of(node.label()), "no head: the output is a constant (Constant"
                            + " node " + node.quoted() + ")");
                }
                return Trace.unknown(op, List.of(node.label()), "no recognisable head: produced by " + op + " node "
                        + node.quoted() + NOT_A_HEAD);
            }
            if (node.domain.equals(ML_DOMAIN)) {
                if (op.equals("ZipMap")) {
                    return zipMap(node);
                }
                if (ML_CLASSIFIERS.contains(op)) {
                    return classifier(node, value);
                }
                if (op.equals("Normalizer")) {
                    return normalizer(scope, node, depth);
                }
            }
            if (node.domain.equals("com.microsoft") && op.equals("FusedMatMul")) {
                return Trace.logits(node.domain + "." + op, List.of(node.label()), op + " node " + node.quoted()
                        + " of domain 'com.microsoft' (an affine op: logits)");
            }
            return Trace.unknown(node.domain + "." + op, List.of(node.label()), "no recognisable head: produced by "
                    + op + " node " + node.quoted() + " of domain '" + node.domain + "'" + NOT_A_HEAD);
        }

        private Trace softmax(Scope scope, Node node, String value, List<Node> path, Scope outputScope,
                String outputValue) {
            String op = node.op;
            long opset = defaultOpset();
            boolean coerces = opset < 13;
            Attribute axisAttr = node.attributes.get("axis");
            long axis = axisAttr != null && axisAttr.hasInt ? axisAttr.i : coerces ? 1 : -1;
            long[] shape = shapeOf(scope, value, path, outputScope, outputValue);
            int rank = shape == null ? -1 : shape.length;
            int version = opset < 11 ? 1 : opset < 13 ? 11 : 13;
            String versionText = coerces ? " (" + op + "-" + version + " of opset " + opset + ", which normalises"
                    + " the input flattened to 2-D at axis " + axis + ")" : "";
            boolean classAxis;
            String axisText;
            if (rank >= 1) {
                long a = axis < 0 ? axis + rank : axis;
                classAxis = a == rank - 1 || (coerces && a == 1 && rank >= 2) || (a == 1 && onlyOnesAfter(shape, 1));
                axisText = "axis " + axis + " of a rank-" + rank + " tensor";
            } else {
                classAxis = axis == -1 || axis == 1;
                axisText = "axis " + axis;
            }
            if (!classAxis) {
                return Trace.unknown(op, List.of(node.label()), "no recognisable head: " + op + " node "
                        + node.quoted() + " normalises over " + axisText + ", not the class axis" + versionText);
            }
            OutputKind kind = op.equals("Softmax") ? OutputKind.PROBABILITIES : OutputKind.LOG_PROBABILITIES;
            return new Trace(kind, op, List.of(node.label()), op + " node " + node.quoted() + versionText,
                    Task.MULTICLASS, List.of());
        }

        /** ReduceMean / Mean / pooling: a head or logits seen through a range-keeping reduction. */
        private Trace reduction(Scope scope, Node node, int depth) {
            List<String> data = new ArrayList<>();
            for (String in : node.op.startsWith("Reduce") || node.op.endsWith("Pool") ? node.inputs.subList(0,
                    Math.min(1, node.inputs.size())) : node.inputs) {
                if (!in.isEmpty()) {
                    data.add(in);
                }
            }
            if (data.isEmpty()) {
                return Trace.unknown(node.op, List.of(node.label()), "no head: " + node.op + " node " + node.quoted()
                        + " has no input");
            }
            Trace first = null;
            for (String in : data) {
                Trace t = trace(scope, in, depth + 1);
                if (t.kind == null) {
                    return t.then(node, t.description + ", then " + node.op + " node " + node.quoted());
                }
                if (first != null && !first.sameAs(t)) {
                    return Trace.unknown(node.op, List.of(node.label()), "no head: the inputs of " + node.op
                            + " node " + node.quoted() + " disagree: " + first.description + "; " + t.description);
                }
                first = first == null ? t : first;
            }
            if (first.kind == OutputKind.LOG_PROBABILITIES && !node.op.equals("Concat")) {
                return Trace.unknown(node.op, List.of(node.label()), "no recognisable head: " + node.op + " node "
                        + node.quoted() + " reduces log-probabilities (" + first.description + "), which gives"
                        + " neither log-probabilities nor logits");
            }
            if (node.op.equals("Concat")) {
                return first.then(node, first.description + ", then Concat node " + node.quoted() + " (joins "
                        + data.size() + " outputs of that kind)");
            }
            String what = first.kind == OutputKind.PROBABILITIES ? "a mean, maximum or minimum of probabilities"
                    + " is a probability" : "it keeps logits logits";
            return first.then(node, first.description + ", then " + node.op + " node " + node.quoted() + " (" + what
                    + ")");
        }

        /** Add/Sub/Mul/Div: logits with a constant stay logits; two logits add to logits; anything else is unknown. */
        private Trace arithmetic(Scope scope, Node node, int depth) {
            if (node.inputs.size() != 2) {
                return Trace.unknown(node.op, List.of(node.label()), "no head: " + node.op + " node " + node.quoted()
                        + " has " + node.inputs.size() + " inputs");
            }
            String a = node.inputs.get(0);
            String b = node.inputs.get(1);
            boolean ca = scope.isConstant(a);
            boolean cb = scope.isConstant(b);
            if (ca && cb) {
                return Trace.unknown(node.op, List.of(node.label()), "no head: " + node.op + " node " + node.quoted()
                        + " combines two constants");
            }
            if (ca || cb) {
                Trace t = trace(scope, ca ? b : a, depth + 1);
                if (t.kind == OutputKind.LOGITS) {
                    return t.then(node, t.description + ", then " + node.op + " node " + node.quoted() + " with a"
                            + " constant (still affine: logits)");
                }
                String why = t.head() ? "a " + t.op + " head then " + node.op + " with a constant: scaled or shifted"
                        + " " + (t.kind == OutputKind.PROBABILITIES ? "probabilities are not probabilities"
                        : "log-probabilities are not log-probabilities") : t.description;
                return Trace.unknown(node.op, List.of(node.label()), "no recognisable head: " + node.op + " node "
                        + node.quoted() + " with a constant, after " + why);
            }
            if (node.op.equals("Add") || node.op.equals("Sub")) {
                Trace ta = trace(scope, a, depth + 1);
                Trace tb = trace(scope, b, depth + 1);
                if (ta.kind == OutputKind.LOGITS && tb.kind == OutputKind.LOGITS) {
                    return ta.then(node, node.op + " node " + node.quoted() + " of two affine outputs (" + ta.description
                            + "; " + tb.description + "): logits");
                }
            }
            return Trace.unknown(node.op, List.of(node.label()), "no recognisable head: produced by " + node.op
                    + " node " + node.quoted() + " of two computed values" + NOT_A_HEAD);
        }

        /** Log of probabilities is log-probabilities; Exp of log-probabilities is probabilities. */
        private Trace logOrExp(Scope scope, Node node, int depth) {
            boolean log = node.op.equals("Log");
            Trace t = node.inputs.isEmpty() ? null : trace(scope, node.inputs.get(0), depth + 1);
            OutputKind from = log ? OutputKind.PROBABILITIES : OutputKind.LOG_PROBABILITIES;
            if (t != null && t.kind == from) {
                OutputKind to = log ? OutputKind.LOG_PROBABILITIES : OutputKind.PROBABILITIES;
                return new Trace(to, t.op, append(t.nodes, node.label()), t.description + ", then " + node.op
                        + " node " + node.quoted(), t.taskHint, t.classLabels);
            }
            return Trace.unknown(node.op, List.of(node.label()), "no recognisable head: produced by " + node.op
                    + " node " + node.quoted() + (t == null ? "" : " of " + t.description) + NOT_A_HEAD);
        }

        private Trace ifNode(Scope scope, Node node, String value, int depth) {
            int index = node.outputs.indexOf(value);
            Attribute thenAttr = node.attributes.get("then_branch");
            Attribute elseAttr = node.attributes.get("else_branch");
            if (index < 0 || thenAttr == null || thenAttr.graph == null || elseAttr == null
                    || elseAttr.graph == null) {
                return Trace.unknown("If", List.of(node.label()), "no head: If node " + node.quoted()
                        + " lacks a then_branch or else_branch subgraph");
            }
            Graph[] branches = {thenAttr.graph, elseAttr.graph};
            Trace[] traces = new Trace[2];
            for (int b = 0; b < 2; b++) {
                Graph g = branches[b];
                if (index >= g.outputs.size()) {
                    return Trace.unknown("If", List.of(node.label()), "no head: If node " + node.quoted() + " has "
                            + (b == 0 ? "a then_branch" : "an else_branch") + " with " + g.outputs.size()
                            + " outputs; expected at least " + (index + 1));
                }
                traces[b] = trace(new Scope(g, scope), g.outputs.get(index).name(), depth + 1);
            }
            Trace t = traces[0];
            Trace e = traces[1];
            List<String> nodes = new ArrayList<>(t.nodes);
            nodes.addAll(e.nodes);
            nodes.add(node.label());
            if (t.kind != null && t.sameAs(e)) {
                return new Trace(t.kind, t.op, nodes, (t.head() ? t.op : "logits") + " in both branches of If node "
                        + node.quoted() + " (then_branch: " + t.description + "; the else_branch agrees)",
                        t.taskHint, t.classLabels);
            }
            if (t.kind == null && e.kind == null) {
                return Trace.unknown("If", nodes, "no recognisable head in either branch of If node " + node.quoted()
                        + " (then_branch: " + t.description + "; else_branch: " + e.description + ")");
            }
            return Trace.unknown("If", nodes, "no head: the branches of If node " + node.quoted() + " disagree:"
                    + " then_branch ends in " + t.description + ", else_branch in " + e.description);
        }

        /** Normalizer(norm = L1) makes rows that sum to 1 (of non-negative scores): probabilities. */
        private Trace normalizer(Scope scope, Node node, int depth) {
            Attribute norm = node.attributes.get("norm");
            String n = norm == null || norm.s == null ? "MAX" : norm.s;
            if (!n.equals("L1")) {
                return Trace.unknown("Normalizer", List.of(node.label()), "no recognisable head: Normalizer node "
                        + node.quoted() + " with norm " + n + " (only L1 makes rows that sum to 1)");
            }
            Trace in = node.inputs.isEmpty() ? null : trace(scope, node.inputs.get(0), depth + 1);
            List<String> labels = in == null ? List.of() : in.classLabels;
            List<String> nodes = in == null ? List.of(node.label()) : append(in.nodes, node.label());
            return new Trace(OutputKind.PROBABILITIES, "Normalizer", nodes, "Normalizer node " + node.quoted()
                    + " with norm L1 (rows sum to 1: probabilities)" + (in == null ? "" : ", after " + in.description),
                    Task.MULTICLASS, labels);
        }
    }

    private static List<String> append(List<String> list, String last) {
        List<String> all = new ArrayList<>(list);
        all.add(last);
        return all;
    }

    /** Whether every dimension after {@code axis} is 1 ([N, C, 1, 1]: the class axis is axis 1). */
    static boolean onlyOnesAfter(long[] shape, int axis) {
        for (int i = axis + 1; i < shape.length; i++) {
            if (shape[i] != 1) {
                return false;
            }
        }
        return shape.length > axis + 1;
    }

    /** Transpose counts as shape-only only when its perm keeps the last axis last. */
    private static boolean keepsLastAxis(Node node) {
        if (!node.op.equals("Transpose")) {
            return true;
        }
        Attribute perm = node.attributes.get("perm");
        if (perm == null || perm.ints == null || perm.ints.length == 0) {
            return false;
        }
        return perm.ints[perm.ints.length - 1] == perm.ints.length - 1;
    }

    /** The shape of the head's output: declared for it, or the output's when only rank-keeping ops follow; else null. */
    private static long[] shapeOf(Scope scope, String value, List<Node> path, Scope outputScope, String outputValue) {
        ValueSpec v = scope.spec(value);
        if (v != null && v.rank() >= 0) {
            return v.shape();
        }
        for (Node n : path) {
            if (!RANK_KEEPING.contains(n.op)) {
                return null;
            }
        }
        ValueSpec out = outputScope.spec(outputValue);
        return out == null || out.rank() < 0 ? null : out.shape();
    }

    private static Trace zipMap(Node node) {
        List<String> labels = classLabels(node, "classlabels_strings", "classlabels_int64s");
        return new Trace(OutputKind.PROBABILITIES, "ZipMap", List.of(node.label()), "ZipMap node " + node.quoted(),
                Task.MULTICLASS, labels);
    }

    /** The class labels of an ai.onnx.ml node: its string labels, else its integer labels as decimal text. */
    private static List<String> classLabels(Node node, String stringsAttr, String intsAttr) {
        List<String> labels = new ArrayList<>();
        Attribute strings = node.attributes.get(stringsAttr);
        Attribute ints = node.attributes.get(intsAttr);
        if (strings != null && strings.strings != null && !strings.strings.isEmpty()) {
            labels.addAll(strings.strings);
        } else if (ints != null && ints.ints != null) {
            for (long i : ints.ints) {
                labels.add(Long.toString(i));
            }
        }
        return List.copyOf(labels);
    }

    /**
     * An ai.onnx.ml classifier: output 0 is the label, output 1 the scores, whose kind its post_transform says: SOFTMAX,
     * SOFTMAX_ZERO, LOGISTIC and PROBIT give probabilities; NONE gives a LinearClassifier's linear scores (logits), a
     * TreeEnsembleClassifier's summed leaf weights (probabilities: scikit-learn trees and forests store class
     * frequencies), and an SVMClassifier's probabilities only with Platt coefficients (prob_a), else decision values.
     */
    private static Trace classifier(Node node, String value) {
        String op = node.op;
        List<String> labels = classLabels(node, "classlabels_strings",
                op.equals("TreeEnsembleClassifier") ? "classlabels_int64s" : "classlabels_ints");
        if (node.outputs.indexOf(value) != 1) {
            return Trace.unknown(op, List.of(node.label()), "no head: the output is the label (output 0) of " + op
                    + " node " + node.quoted() + ", not its scores (output 1)");
        }
        Attribute pt = node.attributes.get("post_transform");
        String transform = pt == null || pt.s == null ? "NONE" : pt.s;
        String what = op + " node " + node.quoted() + " with post_transform " + transform;
        switch (transform) {
            case "SOFTMAX", "SOFTMAX_ZERO", "LOGISTIC", "PROBIT":
                return new Trace(OutputKind.PROBABILITIES, op, List.of(node.label()), what + " (probabilities)",
                        Task.MULTICLASS, labels);
            case "NONE":
                break;
            default:
                return Trace.unknown(op, List.of(node.label()), "no recognisable head: " + what
                        + " (an unknown post_transform)");
        }
        switch (op) {
            case "LinearClassifier":
                return new Trace(OutputKind.LOGITS, op, List.of(node.label()), what + " (linear scores: logits)",
                        Task.MULTICLASS, labels);
            case "TreeEnsembleClassifier":
                return new Trace(OutputKind.PROBABILITIES, op, List.of(node.label()), what + " (summed leaf weights,"
                        + " which scikit-learn trees and forests export as class probabilities)", Task.MULTICLASS,
                        labels);
            default: {
                Attribute probA = node.attributes.get("prob_a");
                boolean platt = probA != null && probA.floatCount > 0;
                if (platt) {
                    return new Trace(OutputKind.PROBABILITIES, op, List.of(node.label()), what + " and Platt"
                            + " coefficients prob_a/prob_b (probabilities)", Task.MULTICLASS, labels);
                }
                return Trace.unknown(op, List.of(node.label()), "no recognisable head: " + what + " and no prob_a:"
                        + " SVM decision values are neither logits nor probabilities");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ model

    /** A parsed graph: nodes (attributes without tensors), inputs, outputs, declared types, initializer names. */
    private static final class Graph {
        final String name;
        final List<Node> nodes;
        final List<ValueSpec> inputs;
        final List<ValueSpec> outputs;
        final Set<String> initializers;
        final Set<String> inputNames = new HashSet<>();
        final Map<String, Node> producers = new HashMap<>();
        /** Declared types: value_info, then inputs and outputs (which take precedence). */
        final Map<String, ValueSpec> specs = new HashMap<>();

        Graph(String name, List<Node> nodes, List<ValueSpec> inputs, List<ValueSpec> outputs,
                Set<String> initializers, List<ValueSpec> valueInfo) {
            this.name = name;
            this.nodes = List.copyOf(nodes);
            this.inputs = List.copyOf(inputs);
            this.outputs = List.copyOf(outputs);
            this.initializers = Set.copyOf(initializers);
            for (int i = 0; i < nodes.size(); i++) {
                Node n = nodes.get(i);
                n.index = i;
                for (String out : n.outputs) {
                    if (!out.isEmpty()) {
                        producers.putIfAbsent(out, n);
                    }
                }
            }
            for (ValueSpec v : inputs) {
                inputNames.add(v.name());
            }
            for (ValueSpec v : valueInfo) {
                specs.put(v.name(), v);
            }
            for (ValueSpec v : inputs) {
                specs.put(v.name(), v);
            }
            for (ValueSpec v : outputs) {
                specs.put(v.name(), v);
            }
        }
    }

    private static final class Node {
        String name = "";
        String op = "";
        String domain = "";
        final List<String> inputs = new ArrayList<>();
        final List<String> outputs = new ArrayList<>();
        final Map<String, Attribute> attributes = new HashMap<>();
        int index;

        boolean isDefaultDomain() {
            return domain.isEmpty() || domain.equals("ai.onnx");
        }

        /** The name, or {@code #index} for an unnamed node. */
        String label() {
            return name.isEmpty() ? "#" + index : name;
        }

        String quoted() {
            return name.isEmpty() ? "#" + index + " (unnamed)" : "'" + name + "'";
        }
    }

    private static final class Attribute {
        String name = "";
        boolean hasInt;
        long i;
        long[] ints;
        List<String> strings;
        /** A string attribute (post_transform, norm), when short enough to be one; else null. */
        String s;
        /** How many values a floats attribute holds (their values are not kept). */
        int floatCount;
        Graph graph;
    }

    /** Internal: the bytes are valid protobuf but not an ONNX model; the message says what is missing or wrong. */
    private static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------------------------------------ wire reader

    /**
     * Reads ONNX messages field by field. Each nested message is bounded with pushLimit/popLimit; unknown and unneeded
     * fields are skipped, which for a stream skips their bytes without buffering them.
     */
    private static final class Reader {
        private final CodedInputStream in;
        private final String source;
        private int graphDepth;

        Reader(CodedInputStream in, String source) {
            this.in = in;
            this.source = source;
        }

        // ModelProto
        OnnxGraph model() throws IOException, Malformed {
            long irVersion = -1;
            String producerName = "";
            String producerVersion = "";
            Graph graph = null;
            Map<String, Long> opsets = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            boolean any = false;
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                any = true;
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1:
                        expect(tag, WireFormat.WIRETYPE_VARINT, "ModelProto.ir_version");
                        irVersion = in.readInt64();
                        break;
                    case 2:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "ModelProto.producer_name");
                        producerName = in.readStringRequireUtf8();
                        break;
                    case 3:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "ModelProto.producer_version");
                        producerVersion = in.readStringRequireUtf8();
                        break;
                    case 7:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "ModelProto.graph");
                        graph = graph(graph);
                        break;
                    case 8: {
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "ModelProto.opset_import");
                        int old = begin();
                        String domain = "";
                        long version = 0;
                        while (!in.isAtEnd()) {
                            int t = in.readTag();
                            int f = WireFormat.getTagFieldNumber(t);
                            if (f == 1) {
                                expect(t, WireFormat.WIRETYPE_LENGTH_DELIMITED, "OperatorSetIdProto.domain");
                                domain = in.readStringRequireUtf8();
                            } else if (f == 2) {
                                expect(t, WireFormat.WIRETYPE_VARINT, "OperatorSetIdProto.version");
                                version = in.readInt64();
                            } else {
                                skip(t);
                            }
                        }
                        in.popLimit(old);
                        opsets.put(domain.equals("ai.onnx") ? "" : domain, version);
                        break;
                    }
                    case 14: {
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "ModelProto.metadata_props");
                        String[] kv = stringPair("StringStringEntryProto");
                        metadata.put(kv[0], kv[1]);
                        break;
                    }
                    default:
                        skip(tag);
                        break;
                }
            }
            if (!any) {
                throw new Malformed("the file is empty");
            }
            if (graph == null) {
                throw new Malformed("it has no graph (ModelProto field 7)");
            }
            if (irVersion < 1) {
                throw new Malformed(irVersion < 0 ? "it has no ir_version (ModelProto field 1)"
                        : "ir_version is " + irVersion + "; expected 1 or more");
            }
            if (graph.outputs.isEmpty()) {
                throw new Malformed("the graph has no outputs");
            }
            if (irVersion >= 3 && opsets.isEmpty()) {
                throw new Malformed("it has no opset_import (ModelProto field 8), which IR version " + irVersion
                        + " requires; the file may be truncated");
            }
            return new OnnxGraph(source, irVersion, opsets, producerName, producerVersion, metadata, graph);
        }

        /** Reads a GraphProto; a repeated graph field merges into {@code previous}, as protobuf does. */
        private Graph graph(Graph previous) throws IOException, Malformed {
            if (++graphDepth > MAX_GRAPH_DEPTH) {
                throw new Malformed("subgraphs are nested more than " + MAX_GRAPH_DEPTH + " deep");
            }
            int old = begin();
            String name = previous == null ? "" : previous.name;
            List<Node> nodes = previous == null ? new ArrayList<>() : new ArrayList<>(previous.nodes);
            List<ValueSpec> inputs = previous == null ? new ArrayList<>() : new ArrayList<>(previous.inputs);
            List<ValueSpec> outputs = previous == null ? new ArrayList<>() : new ArrayList<>(previous.outputs);
            Set<String> initializers = previous == null ? new HashSet<>() : new HashSet<>(previous.initializers);
            List<ValueSpec> valueInfo = new ArrayList<>();
            if (previous != null) {
                valueInfo.addAll(previous.specs.values());
            }
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "GraphProto.node");
                        nodes.add(node());
                        break;
                    case 2:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "GraphProto.name");
                        name = in.readStringRequireUtf8();
                        break;
                    case 5:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "GraphProto.initializer");
                        addName(initializers, tensorName());
                        break;
                    case 15:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "GraphProto.sparse_initializer");
                        addName(initializers, sparseTensorName());
                        break;
                    case 11:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "GraphProto.input");
                        inputs.add(valueInfo());
                        break;
                    case 12:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "GraphProto.output");
                        outputs.add(valueInfo());
                        break;
                    case 13:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "GraphProto.value_info");
                        valueInfo.add(valueInfo());
                        break;
                    default:
                        skip(tag);
                        break;
                }
            }
            in.popLimit(old);
            graphDepth--;
            return new Graph(name, nodes, inputs, outputs, initializers, valueInfo);
        }

        private static void addName(Set<String> names, String name) {
            if (name != null && !name.isEmpty()) {
                names.add(name);
            }
        }

        /** The name of a TensorProto (field 8); its data (raw_data, float_data, ...) is skipped, not read. */
        private String tensorName() throws IOException, Malformed {
            int old = begin();
            String name = null;
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                if (WireFormat.getTagFieldNumber(tag) == 8) {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TensorProto.name");
                    name = in.readStringRequireUtf8();
                } else {
                    skip(tag);
                }
            }
            in.popLimit(old);
            return name;
        }

        /** The name of a SparseTensorProto: that of its values tensor (field 1). */
        private String sparseTensorName() throws IOException, Malformed {
            int old = begin();
            String name = null;
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                if (WireFormat.getTagFieldNumber(tag) == 1) {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "SparseTensorProto.values");
                    name = tensorName();
                } else {
                    skip(tag);
                }
            }
            in.popLimit(old);
            return name;
        }

        // NodeProto
        private Node node() throws IOException, Malformed {
            int old = begin();
            Node n = new Node();
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "NodeProto.input");
                        n.inputs.add(in.readStringRequireUtf8());
                        break;
                    case 2:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "NodeProto.output");
                        n.outputs.add(in.readStringRequireUtf8());
                        break;
                    case 3:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "NodeProto.name");
                        n.name = in.readStringRequireUtf8();
                        break;
                    case 4:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "NodeProto.op_type");
                        n.op = in.readStringRequireUtf8();
                        break;
                    case 5: {
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "NodeProto.attribute");
                        Attribute a = attribute();
                        n.attributes.put(a.name, a);
                        break;
                    }
                    case 7:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "NodeProto.domain");
                        n.domain = in.readStringRequireUtf8();
                        break;
                    default:
                        skip(tag);
                        break;
                }
            }
            in.popLimit(old);
            return n;
        }

        // AttributeProto: name, i, s, g, ints, strings; tensors and everything else skipped.
        private Attribute attribute() throws IOException, Malformed {
            int old = begin();
            Attribute a = new Attribute();
            List<Long> ints = null;
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                int wire = WireFormat.getTagWireType(tag);
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "AttributeProto.name");
                        a.name = in.readStringRequireUtf8();
                        break;
                    case 3:
                        expect(tag, WireFormat.WIRETYPE_VARINT, "AttributeProto.i");
                        a.i = in.readInt64();
                        a.hasInt = true;
                        break;
                    case 6:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "AttributeProto.g");
                        a.graph = graph(a.graph);
                        break;
                    case 8:
                        if (ints == null) {
                            ints = new ArrayList<>();
                        }
                        if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                            int o = begin();
                            while (!in.isAtEnd()) {
                                ints.add(in.readInt64());
                            }
                            in.popLimit(o);
                        } else {
                            expect(tag, WireFormat.WIRETYPE_VARINT, "AttributeProto.ints");
                            ints.add(in.readInt64());
                        }
                        break;
                    case 9:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "AttributeProto.strings");
                        if (a.strings == null) {
                            a.strings = new ArrayList<>();
                        }
                        a.strings.add(new String(in.readByteArray(), StandardCharsets.UTF_8));
                        break;
                    case 4:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "AttributeProto.s");
                        int length = in.readRawVarint32();
                        if (length <= MAX_STRING_ATTRIBUTE) {
                            a.s = new String(in.readRawBytes(length), StandardCharsets.UTF_8);
                        } else {
                            in.skipRawBytes(length);
                        }
                        break;
                    case 7:
                        if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                            int bytes = in.readRawVarint32();
                            a.floatCount += bytes / Float.BYTES;
                            in.skipRawBytes(bytes);
                        } else {
                            expect(tag, WireFormat.WIRETYPE_FIXED32, "AttributeProto.floats");
                            in.readFloat();
                            a.floatCount++;
                        }
                        break;
                    default:
                        // t, tensors, sparse tensors, graphs: skipped
                        skip(tag);
                        break;
                }
            }
            in.popLimit(old);
            if (ints != null) {
                a.ints = new long[ints.size()];
                for (int k = 0; k < a.ints.length; k++) {
                    a.ints[k] = ints.get(k);
                }
            }
            return a;
        }

        // ValueInfoProto
        private ValueSpec valueInfo() throws IOException, Malformed {
            int old = begin();
            String name = "";
            Type type = null;
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "ValueInfoProto.name");
                        name = in.readStringRequireUtf8();
                        break;
                    case 2:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "ValueInfoProto.type");
                        type = type(0);
                        break;
                    default:
                        skip(tag);
                        break;
                }
            }
            in.popLimit(old);
            if (type == null) {
                return new ValueSpec(name, "unknown", null, false, false, null, null);
            }
            boolean tensor = type.kind == TypeKind.TENSOR;
            boolean seqOfMaps = type.kind == TypeKind.SEQUENCE && type.element != null
                    && type.element.kind == TypeKind.MAP;
            long[] shape = null;
            String[] dimNames = null;
            if (tensor && type.dims != null) {
                shape = new long[type.dims.size()];
                dimNames = new String[shape.length];
                for (int k = 0; k < shape.length; k++) {
                    Dim d = type.dims.get(k);
                    shape[k] = d.value >= 0 ? d.value : -1;
                    dimNames[k] = d.param;
                }
            }
            return new ValueSpec(name, type.text(), tensor ? elementTypeName(type.elemType) : null, tensor, seqOfMaps,
                    shape, dimNames);
        }

        // TypeProto: tensor_type 1, sequence_type 4, map_type 5, optional_type 9, sparse_tensor_type 8.
        private Type type(int depth) throws IOException, Malformed {
            if (depth > MAX_GRAPH_DEPTH) {
                throw new Malformed("a type is nested more than " + MAX_GRAPH_DEPTH + " deep");
            }
            int old = begin();
            Type t = new Type();
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TypeProto.tensor_type");
                        t.kind = TypeKind.TENSOR;
                        tensorType(t);
                        break;
                    case 8:
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TypeProto.sparse_tensor_type");
                        t.kind = TypeKind.SPARSE_TENSOR;
                        tensorType(t);
                        break;
                    case 4:
                    case 9: {
                        boolean seq = WireFormat.getTagFieldNumber(tag) == 4;
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED,
                                seq ? "TypeProto.sequence_type" : "TypeProto.optional_type");
                        t.kind = seq ? TypeKind.SEQUENCE : TypeKind.OPTIONAL;
                        int o = begin();
                        while (!in.isAtEnd()) {
                            int f = in.readTag();
                            if (WireFormat.getTagFieldNumber(f) == 1) {
                                expect(f, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TypeProto elem_type");
                                t.element = type(depth + 1);
                            } else {
                                skip(f);
                            }
                        }
                        in.popLimit(o);
                        break;
                    }
                    case 5: {
                        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TypeProto.map_type");
                        t.kind = TypeKind.MAP;
                        int o = begin();
                        while (!in.isAtEnd()) {
                            int f = in.readTag();
                            int field = WireFormat.getTagFieldNumber(f);
                            if (field == 1) {
                                expect(f, WireFormat.WIRETYPE_VARINT, "TypeProto.Map.key_type");
                                t.elemType = in.readInt32();
                            } else if (field == 2) {
                                expect(f, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TypeProto.Map.value_type");
                                t.element = type(depth + 1);
                            } else {
                                skip(f);
                            }
                        }
                        in.popLimit(o);
                        break;
                    }
                    default:
                        skip(tag);
                        break;
                }
            }
            in.popLimit(old);
            return t;
        }

        // TypeProto.Tensor / SparseTensor: elem_type 1, shape 2 {dim 1 {dim_value 1, dim_param 2}}
        private void tensorType(Type t) throws IOException, Malformed {
            int old = begin();
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                int field = WireFormat.getTagFieldNumber(tag);
                if (field == 1) {
                    expect(tag, WireFormat.WIRETYPE_VARINT, "TypeProto.Tensor.elem_type");
                    t.elemType = in.readInt32();
                } else if (field == 2) {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TypeProto.Tensor.shape");
                    if (t.dims == null) {
                        t.dims = new ArrayList<>();
                    }
                    int o = begin();
                    while (!in.isAtEnd()) {
                        int d = in.readTag();
                        if (WireFormat.getTagFieldNumber(d) == 1) {
                            expect(d, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TensorShapeProto.dim");
                            t.dims.add(dim());
                        } else {
                            skip(d);
                        }
                    }
                    in.popLimit(o);
                } else {
                    skip(tag);
                }
            }
            in.popLimit(old);
        }

        private Dim dim() throws IOException, Malformed {
            int old = begin();
            Dim d = new Dim();
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                int field = WireFormat.getTagFieldNumber(tag);
                if (field == 1) {
                    expect(tag, WireFormat.WIRETYPE_VARINT, "Dimension.dim_value");
                    d.value = in.readInt64();
                    d.param = null;
                } else if (field == 2) {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "Dimension.dim_param");
                    String p = in.readStringRequireUtf8();
                    d.param = p.isEmpty() ? null : p;
                    d.value = -1;
                } else {
                    skip(tag);
                }
            }
            in.popLimit(old);
            return d;
        }

        private String[] stringPair(String what) throws IOException, Malformed {
            int old = begin();
            String key = "";
            String value = "";
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                int field = WireFormat.getTagFieldNumber(tag);
                if (field == 1) {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, what + ".key");
                    key = in.readStringRequireUtf8();
                } else if (field == 2) {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, what + ".value");
                    value = in.readStringRequireUtf8();
                } else {
                    skip(tag);
                }
            }
            in.popLimit(old);
            return new String[] {key, value};
        }

        /** Reads a length and bounds the stream to it; returns the previous limit for popLimit. */
        private int begin() throws IOException {
            int length = in.readRawVarint32();
            return in.pushLimit(length);
        }

        private void skip(int tag) throws IOException, Malformed {
            if (!in.skipField(tag)) {
                throw new Malformed("an unexpected end-group tag (field " + WireFormat.getTagFieldNumber(tag)
                        + ") near byte " + in.getTotalBytesRead());
            }
        }

        private void expect(int tag, int wireType, String field) throws Malformed {
            int found = WireFormat.getTagWireType(tag);
            if (found != wireType) {
                throw new Malformed(field + " has protobuf wire type " + found + "; expected " + wireType);
            }
        }
    }

    private enum TypeKind { UNKNOWN, TENSOR, SPARSE_TENSOR, SEQUENCE, MAP, OPTIONAL }

    private static final class Type {
        TypeKind kind = TypeKind.UNKNOWN;
        /** Tensor element type, or a map's key type. */
        int elemType;
        List<Dim> dims;
        /** A sequence's or optional's element type, or a map's value type. */
        Type element;

        String text() {
            switch (kind) {
                case TENSOR:
                    return "tensor(" + elementTypeName(elemType) + ")";
                case SPARSE_TENSOR:
                    return "sparse_tensor(" + elementTypeName(elemType) + ")";
                case SEQUENCE:
                    return "seq(" + (element == null ? "unknown" : element.text()) + ")";
                case OPTIONAL:
                    return "optional(" + (element == null ? "unknown" : element.text()) + ")";
                case MAP:
                    return "map(" + elementTypeName(elemType) + "," + (element == null ? "unknown" : element.text())
                            + ")";
                default:
                    return "unknown";
            }
        }
    }

    private static final class Dim {
        long value = -1;
        String param;
    }

    private static final String[] ELEMENT_TYPES = {
        "undefined", "float", "uint8", "int8", "uint16", "int16", "int32", "int64", "string", "bool", "float16",
        "double", "uint32", "uint64", "complex64", "complex128", "bfloat16", "float8e4m3fn", "float8e4m3fnuz",
        "float8e5m2", "float8e5m2fnuz", "uint4", "int4", "float4e2m1"};

    /** The ONNX name of TensorProto.DataType {@code code}: 1 float, 7 int64, 11 double, .... */
    static String elementTypeName(int code) {
        return code >= 0 && code < ELEMENT_TYPES.length ? ELEMENT_TYPES[code] : "elem_type(" + code + ")";
    }
}
