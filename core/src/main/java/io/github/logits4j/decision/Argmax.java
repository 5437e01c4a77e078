package io.github.logits4j.decision;

import io.github.logits4j.DenseScores;
import io.github.logits4j.FloatMatrix;
import java.util.Objects;

/**
 * The class with the highest score in each row; the FIRST such index on ties, as {@code torch.argmax} and
 * {@code np.argmax}. The same class wins whether the row holds logits, probabilities or log-probabilities.
 *
 * <pre>{@code
 * int[] predicted = Argmax.of(logits);          // one class index per row
 * int best = Argmax.ofRow(row, 0, row.length);
 * }</pre>
 *
 * <p>A NaN score is an {@link IllegalArgumentException} naming the row and column (PyTorch would silently pick it).
 * Stateless and safe for concurrent use.
 */
public final class Argmax {
    private Argmax() {
    }

    /** The argmax of every row, a new array of length {@code rows}. */
    public static int[] of(FloatMatrix scores) {
        int[] out = new int[scores.rows()];
        into(scores, out);
        return out;
    }

    /**
     * Writes the argmax of every row into {@code out[0 .. rows)}.
     *
     * @throws IllegalArgumentException if {@code out} is shorter than the number of rows or a score is NaN
     */
    public static void into(FloatMatrix scores, int[] out) {
        Objects.requireNonNull(out, "out");
        int rows = scores.rows();
        int cols = scores.cols();
        if (out.length < rows) {
            throw new IllegalArgumentException("out holds " + out.length + " elements; expected at least " + rows
                    + ", one per row");
        }
        float[] scratch = scores.hasArray() ? null : new float[cols];
        for (int r = 0; r < rows; r++) {
            out[r] = argmax(scores.row(r, scratch), scores.rowOffset(r), cols, r);
        }
    }

    /**
     * Writes the argmax along the class axis of every position of dense scores into {@code out[0 .. N*P)}, row-major
     * {@code [N, d1..dk]}: a decided mask.
     *
     * @throws IllegalArgumentException if {@code out} is too short or a score is NaN (naming sample, position and
     *     class)
     */
    public static void into(DenseScores scores, int[] out) {
        Objects.requireNonNull(out, "out");
        int n = scores.samples();
        int p = scores.positions();
        int c = scores.classes();
        if (out.length < (long) n * p) {
            throw new IllegalArgumentException("out holds " + out.length + " elements; expected at least "
                    + (long) n * p + ", one per position");
        }
        int tile = DenseScores.tilePositions(c);
        float[] rows = new float[tile * c];
        for (int s = 0; s < n; s++) {
            for (int from = 0; from < p; from += tile) {
                int count = Math.min(tile, p - from);
                scores.gather(s, from, count, rows);
                for (int t = 0; t < count; t++) {
                    try {
                        out[s * p + from + t] = argmax(rows, t * c, c, -1);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("sample " + s + ", position " + (from + t) + ": "
                                + e.getMessage(), e);
                    }
                }
            }
        }
    }

    /** The argmax of {@code x[off .. off+n)}, relative to {@code off}. */
    public static int ofRow(float[] x, int off, int n) {
        return argmax(x, off, n, -1);
    }

    private static int argmax(float[] x, int off, int n, int row) {
        int best = 0;
        float bestValue = x[off];
        for (int c = 0; c < n; c++) {
            float v = x[off + c];
            if (Float.isNaN(v)) {
                throw new IllegalArgumentException("score at " + (row >= 0 ? "row " + row + ", " : "") + "column " + c
                        + " is NaN; expected a number (argmax cannot rank NaN)");
            }
            if (v > bestValue) {
                best = c;
                bestValue = v;
            }
        }
        return best;
    }
}
