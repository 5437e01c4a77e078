/**
 * An evaluation's report as aligned text, JSON or one self-contained HTML page ({@link
 * io.github.logits4j.report.ReportFormat}), and the page of a temperature fit ({@link
 * io.github.logits4j.report.CalibrationPage}). Types are non-null unless annotated {@code @Nullable}.
 *
 * <pre>{@code
 * String html = ReportFormat.HTML.render(EvaluationReport.of(model, result));
 * }</pre>
 */
@NullMarked
package io.github.logits4j.report;

import org.jspecify.annotations.NullMarked;
