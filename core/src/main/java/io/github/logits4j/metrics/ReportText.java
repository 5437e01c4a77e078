package io.github.logits4j.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Renders a report map (a {@link Report#toMap()}, or the whole report {@code logits4j evaluate --format json} writes)
 * as aligned text, the one text layout of logits4j's reports: scalar entries as
 * {@code key  value} lines aligned per section, nested maps as indented sections, the per-class lists of a metrics
 * report ({@code per_class_precision}, {@code per_class_recall}, ...) as one table with a row per class, and
 * confusion matrices as matrices. Numbers are shown with six decimals, counts as integers; NaN as {@code NaN}.
 *
 * <pre>{@code
 * String table = ReportText.render(report, model.classNames());
 * // model               testdata/models/digits_logits.onnx
 * // samples             360
 * // ...
 * // metrics
 * //   accuracy          0.966667
 * }</pre>
 */
public final class ReportText {
    private ReportText() {
    }

    /**
     * A parameter as it stands in a report key, the way scikit-learn users write it: {@code 0.1}, {@code 0.05},
     * {@code 2} ({@code roc_auc_max_fpr_0.1}, {@code macro_fbeta_2}).
     */
    public static String keyNumber(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** {@code report} as text; {@code classNames} label the rows of per-class tables (indices when null). */
    public static String render(Map<String, ?> report, @Nullable List<String> classNames) {
        StringBuilder sb = new StringBuilder();
        section(sb, report, "", classNames);
        return sb.toString();
    }

    private static void section(StringBuilder sb, Map<String, ?> map, String indent, List<String> names) {
        Map<String, List<?>> perClass = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : map.entrySet()) {
            if (e.getValue() instanceof List<?> l && !l.isEmpty() && !(l.get(0) instanceof List)
                    && (e.getKey().startsWith("per_class_") || e.getKey().startsWith("per_label_"))) {
                perClass.put(e.getKey(), l);
            }
        }
        int width = 0;
        for (Map.Entry<String, ?> e : map.entrySet()) {
            Object v = e.getValue();
            if (!perClass.containsKey(e.getKey()) && (isScalar(v) || isShortList(v) || isLoss(v))) {
                width = Math.max(width, e.getKey().length());
            }
        }
        for (Map.Entry<String, ?> e : map.entrySet()) {
            Object v = e.getValue();
            String key = e.getKey();
            if (perClass.containsKey(key)) {
                if (key.equals(perClass.keySet().iterator().next())) {
                    table(sb, perClass, indent, names);
                }
            } else if (isScalar(v) || isShortList(v)) {
                sb.append(indent).append(pad(key, width)).append("  ").append(format(v)).append('\n');
            } else if (isLoss(v)) {
                Map<?, ?> loss = (Map<?, ?>) v;
                sb.append(indent).append(pad(key, width)).append("  ").append(loss.get("name")).append(" = ")
                        .append(format(loss.get("value"))).append('\n');
            } else if (v instanceof Map<?, ?> m) {
                sb.append(indent).append(key).append('\n');
                @SuppressWarnings("unchecked")
                Map<String, ?> inner = (Map<String, ?>) m;
                section(sb, inner, indent + "  ", names);
            } else if (v instanceof List<?> l && !l.isEmpty()) {
                if (l.get(0) instanceof List) {
                    matrix(sb, key, l, indent, names);
                } else {
                    sb.append(indent).append(key).append("  ").append(format(v)).append('\n');
                }
            }
        }
    }

    /** A loss: {@code {"name": ..., "value": ...}}, shown on one line. */
    private static boolean isLoss(Object v) {
        return v instanceof Map<?, ?> m && m.size() == 2 && m.containsKey("name") && m.containsKey("value");
    }

    private static void table(StringBuilder sb, Map<String, List<?>> columns, String indent, List<String> names) {
        String first = columns.keySet().iterator().next();
        String label = first.startsWith("per_class_") ? "class" : "label";
        int rows = columns.values().iterator().next().size();
        int nameWidth = label.length();
        for (int r = 0; r < rows; r++) {
            nameWidth = Math.max(nameWidth, rowName(names, r).length());
        }
        List<String> headers = new ArrayList<>();
        List<Integer> widths = new ArrayList<>();
        for (String key : columns.keySet()) {
            String h = key.substring(key.indexOf('_', 4) + 1);
            headers.add(h);
            widths.add(Math.max(h.length(), 9));
        }
        sb.append(indent).append(pad(label, nameWidth));
        for (int i = 0; i < headers.size(); i++) {
            sb.append("  ").append(String.format(Locale.ROOT, "%" + widths.get(i) + "s", headers.get(i)));
        }
        sb.append('\n');
        List<Boolean> counts = new ArrayList<>();
        for (List<?> column : columns.values()) {
            counts.add(allCounts(column));
        }
        for (int r = 0; r < rows; r++) {
            sb.append(indent).append(pad(rowName(names, r), nameWidth));
            int c = 0;
            for (List<?> column : columns.values()) {
                Object v = r < column.size() ? column.get(r) : null;
                sb.append("  ").append(String.format(Locale.ROOT, "%" + widths.get(c) + "s",
                        formatCell(v, counts.get(c))));
                c++;
            }
            sb.append('\n');
        }
    }

    private static void matrix(StringBuilder sb, String key, List<?> rows, String indent, List<String> names) {
        int cols = ((List<?>) rows.get(0)).size();
        List<String> header = new ArrayList<>();
        String corner;
        List<String> rowNames = new ArrayList<>();
        if (key.equals("per_label_confusion") && cols == 4) {
            header = List.of("tn", "fp", "fn", "tp");
            corner = "label";
            for (int r = 0; r < rows.size(); r++) {
                rowNames.add(rowName(names, r));
            }
        } else {
            corner = "true \\ predicted";
            for (int c = 0; c < cols; c++) {
                header.add(Integer.toString(c));
            }
            for (int r = 0; r < rows.size(); r++) {
                rowNames.add(rows.size() == 2 && cols == 2 ? Integer.toString(r) : rowName(names, r));
            }
        }
        int nameWidth = corner.length();
        for (String n : rowNames) {
            nameWidth = Math.max(nameWidth, n.length());
        }
        boolean counts = true;
        for (Object row : rows) {
            counts &= allCounts((List<?>) row);
        }
        int cell = 4;
        for (Object row : rows) {
            for (Object v : (List<?>) row) {
                cell = Math.max(cell, formatCell(v, counts).length());
            }
        }
        sb.append(indent).append(key).append('\n');
        sb.append(indent).append("  ").append(pad(corner, nameWidth));
        for (String h : header) {
            sb.append("  ").append(String.format(Locale.ROOT, "%" + cell + "s", h));
        }
        sb.append('\n');
        for (int r = 0; r < rows.size(); r++) {
            sb.append(indent).append("  ").append(pad(rowNames.get(r), nameWidth));
            for (Object v : (List<?>) rows.get(r)) {
                sb.append("  ").append(String.format(Locale.ROOT, "%" + cell + "s", formatCell(v, counts)));
            }
            sb.append('\n');
        }
    }

    private static String rowName(List<String> names, int r) {
        return names != null && r < names.size() ? names.get(r) : Integer.toString(r);
    }

    private static boolean isScalar(Object v) {
        return v == null || v instanceof Number || v instanceof String || v instanceof Boolean;
    }

    /** A list shown on one line: strings (class names, files) or a few numbers. */
    private static boolean isShortList(Object v) {
        if (!(v instanceof List<?> l) || l.isEmpty()) {
            return v instanceof List;
        }
        return l.get(0) instanceof String || (l.size() <= 4 && l.get(0) instanceof Number);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** A scalar with six decimals (a double), as is (an integer or text), NaN for a missing metric. */
    public static String format(Object v) {
        if (v == null) {
            return "NaN";
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return Double.toString(d);
            }
            double a = Math.abs(d);
            return a != 0 && (a < 1e-4 || a >= 1e9) ? String.format(Locale.ROOT, "%.6e", d)
                    : String.format(Locale.ROOT, "%.6f", d);
        }
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) {
                parts.add(format(o));
            }
            String joined = String.join(", ", parts);
            return l.size() > 20 ? String.join(", ", parts.subList(0, 16)) + ", ... (" + (l.size() - 16) + " more)"
                    : joined;
        }
        return String.valueOf(v);
    }

    /** Whether every value is a whole number: a column of counts. */
    private static boolean allCounts(List<?> values) {
        for (Object v : values) {
            if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                    || Math.abs(n.doubleValue()) >= 1e15) {
                return false;
            }
        }
        return true;
    }

    /** A table cell: counts without decimals, other numbers as {@link #format}. */
    private static String formatCell(Object v, boolean counts) {
        if (counts && v instanceof Number n) {
            return Long.toString((long) n.doubleValue());
        }
        return format(v);
    }
}
