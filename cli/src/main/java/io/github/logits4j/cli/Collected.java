package io.github.logits4j.cli;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.data.Batch;
import io.github.logits4j.data.DataException;
import io.github.logits4j.data.DataSet;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.onnx.Scores;
import java.util.Arrays;

/**
 * A model's raw outputs (and, when calibrated, probabilities) over a whole validation data set, with its labels: what
 * threshold tuning and temperature fitting need in memory at once ({@code N × C} floats).
 *
 * <pre>{@code
 * Collected v = Collected.run(model, dataSet, null, progress);
 * TemperatureFit fit = TemperatureScaling.fit(v.raw(), v.labels());
 * }</pre>
 */
final class Collected {
    private final FloatMatrix raw;
    private final FloatMatrix probabilities;
    private final int[] labels;
    private final FloatMatrix labelMatrix;

    private Collected(FloatMatrix raw, FloatMatrix probabilities, int[] labels, FloatMatrix labelMatrix) {
        this.raw = raw;
        this.probabilities = probabilities;
        this.labels = labels;
        this.labelMatrix = labelMatrix;
    }

    /**
     * Runs {@code model} over every chunk of {@code data}; probabilities are calibrated when {@code calibration} is
     * not null.
     *
     * @throws DataException if a file cannot be read or the model fails on a row (naming the row)
     */
    static Collected run(OnnxClassifier model, DataSet data, Calibration calibration, Progress progress) {
        int c = model.classes();
        boolean isMatrix = model.task() == io.github.logits4j.Task.MULTILABEL;
        float[] raw = new float[0];
        float[] probabilities = new float[0];
        int[] labels = new int[0];
        float[] matrix = new float[0];
        int rows = 0;
        for (Batch chunk; (chunk = data.next()) != null; ) {
            Scores s = data.run(model, chunk);
            int n = chunk.rows();
            long needed = (long) (rows + n) * c;
            if (needed > Integer.MAX_VALUE - 8) {
                throw new DataException(data.inputFiles() + ": more than " + (Integer.MAX_VALUE / c) + " rows; "
                        + "tuning and calibration keep every score in memory, so use a sample of the data");
            }
            if (raw.length < needed) {
                int capacity = (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(needed, 2L * raw.length));
                raw = Arrays.copyOf(raw, capacity);
                probabilities = Arrays.copyOf(probabilities, capacity);
                matrix = isMatrix ? Arrays.copyOf(matrix, capacity) : matrix;
            }
            if (labels.length < rows + n && !isMatrix) {
                labels = Arrays.copyOf(labels, Math.max(rows + n, 2 * labels.length));
            }
            FloatMatrix p = calibration == null ? s.probabilities() : calibration.probabilities(s.raw());
            for (int r = 0; r < n; r++) {
                s.raw().copyRowTo(r, raw, (rows + r) * c);
                p.copyRowTo(r, probabilities, (rows + r) * c);
            }
            FloatMatrix y = isMatrix ? chunk.labelMatrix() : null;
            for (int r = 0; r < n; r++) {
                if (isMatrix) {
                    y.copyRowTo(r, matrix, (rows + r) * c);
                } else {
                    labels[rows + r] = chunk.label(r);
                }
            }
            rows += n;
            progress.update(data.progress(), data.rowsRead());
        }
        return new Collected(FloatMatrix.wrap(Arrays.copyOf(raw, rows * c), rows, c),
                FloatMatrix.wrap(Arrays.copyOf(probabilities, rows * c), rows, c),
                isMatrix ? null : Arrays.copyOf(labels, rows),
                isMatrix ? FloatMatrix.wrap(Arrays.copyOf(matrix, rows * c), rows, c) : null);
    }

    /** The raw outputs {@code [N × C]}. */
    FloatMatrix raw() {
        return raw;
    }

    /** The probabilities {@code [N × C]}. */
    FloatMatrix probabilities() {
        return probabilities;
    }

    /** The per-row labels, or null for a multi-label matrix. */
    int[] labels() {
        return labels;
    }

    /** The 0/1 label matrix {@code [N × C]}, or null for per-row labels. */
    FloatMatrix labelMatrix() {
        return labelMatrix;
    }
}
