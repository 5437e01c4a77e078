package io.github.logits4j.kernel;

import static io.github.logits4j.kernel.FloatMath.A1;
import static io.github.logits4j.kernel.FloatMath.A2;
import static io.github.logits4j.kernel.FloatMath.A3;
import static io.github.logits4j.kernel.FloatMath.A4;
import static io.github.logits4j.kernel.FloatMath.C2;
import static io.github.logits4j.kernel.FloatMath.C3;
import static io.github.logits4j.kernel.FloatMath.C4;
import static io.github.logits4j.kernel.FloatMath.C5;
import static io.github.logits4j.kernel.FloatMath.EXP_UNDERFLOW;
import static io.github.logits4j.kernel.FloatMath.FOLD;
import static io.github.logits4j.kernel.FloatMath.LANES;
import static io.github.logits4j.kernel.FloatMath.LN2_HI;
import static io.github.logits4j.kernel.FloatMath.LN2_LO;
import static io.github.logits4j.kernel.FloatMath.LOG2E;
import static io.github.logits4j.kernel.FloatMath.ROUND;
import static io.github.logits4j.kernel.FloatMath.ROUND_BITS;

import static io.github.logits4j.kernel.VectorKernels.Lanes.I;
import static io.github.logits4j.kernel.VectorKernels.Lanes.IOTA;
import static io.github.logits4j.kernel.VectorKernels.Lanes.L;
import static io.github.logits4j.kernel.VectorKernels.Lanes.P;
import static io.github.logits4j.kernel.VectorKernels.Lanes.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The row sums of {@link VectorKernels}: {@code exp} sums (with and without storing the terms) and the summed
 * binary cross-entropy with logits, each in {@link FloatMath}'s canonical order at any vector width; package-private.
 *
 * <pre>{@code
 * double s = VectorSums.expSum(x, off, n, max, invT);    // rows of at least 16 elements
 * }</pre>
 */
final class VectorSums {
    private VectorSums() {
    }

    /**
     * The canonical sum ({@link FloatMath}) of {@code exp((x - m) * t)} over a row of at least 16 elements. Canonical
     * lane {@code l} of a block is lane {@code l % L} of its vector {@code l / L}, which adds into the accumulator that
     * {@code acc0} holds at that point: the accumulators rotate once per vector, so one copy of the lane arithmetic
     * serves every width.
     */
    static double expSum(float[] x, int xOff, int n, float m, float t) {
        FloatVector mv = FloatVector.broadcast(S, m);
        FloatVector tv = FloatVector.broadcast(S, t);
        // FloatMath's constants, broadcast once a call: a scalar argument parses a broadcast at each use, and this
        // method, holding the whole blocks and the window in one body, is near C2's node budget (see VectorKernels)
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector log2e = FloatVector.broadcast(S, LOG2E);
        FloatVector round = FloatVector.broadcast(S, ROUND);
        FloatVector lnHi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector lnLo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector c2 = FloatVector.broadcast(S, C2);
        FloatVector c3 = FloatVector.broadcast(S, C3);
        FloatVector c4 = FloatVector.broadcast(S, C4);
        FloatVector c5 = FloatVector.broadcast(S, C5);
        FloatVector underflow = FloatVector.broadcast(S, EXP_UNDERFLOW);
        IntVector bias = IntVector.broadcast(I, ROUND_BITS - 127);
        FloatVector iota = IOTA;
        int full = n - n % LANES;
        int end = n % LANES == 0 ? n : full + LANES;       // the whole blocks, then the window of the last 16
        double sum = 0.0;
        for (int start = 0; start < end; start += LANES * FOLD) {
            int stop = Math.min(end, start + LANES * FOLD);
            FloatVector acc0 = FloatVector.zero(S);
            FloatVector acc1 = FloatVector.zero(S);
            FloatVector acc2 = FloatVector.zero(S);
            FloatVector acc3 = FloatVector.zero(S);
            for (int i = start; i < stop; i += L) {
                // past the whole blocks, the window: the row's last 16 elements, the lanes an earlier block
                // holds set to 0 (none before it): one copy of the lane arithmetic, as C2's inlining budget asks
                int pos = i < full ? i : i - full + n - LANES;
                VectorMask<Float> held = iota.lt(i < full ? 0 : full + LANES - n - (i - full));
                FloatVector a = FloatVector.fromArray(S, x, xOff + pos).sub(mv).mul(tv);
                FloatVector big = a.fma(log2e, round);
                FloatVector nf = big.sub(round);
                FloatVector r = nf.fma(lnLo, nf.fma(lnHi, a));
                FloatVector e = r.fma(c5, c4).fma(r, c3).fma(r, c2).fma(r, one).fma(r, one)
                        .mul(big.reinterpretAsInts().sub(bias).lanewise(VectorOperators.LSHL, 23)
                                .reinterpretAsFloats())
                        .blend(zero, a.lt(underflow));
                acc0 = e.blend(zero, held).add(acc0);
                if (P == 2) {
                    FloatVector next = acc1;
                    acc1 = acc0;
                    acc0 = next;
                } else if (P == 4) {
                    FloatVector next = acc1;
                    acc1 = acc2;
                    acc2 = acc3;
                    acc3 = acc0;
                    acc0 = next;
                }
            }
            // the canonical tree over the 16 lanes, in scalar code (reduceLanes may add in any order)
            if (P == 1) {
                sum += FloatMath.tree(acc0.lane(0), acc0.lane(1), acc0.lane(2), acc0.lane(3), acc0.lane(4),
                        acc0.lane(5), acc0.lane(6), acc0.lane(7), acc0.lane(8), acc0.lane(9), acc0.lane(10),
                        acc0.lane(11), acc0.lane(12), acc0.lane(13), acc0.lane(14), acc0.lane(15));
            } else if (P == 2) {
                FloatVector b = acc0.add(acc1);                         // lanes l and l + 8
                sum += FloatMath.tree8(b.lane(0), b.lane(1), b.lane(2), b.lane(3), b.lane(4), b.lane(5), b.lane(6),
                        b.lane(7));
            } else {
                FloatVector c = acc0.add(acc2).add(acc1.add(acc3));     // (l, l + 8) and (l + 4, l + 12)
                sum += FloatMath.tree4(c.lane(0), c.lane(1), c.lane(2), c.lane(3));
            }
        }
        return sum;
    }

