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
import org.jspecify.annotations.Nullable;

/**
 * Decides from the graph alone what an output emits, by abstract interpretation: walking back from the output, every
 * value gets facts (what it means: logits, probabilities, log-probabilities, decision values or unknown; whether it
 * is a [batch, classes] tensor, one value per row or a constant; the interval its elements lie in; its row sum as a
 * linear form) and every op a rule that makes its output's facts from its inputs'. Heads (Softmax, Sigmoid, the
 * ai.onnx.ml classifiers, ZipMap, Normalizer) and affine ops state facts; arithmetic carries them: a division of
 * non-negative values by their own row sum gives probabilities, {@code x - logsumexp(x)} log-probabilities, a sum of
 * weighted probability heads whose weights add to 1 probabilities, a scale by 1 changes nothing. The rules, and what
 * each finding means, are on {@link HeadEvidence}. This class walks and dispatches; {@link ArithmeticFacts} and
 * {@link StructureFacts} hold the rules.
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
            "Cast", "Transpose", "Dropout");
    /**
     * Ops that pick or repeat elements: the facts of each element stay, the row sum does not (an Expand of one value
     * per row stays one value per row).
     */
    private static final Set<String> SELECTING = Set.of("Slice", "Gather", "GatherElements", "GatherND", "Expand");
    /** Shape-only ops that keep the rank, so the output's rank is the head's rank. */
    private static final Set<String> RANK_KEEPING = Set.of("Identity", "Cast", "Transpose", "Dropout");
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
    /**
     * Producers whose affine outputs are decision values, not logits: skl2onnx writes MatMul/Gemm + Add for
     * scikit-learn's linear models without predict_proba (its logits-emitting models end in a head or a
     * LinearClassifier).
     */
    private static final Set<String> AFFINE_IS_DECISION = Set.of("skl2onnx");
    static final String NOT_A_HEAD = " (neither a head (Softmax, LogSoftmax, Sigmoid, ZipMap, an ai.onnx.ml"
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
    static final class Walk {
        private final Map<Graph, Map<String, HeadTrace>> memo = new HashMap<>();
        final long opset;
        final String producer;
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
                        return StructureFacts.softmax(this, scope, node, value, path, outputScope, outputValue);
                    case "Sigmoid":
                        return new HeadTrace(Meaning.PROBABILITIES, Role.ROWS, 0, 1, null, true, value, op,
                                List.of(node.label()), "Sigmoid node " + node.quoted(), null, List.of());
                    case "If":
                        return StructureFacts.ifNode(this, scope, node, value, depth);
                    case "Constant":
                        return constant(scope, value, node);
                    case "Concat":
                        return StructureFacts.concat(this, scope, node, depth);
                    case "Add", "Sub", "Sum":
                        return ArithmeticFacts.addition(this, scope, node, depth);
                    case "Mul", "Div":
                        return ArithmeticFacts.product(this, scope, node, depth);
                    case "Reciprocal":
                        return ArithmeticFacts.reciprocal(this, scope, node, depth);
                    case "Log", "Exp":
                        return ArithmeticFacts.logOrExp(this, scope, node, depth);
                    case "ReduceSum", "ReduceLogSumExp":
                        return StructureFacts.rowReduction(this, scope, node, depth);
                    case "LpNormalization":
                        return StructureFacts.lpNormalization(this, scope, node, depth);
                    case "Abs", "Relu", "Clip":
                        return ArithmeticFacts.clamp(this, scope, node, depth);
                    case "Cast":
                        return ArithmeticFacts.castOther(this, scope, node, depth);
                    case "Where":
                        return StructureFacts.where(this, scope, node, depth);
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
                    return StructureFacts.reduction(this, scope, node, depth);
                }
                if ((op.equals("Resize") || op.equals("Upsample")) && !node.inputs.isEmpty()) {
                    return StructureFacts.interpolation(this, scope, node, depth);
                }
                if (BOOLEAN.contains(op)) {
                    return opaque(scope, node, depth, 0, 1, "a comparison or logic op: 0 or 1");
                }
                return unknownOrConstant(scope, node, depth, "no recognisable head: produced by " + op + " node "
                        + node.quoted() + NOT_A_HEAD);
            }
            if (node.domain.equals(ML_DOMAIN)) {
                if (op.equals("ZipMap")) {
                    return StructureFacts.zipMap(node);
                }
                if (ML_CLASSIFIERS.contains(op)) {
                    return StructureFacts.classifier(this, node, value);
                }
                if (op.equals("Normalizer")) {
                    return StructureFacts.normalizer(this, scope, node, depth);
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

        // ------------------------------------------------------------------------------------------- reductions

        // ------------------------------------------------------------------------------------------- arithmetic

        /** The class count of a value: its declared second dimension, else the output's; -1 when unknown. */
        int classesOf(Scope scope, Node node) {
            ValueSpec spec = node.outputs.isEmpty() ? null : scope.spec(node.outputs.get(0));
            long[] s = spec == null ? null : spec.shape();
            if (s != null && s.length == 2 && s[1] > 0) {
                return (int) s[1];
            }
            return classes;
        }

        List<HeadTrace> operands(Scope scope, Node node, int depth) {
            List<HeadTrace> in = new ArrayList<>();
            for (String name : node.inputs) {
                if (!name.isEmpty()) {
                    in.add(trace(scope, name, depth + 1));
                }
            }
            return in;
        }

        /** An op whose output means nothing about the scores: its role follows its inputs'. */
        HeadTrace opaque(Scope scope, Node node, int depth, double lo, double hi, String what) {
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

        /**
         * A constant when every input is one, else unknown with {@code description}: one value per row when its
         * computed inputs are, else a [batch, classes] value.
         */
        HeadTrace unknownOrConstant(Scope scope, Node node, int depth, String description) {
            boolean constant = !node.inputs.isEmpty();
            boolean perRow = false;
            boolean rows = false;
            for (String in : node.inputs) {
                if (!in.isEmpty() && !scope.isConstant(in)) {
                    Role r = trace(scope, in, depth + 1).role;
                    constant &= r == Role.CONSTANT;
                    perRow |= r == Role.PER_ROW;
                    rows |= r == Role.ROWS;
                }
            }
            if (constant) {
                return new HeadTrace(Meaning.UNKNOWN, Role.CONSTANT, Double.NEGATIVE_INFINITY,
                        Double.POSITIVE_INFINITY, null, false, null, null, List.of(node.label()),
                        node.op + " node " + node.quoted() + " of constants", null, List.of());
            }
            String value = node.outputs.isEmpty() ? node.label() : node.outputs.get(0);
            String op = node.isDefaultDomain() ? node.op : node.domain + "." + node.op;
            return new HeadTrace(Meaning.UNKNOWN, perRow && !rows ? Role.PER_ROW : Role.ROWS,
                    Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, null, false, value, op,
                    List.of(node.label()), description, null, List.of());
        }
    }

    static String describe(List<HeadTrace> traces) {
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

    static List<String> append(List<String> list, String last) {
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
    static long @Nullable [] shapeOf(Scope scope, String value, List<Node> path, Scope outputScope,
            String outputValue) {
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

}
