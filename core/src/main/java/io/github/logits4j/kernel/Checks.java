package io.github.logits4j.kernel;

import io.github.logits4j.FloatMatrix;

/**
 * Input validation shared by the losses, decision rules, metrics and calibration: the one home of each check. Each
 * throws an {@link IllegalArgumentException} whose message names what was wrong, where (row, column) and what was
 * expected and found.
 *
 * <pre>{@code
 * Checks.requireProbabilities(scores, "input");   // "input at row 3, column 1 is 1.2; expected a probability in [0, 1]"
 * }</pre>
 */
public final class Checks {
    private static final Kernels KERNELS = Kernels.get();

    private Checks() {
    }

    /**
     * Checks that every element of {@code m} is a probability in [0, 1] (NaN is not).
     *
     * @param what what the matrix is, for the message ("input", "targets")
     */
    public static void requireProbabilities(FloatMatrix m, String what) {
        int rows = m.rows();
        int cols = m.cols();
        float[] scratch = m.hasArray() ? null : new float[cols];
        for (int r = 0; r < rows; r++) {
            float[] a = m.row(r, scratch);
            int off = m.rowOffset(r);
            int bad = KERNELS.firstNotProbability(a, off, off + cols);
            if (bad < off + cols) {
                throw new IllegalArgumentException(what + " at row " + r + ", column " + (bad - off) + " is "
                        + a[bad] + "; expected a probability in [0, 1]");
            }
        }
    }

    /**
     * Checks that every element of dense scores is a probability in [0, 1].
     *
     * @throws IllegalArgumentException {@code "<what> at sample n, position p, class c is v; expected a probability in
     *     [0, 1]"} for the first that is not
     */
    public static void requireProbabilities(io.github.logits4j.DenseScores s, String what) {
        FloatMatrix m = s.sampleMatrix();
        int width = m.cols();
        float[] scratch = m.hasArray() ? null : new float[width];
        for (int n = 0; n < m.rows(); n++) {
            float[] a = m.row(n, scratch);
            int off = m.rowOffset(n);
            int bad = KERNELS.firstNotProbability(a, off, off + width) - off;
            if (bad < width) {
                boolean first = s.classAxis() == io.github.logits4j.DenseScores.ClassAxis.FIRST;
                int position = first ? bad % s.positions() : bad / s.classes();
                int c = first ? bad / s.positions() : bad % s.classes();
                throw new IllegalArgumentException(what + " at sample " + n + ", position " + position + ", class " + c
                        + " is " + a[off + bad] + "; expected a probability in [0, 1]");
            }
        }
    }

    /**
     * Checks a setting that must be a probability (a threshold, a fallback): {@code "<what> is <value>; expected a
     * probability in [0, 1]"}.
     */
    public static double probability(double value, String what) {
        return probability(value, what, "");
    }

