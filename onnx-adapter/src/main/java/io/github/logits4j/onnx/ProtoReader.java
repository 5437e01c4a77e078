package io.github.logits4j.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The protobuf side of reading an ONNX file: the stream, the bounded reading of nested messages, the wire-type checks,
 * and the messages that describe values ({@code ValueInfoProto}, {@code TypeProto}), turned into {@link ValueSpec}s,
 * and tensors ({@code TensorProto}: the name, and the values of a small numeric one, which head detection reasons
 * with). {@link GraphReader} adds the model, graph, node and attribute messages.
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
    /** The most elements of a constant tensor whose values are read (larger ones are skipped). */
    static final int MAX_CONSTANT_VALUES = 64;

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

    /** A TensorProto's name and, for a small numeric tensor, its values. */
    static final class Tensor {
        String name;
        double[] values;
        /** The dims (TensorProto field 1), or null when none are written. */
        long[] dims;
    }

    /**
     * A TensorProto (name, field 8); its values too when it is numeric and has at most {@link #MAX_CONSTANT_VALUES}
     * elements (small constants: scales, axes, counts, which the head detector reasons with). Larger data is skipped,
     * not read.
     */
    final Tensor tensor() throws IOException, Malformed {
        int old = begin();
        Tensor t = new Tensor();
        int type = 0;
        byte[] raw = null;
        List<Double> listed = new ArrayList<>();
        boolean tooMany = false;
        boolean external = false;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = WireFormat.getTagFieldNumber(tag);
            int wire = WireFormat.getTagWireType(tag);
            switch (field) {
                case 8:
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TensorProto.name");
                    t.name = in.readStringRequireUtf8();
                    break;
                case 1: {
                    List<Long> dims = new ArrayList<>();
                    if (t.dims != null) {
                        for (long d : t.dims) {
                            dims.add(d);
                        }
                    }
                    if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        int o = in.pushLimit(in.readRawVarint32());
                        while (!in.isAtEnd()) {
                            dims.add(in.readInt64());
                        }
                        in.popLimit(o);
                    } else {
                        dims.add(in.readInt64());
                    }
                    if (dims.size() > 16) {
                        throw new Malformed("a tensor has " + dims.size() + " dims");
                    }
                    t.dims = new long[dims.size()];
                    for (int i = 0; i < t.dims.length; i++) {
                        t.dims[i] = dims.get(i);
                    }
                    break;
                }
                case 2:
                    expect(tag, WireFormat.WIRETYPE_VARINT, "TensorProto.data_type");
                    type = in.readInt32();
                    break;
                case 9: {
                    expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TensorProto.raw_data");
                    int length = in.readRawVarint32();
                    if (length <= MAX_CONSTANT_VALUES * Double.BYTES) {
                        raw = in.readRawBytes(length);
                    } else {
                        in.skipRawBytes(length);
                        tooMany = true;
                    }
                    break;
                }
                case 4: case 5: case 7: case 10: {
                    if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        int length = in.readRawVarint32();
                        if (length > MAX_CONSTANT_VALUES * Double.BYTES || tooMany) {
                            in.skipRawBytes(length);
                            tooMany = true;
                            break;
                        }
                        int o = in.pushLimit(length);
                        while (!in.isAtEnd()) {
                            listed.add(readNumber(field));
                        }
                        in.popLimit(o);
                    } else {
                        listed.add(readNumber(field));
                    }
                    tooMany |= listed.size() > MAX_CONSTANT_VALUES;
                    break;
                }
                case 14:
                    external = true;
                    skip(tag);
                    break;
                default:
                    skip(tag);
                    break;
            }
        }
        in.popLimit(old);
        if (!tooMany && !external) {
            t.values = raw != null ? rawValues(raw, type) : listed.isEmpty() ? null : unbox(listed);
        }
        return t;
    }

    /** One element of float_data (4), int32_data (5), int64_data (7) or double_data (10). */
    private double readNumber(int field) throws IOException {
        return switch (field) {
            case 4 -> in.readFloat();
            case 10 -> in.readDouble();
            case 7 -> in.readInt64();
            default -> in.readInt32();
        };
    }

    private static double[] unbox(List<Double> list) {
        double[] d = new double[list.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = list.get(i);
        }
        return d;
    }

    /** raw_data (little-endian) of a float, double, int32, int64, int8/uint8 or bool tensor; null for other types. */
    private static double @Nullable [] rawValues(byte[] raw, int type) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int size = switch (type) {
            case 1, 6 -> 4;
            case 7, 11 -> 8;
            case 2, 3, 9 -> 1;
            default -> 0;
        };
        if (size == 0 || raw.length % size != 0) {
            return null;
        }
        double[] d = new double[raw.length / size];
        for (int i = 0; i < d.length; i++) {
            d[i] = switch (type) {
                case 1 -> b.getFloat(i * 4);
                case 6 -> b.getInt(i * 4);
                case 7 -> b.getLong(i * 8);
                case 11 -> b.getDouble(i * 8);
                case 2, 9 -> b.get(i) & 0xff;
                default -> b.get(i);
            };
        }
        return d;
    }
}
