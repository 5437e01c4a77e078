package io.github.logits4j.decision;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;
import io.github.logits4j.kernel.Kernels;

/** Shared pieces of the threshold rules; package-private. */
final class Thresholds {
    private static final Kernels KERNELS = Kernels.get();

    private Thresholds() {
    }

    /** What a valid score of {@code kind} is, for messages. */
    static String expected(OutputKind kind) {
        return switch (kind) {
            case PROBABILITIES -> "a probability in [0, 1]";
            case LOG_PROBABILITIES -> "a log-probability <= 0";
            case LOGITS, DECISION_VALUES -> "a number";
        };
    }

    /**
     * Writes the probabilities of row {@code r} of {@code scores} (of kind {@code kind}) into {@code p[0 .. cols)},
     * checking that none is NaN and, for probability input, that each lies in [0, 1].
     */
    static void probabilities(FloatMatrix scores, OutputKind kind, int r, float[] rowScratch, float[] p) {
        int cols = scores.cols();
        float[] x = scores.row(r, rowScratch);
        int off = scores.rowOffset(r);
        switch (kind) {
            case LOGITS -> KERNELS.sigmoid(x, off, p, 0, cols, 1.0);
            case LOG_PROBABILITIES -> KERNELS.exp(x, off, p, 0, cols);
            case PROBABILITIES -> System.arraycopy(x, off, p, 0, cols);
            case DECISION_VALUES -> throw new IllegalStateException("refused by the builder");
        }
        for (int c = 0; c < cols; c++) {
            float v = p[c];
            if (!(v >= 0f && v <= 1f)) {
                throw new IllegalArgumentException("score at row " + r + ", column " + c + " is " + x[off + c]
                        + "; expected " + expected(kind));
            }
        }
    }
}
