package io.github.logits4j.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The list and matrix values that reports put in their maps ({@link Report#toMap()}): boxed once, unmodifiable.
 *
 * <pre>{@code
 * m.put("per_class_f1", ReportMaps.list(f1PerClass()));
 * m.put("confusion_matrix", ReportMaps.matrix(confusion, classes, classes));
 * }</pre>
 */
final class ReportMaps {
    private ReportMaps() {
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
