package io.github.logits4j.onnx;

import io.github.logits4j.Task;
import io.github.logits4j.onnx.GraphModel.Attribute;
import io.github.logits4j.onnx.GraphModel.Node;
import io.github.logits4j.onnx.GraphModel.Scope;
import io.github.logits4j.onnx.HeadTrace.Lin;
import io.github.logits4j.onnx.HeadTrace.Meaning;
import io.github.logits4j.onnx.HeadTrace.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * The arithmetic rules of {@link HeadDetector}'s facts: how {@code Add}, {@code Sub}, {@code Sum}, {@code Mul},
 * {@code Div}, {@code Reciprocal}, {@code Log}, {@code Exp}, {@code Abs}, {@code Relu}, {@code Clip} and a value-changing
 * {@code Cast} make their output's facts (meaning, role, range, row sum) from their inputs'. A shift keeps logits
 * logits; a division of non-negative values by their own row sum makes probabilities; {@code x - logsumexp(x)} makes
 * log-probabilities; weighted sums of probability rows are probabilities when their rows sum to exactly 1.
 *
 * <pre>{@code
 * HeadTrace t = ArithmeticFacts.product(walk, scope, divNode, depth);   // "... by its row sum (...): probabilities"
 * }</pre>
 *
 * <p>Stateless; the walk carries the memo.
 */
final class ArithmeticFacts {
    private ArithmeticFacts() {
    }

    /** Add, Sub and Sum: shifts keep logits; sums of heads add their row sums; x - logsumexp(x) is log-softmax. */
    static HeadTrace addition(HeadDetector.Walk w, Scope scope, Node node, int depth) {
        List<HeadTrace> in = w.operands(scope, node, depth);
        String n = node.op + " node " + node.quoted();
        if (in.isEmpty()) {
            return HeadTrace.unknown(node.op, List.of(node.label()), "no head: " + n + " has no input");
        }
        boolean sub = node.op.equals("Sub");
        if (sub && in.size() != 2) {
            return HeadTrace.unknown(node.op, List.of(node.label()), "no head: " + n + " has " + in.size()
                    + " inputs");
        }
        int c = w.classesOf(scope, node);
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
            Lin s = t.rowSum();
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
            String desc = rows.size() > 1 ? n + " of " + rows.size() + " affine outputs (" + HeadDetector.describe(rows)
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
        return settle(w, node, main, rows, nodes, lo, hi, sum, n);
    }

