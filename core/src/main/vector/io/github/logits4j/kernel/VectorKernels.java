package io.github.logits4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the Panama Vector API ({@code jdk.incubator.vector}), used when that module is readable (the
 * {@code ./logits4j} launcher adds it; an application adds {@code --add-modules jdk.incubator.vector}). Compiled
 * apart from the rest of core, and loaded by name, so that core runs without the module.
 *
 * <p><b>Accuracy.</b> Lanes compute in float: {@code exp}, {@code log1p} and the division by the sum use the JDK's
 * vector intrinsics (SVML on x86, within 1 ulp of the exact float result in the JDK's tests; 4 ulp is what the
 * Vector API's specification promises for these operators). Sums over a row are accumulated in float lanes and
 * folded into a {@code double} every {@value #FOLD} vectors, so a row of a million classes loses no more than a
 * short float sum does (relative error below 1e-6 for rows of positive terms). Against the double-precision scalar
 * kernels a softmax or sigmoid differs by at most a few float ulps, within the parity suite's 1e-6 absolute /
 * 1e-5 relative tolerance; elements past the last whole vector of a row are computed by the scalar code in double.
 * Non-finite input follows the same PyTorch rules as the scalar kernels (a NaN or +inf in a row, or a row of only
 * -inf, gives NaN).
 */
final class VectorKernels implements Kernels {
    static final VectorKernels INSTANCE = new VectorKernels();
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Vectors summed in float lanes before the partial sum is folded into a double. */
    private static final int FOLD = 64;

    private VectorKernels() {
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public float max(float[] x, int off, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        float m = Float.NEGATIVE_INFINITY;
        if (bound > 0) {
            FloatVector vm = FloatVector.fromArray(S, x, off);
            for (i = L; i < bound; i += L) {
                vm = vm.max(FloatVector.fromArray(S, x, off + i));
            }
            m = vm.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            m = Math.max(m, x[off + i]);
        }
        return m;
    }

    /** sum(exp((x - m) * invT)) over the row, writing the exponentials to y when y is not null. */
    private static double expSum(float[] x, int xOff, float[] y, int yOff, int n, float m, double invT) {
        int bound = S.loopBound(n);
        FloatVector mv = FloatVector.broadcast(S, m);
        FloatVector tv = FloatVector.broadcast(S, (float) invT);
        boolean scaled = invT != 1.0;
        FloatVector acc = FloatVector.zero(S);
        double sum = 0.0;
        int i = 0;
        int k = 0;
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i).sub(mv);
            if (scaled) {
                v = v.mul(tv);
            }
            FloatVector e = v.lanewise(VectorOperators.EXP);
            if (y != null) {
                e.intoArray(y, yOff + i);
            }
            acc = acc.add(e);
            if (++k == FOLD) {
                sum += acc.reduceLanes(VectorOperators.ADD);
                acc = FloatVector.zero(S);
                k = 0;
            }
        }
        sum += acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            double e = Math.exp((x[xOff + i] - (double) m) * invT);
            if (y != null) {
                y[yOff + i] = (float) e;
            }
            sum += e;
        }
        return sum;
    }

    @Override
    public double logSumExpShifted(float[] x, int off, int n, float shift, double invT) {
        return Math.log(expSum(x, off, null, 0, n, shift, invT));
    }

    @Override
    public void softmax(float[] x, int xOff, float[] y, int yOff, int n, double invT) {
        float m = max(x, xOff, n);
        double sum = expSum(x, xOff, y, yOff, n, m, invT);
        double inv = 1.0 / sum;
        FloatVector iv = FloatVector.broadcast(S, (float) inv);
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, y, yOff + i).mul(iv).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = (float) (y[yOff + i] * inv);
        }
    }

    @Override
    public void logSoftmax(float[] x, int xOff, float[] y, int yOff, int n, double invT) {
        float m = max(x, xOff, n);
        double logSum = Math.log(expSum(x, xOff, null, 0, n, m, invT));
        FloatVector mv = FloatVector.broadcast(S, m);
        FloatVector tv = FloatVector.broadcast(S, (float) invT);
        FloatVector lv = FloatVector.broadcast(S, (float) logSum);
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).sub(mv).mul(tv).sub(lv).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = (float) ((x[xOff + i] - (double) m) * invT - logSum);
        }
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n, double invT) {
        FloatVector minusT = FloatVector.broadcast(S, (float) -invT);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector e = FloatVector.fromArray(S, x, xOff + i).mul(minusT).lanewise(VectorOperators.EXP);
            one.div(one.add(e)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = (float) Kernels.sigmoid(x[xOff + i] * invT);
        }
    }

    @Override
    public void logSigmoid(float[] x, int xOff, float[] y, int yOff, int n, double invT) {
        FloatVector tv = FloatVector.broadcast(S, (float) invT);
        FloatVector zero = FloatVector.zero(S);
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i).mul(tv);
            FloatVector tail = v.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P);
            v.min(zero).sub(tail).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = (float) Kernels.logSigmoid(x[xOff + i] * invT);
        }
    }

    @Override
    public double bceWithLogitsSum(float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector acc = FloatVector.zero(S);
        double sum = 0.0;
        int bound = S.loopBound(n);
        int i = 0;
        int k = 0;
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            FloatVector t = FloatVector.fromArray(S, y, yOff + i);
            FloatVector logSig = v.min(zero).sub(v.abs().neg().lanewise(VectorOperators.EXP)
                    .lanewise(VectorOperators.LOG1P));
            acc = acc.add(one.sub(t).mul(v).sub(logSig));
            if (++k == FOLD) {
                sum += acc.reduceLanes(VectorOperators.ADD);
                acc = FloatVector.zero(S);
                k = 0;
            }
        }
        sum += acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            double v = x[xOff + i];
            sum += (1.0 - y[yOff + i]) * v - Kernels.logSigmoid(v);
        }
        return sum;
    }

    @Override
    public int firstAboveOrNaN(float[] x, int from, int to, float threshold) {
        FloatVector t = FloatVector.broadcast(S, threshold);
        int i = from;
        for (int bound = to - L; i <= bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            VectorMask<Float> hit = v.compare(VectorOperators.GT, t).or(v.compare(VectorOperators.NE, v));
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        for (; i < to; i++) {
            float v = x[i];
            if (v > threshold || v != v) {
                return i;
            }
        }
        return to;
    }

    @Override
    public void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).lanewise(VectorOperators.EXP).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = (float) Math.exp(x[xOff + i]);
        }
    }
}
