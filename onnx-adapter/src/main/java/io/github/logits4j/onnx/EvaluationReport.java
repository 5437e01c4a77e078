package io.github.logits4j.onnx;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything a report of one evaluation says: where the model and the data came from, the {@link EvaluationResult}
 * (loss, metrics, curves, timing), the class names, why the output kind was decided, and the decision thresholds and
 * temperature applied when any were. What {@code logits4j evaluate} and the Spark job print, in one immutable value;
 * the renderers of {@code logits4j-report} (text, JSON, HTML) read it.
 *
 * <pre>{@code
 * EvaluationResult result = dataSet.evaluate(model, options);
 * EvaluationReport report = EvaluationReport.of(model, result).withData("x.npy", "y.npy");
 * String json = ReportFormat.JSON.render(report);             // logits4j-report
 * }</pre>
 *
 * @param model the model file (or resource) as the reader should see it
 * @param inputs where the inputs came from: files, or a table
 * @param labels where the labels came from: a file, or a column
 * @param result the evaluation
 * @param classNames the model's class names, in class order
 * @param outputKindEvidence why the output kind was decided (the graph, the metadata, a setting)
 * @param thresholds the decision thresholds applied, or null for the default 0.5
 * @param calibration the temperature applied, or null for none
 */
public record EvaluationReport(String model, String inputs, String labels, EvaluationResult result,
        List<String> classNames, String outputKindEvidence, @Nullable ModelThresholds thresholds,
        @Nullable ModelTemperature calibration) {

    /** Checks that nothing but the thresholds and the calibration is null, and copies the class names. */
    public EvaluationReport {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(result, "result");
        classNames = List.copyOf(classNames);
        Objects.requireNonNull(outputKindEvidence, "outputKindEvidence");
    }

    /** The report of {@code result}, an evaluation of {@code model}; the data unnamed until {@link #withData}. */
    public static EvaluationReport of(OnnxClassifier model, EvaluationResult result) {
        ModelInspection i = model.inspection();
        return new EvaluationReport(i.source(), "", "", result, model.classNames(), i.outputKindEvidence(), null,
                null);
    }

    /** This report with the model named as {@code model} (a path as the user gave it, say). */
    public EvaluationReport withModel(String model) {
        return new EvaluationReport(model, inputs, labels, result, classNames, outputKindEvidence, thresholds,
                calibration);
    }

    /** This report with where its inputs and labels came from. */
    public EvaluationReport withData(String inputs, String labels) {
        return new EvaluationReport(model, inputs, labels, result, classNames, outputKindEvidence, thresholds,
                calibration);
    }

    /** This report with the thresholds applied; default thresholds (0.5 and no file) are not reported. */
    public EvaluationReport withThresholds(@Nullable ModelThresholds applied) {
        return new EvaluationReport(model, inputs, labels, result, classNames, outputKindEvidence,
                applied == null || applied.isDefault() ? null : applied, calibration);
    }

    /** This report with the temperature applied. */
    public EvaluationReport withCalibration(@Nullable ModelTemperature applied) {
        return new EvaluationReport(model, inputs, labels, result, classNames, outputKindEvidence, thresholds,
                applied);
    }

    /**
     * The report as the JSON edge writes it: {@code model}, the result's map ({@link EvaluationResult#toMap()}),
     * {@code calibration} and {@code thresholds} when applied, {@code class_names}, {@code inputs}, {@code labels}.
     * Unmodifiable.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.putAll(result.toMap());
        if (calibration != null) {
            m.put("calibration", calibration.describe());
        }
        if (thresholds != null) {
            m.put("thresholds", thresholds.describe());
        }
        m.put("class_names", classNames);
        m.put("inputs", inputs);
        m.put("labels", labels);
        return Collections.unmodifiableMap(m);
    }
}
