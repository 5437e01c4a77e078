package io.github.logits4j.onnx;

import io.github.logits4j.DenseScores;
import io.github.logits4j.onnx.GraphModel.Graph;
import io.github.logits4j.onnx.GraphModel.Node;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where the classes of a dense output lie ({@code [N, C, d..]}: axis 1, or {@code [N, d.., C]}: the last axis), read
 * from the graph: walking back from the output through the ops that do not move the class axis (a spatial
 * {@code Resize} or {@code Upsample}, an elementwise activation, a cast, a shape-only op that keeps the rank), the
 * first op that fixes it decides: a {@code Conv} or {@code ConvTranspose} puts its output channels on axis 1 (a
 * segmentation head, as torchvision's and SegFormer's), a {@code MatMul} with a weight puts its columns last (a
 * token classifier's linear layer, as transformers'), a {@code Softmax} or {@code LogSoftmax} names its axis. The
 * number of classes comes from the output's static shape, or from that op's weight (a legacy export that leaves every
 * dimension symbolic). Anything else (a {@code Transpose}, a residual sum) decides nothing: the caller then refuses and
 * names the option that settles it ({@code --class-axis}). Immutable.
 *
 * <pre>{@code
 * DenseLayout layout = DenseLayout.of(graph, "out", new long[] {-1, 21, 64, 64});
 * layout.axis();          // FIRST
 * layout.evidence();      // "Conv 'head.4' (weight [21, 16, 1, 1]), then Resize '...': ... on axis 1"
 * }</pre>
 */
final class DenseLayout {
    /** Ops that keep the class axis where it is, and the class count. */
    private static final Set<String> KEEPS = Set.of("Identity", "Cast", "Resize", "Upsample", "Relu", "Sigmoid",
            "Tanh", "Dropout", "Clip", "LeakyRelu", "Gelu", "Erf");

    private final DenseScores.@Nullable ClassAxis axis;
    private final long classes;
    private final String evidence;
    private final String op;

    private DenseLayout(DenseScores.@Nullable ClassAxis axis, long classes, String evidence, String op) {
        this.axis = axis;
        this.classes = classes;
        this.evidence = evidence;
        this.op = op;
    }

    /** The class axis the graph shows, or null when it does not tell. */
    DenseScores.@Nullable ClassAxis axis() {
        return axis;
    }

    /** The number of classes, or -1 when neither the shape nor the deciding op's weight gives it. */
    long classes() {
        return classes;
    }

    /** What decided, in words, for {@code inspect} and for a refusal. */
    String evidence() {
        return evidence;
    }

    /** The op that decided ({@code Conv}, {@code MatMul}, {@code Softmax}, ...), or the one the walk stopped at. */
    String op() {
        return op;
    }

    /**
     * The layout of output {@code output} of {@code graph}, whose declared shape is {@code shape} (rank 3 or more;
     * -1 for a symbolic dimension), or null for another rank.
     */
    static DenseLayout of(Graph graph, String output, long @Nullable [] shape) {
        int rank = shape == null ? -1 : shape.length;
        java.util.ArrayDeque<String> passed = new java.util.ArrayDeque<>();    // nearest the output last
        String value = output;
        for (int steps = 0; steps < 64; steps++) {
            Node n = graph.producers.get(value);
            String via = passed.isEmpty() ? "" : ", then " + String.join(", then ", passed);
            if (n == null) {
                return new DenseLayout(null, -1, "the output is not produced by an op" + via, "");
            }
            String op = n.op;
            if (op.equals("Conv") || op.equals("ConvTranspose")) {
                long[] w = n.inputs.size() > 1 ? graph.initializerDims.get(n.inputs.get(1)) : null;
                long c = classesAt(shape, 1);
                if (c < 0 && w != null && w.length >= 1) {
                    c = op.equals("Conv") ? w[0] : w.length >= 2 ? w[1] * group(n) : -1;
                }
                return new DenseLayout(DenseScores.ClassAxis.FIRST, c, op + " " + n.quoted() + weight(w) + via
                        + ": its output channels, the classes, on axis 1", op);
            }
            if (op.equals("MatMul") || op.equals("Gemm")) {
                long[] w = n.inputs.size() > 1 ? graph.initializerDims.get(n.inputs.get(1)) : null;
                if (w == null && !graph.initializers.contains(n.inputs.get(1))) {
                    return new DenseLayout(null, -1, op + " " + n.quoted() + " multiplies two computed values"
                            + via + ": no weight whose columns are the classes", op);
                }
                long c = classesAt(shape, rank - 1);
                if (c < 0 && w != null && w.length >= 1) {
                    c = w[w.length - 1];
                }
                return new DenseLayout(DenseScores.ClassAxis.LAST, c, op + " " + n.quoted() + weight(w) + via
                        + ": its columns, the classes, on the last axis", op);
            }
            if ((op.equals("Softmax") || op.equals("LogSoftmax")) && rank > 0) {
                GraphModel.Attribute a = n.attributes.get("axis");
                long axis = a != null && a.hasInt ? a.i : -1;
                axis = axis < 0 ? axis + rank : axis;
                DenseScores.ClassAxis at = axis == 1 ? DenseScores.ClassAxis.FIRST
                        : axis == rank - 1 ? DenseScores.ClassAxis.LAST : null;
                return new DenseLayout(at, at == null ? -1 : classesAt(shape, (int) axis), op + " " + n.quoted()
                        + " over axis " + axis + via + (at == null ? ", neither axis 1 nor the last" : ""), op);
            }
            if (op.equals("Add") && n.inputs.size() == 2) {
                // a bias: one side a weight, the other the value to follow
                boolean left = graph.initializers.contains(n.inputs.get(0));
                boolean right = graph.initializers.contains(n.inputs.get(1));
                if (left != right) {
                    passed.addFirst("Add " + n.quoted() + " (a bias)");
                    value = n.inputs.get(left ? 1 : 0);
                    continue;
                }
                return new DenseLayout(null, -1, "Add " + n.quoted() + " sums two computed values" + via, op);
            }
            if (KEEPS.contains(op) && !n.inputs.isEmpty()) {
                passed.addFirst(op + " " + n.quoted());
                value = n.inputs.get(0);
                continue;
            }
            return new DenseLayout(null, -1, op + " " + n.quoted() + via + " may move the class axis", op);
        }
        return new DenseLayout(null, -1, "more than 64 ops before a deciding one", "");
    }

    private static long classesAt(long @Nullable [] shape, int axis) {
        return shape != null && axis >= 0 && axis < shape.length && shape[axis] > 0 ? shape[axis] : -1;
    }

    private static long group(Node n) {
        GraphModel.Attribute g = n.attributes.get("group");
        return g != null && g.hasInt ? g.i : 1;
    }

    private static String weight(long @Nullable [] dims) {
        return dims == null ? "" : " (weight " + java.util.Arrays.toString(dims) + ")";
    }

    @Override
    public String toString() {
        return "DenseLayout[" + axis + ", " + classes + " classes: " + evidence + "]";
    }
}
