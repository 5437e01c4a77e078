package io.github.logits4j.data;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.LoadException;
import io.github.logits4j.onnx.Inputs;
import io.github.logits4j.onnx.LabelledBatch;
import io.github.logits4j.onnx.OnnxClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A labelled data set in {@code .npy} files, streamed in batches for {@link io.github.logits4j.onnx.OnnxClassifier#evaluate}:
 * one file per model input (first dimension the rows) and one file of labels (class indices or 0/1 of shape
 * {@code [N]}, or a 0/1 matrix {@code [N × L]} for multi-label). Files are memory-mapped; only one batch is in the heap
 * at a time, so a data set larger than the heap evaluates.
 *
 * <pre>{@code
 * try (NpyDataSet data = NpyDataSet.open(Map.of("pixels", Path.of("x.npy")), Path.of("y.npy"), 256)) {
 *     EvaluationResult r = model.evaluate(data);
 * }
 * }</pre>
 *
 * <p>Opened for a model ({@link #open(OnnxClassifier, Map, Path, int)}), each file is read in the model's own layout:
 * along the input's batch axis (a state {@code [2, N, 128]} by its second axis), and an input the model takes once
 * (a scalar sample rate) from a 0-d or fixed-shape file, fed whole to every batch.
 *
 * <p>Integer files feed int64 inputs, float files float inputs. Each iteration re-reads the files from the start.
 * Not thread-safe.
 */
public final class NpyDataSet implements Iterable<LabelledBatch>, AutoCloseable {
    private final Map<String, NpyArray> inputs;
    private final Map<String, Integer> axes;
    private final NpyArray labels;
    private final int batchSize;
    private final long rows;

    private NpyDataSet(Map<String, NpyArray> inputs, Map<String, Integer> axes, NpyArray labels, int batchSize,
            long rows) {
        this.inputs = inputs;
        this.axes = axes;
        this.labels = labels;
        this.batchSize = batchSize;
        this.rows = rows;
    }

    /**
     * Opens the files for {@code model}, reading each along the model input's batch axis
     * ({@link io.github.logits4j.onnx.ModelInspection#batchAxes()}); an input without one is read whole, once.
     *
     * @throws LoadException if a file cannot be read, the files disagree on the number of rows, or a file for an
     *     input given once does not have that input's shape (naming the file, the input and both shapes)
     */
    public static NpyDataSet open(OnnxClassifier model, Map<String, Path> inputFiles, Path labelFile, int batchSize)
            throws LoadException {
        Objects.requireNonNull(model, "model");
        return open(inputFiles, labelFile, batchSize, model.inspection().batchAxes());
    }

    /**
     * Opens the files.
     *
     * @param inputFiles model input name to its {@code .npy} file, in the model's order
     * @param labelFile the labels
     * @param batchSize rows per batch, at least 1
     * @throws LoadException if a file cannot be read, or the files disagree on the number of rows (naming both)
     */
    public static NpyDataSet open(Map<String, Path> inputFiles, Path labelFile, int batchSize) throws LoadException {
        return open(inputFiles, labelFile, batchSize, Map.of());
    }

    private static NpyDataSet open(Map<String, Path> inputFiles, Path labelFile, int batchSize,
            Map<String, Integer> batchAxes) throws LoadException {
        Objects.requireNonNull(inputFiles, "inputFiles");
        Objects.requireNonNull(labelFile, "labelFile");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1; found " + batchSize);
        }
        if (inputFiles.isEmpty()) {
            throw new IllegalArgumentException("a data set needs at least one input file");
        }
        Map<String, NpyArray> opened = new LinkedHashMap<>();
        NpyArray labels = null;
        try {
            for (Map.Entry<String, Path> e : inputFiles.entrySet()) {
                opened.put(e.getKey(), NpyArray.open(e.getValue()));
            }
            labels = NpyArray.open(labelFile);
            Map<String, Integer> axes = new LinkedHashMap<>();
            for (Map.Entry<String, NpyArray> e : opened.entrySet()) {
                int axis = batchAxes.getOrDefault(e.getKey(), 0);
                NpyArray a = e.getValue();
                if (axis != Inputs.NO_BATCH_AXIS && axis >= a.shape().length) {
                    throw new LoadException(a.file() + ": has shape " + java.util.Arrays.toString(a.shape())
                            + "; the model's input '" + e.getKey() + "' has its batch on axis " + axis);
                }
                axes.put(e.getKey(), axis);
            }
            long n = labels.rows();
            for (Map.Entry<String, NpyArray> e : opened.entrySet()) {
                int axis = axes.get(e.getKey());
                NpyArray a = e.getValue();
                if (axis != Inputs.NO_BATCH_AXIS && a.dim(axis) != n) {
                    throw new LoadException(labelFile + " has " + n + " rows; " + a.file() + " has " + a.dim(axis)
                            + (axis > 0 ? " along axis " + axis + ", the model's batch axis for input '" + e.getKey()
                            + "'" : "") + ": the inputs and labels must have the same number of rows");
                }
            }
            if (labels.shape().length > 2) {
                throw new LoadException(labelFile + ": labels have shape " + java.util.Arrays.toString(labels.shape())
                        + "; expected [N] (class indices or 0/1) or [N, L] (multi-label 0/1)");
            }
            for (Map.Entry<String, NpyArray> e : opened.entrySet()) {
                if (e.getValue().shape().length < 1 && axes.get(e.getKey()) != Inputs.NO_BATCH_AXIS) {
                    throw new LoadException(e.getValue().file() + ": a 0-d array has no rows; expected [N, ...]"
                            + " for input '" + e.getKey() + "'");
                }
            }
            return new NpyDataSet(opened, axes, labels, batchSize, n);
        } catch (LoadException | RuntimeException e) {
            for (NpyArray a : opened.values()) {
                a.close();
            }
            if (labels != null) {
                labels.close();
            }
            throw e;
        }
    }

    /** The number of rows. */
    public long rows() {
        return rows;
    }

    /** Whether the labels are a matrix (multi-label). */
    public boolean hasLabelMatrix() {
        return labels.shape().length == 2;
    }

    /** The label columns: 1 for per-row labels, L for a label matrix. */
    public int labelColumns() {
        return labels.rowSize();
    }

    @Override
    public Iterator<LabelledBatch> iterator() {
        return new Iterator<>() {
            private long next;

            @Override
            public boolean hasNext() {
                return next < rows;
            }

            @Override
            public LabelledBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int n = (int) Math.min(batchSize, rows - next);
                LabelledBatch batch = read(next, n);
                next += n;
                return batch;
            }
        };
    }

    private LabelledBatch read(long first, int n) {
        Inputs.Builder b = Inputs.builder();
        for (Map.Entry<String, NpyArray> e : inputs.entrySet()) {
            NpyArray a = e.getValue();
            int axis = axes.get(e.getKey());
            boolean constant = axis == Inputs.NO_BATCH_AXIS;
            long[] shape = a.shape();
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                if (i == axis) {
                    shape[i] = n;
                }
                count *= shape[i];
            }
            int readAxis = constant ? 0 : axis;
            long from = constant ? 0 : first;
            int length = constant ? (shape.length == 0 ? 1 : (int) shape[0]) : n;
            if (a.dtype().isIntegral()) {
                long[] data = new long[(int) count];
                a.readLongs(readAxis, from, length, data, 0);
                if (constant) {
                    b.constant(e.getKey(), data, shape);
                } else {
                    b.add(e.getKey(), data, shape).batchAxis(e.getKey(), axis);
                }
            } else {
                float[] data = new float[(int) count];
                a.readFloats(readAxis, from, length, data, 0);
                if (constant) {
                    b.constant(e.getKey(), data, shape);
                } else {
                    b.add(e.getKey(), data, shape).batchAxis(e.getKey(), axis);
                }
            }
        }
        Inputs in = b.build();
        if (hasLabelMatrix()) {
            float[] y = new float[n * labels.rowSize()];
            labels.readFloats(first, n, y, 0);
            return LabelledBatch.ofMatrix(in, FloatMatrix.wrap(y, n, labels.rowSize()));
        }
        long[] y = new long[n];
        labels.readLongs(first, n, y, 0);
        int[] ints = new int[n];
        for (int i = 0; i < n; i++) {
            if (y[i] != (int) y[i]) {
                throw new IllegalArgumentException(labels.file() + ": label " + y[i] + " at row " + (first + i)
                        + " is out of range");
            }
            ints[i] = (int) y[i];
        }
        return LabelledBatch.of(in, ints);
    }

    /** The input files' names, in order. */
    public List<String> inputNames() {
        return new ArrayList<>(inputs.keySet());
    }

    @Override
    public void close() {
        for (NpyArray a : inputs.values()) {
            a.close();
        }
        labels.close();
    }
}
