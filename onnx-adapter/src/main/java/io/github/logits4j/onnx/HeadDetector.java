package io.github.logits4j.onnx;

import io.github.logits4j.Task;
import io.github.logits4j.onnx.GraphModel.Attribute;
import io.github.logits4j.onnx.GraphModel.Graph;
import io.github.logits4j.onnx.GraphModel.Node;
import io.github.logits4j.onnx.GraphModel.Scope;
import io.github.logits4j.onnx.HeadTrace.Lin;
import io.github.logits4j.onnx.HeadTrace.Meaning;
import io.github.logits4j.onnx.HeadTrace.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides from the graph alone what an output emits, by abstract interpretation: walking back from the output, every
 * value gets facts (what it means: logits, probabilities, log-probabilities, decision values or unknown; whether it
 * is a [batch, classes] tensor, one value per row or a constant; the interval its elements lie in; its row sum as a
 * linear form) and every op a rule that makes its output's facts from its inputs'. Heads (Softmax, Sigmoid, the
 * ai.onnx.ml classifiers, ZipMap, Normalizer) and affine ops state facts; arithmetic carries them: a division of
 * non-negative values by their own row sum gives probabilities, {@code x - logsumexp(x)} log-probabilities, a sum of
 * weighted probability heads whose weights add to 1 probabilities, a scale by 1 changes nothing. The rules, and what
 * each finding means, are on {@link HeadEvidence}.
 *
 * <pre>{@code
 * HeadEvidence head = HeadDetector.detect(graph, 17, "skl2onnx", "probabilities");
 * head.kind();                                     // PROBABILITIES
 * head.description();                              // "... then Div node 'd' by its row sum (...)"
 * }</pre>
 *
 * <p>Stateless; each call walks with its own memo, so calls may run on several threads.
 */
final class HeadDetector {
    private static final String ML_DOMAIN = "ai.onnx.ml";
    /** Ops that move or retype values without changing them (walked through; the data is their first input). */
    private static final Set<String> SHAPE_ONLY = Set.of("Identity", "Reshape", "Flatten", "Squeeze", "Unsqueeze",
            "Cast", "Transpose", "Dropout", "Expand");
    /** Ops that pick some elements: the facts of each element stay, the row sum does not. */
    private static final Set<String> SELECTING = Set.of("Slice", "Gather", "GatherElements", "GatherND");
    /** Shape-only ops that keep the rank, so the output's rank is the head's rank. */
    private static final Set<String> RANK_KEEPING = Set.of("Identity", "Cast", "Transpose", "Dropout", "Expand");
    /** Ops whose output is an affine function of their input: their output is logits. */
    private static final Set<String> AFFINE = Set.of("Gemm", "MatMul", "Conv", "ConvTranspose", "Einsum",
            "BatchNormalization");
    /** Reductions that keep the range of what they reduce: of probabilities, probabilities; of logits, logits. */
    private static final Set<String> RANGE_KEEPING = Set.of("ReduceMean", "ReduceMax", "ReduceMin", "Mean", "Max",
            "Min", "GlobalAveragePool", "AveragePool", "GlobalMaxPool", "MaxPool");
    /** Comparisons and logic: elements in [0, 1] (false, true) that mean nothing about the scores. */
    private static final Set<String> BOOLEAN = Set.of("Not", "And", "Or", "Xor", "Equal", "Less", "Greater",
            "LessOrEqual", "GreaterOrEqual", "IsNaN", "IsInf");
    /** Cast targets that keep the values: float, double, float16, bfloat16. */
    private static final Set<Long> FLOAT_TYPES = Set.of(1L, 10L, 11L, 16L);
    /** The ai.onnx.ml classifiers whose second output holds the scores, read by their post_transform. */
    private static final Set<String> ML_CLASSIFIERS = Set.of("LinearClassifier", "TreeEnsembleClassifier",
            "SVMClassifier");
    /** Producers that document a LinearClassifier's post_transform NONE as logits (Tribuo's exported models). */
    private static final Set<String> NONE_IS_LOGITS = Set.of("tribuo");
    /**
     * Producers whose affine outputs are decision values, not logits: skl2onnx writes MatMul/Gemm + Add for
     * scikit-learn's linear models without predict_proba (its logits-emitting models end in a head or a
     * LinearClassifier).
     */
    private static final Set<String> AFFINE_IS_DECISION = Set.of("skl2onnx");
    private static final String NOT_A_HEAD = " (neither a head (Softmax, LogSoftmax, Sigmoid, ZipMap, an ai.onnx.ml"
            + " classifier or Normalizer), an affine op (Gemm, MatMul, Conv, Einsum, BatchNormalization), nor"
            + " arithmetic that keeps or makes such values)";
    /** How deep the walk recurses before it gives up. */
    private static final int MAX_WALK_DEPTH = 256;

    private HeadDetector() {
    }

    /**
     * Decides what value {@code outputName} of {@code graph} emits: see {@link HeadEvidence} for the rules.
     *
     * @param opset    the model's default-domain opset, which decides how Softmax and the reductions read their axes
     * @param producer the model's producer name, which decides how a LinearClassifier's NONE is read
     */
    static HeadEvidence detect(Graph graph, long opset, String producer, String outputName) {
        ValueSpec out = graph.specs.get(outputName);
        long[] shape = out == null ? null : out.shape();
        int classes = shape != null && shape.length >= 2 && shape[1] > 0 ? (int) shape[1] : -1;
        HeadTrace t = new Walk(opset, producer, classes).trace(new Scope(graph, null), outputName, 0);
        if (t.role == Role.CONSTANT) {
            t = HeadTrace.unknown(null, t.nodes, "no head: the output is a constant (" + t.description + ")");
        }
        return new HeadEvidence(t.kind(), t.op, t.nodes, t.description, t.taskHint, t.classLabels);
    }

    /** One walk back from an output; remembers each value it traced, so shared subgraphs are walked once. */
    private static final class Walk {
        private final Map<Graph, Map<String, HeadTrace>> memo = new HashMap<>();
        private final long opset;
        private final String producer;
        private final int classes;

        Walk(long opset, String producer, int classes) {
            this.opset = opset;
            this.producer = producer == null ? "" : producer.toLowerCase(Locale.ROOT);
            this.classes = classes;
        }

        HeadTrace trace(Scope scope, String value, int depth) {
            if (depth > MAX_WALK_DEPTH) {
                return HeadTrace.unknown(null, List.of(), "no head found: the walk back from the output passed more"
                        + " than " + MAX_WALK_DEPTH + " ops");
            }
            Scope def = scope.definer(value);
            Map<String, HeadTrace> seen = def == null ? null : memo.computeIfAbsent(def.graph, g -> new HashMap<>());
            if (seen != null && seen.containsKey(value)) {
                HeadTrace t = seen.get(value);
                return t != null ? t : HeadTrace.unknown(null, List.of(), "no head found: the graph has a cycle"
                        + " through '" + value + "'");
            }
            if (seen != null) {
                seen.put(value, null); // in progress: a cycle back to here is reported, not followed
            }
            HeadTrace t = walk(scope, value, depth);
            if (seen != null) {
                seen.put(value, t);
            }
            return t;
        }

