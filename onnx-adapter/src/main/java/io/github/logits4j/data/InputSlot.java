package io.github.logits4j.data;

import io.github.logits4j.onnx.Inputs;
import io.github.logits4j.onnx.ValueSpec;
import java.util.Arrays;

/**
 * One model input and the shape of its rows once a data file is bound to it: float inputs are read as float32,
 * int64 and int32 inputs as integers. Rows are taken along the input's batch axis, which is the first unless the
 * model's graph puts it elsewhere (a state {@code [2, batch, 128]}, read from a file in that same layout). A file whose
 * rows have the model's shape is used as it is; one whose rows hold the same number of values as the model's fixed
 * row shape is reshaped to it (64 columns for {@code [batch, 8, 8]}); an input the model takes once (no batch axis:
 * a scalar sample rate) is read whole, from a 0-d or fixed-shape file or a value on the command line, and fed to every
 * batch; anything else is a {@link DataException} naming the file, the input and both shapes.
 *
 * <pre>{@code
 * InputSlot pixels = InputSlot.bind(spec, 0, new long[] {360, 64}, "x.npy", "shape [360, 64]", "--inputs");
 * pixels.rowSize();   // 64
 * }</pre>
 */
final class InputSlot {
    private final String name;
    private final boolean integral;
    /** The shape of the data with the batch dimension's size left as it was bound (rows are set by shape(rows)). */
    private final long[] template;
    private final int batchAxis;
    private final int rowSize;
    private final float[] constantFloats;
    private final long[] constantLongs;

    private InputSlot(String name, boolean integral, long[] template, int batchAxis, float[] constantFloats,
            long[] constantLongs) {
        this.name = name;
        this.integral = integral;
        this.template = template;
        this.batchAxis = batchAxis;
        long size = 1;
        for (int i = 0; i < template.length; i++) {
            if (i != batchAxis) {
                size *= template[i];
            }
        }
        this.rowSize = (int) size;
        this.constantFloats = constantFloats;
        this.constantLongs = constantLongs;
    }

    private static boolean integral(ValueSpec spec, String file) {
        String type = spec.elementType();
        if ("float".equals(type)) {
            return false;
        } else if ("int64".equals(type) || "int32".equals(type)) {
            return true;
        }
        throw new DataException(file + ": the model's input '" + spec.name() + "' is " + spec.type()
                + "; logits4j feeds float, int64 and int32 tensors");
    }

    /**
     * Binds {@code spec}, whose batch axis is {@code batchAxis}, to a file whose data has {@code fileShape} (for a
     * CSV file {@code [rows, columns]} with rows unknown as -1); {@code what} describes the file's data in the message
     * ({@code "shape [114, 30]"}, {@code "feature columns"}); {@code inputsSetting} names the setting that gives an
     * input once ({@code --inputs}, {@code input(...)}). A row of another shape with as many values (a [360, 8, 8]
     * file for a [batch, 64] input) is reshaped only when {@code reshapeSetting} is null (the caller allowed it, or
     * the file's rows are flat by nature, as a CSV row is); else it is refused, naming both shapes and that setting.
     *
     * @throws DataException if the model input's element type cannot be fed or the shapes do not fit
     */
    static InputSlot bind(ValueSpec spec, int batchAxis, long[] fileShape, String file, String what,
            String inputsSetting, String reshapeSetting) {
        boolean integral = integral(spec, file);
        if (batchAxis == Inputs.NO_BATCH_AXIS) {
            throw new DataException(file + ": the model's input '" + spec.name() + "' " + typeText(spec)
                    + " has no batch axis: it is given once, as a .npy file of that shape or a value (" + inputsSetting
                    + " " + spec.name() + "=VALUE); found " + what);
        }
        long[] model = spec.shape();
        if (batchAxis > 0) {
            if (model == null || fileShape.length != model.length || !fits(model, fileShape, batchAxis)) {
                throw new DataException(file + ": the model's input '" + spec.name() + "' " + typeText(spec)
                        + " has its batch on axis " + batchAxis + "; expected a file in that layout, found " + what);
            }
            return new InputSlot(spec.name(), integral, fileShape.clone(), batchAxis, null, null);
        }
        if (fileShape.length < 1) {
            throw new DataException(file + ": a 0-d array has no rows; expected [N, ...] for the model's input '"
                    + spec.name() + "'");
        }
        long[] fileRow = Arrays.copyOfRange(fileShape, 1, fileShape.length);
        if (model == null) {
            return new InputSlot(spec.name(), integral, fileShape.clone(), 0, null, null);
        }
        if (model.length == 0) {
            throw new DataException(file + ": the model's input '" + spec.name() + "' is a scalar; expected a tensor"
                    + " whose first dimension is the batch");
        }
        long[] modelRow = Arrays.copyOfRange(model, 1, model.length);
        if (fits(modelRow, fileRow, -1)) {
            return new InputSlot(spec.name(), integral, fileShape.clone(), 0, null, null);
        }
        boolean fixed = true;
        for (long d : modelRow) {
            fixed &= d >= 0;
        }
        if (fixed && product(modelRow) == product(fileRow) && reshapeSetting != null) {
            throw new DataException(file + ": the model's input '" + spec.name() + "' " + typeText(spec) + " takes"
                    + " rows of shape " + ValueSpec.formatShape(modelRow, null) + "; found rows of shape "
                    + ValueSpec.formatShape(fileRow, null) + " (" + what + "), as many values in another layout; if"
                    + " they are the same values in row-major order, allow the reshape with " + reshapeSetting);
        }
        if (fixed && product(modelRow) == product(fileRow)) {
            long[] reshaped = new long[model.length];
            reshaped[0] = fileShape[0];
            System.arraycopy(modelRow, 0, reshaped, 1, modelRow.length);
            return new InputSlot(spec.name(), integral, reshaped, 0, null, null);
        }
        String expected = fixed ? product(modelRow) + " values per row" : "rows of shape " + ValueSpec.formatShape(modelRow, null);
        String found = fileRow.length == 1 || fixed ? product(fileRow) + "" : "rows of shape " + ValueSpec.formatShape(fileRow, null);
        throw new DataException(file + ": the model's input '" + spec.name() + "' " + typeText(spec) + " expects "
                + expected + "; found " + found + " (" + what + ")");
    }