    /**
     * The exponentials {@code exp((x - m) * t)} of a row's last partial block, elements {@code full .. n), into
     * {@code y}; the elements before {@code full} are left as they are (in place, they are still inputs). Called
     * before {@link #expSumStoring}, which reads them back in its window; a method of its own, so that each holds the
     * lane arithmetic once (see VectorKernels).
     */
    static void tailExps(float[] x, int xOff, float[] y, int yOff, int n, float m, float t) {
        int full = n - n % LANES;
        FloatVector mv = FloatVector.broadcast(S, m);
        FloatVector one = FloatVector.broadcast(S, 1f);         // FloatMath's constants, broadcast once a call
        FloatVector lnHi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector lnLo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector c2 = FloatVector.broadcast(S, C2);
        FloatVector c3 = FloatVector.broadcast(S, C3);
        for (int i = full; i < n; i += L) {
            // the last vector ends at n, over lanes done before (before full, or by the vector before): they keep y
            int p = Math.min(i, n - L);
            FloatVector a = FloatVector.fromArray(S, x, xOff + p).sub(mv).mul(t);
            FloatVector big = a.fma(LOG2E, ROUND);
            FloatVector nf = big.sub(ROUND);
            FloatVector r = nf.fma(lnLo, nf.fma(lnHi, a));
            FloatVector e = r.fma(C5, C4).fma(r, c3).fma(r, c2).fma(r, one).fma(r, one)
                    .mul(big.reinterpretAsInts().sub(ROUND_BITS).add(127).lanewise(VectorOperators.LSHL, 23)
                            .reinterpretAsFloats())
                    .blend(0f, a.lt(EXP_UNDERFLOW));
            e.blend(FloatVector.fromArray(S, y, yOff + p), IOTA.lt(i - p)).intoArray(y, yOff + p);
        }
    }