        private HeadTrace walk(Scope scope, String start, int depth) {
            String value = start;
            List<Node> path = new ArrayList<>();
            Set<Node> visited = new HashSet<>();
            Scope s = scope;
            Node node;
            boolean selected = false;
            while (true) {
                Scope def = s.definer(value);
                if (def == null) {
                    return HeadTrace.unknown(null, List.of(), "no head: '" + value + "' is produced by no node")
                            .through(path);
                }
                s = def;
                node = s.graph.producers.get(value);
                if (node == null) {
                    if (s.isConstant(value)) {
                        return constant(s, value, null).through(path);
                    }
                    return HeadTrace.unknown(null, List.of(), "no head: the output comes from graph input '" + value
                            + "'").withId(value).through(path);
                }
                if (!visited.add(node)) {
                    return HeadTrace.unknown(null, List.of(), "no head: the graph has a cycle through " + node.op
                            + " node " + node.quoted()).through(path);
                }
                boolean first = !node.inputs.isEmpty() && !node.inputs.get(0).isEmpty()
                        && node.outputs.indexOf(value) == 0;
                boolean alias = node.isDefaultDomain() && SHAPE_ONLY.contains(node.op) && keepsLastAxis(node)
                        && (!node.op.equals("Cast") || castKeepsValues(node));
                boolean select = (node.isDefaultDomain() && SELECTING.contains(node.op))
                        || (node.domain.equals(ML_DOMAIN) && node.op.equals("ArrayFeatureExtractor"));
                if (first && (alias || select) && !s.isConstant(node.inputs.get(0))) {
                    path.add(node);
                    selected |= select;
                    value = node.inputs.get(0);
                    continue;
                }
                break;
            }
            HeadTrace t = head(s, node, value, scope, start, path, depth);
            if (t.id == null) {
                t = t.withId(value);
            }
            if (selected && t.role == Role.ROWS) {
                // some columns of the value: each keeps its facts, the row sum is that of the selection
                t = t.with(t.meaning, t.role, t.lo, t.hi, null, t.meaning == Meaning.PROBABILITIES || t.independent,
                        start, t.op, t.nodes, t.description, t.taskHint, t.classLabels);
            }
            return t.through(path);
        }

        /** The facts of a constant: a scalar with its value, or a tensor with the range of its values. */
        private HeadTrace constant(Scope scope, String value, Node node) {
            double[] v = scope.constantValues(value);
            List<String> nodes = node == null ? List.of() : List.of(node.label());
            String what = node == null ? "the constant initializer '" + value + "'" : "Constant node " + node.quoted();
            if (v == null || v.length == 0) {
                return new HeadTrace(Meaning.UNKNOWN, Role.CONSTANT, Double.NEGATIVE_INFINITY,
                        Double.POSITIVE_INFINITY, null, false, value, null, nodes, what, null, List.of());
            }
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double d : v) {
                lo = Math.min(lo, d);
                hi = Math.max(hi, d);
            }
            Lin sum = lo == hi ? Lin.of(lo) : null;
            return new HeadTrace(Meaning.UNKNOWN, Role.CONSTANT, lo, hi, sum, false, value, null, nodes,
                    what + (sum != null ? " = " + Lin.number(lo) : ""), null, List.of());
        }

        /** The decision at {@code node}, which produces {@code value}; {@code path} is the shape-only walk after. */
        private HeadTrace head(Scope scope, Node node, String value, Scope outputScope, String outputValue,
                List<Node> path, int depth) {
            String op = node.op;
            if (node.isDefaultDomain()) {
                switch (op) {
                    case "Softmax", "LogSoftmax":
                        return softmax(scope, node, value, path, outputScope, outputValue);
                    case "Sigmoid":
                        return new HeadTrace(Meaning.PROBABILITIES, Role.ROWS, 0, 1, null, true, value, op,
                                List.of(node.label()), "Sigmoid node " + node.quoted(), null, List.of());
                    case "If":
                        return ifNode(scope, node, value, depth);
                    case "Constant":
                        return constant(scope, value, node);
                    case "Concat":
                        return concat(scope, node, depth);
                    case "Add", "Sub", "Sum":
                        return addition(scope, node, depth);
                    case "Mul", "Div":
                        return product(scope, node, depth);
                    case "Reciprocal":
                        return reciprocal(scope, node, depth);
                    case "Log", "Exp":
                        return logOrExp(scope, node, depth);
                    case "ReduceSum", "ReduceLogSumExp":
                        return rowReduction(scope, node, depth);
                    case "LpNormalization":
                        return lpNormalization(scope, node, depth);
                    case "Abs", "Relu", "Clip":
                        return clamp(scope, node, depth);
                    case "Cast":
                        return castOther(scope, node, depth);
                    case "Where":
                        return where(scope, node, depth);
                    default:
                        break;
                }
                if (AFFINE.contains(op)) {
                    if (AFFINE_IS_DECISION.contains(producer)) {
                        return new HeadTrace(Meaning.DECISION_VALUES, Role.ROWS, Double.NEGATIVE_INFINITY,
                                Double.POSITIVE_INFINITY, null, false, value, op, List.of(node.label()), op + " node "
                                + node.quoted() + " from producer '" + producer + "' (an affine op, which is how it"
                                + " exports the decision_function of a linear model without predict_proba:"
                                + " Perceptron, SGDClassifier with a hinge loss; raw decision values)",
                                Task.MULTICLASS, List.of());
                    }
                    return HeadTrace.logits(op, List.of(node.label()), op + " node " + node.quoted()
                            + " (an affine op: logits)");
                }
                if (RANGE_KEEPING.contains(op)) {
                    return reduction(scope, node, depth);
                }
                if (BOOLEAN.contains(op)) {
                    return opaque(scope, node, depth, 0, 1, "a comparison or logic op: 0 or 1");
                }
                return unknownOrConstant(scope, node, depth, "no recognisable head: produced by " + op + " node "
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
                return HeadTrace.logits(node.domain + "." + op, List.of(node.label()), op + " node " + node.quoted()
                        + " of domain 'com.microsoft' (an affine op: logits)");
            }
            return HeadTrace.unknown(node.domain + "." + op, List.of(node.label()), "no recognisable head: produced by "
                    + op + " node " + node.quoted() + " of domain '" + node.domain + "'" + NOT_A_HEAD);
        }

        // ------------------------------------------------------------------------------------------- heads

        private HeadTrace softmax(Scope scope, Node node, String value, List<Node> path, Scope outputScope,
                String outputValue) {
            String op = node.op;
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
                return HeadTrace.unknown(op, List.of(node.label()), "no recognisable head: " + op + " node "
                        + node.quoted() + " normalises over " + axisText + ", not the class axis" + versionText);
            }
            boolean probabilities = op.equals("Softmax");
            return new HeadTrace(probabilities ? Meaning.PROBABILITIES : Meaning.LOG_PROBABILITIES, Role.ROWS,
                    probabilities ? 0 : Double.NEGATIVE_INFINITY, probabilities ? 1 : 0,
                    probabilities ? Lin.of(1) : null, false, value, op, List.of(node.label()), op + " node "
                    + node.quoted() + versionText, Task.MULTICLASS, List.of());
        }

