package io.github.logits4j.calibration;

import io.github.logits4j.kernel.Kernels;

/**
 * A mean negative log-likelihood as a function of the inverse temperature {@code beta = 1/T}, with its first two
 * derivatives. Both forms are convex in beta (the second derivative is a mean of variances). Package-private.
 */
abstract class ScaledNll {
    static final Kernels KERNELS = Kernels.get();

    /** The mean NLL of the logits scaled by {@code beta}. */
    abstract double value(double beta);

    /** Writes the first derivative into {@code d[0]} and the second into {@code d[1]}. */
    abstract void derivatives(double beta, double[] d);

    /**
     * Multi-class: {@code f(beta) = mean_i [logsumexp(beta z_i) - beta z_i,y]}, {@code f' = mean_i [E_p(z_i) - z_i,y]},
     * {@code f'' = mean_i Var_p(z_i)} with {@code p = softmax(beta z_i)}.
     */
    static final class Softmax extends ScaledNll {
        private final float[] a;
        private final int off;
        private final int rows;
        private final int cols;
        private final int[] labels;
        private final double[] p;

        /** Reads {@code rows x cols} logits of {@code a} from {@code off}; one scratch row for the whole fit. */
        Softmax(float[] a, int off, int rows, int cols, int[] labels) {
            this.a = a;
            this.off = off;
            this.rows = rows;
            this.cols = cols;
            this.labels = labels;
            this.p = new double[cols];
        }

        @Override
        double value(double beta) {
            double sum = 0.0;
            for (int r = 0, o = off; r < rows; r++, o += cols) {
                float m = KERNELS.max(a, o, cols);
                sum += Kernels.logSumExpShiftedDouble(a, o, cols, m, beta) - beta * (a[o + labels[r]] - (double) m);
            }
            return sum / rows;
        }

        @Override
        void derivatives(double beta, double[] d) {
            double first = 0.0;
            double second = 0.0;
            for (int r = 0, o = off; r < rows; r++, o += cols) {
                float m = KERNELS.max(a, o, cols);
                double logSum = Kernels.logSumExpShiftedDouble(a, o, cols, m, beta);
                double mean = 0.0;
                for (int c = 0; c < cols; c++) {
                    double pc = Math.exp(beta * (a[o + c] - (double) m) - logSum);
                    p[c] = pc;
                    mean += pc * a[o + c];
                }
                double variance = 0.0;
                for (int c = 0; c < cols; c++) {
                    double dev = a[o + c] - mean;
                    variance += p[c] * dev * dev;
                }
                first += mean - a[o + labels[r]];
                second += variance;
            }
            d[0] = first / rows;
            d[1] = second / rows;
        }

        /** {@code f'(0)}: the mean over rows of the row's mean logit minus the true class's logit. */
        double slopeAtZero() {
            double sum = 0.0;
            for (int r = 0, o = off; r < rows; r++, o += cols) {
                double mean = 0.0;
                for (int c = o, end = o + cols; c < end; c++) {
                    mean += a[c];
                }
                sum += mean / cols - a[o + labels[r]];
            }
            return sum / rows;
        }

        /** Whether the true class has the highest logit (possibly tied) in every row: the NLL falls as T -> 0. */
        boolean separable() {
            for (int r = 0, o = off; r < rows; r++, o += cols) {
                if (a[o + labels[r]] < KERNELS.max(a, o, cols)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Multi-label over the columns {@code [c0, c1)}: {@code f(beta) = mean [(1 - y) beta z - log sigmoid(beta z)]}
     * (BCE with logits), {@code f' = mean z (sigmoid(beta z) - y)}, {@code f'' = mean z^2 s (1 - s)}.
     */
    static final class Sigmoid extends ScaledNll {
        private final float[] x;
        private final int xOff;
        private final float[] y;
        private final int yOff;
        private final int rows;
        private final int cols;
        private final int c0;
        private final int c1;
        private final double count;

        Sigmoid(float[] x, int xOff, float[] y, int yOff, int rows, int cols, int c0, int c1) {
            this.x = x;
            this.xOff = xOff;
            this.y = y;
            this.yOff = yOff;
            this.rows = rows;
            this.cols = cols;
            this.c0 = c0;
            this.c1 = c1;
            this.count = (double) rows * (c1 - c0);
        }

        @Override
        double value(double beta) {
            double sum = 0.0;
            for (int r = 0; r < rows; r++) {
                int xo = xOff + r * cols;
                int yo = yOff + r * cols;
                for (int c = c0; c < c1; c++) {
                    double v = beta * x[xo + c];
                    sum += (1.0 - y[yo + c]) * v - Kernels.logSigmoid(v);
                }
            }
            return sum / count;
        }

        @Override
        void derivatives(double beta, double[] d) {
            double first = 0.0;
            double second = 0.0;
            for (int r = 0; r < rows; r++) {
                int xo = xOff + r * cols;
                int yo = yOff + r * cols;
                for (int c = c0; c < c1; c++) {
                    double z = x[xo + c];
                    double s = Kernels.sigmoid(beta * z);
                    first += z * (s - y[yo + c]);
                    second += z * z * s * (1.0 - s);
                }
            }
            d[0] = first / count;
            d[1] = second / count;
        }

        /** {@code f'(0) = mean z (1/2 - y)}. */
        double slopeAtZero() {
            double sum = 0.0;
            for (int r = 0; r < rows; r++) {
                int xo = xOff + r * cols;
                int yo = yOff + r * cols;
                for (int c = c0; c < c1; c++) {
                    sum += x[xo + c] * (0.5 - y[yo + c]);
                }
            }
            return sum / count;
        }

        /**
         * Whether every logit is on its target's side (positive only where the target is 1, negative only where it
         * is 0): then the NLL falls as T -> 0.
         */
        boolean separable() {
            for (int r = 0; r < rows; r++) {
                int xo = xOff + r * cols;
                int yo = yOff + r * cols;
                for (int c = c0; c < c1; c++) {
                    float z = x[xo + c];
                    float t = y[yo + c];
                    if ((z > 0f && t != 1f) || (z < 0f && t != 0f)) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** Whether every logit is 0: the NLL does not depend on T. */
        boolean allZero() {
            for (int r = 0; r < rows; r++) {
                int xo = xOff + r * cols;
                for (int c = c0; c < c1; c++) {
                    if (x[xo + c] != 0f) {
                        return false;
                    }
                }
            }
            return true;
        }
    }
}
