package io.github.logits4j.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the Panama Vector API ({@code jdk.incubator.vector}), used when that module is readable (the
 * {@code ./logits4j} launcher adds it; an application adds {@code --add-modules jdk.incubator.vector}). Compiled
 * apart from the rest of core, and loaded by name, so that core runs without the module.
 *
 * <p><b>Accuracy.</b> Lanes compute in float, with {@code exp} and {@code log1p} written here in FMA arithmetic (see
 * {@link #walk}) rather than the JDK's vector math intrinsics, whose results differ from their interpreted form, so a
 * result does not depend on how far the JIT has compiled. Relative errors against {@link Math} in double, measured on
 * four million arguments each by {@code KernelAccuracyTest}: {@code exp} below 2e-7 (about 1.5 float ulp), sigmoid
 * below 3e-7, log-sigmoid below 4e-7; a softmax element below {@code 5e-7 + |x - max| * 2^-24}, the second term
 * being the rounding of {@code x - max} to float that PyTorch's float32 softmax has too. Subnormal results of
 * {@code exp} (arguments below -87.6) are flushed to 0. Sums over a row are accumulated in float lanes, added in a
 * fixed order and folded into a {@code double} every {@value #FOLD} vectors, so a row of a million classes loses no
 * more than a short float sum does (relative error below 1e-6 for rows of positive terms). All of it is within the
 * parity suite's 1e-6 absolute / 1e-5 relative tolerance. Non-finite input follows the same PyTorch rules as the
 * scalar kernels (a NaN or +inf in a row, or a row of only -inf, gives NaN; a -inf logit gives probability 0).
 *
 * <p><b>Row ends.</b> A row of at least one vector (16 floats on AVX-512, 8 on AVX2) ends with one more vector that
 * overlaps the previous one, its already-done lanes masked off (so in-place calls stay correct); a shorter row runs in
 * the scalar code, in double.
 */
final class VectorKernels implements Kernels {
    static final VectorKernels INSTANCE = new VectorKernels();
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Vectors summed in float lanes before the partial sum is folded into a double. */
    private static final int FOLD = 64;
    /** The lane indices 0, 1, ..., L - 1: {@code IOTA.lt(s)} marks the lanes an overlapping last vector redoes. */
    private static final FloatVector IOTA = FloatVector.zero(S).addIndex(1);
    /** Lane i to lane i ^ w: the steps of a fixed-order sum of the lanes (null where w >= L). */
    private static final VectorShuffle<Float> SWAP8 = swap(8);
    private static final VectorShuffle<Float> SWAP4 = swap(4);
    private static final VectorShuffle<Float> SWAP2 = swap(2);
    private static final VectorShuffle<Float> SWAP1 = swap(1);

    private static VectorShuffle<Float> swap(int w) {
        return w < L ? VectorShuffle.fromOp(S, i -> i ^ w) : null;
    }

    // exp: x = n ln2 + r, |r| <= ln2/2, exp(x) = 2^n exp(r); n by the round-to-nearest magic number
    private static final float LOG2E = 1.44269504088896341f;
    private static final float ROUND = 12582912f;            // 1.5 * 2^23
    private static final float LN2_HI = 0.693359375f;        // exact in 9 bits, so n * LN2_HI is exact
    private static final float LN2_LO = -2.12194440e-4f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    private static final float EXP_UNDERFLOW = -87.6f;       // below: a subnormal result (n < -126), flushed to 0
    private static final float EXP_OVERFLOW = 88.8f;         // above: +inf (ln(Float.MAX_VALUE) = 88.72)
    // 1 + r + C2 r^2 + ... + C5 r^5: minimax for the relative error on [-ln2/2, ln2/2] (1.03e-7 before rounding)
    private static final float C2 = 0.4999923f;
    private static final float C3 = 0.1666709f;
    private static final float C4 = 0.041890208f;
    private static final float C5 = 0.008314719f;

    // atanh(s) / s = 1 + A1 z + ... + A4 z^4, z = s^2 in [0, 1/9]: least squares on Chebyshev nodes
    private static final float A1 = 0.33333206f;
    private static final float A2 = 0.20010826f;
    private static final float A3 = 0.14000110f;
    private static final float A4 = 0.14009242f;

    private VectorKernels() {
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public float max(float[] x, int off, int n) {
        return n < L ? ScalarKernels.INSTANCE.max(x, off, n) : maxOrBound(x, off, n, 0);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the k-th largest of the per-lane maxima over the row's whole vectors ({@code k <= L}): each lane's
     * maximum is a distinct element, so k elements reach it; on random scores it leaves a top-5 scan of 1,000 classes
     * a dozen candidates instead of about thirty heap insertions.
     */
    @Override
    public float topKBound(float[] x, int off, int n, int k) {
        return k > L || n < L ? Float.NEGATIVE_INFINITY : maxOrBound(x, off, n, k);
    }

    /**
     * {@code k == 0}: the row maximum (NaN if any element is NaN). {@code k >= 1}: the k-th largest per-lane maximum
     * over the whole vectors only (a lane of an overlapping last vector could repeat an element), -inf for a row
     * with NaN there.
     */
    private static float maxOrBound(float[] x, int off, int n, int k) {
        // Four independent maxima hide the latency of MAX. A vector carried round a loop is only ever an argument,
        // never the receiver (see walk()).
        FloatVector m0 = FloatVector.fromArray(S, x, off);
        FloatVector m1 = m0;
        FloatVector m2 = m0;
        FloatVector m3 = m0;
        int i = L;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            m0 = FloatVector.fromArray(S, x, off + i).max(m0);
            m1 = FloatVector.fromArray(S, x, off + i + L).max(m1);
            m2 = FloatVector.fromArray(S, x, off + i + 2 * L).max(m2);
            m3 = FloatVector.fromArray(S, x, off + i + 3 * L).max(m3);
        }
        for (int bound = n - L; i <= bound; i += L) {
            m0 = FloatVector.fromArray(S, x, off + i).max(m0);
        }
        if (i < n && k == 0) {
            m1 = FloatVector.fromArray(S, x, off + n - L).max(m1);     // lanes read twice do not change a maximum
        }
        FloatVector lanes = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY).max(m0).max(m1).max(m2).max(m3);
        float top = lanes.reduceLanes(VectorOperators.MAX);
        if (k == 0) {
            return top;
        }
        if (Float.isNaN(top)) {
            return Float.NEGATIVE_INFINITY;
        }
        for (int j = 1; j < k; j++) {             // drop the largest lane k - 1 times
            int lane = FloatVector.broadcast(S, top).eq(lanes).firstTrue();
            lanes = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY).blend(lanes, IOTA.eq(lane).not());
            top = lanes.reduceLanes(VectorOperators.MAX);
        }
        return top;
    }

    @Override
    public int firstNotProbability(float[] x, int from, int to) {
        int i = from;
        for (int bound = to - L; i <= bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            VectorMask<Float> bad = v.compare(VectorOperators.GE, 0f).and(v.compare(VectorOperators.LE, 1f)).not();
            if (bad.anyTrue()) {
                return i + bad.firstTrue();
            }
        }
        return ScalarKernels.INSTANCE.firstNotProbability(x, i, to);
    }

    // What walk() computes. Two rules keep every vector in a register on JDK 17 as on 25, whatever order the JIT
    // compiles in (breaking either made some runs 4x slower, allocating 12 KB a row): no FloatVector crosses a
    // method boundary the JIT might not inline, so the exp and log1p code lives here only; and a vector carried
    // round a loop (acc) is never the receiver of a call, whose exact class the JIT then knows only from a type
    // profile that a quick tier may not have taken.
    /** {@code e = exp((x - m) * t)}: the sum, and the exponentials stored into y when y is not null. */
    private static final int EXP_SUM = 0;
    /** {@code y = sigmoid(x * t)}. */
    private static final int SIGMOID = 1;
    /** {@code y = logsigmoid(x * t)}. */
    private static final int LOG_SIGMOID = 2;
    /** The sum of {@code (1 - y) x - logsigmoid(x)}. */
    private static final int BCE = 3;
    /** {@code y = exp(x)} for any x. */
    private static final int EXP = 4;

    /**
     * One row walk ({@code n >= L}): whole vectors, then, when the row does not end on a vector boundary, one last
     * vector placed at {@code n - L} that overlaps the previous one, its lanes already done masked off ({@link
     * #IOTA}), so a result never depends on where a row ends and in-place calls stay correct.
     *
     * <p>{@code exp(a)}: {@code a = n ln2 + r}, {@code |r| <= ln2/2}, {@code n} rounded by the magic number
     * {@link #ROUND}, {@code r} by Cody-Waite in two FMAs, {@code exp(r)} a degree-5 minimax polynomial, {@code 2^n}
     * built in the exponent bits (as two factors for {@link #EXP}, whose n reaches 128); arguments below
     * {@link #EXP_UNDERFLOW} (and -inf) give 0, above {@link #EXP_OVERFLOW} +inf. {@code log1p(e)} for {@code e} in
     * [0, 1]: {@code 2 atanh(s)}, {@code s = e / (2 + e)}, with {@code atanh(s) / s} a degree-4 polynomial in
     * {@code s^2} fitted on [0, 1/9] (relative error 4.6e-9). Only IEEE operations (no JDK math intrinsic, whose results differ from its
     * interpreted form) and a fixed order of summation, so results do not depend on how far the JIT has compiled.
     *
     * @return the sum for {@link #EXP_SUM} and {@link #BCE}, 0 otherwise
     */
    private static double walk(int op, float[] x, int xOff, float[] y, int yOff, int n, float m, float t) {
        boolean store = op != BCE && (op != EXP_SUM || y != null);
        boolean sums = op == EXP_SUM || op == BCE;
        boolean scaled = t != 1f;
        FloatVector mv = FloatVector.broadcast(S, m);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector acc = FloatVector.zero(S);
        double sum = 0.0;
        int k = 0;
        for (int i = 0, last = n - L; i < n; i += L) {
            int p = Math.min(i, last);
            FloatVector v = FloatVector.fromArray(S, x, xOff + p);
            if (op == EXP_SUM) {
                v = v.sub(mv);
            }
            if (scaled) {
                v = v.mul(t);
            }
            FloatVector a = op == EXP_SUM || op == EXP ? v : v.abs().neg();
            FloatVector big = a.fma(LOG2E, ROUND);
            FloatVector nf = big.sub(ROUND);
            FloatVector r = nf.fma(FloatVector.broadcast(S, -LN2_LO), nf.fma(FloatVector.broadcast(S, -LN2_HI), a));
            FloatVector e = r.fma(C5, C4).fma(r, FloatVector.broadcast(S, C3)).fma(r, FloatVector.broadcast(S, C2))
                    .fma(r, one).fma(r, one);
            IntVector ni = big.reinterpretAsInts().sub(ROUND_BITS);
            if (op == EXP) {
                IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
                e = e.mul(half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .mul(ni.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(Float.POSITIVE_INFINITY, a.compare(VectorOperators.GT, EXP_OVERFLOW));
            } else {
                e = e.mul(ni.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            }
            e = e.blend(0f, a.lt(EXP_UNDERFLOW));
            FloatVector out;
            if (op == EXP_SUM || op == EXP) {
                out = e;
            } else if (op == SIGMOID) {
                out = one.blend(e, v.lt(0f)).div(e.add(1f));   // 1 / (1 + e) for v >= 0, e / (1 + e) below
            } else {
                // logsigmoid(v) = min(v, 0) - log1p(e)
                FloatVector s1 = e.div(e.add(2f));
                FloatVector z = s1.mul(s1);
                FloatVector log1p = z.fma(A4, A3).fma(z, FloatVector.broadcast(S, A2))
                        .fma(z, FloatVector.broadcast(S, A1)).fma(z, one).mul(s1.add(s1));
                out = v.min(0f).sub(log1p);
                if (op == BCE) {
                    out = one.sub(FloatVector.fromArray(S, y, yOff + p)).mul(v).sub(out);
                }
            }
            if (p != i) {
                VectorMask<Float> done = IOTA.lt(i - p);
                if (store) {
                    out = out.blend(FloatVector.fromArray(S, y, yOff + p), done);
                }
                if (sums) {
                    acc = out.blend(0f, done).add(acc);
                }
            } else if (sums) {
                acc = out.add(acc);
            }
            if (store) {
                out.intoArray(y, yOff + p);
            }
            if (sums && (++k == FOLD || i + L >= n)) {
                // a fixed tree of lane sums (reduceLanes may add in any order), folded into the double sum
                FloatVector f = FloatVector.zero(S).add(acc);
                if (L > 8) {
                    f = f.add(f.rearrange(SWAP8));
                }
                if (L > 4) {
                    f = f.add(f.rearrange(SWAP4));
                }
                if (L > 2) {
                    f = f.add(f.rearrange(SWAP2));
                }
                f = f.add(f.rearrange(SWAP1));
                sum += f.lane(0);
                acc = FloatVector.zero(S);
                k = 0;
            }
        }
        return sum;
    }

    @Override
    public double logSumExpShifted(float[] x, int off, int n, float shift, double invT) {
        if (n < L) {
            return ScalarKernels.INSTANCE.logSumExpShifted(x, off, n, shift, invT);
        }
        return Math.log(walk(EXP_SUM, x, off, null, 0, n, shift, (float) invT));
    }

    @Override
    public void softmax(float[] x, int xOff, float[] y, int yOff, int n, double invT) {
        if (n < L) {
            ScalarKernels.INSTANCE.softmax(x, xOff, y, yOff, n, invT);
            return;
        }
        float m = max(x, xOff, n);
        float inv = (float) (1.0 / walk(EXP_SUM, x, xOff, y, yOff, n, m, (float) invT));
        int i = 0;
        for (int bound = n - L; i <= bound; i += L) {
            FloatVector.fromArray(S, y, yOff + i).mul(inv).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] *= inv;
        }
    }

    @Override
    public void logSoftmax(float[] x, int xOff, float[] y, int yOff, int n, double invT) {
        if (n < L) {
            ScalarKernels.INSTANCE.logSoftmax(x, xOff, y, yOff, n, invT);
            return;
        }
        float m = max(x, xOff, n);
        float t = (float) invT;
        float logSum = (float) Math.log(walk(EXP_SUM, x, xOff, null, 0, n, m, t));
        FloatVector mv = FloatVector.broadcast(S, m);
        int i = 0;
        for (int bound = n - L; i <= bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).sub(mv).mul(t).sub(logSum).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = (x[xOff + i] - m) * t - logSum;
        }
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n, double invT) {
        if (n < L) {
            ScalarKernels.INSTANCE.sigmoid(x, xOff, y, yOff, n, invT);
        } else {
            walk(SIGMOID, x, xOff, y, yOff, n, 0f, (float) invT);
        }
    }

    @Override
    public void logSigmoid(float[] x, int xOff, float[] y, int yOff, int n, double invT) {
        if (n < L) {
            ScalarKernels.INSTANCE.logSigmoid(x, xOff, y, yOff, n, invT);
        } else {
            walk(LOG_SIGMOID, x, xOff, y, yOff, n, 0f, (float) invT);
        }
    }

    @Override
    public double bceWithLogitsSum(float[] x, int xOff, float[] y, int yOff, int n) {
        if (n < L) {
            return ScalarKernels.INSTANCE.bceWithLogitsSum(x, xOff, y, yOff, n);
        }
        return walk(BCE, x, xOff, y, yOff, n, 0f, 1f);
    }

    @Override
    public void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        if (n < L) {
            ScalarKernels.INSTANCE.exp(x, xOff, y, yOff, n);
        } else {
            walk(EXP, x, xOff, y, yOff, n, 0f, 1f);
        }
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
}
