package io.github.logits4j.onnx;

import ai.onnxruntime.OnnxJavaType;
import java.util.Locale;

/**
 * A model input as ONNX Runtime reports it (name, element type, shape with -1 for dynamic dimensions), with its batch
 * axis as the graph's dimension names tell it ({@link Inputs#NO_BATCH_AXIS} for an input given once).
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
    final long[] shape;
    final int batchAxis;

    InputSpec(String name, OnnxJavaType type, long[] shape, int batchAxis) {
        this.name = name;
        this.type = type;
        this.shape = shape;
        this.batchAxis = batchAxis;
    }

    /** The number of elements of a fully fixed shape, or -1 when a dimension is dynamic. */
    long fixedSize() {
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
