package io.github.logits4j.metrics;

import io.github.logits4j.kernel.Checks;

/**
 * The check of one row of multi-class scores before it is counted; package-private.
 *
 * <pre>{@code
 * RowChecks.scores(p, 0, classes, r, false, 1e-4);   // IllegalArgumentException naming row r
 * }</pre>
 */
final class RowChecks {
    private RowChecks() {
    }

    /**
     * Decision values: each finite. Probabilities: each in [0, 1], the row summing to 1 within {@code tolerance}.
     *
     * @throws IllegalArgumentException naming the row (and column) and what was expected
     */
    static void scores(double[] p, int off, int classes, int r, boolean decisionValues, double tolerance) {
        if (decisionValues) {
            for (int c = 0; c < classes; c++) {
                if (!Double.isFinite(p[off + c])) {
                    throw new IllegalArgumentException("decision value at row " + r + ", column " + c + " is "
                            + p[off + c] + "; expected a finite number");
                }
            }
            return;
        }
        double sum = 0.0;
        for (int c = 0; c < classes; c++) {
            sum += Checks.probabilityAt(p[off + c], r, c);
        }
        if (!(Math.abs(sum - 1.0) <= tolerance)) {
            throw new IllegalArgumentException("probabilities at row " + r + " sum to " + sum
                    + "; expected 1 within " + tolerance + " (multi-class metrics take softmax probabilities,"
                    + " not logits; Builder.rowSumTolerance allows rows that drift further)");
        }
    }
}
