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
        int full = n - n % LANES;
        double sum = 0.0;
        for (int start = 0; start < full; start += LANES * FOLD) {
            int end = Math.min(full, start + LANES * FOLD);
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
            for (int i = start; i < end; i += LANES) {
                a0 += term(bce, x, xOff + i, y, yOff + i, m, t);
                a1 += term(bce, x, xOff + i + 1, y, yOff + i + 1, m, t);
                a2 += term(bce, x, xOff + i + 2, y, yOff + i + 2, m, t);
                a3 += term(bce, x, xOff + i + 3, y, yOff + i + 3, m, t);
                a4 += term(bce, x, xOff + i + 4, y, yOff + i + 4, m, t);
                a5 += term(bce, x, xOff + i + 5, y, yOff + i + 5, m, t);
                a6 += term(bce, x, xOff + i + 6, y, yOff + i + 6, m, t);
                a7 += term(bce, x, xOff + i + 7, y, yOff + i + 7, m, t);
                a8 += term(bce, x, xOff + i + 8, y, yOff + i + 8, m, t);
                a9 += term(bce, x, xOff + i + 9, y, yOff + i + 9, m, t);
                a10 += term(bce, x, xOff + i + 10, y, yOff + i + 10, m, t);
                a11 += term(bce, x, xOff + i + 11, y, yOff + i + 11, m, t);
                a12 += term(bce, x, xOff + i + 12, y, yOff + i + 12, m, t);
                a13 += term(bce, x, xOff + i + 13, y, yOff + i + 13, m, t);
                a14 += term(bce, x, xOff + i + 14, y, yOff + i + 14, m, t);
                a15 += term(bce, x, xOff + i + 15, y, yOff + i + 15, m, t);
            }
            sum += FloatMath.tree(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);
        }
        for (int i = full; i < n; i++) {
            sum += term(bce, x, xOff + i, y, yOff + i, m, t);
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

    /**
     * The canonical tail of a row sum: {@code sum} plus the elements {@code [from, n)} one by one, computed here
     * ({@code y} null or {@code bce}) or read back from {@code y} where a vector already stored the exponentials.
     */
    static double tail(boolean bce, boolean stored, float[] x, int xOff, float[] y, int yOff, int from, int n,
            float m, float t, double sum) {
        double s = sum;
        for (int i = from; i < n; i++) {
            s += stored ? y[yOff + i] : term(bce, x, xOff + i, y, yOff + i, m, t);
        }
        return s;
    }
}
