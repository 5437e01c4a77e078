package io.github.logits4j.metrics;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.kernel.Checks;
import org.jspecify.annotations.Nullable;

/**
 * scikit-learn's {@code hinge_loss} of decision values (logits, not probabilities): the (weighted) mean of
 * {@code max(0, 1 - margin)}. Binary: the margin is {@code y * d} with the labels 0/1 read as -1/+1 (scikit-learn
 * agrees whenever both classes occur; given one class only, its LabelBinarizer reads that class as -1). Multi-class
 * (Crammer-Singer): the margin is the true class's value minus the largest other value.
 *
 * <pre>{@code
 * double binary = HingeLoss.binary(logits, labels, null);          // logits [N x 1], labels 0/1
 * double multi = HingeLoss.multiclass(logits, labels, weights);    // logits [N x C], labels in [0, C)
 * }</pre>
 *
 * <p>Stateless; the sums run in double over the float32 values, in row order. A caller streaming batches keeps the
 * weighted sums itself or concatenates.
 */
public final class HingeLoss {
    private HingeLoss() {
    }

    /**
     * The binary hinge loss of decision values {@code [N x 1]} against labels 0/1.
     *
     * @param weights N finite weights {@code >= 0}, or null for all 1
     * @throws IllegalArgumentException if the shapes differ, a label is not 0 or 1, or a weight is negative or not
     *     finite (naming the row)
     */
    public static double binary(FloatMatrix decision, int[] labels, double @Nullable [] weights) {
        if (decision.cols() != 1) {
            throw new IllegalArgumentException("binary decision values have " + decision.cols() + " columns;"
                    + " expected 1 (use multiclass(...) for [N x C])");
        }
        int n = decision.rows();
        check(n, labels, weights);
        double sum = 0.0;
        double weightSum = 0.0;
        for (int r = 0; r < n; r++) {
            int y = Checks.binaryLabel(labels[r], r);
            double w = Checks.weight(weights, r);
            double margin = (y == 1 ? 1.0 : -1.0) * decision.get(r, 0);
            sum += Math.max(0.0, 1.0 - margin) * w;
            weightSum += w;
        }
        return sum / weightSum;
    }

    /**
     * The multi-class (Crammer-Singer) hinge loss of decision values {@code [N x C]}, {@code C >= 2}, against class
     * indices.
     *
     * @param weights N finite weights {@code >= 0}, or null for all 1
     * @throws IllegalArgumentException if the shapes differ, there are fewer than 2 columns, a label is outside
     *     {@code [0, C)} or a weight is negative or not finite (naming the row)
     */
    public static double multiclass(FloatMatrix decision, int[] labels, double @Nullable [] weights) {
        int n = decision.rows();
        int c = decision.cols();
        if (c < 2) {
            throw new IllegalArgumentException("multi-class decision values have " + c + " column; expected at least"
                    + " 2 (use binary(...) for [N x 1])");
        }
        check(n, labels, weights);
        double sum = 0.0;
        double weightSum = 0.0;
        float[] scratch = decision.hasArray() ? null : new float[c];
        for (int r = 0; r < n; r++) {
            int y = Checks.classLabel(labels[r], r, c);
            double w = Checks.weight(weights, r);
            float[] row = decision.row(r, scratch);
            int off = decision.rowOffset(r);
            double other = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                if (j != y) {
                    other = Math.max(other, row[off + j]);
                }
            }
            double margin = row[off + y] - other;
            sum += Math.max(0.0, 1.0 - margin) * w;
            weightSum += w;
        }
        return sum / weightSum;
    }

    private static void check(int rows, int[] labels, double @Nullable [] weights) {
        Checks.requireRows(labels.length, rows, "labels");
        if (weights != null) {
            Checks.requireRows(weights.length, rows, "sample weights");
        }
    }
}
