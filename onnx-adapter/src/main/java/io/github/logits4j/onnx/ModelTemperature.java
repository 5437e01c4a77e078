package io.github.logits4j.onnx;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.LoadException;
import io.github.logits4j.Task;
import io.github.logits4j.calibration.MultilabelTemperatureFit;
import io.github.logits4j.calibration.TemperatureFit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A temperature that knows the model it was made for: a calibration file written by {@code logits4j calibrate} (or
 * {@link #of(TemperatureFit, OnnxClassifier)}), which records the model's task and class names beside the fitted
 * temperature: one for {@code softmax(z / T)} of a multi-class model, one or one per label for {@code sigmoid(z / T)}
 * otherwise. {@link #fitTo} checks it against a model, which must emit logits, and refuses a mismatch. Immutable.
 *
 * <pre>{@code
 * double[] t = ModelTemperature.read(Path.of("temperature.json")).fitTo(model).temperatures();
 * EvaluationResult r = model.evaluate(batches, EvaluationOptions.builder().temperatures(t).build());
 * }</pre>
 */
public final class ModelTemperature {
    private final @Nullable TemperatureFit multiclass;
    private final @Nullable MultilabelTemperatureFit multilabel;
    private final @Nullable String source;
    private final Map<String, Object> file;

    private ModelTemperature(@Nullable TemperatureFit multiclass, @Nullable MultilabelTemperatureFit multilabel,
            @Nullable String source, Map<String, Object> file) {
        this.multiclass = multiclass;
        this.multilabel = multilabel;
        this.source = source;
        this.file = file;
    }

    /** A multi-class {@code model}'s fitted temperature, with its task and class names (the file's form). */
    public static ModelTemperature of(TemperatureFit fit, OnnxClassifier model) {
        return new ModelTemperature(Objects.requireNonNull(fit, "fit"), null, null,
                ModelFiles.madeFor(model.task().id(), model.classNames(), fit.toMap()));
    }

    /** A multi-label or binary {@code model}'s fitted temperatures, with its task and class names. */
    public static ModelTemperature of(MultilabelTemperatureFit fit, OnnxClassifier model) {
        return new ModelTemperature(null, Objects.requireNonNull(fit, "fit"), null,
                ModelFiles.madeFor(model.task().id(), model.classNames(), fit.toMap()));
    }

    /**
     * Reads a calibration file written by {@code logits4j calibrate}.
     *
     * @throws LoadException naming the file if it is missing, not JSON, a thresholds file, or malformed
     */
    public static ModelTemperature read(Path file) throws LoadException {
        return fromMap(ModelFiles.read(file), file.toString());
    }

    /**
     * A temperature from a file's text (read from anywhere: a Hadoop file system, a resource); {@code source} names it.
     *
     * @throws LoadException naming {@code source} if the text is not such a JSON object
     */
    public static ModelTemperature parse(String json, String source) throws LoadException {
        return fromMap(ModelFiles.parse(json, source), source);
    }

    /**
     * A temperature from a file's map ({@link #toMap()}'s form); {@code source} names it in messages.
     *
     * @throws LoadException naming {@code source} if the map holds thresholds or is malformed
     */
    public static ModelTemperature fromMap(Map<String, ?> map, String source) throws LoadException {
        Objects.requireNonNull(source, "source");
        if ((map.containsKey("threshold") || map.containsKey("thresholds")) && !map.containsKey("temperature")) {
            throw new LoadException(source + ": holds thresholds written by logits4j tune-thresholds, not a"
                    + " temperature; give it as the thresholds (--thresholds), and a temperature from logits4j"
                    + " calibrate as the calibration (--calibration)");
        }
        Map<String, Object> copy = Collections.unmodifiableMap(new LinkedHashMap<>(map));
        try {
            return map.containsKey("per_class")
                    ? new ModelTemperature(null, MultilabelTemperatureFit.fromMap(map), source, copy)
                    : new ModelTemperature(TemperatureFit.fromMap(map), null, source, copy);
        } catch (IllegalArgumentException e) {
            throw new LoadException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * This temperature once checked to fit {@code model}: a model that emits logits, of the task
     * and class names the file was made for, multi-class for one softmax temperature, multi-label or binary for
     * sigmoid temperatures, one per label if per label.
     *
     * @throws LoadException naming the file and the model when they do not fit
     * @throws IllegalArgumentException if the model does not emit logits (naming the setting that says it does)
     */
    public ModelTemperature fitTo(OnnxClassifier model) throws LoadException {
        String name = source != null ? source : "the temperature";
        model.requireLogits(model.contract().settingName(Setting.CALIBRATION) + (source != null ? " " + source : ""));
        ModelFiles.checkMadeFor(file, name, model);
        if (model.task() == Task.MULTICLASS) {
            if (multiclass == null) {
                throw new LoadException(name + ": holds a multi-label temperature; " + model.inspection().source()
                        + " is multiclass");
            }
            return this;
        }
        if (multilabel == null) {
            throw new LoadException(name + ": holds a multi-class temperature; " + model.inspection().source()
                    + " is " + model.task().id() + " (calibrate it with logits4j calibrate)");
        }
        if (multilabel.perClass() && multilabel.temperatures().length != model.classes()) {
            throw new LoadException(name + ": has " + multilabel.temperatures().length + " per-label temperatures; "
                    + model.inspection().source() + " has " + model.classes() + " labels");
        }
        return this;
    }

    /** The multi-class fit, or null for sigmoid temperatures. */
    public @Nullable TemperatureFit multiclassFit() {
        return multiclass;
    }

    /** The multi-label (or binary) fit, or null for a softmax temperature. */
    public @Nullable MultilabelTemperatureFit multilabelFit() {
        return multilabel;
    }

    /** The temperatures: one, or one per label. */
    public double[] temperatures() {
        return multiclass != null ? new double[] {multiclass.temperature()} : multilabel.temperatures();
    }

    /**
     * The calibrated probabilities of raw logits, scaled as an evaluation scales them: {@code softmax(z / T)} or
     * {@code sigmoid(z / T)} per column; a new matrix.
     */
    public FloatMatrix probabilities(FloatMatrix logits) {
        return multiclass != null ? multiclass.apply(logits) : multilabel.apply(logits);
    }

    /** The file this temperature was read from, or null. */
    public @Nullable String source() {
        return source;
    }

    /** What a report says of it: {@code file} (when read from one) and {@code temperature} (one, or a list). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (source != null) {
            m.put("file", source);
        }
        if (multiclass != null) {
            m.put("temperature", multiclass.temperature());
        } else if (!multilabel.perClass()) {
            m.put("temperature", multilabel.temperatures()[0]);
        } else {
            List<Double> t = new ArrayList<>();
            for (double v : multilabel.temperatures()) {
                t.add(v);
            }
            m.put("temperature", Collections.unmodifiableList(t));
        }
        return Collections.unmodifiableMap(m);
    }

    /** The file's content: the model's {@code task} and {@code class_names}, then the fit's map. */
    public Map<String, Object> toMap() {
        return file;
    }

    @Override
    public String toString() {
        return "ModelTemperature[" + describe() + "]";
    }
}