        private HeadTrace ifNode(Scope scope, Node node, String value, int depth) {
            int index = node.outputs.indexOf(value);
            Attribute thenAttr = node.attributes.get("then_branch");
            Attribute elseAttr = node.attributes.get("else_branch");
            if (index < 0 || thenAttr == null || thenAttr.graph == null || elseAttr == null
                    || elseAttr.graph == null) {
                return HeadTrace.unknown("If", List.of(node.label()), "no head: If node " + node.quoted()
                        + " lacks a then_branch or else_branch subgraph");
            }
            Graph[] branches = {thenAttr.graph, elseAttr.graph};
            HeadTrace[] traces = new HeadTrace[2];
            for (int b = 0; b < 2; b++) {
                Graph g = branches[b];
                if (index >= g.outputs.size()) {
                    return HeadTrace.unknown("If", List.of(node.label()), "no head: If node " + node.quoted() + " has "
                            + (b == 0 ? "a then_branch" : "an else_branch") + " with " + g.outputs.size()
                            + " outputs; expected at least " + (index + 1));
                }
                traces[b] = trace(new Scope(g, scope), g.outputs.get(index).name(), depth + 1);
            }
            HeadTrace t = traces[0];
            HeadTrace e = traces[1];
            List<String> nodes = new ArrayList<>(t.nodes);
            nodes.addAll(e.nodes);
            nodes.add(node.label());
            if (t.kind() != null && t.sameAs(e)) {
                return t.with(t.meaning, t.role, Math.min(t.lo, e.lo), Math.max(t.hi, e.hi),
                        t.sum != null && e.sum != null && t.sum.sameAs(e.sum) ? t.sum : null,
                        t.independent, value, t.op, nodes, (t.head() ? t.op : "logits") + " in both branches of If"
                        + " node " + node.quoted() + " (then_branch: " + t.description + "; the else_branch agrees)",
                        t.taskHint, t.classLabels);
            }
            if (t.kind() == null && e.kind() == null) {
                return HeadTrace.unknown("If", nodes, "no recognisable head in either branch of If node "
                        + node.quoted() + " (then_branch: " + t.description + "; else_branch: " + e.description + ")");
            }
            return HeadTrace.unknown("If", nodes, "no head: the branches of If node " + node.quoted() + " disagree:"
                    + " then_branch ends in " + t.description + ", else_branch in " + e.description);
        }

        /** Normalizer(norm = L1) makes rows that sum to 1 (of non-negative scores): probabilities. */
        private HeadTrace normalizer(Scope scope, Node node, int depth) {
            Attribute norm = node.attributes.get("norm");
            String n = norm == null || norm.s == null ? "MAX" : norm.s;
            if (!n.equals("L1")) {
                return HeadTrace.unknown("Normalizer", List.of(node.label()), "no recognisable head: Normalizer node "
                        + node.quoted() + " with norm " + n + " (only L1 makes rows that sum to 1)");
            }
            HeadTrace in = node.inputs.isEmpty() ? null : trace(scope, node.inputs.get(0), depth + 1);
            List<String> labels = in == null ? List.of() : in.classLabels;
            List<String> nodes = in == null ? List.of(node.label()) : append(in.nodes, node.label());
            return new HeadTrace(Meaning.PROBABILITIES, Role.ROWS, 0, 1, Lin.of(1), false, null, "Normalizer", nodes,
                    "Normalizer node " + node.quoted() + " with norm L1 (rows sum to 1: probabilities)"
                    + (in == null ? "" : ", after " + in.description), Task.MULTICLASS, labels);
        }

        /** LpNormalization with p = 1 of non-negative values: rows that sum to 1. */
        private HeadTrace lpNormalization(Scope scope, Node node, int depth) {
            HeadTrace in = trace(scope, node.inputs.get(0), depth + 1);
            Attribute p = node.attributes.get("p");
            long norm = p != null && p.hasInt ? p.i : 2;
            Attribute a = node.attributes.get("axis");
            long axis = a != null && a.hasInt ? a.i : -1;
            if (norm == 1 && (axis == -1 || axis == 1) && in.lo >= 0 && in.role == Role.ROWS) {
                return in.with(Meaning.PROBABILITIES, Role.ROWS, 0, 1, Lin.of(1), false, null, node.op,
                        append(in.nodes, node.label()), in.description + ", then LpNormalization node "
                        + node.quoted() + " with p 1 of values in " + in.range() + " (rows sum to 1: probabilities)",
                        Task.MULTICLASS, in.classLabels);
            }
            return HeadTrace.unknown(node.op, append(in.nodes, node.label()), "no recognisable head: LpNormalization"
                    + " node " + node.quoted() + " with p " + norm + " on axis " + axis + " of " + in.description
                    + " (only p 1 of non-negative values over the class axis makes rows that sum to 1)");
        }

        // ------------------------------------------------------------------------------------------- reductions

        /** ReduceMean / Mean / Max / Min / pooling: a head or logits seen through a range-keeping reduction. */
        private HeadTrace reduction(Scope scope, Node node, int depth) {
            boolean reduce = node.op.startsWith("Reduce") || node.op.endsWith("Pool");
            List<String> data = new ArrayList<>();
            for (String in : reduce ? node.inputs.subList(0, Math.min(1, node.inputs.size())) : node.inputs) {
                if (!in.isEmpty()) {
                    data.add(in);
                }
            }
            if (data.isEmpty()) {
                return HeadTrace.unknown(node.op, List.of(node.label()), "no head: " + node.op + " node " + node.quoted()
                        + " has no input");
            }
            HeadTrace first = null;
            for (String in : data) {
                HeadTrace t = trace(scope, in, depth + 1);
                if (t.kind() == null) {
                    return t.with(Meaning.UNKNOWN, t.role, t.lo, t.hi, null, false, null, t.op,
                            append(t.nodes, node.label()), t.description + ", then " + node.op + " node "
                            + node.quoted(), null, List.of());
                }
                if (first != null && !first.sameAs(t)) {
                    return HeadTrace.unknown(node.op, List.of(node.label()), "no head: the inputs of " + node.op
                            + " node " + node.quoted() + " disagree: " + first.description + "; " + t.description);
                }
                first = first == null ? t : first;
            }
            if (first.meaning == Meaning.LOG_PROBABILITIES) {
                return HeadTrace.unknown(node.op, List.of(node.label()), "no recognisable head: " + node.op + " node "
                        + node.quoted() + " reduces log-probabilities (" + first.description + "), which gives"
                        + " neither log-probabilities nor logits");
            }
            Role role = reduce && reducesClassAxis(scope, node) && first.role == Role.ROWS ? Role.PER_ROW : first.role;
            Lin sum = !reduce && first.sum != null && first.sum.isConstant() ? first.sum : null;
            String what = first.meaning == Meaning.PROBABILITIES ? "a mean, maximum or minimum of probabilities"
                    + " is a probability" : "it keeps logits logits";
            return first.with(first.meaning, role, first.lo, first.hi, sum, first.independent || role == Role.PER_ROW,
                    null, first.op, append(first.nodes, node.label()), first.description + ", then " + node.op
                    + " node " + node.quoted() + " (" + what + ")", first.taskHint, first.classLabels);
        }

