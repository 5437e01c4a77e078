package io.github.logits4j.report;

import io.github.logits4j.metrics.ReportText;
import io.github.logits4j.onnx.EvaluationReport;
import java.util.Objects;

/**
 * The forms an evaluation report is written in, each reading the typed {@link EvaluationReport}: aligned text,
 * pretty JSON (the one place a report becomes a map), or one self-contained HTML page.
 *
 * <pre>{@code
 * EvaluationReport report = EvaluationReport.of(model, dataSet.evaluate(model, options)).withData("x.npy", "y.npy");
 * Files.writeString(Path.of("report.json"), ReportFormat.JSON.render(report));
 * System.out.print(ReportFormat.TEXT.render(report));
 * }</pre>
 */
public enum ReportFormat {
    /** Aligned text: {@code key  value} lines, a per-class table and the confusion matrix. */
    TEXT,
    /** Pretty JSON; a metric that is undefined for the data is {@code null}. */
    JSON,
    /** One HTML page with the tables and charts; opens offline. */
    HTML;

    /**
     * {@code text}, {@code json} or {@code html}.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static ReportFormat parse(String name) {
        return switch (Objects.requireNonNull(name, "name")) {
            case "text" -> TEXT;
            case "json" -> JSON;
            case "html" -> HTML;
            default -> throw new IllegalArgumentException("report format is '" + name + "'; expected text, json or html");
        };
    }

    /** {@code report} in this form. */
    public String render(EvaluationReport report) {
        Objects.requireNonNull(report, "report");
        return switch (this) {
            case TEXT -> ReportText.render(report.toMap(), report.classNames());
            case JSON -> Json.pretty(report.toMap());
            case HTML -> HtmlReport.render(report);
        };
    }
}
