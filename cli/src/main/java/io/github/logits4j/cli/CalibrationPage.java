package io.github.logits4j.cli;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.Task;
import io.github.logits4j.activation.Activation;
import io.github.logits4j.calibration.TemperatureScaling;
import io.github.logits4j.metrics.BinaryMetrics;
import io.github.logits4j.metrics.CalibrationCurve;
import io.github.logits4j.metrics.MulticlassMetrics;
import io.github.logits4j.metrics.RankMode;
import io.github.logits4j.onnx.OnnxClassifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTML page of {@code calibrate --html}: the fitted temperature, the NLL and the ECE before and after it, and the
 * reliability diagrams of the validation rows before and after (top-label confidence for a multi-class model; every
 * label's probability for binary and multi-label models), as {@link HtmlReport} draws them.
 *
 * <pre>{@code
 * String page = CalibrationPage.render(fitReport, classifier, validation, temperatures);
 * }</pre>
 */
final class CalibrationPage {
    private CalibrationPage() {
    }

    static String render(Map<String, Object> fit, OnnxClassifier model, Collected validation, double[] temperatures) {
        FloatMatrix raw = validation.raw();
        FloatMatrix scaled = FloatMatrix.allocate(raw.rows(), raw.cols());
        TemperatureScaling.scale(raw, temperatures, scaled);
        CalibrationCurve before = reliability(model.task(), raw, validation);
        CalibrationCurve after = reliability(model.task(), scaled, validation);
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (String key : List.of("temperature", "nll_before", "nll_after", "ece_before", "ece_after", "iterations")) {
            if (fit.containsKey(key)) {
                metrics.put(key, fit.get(key));
            }
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("kind", "calibration");
        page.put("model", fit.get("model"));
        page.put("task", model.task().id());
        page.put("samples", raw.rows());
        page.put("classes", model.classes());
        page.put("output_kind", model.outputKind().id());
        page.put("output_kind_evidence", model.inspection().outputKindEvidence());
        page.put("metrics", metrics);
        page.put("class_names", model.classNames());
        page.put("inputs", fit.get("inputs"));
        page.put("labels", fit.get("labels"));
        Map<String, Object> curves = new LinkedHashMap<>();
        curves.put("task", model.task().id());
        curves.put("reliability_before", before.toMap());
        curves.put("reliability", after.toMap());
        return HtmlReport.render(page, curves);
    }

    /** The reliability diagram of the logits {@code z}: softmax's top label, or every sigmoid against its label. */
    private static CalibrationCurve reliability(Task task, FloatMatrix z, Collected validation) {
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