        /** ReduceSum / ReduceLogSumExp over the class axis: one value per row (the row sum, the log-sum-exp). */
        private HeadTrace rowReduction(Scope scope, Node node, int depth) {
            HeadTrace in = trace(scope, node.inputs.get(0), depth + 1);
            List<String> nodes = append(in.nodes, node.label());
            if (in.role != Role.ROWS || !reducesClassAxis(scope, node)) {
                return HeadTrace.unknown(node.op, nodes, "no recognisable head: " + node.op + " node " + node.quoted()
                        + " of " + in.description + " (a sum over other axes than the class axis, of what that does"
                        + " not settle)");
            }
            String n = node.op + " node " + node.quoted();
            if (node.op.equals("ReduceSum")) {
                Lin s = in.sum != null ? in.sum : Lin.atom("sum(" + in.id + ")");
                double lo = in.lo >= 0 ? 0 : Double.NEGATIVE_INFINITY;
                return in.with(Meaning.UNKNOWN, Role.PER_ROW, lo, Double.POSITIVE_INFINITY, s, false, null, node.op,
                        nodes, in.description + ", then " + n + " (its row sum)", null, List.of());
            }
            return in.with(Meaning.UNKNOWN, Role.PER_ROW, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                    Lin.atom("log(sumexp(" + in.id + "))"), false, null, node.op, nodes, in.description + ", then " + n
                    + " (its row log-sum-exp)", null, List.of());
        }

        /** Whether a reduction's axes are the class axis (1 or -1 of a [batch, classes] value). */
        private boolean reducesClassAxis(Scope scope, Node node) {
            long[] axes = null;
            Attribute a = node.attributes.get("axes");
            if (a != null && a.ints != null) {
                axes = a.ints;
            } else if (node.inputs.size() > 1 && !node.inputs.get(1).isEmpty()) {
                double[] v = scope.constantValues(node.inputs.get(1));
                if (v == null) {
                    return false;
                }
                axes = new long[v.length];
                for (int i = 0; i < v.length; i++) {
                    axes[i] = (long) v[i];
                }
            }
            if (node.op.endsWith("Pool")) {
                return false;
            }
            if (axes == null || axes.length != 1) {
                return false;
            }
            ValueSpec spec = scope.spec(node.inputs.get(0));
            int rank = spec == null || spec.rank() < 0 ? 2 : spec.rank();
            return rank == 2 && (axes[0] == 1 || axes[0] == -1);
        }

        // ------------------------------------------------------------------------------------------- arithmetic

        /** The class count of a value: its declared second dimension, else the output's; -1 when unknown. */
        private int classesOf(Scope scope, Node node) {
            ValueSpec spec = node.outputs.isEmpty() ? null : scope.spec(node.outputs.get(0));
            long[] s = spec == null ? null : spec.shape();
            if (s != null && s.length == 2 && s[1] > 0) {
                return (int) s[1];
            }
            return classes;
        }

        private List<HeadTrace> operands(Scope scope, Node node, int depth) {
            List<HeadTrace> in = new ArrayList<>();
            for (String name : node.inputs) {
                if (!name.isEmpty()) {
                    in.add(trace(scope, name, depth + 1));
                }
            }
            return in;
        }

        /** Add, Sub and Sum: shifts keep logits; sums of heads add their row sums; x - logsumexp(x) is log-softmax. */
        private HeadTrace addition(Scope scope, Node node, int depth) {
            List<HeadTrace> in = operands(scope, node, depth);
            String n = node.op + " node " + node.quoted();
            if (in.isEmpty()) {
                return HeadTrace.unknown(node.op, List.of(node.label()), "no head: " + n + " has no input");
            }
            boolean sub = node.op.equals("Sub");
            if (sub && in.size() != 2) {
                return HeadTrace.unknown(node.op, List.of(node.label()), "no head: " + n + " has " + in.size()
                        + " inputs");
            }
            int c = classesOf(scope, node);
            // the result's row sum, range and role, operand by operand
            Role role = Role.CONSTANT;
            double lo = 0;
            double hi = 0;
            Lin sum = Lin.of(0);
            List<HeadTrace> rows = new ArrayList<>();
            List<HeadTrace> perRow = new ArrayList<>();
            List<String> nodes = new ArrayList<>();
            for (int i = 0; i < in.size(); i++) {
                HeadTrace t = in.get(i);
                double sign = sub && i == 1 ? -1 : 1;
                double tl = sign > 0 ? t.lo : -t.hi;
                double th = sign > 0 ? t.hi : -t.lo;
                lo += tl;
                hi += th;
                if (t.role == Role.ROWS) {
                    rows.add(t);
                    role = Role.ROWS;
                    nodes.addAll(t.nodes);
                } else if (t.role == Role.PER_ROW) {
                    perRow.add(t);
                    role = role == Role.ROWS ? Role.ROWS : Role.PER_ROW;
                    nodes.addAll(t.nodes);
                }
            }
            lo = Double.isNaN(lo) ? Double.NEGATIVE_INFINITY : lo;
            hi = Double.isNaN(hi) ? Double.POSITIVE_INFINITY : hi;
            nodes.add(node.label());
            for (int i = 0; i < in.size() && sum != null; i++) {
                HeadTrace t = in.get(i);
                double sign = sub && i == 1 ? -1 : 1;
                Lin s = t.role == Role.ROWS ? (t.sum != null ? t.sum : Lin.atom("sum(" + t.id + ")")) : t.sum;
                if (s == null || (role == Role.ROWS && t.role != Role.ROWS && c < 0)) {
                    sum = null;
                } else {
                    double times = role == Role.ROWS && t.role != Role.ROWS ? c : 1;
                    sum = sum.plus(s.times(sign * times));
                }
            }
            if (role == Role.CONSTANT) {
                return new HeadTrace(Meaning.UNKNOWN, Role.CONSTANT, lo, hi, sum, false, null, null, List.of(),
                        "constant arithmetic", null, List.of());
            }
            if (role == Role.PER_ROW) {
                return new HeadTrace(Meaning.UNKNOWN, Role.PER_ROW, lo, hi, sum, false, null, node.op, nodes, n
                        + " of per-row values", null, List.of());
            }
            HeadTrace main = rows.get(0);
            // x - log(sum(exp(x))): log-probabilities, whatever x is
            if (sub && rows.size() == 1 && in.get(0) == main && in.get(1).role == Role.PER_ROW
                    && in.get(1).sum != null && ("log(sumexp(" + main.id + "))").equals(in.get(1).sum.soleAtom())) {
                return new HeadTrace(Meaning.LOG_PROBABILITIES, Role.ROWS, Double.NEGATIVE_INFINITY, 0, null, false,
                        null, node.op, nodes, main.description + ", minus its row log-sum-exp (" + in.get(1).op
                        + "), by " + n + " (log-softmax: log-probabilities)", Task.MULTICLASS, main.classLabels);
            }
            boolean allLogits = true;
            boolean allDecision = true;
            for (HeadTrace t : rows) {
                allLogits &= t.meaning == Meaning.LOGITS;
                allDecision &= t.meaning == Meaning.DECISION_VALUES;
            }
            if (allLogits) {
                String desc = rows.size() > 1 ? n + " of " + rows.size() + " affine outputs (" + describe(rows)
                        + "): logits" : main.description + ", then " + n + (perRow.isEmpty()
                        ? " with a constant (still affine: logits)"
                        : " with one value per row (a shift of each row: still logits to a softmax)");
                return new HeadTrace(Meaning.LOGITS, Role.ROWS, lo, hi, null, false, null, main.op, nodes, desc,
                        main.taskHint, main.classLabels);
            }
            if (allDecision && perRow.isEmpty()) {
                return new HeadTrace(Meaning.DECISION_VALUES, Role.ROWS, lo, hi, null, false, null, main.op, nodes,
                        main.description + ", then " + n + " (still decision values)", main.taskHint,
                        main.classLabels);
            }
            return settle(node, main, rows, nodes, lo, hi, sum, n);
        }