    /**
     * {@link #expSum}, each exponential also stored into {@code y}; the last partial block's exponentials are in
     * {@code y} already ({@link #tailExps}, called first), and its window reads them from there.
     */
    static double expSumStoring(float[] x, int xOff, float[] y, int yOff, int n, float m, float t) {
        FloatVector mv = FloatVector.broadcast(S, m);
        FloatVector one = FloatVector.broadcast(S, 1f);         // FloatMath's constants, broadcast once a call
        FloatVector lnHi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector lnLo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector c2 = FloatVector.broadcast(S, C2);
        FloatVector c3 = FloatVector.broadcast(S, C3);
        int full = n - n % LANES;
        int end = n % LANES == 0 ? n : full + LANES;       // the whole blocks, then the window of the last 16
        double sum = 0.0;
        for (int start = 0; start < end; start += LANES * FOLD) {
            int stop = Math.min(end, start + LANES * FOLD);
            FloatVector acc0 = FloatVector.zero(S);
            FloatVector acc1 = FloatVector.zero(S);
            FloatVector acc2 = FloatVector.zero(S);
            FloatVector acc3 = FloatVector.zero(S);
            int i = start;
            for (int whole = Math.min(stop, full); i < whole; i += L) {
                FloatVector a = FloatVector.fromArray(S, x, xOff + i).sub(mv).mul(t);
                FloatVector big = a.fma(LOG2E, ROUND);
                FloatVector nf = big.sub(ROUND);
                FloatVector r = nf.fma(lnLo, nf.fma(lnHi, a));
                FloatVector e = r.fma(C5, C4).fma(r, c3).fma(r, c2).fma(r, one).fma(r, one)
                        .mul(big.reinterpretAsInts().sub(ROUND_BITS).add(127).lanewise(VectorOperators.LSHL, 23)
                                .reinterpretAsFloats())
                        .blend(0f, a.lt(EXP_UNDERFLOW));
                e.intoArray(y, yOff + i);
                acc0 = e.add(acc0);
                if (P == 2) {
                    FloatVector next = acc1;
                    acc1 = acc0;
                    acc0 = next;
                } else if (P == 4) {
                    FloatVector next = acc1;
                    acc1 = acc2;
                    acc2 = acc3;
                    acc3 = acc0;
                    acc0 = next;
                }
            }
            for (; i < stop; i += L) {
                // the window: the row's last 16 terms, read back from y, the lanes an earlier block holds set to 0
                int pos = i - full + n - LANES;
                acc0 = FloatVector.fromArray(S, y, yOff + pos).blend(0f, IOTA.lt(full + LANES - n - (i - full)))
                        .add(acc0);
                if (P == 2) {
                    FloatVector next = acc1;
                    acc1 = acc0;
                    acc0 = next;
                } else if (P == 4) {
                    FloatVector next = acc1;
                    acc1 = acc2;
                    acc2 = acc3;
                    acc3 = acc0;
                    acc0 = next;
                }
            }
            // the canonical tree over the 16 lanes, in scalar code (reduceLanes may add in any order)
            if (P == 1) {
                sum += FloatMath.tree(acc0.lane(0), acc0.lane(1), acc0.lane(2), acc0.lane(3), acc0.lane(4),
                        acc0.lane(5), acc0.lane(6), acc0.lane(7), acc0.lane(8), acc0.lane(9), acc0.lane(10),
                        acc0.lane(11), acc0.lane(12), acc0.lane(13), acc0.lane(14), acc0.lane(15));
            } else if (P == 2) {
                FloatVector b = acc0.add(acc1);                         // lanes l and l + 8
                sum += FloatMath.tree8(b.lane(0), b.lane(1), b.lane(2), b.lane(3), b.lane(4), b.lane(5), b.lane(6),
                        b.lane(7));
            } else {
                FloatVector c = acc0.add(acc2).add(acc1.add(acc3));     // (l, l + 8) and (l + 4, l + 12)
                sum += FloatMath.tree4(c.lane(0), c.lane(1), c.lane(2), c.lane(3));
            }
        }
        return sum;
    }

