package io.github.logits4j.data;

import io.github.logits4j.data.NpyArray;
import java.util.Arrays;

/**
 * A {@code .npy} file feeding one model input or the labels, read through {@link NpyArray}'s memory map one chunk at
 * a time, so a file larger than the heap streams.
 *
 * <pre>{@code
 * NpySource x = NpySource.forInput(NpyArray.open(path), "x.npy", slot);
 * NpySource y = NpySource.forLabels(NpyArray.open(labels), "y.npy", LabelSpec.of(model));
 * }</pre>
 */
final class NpySource implements Source {
    private final NpyArray array;
    private final String file;
    private final InputSlot slot;
    private final LabelSpec labels;
    private long next;
    private double[] scratch = new double[0];

    private NpySource(NpyArray array, String file, InputSlot slot, LabelSpec labels) {
        this.array = array;
        this.file = file;
        this.slot = slot;
        this.labels = labels;
    }

    /** The array feeding {@code slot}; its shape was checked when the slot was bound. */
    static NpySource forInput(NpyArray array, String file, InputSlot slot) {
        return new NpySource(array, file, slot, null);
    }

    /**
     * The array holding the labels.
     *
     * @throws DataException if its shape is not what the model's labels need
     */
    static NpySource forLabels(NpyArray array, String file, LabelSpec labels) {
        long[] shape = array.shape();
        boolean ok = labels.isMatrix()
                ? shape.length == 2 && shape[1] == labels.width() || shape.length == 1 && labels.width() == 1
                : shape.length == 1 || shape.length == 2 && shape[1] == 1;
        if (!ok) {
            throw new DataException(file + ": labels have shape " + Arrays.toString(shape) + "; a "
                    + labels.task().id() + " model needs " + labels.expected()
                    + (labels.task() == io.github.logits4j.Task.MULTICLASS && shape.length == 2
                    ? " (for one-hot labels, save their argmax)" : ""));
        }
        if (array.dtype() == NpyArray.DType.BOOL && labels.task() == io.github.logits4j.Task.MULTICLASS) {
            throw new DataException(file + ": labels are bool (true/false); a multiclass model needs "
                    + labels.expected() + " (bool labels fit binary and multilabel models)");
        }
        return new NpySource(array, file, null, labels);
    }

    @Override
    public String file() {
        return file;
    }

    @Override
    public long rows() {
        return slot != null && slot.batchAxis() > 0 ? array.dim(slot.batchAxis()) : array.rows();
    }

    @Override
    public int read(int n, Batch chunk) {
        int count = (int) Math.min(n, rows() - next);
        if (count <= 0) {
            return 0;
        }
        if (slot != null) {
            if (slot.integral()) {
                array.readLongs(slot.batchAxis(), next, count, chunk.longs(slot.name()), 0);
            } else {
                array.readFloats(slot.batchAxis(), next, count, chunk.floats(slot.name()), 0);
            }
        } else {
            int width = labels.width();
            if (scratch.length < count * width) {
                scratch = new double[count * width];
            }
            array.readDoubles(next, count, scratch, 0);
            if (labels.isMatrix()) {
                float[] y = chunk.labelMatrixBuffer();
                for (int i = 0; i < count * width; i++) {
                    if (!LabelSpec.isZeroOne(scratch[i])) {
                        throw labels.badMatrixValue(LabelSpec.format(scratch[i]), file, "row " + (next + i / width)
                                + ", column " + i % width);
                    }
                    y[i] = (float) scratch[i];
                }
            } else {
                int[] y = chunk.labelBuffer();
                for (int i = 0; i < count; i++) {
                    if (!labels.isClassIndex(scratch[i])) {
                        throw labels.badClassIndex(scratch[i], file, "row " + (next + i));
                    }
                    y[i] = (int) scratch[i];
                }
            }
        }
        next += count;
        return count;
    }

    @Override
    public boolean hasMore() {
        return next < rows();
    }

    @Override
    public long countRows() {
        return rows();
    }

    @Override
    public double progress() {
        return rows() == 0 ? 1.0 : (double) next / rows();
    }

    @Override
    public void close() {
        array.close();
    }
}