        /** Mul and Div: scales keep logits; a division by the row sum makes probabilities; weights scale row sums. */
        private HeadTrace product(Scope scope, Node node, int depth) {
            List<HeadTrace> in = operands(scope, node, depth);
            String n = node.op + " node " + node.quoted();
            if (in.size() != 2) {
                return HeadTrace.unknown(node.op, List.of(node.label()), "no head: " + n + " has " + in.size()
                        + " inputs");
            }
            boolean div = node.op.equals("Div");
            HeadTrace a = in.get(0);
            HeadTrace b = in.get(1);
            List<String> nodes = new ArrayList<>(a.nodes);
            nodes.addAll(b.nodes);
            nodes.add(node.label());
            if (a.role == Role.CONSTANT && b.role == Role.CONSTANT) {
                return unknownOrConstant(scope, node, depth, "constant arithmetic");
            }
            // c / (c + non-negative): a logistic, in (0, 1]
            if (div && a.constantScalar() && a.sum.constant > 0 && b.role != Role.CONSTANT
                    && b.lo >= a.sum.constant) {
                double c = a.sum.constant;
                return new HeadTrace(Meaning.PROBABILITIES, b.role, c / b.hi, 1, null, true, null, node.op, nodes,
                        b.description + ", then " + n + " of " + Lin.number(c) + " by it (c / (c + a non-negative"
                        + " value): a logistic, probabilities in (0, 1])", null, List.of());
            }
            if (a.role == Role.CONSTANT && !div) {
                HeadTrace t = a;
                a = b;
                b = t;
            }
            if (a.role == Role.CONSTANT) {
                return HeadTrace.unknown(node.op, nodes, "no recognisable head: " + n + " divides a constant by "
                        + b.description);
            }
            // a is computed; b is a constant, a per-row value or computed
            if (b.role == Role.CONSTANT) {
                boolean scalar = b.constantScalar();
                double k = scalar ? (div ? 1 / b.sum.constant : b.sum.constant) : Double.NaN;
                if (a.meaning == Meaning.LOGITS || a.meaning == Meaning.DECISION_VALUES) {
                    return a.with(a.meaning, a.role, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, null, false,
                            null, a.op, nodes, a.description + ", then " + n + " with a constant (still affine: "
                            + (a.meaning == Meaning.LOGITS ? "logits)" : "decision values)"), a.taskHint,
                            a.classLabels);
                }
                if (!scalar || Double.isNaN(k) || Double.isInfinite(k)) {
                    return HeadTrace.unknown(node.op, nodes, "no recognisable head: " + n + " with a constant "
                            + (b.lo == b.hi ? "" : "of several values ") + "after " + describeScaled(a, node));
                }
                double lo = k >= 0 ? a.lo * k : a.hi * k;
                double hi = k >= 0 ? a.hi * k : a.lo * k;
                Lin s = a.role == Role.ROWS ? (a.sum != null ? a.sum : Lin.atom("sum(" + a.id + ")")) : a.sum;
                Lin scaled = s == null ? null : s.times(k);
                if (k == 1) {
                    return a.with(a.meaning, a.role, a.lo, a.hi, a.sum, a.independent, a.id, a.op, nodes,
                            a.description + ", then " + n + " by 1 (changes nothing)", a.taskHint, a.classLabels);
                }
                if (a.role == Role.PER_ROW) {
                    return new HeadTrace(Meaning.UNKNOWN, Role.PER_ROW, Math.min(lo, hi), Math.max(lo, hi), scaled,
                            false, null, node.op, nodes, a.description + ", then " + n + " by " + Lin.number(k),
                            null, List.of());
                }
                if (a.head() && (scaled == null || !scaled.isConstant(1) || a.independent)) {
                    boolean weighted = a.meaning == Meaning.PROBABILITIES && !a.independent && k > 0
                            && scaled != null && scaled.isConstant();
                    return new HeadTrace(weighted ? Meaning.SCALED_PROBABILITIES : Meaning.UNKNOWN, Role.ROWS, lo, hi,
                            scaled, false, null, node.op, nodes,
                            "no recognisable head: " + n + " with a constant, after " + describeScaled(a, node)
                            + (scaled != null && scaled.isConstant() ? " (rows sum to " + scaled + ")" : ""), null,
                            List.of());
                }
                return settle(node, a, List.of(a), nodes, Math.min(lo, hi), Math.max(lo, hi), scaled, n);
            }
            if (div && b.role == Role.PER_ROW && a.role == Role.ROWS) {
                Lin s = a.sum != null ? a.sum : Lin.atom("sum(" + a.id + ")");
                if (a.lo >= 0 && b.sum != null && b.sum.sameAs(s)) {
                    return new HeadTrace(Meaning.PROBABILITIES, Role.ROWS, 0, 1, Lin.of(1), false, null, node.op,
                            nodes, a.description + ", then " + n + " by its row sum (" + b.op + "; values in "
                            + a.range() + " divided by their row sum: rows sum to 1, probabilities)",
                            Task.MULTICLASS, a.classLabels);
                }
                return HeadTrace.unknown(node.op, nodes, "no recognisable head: " + n + " divides " + a.description
                        + " by one value per row that " + (a.lo >= 0 ? "is not its row sum"
                        : "cannot make probabilities (the values may be negative)"));
            }
            if (a.role == Role.PER_ROW && b.role == Role.PER_ROW) {
                return opaque(scope, node, depth, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                        "per-row arithmetic");
            }
            String why = a.head() ? describeScaled(a, node) : a.description;
            return HeadTrace.unknown(node.op, nodes, "no recognisable head: produced by " + n + " of two computed"
                    + " values (" + why + "; " + b.description + ")" + NOT_A_HEAD);
        }