    /** Mul and Div: scales keep logits; a division by the row sum makes probabilities; weights scale row sums. */
    static HeadTrace product(HeadDetector.Walk w, Scope scope, Node node, int depth) {
        List<HeadTrace> in = w.operands(scope, node, depth);
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
            return w.unknownOrConstant(scope, node, depth, "constant arithmetic");
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
                        + (b.lo == b.hi ? "" : "of several values ") + "after " + describeScaled(w, a, node));
            }
            double lo = k >= 0 ? a.lo * k : a.hi * k;
            double hi = k >= 0 ? a.hi * k : a.lo * k;
            Lin s = a.rowSum();
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
                        "no recognisable head: " + n + " with a constant, after " + describeScaled(w, a, node)
                        + (scaled != null && scaled.isConstant() ? " (rows sum to " + scaled + ")" : ""), null,
                        List.of());
            }
            return settle(w, node, a, List.of(a), nodes, Math.min(lo, hi), Math.max(lo, hi), scaled, n);
        }
        if (div && b.role == Role.PER_ROW && a.role == Role.ROWS) {
            Lin s = a.rowSum();
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
            return w.opaque(scope, node, depth, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                    "per-row arithmetic");
        }
        String why = a.head() ? describeScaled(w, a, node) : a.description;
        return HeadTrace.unknown(node.op, nodes, "no recognisable head: produced by " + n + " of two computed"
                + " values (" + why + "; " + b.description + ")" + HeadDetector.NOT_A_HEAD);
    }

    /** Reciprocal: 1 / x, as Div(1, x). */
    static HeadTrace reciprocal(HeadDetector.Walk w, Scope scope, Node node, int depth) {
        HeadTrace b = w.trace(scope, node.inputs.get(0), depth + 1);
        List<String> nodes = HeadDetector.append(b.nodes, node.label());
        String n = "Reciprocal node " + node.quoted();
        if (b.role != Role.CONSTANT && b.lo >= 1) {
            return new HeadTrace(Meaning.PROBABILITIES, b.role, 1 / b.hi, 1, null, true, null, node.op, nodes,
                    b.description + ", then " + n + " (1 / (1 + a non-negative value): a logistic, probabilities"
                    + " in (0, 1])", null, List.of());
        }
        return w.unknownOrConstant(scope, node, depth, "no recognisable head: " + n + " of " + b.description);
    }

    /**
     * The meaning of an arithmetic result that no specific rule settled: probabilities when its elements lie in
     * [0, 1] and its rows sum to exactly 1 (a weighted sum of heads whose weights add to 1), else unknown.
     */
    static HeadTrace settle(HeadDetector.Walk w, Node node, HeadTrace main, List<HeadTrace> rows, List<String> nodes, double lo,
            double hi, Lin sum, String n) {
        boolean heads = true;
        for (HeadTrace t : rows) {
            heads &= (t.meaning == Meaning.PROBABILITIES && !t.independent)
                    || t.meaning == Meaning.SCALED_PROBABILITIES;
        }
        if (heads && lo >= -1e-9 && hi <= 1 + 1e-9 && sum != null && sum.isConstant(1)) {
            return new HeadTrace(Meaning.PROBABILITIES, Role.ROWS, 0, 1, Lin.of(1), false, null, node.op, nodes,
                    (rows.size() > 1 ? HeadDetector.describe(rows) : main.description) + ", then " + n + " (values in [0, 1]"
                    + " whose rows sum to 1: probabilities)", Task.MULTICLASS, main.classLabels);
        }
        String facts = "values in " + "[" + Lin.number(lo) + ", " + Lin.number(hi) + "]"
                + (sum != null && sum.isConstant() ? ", rows summing to " + sum : "");
        if (heads && lo >= 0 && sum != null && sum.isConstant()) {
            return new HeadTrace(Meaning.SCALED_PROBABILITIES, Role.ROWS, lo, hi, sum, false, null, node.op, nodes,
                    "no recognisable head: " + n + " of " + (rows.size() > 1 ? HeadDetector.describe(rows) : main.description)
                    + " (" + facts + ")", null, List.of());
        }
        if (main.head()) {
            return new HeadTrace(Meaning.UNKNOWN, Role.ROWS, lo, hi, sum, false, null, node.op, nodes,
                    "no recognisable head: " + n + " after " + describeScaled(w, main, node) + " (" + facts + ")",
                    null, List.of());
        }
        return new HeadTrace(Meaning.UNKNOWN, Role.ROWS, lo, hi, sum, false, null, node.op, nodes,
                "no recognisable head: produced by " + n + " of " + main.description + HeadDetector.NOT_A_HEAD, null,
                List.of());
    }

    static String describeScaled(HeadDetector.Walk w, HeadTrace t, Node node) {
        if (!t.head()) {
            return t.description;
        }
        return "a " + t.op + " head then " + node.op + ": scaled or shifted " + (t.meaning == Meaning.PROBABILITIES
                ? "probabilities are not probabilities" : "log-probabilities are not log-probabilities");
    }

    /** Log of probabilities is log-probabilities; Exp of log-probabilities probabilities; Exp of x is >= 0. */
    static HeadTrace logOrExp(HeadDetector.Walk w, Scope scope, Node node, int depth) {
        boolean log = node.op.equals("Log");
        HeadTrace t = w.trace(scope, node.inputs.get(0), depth + 1);
        List<String> nodes = HeadDetector.append(t.nodes, node.label());
        String n = node.op + " node " + node.quoted();
        Meaning from = log ? Meaning.PROBABILITIES : Meaning.LOG_PROBABILITIES;
        if (t.meaning == from && t.role == Role.ROWS) {
            boolean p = !log;
            return new HeadTrace(p ? Meaning.PROBABILITIES : Meaning.LOG_PROBABILITIES, Role.ROWS,
                    p ? 0 : Double.NEGATIVE_INFINITY, p ? 1 : 0, p && !t.independent ? Lin.of(1) : null,
                    t.independent, null, t.op, nodes, t.description + ", then " + n, t.taskHint, t.classLabels);
        }
        if (t.role == Role.CONSTANT) {
            return w.unknownOrConstant(scope, node, depth, "constant");
        }
        if (log) {
            String atom = t.role == Role.PER_ROW && t.sum != null ? t.sum.soleAtom() : null;
            return new HeadTrace(Meaning.UNKNOWN, t.role, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                    atom != null && atom.startsWith("sumexp(") ? Lin.atom("log(" + atom + ")") : null, false,
                    null, node.op, nodes, "no recognisable head: produced by " + n + " of " + t.description
                    + HeadDetector.NOT_A_HEAD, null, List.of());
        }
        double lo = Math.exp(t.lo);
        double hi = Math.exp(t.hi);
        Lin sum = t.role == Role.ROWS ? Lin.atom("sumexp(" + t.id + ")") : null;
        return new HeadTrace(Meaning.UNKNOWN, t.role, lo, hi, sum, false, null, node.op, nodes,
                "no recognisable head: produced by " + n + " of " + t.description + " (non-negative, but not"
                + " normalised)", null, List.of());
    }

    /** Abs, Relu and Clip: the range narrows; probabilities clipped within [0, 1] stay probabilities. */
    static HeadTrace clamp(HeadDetector.Walk w, Scope scope, Node node, int depth) {
        HeadTrace t = w.trace(scope, node.inputs.get(0), depth + 1);
        List<String> nodes = HeadDetector.append(t.nodes, node.label());
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
                double min = clipBound(w, scope, node, 1, "min", Double.NEGATIVE_INFINITY);
                double max = clipBound(w, scope, node, 2, "max", Double.POSITIVE_INFINITY);
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
            return w.unknownOrConstant(scope, node, depth, "constant");
        }
        return new HeadTrace(Meaning.UNKNOWN, t.role, lo, hi, null, false, null, node.op, nodes,
                "no recognisable head: produced by " + n + " of " + t.description + HeadDetector.NOT_A_HEAD, null, List.of());
    }

    static double clipBound(HeadDetector.Walk w, Scope scope, Node node, int input, String attr, double none) {
        if (node.inputs.size() > input && !node.inputs.get(input).isEmpty()) {
            double[] v = scope.constantValues(node.inputs.get(input));
            return v != null && v.length == 1 ? v[0] : none;
        }
        Attribute a = node.attributes.get(attr);
        return a != null && a.hasFloat ? a.f : none;
    }

    /** A Cast to a type that changes values (to bool or an integer): an opaque value, in [0, 1] for bool. */
    static HeadTrace castOther(HeadDetector.Walk w, Scope scope, Node node, int depth) {
        Attribute to = node.attributes.get("to");
        boolean bool = to != null && to.hasInt && to.i == 9;
        return w.opaque(scope, node, depth, bool ? 0 : Double.NEGATIVE_INFINITY, bool ? 1 : Double.POSITIVE_INFINITY,
                "Cast to another type");
    }
}
