package io.github.logits4j.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a report's map as an aligned text table; package-private. */
final class ReportTable {
    private ReportTable() {
    }

    static String render(String title, Map<String, Object> map) {
        int width = 0;
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (!(e.getValue() instanceof List)) {
                width = Math.max(width, e.getKey().length());
            }
        }
        StringBuilder sb = new StringBuilder(title).append('\n');
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (!(e.getValue() instanceof List)) {
                sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %s%n", e.getKey(), format(e.getValue())));
            }
        }
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (e.getValue() instanceof List<?> list && !list.isEmpty()) {
                sb.append("  ").append(e.getKey()).append('\n');
                for (int i = 0; i < list.size(); i++) {
                    Object v = list.get(i);
                    sb.append(String.format(Locale.ROOT, "    %4d  ", i));
                    if (v instanceof List<?> inner) {
                        for (Object x : inner) {
                            sb.append(String.format(Locale.ROOT, "%12s", format(x)));
                        }
                    } else {
                        sb.append(format(v));
                    }
                    sb.append('\n');
                }
            }
        }
        return sb.toString();
    }

    static String format(Object v) {
        if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                return d.toString();
            }
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return String.format(Locale.ROOT, "%.1f", d);
            }
            return String.format(Locale.ROOT, "%.6f", d);
        }
        return String.valueOf(v);
    }

    static List<Double> list(double[] values) {
        Double[] boxed = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return List.of(boxed);
    }

    static List<List<Double>> matrix(double[] values, int rows, int cols) {
        List<List<Double>> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            double[] row = new double[cols];
            System.arraycopy(values, r * cols, row, 0, cols);
            out.add(list(row));
        }
        return List.copyOf(out);
    }
}