        /** Reciprocal: 1 / x, as Div(1, x). */
        private HeadTrace reciprocal(Scope scope, Node node, int depth) {
            HeadTrace b = trace(scope, node.inputs.get(0), depth + 1);
            List<String> nodes = append(b.nodes, node.label());
            String n = "Reciprocal node " + node.quoted();
            if (b.role != Role.CONSTANT && b.lo >= 1) {
                return new HeadTrace(Meaning.PROBABILITIES, b.role, 1 / b.hi, 1, null, true, null, node.op, nodes,
                        b.description + ", then " + n + " (1 / (1 + a non-negative value): a logistic, probabilities"
                        + " in (0, 1])", null, List.of());
            }
            return unknownOrConstant(scope, node, depth, "no recognisable head: " + n + " of " + b.description);
        }

        /**
         * The meaning of an arithmetic result that no specific rule settled: probabilities when its elements lie in
         * [0, 1] and its rows sum to exactly 1 (a weighted sum of heads whose weights add to 1), else unknown.
         */
        private HeadTrace settle(Node node, HeadTrace main, List<HeadTrace> rows, List<String> nodes, double lo,
                double hi, Lin sum, String n) {
            boolean heads = true;
            for (HeadTrace t : rows) {
                heads &= (t.meaning == Meaning.PROBABILITIES && !t.independent)
                        || t.meaning == Meaning.SCALED_PROBABILITIES;
            }
            if (heads && lo >= -1e-9 && hi <= 1 + 1e-9 && sum != null && sum.isConstant(1)) {
                return new HeadTrace(Meaning.PROBABILITIES, Role.ROWS, 0, 1, Lin.of(1), false, null, node.op, nodes,
                        (rows.size() > 1 ? describe(rows) : main.description) + ", then " + n + " (values in [0, 1]"
                        + " whose rows sum to 1: probabilities)", Task.MULTICLASS, main.classLabels);
            }
            String facts = "values in " + "[" + Lin.number(lo) + ", " + Lin.number(hi) + "]"
                    + (sum != null && sum.isConstant() ? ", rows summing to " + sum : "");
            if (heads && lo >= 0 && sum != null && sum.isConstant()) {
                return new HeadTrace(Meaning.SCALED_PROBABILITIES, Role.ROWS, lo, hi, sum, false, null, node.op, nodes,
                        "no recognisable head: " + n + " of " + (rows.size() > 1 ? describe(rows) : main.description)
                        + " (" + facts + ")", null, List.of());
            }
            if (main.head()) {
                return new HeadTrace(Meaning.UNKNOWN, Role.ROWS, lo, hi, sum, false, null, node.op, nodes,
                        "no recognisable head: " + n + " after " + describeScaled(main, node) + " (" + facts + ")",
                        null, List.of());
            }
            return new HeadTrace(Meaning.UNKNOWN, Role.ROWS, lo, hi, sum, false, null, node.op, nodes,
                    "no recognisable head: produced by " + n + " of " + main.description + NOT_A_HEAD, null,
                    List.of());
        }

        private String describeScaled(HeadTrace t, Node node) {
            if (!t.head()) {
                return t.description;
            }
            return "a " + t.op + " head then " + node.op + ": scaled or shifted " + (t.meaning == Meaning.PROBABILITIES
                    ? "probabilities are not probabilities" : "log-probabilities are not log-probabilities");
        }

        /** Log of probabilities is log-probabilities; Exp of log-probabilities probabilities; Exp of x is >= 0. */
        private HeadTrace logOrExp(Scope scope, Node node, int depth) {
            boolean log = node.op.equals("Log");
            HeadTrace t = trace(scope, node.inputs.get(0), depth + 1);
            List<String> nodes = append(t.nodes, node.label());
            String n = node.op + " node " + node.quoted();
            Meaning from = log ? Meaning.PROBABILITIES : Meaning.LOG_PROBABILITIES;
            if (t.meaning == from && t.role == Role.ROWS) {
                boolean p = !log;
                return new HeadTrace(p ? Meaning.PROBABILITIES : Meaning.LOG_PROBABILITIES, Role.ROWS,
                        p ? 0 : Double.NEGATIVE_INFINITY, p ? 1 : 0, p && !t.independent ? Lin.of(1) : null,
                        t.independent, null, t.op, nodes, t.description + ", then " + n, t.taskHint, t.classLabels);
            }
            if (t.role == Role.CONSTANT) {
                return unknownOrConstant(scope, node, depth, "constant");
            }
            if (log) {
                String atom = t.role == Role.PER_ROW && t.sum != null ? t.sum.soleAtom() : null;
                return new HeadTrace(Meaning.UNKNOWN, t.role, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                        atom != null && atom.startsWith("sumexp(") ? Lin.atom("log(" + atom + ")") : null, false,
                        null, node.op, nodes, "no recognisable head: produced by " + n + " of " + t.description
                        + NOT_A_HEAD, null, List.of());
            }
            double lo = Math.exp(t.lo);
            double hi = Math.exp(t.hi);
            Lin sum = t.role == Role.ROWS ? Lin.atom("sumexp(" + t.id + ")") : null;
            return new HeadTrace(Meaning.UNKNOWN, t.role, lo, hi, sum, false, null, node.op, nodes,
                    "no recognisable head: produced by " + n + " of " + t.description + " (non-negative, but not"
                    + " normalised)", null, List.of());
        }

