package io.github.logits4j.onnx;

import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.onnx.GraphModel.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link HeadDetector} found walking back from one value: the kind (or null when the graph does not tell), the
 * head op, the nodes passed, a description for messages, and a task hint and class labels when the head gives them.
 *
 * <pre>{@code
 * HeadTrace t = HeadTrace.logits("Gemm", List.of("fc"), "Gemm node 'fc' (an affine op: logits)");
 * t.head();                                        // false: logits are not a head
 * }</pre>
 *
 * <p>Immutable.
 */
final class HeadTrace {
    /** LOGITS, PROBABILITIES, LOG_PROBABILITIES, or null when the graph does not tell. */
    final OutputKind kind;
    final String op;
    final List<String> nodes;
    final String description;
    final Task taskHint;
    final List<String> classLabels;

    HeadTrace(OutputKind kind, String op, List<String> nodes, String description, Task taskHint,
            List<String> classLabels) {
        this.kind = kind;
        this.op = op;
        this.nodes = nodes;
        this.description = description;
        this.taskHint = taskHint;
        this.classLabels = classLabels;
    }

    static HeadTrace unknown(String op, List<String> nodes, String description) {
        return new HeadTrace(null, op, nodes, description, null, List.of());
    }

    static HeadTrace logits(String op, List<String> nodes, String description) {
        return new HeadTrace(OutputKind.LOGITS, op, nodes, description, null, List.of());
    }

    /** Whether a head (probabilities or log-probabilities) was found. */
    boolean head() {
        return kind == OutputKind.PROBABILITIES || kind == OutputKind.LOG_PROBABILITIES;
    }

    boolean sameAs(HeadTrace o) {
        return kind == o.kind && Objects.equals(op, o.op) && classLabels.equals(o.classLabels)
                && Objects.equals(taskHint, o.taskHint);
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
        return new HeadTrace(kind, op, all, description + via, taskHint, classLabels);
    }

    /** This head or logits seen through {@code node} (a reduction, an If, arithmetic with a constant). */
    HeadTrace then(Node node, String description) {
        List<String> all = new ArrayList<>(nodes);
        all.add(node.label());
        return new HeadTrace(kind, op, all, description, taskHint, classLabels);
    }
}