    /** As {@link #probability(double, String)}, with {@code hint} appended to the message (e.g. " (why)"). */
    public static double probability(double value, String what, String hint) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(what + " is " + value + "; expected a probability in [0, 1]" + hint);
        }
        return value;
    }

    /** Checks a setting that must be finite and positive (a temperature, a beta): {@code "<what> must be ..."}. */
    public static double positiveFinite(double value, String what) {
        if (!(value > 0.0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(what + " must be finite and > 0; found " + value);
        }
        return value;
    }

    /**
     * Checks class-index targets: one per input row, each in {@code [0, classes)} or equal to {@code ignoreIndex}.
     */
    public static void requireClassIndices(int[] targets, int rows, int classes, int ignoreIndex, boolean hasIgnore) {
        if (targets.length != rows) {
            throw new IllegalArgumentException("targets has " + targets.length + " entries; expected " + rows
                    + ", one per input row");
        }
        for (int r = 0; r < rows; r++) {
            int t = targets[r];
            if ((t < 0 || t >= classes) && !(hasIgnore && t == ignoreIndex)) {
                throw new IllegalArgumentException("target at row " + r + " is " + t + "; expected a class index in [0, "
                        + (classes - 1) + "]" + (hasIgnore ? " or the ignore index " + ignoreIndex : ""));
            }
        }
    }

    /** Checks that a per-class vector has one entry per input column. */
    public static void requireLength(double[] perClass, int cols, String what) {
        if (perClass.length != cols) {
            throw new IllegalArgumentException(what + " has " + perClass.length + " entries; expected " + cols
                    + ", one per input column");
        }
    }

    /**
     * Checks a per-class vector at configuration time: every entry finite and not negative; returns a defensive copy.
     */
    public static double[] nonNegativeFinite(double[] values, String what) {
        if (values.length == 0) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        double[] copy = values.clone();
        for (int i = 0; i < copy.length; i++) {
            if (!(copy[i] >= 0 && copy[i] < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException(what + "[" + i + "] is " + copy[i]
                        + "; expected a finite number >= 0");
            }
        }
        return copy;
    }

    /** Checks that a per-row array has one entry per row. */
    public static void requireRows(int found, int rows, String what) {
        if (found != rows) {
            throw new IllegalArgumentException(what + " has " + found + " entries; expected " + rows
                    + ", one per row");
        }
    }

    /** The weight of row {@code r}: 1 without weights; else checked to be finite and {@code >= 0}. */
    public static double weight(double[] weights, int r) {
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

    /** Checks a probability at (row, col) of a metric's input. */
    public static double probabilityAt(double p, int row, int col) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("probability at row " + row + (col >= 0 ? ", column " + col : "")
                    + " is " + p + "; expected a probability in [0, 1] (apply the softmax or sigmoid head to logits"
                    + " first)");
        }
        return p;
    }

    /** Copies row {@code r} of {@code m} into {@code dst} as doubles ({@code scratch} serves a buffer-backed m). */
    public static void rowAsDoubles(FloatMatrix m, int r, float[] scratch, double[] dst) {
        float[] a = m.row(r, scratch);
        int off = m.rowOffset(r);
        for (int c = 0; c < dst.length; c++) {
            dst[c] = a[off + c];
        }
    }

    /** Checks a log-loss clip epsilon, in (0, 0.5). */
    public static double logLossEpsilon(double eps) {
        if (!(eps > 0.0 && eps < 0.5)) {
            throw new IllegalArgumentException("log-loss epsilon must be in (0, 0.5); found " + eps);
        }
        return eps;
    }

    /** Checks a matrix has the columns an accumulator was built for. */
    public static void requireCols(int found, int expected, String what) {
        if (found != expected) {
            throw new IllegalArgumentException(what + " has " + found + " columns; expected " + expected
                    + " (the classes this accumulator was built for)");
        }
    }

    /** Checks a row-major double array holds {@code rows * cols} values. */
    public static void requireLength(double[] data, int rows, int cols, String what) {
        if (rows < 0 || data.length != (long) rows * cols) {
            throw new IllegalArgumentException(what + " has " + data.length + " values; expected rows * columns = "
                    + rows + " * " + cols + " = " + (long) rows * cols);
        }
    }

    /**
     * Checks a per-row class label: {@code "label at row 17 is 10; expected a class index in [0, 9]"}; {@code row}
     * is the row as the caller's data set numbers it.
     */
    public static int classLabel(int y, long row, int classes) {
        if (y < 0 || y >= classes) {
            throw new IllegalArgumentException("label at row " + row + " is " + y + "; expected a class index in [0, "
                    + (classes - 1) + "]");
        }
        return y;
    }

    /** Checks a binary label: {@code "label at row 4 is 2; expected 0 or 1"}. */
    public static int binaryLabel(int y, long row) {
        if (y != 0 && y != 1) {
            throw new IllegalArgumentException("label at row " + row + " is " + y + "; expected 0 or 1");
        }
        return y;
    }

    /** Checks an element of a 0/1 label matrix: {@code "label at row 4, column 2 is 0.5; expected 0 or 1"}. */
    public static int zeroOneLabel(double v, long row, int col) {
        if (v != 0.0 && v != 1.0) {
            throw new IllegalArgumentException("label at row " + row + ", column " + col + " is " + v
                    + "; expected 0 or 1");
        }
        return (int) v;
    }
}