    /** {@link #expSum} for the terms {@code (1 - y) x - logsigmoid(x)} of a BCE ({@link FloatMath#bce}). */
    static double bceSum(float[] x, int xOff, float[] y, int yOff, int n) {
        // FloatMath's constants, broadcast once a call (see expSum)
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector two = FloatVector.broadcast(S, 2f);
        FloatVector log2e = FloatVector.broadcast(S, LOG2E);
        FloatVector round = FloatVector.broadcast(S, ROUND);
        FloatVector lnHi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector lnLo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector c2 = FloatVector.broadcast(S, C2);
        FloatVector c3 = FloatVector.broadcast(S, C3);
        FloatVector c4 = FloatVector.broadcast(S, C4);
        FloatVector c5 = FloatVector.broadcast(S, C5);
        FloatVector underflow = FloatVector.broadcast(S, EXP_UNDERFLOW);
        IntVector bias = IntVector.broadcast(I, ROUND_BITS - 127);
        FloatVector a1 = FloatVector.broadcast(S, A1);
        FloatVector a2 = FloatVector.broadcast(S, A2);
        FloatVector a3 = FloatVector.broadcast(S, A3);
        FloatVector a4 = FloatVector.broadcast(S, A4);
        FloatVector iota = IOTA;
        int full = n - n % LANES;
        int end = n % LANES == 0 ? n : full + LANES;       // the whole blocks, then the window of the last 16
        double sum = 0.0;
        for (int start = 0; start < end; start += LANES * FOLD) {
            int stop = Math.min(end, start + LANES * FOLD);
            FloatVector acc0 = FloatVector.zero(S);
            FloatVector acc1 = FloatVector.zero(S);
            FloatVector acc2 = FloatVector.zero(S);
            FloatVector acc3 = FloatVector.zero(S);
            for (int i = start; i < stop; i += L) {
                // past the whole blocks, the window: the row's last 16 elements, the lanes an earlier block
                // holds set to 0 (none before it): one copy of the lane arithmetic, as C2's inlining budget asks
                int pos = i < full ? i : i - full + n - LANES;
                VectorMask<Float> held = iota.lt(i < full ? 0 : full + LANES - n - (i - full));
                FloatVector v = FloatVector.fromArray(S, x, xOff + pos);
                FloatVector a = v.abs().neg();
                FloatVector big = a.fma(log2e, round);
                FloatVector nf = big.sub(round);
                FloatVector r = nf.fma(lnLo, nf.fma(lnHi, a));
                FloatVector e = r.fma(c5, c4).fma(r, c3).fma(r, c2).fma(r, one).fma(r, one)
                        .mul(big.reinterpretAsInts().sub(bias).lanewise(VectorOperators.LSHL, 23)
                                .reinterpretAsFloats())
                        .blend(zero, a.lt(underflow));
                FloatVector s = e.div(e.add(two));
                FloatVector z = s.mul(s);
                FloatVector log1p = z.fma(a4, a3).fma(z, a2).fma(z, a1).fma(z, one).mul(s.add(s));
                acc0 = one.sub(FloatVector.fromArray(S, y, yOff + pos)).mul(v).sub(v.min(zero).sub(log1p))
                        .blend(zero, held).add(acc0);
                if (P == 2) {
                    FloatVector next = acc1;
                    acc1 = acc0;
                    acc0 = next;
                } else if (P == 4) {
                    FloatVector next = acc1;
                    acc1 = acc2;
                    acc2 = acc3;
                    acc3 = acc0;
                    acc0 = next;
                }
            }
            // the canonical tree over the 16 lanes, in scalar code (reduceLanes may add in any order)
            if (P == 1) {
                sum += FloatMath.tree(acc0.lane(0), acc0.lane(1), acc0.lane(2), acc0.lane(3), acc0.lane(4),
                        acc0.lane(5), acc0.lane(6), acc0.lane(7), acc0.lane(8), acc0.lane(9), acc0.lane(10),
                        acc0.lane(11), acc0.lane(12), acc0.lane(13), acc0.lane(14), acc0.lane(15));
            } else if (P == 2) {
                FloatVector b = acc0.add(acc1);                         // lanes l and l + 8
                sum += FloatMath.tree8(b.lane(0), b.lane(1), b.lane(2), b.lane(3), b.lane(4), b.lane(5), b.lane(6),
                        b.lane(7));
            } else {
                FloatVector c = acc0.add(acc2).add(acc1.add(acc3));     // (l, l + 8) and (l + 4, l + 12)
                sum += FloatMath.tree4(c.lane(0), c.lane(1), c.lane(2), c.lane(3));
            }
        }
        return sum;
    }
}
