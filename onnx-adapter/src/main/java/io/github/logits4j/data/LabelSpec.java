package io.github.logits4j.data;

import io.github.logits4j.Task;
import io.github.logits4j.onnx.OnnxClassifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model's labels must look like, and the checks that name the file, row and column of a bad one: class
 * indices {@code [N]} in {@code [0, C)} for a multi-class model, 0/1 {@code [N]} for a binary one, a 0/1 matrix
 * {@code [N × C]} for a multi-label one.
 *
 * <pre>{@code
 * LabelSpec labels = LabelSpec.of(model);
 * if (!labels.isClassIndex(10.0)) {
 *     throw labels.badClassIndex(10.0, "y.npy", "row 17");   // y.npy: label 10 at row 17 is out of range; ...
 * }
 * }</pre>
 */
final class LabelSpec {
    private final Task task;
    private final int classes;
    private final List<String> classNames;
    private final Map<String, Integer> byName = new HashMap<>();

    private LabelSpec(Task task, int classes, List<String> classNames) {
        this.task = task;
        this.classes = classes;
        this.classNames = classNames;
        for (int i = classNames.size() - 1; i >= 0; i--) {
            byName.put(classNames.get(i), i);
        }
    }

    /** The labels {@code model} is evaluated against. */
    static LabelSpec of(OnnxClassifier model) {
        return new LabelSpec(model.task(), model.classes(), model.classNames());
    }

    /** Whether the labels are a 0/1 matrix (multi-label). */
    boolean isMatrix() {
        return task == Task.MULTILABEL;
    }

    /** Label columns per row: C for a matrix, else 1. */
    int width() {
        return isMatrix() ? classes : 1;
    }

    /** The model's task. */
    Task task() {
        return task;
    }

    /** What the labels must be, for messages. */
    String expected() {
        return switch (task) {
            case MULTICLASS -> "class indices [N] from 0 to " + (classes - 1);
            case BINARY -> "0/1 labels [N]";
            case MULTILABEL -> "a 0/1 matrix [N, " + classes + "]";
        };
    }

    /** Whether {@code value} is a valid per-row label: a class index for multi-class, 0 or 1 for binary. */
    boolean isClassIndex(double value) {
        int max = task == Task.BINARY ? 1 : classes - 1;
        return value == Math.rint(value) && value >= 0 && value <= max;
    }

    /** The error for a per-row label that is not {@linkplain #isClassIndex valid}, at {@code where} of {@code file}. */
    DataException badClassIndex(double value, String file, String where) {
        if (value != Math.rint(value)) {
            return new DataException(file + ": label " + format(value) + " at " + where + " is not an integer; "
                    + (task == Task.BINARY ? "a binary model needs 0 or 1"
                    : "expected a class index from 0 to " + (classes - 1)));
        }
        return new DataException(file + ": label " + format(value) + " at " + where + " is out of range; "
                + (task == Task.BINARY ? "a binary model needs 0 or 1"
                : "the model has " + classes + " classes (0 to " + (classes - 1) + ")"));
    }

    /**
     * A per-row label given as text (CSV): a number, or for a multi-class model one of its class names.
     *
     * @throws DataException naming the file and {@code where} if it is neither
     */
    int classIndex(String text, String file, String where) {
        Double v = Numbers.parse(text);
        if (v != null) {
            if (!isClassIndex(v)) {
                throw badClassIndex(v, file, where);
            }
            return v.intValue();
        }
        Integer byClassName = task == Task.MULTICLASS ? byName.get(text.trim()) : null;
        if (byClassName == null) {
            throw new DataException(file + ": label '" + text + "' at " + where + " is not "
                    + (task == Task.MULTICLASS ? "a class index (0 to " + (classes - 1) + ") or a class name "
                    + abbreviate(classNames) : "0 or 1"));
        }
        return byClassName;
    }

    /** Whether {@code value} is a valid element of a multi-label matrix: 0 or 1. */
    static boolean isZeroOne(double value) {
        return value == 0.0 || value == 1.0;
    }

    /** The error for a label matrix element that is not 0 or 1, at {@code where} of {@code file}. */
    DataException badMatrixValue(String value, String file, String where) {
        return new DataException(file + ": label " + value + " at " + where + " is not 0 or 1; a multi-label model"
                + " needs a 0/1 matrix [N, " + classes + "]");
    }

    /** {@code v} as a label is written: an integer without a point. */
    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 10 ? names.toString() : names.subList(0, 10) + " and " + (names.size() - 10) + " more";
    }
}
