package io.github.logits4j.onnx;

import io.github.logits4j.LoadException;
import io.github.logits4j.onnx.GraphModel.Graph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The parts of an ONNX model file that logits4j needs (IR version, opsets, producer, metadata, the graph's inputs and
 * outputs, and its nodes without their weights), as {@link GraphReader} reads them; {@link HeadDetector} decides from
 * it what each output emits.
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
    private final String source;
    private final long irVersion;
    private final Map<String, Long> opsets;
    private final String producerName;
    private final String producerVersion;
    private final Map<String, String> metadata;
    private final Graph graph;
    private final List<ValueSpec> inputs;
    private final List<ValueSpec> outputs;

    OnnxGraph(String source, long irVersion, Map<String, Long> opsets, String producerName,
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
        return GraphReader.read(file);
    }

    /**
     * Reads the model file {@code path} ({@code source} names it in messages), refusing a directory, a missing file
     * and a special file (a device, a FIFO, a socket) before reading.
     */
    static OnnxGraph readFile(Path path, String source) throws LoadException {
        if (Files.isDirectory(path)) {
            throw new LoadException(source + ": is a directory; expected an ONNX model file");
        }
        if (!Files.exists(path)) {
            throw new LoadException(source + ": model file not found");
        }
        if (!Files.isRegularFile(path)) {
            throw new LoadException(source + ": is not a regular file (a device, a FIFO or a socket);"
                    + " expected an ONNX model file");
        }
        return read(path);
    }

    /**
     * Reads a model from its bytes.
     *
     * @param source what the bytes are, for messages (a file name, a resource)
     * @throws LoadException naming {@code source} if the bytes are not a valid ONNX model
     */
    static OnnxGraph read(byte[] bytes, String source) throws LoadException {
        return GraphReader.read(bytes, source);
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

    /** The main graph, parsed. */
    Graph graph() {
        return graph;
    }

    /** The output named {@code name}, or null. */
    @Nullable ValueSpec output(String name) {
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
        return HeadDetector.detect(graph, defaultOpset(), producerName, outputName);
    }
}
