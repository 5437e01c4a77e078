package io.github.logits4j.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The protobuf side of reading an ONNX file: the stream, the bounded reading of nested messages, the wire-type checks,
 * and the messages that describe values ({@code ValueInfoProto}, {@code TypeProto}), turned into {@link ValueSpec}s.
 * {@link GraphReader} adds the model, graph, node and attribute messages.
 *
 * <pre>{@code
 * ProtoReader.elementTypeName(1);                  // "float"
 * ProtoReader.elementTypeName(7);                  // "int64"
 * }</pre>
 *
 * <p>Not thread-safe: one reader reads one stream.
 */
abstract class ProtoReader {
    /** Nesting of subgraphs (If/Loop/Scan bodies) and types beyond which a file is refused as malformed. */
    static final int MAX_GRAPH_DEPTH = 64;

    final CodedInputStream in;

    ProtoReader(CodedInputStream in) {
        this.in = in;
    }

    /** Internal: the bytes are valid protobuf but not an ONNX model; the message says what is missing or wrong. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    // ValueInfoProto
    final ValueSpec valueInfo() throws IOException, Malformed {
        int old = begin();
        String name = "";
        Type type = null;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "ValueInfoProto.name");
                    name = in.readStringRequireUtf8();
                    break;
                case 2:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "ValueInfoProto.type");
                    type = type(0);
                    break;
                default:
                    skip(tag);
                    break;
            }
        }
        in.popLimit(old);
        if (type == null) {
            return new ValueSpec(name, "unknown", null, false, false, null, null);
        }
        boolean tensor = type.kind == TypeKind.TENSOR;
        boolean seqOfMaps = type.kind == TypeKind.SEQUENCE && type.element != null
                && type.element.kind == TypeKind.MAP;
        long[] shape = null;
        String[] dimNames = null;
        if (tensor && type.dims != null) {
            shape = new long[type.dims.size()];
            dimNames = new String[shape.length];
            for (int k = 0; k < shape.length; k++) {
                Dim d = type.dims.get(k);
                shape[k] = d.value >= 0 ? d.value : -1;
                dimNames[k] = d.param;
            }
        }
        return new ValueSpec(name, type.text(), tensor ? elementTypeName(type.elemType) : null, tensor, seqOfMaps,
                shape, dimNames);
    }

    // TypeProto: tensor_type 1, sequence_type 4, map_type 5, optional_type 9, sparse_tensor_type 8.
    private Type type(int depth) throws IOException, Malformed {
        if (depth > MAX_GRAPH_DEPTH) {
            throw new Malformed("a type is nested more than " + MAX_GRAPH_DEPTH + " deep");
        }
        int old = begin();
        Type t = new Type();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TypeProto.tensor_type");
                    t.kind = TypeKind.TENSOR;
                    tensorType(t);
                    break;
                case 8:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TypeProto.sparse_tensor_type");
                    t.kind = TypeKind.SPARSE_TENSOR;
                    tensorType(t);
                    break;
                case 4:
                case 9: {
                    boolean seq = WireFormat.getTagFieldNumber(tag) == 4;
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED,
                            seq ? "TypeProto.sequence_type" : "TypeProto.optional_type");
                    t.kind = seq ? TypeKind.SEQUENCE : TypeKind.OPTIONAL;
                    int o = begin();
                    while (!in.isAtEnd()) {
                        int f = in.readTag();
                        if (WireFormat.getTagFieldNumber(f) == 1) {
                            expect(f, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TypeProto elem_type");
                            t.element = type(depth + 1);
                        } else {
                            skip(f);
                        }
                    }
                    in.popLimit(o);
                    break;
                }
                case 5: {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TypeProto.map_type");
                    t.kind = TypeKind.MAP;
                    int o = begin();
                    while (!in.isAtEnd()) {
                        int f = in.readTag();
                        int field = WireFormat.getTagFieldNumber(f);
                        if (field == 1) {
                            expect(f, WireFormat.WIRETYPE_VARINT, "TypeProto.Map.key_type");
                            t.elemType = in.readInt32();
                        } else if (field == 2) {
                            expect(f, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TypeProto.Map.value_type");
                            t.element = type(depth + 1);
                        } else {
                            skip(f);
                        }
                    }
                    in.popLimit(o);
                    break;
                }
                default:
                    skip(tag);
                    break;
            }
        }
        in.popLimit(old);
        return t;
    }

    // TypeProto.Tensor / SparseTensor: elem_type 1, shape 2 {dim 1 {dim_value 1, dim_param 2}}
    private void tensorType(Type t) throws IOException, Malformed {
        int old = begin();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == 1) {
                expect(tag, WireFormat.WIRETYPE_VARINT, "TypeProto.Tensor.elem_type");
                t.elemType = in.readInt32();
            } else if (field == 2) {
                expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TypeProto.Tensor.shape");
                if (t.dims == null) {
                    t.dims = new ArrayList<>();
                }
                int o = begin();
                while (!in.isAtEnd()) {
                    int d = in.readTag();
                    if (WireFormat.getTagFieldNumber(d) == 1) {
                        expect(d, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TensorShapeProto.dim");
                        t.dims.add(dim());
                    } else {
                        skip(d);
                    }
                }
                in.popLimit(o);
            } else {
                skip(tag);
            }
        }
        in.popLimit(old);
    }

    private Dim dim() throws IOException, Malformed {
        int old = begin();
        Dim d = new Dim();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == 1) {
                expect(tag, WireFormat.WIRETYPE_VARINT, "Dimension.dim_value");
                d.value = in.readInt64();
                d.param = null;
            } else if (field == 2) {
                expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "Dimension.dim_param");
                String p = in.readStringRequireUtf8();
                d.param = p.isEmpty() ? null : p;
                d.value = -1;
            } else {
                skip(tag);
            }
        }
        in.popLimit(old);
        return d;
    }

    final String[] stringPair(String what) throws IOException, Malformed {
        int old = begin();
        String key = "";
        String value = "";
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == 1) {
                expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, what + ".key");
                key = in.readStringRequireUtf8();
            } else if (field == 2) {
                expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, what + ".value");
                value = in.readStringRequireUtf8();
            } else {
                skip(tag);
            }
        }
        in.popLimit(old);
        return new String[] {key, value};
    }

    /** Reads a length and bounds the stream to it; returns the previous limit for popLimit. */
    final int begin() throws IOException {
        int length = in.readRawVarint32();
        return in.pushLimit(length);
    }

