package io.github.logits4j.cli;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.onnx.Inputs;
import io.github.logits4j.onnx.LabelledBatch;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run of consecutive rows of a {@link DataSet}: the model's inputs and, when the data set has labels, their labels.
 * The sources of the data set fill it row by row ({@link #floats}, {@link #longs}, {@link #labels},
 * {@link #labelMatrix}); {@link #seal} fixes the number of rows read.
 *
 * <pre>{@code
 * for (Chunk c : dataSet) {
 *     Scores s = model.run(c.inputs());     // rows c.firstRow() .. c.firstRow() + c.rows() - 1
 * }
 * }</pre>
 */
final class Chunk {
    private final List<InputSlot> slots;
    private final Map<String, float[]> floats = new LinkedHashMap<>();
    private final Map<String, long[]> longs = new LinkedHashMap<>();
    private final LabelSpec labelSpec;
    private int[] labels;
    private float[] labelMatrix;
    private long firstRow;
    private int rows;
    private Inputs inputs;

    /** An empty chunk with room for {@code capacity} rows of every slot (and labels when {@code labelSpec}). */
    Chunk(List<InputSlot> slots, LabelSpec labelSpec, int capacity) {
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

    /** The float buffer of input {@code name}, row-major. */
    float[] floats(String name) {
        return floats.get(name);
    }

    /** The integer buffer of input {@code name}, row-major. */
    long[] longs(String name) {
        return longs.get(name);
    }

    /** The per-row labels (class indices or 0/1); null for a matrix or no labels. */
    int[] labels() {
        return labels;
    }

    /** The 0/1 label matrix, row-major; null unless multi-label. */
    float[] labelMatrix() {
        return labelMatrix;
    }

    /** Fixes the rows read: {@code rows} rows starting at row {@code firstRow} of the data set. */
    void seal(long firstRow, int rows) {
        this.firstRow = firstRow;
        this.rows = rows;
        Inputs.Builder b = Inputs.builder();
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

    /** The first row's index in the data set. */
    long firstRow() {
        return firstRow;
    }

    /** The number of rows. */
    int rows() {
        return rows;
    }

    /** The model's inputs. */
    Inputs inputs() {
        return inputs;
    }

    /** The 0/1 label matrix {@code [rows × C]}; only for multi-label. */
    FloatMatrix labelMatrixView() {
        return FloatMatrix.wrap(labelMatrix, rows, labelSpec.width());
    }

    /** The inputs with their labels, for {@code OnnxClassifier.evaluate}. */
    LabelledBatch labelled() {
        return labelSpec.isMatrix() ? LabelledBatch.ofMatrix(inputs, labelMatrixView())
                : LabelledBatch.of(inputs, labels);
    }
}
