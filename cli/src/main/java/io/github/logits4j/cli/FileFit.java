package io.github.logits4j.cli;

import io.github.logits4j.SafeText;
import io.github.logits4j.data.DataException;
import io.github.logits4j.onnx.OnnxClassifier;
import java.util.List;
import java.util.Map;

/**
 * Checks that a thresholds or calibration file, which records the task and class names of the model it was made for,
 * fits the model it is given with: a file made for another model is refused instead of applied silently.
 *
 * <pre>{@code
 * FileFit.check(Json.read(file), file.toString(), model);   // "t.json: was made for a multilabel model; ..."
 * }</pre>
 */
final class FileFit {
    private FileFit() {
    }

    /**
     * @throws DataException naming the file if its {@code task} or {@code class_names} differ from the model's
     */
    static void check(Map<String, Object> map, String file, OnnxClassifier model) {
        Object task = map.get("task");
        if (task instanceof String t && !t.equals(model.task().id())) {
            throw new DataException(file + ": was made for a " + SafeText.of(t, 40) + " model; "
                    + model.inspection().source() + " is " + model.task().id());
        }
        if (task != null && !(task instanceof String)) {
            throw new DataException(file + ": 'task' is " + SafeText.of(String.valueOf(task), 40)
                    + "; expected multiclass, multilabel or binary");
        }
        Object names = map.get("class_names");
        if (names instanceof List<?> list && !list.equals(model.classNames())) {
            throw new DataException(file + ": was made for a model with " + list.size() + " class"
                    + (list.size() == 1 ? "" : "es") + " " + SafeText.of(String.valueOf(list), 120) + "; "
                    + model.inspection().source() + " has " + model.classes() + " "
                    + SafeText.of(String.valueOf(model.classNames()), 120));
        }
    }
}
