package io.github.logits4j.report;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.Task;
import io.github.logits4j.activation.Activation;
import io.github.logits4j.calibration.TemperatureScaling;
import io.github.logits4j.metrics.BinaryMetrics;
import io.github.logits4j.metrics.CalibrationCurve;
import io.github.logits4j.metrics.MulticlassMetrics;
import io.github.logits4j.metrics.RankMode;
import io.github.logits4j.data.CollectedScores;
import io.github.logits4j.onnx.ModelTemperature;
import io.github.logits4j.onnx.OnnxClassifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTML page of a temperature fit ({@code calibrate --html}): the fitted temperature, the NLL and the ECE before and
 * after it, and the reliability diagrams of the validation rows before and after (top-label confidence for a
 * multi-class model; every label's probability for binary and multi-label models), as {@link HtmlReport} draws them.
 *
 * <pre>{@code
 * CollectedScores validation = dataSet.collect(model, null, b -> { });
 * ModelTemperature fit = validation.fitTemperature(model, false);
 * String page = CalibrationPage.render(fit, model, validation, "model.onnx", "val_x.npy", "val_y.npy");
 * }</pre>
 */
public final class CalibrationPage {
    private CalibrationPage() {
    }

    /**
     * The page of {@code fit}, fitted for {@code model} on {@code validation}; {@code modelName}, {@code inputs} and
     * {@code labels} say where the model and the data came from.
     */
    public static String render(ModelTemperature fit, OnnxClassifier model, CollectedScores validation,
            String modelName, String inputs, String labels) {
        FloatMatrix raw = validation.raw();
        FloatMatrix scaled = FloatMatrix.allocate(raw.rows(), raw.cols());
        TemperatureScaling.scale(raw, fit.temperatures(), scaled);
        Map<String, Object> values = fit.toMap();
        CalibrationCurve before = reliability(model.task(), raw, validation);
        CalibrationCurve after = reliability(model.task(), scaled, validation);
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (String key : List.of("temperature", "nll_before", "nll_after", "ece_before", "ece_after", "iterations")) {
            if (values.containsKey(key)) {
                metrics.put(key, values.get(key));
            }
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("kind", "calibration");
        page.put("model", modelName);
        page.put("task", model.task().id());
        page.put("samples", raw.rows());
        page.put("classes", model.classes());
        page.put("output_kind", model.outputKind().id());
        page.put("output_kind_evidence", model.inspection().outputKindEvidence());
        page.put("metrics", metrics);
        page.put("class_names", model.classNames());
        page.put("inputs", inputs);
        page.put("labels", labels);
        Map<String, Object> curves = new LinkedHashMap<>();
        curves.put("task", model.task().id());
        curves.put("reliability_before", before.toMap());
        curves.put("reliability", after.toMap());
        return HtmlReport.render(page, curves);
    }

    /** The reliability diagram of the logits {@code z}: softmax's top label, or every sigmoid against its label. */
    private static CalibrationCurve reliability(Task task, FloatMatrix z, CollectedScores validation) {
        int n = z.rows();
        int c = z.cols();
        double[] p = new double[n * c];
        if (task == Task.MULTICLASS) {
            Activation.SOFTMAX.applyToDoubles(z, p);
            MulticlassMetrics m = MulticlassMetrics.builder(c).rankMode(RankMode.none()).build();
            m.update(p, n, validation.labels(), null);
            return m.reliabilityCurve();
        }
        Activation.SIGMOID.applyToDoubles(z, p);
        int[] y = new int[n * c];
        FloatMatrix matrix = validation.labelMatrix();
        int[] labels = matrix == null ? validation.labels() : null;
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < c; j++) {
                y[r * c + j] = matrix != null ? (int) matrix.get(r, j) : labels[r];
            }
        }
        BinaryMetrics m = BinaryMetrics.builder().rankMode(RankMode.none()).build();
        m.update(p, y, null);
        return m.reliabilityCurve();
    }
}
