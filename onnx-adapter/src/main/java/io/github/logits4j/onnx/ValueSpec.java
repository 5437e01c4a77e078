package io.github.logits4j.onnx;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One input or output of an ONNX model as the model file declares it: its name, its type and, for tensors, the element
 * type and the shape (fixed sizes, named dynamic dimensions, or unknown).
 *
 * <pre>{@code
 * ValueSpec in = model.inputs().get(0);
 * in.name();          // "pixels"
 * in.type();          // "tensor(float)"
 * in.elementType();   // "float"
 * in.shape();         // {-1, 64}: -1 for the dynamic batch dimension
 * in.dimNames();      // {"batch", null}
 * in.toString();      // "pixels: float[batch, 64]"
 *
 * ValueSpec zipMap = model.outputs().get(1);
 * zipMap.type();              // "seq(map(int64,tensor(float)))"
 * zipMap.isSequenceOfMaps();  // true: a scikit-learn ZipMap output
 * zipMap.elementType();       // null: not a tensor
 * }</pre>
 *
 * <p>Instances are immutable and safe to share between threads; the array accessors return copies.
 */
public final class ValueSpec {
    private final String name;
    private final String type;
    private final String elementType;
    private final boolean tensor;
    private final boolean sequenceOfMaps;
    private final long[] shape;
    private final String[] dimNames;

    /**
     * @param elementType the tensor element type name, null for non-tensors
     * @param shape       the dimensions, -1 where dynamic or unknown; null when the shape is unknown
     * @param dimNames    the symbolic names of the dimensions (null entries for unnamed ones); null when shape is null
     */
    ValueSpec(String name, String type, String elementType, boolean tensor, boolean sequenceOfMaps, long[] shape,
            String[] dimNames) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.elementType = elementType;
        this.tensor = tensor;
        this.sequenceOfMaps = sequenceOfMaps;
        if ((shape == null) != (dimNames == null) || (shape != null && shape.length != dimNames.length)) {
            throw new IllegalArgumentException("shape and dimNames must both be null or have the same length");
        }
        this.shape = shape == null ? null : shape.clone();
        this.dimNames = dimNames == null ? null : dimNames.clone();
    }

    /** The value's name in the graph, as passed to ONNX Runtime. */
    public String name() {
        return name;
    }

    /**
     * The type as text, in ONNX Runtime's notation: {@code "tensor(float)"}, {@code "tensor(int64)"},
     * {@code "seq(map(int64,tensor(float)))"}, {@code "map(string,tensor(float))"}, {@code "optional(tensor(float))"},
     * {@code "sparse_tensor(float)"}, or {@code "unknown"} when the file declares no type.
     */
    public String type() {
        return type;
    }

    /**
     * The element type of a tensor ({@code "float"}, {@code "double"}, {@code "int64"}, {@code "int32"},
     * {@code "bool"}, {@code "string"}, {@code "float16"}, {@code "bfloat16"}, ...), or null if the value is not a
     * tensor.
     */
    public @Nullable String elementType() {
        return elementType;
    }

    /** Whether the value is a dense tensor. */
    public boolean isTensor() {
        return tensor;
    }

    /** Whether the value is a sequence of maps, as a scikit-learn {@code ZipMap} probability output is. */
    public boolean isSequenceOfMaps() {
        return sequenceOfMaps;
    }

    /** The rank of a tensor whose shape is known, else -1. */
    public int rank() {
        return shape == null ? -1 : shape.length;
    }

    /**
     * A copy of the tensor's dimensions: the fixed size, or -1 for a dynamic or unknown dimension; null if the shape
     * itself is unknown (not declared, or not a tensor). A scalar has an empty shape.
     */
    public long @Nullable [] shape() {
        return shape == null ? null : shape.clone();
    }

    /**
     * A copy of the symbolic dimension names ({@code dim_param}, such as {@code "batch"}), with null entries for
     * fixed or unnamed dimensions; null if the shape is unknown.
     */
    public @Nullable String @Nullable [] dimNames() {
        return dimNames == null ? null : dimNames.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ValueSpec)) {
            return false;
        }
        ValueSpec v = (ValueSpec) o;
        return name.equals(v.name) && type.equals(v.type) && Arrays.equals(shape, v.shape)
                && Arrays.equals(dimNames, v.dimNames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(shape), Arrays.hashCode(dimNames));
    }

    /**
     * The value as text: {@code "pixels: float[batch, 64]"} for a tensor of known shape ({@code ?} marks an unknown
     * dimension, {@code "x: float[]"} a scalar), and {@code "name: type"} otherwise ({@code "x: tensor(float)"} when
     * the shape is unknown, {@code "probabilities: seq(map(int64,tensor(float)))"}).
     */
    @Override
    public String toString() {
        if (!tensor || shape == null) {
            return name + ": " + type;
        }
        return name + ": " + elementType + formatShape(shape, dimNames);
    }

    /**
     * A shape as logits4j's messages write it: {@code [batch, 64]}, each dimension its fixed size, else its name, else
     * {@code ?}; {@code unknown} for a null shape. The one formatter of shapes in the library.
     *
     * @param names the dimension names (null entries for unnamed ones), or null for none
     */
    public static String formatShape(long @Nullable [] dims, @Nullable String @Nullable [] names) {
        if (dims == null) {
            return "unknown";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            String dim = dims[i] >= 0 ? Long.toString(dims[i])
                    : names != null && names[i] != null ? names[i] : "?";
            sb.append(i == 0 ? "" : ", ").append(dim);
        }
        return sb.append(']').toString();
    }
}
