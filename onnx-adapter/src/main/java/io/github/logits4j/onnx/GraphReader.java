package io.github.logits4j.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.github.logits4j.LoadException;
import io.github.logits4j.onnx.GraphModel.Attribute;
import io.github.logits4j.onnx.GraphModel.Graph;
import io.github.logits4j.onnx.GraphModel.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads an ONNX model file into an {@link OnnxGraph}, message by message ({@code ModelProto}, {@code GraphProto},
 * {@code NodeProto}, {@code AttributeProto}) with protobuf's wire-level reader: no generated ONNX classes. Each nested
 * message is bounded with pushLimit/popLimit; unknown and unneeded fields (the weights above all) are skipped, which
 * for a stream skips their bytes without buffering them.
 *
 * <pre>{@code
 * OnnxGraph graph = GraphReader.read(Path.of("digits_softmax.onnx"));
 * graph.outputs();                                 // [probabilities: float[batch, 10]]
 * }</pre>
 *
 * <p>Not thread-safe as an instance (one reader reads one stream); the static {@code read} methods are.
 */
final class GraphReader extends ProtoReader {
    /** The stream buffer; the parser never asks for more than this at once except for names and small attributes. */
    private static final int BUFFER = 64 * 1024;
    /** Longest string attribute kept (post_transform, norm); longer ones are skipped unread. */
    private static final int MAX_STRING_ATTRIBUTE = 256;

    private final String source;
    private int graphDepth;

    private GraphReader(CodedInputStream in, String source) {
        super(in);
        this.source = source;
    }

