package io.github.logits4j.onnx;

import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.onnx.GraphModel.Attribute;
import io.github.logits4j.onnx.GraphModel.Graph;
import io.github.logits4j.onnx.GraphModel.Node;
import io.github.logits4j.onnx.GraphModel.Scope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides from the graph alone whether an output emits logits, probabilities or log-probabilities: it walks back from
 * the output through shape-only ops to the op that made the values (a head such as Softmax, an affine op, an
 * ai.onnx.ml classifier) and follows reductions, arithmetic with constants and If branches. The rules, and what each
 * finding means, are on {@link HeadEvidence}.
 *
 * <pre>{@code
 * HeadEvidence head = HeadDetector.detect(graph, 17, "probabilities");
 * head.kind();                                     // PROBABILITIES
 * head.description();                              // "Softmax node 'softmax'"
 * }</pre>
 *
 * <p>Stateless; each call walks with its own memo, so calls may run on several threads.
 */
final class HeadDetector {
    private static final String ML_DOMAIN = "ai.onnx.ml";
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

    private HeadDetector() {
    }

    /**
     * Decides what value {@code outputName} of {@code graph} emits: see {@link HeadEvidence} for the rules.
     *
     * @param opset the model's default-domain opset, which decides how Softmax reads its axis
     */
    static HeadEvidence detect(Graph graph, long opset, String outputName) {
        HeadTrace t = new Walk(opset).trace(new Scope(graph, null), outputName, 0);
        return new HeadEvidence(t.kind, t.op, t.nodes, t.description, t.taskHint, t.classLabels);
    }

    /** One walk back from an output; remembers each value it traced, so shared subgraphs are walked once. */
    private static final class Walk {
        private final Map<Graph, Map<String, HeadTrace>> memo = new HashMap<>();
        private final long opset;

        Walk(long opset) {
            this.opset = opset;
        }

