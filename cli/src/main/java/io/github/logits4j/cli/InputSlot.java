package io.github.logits4j.cli;

import io.github.logits4j.onnx.ValueSpec;
import java.util.Arrays;

/**
 * One model input and the shape of its rows once a data file is bound to it: float inputs are read as float32,
 * int64 and int32 inputs as integers. A file whose rows have the model's shape is used as it is; one whose rows hold
 * the same number of values as the model's fixed row shape is reshaped to it (64 columns for {@code [batch, 8, 8]});
 * anything else is a {@link DataException} naming the file, the input and both shapes.
 *
 * <pre>{@code
 * InputSlot pixels = InputSlot.bind(spec, new long[] {360, 64}, "x.npy");
 * pixels.rowSize();   // 64
 * }</pre>
 */
final class InputSlot {
    private final String name;
    private final boolean integral;
    private final long[] rowShape;
    private final int rowSize;

    private InputSlot(String name, boolean integral, long[] rowShape) {
        this.name = name;
        this.integral = integral;
        this.rowShape = rowShape;
        long size = 1;
        for (long d : rowShape) {
            size *= d;
        }
        this.rowSize = (int) size;
    }

    /**
     * Binds {@code spec} to a file whose data has {@code fileShape} (first dimension the rows; for a CSV file
     * {@code [rows, columns]} with rows unknown as -1); {@code what} describes the file's data in the message
     * ({@code "shape [114, 30]"}, {@code "feature columns"}).
     *
     * @throws DataException if the model input's element type cannot be fed or the shapes do not fit
     */
    static InputSlot bind(ValueSpec spec, long[] fileShape, String file, String what) {
        String type = spec.elementType();
        boolean integral;
        if ("float".equals(type)) {
            integral = false;
        } else if ("int64".equals(type) || "int32".equals(type)) {
            integral = true;
        } else {
            throw new DataException(file + ": the model's input '" + spec.name() + "' is " + spec.type()
                    + "; logits4j feeds float, int64 and int32 tensors");
        }
        if (fileShape.length < 1) {
            throw new DataException(file + ": a 0-d array has no rows; expected [N, ...] for the model's input '"
                    + spec.name() + "'");
        }
        long[] fileRow = Arrays.copyOfRange(fileShape, 1, fileShape.length);
        long[] model = spec.shape();
        if (model == null) {
            return new InputSlot(spec.name(), integral, fileRow);
        }
        if (model.length == 0) {
            throw new DataException(file + ": the model's input '" + spec.name() + "' is a scalar; expected a tensor"
                    + " whose first dimension is the batch");
        }
        long[] modelRow = Arrays.copyOfRange(model, 1, model.length);
        if (fits(modelRow, fileRow)) {
            return new InputSlot(spec.name(), integral, fileRow);
        }
        boolean fixed = true;
        for (long d : modelRow) {
            fixed &= d >= 0;
        }
        if (fixed && product(modelRow) == product(fileRow)) {
            return new InputSlot(spec.name(), integral, modelRow);
        }
        String modelType = spec.elementType() + describe(model, spec.dimNames());
        String expected = fixed ? product(modelRow) + " values per row" : "rows of shape " + describe(modelRow, null);
        String found = fileRow.length == 1 || fixed ? product(fileRow) + "" : "rows of shape " + describe(fileRow, null);
        throw new DataException(file + ": the model's input '" + spec.name() + "' " + modelType + " expects " + expected
                + "; found " + found + " (" + what + ")");
    }

    private static boolean fits(long[] model, long[] file) {
        if (model.length != file.length) {
            return false;
        }
        for (int i = 0; i < model.length; i++) {
            if (model[i] >= 0 && model[i] != file[i]) {
                return false;
            }
        }
        return true;
    }

    private static long product(long[] dims) {
        long p = 1;
        for (long d : dims) {
            p *= d;
        }
        return p;
    }

    /** {@code [batch, 64]}: fixed sizes, dimension names, or {@code ?}. */
    static String describe(long[] dims, String[] names) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            String dim = dims[i] >= 0 ? Long.toString(dims[i])
                    : names != null && names[i] != null ? names[i] : "?";
            sb.append(i == 0 ? "" : ", ").append(dim);
        }
        return sb.append(']').toString();
    }

    /** The model input's name. */
    String name() {
        return name;
    }

    /** Whether the input takes integers (int64 or int32) rather than floats. */
    boolean integral() {
        return integral;
    }

    /** Values per row. */
    int rowSize() {
        return rowSize;
    }

    /** The shape of {@code rows} rows: {@code [rows, ...row shape]}. */
    long[] shape(int rows) {
        long[] s = new long[rowShape.length + 1];
        s[0] = rows;
        System.arraycopy(rowShape, 0, s, 1, rowShape.length);
        return s;
    }
}
