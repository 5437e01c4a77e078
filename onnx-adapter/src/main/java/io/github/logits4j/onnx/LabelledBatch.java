package io.github.logits4j.onnx;

import io.github.logits4j.FloatMatrix;
import java.util.Objects;

/**
 * A batch of model inputs with its labels, for {@link OnnxClassifier#evaluate}: class indices for multi-class, 0/1 for
 * binary, a 0/1 matrix {@code [N × L]} for multi-label. The batch's place in its data set is its inputs'
 * {@link Inputs#firstRow()}: errors about a label or a model output name rows of the data set.
 *
 * <pre>{@code
 * LabelledBatch b = LabelledBatch.of(Inputs.of("pixels", x), labels);           // int[] labels
 * LabelledBatch m = LabelledBatch.ofMatrix(Inputs.of("pixels", x), tagMatrix);  // multi-label
 * }</pre>
 */
public final class LabelledBatch {
    private final Inputs inputs;
    private final int[] labels;
    private final FloatMatrix labelMatrix;

    private LabelledBatch(Inputs inputs, int[] labels, FloatMatrix labelMatrix) {
        this.inputs = Objects.requireNonNull(inputs, "inputs");
        this.labels = labels;
        this.labelMatrix = labelMatrix;
    }

    /**
     * Inputs with one label per row (class index, or 0/1 for binary).
     *
     * @throws IllegalArgumentException if the label count differs from the rows
     */
    public static LabelledBatch of(Inputs inputs, int[] labels) {
        Objects.requireNonNull(labels, "labels");
        if (labels.length != inputs.rows()) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries; the inputs have "
                    + inputs.rows() + " rows");
        }
        return new LabelledBatch(inputs, labels, null);
    }

    /**
     * Inputs with a 0/1 label matrix {@code [N × L]} (multi-label).
     *
     * @throws IllegalArgumentException if the matrix rows differ from the input rows
     */
    public static LabelledBatch ofMatrix(Inputs inputs, FloatMatrix labelMatrix) {
        Objects.requireNonNull(labelMatrix, "labelMatrix");
        if (labelMatrix.rows() != inputs.rows()) {
            throw new IllegalArgumentException("label matrix has " + labelMatrix.rows() + " rows; the inputs have "
                    + inputs.rows());
        }
        return new LabelledBatch(inputs, null, labelMatrix);
    }

    /** The inputs. */
    public Inputs inputs() {
        return inputs;
    }

    /** The per-row labels, or null for a label matrix. */
    int[] labels() {
        return labels;
    }

    /** The label matrix, or null for per-row labels. */
    FloatMatrix labelMatrix() {
        return labelMatrix;
    }
}