        /** Abs, Relu and Clip: the range narrows; probabilities clipped within [0, 1] stay probabilities. */
        private HeadTrace clamp(Scope scope, Node node, int depth) {
            HeadTrace t = trace(scope, node.inputs.get(0), depth + 1);
            List<String> nodes = append(t.nodes, node.label());
            String n = node.op + " node " + node.quoted();
            double lo = t.lo;
            double hi = t.hi;
            switch (node.op) {
                case "Abs":
                    lo = t.lo >= 0 ? t.lo : 0;
                    hi = Math.max(Math.abs(t.lo), Math.abs(t.hi));
                    break;
                case "Relu":
                    lo = Math.max(0, t.lo);
                    hi = Math.max(0, t.hi);
                    break;
                default: {
                    double min = clipBound(scope, node, 1, "min", Double.NEGATIVE_INFINITY);
                    double max = clipBound(scope, node, 2, "max", Double.POSITIVE_INFINITY);
                    lo = Math.max(lo, min);
                    hi = Math.min(hi, max);
                    if (t.meaning == Meaning.PROBABILITIES && min >= 0 && max <= 1) {
                        return t.then(node, t.description + ", then " + n + " to [" + Lin.number(min) + ", "
                                + Lin.number(max) + "] (probabilities clipped within [0, 1])");
                    }
                    break;
                }
            }
            if (t.role == Role.CONSTANT) {
                return unknownOrConstant(scope, node, depth, "constant");
            }
            return new HeadTrace(Meaning.UNKNOWN, t.role, lo, hi, null, false, null, node.op, nodes,
                    "no recognisable head: produced by " + n + " of " + t.description + NOT_A_HEAD, null, List.of());
        }

        private double clipBound(Scope scope, Node node, int input, String attr, double none) {
            if (node.inputs.size() > input && !node.inputs.get(input).isEmpty()) {
                double[] v = scope.constantValues(node.inputs.get(input));
                return v != null && v.length == 1 ? v[0] : none;
            }
            Attribute a = node.attributes.get(attr);
            return a != null && a.hasFloat ? a.f : none;
        }

        /** A Cast to a type that changes values (to bool or an integer): an opaque value, in [0, 1] for bool. */
        private HeadTrace castOther(Scope scope, Node node, int depth) {
            Attribute to = node.attributes.get("to");
            boolean bool = to != null && to.hasInt && to.i == 9;
            return opaque(scope, node, depth, bool ? 0 : Double.NEGATIVE_INFINITY, bool ? 1 : Double.POSITIVE_INFINITY,
                    "Cast to another type");
        }

        /** Where: the facts both branches share. */
        private HeadTrace where(Scope scope, Node node, int depth) {
            if (node.inputs.size() != 3) {
                return HeadTrace.unknown(node.op, List.of(node.label()), "no head: Where node " + node.quoted()
                        + " has " + node.inputs.size() + " inputs");
            }
            HeadTrace x = trace(scope, node.inputs.get(1), depth + 1);
            HeadTrace y = trace(scope, node.inputs.get(2), depth + 1);
            List<String> nodes = new ArrayList<>(x.nodes);
            nodes.addAll(y.nodes);
            nodes.add(node.label());
            if (x.kind() != null && x.sameAs(y) && x.role == y.role) {
                return x.with(x.meaning, x.role, Math.min(x.lo, y.lo), Math.max(x.hi, y.hi),
                        x.sum != null && y.sum != null && x.sum.sameAs(y.sum) ? x.sum : null, x.independent, null,
                        x.op, nodes, x.description + " on both sides of Where node " + node.quoted(), x.taskHint,
                        x.classLabels);
            }
            return unknownOrConstant(scope, node, depth, "no recognisable head: the sides of Where node "
                    + node.quoted() + " differ (" + x.description + "; " + y.description + ")");
        }

        /** Concat: over the class axis, the row sums add; over the batch axis, the inputs must agree. */
        private HeadTrace concat(Scope scope, Node node, int depth) {
            List<HeadTrace> in = operands(scope, node, depth);
            String n = "Concat node " + node.quoted();
            if (in.isEmpty()) {
                return HeadTrace.unknown(node.op, List.of(node.label()), "no head: " + n + " has no input");
            }
            Attribute a = node.attributes.get("axis");
            long axis = a != null && a.hasInt ? a.i : 0;
            ValueSpec spec = scope.spec(node.outputs.get(0));
            int rank = spec == null || spec.rank() < 0 ? 2 : spec.rank();
            boolean classAxis = axis == rank - 1 || axis == -1 || (axis == 1 && rank >= 2);
            List<String> nodes = new ArrayList<>();
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            Lin sum = Lin.of(0);
            boolean allPerRow = true;
            for (HeadTrace t : in) {
                nodes.addAll(t.nodes);
                lo = Math.min(lo, t.lo);
                hi = Math.max(hi, t.hi);
                allPerRow &= t.role == Role.PER_ROW;
                Lin s = t.role == Role.ROWS ? (t.sum != null ? t.sum : Lin.atom("sum(" + t.id + ")")) : t.sum;
                sum = sum == null || s == null ? null : sum.plus(s);
            }
            nodes.add(node.label());
            HeadTrace first = in.get(0);
            if (classAxis && allPerRow) {
                // one column per input: the row sum is the sum of the columns
                boolean same = true;
                for (HeadTrace t : in) {
                    same &= t.sameAs(first);
                }
                Meaning m = same && first.kind() != null ? first.meaning : Meaning.UNKNOWN;
                return new HeadTrace(m, Role.ROWS, lo, hi, sum, m == Meaning.PROBABILITIES, null, node.op, nodes,
                        (m == Meaning.UNKNOWN ? "no recognisable head: " : first.description + ", ") + n + " joins "
                        + in.size() + " per-row values into columns (values in [" + Lin.number(lo) + ", "
                        + Lin.number(hi) + "])", first.taskHint, first.classLabels);
            }
            for (HeadTrace t : in) {
                if (t.kind() == null && t.meaning != Meaning.DECISION_VALUES) {
                    return t.with(Meaning.UNKNOWN, Role.ROWS, lo, hi, classAxis ? sum : null, false, null, t.op, nodes,
                            t.description + ", then " + n, null, List.of());
                }
                if (!t.sameAs(first)) {
                    return HeadTrace.unknown(node.op, nodes, "no head: the inputs of " + n + " disagree: "
                            + first.description + "; " + t.description);
                }
            }
            boolean independent = first.independent || (classAxis && first.meaning == Meaning.PROBABILITIES);
            Lin s = classAxis ? sum : in.size() == 1 ? first.sum : null;
            return first.with(first.meaning, Role.ROWS, lo, hi, s, independent, null, first.op, nodes,
                    first.description + ", then " + n + " (joins " + in.size() + " outputs of that kind)",
                    first.taskHint, first.classLabels);
        }

        /** An op whose output means nothing about the scores: its role follows its inputs'. */
        private HeadTrace opaque(Scope scope, Node node, int depth, double lo, double hi, String what) {
            List<HeadTrace> in = operands(scope, node, depth);
            Role role = Role.CONSTANT;
            List<String> nodes = new ArrayList<>();
            for (HeadTrace t : in) {
                if (t.role == Role.ROWS) {
                    role = Role.ROWS;
                } else if (t.role == Role.PER_ROW && role == Role.CONSTANT) {
                    role = Role.PER_ROW;
                }
                nodes.addAll(t.nodes);
            }
            nodes.add(node.label());
            String value = node.outputs.isEmpty() ? node.label() : node.outputs.get(0);
            Lin sum = role == Role.PER_ROW ? Lin.atom(value) : null;
            return new HeadTrace(Meaning.UNKNOWN, role, lo, hi, sum, false, value, node.op, nodes,
                    "no recognisable head: produced by " + node.op + " node " + node.quoted() + " (" + what + ")"
                    + NOT_A_HEAD, null, List.of());
        }

