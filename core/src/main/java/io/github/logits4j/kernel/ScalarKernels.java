package io.github.logits4j.kernel;

/** Plain-Java kernels: the reference implementation that any faster one must agree with. */
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
        double sum = 0.0;
        for (int i = off, end = off + n; i < end; i++) {
            sum += Math.exp((x[i] - (double) shift) * invT);
        }
        return Math.log(sum);
    }

    @Override
    public void softmax(float[] x, int xOff, float[] y, int yOff, int n, double invT) {
        float m = max(x, xOff, n);
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp((x[xOff + i] - (double) m) * invT);
            sum += e;
            y[yOff + i] = (float) e;
        }
        double inv = 1.0 / sum;
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) (y[yOff + i] * inv);
        }
    }

    @Override
    public void logSoftmax(float[] x, int xOff, float[] y, int yOff, int n, double invT) {
        float m = max(x, xOff, n);
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp((x[xOff + i] - (double) m) * invT);
        }
        double logSum = Math.log(sum);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) ((x[xOff + i] - (double) m) * invT - logSum);
        }
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n, double invT) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) Kernels.sigmoid(x[xOff + i] * invT);
        }
    }

    @Override
    public void logSigmoid(float[] x, int xOff, float[] y, int yOff, int n, double invT) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) Kernels.logSigmoid(x[xOff + i] * invT);
        }
    }

    @Override
    public double bceWithLogitsSum(float[] x, int xOff, float[] y, int yOff, int n) {
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            sum += (1.0 - y[yOff + i]) * v - Kernels.logSigmoid(v);
        }
        return sum;
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
            y[yOff + i] = (float) Math.exp(x[xOff + i]);
        }
    }
}
