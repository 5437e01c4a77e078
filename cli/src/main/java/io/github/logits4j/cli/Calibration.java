package io.github.logits4j.cli;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.Task;
import io.github.logits4j.calibration.MultilabelTemperatureFit;
import io.github.logits4j.calibration.TemperatureFit;
import io.github.logits4j.data.DataException;
import io.github.logits4j.onnx.OnnxClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A temperature written by {@code logits4j calibrate}, applied to a model's logits before the head:
 * {@code softmax(z / T)} for a multi-class model, {@code sigmoid(z / T)} (one T, or one per label) otherwise. The
 * library's {@link TemperatureFit} and {@link MultilabelTemperatureFit} read the file and apply it; this class checks
 * that it fits the model, which must emit logits.
 *
 * <pre>{@code
 * Calibration t = Calibration.read(Path.of("temperature.json"), model);
 * FloatMatrix p = t.probabilities(scores.raw());     // softmax(z / T)
 * }</pre>
 */
final class Calibration {
    private final String file;
    private final TemperatureFit multiclass;
    private final MultilabelTemperatureFit multilabel;

    private Calibration(String file, TemperatureFit multiclass, MultilabelTemperatureFit multilabel) {
        this.file = file;
        this.multiclass = multiclass;
        this.multilabel = multilabel;
    }

    /**
     * Reads {@code file} for {@code model}.
     *
     * @throws DataException naming the file if it is missing or malformed, or does not fit the model: the model does
     *     not emit logits, the file is for another task, or it has another number of per-label temperatures
     */
    static Calibration read(Path file, OnnxClassifier model) {
        Map<String, Object> map = Json.read(file);
        String name = file.toString();
        if ((map.containsKey("threshold") || map.containsKey("thresholds")) && !map.containsKey("temperature")) {
            throw new DataException(name + ": holds thresholds written by logits4j tune-thresholds, not a temperature;"
                    + " give it with --thresholds, and a temperature from logits4j calibrate with --calibration");
        }
        model.requireLogits("--calibration " + file);
        FileFit.check(map, name, model);
        try {
            if (model.task() == Task.MULTICLASS) {
                if (map.containsKey("per_class")) {
                    throw new DataException(name + ": holds a multi-label temperature; " + model.inspection().source()
                            + " is multiclass");
                }
                return new Calibration(name, TemperatureFit.fromMap(map), null);
            }
            if (!map.containsKey("per_class")) {
                throw new DataException(name + ": holds a multi-class temperature; " + model.inspection().source()
                        + " is " + model.task().id() + " (calibrate it with logits4j calibrate)");
            }
            MultilabelTemperatureFit fit = MultilabelTemperatureFit.fromMap(map);
            if (fit.perClass() && fit.temperatures().length != model.classes()) {
                throw new DataException(name + ": has " + fit.temperatures().length + " per-label temperatures; "
                        + model.inspection().source() + " has " + model.classes() + " labels");
            }
            return new Calibration(name, null, fit);
        } catch (IllegalArgumentException e) {
            throw new DataException(name + ": " + e.getMessage(), e);
        }
    }

    /** The temperature, or one per label. */
    double[] temperatures() {
        return multiclass != null ? new double[] {multiclass.temperature()} : multilabel.temperatures();
    }

    /** The calibrated probabilities of raw logits (scaled as an evaluation scales them): a new matrix. */
    FloatMatrix probabilities(FloatMatrix raw) {
        return multiclass != null ? multiclass.apply(raw) : multilabel.apply(raw);
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file);
        if (multiclass != null) {
            m.put("temperature", multiclass.temperature());
        } else if (!multilabel.perClass()) {
            m.put("temperature", multilabel.temperatures()[0]);
        } else {
            List<Double> t = new ArrayList<>();
            for (double v : multilabel.temperatures()) {
                t.add(v);
            }
            m.put("temperature", t);
        }
        return m;
    }
}
