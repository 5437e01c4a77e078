package io.github.logits4j.onnx;

import ai.onnxruntime.OnnxJavaType;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A model input as the graph describes it (name, element type, shape with -1 for dynamic dimensions) with its batch
 * axis as the graph's dimension names tell it ({@link Inputs#NO_BATCH_AXIS} for an input given once): the one
 * description of the inputs that batches are checked against.
 *
 * <pre>{@code
 * InputSpec s = new InputSpec("pixels", OnnxJavaType.FLOAT, new long[] {-1, 64}, 0);
 * s.describe();                                    // "float[?, 64]"
 * }</pre>
 *
 * <p>Immutable by convention: nothing writes its fields after construction.
 */
final class InputSpec {
    final String name;
    final OnnxJavaType type;
    /** The dimensions, -1 where dynamic; null when the graph declares no shape (then only the type is checked). */
    final long @Nullable [] shape;
    final int batchAxis;

    InputSpec(String name, OnnxJavaType type, long @Nullable [] shape, int batchAxis) {
        this.name = name;
        this.type = type;
        this.shape = shape;
        this.batchAxis = batchAxis;
    }

    /** The graph's tensor input {@code v} with its batch axis (a shape the graph does not give stays null). */
    static InputSpec of(ValueSpec v, int batchAxis) {
        String element = v.elementType();
        OnnxJavaType type = element == null ? OnnxJavaType.UNKNOWN : switch (element) {
            case "float" -> OnnxJavaType.FLOAT;
            case "double" -> OnnxJavaType.DOUBLE;
            case "int64" -> OnnxJavaType.INT64;
            case "int32" -> OnnxJavaType.INT32;
            case "int16" -> OnnxJavaType.INT16;
            case "int8" -> OnnxJavaType.INT8;
            case "uint8" -> OnnxJavaType.UINT8;
            case "bool" -> OnnxJavaType.BOOL;
            case "string" -> OnnxJavaType.STRING;
            case "float16" -> OnnxJavaType.FLOAT16;
            case "bfloat16" -> OnnxJavaType.BFLOAT16;
            default -> OnnxJavaType.UNKNOWN;
        };
        return new InputSpec(v.name(), type, v.shape(), batchAxis);
    }

    /** The number of elements of a fully fixed shape, or -1 when a dimension is dynamic. */
    long fixedSize() {
        if (shape == null) {
            return -1;
        }
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                return -1;
            }
            n *= d;
        }
        return n;
    }

    /** {@code float[?, 64]}: the element type and the shape. */
    String describe() {
        return type.name().toLowerCase(Locale.ROOT) + ValueSpec.formatShape(shape, null);
    }
}
