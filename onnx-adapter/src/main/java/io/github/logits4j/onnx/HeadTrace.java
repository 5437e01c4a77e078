package io.github.logits4j.onnx;

import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.onnx.GraphModel.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What {@link HeadDetector} knows of one value of the graph (its facts) and how it knows it: what the value means
 * (logits, probabilities, log-probabilities, decision values, or unknown), its shape role (a [batch, classes] tensor,
 * one value per row, or a constant), the interval every element lies in, its row sum as a linear form, the op that
 * settled the meaning, the nodes passed, and a description for messages.
 *
 * <pre>{@code
 * HeadTrace t = HeadTrace.logits("Gemm", List.of("fc"), "Gemm node 'fc' (an affine op: logits)");
 * t.head();                                        // false: logits are not a head
 * }</pre>
 *
 * <p>Immutable.
 */
final class HeadTrace {
    /** What a value means. */
    enum Meaning {
        LOGITS, PROBABILITIES, LOG_PROBABILITIES, DECISION_VALUES,
        /** A non-negative multiple, or a sum of such multiples, of probability rows: rows sum to a known constant. */
        SCALED_PROBABILITIES,
        UNKNOWN
    }

    /** How a value is laid out against the scores: [batch, classes], [batch, 1] (one per row), or a constant. */
    enum Role {
        ROWS, PER_ROW, CONSTANT
    }

    final Meaning meaning;
    final Role role;
    /** Every element lies in [lo, hi]. */
    final double lo;
    final double hi;
    /** ROWS: the sum of a row over the class axis; PER_ROW and a scalar CONSTANT: the value itself; else null. */
    final Lin sum;
    /** Probabilities that need not sum to 1 over a row (sigmoid outputs, one column of a distribution). */
    final boolean independent;
    /** The value's identity for atoms that name it (a log-sum-exp of this value). */
    final String id;
    final String op;
    final List<String> nodes;
    final String description;
    final Task taskHint;
    final List<String> classLabels;

    HeadTrace(Meaning meaning, Role role, double lo, double hi, Lin sum, boolean independent, String id, String op,
            List<String> nodes, String description, Task taskHint, List<String> classLabels) {
        this.meaning = meaning;
        this.role = role;
        this.lo = lo;
        this.hi = hi;
        this.sum = sum;
        this.independent = independent;
        this.id = id;
        this.op = op;
        this.nodes = nodes;
        this.description = description;
        this.taskHint = taskHint;
        this.classLabels = classLabels;
    }

    static HeadTrace unknown(String op, List<String> nodes, String description) {
        return new HeadTrace(Meaning.UNKNOWN, Role.ROWS, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, null,
                false, null, op, nodes, description, null, List.of());
    }

    static HeadTrace logits(String op, List<String> nodes, String description) {
        return new HeadTrace(Meaning.LOGITS, Role.ROWS, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, null,
                false, null, op, nodes, description, null, List.of());
    }

    /** The kind an output of this value emits; null for unknown values. */
    OutputKind kind() {
        return switch (meaning) {
            case LOGITS -> OutputKind.LOGITS;
            case PROBABILITIES -> OutputKind.PROBABILITIES;
            case LOG_PROBABILITIES -> OutputKind.LOG_PROBABILITIES;
            case DECISION_VALUES -> OutputKind.DECISION_VALUES;
            default -> null;
        };
    }

    /** Whether a head (probabilities or log-probabilities) was found. */
    boolean head() {
        return meaning == Meaning.PROBABILITIES || meaning == Meaning.LOG_PROBABILITIES;
    }

    /**
     * The row sum as a linear form: the known one, or, for a [batch, classes] value whose sum is not known, the atom
     * {@code sum(id)} that names it (so that a division by its own {@code ReduceSum} is recognised); for one value per
     * row or a constant, the value itself (null when unknown).
     */
    Lin rowSum() {
        return sum != null || role != Role.ROWS ? sum : Lin.atom("sum(" + id + ")");
    }

    boolean constantScalar() {
        return role == Role.CONSTANT && sum != null && sum.isConstant();
    }