        /** A constant when every input is one, else unknown with {@code description}. */
        private HeadTrace unknownOrConstant(Scope scope, Node node, int depth, String description) {
            boolean constant = !node.inputs.isEmpty();
            boolean perRow = false;
            for (String in : node.inputs) {
                if (!in.isEmpty() && !scope.isConstant(in)) {
                    HeadTrace t = trace(scope, in, depth + 1);
                    constant &= t.role == Role.CONSTANT;
                    perRow |= t.role == Role.PER_ROW;
                }
            }
            if (constant) {
                return new HeadTrace(Meaning.UNKNOWN, Role.CONSTANT, Double.NEGATIVE_INFINITY,
                        Double.POSITIVE_INFINITY, null, false, null, null, List.of(node.label()),
                        node.op + " node " + node.quoted() + " of constants", null, List.of());
            }
            String value = node.outputs.isEmpty() ? node.label() : node.outputs.get(0);
            String op = node.isDefaultDomain() ? node.op : node.domain + "." + node.op;
            return new HeadTrace(Meaning.UNKNOWN, perRow && oneInputRole(scope, node, depth) ? Role.PER_ROW : Role.ROWS,
                    Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, null, false, value, op,
                    List.of(node.label()), description, null, List.of());
        }

        private boolean oneInputRole(Scope scope, Node node, int depth) {
            for (String in : node.inputs) {
                if (!in.isEmpty() && trace(scope, in, depth + 1).role == Role.ROWS) {
                    return false;
                }
            }
            return true;
        }

        /**
         * An ai.onnx.ml classifier: output 0 is the label, output 1 the scores, whose kind its post_transform says:
         * SOFTMAX, SOFTMAX_ZERO, LOGISTIC and PROBIT give probabilities; NONE gives a LinearClassifier's raw decision
         * values (logits only when the model was trained with a log loss, which the graph does not say; the producers
         * in {@link #NONE_IS_LOGITS} document them as logits), a TreeEnsembleClassifier's summed leaf weights
         * (probabilities: scikit-learn trees and forests store class frequencies), and an SVMClassifier's
         * probabilities only with Platt coefficients (prob_a), else decision values.
         */
        private HeadTrace classifier(Node node, String value) {
            String op = node.op;
            List<String> labels = classLabels(node, "classlabels_strings",
                    op.equals("TreeEnsembleClassifier") ? "classlabels_int64s" : "classlabels_ints");
            List<String> nodes = List.of(node.label());
            if (node.outputs.indexOf(value) != 1) {
                return HeadTrace.unknown(op, nodes, "no head: the output is the label (output 0) of " + op
                        + " node " + node.quoted() + ", not its scores (output 1)");
            }
            Attribute pt = node.attributes.get("post_transform");
            String transform = pt == null || pt.s == null ? "NONE" : pt.s;
            String what = op + " node " + node.quoted() + " with post_transform " + transform;
            switch (transform) {
                case "SOFTMAX", "SOFTMAX_ZERO":
                    return new HeadTrace(Meaning.PROBABILITIES, Role.ROWS, 0, 1, Lin.of(1), false, value, op, nodes,
                            what + " (probabilities)", Task.MULTICLASS, labels);
                case "LOGISTIC", "PROBIT":
                    // two columns are [1 - p, p]; more are one probability per class
                    return new HeadTrace(Meaning.PROBABILITIES, Role.ROWS, 0, 1, labels.size() == 2 ? Lin.of(1) : null,
                            labels.size() != 2, value, op, nodes, what + " (probabilities)", Task.MULTICLASS, labels);
                case "NONE":
                    break;
                default:
                    return HeadTrace.unknown(op, nodes, "no recognisable head: " + what + " (an unknown post_transform)");
            }
            switch (op) {
                case "LinearClassifier":
                    if (NONE_IS_LOGITS.contains(producer)) {
                        return new HeadTrace(Meaning.LOGITS, Role.ROWS, Double.NEGATIVE_INFINITY,
                                Double.POSITIVE_INFINITY, null, false, value, op, nodes, what + " from producer '"
                                + producer + "', which exports logits this way (logits)", Task.MULTICLASS, labels);
                    }
                    return new HeadTrace(Meaning.DECISION_VALUES, Role.ROWS, Double.NEGATIVE_INFINITY,
                            Double.POSITIVE_INFINITY, null, false, value, op, nodes, what + " (raw decision values:"
                            + " SVM margins, ridge or perceptron scores, or the logits of a model trained with a log"
                            + " loss; the graph does not say which)", Task.MULTICLASS, labels);
                case "TreeEnsembleClassifier":
                    return new HeadTrace(Meaning.PROBABILITIES, Role.ROWS, 0, 1, null, false, value, op, nodes,
                            what + " (summed leaf weights, which scikit-learn trees and forests export as class"
                            + " probabilities)", Task.MULTICLASS, labels);
                default: {
                    Attribute probA = node.attributes.get("prob_a");
                    if (probA != null && probA.floatCount > 0) {
                        return new HeadTrace(Meaning.PROBABILITIES, Role.ROWS, 0, 1, Lin.of(1), false, value, op,
                                nodes, what + " and Platt coefficients prob_a/prob_b (probabilities)", Task.MULTICLASS,
                                labels);
                    }
                    return new HeadTrace(Meaning.DECISION_VALUES, Role.ROWS, Double.NEGATIVE_INFINITY,
                            Double.POSITIVE_INFINITY, null, false, value, op, nodes, what + " and no prob_a (SVM"
                            + " decision values are neither logits nor probabilities)", Task.MULTICLASS, labels);
                }
            }
        }
    }

    private static String describe(List<HeadTrace> traces) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < traces.size(); i++) {
            if (i > 0) {
                b.append("; ");
            }
            if (i == 2 && traces.size() > 3) {
                b.append(traces.size() - 2).append(" more of that kind");
                break;
            }
            b.append(traces.get(i).description);
        }
        return b.toString();
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

    /** Whether a Cast keeps the values (to a floating-point type). */
    private static boolean castKeepsValues(Node node) {
        Attribute to = node.attributes.get("to");
        return to == null || !to.hasInt || FLOAT_TYPES.contains(to.i);
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

    private static HeadTrace zipMap(Node node) {
        List<String> labels = classLabels(node, "classlabels_strings", "classlabels_int64s");
        return new HeadTrace(Meaning.PROBABILITIES, Role.ROWS, 0, 1, Lin.of(1), false, null, "ZipMap",
                List.of(node.label()), "ZipMap node " + node.quoted(), Task.MULTICLASS, labels);
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
}
