package io.github.logits4j.onnx;

import io.github.logits4j.FloatMatrix;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A batch of named model inputs: float features, or integer tensors such as token ids and attention masks. An
 * input's batch axis is its first dimension unless {@link Builder#batchAxis} says otherwise (a recurrent state shaped
 * {@code [2, batch, 128]}, in the model's own layout); an input with no batch axis (a sample rate given as a scalar)
 * is added with {@link Builder#constant} and fed whole to every run. All batched inputs of one batch have the same
 * number of rows. The arrays are not copied when added: do not change them until the run that reads them has
 * returned.
 *
 * <pre>{@code
 * Inputs features = Inputs.of("pixels", FloatMatrix.wrap(pixels, n, 64));
 * Inputs tokens = Inputs.builder()
 *         .add("input_ids", ids, n, 12)            // long[] of n * 12 token ids
 *         .add("attention_mask", mask, n, 12)
 *         .build();
 * Inputs vad = Inputs.builder()                    // Silero VAD: audio [n, 576], state [2, n, 128], sr []
 *         .add("input", audio, n, 576)
 *         .add("state", state, 2, n, 128).batchAxis("state", 1)
 *         .constant("sr", new long[] {16000})
 *         .build();
 * }</pre>
 *
 * <p>Immutable once built; safe to share between threads.
 */
public final class Inputs {
    /** The batch axis of an input given once, whole, to every run ({@link Builder#constant}). */
    public static final int NO_BATCH_AXIS = -1;

    /** One input: its data (float[] window, long[] or int[]), shape, and batch axis ({@link #NO_BATCH_AXIS}). */
    static final class Tensor {
        final String name;
        final long[] shape;
        final FloatMatrix floats;
        final float[] floatArray;
        final long[] longs;
        final int[] ints;
        final int batchAxis;

        Tensor(String name, long[] shape, FloatMatrix floats, float[] floatArray, long[] longs, int[] ints,
                int batchAxis) {
            this.name = name;
            this.shape = shape;
            this.floats = floats;
            this.floatArray = floatArray;
            this.longs = longs;
            this.ints = ints;
            this.batchAxis = batchAxis;
        }

        Tensor withBatchAxis(int axis) {
            return new Tensor(name, shape, floats, floatArray, longs, ints, axis);
        }

        boolean isFloat() {
            return floats != null || floatArray != null;
        }

        boolean batched() {
            return batchAxis != NO_BATCH_AXIS;
        }

        String elementType() {
            return isFloat() ? "float" : longs != null ? "int64" : "int32";
        }

        /** The rows: the size of the batch axis. */
        long rows() {
            return shape[batchAxis];
        }

        /** Elements before the batch axis: how many blocks of rows the data holds (1 when the batch is first). */
        long outer() {
            long s = 1;
            for (int i = 0; i < batchAxis; i++) {
                s *= shape[i];
            }
            return s;
        }

        /** Elements of one row within one block: the product of the dimensions after the batch axis. */
        long inner() {
            long s = 1;
            for (int i = batchAxis + 1; i < shape.length; i++) {
                s *= shape[i];
            }
            return s;
        }

        /** Elements per row of the batch: {@code outer() * inner()}. */
        long rowSize() {
            return outer() * inner();
        }

        /** All elements. */
        int size() {
            long s = 1;
            for (long d : shape) {
                s *= d;
            }
            return (int) s;
        }
    }

    private final Map<String, Tensor> tensors;
    private final int rows;
    private final long firstRow;
    private final long @Nullable [] rowIds;

    private Inputs(Map<String, Tensor> tensors, int rows, long firstRow, long @Nullable [] rowIds) {
        this.rowIds = rowIds;
        this.tensors = tensors;
        this.rows = rows;
        this.firstRow = firstRow;
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

    /**
     * The index of this batch's first row in the data set it comes from (0 unless {@link Builder#firstRow} set it).
     * Errors about a row name {@code firstRow() + r}, the row of the data set, not of the batch.
     */
    public long firstRow() {
        return firstRow;
    }

    /**
     * The identity of row {@code r} of the batch, from which randomized prediction sets draw their uniform
     * ({@code ConformalCalibrator.uniform(seed, id)}): the ids given to {@link Builder#rowIds}, or
     * {@code firstRow() + r}.
     */
    public long rowId(int r) {
        return rowIds != null ? rowIds[r] : firstRow + r;
    }

    /** The first infinite or NaN float input value of batch row {@code row}, as text, or null. */
    @Nullable String firstNonFinite(int row) {
        for (Tensor t : tensors.values()) {
            if (!t.isFloat() || !t.batched()) {
                continue;
            }
            long outer = t.outer();
            long inner = t.inner();
            long rows = t.rows();
            for (long o = 0; o < outer; o++) {
                for (long i = 0; i < inner; i++) {
                    long index = (o * rows + row) * inner + i;
                    float v = t.floatArray != null ? t.floatArray[(int) index]
                            : t.floats.get(row, (int) (o * inner + i));
                    if (!Float.isFinite(v)) {
                        return "input '" + t.name + "' holds " + v + " at row " + (firstRow + row) + ", column "
                                + (o * inner + i)
                                + " (the model cannot score a non-finite feature)";
                    }
                }
            }
        }
        return null;
    }

    /** The input names, in the order they were added. */
    public java.util.Set<String> names() {
        return tensors.keySet();
    }

    /**
     * The batch axis of input {@code name}: 0 unless {@link Builder#batchAxis} moved it, {@link #NO_BATCH_AXIS} for a
     * constant.
     *
     * @throws IllegalArgumentException if there is no such input
     */
    public int batchAxis(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no input '" + name + "'; the inputs are " + tensors.keySet());
        }
        return t.batchAxis;
    }

    /** The shape of input {@code name} (a copy), or null if there is no such input. */
    public long @Nullable [] shape(String name) {
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
            if (t.batchAxis != 0) {
                sb.append(t.batched() ? " (batch axis " + t.batchAxis + ")" : " (constant)");
            }
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
        private final Map<String, Integer> batchAxes = new LinkedHashMap<>();
        private long firstRow;
        private long @Nullable [] rowIds;

        private Builder() {
        }

        /** A float input {@code [N × F]} read from {@code features} (array- or buffer-backed, not copied). */
        public Builder add(String name, FloatMatrix features) {
            Objects.requireNonNull(features, "features");
            return put(new Tensor(name, new long[] {features.rows(), features.cols()}, features, null, null, null, 0));
        }

        /** A float input of any rank, row-major, first dimension the batch (e.g. images {@code [N, 3, 224, 224]}). */
        public Builder add(String name, float[] data, long... shape) {
            check(name, data.length, shape);
            return put(new Tensor(name, shape.clone(), null, data, null, null, 0));
        }

        /** An int64 input (token ids, masks), row-major, first dimension the batch. */
        public Builder add(String name, long[] data, long... shape) {
            check(name, data.length, shape);
            return put(new Tensor(name, shape.clone(), null, null, data, null, 0));
        }

        /** An int32 input, row-major, first dimension the batch (widened to int64 if the model wants int64). */
        public Builder add(String name, int[] data, long... shape) {
            check(name, data.length, shape);
            return put(new Tensor(name, shape.clone(), null, null, null, data, 0));
        }

        /**
         * A float input with no batch axis, fed whole to every run (its shape may be empty: a scalar).
         *
         * @throws IllegalArgumentException if the data does not fill the shape
         */
        public Builder constant(String name, float[] data, long... shape) {
            checkConstant(name, data.length, shape);
            return put(new Tensor(name, shape.clone(), null, data, null, null, NO_BATCH_AXIS));
        }

        /** An int64 input with no batch axis (a sample rate, a sequence length), fed whole to every run. */
        public Builder constant(String name, long[] data, long... shape) {
            checkConstant(name, data.length, shape);
            return put(new Tensor(name, shape.clone(), null, null, data, null, NO_BATCH_AXIS));
        }

        /** An int32 input with no batch axis, fed whole to every run. */
        public Builder constant(String name, int[] data, long... shape) {
            checkConstant(name, data.length, shape);
            return put(new Tensor(name, shape.clone(), null, null, null, data, NO_BATCH_AXIS));
        }

        /**
         * The batch axis of input {@code name} (added before or after this call), when it is not the first: the data
         * is in the model's own layout, for example a state {@code [2, batch, 128]} has batch axis 1.
         *
         * @throws IllegalArgumentException if {@code axis} is negative, or the axis was already set
         */
        public Builder batchAxis(String name, int axis) {
            Objects.requireNonNull(name, "name");
            if (axis < 0) {
                throw new IllegalArgumentException("batch axis of input '" + name + "' must be >= 0; found " + axis
                        + " (add an input with no batch axis with constant(...))");
            }
            if (batchAxes.putIfAbsent(name, axis) != null) {
                throw new IllegalArgumentException("the batch axis of input '" + name + "' was set twice");
            }
            return this;
        }

        /** Checks that {@code length} values fill {@code shape} exactly, its dimensions non-negative. */
        private static void checkConstant(String name, int length, long[] shape) {
            Objects.requireNonNull(name, "name");
            long n = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("input '" + name + "' has shape " + Arrays.toString(shape)
                            + "; expected dimensions >= 0");
                }
                n = Math.multiplyExact(n, d);
            }
            if (n != length) {
                throw new IllegalArgumentException("input '" + name + "' has " + length + " values; its shape "
                        + Arrays.toString(shape) + " needs " + n);
            }
        }

        private static void check(String name, int length, long[] shape) {
            Objects.requireNonNull(name, "name");
            if (shape.length < 1) {
                throw new IllegalArgumentException("input '" + name + "' needs a shape whose first dimension is the"
                        + " batch; found " + Arrays.toString(shape) + " (add an input without one with constant(...))");
            }
            checkConstant(name, length, shape);
        }

        private Builder put(Tensor t) {
            Objects.requireNonNull(t.name, "name");
            if (tensors.putIfAbsent(t.name, t) != null) {
                throw new IllegalArgumentException("input '" + t.name + "' was added twice");
            }
            return this;
        }

        /**
         * The index of the batch's first row in its data set (default 0), so that errors name rows of the data set.
         *
         * @throws IllegalArgumentException if {@code row} is negative
         */
        public Builder firstRow(long row) {
            if (row < 0) {
                throw new IllegalArgumentException("first row must not be negative; found " + row);
            }
            this.firstRow = row;
            return this;
        }

        /**
         * Each row's identity for randomized prediction sets ({@link Inputs#rowId}), one per row (copied); without,
         * the rows are numbered from {@link #firstRow}. A Spark partition gives its rows ids that do not collide with
         * other partitions', or those of a row-id column.
         */
        public Builder rowIds(long[] ids) {
            this.rowIds = ids.clone();
            return this;
        }

        /**
         * The batch.
         *
         * @throws IllegalArgumentException if no batched input was added, a batch axis names no input or lies outside
         *     its shape, or the batched inputs disagree on the number of rows
         */
        public Inputs build() {
            if (tensors.isEmpty()) {
                throw new IllegalArgumentException("a batch needs at least one input");
            }
            Map<String, Tensor> all = new LinkedHashMap<>();
            for (Tensor t : tensors.values()) {
                Integer axis = batchAxes.get(t.name);
                if (axis != null && !t.batched()) {
                    throw new IllegalArgumentException("input '" + t.name + "' was added as a constant (no batch"
                            + " axis); a batch axis " + axis + " was also set for it");
                }
                if (axis != null && axis != 0 && t.floats != null) {
                    throw new IllegalArgumentException("input '" + t.name + "' is a [rows x columns] FloatMatrix,"
                            + " whose batch axis is 0; found batch axis " + axis + " (add it as a float[] with its"
                            + " shape)");
                }
                all.put(t.name, axis == null ? t : t.withBatchAxis(axis));
            }
            for (String name : batchAxes.keySet()) {
                if (!tensors.containsKey(name)) {
                    throw new IllegalArgumentException("a batch axis was set for input '" + name + "', which was not"
                            + " added; the inputs are " + tensors.keySet());
                }
            }
            long rows = -1;
            String first = null;
            for (Tensor t : all.values()) {
                if (!t.batched()) {
                    continue;
                }
                if (t.batchAxis >= t.shape.length) {
                    throw new IllegalArgumentException("input '" + t.name + "' has shape " + Arrays.toString(t.shape)
                            + "; its batch axis " + t.batchAxis + " is outside it");
                }
                if (t.rows() > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("input '" + t.name + "' has " + t.rows() + " rows; at most "
                            + Integer.MAX_VALUE + " per batch");
                }
                if (rows < 0) {
                    rows = t.rows();
                    first = t.name;
                } else if (t.rows() != rows) {
                    throw new IllegalArgumentException("input '" + t.name + "' has " + t.rows() + " rows"
                            + (t.batchAxis == 0 ? "" : " (axis " + t.batchAxis + " of " + Arrays.toString(t.shape)
                            + ")") + "; expected " + rows + " like input '" + first + "'");
                }
            }
            if (rows < 0) {
                throw new IllegalArgumentException("a batch needs at least one input with a batch axis; found only"
                        + " constants " + all.keySet());
            }
            if (rowIds != null && rowIds.length != rows) {
                throw new IllegalArgumentException(rowIds.length + " row ids for " + rows + " rows");
            }
            return new Inputs(Collections.unmodifiableMap(all), (int) rows, firstRow, rowIds);
        }
    }
}
