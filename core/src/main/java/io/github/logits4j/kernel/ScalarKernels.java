package io.github.logits4j.kernel;

import static io.github.logits4j.kernel.FloatMath.FOLD;
import static io.github.logits4j.kernel.FloatMath.LANES;

/**
 * Plain-Java kernels: {@link FloatMath}'s arithmetic one element at a time, sums in its canonical order. The Vector API
 * kernels compute the same operations lane by lane, so the two give the same results bit for bit; this class is the
 * definition they are tested against, and the path taken where the Vector API is not readable (or a row is too short
 * for vectors to pay).
 */
final class ScalarKernels implements Kernels {
    static final ScalarKernels INSTANCE = new ScalarKernels();

    private ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public float max(float[] x, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = off, end = off + n; i < end; i++) {
            m = Math.max(m, x[i]);
        }
        return m;
    }

    @Override
    public double logSumExpShifted(float[] x, int off, int n, float shift, double invT) {
        return Math.log(sum(false, x, off, null, 0, n, shift, (float) invT));
    }

    @Override
    public void softmax(float[] x, int xOff, float[] y, int yOff, int n, double invT) {
        float m = max(x, xOff, n);
        float inv = (float) (1.0 / sum(false, x, xOff, y, yOff, n, m, (float) invT));
        for (int i = yOff, end = yOff + n; i < end; i++) {
            y[i] *= inv;
        }
    }

    @Override
    public void logSoftmax(float[] x, int xOff, float[] y, int yOff, int n, double invT) {
        float m = max(x, xOff, n);
        float t = (float) invT;
        float logSum = (float) Math.log(sum(false, x, xOff, null, 0, n, m, t));
        logSoftmaxTail(x, xOff, y, yOff, 0, n, m, t, logSum);
    }

    /** {@code y = (x - m) * t - logSum} over the elements {@code [from, n)} of a row. */
    static void logSoftmaxTail(float[] x, int xOff, float[] y, int yOff, int from, int n, float m, float t,
            float logSum) {
        for (int i = from; i < n; i++) {
            y[yOff + i] = (x[xOff + i] - m) * t - logSum;
        }
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n, double invT) {
        float t = (float) invT;
        for (int i = 0; i < n; i++) {
            y[yOff + i] = FloatMath.sigmoid(x[xOff + i] * t);
        }
    }

    @Override
    public void logSigmoid(float[] x, int xOff, float[] y, int yOff, int n, double invT) {
        float t = (float) invT;
        for (int i = 0; i < n; i++) {
            y[yOff + i] = FloatMath.logSigmoid(x[xOff + i] * t);
        }
    }

    @Override
    public double bceWithLogitsSum(float[] x, int xOff, float[] y, int yOff, int n) {
        return sum(true, x, xOff, y, yOff, n, 0f, 1f);
    }

    @Override
    public void expShiftedAdd(float[] x, int xOff, float[] shift, float[] acc, int accOff, int n) {
        for (int t = 0; t < n; t++) {
            acc[accOff + t] = FloatMath.expNonPositive(x[xOff + t] - shift[t]) + acc[accOff + t];
        }
    }

    @Override
    public void treeLanes(float[] lanes, int stride, float[] out, int n) {
        int k = stride;
        for (int t = 0; t < n; t++) {
            out[t] = FloatMath.tree(lanes[t], lanes[k + t], lanes[2 * k + t], lanes[3 * k + t], lanes[4 * k + t],
                    lanes[5 * k + t], lanes[6 * k + t], lanes[7 * k + t], lanes[8 * k + t], lanes[9 * k + t],
                    lanes[10 * k + t], lanes[11 * k + t], lanes[12 * k + t], lanes[13 * k + t], lanes[14 * k + t],
                    lanes[15 * k + t]);
        }
    }

    @Override
    public void maxTile(float[] x, int xOff, int stride, int classes, float[] max, int n) {
        System.arraycopy(x, xOff, max, 0, n);
        for (int c = 1; c < classes; c++) {
            int off = xOff + c * stride;
            for (int t = 0; t < n; t++) {
                max[t] = Math.max(max[t], x[off + t]);
            }
        }
    }

    /** Folds class {@code c}'s scores of {@code n} positions into their running argmax ({@link #argmaxTile}). */
    private static void argmaxStep(float[] x, int xOff, float[] best, float[] bestClass, int n, int c) {
        for (int t = 0; t < n; t++) {
            float v = x[xOff + t];
            boolean higher = v > best[t] | v != v;
            best[t] = higher ? v : best[t];
            bestClass[t] = higher ? c : bestClass[t];
        }
    }

    @Override
    public boolean argmaxTile(float[] x, int xOff, int stride, int classes, float[] best, float[] bestClass, int n) {
        System.arraycopy(x, xOff, best, 0, n);
        java.util.Arrays.fill(bestClass, 0, n, 0f);
        for (int c = 1; c < classes; c++) {
            argmaxStep(x, xOff + c * stride, best, bestClass, n, c);
        }
        boolean finite = true;
        for (int t = 0; t < n; t++) {
            finite &= Math.abs(best[t]) <= Float.MAX_VALUE;      // false for NaN and the infinities
        }
        return finite;
    }

    @Override
    public int firstAboveOrNaN(float[] x, int from, int to, float threshold) {
        for (int i = from; i < to; i++) {
            float v = x[i];
            if (v > threshold || v != v) {
                return i;
            }
        }
        return to;
    }

    @Override
    public float topKBound(float[] x, int off, int n, int k) {
        return Float.NEGATIVE_INFINITY;        // a scalar scan finds no cheaper bound than the heap's own
    }

    @Override
    public int firstNotProbability(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            float p = x[i];
            if (!(p >= 0f && p <= 1f)) {
                return i;
            }
        }
        return to;
    }

    @Override
    public void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = FloatMath.exp(x[xOff + i]);
        }
    }

    /**
     * The canonical sum ({@link FloatMath}) of a row's terms: {@code exp((x - m) * t)}, also stored into {@code y}
     * when it is not null ({@code bce} false), or {@code (1 - y) x - logsigmoid(x)} ({@code bce} true).
     */
    private static double sum(boolean bce, float[] x, int xOff, float[] y, int yOff, int n, float m, float t) {
        if (n < LANES) {
            double sum = 0.0;                   // a row shorter than one block: in order
            for (int i = 0; i < n; i++) {
                sum += term(bce, x, xOff + i, y, yOff + i, m, t);
            }
            return sum;
        }
        int full = n / LANES;
        int blocks = (n + LANES - 1) / LANES;
        double sum = 0.0;
        for (int start = 0; start < blocks; start += FOLD) {
            int end = Math.min(blocks, start + FOLD);
            float a0 = 0f;
            float a1 = 0f;
            float a2 = 0f;
            float a3 = 0f;
            float a4 = 0f;
            float a5 = 0f;
            float a6 = 0f;
            float a7 = 0f;
            float a8 = 0f;
            float a9 = 0f;
            float a10 = 0f;
            float a11 = 0f;
            float a12 = 0f;
            float a13 = 0f;
            float a14 = 0f;
            float a15 = 0f;
            for (int b = start; b < end; b++) {
                // a whole block, or the last 16 elements of the row with the lanes that earlier blocks hold cut
                int base = b < full ? b * LANES : n - LANES;
                int cut = b < full ? 0 : LANES - n % LANES;
                a0 += 0 < cut ? 0f : term(bce, x, xOff + base, y, yOff + base, m, t);
                a1 += 1 < cut ? 0f : term(bce, x, xOff + base + 1, y, yOff + base + 1, m, t);
                a2 += 2 < cut ? 0f : term(bce, x, xOff + base + 2, y, yOff + base + 2, m, t);
                a3 += 3 < cut ? 0f : term(bce, x, xOff + base + 3, y, yOff + base + 3, m, t);
                a4 += 4 < cut ? 0f : term(bce, x, xOff + base + 4, y, yOff + base + 4, m, t);
                a5 += 5 < cut ? 0f : term(bce, x, xOff + base + 5, y, yOff + base + 5, m, t);
                a6 += 6 < cut ? 0f : term(bce, x, xOff + base + 6, y, yOff + base + 6, m, t);
                a7 += 7 < cut ? 0f : term(bce, x, xOff + base + 7, y, yOff + base + 7, m, t);
                a8 += 8 < cut ? 0f : term(bce, x, xOff + base + 8, y, yOff + base + 8, m, t);
                a9 += 9 < cut ? 0f : term(bce, x, xOff + base + 9, y, yOff + base + 9, m, t);
                a10 += 10 < cut ? 0f : term(bce, x, xOff + base + 10, y, yOff + base + 10, m, t);
                a11 += 11 < cut ? 0f : term(bce, x, xOff + base + 11, y, yOff + base + 11, m, t);
                a12 += 12 < cut ? 0f : term(bce, x, xOff + base + 12, y, yOff + base + 12, m, t);
                a13 += 13 < cut ? 0f : term(bce, x, xOff + base + 13, y, yOff + base + 13, m, t);
                a14 += 14 < cut ? 0f : term(bce, x, xOff + base + 14, y, yOff + base + 14, m, t);
                a15 += 15 < cut ? 0f : term(bce, x, xOff + base + 15, y, yOff + base + 15, m, t);
            }
            sum += FloatMath.tree(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);
        }
        return sum;
    }

    private static float term(boolean bce, float[] x, int xi, float[] y, int yi, float m, float t) {
        if (bce) {
            return FloatMath.bce(x[xi], y[yi]);
        }
        float e = FloatMath.expShifted(x[xi], m, t);
        if (y != null) {
            y[yi] = e;
        }
        return e;
    }
}
