package io.github.logits4j.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The graph model that {@link GraphReader} builds and {@link HeadDetector} walks: a graph's nodes (attributes without
 * tensors), inputs, outputs, declared types and initializer names, and the scope a subgraph sees.
 *
 * <pre>{@code
 * GraphModel.Graph g = ...;                        // from GraphReader
 * GraphModel.Node producer = g.producers.get("probabilities");
 * producer.op;                                     // "Softmax"
 * }</pre>
 *
 * <p>Built once by the reader and not changed afterwards; safe to read from several threads.
 */
final class GraphModel {
    private GraphModel() {
    }

    /** A parsed graph: nodes (attributes without tensors), inputs, outputs, declared types, initializer names. */
    static final class Graph {
        final String name;
        final List<Node> nodes;
        final List<ValueSpec> inputs;
        final List<ValueSpec> outputs;
        final Set<String> initializers;
        /** The values of the small numeric initializers (at most {@link ProtoReader#MAX_CONSTANT_VALUES}). */
        final Map<String, double[]> constants;
        /** The dims of every initializer that writes them (a Conv weight's [out, in, kh, kw], say). */
        final Map<String, long[]> initializerDims = new HashMap<>();
        final Set<String> inputNames = new HashSet<>();
        final Map<String, Node> producers = new HashMap<>();
        /** Declared types: value_info, then inputs and outputs (which take precedence). */
        final Map<String, ValueSpec> specs = new HashMap<>();

        Graph(String name, List<Node> nodes, List<ValueSpec> inputs, List<ValueSpec> outputs,
                Set<String> initializers, List<ValueSpec> valueInfo, Map<String, double[]> constants) {
            this.name = name;
            this.nodes = List.copyOf(nodes);
            this.inputs = List.copyOf(inputs);
            this.outputs = List.copyOf(outputs);
            this.initializers = Set.copyOf(initializers);
            this.constants = Map.copyOf(constants);
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

    static final class Node {
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

    static final class Attribute {
        String name = "";
        boolean hasInt;
        long i;
        long[] ints;
        List<String> strings;
        /** A string attribute (post_transform, norm), when short enough to be one; else null. */
        String s;
        /** How many values a floats attribute holds (their values are not kept). */
        int floatCount;
        boolean hasFloat;
        float f;
        /** A small numeric tensor attribute's values (a Constant's value), else null. */
        double[] tensor;
        Graph graph;
    }

    /** A graph and the graphs it is nested in, for names a subgraph takes from its outer scope. */
    static final class Scope {
        final Graph graph;
        final Scope parent;

        Scope(Graph graph, Scope parent) {
            this.graph = graph;
            this.parent = parent;
        }

        /** The scope whose graph defines {@code value} (produces it, or has it as input or initializer), or null. */
        @Nullable Scope definer(String value) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.graph.producers.containsKey(value) || s.graph.inputNames.contains(value)
                        || s.graph.initializers.contains(value)) {
                    return s;
                }
            }
            return null;
        }

        /** The declared type of {@code value} in this scope or an outer one, or null. */
        @Nullable ValueSpec spec(String value) {
            for (Scope s = this; s != null; s = s.parent) {
                ValueSpec v = s.graph.specs.get(value);
                if (v != null) {
                    return v;
                }
            }
            return null;
        }

        /**
         * The values of {@code value} when it is a small numeric constant: an initializer (not also a graph input)
         * or a Constant node's value, value_float, value_floats, value_int or value_ints; else null.
         */
        double @Nullable [] constantValues(String value) {
            if (!isConstant(value)) {
                return null;
            }
            Scope def = definer(value);
            Node producer = def.graph.producers.get(value);
            if (producer == null) {
                return def.graph.constants.get(value);
            }
            for (Attribute a : producer.attributes.values()) {
                switch (a.name) {
                    case "value":
                        return a.tensor;
                    case "value_float":
                        return a.hasFloat ? new double[] {a.f} : null;
                    case "value_int":
                        return a.hasInt ? new double[] {a.i} : null;
                    case "value_ints":
                        if (a.ints != null) {
                            double[] d = new double[a.ints.length];
                            for (int i = 0; i < d.length; i++) {
                                d[i] = a.ints[i];
                            }
                            return d;
                        }
                        return null;
                    default:
                        break;
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
}