    /**
     * Binds {@code spec}, which has no batch axis, to a value read whole ({@code floats} or {@code longs}, shaped
     * {@code shape}): a 0-d or fixed-shape file, or numbers from the command line.
     *
     * @throws DataException if the value's size is not the model input's
     */
    static InputSlot constant(ValueSpec spec, long[] shape, float[] floats, long[] longs, String file) {
        boolean integral = integral(spec, file);
        long[] model = spec.shape();
        long size = floats != null ? floats.length : longs.length;
        long[] fed = shape;
        if (model != null) {
            boolean fixed = true;
            for (long d : model) {
                fixed &= d >= 0;
            }
            if (fixed && product(model) != size || !fixed && !fits(model, shape, -2)) {
                throw new DataException(file + ": the model's input '" + spec.name() + "' " + typeText(spec)
                        + " is given once; expected " + (fixed ? product(model) + " value" + (product(model) == 1
                        ? "" : "s") : "shape " + ValueSpec.formatShape(model, spec.dimNames())) + ", found shape "
                        + Arrays.toString(shape));
            }
            fed = fixed ? model.clone() : shape;
        }
        if (integral && floats != null) {
            longs = new long[floats.length];
            for (int i = 0; i < floats.length; i++) {
                if (floats[i] != Math.rint(floats[i])) {
                    throw new DataException(file + ": the model's input '" + spec.name() + "' takes integers; found "
                            + floats[i]);
                }
                longs[i] = (long) floats[i];
            }
            floats = null;
        } else if (!integral && longs != null) {
            floats = new float[longs.length];
            for (int i = 0; i < longs.length; i++) {
                floats[i] = longs[i];
            }
            longs = null;
        }
        return new InputSlot(spec.name(), integral, fed, Inputs.NO_BATCH_AXIS, floats, longs);
    }

    private static String typeText(ValueSpec spec) {
        return spec.elementType() + (spec.shape() == null ? "" : ValueSpec.formatShape(spec.shape(), spec.dimNames()));
    }

    /** Whether {@code file} fits {@code model} dimension by dimension, except at {@code skip}. */
    private static boolean fits(long[] model, long[] file, int skip) {
        if (model.length != file.length) {
            return false;
        }
        for (int i = 0; i < model.length; i++) {
            if (i != skip && model[i] >= 0 && model[i] != file[i]) {
                return false;
            }
        }
        return true;
    }

    private static long product(long[] dims) {
        long p = 1;
        for (long d : dims) {
            p = Math.multiplyExact(p, d);
        }
        return p;
    }

    /** The model input's name. */
    String name() {
        return name;
    }

    /** Whether the input takes integers (int64 or int32) rather than floats. */
    boolean integral() {
        return integral;
    }

    /** The batch axis, or {@link Inputs#NO_BATCH_AXIS} for an input given once. */
    int batchAxis() {
        return batchAxis;
    }

    /** Whether the input is given once, whole, to every batch. */
    boolean isConstant() {
        return batchAxis == Inputs.NO_BATCH_AXIS;
    }

    /** Values per row (0 for an input given once: it takes no room in a chunk). */
    int rowSize() {
        return isConstant() ? 0 : rowSize;
    }

    /** The shape of {@code rows} rows: the bound shape with the batch axis set to {@code rows}. */
    long[] shape(int rows) {
        long[] s = template.clone();
        if (!isConstant()) {
            s[batchAxis] = rows;
        }
        return s;
    }

    /** Adds this input to {@code b}: {@code rows} rows of {@code floats} or {@code longs}, or the constant. */
    void addTo(Inputs.Builder b, int rows, float[] floats, long[] longs) {
        if (isConstant()) {
            if (integral) {
                b.constant(name, constantLongs, template);
            } else {
                b.constant(name, constantFloats, template);
            }
            return;
        }
        if (integral) {
            b.add(name, longs, shape(rows));
        } else {
            b.add(name, floats, shape(rows));
        }
        if (batchAxis != 0) {
            b.batchAxis(name, batchAxis);
        }
    }
}