        HeadTrace trace(Scope scope, String value, int depth) {
            if (depth > MAX_WALK_DEPTH) {
                return HeadTrace.unknown(null, List.of(), "no head found: the walk back from the output passed more"
                        + " than " + MAX_WALK_DEPTH + " reductions, arithmetic ops or If nodes");
            }
            Scope def = scope.definer(value);
            Map<String, HeadTrace> seen = def == null ? null : memo.computeIfAbsent(def.graph, g -> new HashMap<>());
            if (seen != null && seen.containsKey(value)) {
                HeadTrace t = seen.get(value);
                return t != null ? t : HeadTrace.unknown(null, List.of(), "no head found: the graph has a cycle through '"
                        + value + "'");
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
            while (true) {
                Scope def = s.definer(value);
                if (def == null) {
                    return HeadTrace.unknown(null, List.of(), "no head: '" + value + "' is produced by no node")
                            .through(path);
                }
                s = def;
                node = s.graph.producers.get(value);
                if (node == null) {
                    String what = s.graph.initializers.contains(value) ? "the constant initializer '" + value + "'"
                            : "graph input '" + value + "'";
                    return HeadTrace.unknown(null, List.of(), "no head: the output comes from " + what).through(path);
                }
                if (!visited.add(node)) {
                    return HeadTrace.unknown(null, List.of(), "no head: the graph has a cycle through " + node.op
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
        private HeadTrace head(Scope scope, Node node, String value, Scope outputScope, String outputValue,
                List<Node> path, int depth) {
            String op = node.op;
            if (node.isDefaultDomain()) {
                if (op.equals("Softmax") || op.equals("LogSoftmax")) {
                    return softmax(scope, node, value, path, outputScope, outputValue);
                }
                if (op.equals("Sigmoid")) {
                    return new HeadTrace(OutputKind.PROBABILITIES, op, List.of(node.label()),
                            "Sigmoid node " + node.quoted(), null, List.of());
                }
                if (op.equals("If")) {
                    return ifNode(scope, node, value, depth);
                }
                if (AFFINE.contains(op)) {
                    return HeadTrace.logits(op, List.of(node.label()), op + " node " + node.quoted()
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
                    return HeadTrace.unknown(null, List.of(node.label()), "no head: the output is a constant (Constant"
                            + " node " + node.quoted() + ")");
                }
                return HeadTrace.unknown(op, List.of(node.label()), "no recognisable head: produced by " + op + " node "
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
            OutputKind kind = op.equals("Softmax") ? OutputKind.PROBABILITIES : OutputKind.LOG_PROBABILITIES;
            return new HeadTrace(kind, op, List.of(node.label()), op + " node " + node.quoted() + versionText,
                    Task.MULTICLASS, List.of());
        }

        /** ReduceMean / Mean / pooling: a head or logits seen through a range-keeping reduction. */
        private HeadTrace reduction(Scope scope, Node node, int depth) {
            List<String> data = new ArrayList<>();
            for (String in : node.op.startsWith("Reduce") || node.op.endsWith("Pool") ? node.inputs.subList(0,
                    Math.min(1, node.inputs.size())) : node.inputs) {
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
                if (t.kind == null) {
                    return t.then(node, t.description + ", then " + node.op + " node " + node.quoted());
                }
                if (first != null && !first.sameAs(t)) {
                    return HeadTrace.unknown(node.op, List.of(node.label()), "no head: the inputs of " + node.op
                            + " node " + node.quoted() + " disagree: " + first.description + "; " + t.description);
                }
                first = first == null ? t : first;
            }
            if (first.kind == OutputKind.LOG_PROBABILITIES && !node.op.equals("Concat")) {
                return HeadTrace.unknown(node.op, List.of(node.label()), "no recognisable head: " + node.op + " node "
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
        private HeadTrace arithmetic(Scope scope, Node node, int depth) {
            if (node.inputs.size() != 2) {
                return HeadTrace.unknown(node.op, List.of(node.label()), "no head: " + node.op + " node " + node.quoted()
                        + " has " + node.inputs.size() + " inputs");
            }
            String a = node.inputs.get(0);
            String b = node.inputs.get(1);
            boolean ca = scope.isConstant(a);
            boolean cb = scope.isConstant(b);
            if (ca && cb) {
                return HeadTrace.unknown(node.op, List.of(node.label()), "no head: " + node.op + " node " + node.quoted()
                        + " combines two constants");
            }
            if (ca || cb) {
                HeadTrace t = trace(scope, ca ? b : a, depth + 1);
                if (t.kind == OutputKind.LOGITS) {
                    return t.then(node, t.description + ", then " + node.op + " node " + node.quoted() + " with a"
                            + " constant (still affine: logits)");
                }
                String why = t.head() ? "a " + t.op + " head then " + node.op + " with a constant: scaled or shifted"
                        + " " + (t.kind == OutputKind.PROBABILITIES ? "probabilities are not probabilities"
                        : "log-probabilities are not log-probabilities") : t.description;
                return HeadTrace.unknown(node.op, List.of(node.label()), "no recognisable head: " + node.op + " node "
                        + node.quoted() + " with a constant, after " + why);
            }
            if (node.op.equals("Add") || node.op.equals("Sub")) {
                HeadTrace ta = trace(scope, a, depth + 1);
                HeadTrace tb = trace(scope, b, depth + 1);
                if (ta.kind == OutputKind.LOGITS && tb.kind == OutputKind.LOGITS) {
                    return ta.then(node, node.op + " node " + node.quoted() + " of two affine outputs (" + ta.description
                            + "; " + tb.description + "): logits");
                }
            }
            return HeadTrace.unknown(node.op, List.of(node.label()), "no recognisable head: produced by " + node.op
                    + " node " + node.quoted() + " of two computed values" + NOT_A_HEAD);
        }

        /** Log of probabilities is log-probabilities; Exp of log-probabilities is probabilities. */
        private HeadTrace logOrExp(Scope scope, Node node, int depth) {
            boolean log = node.op.equals("Log");
            HeadTrace t = node.inputs.isEmpty() ? null : trace(scope, node.inputs.get(0), depth + 1);
            OutputKind from = log ? OutputKind.PROBABILITIES : OutputKind.LOG_PROBABILITIES;
            if (t != null && t.kind == from) {
                OutputKind to = log ? OutputKind.LOG_PROBABILITIES : OutputKind.PROBABILITIES;
                return new HeadTrace(to, t.op, append(t.nodes, node.label()), t.description + ", then " + node.op
                        + " node " + node.quoted(), t.taskHint, t.classLabels);
            }
            return HeadTrace.unknown(node.op, List.of(node.label()), "no recognisable head: produced by " + node.op
                    + " node " + node.quoted() + (t == null ? "" : " of " + t.description) + NOT_A_HEAD);
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
            if (t.kind != null && t.sameAs(e)) {
                return new HeadTrace(t.kind, t.op, nodes, (t.head() ? t.op : "logits") + " in both branches of If node "
                        + node.quoted() + " (then_branch: " + t.description + "; the else_branch agrees)",
                        t.taskHint, t.classLabels);
            }
            if (t.kind == null && e.kind == null) {
                return HeadTrace.unknown("If", nodes, "no recognisable head in either branch of If node " + node.quoted()
                        + " (then_branch: " + t.description + "; else_branch: " + e.description + ")");
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
            return new HeadTrace(OutputKind.PROBABILITIES, "Normalizer", nodes, "Normalizer node " + node.quoted()
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

    private static HeadTrace zipMap(Node node) {
        List<String> labels = classLabels(node, "classlabels_strings", "classlabels_int64s");
        return new HeadTrace(OutputKind.PROBABILITIES, "ZipMap", List.of(node.label()), "ZipMap node " + node.quoted(),
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
    private static HeadTrace classifier(Node node, String value) {
        String op = node.op;
        List<String> labels = classLabels(node, "classlabels_strings",
                op.equals("TreeEnsembleClassifier") ? "classlabels_int64s" : "classlabels_ints");
        if (node.outputs.indexOf(value) != 1) {
            return HeadTrace.unknown(op, List.of(node.label()), "no head: the output is the label (output 0) of " + op
                    + " node " + node.quoted() + ", not its scores (output 1)");
        }
        Attribute pt = node.attributes.get("post_transform");
        String transform = pt == null || pt.s == null ? "NONE" : pt.s;
        String what = op + " node " + node.quoted() + " with post_transform " + transform;
        switch (transform) {
            case "SOFTMAX", "SOFTMAX_ZERO", "LOGISTIC", "PROBIT":
                return new HeadTrace(OutputKind.PROBABILITIES, op, List.of(node.label()), what + " (probabilities)",
                        Task.MULTICLASS, labels);
            case "NONE":
                break;
            default:
                return HeadTrace.unknown(op, List.of(node.label()), "no recognisable head: " + what
                        + " (an unknown post_transform)");
        }
        switch (op) {
            case "LinearClassifier":
                return new HeadTrace(OutputKind.LOGITS, op, List.of(node.label()), what + " (linear scores: logits)",
                        Task.MULTICLASS, labels);
            case "TreeEnsembleClassifier":
                return new HeadTrace(OutputKind.PROBABILITIES, op, List.of(node.label()), what + " (summed leaf weights,"
                        + " which scikit-learn trees and forests export as class probabilities)", Task.MULTICLASS,
                        labels);
            default: {
                Attribute probA = node.attributes.get("prob_a");
                boolean platt = probA != null && probA.floatCount > 0;
                if (platt) {
                    return new HeadTrace(OutputKind.PROBABILITIES, op, List.of(node.label()), what + " and Platt"
                            + " coefficients prob_a/prob_b (probabilities)", Task.MULTICLASS, labels);
                }
                return HeadTrace.unknown(op, List.of(node.label()), "no recognisable head: " + what + " and no prob_a:"
                        + " SVM decision values are neither logits nor probabilities");
            }
        }
    }
}
