package io.github.logits4j.data;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.onnx.Inputs;
import io.github.logits4j.onnx.LabelledBatch;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run of consecutive rows of a {@link DataSet}: the model's inputs and, when the data set has labels, their labels.
 * Its {@link #firstRow()} is its place in the data set, and its inputs carry it ({@link Inputs#firstRow()}), so errors
 * of the model or the evaluation on these rows name rows of the data set.
 *
 * <pre>{@code
 * for (Batch b; (b = data.next()) != null; ) {
 *     Scores s = data.run(model, b);       // rows b.firstRow() .. b.firstRow() + b.rows() - 1
 * }
 * }</pre>
 *
 * <p>Immutable once handed out by the data set: the arrays it holds are its own.
 */
public final class Batch {
    private final List<InputSlot> slots;
    private final Map<String, float[]> floats = new LinkedHashMap<>();
    private final Map<String, long[]> longs = new LinkedHashMap<>();
    private final LabelSpec labelSpec;
    private int[] labels;
    private float[] labelMatrix;
    private long firstRow;
    private int rows;
    private Inputs inputs;

    /** An empty batch with room for {@code capacity} rows of every slot (and labels when {@code labelSpec}). */
    Batch(List<InputSlot> slots, LabelSpec labelSpec, int capacity) {
        this.slots = slots;
        this.labelSpec = labelSpec;
        for (InputSlot s : slots) {
            if (s.isConstant()) {
                continue;
            } else if (s.integral()) {
                longs.put(s.name(), new long[Math.multiplyExact(capacity, s.rowSize())]);
            } else {
                floats.put(s.name(), new float[Math.multiplyExact(capacity, s.rowSize())]);
            }
        }
        if (labelSpec != null) {
            if (labelSpec.isMatrix()) {
                labelMatrix = new float[Math.multiplyExact(capacity, labelSpec.width())];
            } else {
                labels = new int[capacity];
            }
        }
    }

    /** The float buffer of input {@code name}, row-major, for the sources to fill. */
    float[] floats(String name) {
        return floats.get(name);
    }

    /** The integer buffer of input {@code name}, row-major, for the sources to fill. */
    long[] longs(String name) {
        return longs.get(name);
    }

    /** The per-row label buffer (class indices or 0/1); null for a matrix or no labels. */
    int[] labelBuffer() {
        return labels;
    }

    /** The 0/1 label matrix buffer, row-major; null unless multi-label. */
    float[] labelMatrixBuffer() {
        return labelMatrix;
    }

    /** Fixes the rows read: {@code rows} rows starting at row {@code firstRow} of the data set. */
    void seal(long firstRow, int rows) {
        this.firstRow = firstRow;
        this.rows = rows;
        Inputs.Builder b = Inputs.builder().firstRow(firstRow);
        for (InputSlot s : slots) {
            int n = rows * s.rowSize();
            if (s.isConstant()) {
                s.addTo(b, rows, null, null);
            } else if (s.integral()) {
                long[] data = longs.get(s.name());
                s.addTo(b, rows, null, data.length == n ? data : Arrays.copyOf(data, n));
            } else {
                float[] data = floats.get(s.name());
                s.addTo(b, rows, data.length == n ? data : Arrays.copyOf(data, n), null);
            }
        }
        this.inputs = b.build();
        if (labels != null && labels.length != rows) {
            labels = Arrays.copyOf(labels, rows);
        }
        if (labelMatrix != null && labelMatrix.length != rows * labelSpec.width()) {
            labelMatrix = Arrays.copyOf(labelMatrix, rows * labelSpec.width());
        }
    }

    /** The first row's index in the data set, counted from 0. */
    public long firstRow() {
        return firstRow;
    }

    /** The number of rows. */
    public int rows() {
        return rows;
    }

    /** The model's inputs for these rows. */
    public Inputs inputs() {
        return inputs;
    }

    /** Whether the batch has labels (the data set was opened with a labels file). */
    public boolean hasLabels() {
        return labelSpec != null;
    }

    /**
     * The label of row {@code r} of the batch: a class index (multi-class) or 0/1 (binary).
     *
     * @throws IllegalStateException if the batch has no per-row labels (none, or a multi-label matrix)
     */
    public int label(int r) {
        if (labels == null) {
            throw new IllegalStateException(labelSpec == null ? "the data set has no labels"
                    : "a multi-label data set has a label matrix; read it with labelMatrix()");
        }
        return labels[r];
    }

    /**
     * The 0/1 label matrix {@code [rows × C]}, read-only.
     *
     * @throws IllegalStateException unless the data set has multi-label labels
     */
    public FloatMatrix labelMatrix() {
        if (labelMatrix == null) {
            throw new IllegalStateException(labelSpec == null ? "the data set has no labels"
                    : "a " + labelSpec.task().id() + " data set has one label per row; read them with label(r)");
        }
        return FloatMatrix.wrap(java.nio.FloatBuffer.wrap(labelMatrix).asReadOnlyBuffer(), rows, labelSpec.width());
    }

    /**
     * The inputs with their labels, for {@code OnnxClassifier.evaluate}.
     *
     * @throws IllegalStateException if the data set has no labels
     */
    public LabelledBatch labelled() {
        if (labelSpec == null) {
            throw new IllegalStateException("the data set has no labels; open it with labels(...) to evaluate");
        }
        return labelSpec.isMatrix() ? LabelledBatch.ofMatrix(inputs, FloatMatrix.wrap(labelMatrix, rows,
                labelSpec.width())) : LabelledBatch.of(inputs, labels);
    }

    @Override
    public String toString() {
        return "Batch[rows " + firstRow + ".." + (firstRow + rows - 1) + (hasLabels() ? ", labelled" : "") + "]";
    }
}