    final void skip(int tag) throws IOException, Malformed {
        if (!in.skipField(tag)) {
            throw new Malformed("an unexpected end-group tag (field " + WireFormat.getTagFieldNumber(tag)
                    + ") near byte " + in.getTotalBytesRead());
        }
    }

    final void expect(int tag, int wireType, String field) throws Malformed {
        int found = WireFormat.getTagWireType(tag);
        if (found != wireType) {
            throw new Malformed(field + " has protobuf wire type " + found + "; expected " + wireType);
        }
    }

    private enum TypeKind { UNKNOWN, TENSOR, SPARSE_TENSOR, SEQUENCE, MAP, OPTIONAL }

    private static final class Type {
        TypeKind kind = TypeKind.UNKNOWN;
        /** Tensor element type, or a map's key type. */
        int elemType;
        List<Dim> dims;
        /** A sequence's or optional's element type, or a map's value type. */
        Type element;

        String text() {
            switch (kind) {
                case TENSOR:
                    return "tensor(" + elementTypeName(elemType) + ")";
                case SPARSE_TENSOR:
                    return "sparse_tensor(" + elementTypeName(elemType) + ")";
                case SEQUENCE:
                    return "seq(" + (element == null ? "unknown" : element.text()) + ")";
                case OPTIONAL:
                    return "optional(" + (element == null ? "unknown" : element.text()) + ")";
                case MAP:
                    return "map(" + elementTypeName(elemType) + "," + (element == null ? "unknown" : element.text())
                            + ")";
                default:
                    return "unknown";
            }
        }
    }

    private static final class Dim {
        long value = -1;
        String param;
    }

    private static final String[] ELEMENT_TYPES = {
        "undefined", "float", "uint8", "int8", "uint16", "int16", "int32", "int64", "string", "bool", "float16",
        "double", "uint32", "uint64", "complex64", "complex128", "bfloat16", "float8e4m3fn", "float8e4m3fnuz",
        "float8e5m2", "float8e5m2fnuz", "uint4", "int4", "float4e2m1"};

    /** The ONNX name of TensorProto.DataType {@code code}: 1 float, 7 int64, 11 double, .... */
    static String elementTypeName(int code) {
        return code >= 0 && code < ELEMENT_TYPES.length ? ELEMENT_TYPES[code] : "elem_type(" + code + ")";
    }
}
