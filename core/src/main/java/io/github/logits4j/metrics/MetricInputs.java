package io.github.logits4j.metrics;

import io.github.logits4j.FloatMatrix;

/** Validation and row access shared by the metric accumulators; package-private. */
final class MetricInputs {
    private MetricInputs() {
    }

    static void requireRows(int found, int rows, String what) {
        if (found != rows) {
            throw new IllegalArgumentException(what + " has " + found + " entries; expected " + rows
                    + ", one per row");
        }
    }

    /** The weight of row {@code r}: 1 without weights; else checked to be finite and {@code >= 0}. */
    static double weight(double[] weights, int r) {
        if (weights == null) {
            return 1.0;
        }
        double w = weights[r];
        if (!(w >= 0.0 && w < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("sample weight at row " + r + " is " + w
                    + "; expected a finite number >= 0");
        }
        return w;
    }

    /** Checks a probability at (row, col). */
    static double probability(double p, int row, int col) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("probability at row " + row + (col >= 0 ? ", column " + col : "")
                    + " is " + p + "; expected a probability in [0, 1] (apply the softmax or sigmoid head to logits"
                    + " first)");
        }
        return p;
    }

    /** Copies row {@code r} of {@code m} into {@code dst} as doubles. */
    static void row(FloatMatrix m, int r, float[] scratch, double[] dst) {
        float[] a = m.row(r, scratch);
        int off = m.rowOffset(r);
        for (int c = 0; c < dst.length; c++) {
            dst[c] = a[off + c];
        }
    }

    /** Checks a log-loss clip epsilon, in (0, 0.5). */
    static double logLossEpsilon(double eps) {
        if (!(eps > 0.0 && eps < 0.5)) {
            throw new IllegalArgumentException("log-loss epsilon must be in (0, 0.5); found " + eps);
        }
        return eps;
    }

    static void requireCols(int found, int expected, String what) {
        if (found != expected) {
            throw new IllegalArgumentException(what + " has " + found + " columns; expected " + expected
                    + " (the classes this accumulator was built for)");
        }
    }

    /** Checks a row-major double array holds {@code rows * cols} values. */
    static void requireLength(double[] data, int rows, int cols, String what) {
        if (rows < 0 || data.length != (long) rows * cols) {
            throw new IllegalArgumentException(what + " has " + data.length + " values; expected rows * columns = "
                    + rows + " * " + cols + " = " + (long) rows * cols);
        }
    }
}
