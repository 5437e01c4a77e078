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
import java.util.List;
import java.util.Set;

/**
 * The structural rules of {@link HeadDetector}'s facts: the heads (Softmax and LogSoftmax over the class axis, the
 * ai.onnx.ml classifiers by post_transform, ZipMap, Normalizer, LpNormalization), the reductions (range-keeping ones,
 * and ReduceSum / ReduceLogSumExp over the class axis, which make one value per row), Concat, If and Where.
 *
 * <pre>{@code
 * HeadTrace t = StructureFacts.softmax(walk, scope, node, value, path, outputScope, outputValue);
 * }</pre>
 *
 * <p>Stateless; the walk carries the memo.
 */
final class StructureFacts {
    /** Producers that document a LinearClassifier's post_transform NONE as logits (Tribuo's exported models). */
    private static final Set<String> NONE_IS_LOGITS = Set.of("tribuo");

    private StructureFacts() {
    }

    static HeadTrace softmax(HeadDetector.Walk w, Scope scope, Node node, String value, List<Node> path, Scope outputScope,
            String outputValue) {
        String op = node.op;
        boolean coerces = w.opset < 13;
        Attribute axisAttr = node.attributes.get("axis");
        long axis = axisAttr != null && axisAttr.hasInt ? axisAttr.i : coerces ? 1 : -1;
        long[] shape = HeadDetector.shapeOf(scope, value, path, outputScope, outputValue);
        int rank = shape == null ? -1 : shape.length;
        int version = w.opset < 11 ? 1 : w.opset < 13 ? 11 : 13;
        String versionText = coerces ? " (" + op + "-" + version + " of opset " + w.opset + ", which normalises"
                + " the input flattened to 2-D at axis " + axis + ")" : "";
        boolean classAxis;
        String axisText;
        if (rank >= 1) {
            long a = axis < 0 ? axis + rank : axis;
            classAxis = a == rank - 1 || (coerces && a == 1 && rank >= 2) || (a == 1 && HeadDetector.onlyOnesAfter(shape, 1));
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

    static HeadTrace ifNode(HeadDetector.Walk w, Scope scope, Node node, String value, int depth) {
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
            traces[b] = w.trace(new Scope(g, scope), g.outputs.get(index).name(), depth + 1);
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
    static HeadTrace normalizer(HeadDetector.Walk w, Scope scope, Node node, int depth) {
        Attribute norm = node.attributes.get("norm");
        String n = norm == null || norm.s == null ? "MAX" : norm.s;
        if (!n.equals("L1")) {
            return HeadTrace.unknown("Normalizer", List.of(node.label()), "no recognisable head: Normalizer node "
                    + node.quoted() + " with norm " + n + " (only L1 makes rows that sum to 1)");
        }
        HeadTrace in = node.inputs.isEmpty() ? null : w.trace(scope, node.inputs.get(0), depth + 1);
        List<String> labels = in == null ? List.of() : in.classLabels;
        List<String> nodes = in == null ? List.of(node.label()) : HeadDetector.append(in.nodes, node.label());
        return new HeadTrace(Meaning.PROBABILITIES, Role.ROWS, 0, 1, Lin.of(1), false, null, "Normalizer", nodes,
                "Normalizer node " + node.quoted() + " with norm L1 (rows sum to 1: probabilities)"
                + (in == null ? "" : ", after " + in.description), Task.MULTICLASS, labels);
    }

    /** LpNormalization with p = 1 of non-negative values: rows that sum to 1. */
    static HeadTrace lpNormalization(HeadDetector.Walk w, Scope scope, Node node, int depth) {
        HeadTrace in = w.trace(scope, node.inputs.get(0), depth + 1);
        Attribute p = node.attributes.get("p");
        long norm = p != null && p.hasInt ? p.i : 2;
        Attribute a = node.attributes.get("axis");
        long axis = a != null && a.hasInt ? a.i : -1;
        if (norm == 1 && (axis == -1 || axis == 1) && in.lo >= 0 && in.role == Role.ROWS) {
            return in.with(Meaning.PROBABILITIES, Role.ROWS, 0, 1, Lin.of(1), false, null, node.op,
                    HeadDetector.append(in.nodes, node.label()), in.description + ", then LpNormalization node "
                    + node.quoted() + " with p 1 of values in " + in.range() + " (rows sum to 1: probabilities)",
                    Task.MULTICLASS, in.classLabels);
        }
        return HeadTrace.unknown(node.op, HeadDetector.append(in.nodes, node.label()), "no recognisable head: LpNormalization"
                + " node " + node.quoted() + " with p " + norm + " on axis " + axis + " of " + in.description
                + " (only p 1 of non-negative values over the class axis makes rows that sum to 1)");
    }

    /** ReduceMean / Mean / Max / Min / pooling: a head or logits seen through a range-keeping reduction. */
    static HeadTrace reduction(HeadDetector.Walk w, Scope scope, Node node, int depth) {
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
            HeadTrace t = w.trace(scope, in, depth + 1);
            if (t.kind() == null) {
                return t.with(Meaning.UNKNOWN, t.role, t.lo, t.hi, null, false, null, t.op,
                        HeadDetector.append(t.nodes, node.label()), t.description + ", then " + node.op + " node "
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
        Role role = reduce && reducesClassAxis(w, scope, node) && first.role == Role.ROWS ? Role.PER_ROW : first.role;
        Lin sum = !reduce && first.sum != null && first.sum.isConstant() ? first.sum : null;
        String what = first.meaning == Meaning.PROBABILITIES ? "a mean, maximum or minimum of probabilities"
                + " is a probability" : "it keeps logits logits";
        return first.with(first.meaning, role, first.lo, first.hi, sum, first.independent || role == Role.PER_ROW,
                null, first.op, HeadDetector.append(first.nodes, node.label()), first.description + ", then " + node.op
                + " node " + node.quoted() + " (" + what + ")", first.taskHint, first.classLabels);
    }

    /**
     * Resize or Upsample of the scores (a segmentation model's logits brought back to the input's size): nearest and
     * linear modes take each output position as a convex combination of input positions, which keeps logits logits
     * and a probability vector a probability vector (per class a weighted mean with weights summing to 1); the cubic
     * mode (negative weights) keeps only logits. Log-probabilities do not stay log-probabilities.
     */
    static HeadTrace interpolation(HeadDetector.Walk w, Scope scope, Node node, int depth) {
        HeadTrace t = w.trace(scope, node.inputs.get(0), depth + 1);
        GraphModel.Attribute mode = node.attributes.get("mode");
        String m = mode == null || mode.s == null ? "nearest" : mode.s;
        String then = ", then " + node.op + " node " + node.quoted() + " (mode " + m + ")";
        boolean convex = m.equals("nearest") || m.equals("linear") || m.equals("bilinear");
        if (t.kind() == null || t.meaning == Meaning.LOG_PROBABILITIES
                || (!convex && t.meaning != Meaning.LOGITS)) {
            return t.with(Meaning.UNKNOWN, t.role, t.lo, t.hi, null, false, null, t.op,
                    HeadDetector.append(t.nodes, node.label()), t.description + then + (t.kind() == null ? ""
                    : ", which does not keep " + t.kind().id().replace('_', '-')), null, List.of());
        }
        return t.with(t.meaning, t.role, t.lo, t.hi, null, t.independent, null, t.op,
                HeadDetector.append(t.nodes, node.label()), t.description + then + ": an interpolation of positions"
                + " keeps " + t.kind().id().replace('_', '-'), t.taskHint, t.classLabels);
    }

    /** ReduceSum / ReduceLogSumExp over the class axis: one value per row (the row sum, the log-sum-exp). */
    static HeadTrace rowReduction(HeadDetector.Walk w, Scope scope, Node node, int depth) {
        HeadTrace in = w.trace(scope, node.inputs.get(0), depth + 1);
        List<String> nodes = HeadDetector.append(in.nodes, node.label());
        if (in.role != Role.ROWS || !reducesClassAxis(w, scope, node)) {
            return HeadTrace.unknown(node.op, nodes, "no recognisable head: " + node.op + " node " + node.quoted()
                    + " of " + in.description + " (a sum over other axes than the class axis, of what that does"
                    + " not settle)");
        }
        String n = node.op + " node " + node.quoted();
        if (node.op.equals("ReduceSum")) {
            Lin s = in.rowSum();
            double lo = in.lo >= 0 ? 0 : Double.NEGATIVE_INFINITY;
            return in.with(Meaning.UNKNOWN, Role.PER_ROW, lo, Double.POSITIVE_INFINITY, s, false, null, node.op,
                    nodes, in.description + ", then " + n + " (its row sum)", null, List.of());
        }
        return in.with(Meaning.UNKNOWN, Role.PER_ROW, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                Lin.atom("log(sumexp(" + in.id + "))"), false, null, node.op, nodes, in.description + ", then " + n
                + " (its row log-sum-exp)", null, List.of());
    }

    /** Whether a reduction's axes are the class axis (1 or -1 of a [batch, classes] value). */
    static boolean reducesClassAxis(HeadDetector.Walk w, Scope scope, Node node) {
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

    /** Concat: over the class axis, the row sums add; over the batch axis, the inputs must agree. */
    static HeadTrace concat(HeadDetector.Walk w, Scope scope, Node node, int depth) {
        List<HeadTrace> in = w.operands(scope, node, depth);
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
            Lin s = t.rowSum();
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

    /** Where: the facts both branches share. */
    static HeadTrace where(HeadDetector.Walk w, Scope scope, Node node, int depth) {
        if (node.inputs.size() != 3) {
            return HeadTrace.unknown(node.op, List.of(node.label()), "no head: Where node " + node.quoted()
                    + " has " + node.inputs.size() + " inputs");
        }
        HeadTrace x = w.trace(scope, node.inputs.get(1), depth + 1);
        HeadTrace y = w.trace(scope, node.inputs.get(2), depth + 1);
        List<String> nodes = new ArrayList<>(x.nodes);
        nodes.addAll(y.nodes);
        nodes.add(node.label());
        if (x.kind() != null && x.sameAs(y) && x.role == y.role) {
            return x.with(x.meaning, x.role, Math.min(x.lo, y.lo), Math.max(x.hi, y.hi),
                    x.sum != null && y.sum != null && x.sum.sameAs(y.sum) ? x.sum : null, x.independent, null,
                    x.op, nodes, x.description + " on both sides of Where node " + node.quoted(), x.taskHint,
                    x.classLabels);
        }
        return w.unknownOrConstant(scope, node, depth, "no recognisable head: the sides of Where node "
                + node.quoted() + " differ (" + x.description + "; " + y.description + ")");
    }

    /**
     * An ai.onnx.ml classifier: output 0 is the label, output 1 the scores, whose kind its post_transform says:
     * SOFTMAX, SOFTMAX_ZERO, LOGISTIC and PROBIT give probabilities; NONE gives a LinearClassifier's raw decision
     * values (logits only when the model was trained with a log loss, which the graph does not say; the producers
     * in {@link #NONE_IS_LOGITS} document them as logits), a TreeEnsembleClassifier's summed leaf weights
     * (probabilities: scikit-learn trees and forests store class frequencies), and an SVMClassifier's
     * probabilities only with Platt coefficients (prob_a), else decision values.
     */
    static HeadTrace classifier(HeadDetector.Walk w, Node node, String value) {
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
                if (NONE_IS_LOGITS.contains(w.producer)) {
                    return new HeadTrace(Meaning.LOGITS, Role.ROWS, Double.NEGATIVE_INFINITY,
                            Double.POSITIVE_INFINITY, null, false, value, op, nodes, what + " from producer '"
                            + w.producer + "', which exports logits this way (logits)", Task.MULTICLASS, labels);
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

    static HeadTrace zipMap(Node node) {
        List<String> labels = classLabels(node, "classlabels_strings", "classlabels_int64s");
        return new HeadTrace(Meaning.PROBABILITIES, Role.ROWS, 0, 1, Lin.of(1), false, null, "ZipMap",
                List.of(node.label()), "ZipMap node " + node.quoted(), Task.MULTICLASS, labels);
    }

    /** The class labels of an ai.onnx.ml node: its string labels, else its integer labels as decimal text. */
    static List<String> classLabels(Node node, String stringsAttr, String intsAttr) {
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
