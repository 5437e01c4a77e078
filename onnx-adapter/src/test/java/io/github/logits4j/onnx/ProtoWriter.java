package io.github.logits4j.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Test helper: writes protobuf messages field by field with {@link CodedOutputStream}, and ONNX messages
 * (ModelProto, GraphProto, NodeProto, ...) from them, so tests can build graphs the exporters never make.
 *
 * <pre>{@code
 * byte[] model = ProtoWriter.model(13, ProtoWriter.graph(
 *         List.of(ProtoWriter.node("Softmax", "sm", List.of("x"), List.of("y"), ProtoWriter.attrInt("axis", -1))),
 *         List.of(ProtoWriter.tensor("x", 1, "batch", 10)),
 *         List.of(ProtoWriter.tensor("y", 1, "batch", 10))));
 * }</pre>
 */
final class ProtoWriter {
    static final int FLOAT = 1;
    static final int INT64 = 7;
    static final int STRING = 8;

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(buf);

    static ProtoWriter message() {
        return new ProtoWriter();
    }

    ProtoWriter varint(int field, long value) {
        try {
            out.writeInt64(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    ProtoWriter string(int field, String value) {
        try {
            out.writeString(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    ProtoWriter bytes(int field, byte[] value) {
        try {
            out.writeByteArray(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    ProtoWriter message(int field, ProtoWriter value) {
        return bytes(field, value.toByteArray());
    }

    /** A packed repeated int64 field. */
    ProtoWriter packed(int field, long... values) {
        ProtoWriter body = new ProtoWriter();
        try {
            for (long v : values) {
                body.out.writeInt64NoTag(v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes(field, body.toByteArray());
    }

    /** A raw tag, for malformed-input tests. */
    ProtoWriter tag(int field, int wireType) {
        try {
            out.writeTag(field, wireType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A raw varint (a length), for hand-assembled messages. */
    ProtoWriter length(int value) {
        try {
            out.writeUInt32NoTag(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Raw bytes appended as they are. */
    ProtoWriter raw(byte[] value) {
        try {
            out.writeRawBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    byte[] toByteArray() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    // ----------------------------------------------------------------------------------------------- ONNX messages

    /** A ModelProto with ir_version 8, the default opset {@code opset}, the graph and metadata. */
    static byte[] model(long opset, ProtoWriter graph, String... metadataKeyValues) {
        return modelBy("logits4j-test", opset, graph, metadataKeyValues);
    }

    /** A ModelProto whose producer_name is {@code producer}. */
    static byte[] modelBy(String producer, long opset, ProtoWriter graph, String... metadataKeyValues) {
        ProtoWriter m = message().varint(1, 8).string(2, producer).string(3, "1")
                .message(7, graph)
                .message(8, message().string(1, "").varint(2, opset))
                .message(8, message().string(1, "ai.onnx.ml").varint(2, 3));
        for (int i = 0; i < metadataKeyValues.length; i += 2) {
            m.message(14, message().string(1, metadataKeyValues[i]).string(2, metadataKeyValues[i + 1]));
        }
        return m.toByteArray();
    }

    /** A GraphProto: nodes, inputs, outputs (ValueInfoProtos). */
    static ProtoWriter graph(Iterable<ProtoWriter> nodes, Iterable<ProtoWriter> inputs,
            Iterable<ProtoWriter> outputs) {
        ProtoWriter g = message().string(2, "g");
        for (ProtoWriter n : nodes) {
            g.message(1, n);
        }
        for (ProtoWriter i : inputs) {
            g.message(11, i);
        }
        for (ProtoWriter o : outputs) {
            g.message(12, o);
        }
        return g;
    }

    /** A NodeProto in the default domain. */
    static ProtoWriter node(String op, String name, Iterable<String> inputs, Iterable<String> outputs,
            ProtoWriter... attributes) {
        return node("", op, name, inputs, outputs, attributes);
    }

    /** A NodeProto. */
    static ProtoWriter node(String domain, String op, String name, Iterable<String> inputs, Iterable<String> outputs,
            ProtoWriter... attributes) {
        ProtoWriter n = message();
        for (String i : inputs) {
            n.string(1, i);
        }
        for (String o : outputs) {
            n.string(2, o);
        }
        if (!name.isEmpty()) {
            n.string(3, name);
        }
        n.string(4, op);
        for (ProtoWriter a : attributes) {
            n.message(5, a);
        }
        if (!domain.isEmpty()) {
            n.string(7, domain);
        }
        return n;
    }

    static ProtoWriter attrInt(String name, long value) {
        return message().string(1, name).varint(3, value).varint(20, 2);
    }

    static ProtoWriter attrInts(String name, boolean packed, long... values) {
        ProtoWriter a = message().string(1, name);
        if (packed) {
            a.packed(8, values);
        } else {
            for (long v : values) {
                a.varint(8, v);
            }
        }
        return a.varint(20, 7);
    }

    static ProtoWriter attrStrings(String name, String... values) {
        ProtoWriter a = message().string(1, name);
        for (String v : values) {
            a.string(9, v);
        }
        return a.varint(20, 8);
    }

    static ProtoWriter attrString(String name, String value) {
        return message().string(1, name).string(4, value).varint(20, 3);
    }

    /** A floats attribute (type 6), packed. */
    static ProtoWriter attrFloats(String name, float... values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return message().string(1, name).bytes(7, b.array()).varint(20, 6);
    }

    static ProtoWriter attrGraph(String name, ProtoWriter graph) {
        return message().string(1, name).message(6, graph).varint(20, 5);
    }

    /** A tensor attribute (type 4), as a Constant node has; its data must be skipped by the reader. */
    static ProtoWriter attrTensor(String name, ProtoWriter tensor) {
        return message().string(1, name).message(5, tensor).varint(20, 4);
    }

    /** A TensorProto holding {@code rawBytes} bytes of raw data. */
    static ProtoWriter tensorProto(String name, int elemType, byte[] rawData, long... dims) {
        return message().packed(1, dims).varint(2, elemType).string(8, name).bytes(9, rawData);
    }

    /**
     * A ValueInfoProto of a tensor; each dim is a Long/Integer (dim_value), a String (dim_param), or null (a
     * dimension with neither).
     */
    static ProtoWriter tensor(String name, int elemType, Object... dims) {
        ProtoWriter shape = message();
        for (Object d : dims) {
            ProtoWriter dim = message();
            if (d instanceof Number) {
                dim.varint(1, ((Number) d).longValue());
            } else if (d instanceof String) {
                dim.string(2, (String) d);
            }
            shape.message(1, dim);
        }
        ProtoWriter tensorType = message().varint(1, elemType).message(2, shape);
        return message().string(1, name).message(2, message().message(1, tensorType));
    }

    /** A ValueInfoProto of a tensor whose shape is not declared. */
    static ProtoWriter tensorNoShape(String name, int elemType) {
        return message().string(1, name).message(2, message().message(1, message().varint(1, elemType)));
    }

    /** A ValueInfoProto of seq(map(keyType, tensor(float))), as a ZipMap output. */
    static ProtoWriter seqOfMaps(String name, int keyType) {
        ProtoWriter value = message().message(1, message().varint(1, FLOAT));
        ProtoWriter map = message().varint(1, keyType).message(2, value);
        ProtoWriter seq = message().message(1, message().message(5, map));
        return message().string(1, name).message(2, message().message(4, seq));
    }

    /** A ValueInfoProto with no type. */
    static ProtoWriter untyped(String name) {
        return message().string(1, name);
    }

    /** The little-endian bytes of float values, for raw_data. */
    static byte[] floats(float... values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** The little-endian bytes of int64 values, for raw_data. */
    static byte[] longs(long... values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }
}