    boolean sameAs(HeadTrace o) {
        return meaning == o.meaning && Objects.equals(op, o.op) && classLabels.equals(o.classLabels)
                && Objects.equals(taskHint, o.taskHint) && independent == o.independent;
    }

    HeadTrace with(Meaning m, Role r, double low, double high, Lin s, boolean indep, String newId, String newOp,
            List<String> newNodes, String newDescription, Task hint, List<String> labels) {
        return new HeadTrace(m, r, low, high, s, indep, newId, newOp, newNodes, newDescription, hint, labels);
    }

    HeadTrace described(String newDescription) {
        return new HeadTrace(meaning, role, lo, hi, sum, independent, id, op, nodes, newDescription, taskHint,
                classLabels);
    }

    HeadTrace withId(String newId) {
        return new HeadTrace(meaning, role, lo, hi, sum, independent, newId, op, nodes, description, taskHint,
                classLabels);
    }

    HeadTrace through(List<Node> path) {
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
        return new HeadTrace(meaning, role, lo, hi, sum, independent, id, op, all, description + via, taskHint,
                classLabels);
    }

    /** This value seen through {@code node}, which keeps its facts (a reduction, an If, arithmetic with 1). */
    HeadTrace then(Node node, String newDescription) {
        List<String> all = new ArrayList<>(nodes);
        all.add(node.label());
        return new HeadTrace(meaning, role, lo, hi, sum, independent, id, op, all, newDescription, taskHint,
                classLabels);
    }

    /** The range as text: {@code [0, 1]}, {@code [0, inf)}. */
    String range() {
        return (lo == Double.NEGATIVE_INFINITY ? "(-inf" : "[" + Lin.number(lo)) + ", "
                + (hi == Double.POSITIVE_INFINITY ? "inf)" : Lin.number(hi) + "]");
    }

    /**
     * A linear form over named atoms (row sums, per-row values of the graph) plus a constant, which is how the
     * detector proves that a value is divided by its own row sum, or that a weighted sum of heads sums to 1.
     */
    static final class Lin {
        private static final double EPS = 1e-6;
        final Map<String, Double> terms;
        final double constant;

        private Lin(Map<String, Double> terms, double constant) {
            this.terms = terms;
            this.constant = constant;
        }

        static Lin of(double c) {
            return new Lin(Map.of(), c);
        }

        static Lin atom(String name) {
            return new Lin(Map.of(name, 1.0), 0.0);
        }

        boolean isConstant() {
            return terms.isEmpty();
        }

        boolean isConstant(double c) {
            return terms.isEmpty() && Math.abs(constant - c) <= EPS * Math.max(1, Math.abs(c));
        }

        Lin plus(Lin o) {
            TreeMap<String, Double> t = new TreeMap<>(terms);
            o.terms.forEach((k, v) -> t.merge(k, v, Double::sum));
            t.values().removeIf(v -> Math.abs(v) <= EPS);
            return new Lin(Map.copyOf(t), constant + o.constant);
        }

        Lin times(double k) {
            TreeMap<String, Double> t = new TreeMap<>();
            terms.forEach((name, v) -> t.put(name, v * k));
            t.values().removeIf(v -> Math.abs(v) <= EPS);
            return new Lin(Map.copyOf(t), constant * k);
        }

        boolean sameAs(Lin o) {
            Lin d = plus(o.times(-1));
            return d.terms.isEmpty() && Math.abs(d.constant) <= EPS * Math.max(1, Math.abs(constant));
        }

        /** The single atom this form is (with coefficient 1 and no constant), else null. */
        @Nullable String soleAtom() {
            if (terms.size() != 1 || constant != 0) {
                return null;
            }
            Map.Entry<String, Double> e = terms.entrySet().iterator().next();
            return Math.abs(e.getValue() - 1) <= EPS ? e.getKey() : null;
        }

        static String number(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        }

        @Override
        public String toString() {
            return isConstant() ? number(constant) : terms + (constant == 0 ? "" : " + " + number(constant));
        }
    }
}