    /**
     * Reads the model in {@code file}, streaming it: weights are skipped, not loaded.
     *
     * @throws LoadException naming the file if it is missing, unreadable, or not a valid ONNX model
     */
    static OnnxGraph read(Path file) throws LoadException {
        Objects.requireNonNull(file, "file");
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw new LoadException(source + ": is a directory, not an ONNX model file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE) {
                throw new LoadException(source + ": not an ONNX model: it has " + size + " bytes; a protobuf"
                        + " model file holds at most 2 GiB (larger models keep their weights as external data)");
            }
            return read(in, source);
        } catch (NoSuchFileException e) {
            throw new LoadException(source + ": not found", e);
        } catch (AccessDeniedException e) {
            throw new LoadException(source + ": cannot be read (access denied)", e);
        } catch (IOException e) {
            throw new LoadException(source + ": cannot be read: " + e, e);
        }
    }

    /**
     * Reads a model from its bytes.
     *
     * @param source what the bytes are, for messages (a file name, a resource)
     * @throws LoadException naming {@code source} if the bytes are not a valid ONNX model
     */
    static OnnxGraph read(byte[] bytes, String source) throws LoadException {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(source, "source");
        try {
            return parse(CodedInputStream.newInstance(bytes), source);
        } catch (IOException e) {
            throw new LoadException(source + ": cannot be read: " + e, e);
        }
    }

    /**
     * Reads a model from a stream, which it does not close. Large length-delimited fields that are not needed
     * (initializers, tensor attributes) are skipped with {@link InputStream#skip}, never read into memory.
     *
     * @throws IOException   if the stream fails
     * @throws LoadException if the bytes are not a valid ONNX model
     */
    static OnnxGraph read(InputStream stream, String source) throws IOException, LoadException {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(source, "source");
        return parse(CodedInputStream.newInstance(stream, BUFFER), source);
    }

    private static OnnxGraph parse(CodedInputStream in, String source) throws IOException, LoadException {
        in.setSizeLimit(Integer.MAX_VALUE);
        GraphReader reader = new GraphReader(in, source);
        try {
            return reader.model();
        } catch (InvalidProtocolBufferException e) {
            throw new LoadException(source + ": not an ONNX model: malformed protobuf near byte "
                    + safeBytesRead(in) + " (" + why(e) + ")", e);
        } catch (Malformed e) {
            throw new LoadException(source + ": not an ONNX model: " + e.getMessage());
        }
    }

    /** protobuf's reason, shortened: its truncation message is three sentences long. */
    private static String why(InvalidProtocolBufferException e) {
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        if (m.contains("input ended unexpectedly")) {
            return "the data ends inside a field: the file is truncated or a length in it is wrong";
        }
        return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
    }

    private static long safeBytesRead(CodedInputStream in) {
        try {
            return in.getTotalBytesRead();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    // ModelProto
    OnnxGraph model() throws IOException, Malformed {
        long irVersion = -1;
        String producerName = "";
        String producerVersion = "";
        Graph graph = null;
        Map<String, Long> opsets = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        boolean any = false;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            any = true;
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1:
                    expect(tag, WireFormat.WIRETYPE_VARINT, "ModelProto.ir_version");
                    irVersion = in.readInt64();
                    break;
                case 2:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "ModelProto.producer_name");
                    producerName = in.readStringRequireUtf8();
                    break;
                case 3:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "ModelProto.producer_version");
                    producerVersion = in.readStringRequireUtf8();
                    break;
                case 7:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "ModelProto.graph");
                    graph = graph(graph);
                    break;
                case 8: {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "ModelProto.opset_import");
                    int old = begin();
                    String domain = "";
                    long version = 0;
                    while (!in.isAtEnd()) {
                        int t = in.readTag();
                        int f = WireFormat.getTagFieldNumber(t);
                        if (f == 1) {
                            expect(t, WireFormat.WIRETYPE_LENGTH_DELIMITED, "OperatorSetIdProto.domain");
                            domain = in.readStringRequireUtf8();
                        } else if (f == 2) {
                            expect(t, WireFormat.WIRETYPE_VARINT, "OperatorSetIdProto.version");
                            version = in.readInt64();
                        } else {
                            skip(t);
                        }
                    }
                    in.popLimit(old);
                    opsets.put(domain.equals("ai.onnx") ? "" : domain, version);
                    break;
                }
                case 14: {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "ModelProto.metadata_props");
                    String[] kv = stringPair("StringStringEntryProto");
                    metadata.put(kv[0], kv[1]);
                    break;
                }
                default:
                    skip(tag);
                    break;
            }
        }
        if (!any) {
            throw new Malformed("the file is empty");
        }
        if (graph == null) {
            throw new Malformed("it has no graph (ModelProto field 7)");
        }
        if (irVersion < 1) {
            throw new Malformed(irVersion < 0 ? "it has no ir_version (ModelProto field 1)"
                    : "ir_version is " + irVersion + "; expected 1 or more");
        }
        if (graph.outputs.isEmpty()) {
            throw new Malformed("the graph has no outputs");
        }
        if (irVersion >= 3 && opsets.isEmpty()) {
            throw new Malformed("it has no opset_import (ModelProto field 8), which IR version " + irVersion
                    + " requires; the file may be truncated");
        }
        return new OnnxGraph(source, irVersion, opsets, producerName, producerVersion, metadata, graph);
    }

    /** Reads a GraphProto; a repeated graph field merges into {@code previous}, as protobuf does. */
    private Graph graph(Graph previous) throws IOException, Malformed {
        if (++graphDepth > MAX_GRAPH_DEPTH) {
            throw new Malformed("subgraphs are nested more than " + MAX_GRAPH_DEPTH + " deep");
        }
        int old = begin();
        String name = previous == null ? "" : previous.name;
        List<Node> nodes = previous == null ? new ArrayList<>() : new ArrayList<>(previous.nodes);
        List<ValueSpec> inputs = previous == null ? new ArrayList<>() : new ArrayList<>(previous.inputs);
        List<ValueSpec> outputs = previous == null ? new ArrayList<>() : new ArrayList<>(previous.outputs);
        Set<String> initializers = previous == null ? new HashSet<>() : new HashSet<>(previous.initializers);
        Map<String, double[]> constants = previous == null ? new HashMap<>() : new HashMap<>(previous.constants);
        Map<String, long[]> dims = previous == null ? new HashMap<>() : new HashMap<>(previous.initializerDims);
        List<ValueSpec> valueInfo = new ArrayList<>();
        if (previous != null) {
            valueInfo.addAll(previous.specs.values());
        }
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "GraphProto.node");
                    nodes.add(node());
                    break;
                case 2:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "GraphProto.name");
                    name = in.readStringRequireUtf8();
                    break;
                case 5:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "GraphProto.initializer");
                    Tensor t = tensor();
                    addName(initializers, t.name);
                    if (t.name != null && t.values != null) {
                        constants.put(t.name, t.values);
                    }
                    if (t.name != null && t.dims != null) {
                        dims.put(t.name, t.dims);
                    }
                    break;
                case 15:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "GraphProto.sparse_initializer");
                    addName(initializers, sparseTensorName());
                    break;
                case 11:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "GraphProto.input");
                    inputs.add(valueInfo());
                    break;
                case 12:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "GraphProto.output");
                    outputs.add(valueInfo());
                    break;
                case 13:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "GraphProto.value_info");
                    valueInfo.add(valueInfo());
                    break;
                default:
                    skip(tag);
                    break;
            }
        }
        in.popLimit(old);
        graphDepth--;
        Graph g = new Graph(name, nodes, inputs, outputs, initializers, valueInfo, constants);
        g.initializerDims.putAll(dims);
        return g;
    }

    private static void addName(Set<String> names, String name) {
        if (name != null && !name.isEmpty()) {
            names.add(name);
        }
    }

    /** The name of a SparseTensorProto: that of its values tensor (field 1). */
    private String sparseTensorName() throws IOException, Malformed {
        int old = begin();
        String name = null;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "SparseTensorProto.values");
                name = tensor().name;
            } else {
                skip(tag);
            }
        }
        in.popLimit(old);
        return name;
    }

    // NodeProto
    private Node node() throws IOException, Malformed {
        int old = begin();
        Node n = new Node();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "NodeProto.input");
                    n.inputs.add(in.readStringRequireUtf8());
                    break;
                case 2:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "NodeProto.output");
                    n.outputs.add(in.readStringRequireUtf8());
                    break;
                case 3:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "NodeProto.name");
                    n.name = in.readStringRequireUtf8();
                    break;
                case 4:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "NodeProto.op_type");
                    n.op = in.readStringRequireUtf8();
                    break;
                case 5: {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "NodeProto.attribute");
                    Attribute a = attribute();
                    n.attributes.put(a.name, a);
                    break;
                }
                case 7:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "NodeProto.domain");
                    n.domain = in.readStringRequireUtf8();
                    break;
                default:
                    skip(tag);
                    break;
            }
        }
        in.popLimit(old);
        return n;
    }

    // AttributeProto: name, i, s, g, ints, strings; tensors and everything else skipped.
    private Attribute attribute() throws IOException, Malformed {
        int old = begin();
        Attribute a = new Attribute();
        List<Long> ints = null;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int wire = WireFormat.getTagWireType(tag);
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "AttributeProto.name");
                    a.name = in.readStringRequireUtf8();
                    break;
                case 3:
                    expect(tag, WireFormat.WIRETYPE_VARINT, "AttributeProto.i");
                    a.i = in.readInt64();
                    a.hasInt = true;
                    break;
                case 2:
                    expect(tag, WireFormat.WIRETYPE_FIXED32, "AttributeProto.f");
                    a.f = in.readFloat();
                    a.hasFloat = true;
                    break;
                case 5:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "AttributeProto.t");
                    a.tensor = tensor().values;
                    break;
                case 6:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "AttributeProto.g");
                    a.graph = graph(a.graph);
                    break;
                case 8:
                    if (ints == null) {
                        ints = new ArrayList<>();
                    }
                    if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        int o = begin();
                        while (!in.isAtEnd()) {
                            ints.add(in.readInt64());
                        }
                        in.popLimit(o);
                    } else {
                        expect(tag, WireFormat.WIRETYPE_VARINT, "AttributeProto.ints");
                        ints.add(in.readInt64());
                    }
                    break;
                case 9:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "AttributeProto.strings");
                    if (a.strings == null) {
                        a.strings = new ArrayList<>();
                    }
                    a.strings.add(new String(in.readByteArray(), StandardCharsets.UTF_8));
                    break;
                case 4:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "AttributeProto.s");
                    int length = in.readRawVarint32();
                    if (length <= MAX_STRING_ATTRIBUTE) {
                        a.s = new String(in.readRawBytes(length), StandardCharsets.UTF_8);
                    } else {
                        in.skipRawBytes(length);
                    }
                    break;
                case 7:
                    if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        int bytes = in.readRawVarint32();
                        a.floatCount += bytes / Float.BYTES;
                        in.skipRawBytes(bytes);
                    } else {
                        expect(tag, WireFormat.WIRETYPE_FIXED32, "AttributeProto.floats");
                        in.readFloat();
                        a.floatCount++;
                    }
                    break;
                default:
                    // t, tensors, sparse tensors, graphs: skipped
                    skip(tag);
                    break;
            }
        }
        in.popLimit(old);
        if (ints != null) {
            a.ints = new long[ints.size()];
            for (int k = 0; k < a.ints.length; k++) {
                a.ints[k] = ints.get(k);
            }
        }
        return a;
    }
}
