package io.github.logits4j.metrics;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A metrics report for one task: {@link MulticlassReport}, {@link MultilabelReport} or {@link BinaryReport}. Every
 * report exports its metrics as a map with stable snake_case keys named as scikit-learn users know them, and renders
 * them as text through {@link ReportText}, the one renderer the library and the command line share.
 *
 * <pre>{@code
 * Report report = result.report();                         // an evaluation's report, whatever its task
 * String text = report.toTable(model.classNames());        // per-class rows named by class
 * String json = new ObjectMapper().writeValueAsString(report.toMap());
 * if (report instanceof MultilabelReport m) {
 *     double f1 = m.f1(Average.MACRO);
 * }
 * }</pre>
 *
 * <p>Reports are immutable.
 */
public sealed interface Report permits MulticlassReport, MultilabelReport, BinaryReport {
    /** The metrics as an unmodifiable map with snake_case keys, in a stable order. */
    Map<String, Object> toMap();

    /** The title of the report's section in text ({@code "multi-class metrics"}, ...). */
    String title();

    /** The metrics as aligned text, per-class rows labelled by index. */
    default String toTable() {
        return toTable(null);
    }

    /**
     * The metrics as aligned text, per-class (per-label) rows labelled by {@code classNames} (by index when null).
     */
    default String toTable(@Nullable List<String> classNames) {
        return ReportText.render(Map.of(title(), toMap()), classNames);
    }
}
