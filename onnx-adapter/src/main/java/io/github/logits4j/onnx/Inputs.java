package io.github.logits4j.onnx;

import io.github.logits4j.FloatMatrix;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A batch of named model inputs: float features, or integer tensors such as token ids and attention masks. Every
 * input's first dimension is the batch; all inputs of one batch have the same number of rows. The arrays are not
 * copied when added: do not change them until the run that reads them has returned.
 *
 * <pre>{@code
 * Inputs features = Inputs.of("pixels", FloatMatrix.wrap(pixels, n, 64));
 * Inputs tokens = Inputs.builder()
 *         .add("input_ids", ids, n, 12)            // long[] of n * 12 token ids
 *         .add("attention_mask", mask, n, 12)
 *         .build();
 * }</pre>
 *
 * <p>Immutable once built; safe to share between threads.
 */
public final class Inputs {
    /** One input: its data (float[] window, long[] or int[]) and shape. */
    static final class Tensor {
        final String name;
        final long[] shape;
        final FloatMatrix floats;
        final float[] floatArray;
        final long[] longs;
        final int[] ints;

        Tensor(String name, long[] shape, FloatMatrix floats, float[] floatArray, long[] longs, int[] ints) {
            this.name = name;
            this.shape = shape;
            this.floats = floats;
            this.floatArray = floatArray;
            this.longs = longs;
            this.ints = ints;
        }

        boolean isFloat() {
            return floats != null || floatArray != null;
        }

        String elementType() {
            return isFloat() ? "float" : longs != null ? "int64" : "int32";
        }

        long rowSize() {
            long s = 1;
            for (int i = 1; i < shape.length; i++) {
                s *= shape[i];
            }
            return s;
        }
    }

    private final Map<String, Tensor> tensors;
    private final int rows;

    private Inputs(Map<String, Tensor> tensors, int rows) {
        this.tensors = tensors;
        this.rows = rows;
    }

    /** One float input {@code [N × F]}, the common case of a feature-vector classifier. */
    public static Inputs of(String name, FloatMatrix features) {
        return builder().add(name, features).build();
    }

    /** A builder of named inputs. */
    public static Builder builder() {
        return new Builder();
    }

    /** The number of rows (the batch size). */
    public int rows() {
        return rows;
    }

    /** The input names, in the order they were added. */
    public java.util.Set<String> names() {
        return tensors.keySet();
    }

    /** The shape of input {@code name} (a copy), or null if there is no such input. */
    public long[] shape(String name) {
        Tensor t = tensors.get(name);
        return t == null ? null : t.shape.clone();
    }

    Map<String, Tensor> tensors() {
        return tensors;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Inputs[");
        for (Tensor t : tensors.values()) {
            if (sb.length() > 7) {
                sb.append(", ");
            }
            sb.append(t.name).append(": ").append(t.elementType()).append(Arrays.toString(t.shape));
        }
        return sb.append(']').toString();
    }

    /**
     * Adds named inputs; each add validates its shape at once, {@link #build()} the row counts.
     *
     * <pre>{@code
     * Inputs in = Inputs.builder().add("input_ids", ids, n, 12).add("attention_mask", mask, n, 12).build();
     * }</pre>
     */
    public static final class Builder {
        private final Map<String, Tensor> tensors = new LinkedHashMap<>();

        private Builder() {
        }

        /** A float input {@code [N × F]} read from {@code features} (array- or buffer-backed, not copied). */
        public Builder add(String name, FloatMatrix features) {
            Objects.requireNonNull(features, "features");
            return put(new Tensor(name, new long[] {features.rows(), features.cols()}, features, null, null, null));
        }

        /** A float input of any rank, row-major, first dimension the batch (e.g. images {@code [N, 3, 224, 224]}). */
        public Builder add(String name, float[] data, long... shape) {
            check(name, data.length, shape);
            return put(new Tensor(name, shape.clone(), null, data, null, null));
        }

        /** An int64 input (token ids, masks), row-major, first dimension the batch. */
        public Builder add(String name, long[] data, long... shape) {
            check(name, data.length, shape);
            return put(new Tensor(name, shape.clone(), null, null, data, null));
        }

        /** An int32 input, row-major, first dimension the batch (widened to int64 if the model wants int64). */
        public Builder add(String name, int[] data, long... shape) {
            check(name, data.length, shape);
            return put(new Tensor(name, shape.clone(), null, null, null, data));
        }

        private static void check(String name, int length, long[] shape) {
            Objects.requireNonNull(name, "name");
            if (shape.length < 1) {
                throw new IllegalArgumentException("input '" + name + "' needs a shape whose first dimension is the"
                        + " batch; found " + Arrays.toString(shape));
            }
            long n = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("input '" + name + "' has shape " + Arrays.toString(shape)
                            + "; expected dimensions >= 0");
                }
                n *= d;
            }
            if (n != length) {
                throw new IllegalArgumentException("input '" + name + "' has " + length + " values; its shape "
                        + Arrays.toString(shape) + " needs " + n);
            }
            if (shape[0] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("input '" + name + "' has " + shape[0] + " rows; at most "
                        + Integer.MAX_VALUE + " per batch");
            }
        }

        private Builder put(Tensor t) {
            Objects.requireNonNull(t.name, "name");
            if (tensors.putIfAbsent(t.name, t) != null) {
                throw new IllegalArgumentException("input '" + t.name + "' was added twice");
            }
            return this;
        }

        /**
         * The batch.
         *
         * @throws IllegalArgumentException if no input was added or the inputs disagree on the number of rows
         */
        public Inputs build() {
            if (tensors.isEmpty()) {
                throw new IllegalArgumentException("a batch needs at least one input");
            }
            long rows = -1;
            String first = null;
            for (Tensor t : tensors.values()) {
                if (rows < 0) {
                    rows = t.shape[0];
                    first = t.name;
                } else if (t.shape[0] != rows) {
                    throw new IllegalArgumentException("input '" + t.name + "' has " + t.shape[0] + " rows; expected "
                            + rows + " like input '" + first + "'");
                }
            }
            return new Inputs(Collections.unmodifiableMap(new LinkedHashMap<>(tensors)), (int) rows);
        }
    }
}
