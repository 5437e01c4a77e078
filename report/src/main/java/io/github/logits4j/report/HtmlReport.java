package io.github.logits4j.report;

import io.github.logits4j.metrics.ReportCurves;
import io.github.logits4j.onnx.EvaluationReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The evaluation report as one self-contained HTML page ({@code --format html}): the header, the metrics and the
 * per-class tables (sortable), the confusion matrix as a heat map, ROC and precision-recall curves, the reliability
 * diagram and, for multi-label models, F1 against the threshold. Apache ECharts (from its WebJar, inlined at build
 * time) draws the charts from the data embedded in the page as JSON; the page makes no request and opens offline.
 *
 * <pre>{@code
 * EvaluationOptions options = EvaluationOptions.builder()
 *         .curves(HtmlReport.CURVE_POINTS, HtmlReport.CURVE_CLASSES).build();   // the curves the page draws
 * String page = HtmlReport.render(EvaluationReport.of(model, dataSet.evaluate(model, options)));
 * }</pre>
 *
 * <p>The page stays small for many classes: curves are downsampled to {@value #CURVE_POINTS} points (each with its
 * area bound) and drawn for the {@value #CURVE_CLASSES} classes of most support (micro and macro over all), and the
 * confusion matrix is shown for the {@value #CONFUSION_CLASSES} classes of most support; the page says so when it
 * leaves classes out.
 */
public final class HtmlReport {
    /** The most points of one curve. */
    public static final int CURVE_POINTS = 200;
    /** The most classes (or labels) whose own curves are drawn. */
    public static final int CURVE_CLASSES = 20;
    /** The most classes of the confusion matrix shown. */
    public static final int CONFUSION_CLASSES = 30;

    private HtmlReport() {
    }

    /**
     * The page of an evaluation: its tables, and its charts when the evaluation computed curves
     * ({@code EvaluationOptions.Builder.curves(CURVE_POINTS, CURVE_CLASSES)}).
     */
    public static String render(EvaluationReport report) {
        Map<String, Object> page = new LinkedHashMap<>(report.toMap());
        page.put("output_kind_evidence", report.outputKindEvidence());
        return render(page, report.result().curves());
    }

    /** The page for a report map (as the JSON report writes it) and its curves (null: tables only). */
    public static String render(Map<String, Object> report, @Nullable ReportCurves curves) {
        return render(report, curves == null ? Map.of() : curves.toMap());
    }

    /** The page for a report map and its curves as a map ({@link ReportCurves#toMap()}'s form). */
    static String render(Map<String, Object> report, Map<String, Object> curves) {
        return render(report, curves, Map.of());
    }

    /** The page for a report map, its curves and further data for the page's script ({@link DensePage}'s masks). */
    static String render(Map<String, Object> report, Map<String, Object> curves, Map<String, Object> extra) {
        Map<String, Object> data = new LinkedHashMap<>(extra);
        Map<String, Object> r = new LinkedHashMap<>(report);
        truncateConfusion(r, data);
        data.put("report", r);
        data.put("curves", rounded(curves));
        data.put("version", Versions.logits4j());
        // Nothing in the data may end the script block or open an HTML comment in it ("</script", "<!--"): every "<"
        // is written as the JSON escape \u003c, which JSON.parse reads back as "<".
        String json = Json.line(data).replace("<", "\\u003c");
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + escape("logits4j evaluation: " + report.get("model")) + "</title>\n"
                + "<style>\n" + resource("report.css") + "</style>\n</head>\n<body>\n<main id=\"app\"></main>\n"
                + "<script type=\"application/json\" id=\"logits4j-data\">" + json + "</script>\n"
                + "<script>\n" + resource("echarts.min.js") + "\n</script>\n"
                + "<script>\n" + resource("report.js") + "</script>\n</body>\n</html>\n";
    }

    /** Keeps the confusion matrix of the classes of most support, and says so in {@code data}, when there are many. */
    @SuppressWarnings("unchecked")
    private static void truncateConfusion(Map<String, Object> report, Map<String, Object> data) {
        if (!(report.get("metrics") instanceof Map<?, ?> metrics)
                || !(metrics.get("confusion_matrix") instanceof List<?> rows) || rows.size() <= CONFUSION_CLASSES) {
            return;
        }
        int n = rows.size();
        double[] sums = new double[n];
        for (int t = 0; t < n; t++) {
            for (Object v : (List<Object>) rows.get(t)) {
                sums[t] += ((Number) v).doubleValue();
            }
        }
        int[] shown = ReportCurves.mostSupported(sums, CONFUSION_CLASSES);
        List<Object> sub = new ArrayList<>();
        List<Object> rowSums = new ArrayList<>();
        List<Object> classes = new ArrayList<>();
        for (int t : shown) {
            List<Object> row = (List<Object>) rows.get(t);
            List<Object> cut = new ArrayList<>();
            for (int p : shown) {
                cut.add(row.get(p));
            }
            sub.add(cut);
            rowSums.add(sums[t]);
            classes.add(t);
        }
        Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) metrics);
        m.put("confusion_matrix", sub);
        report.put("metrics", m);
        data.put("confusion_classes", classes);
        data.put("confusion_row_sums", rowSums);
        data.put("confusion_truncated", true);
        data.put("confusion_total", n);
    }

    /** The curves with every number in a list rounded to 6 decimals (the page's size; the scalars stay whole). */
    private static Object rounded(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, rounded(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(o instanceof Double d && Double.isFinite(d) ? Math.round(d * 1e6) / 1e6 : rounded(o));
            }
            return out;
        }
        return value;
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream("html/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the HTML report's " + name + " is missing from the logits4j jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the HTML report's " + name + ": " + e.getMessage(), e);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
