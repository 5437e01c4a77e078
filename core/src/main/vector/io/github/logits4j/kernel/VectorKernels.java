package io.github.logits4j.kernel;

import static io.github.logits4j.kernel.FloatMath.A1;
import static io.github.logits4j.kernel.FloatMath.A2;
import static io.github.logits4j.kernel.FloatMath.A3;
import static io.github.logits4j.kernel.FloatMath.A4;
import static io.github.logits4j.kernel.FloatMath.C2;
import static io.github.logits4j.kernel.FloatMath.C3;
import static io.github.logits4j.kernel.FloatMath.C4;
import static io.github.logits4j.kernel.FloatMath.C5;
import static io.github.logits4j.kernel.FloatMath.EXP_OVERFLOW;
import static io.github.logits4j.kernel.FloatMath.EXP_UNDERFLOW;
import static io.github.logits4j.kernel.FloatMath.LANES;
import static io.github.logits4j.kernel.FloatMath.LN2_HI;
import static io.github.logits4j.kernel.FloatMath.LN2_LO;
import static io.github.logits4j.kernel.FloatMath.LOG2E;
import static io.github.logits4j.kernel.FloatMath.ROUND;
import static io.github.logits4j.kernel.FloatMath.ROUND_BITS;

import static io.github.logits4j.kernel.VectorKernels.Lanes.IOTA;
import static io.github.logits4j.kernel.VectorKernels.Lanes.L;
import static io.github.logits4j.kernel.VectorKernels.Lanes.P;
import static io.github.logits4j.kernel.VectorKernels.Lanes.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the Panama Vector API ({@code jdk.incubator.vector}), used when that module is readable (the
 * {@code ./logits4j} launcher adds it; an application adds {@code --add-modules jdk.incubator.vector}). Compiled
 * apart from the rest of core, and loaded by name, so that core runs without the module.
 *
 * <p><b>The same numbers as the scalar kernels.</b> Every lane computes {@link FloatMath}'s expressions, operation
 * for operation, and every row sum follows its canonical order: whole blocks of 16 elements added lane by lane (at 256
 * bits one block is two vectors with an accumulator each, at 128 bits four), folded by the fixed tree every 64 blocks
 * and at the end, the elements after the last whole block added one by one. So a result is the same bit for bit as
 * {@link ScalarKernels}' at any vector width (128, 256 or 512 bits), and a row's result never depends on where the
 * hardware's vectors end.
 *
 * <p><b>Width.</b> The widest float species of this CPU, at most 512 bits, or the width the system property
 * {@code logits4j.vectorBits} names (128, 256 or 512; wider than the hardware is refused by {@link Kernels}). Rows too
 * short for vectors to pay ({@link #MIN_ROW}) run {@link ScalarKernels}' code, which gives the same results.
 *
 * <p><b>Row ends.</b> An elementwise pass over a row of at least one vector ends with one more vector that overlaps the
 * previous one, its already-done lanes masked off (so in-place calls stay correct).
 */
final class VectorKernels implements Kernels {
    /** The width {@code logits4j.vectorBits} asks for (128, 256 or 512, which {@link Kernels} checks), or 0. */
    static final int REQUESTED_BITS = requested();
    static final VectorKernels INSTANCE = new VectorKernels();
    /**
     * Rows shorter than one canonical block run the scalar code ({@link ScalarKernels}' own methods, with the same
     * results): a sum gains nothing there (it is all the scalar tail), and the rest gains nanoseconds a row that do not
     * pay back the Vector API's start (about 35 ms of class loading and JIT work; an evaluation of a 10-class model on
     * 8-lane vectors spent 273 ms of post-processing against 195 ms scalar on 100,000 rows before). So a model with
     * fewer than 16 classes never loads the Vector API's classes ({@link Lanes} is initialised on the first longer
     * row), and from 16 on every kernel is faster in vectors at 128, 256 and 512 bits (benchmarks/
     * RowLengthBenchmarks).
     */
    static final int MIN_ROW = LANES;

    /** The vector state, initialised on the first row of at least {@link #MIN_ROW} elements. */
    static final class Lanes {
        /** The widest float species this JVM's CPU compiles to, capped at 512 bits. */
        static final int HARDWARE_BITS = Math.min(512, FloatVector.SPECIES_PREFERRED.vectorBitSize());
        /** The width asked for, else the CPU's, at least 128 bits (a JVM limited below that stays correct, slowly). */
        static final VectorSpecies<Float> S = VectorSpecies.of(float.class, VectorShape.forBitSize(
                REQUESTED_BITS != 0 && REQUESTED_BITS <= HARDWARE_BITS ? REQUESTED_BITS
                        : Math.max(128, HARDWARE_BITS)));
        static final int L = S.length();
        /** The int species of {@link #S}'s shape (the exponent bits of {@code exp}). */
        static final VectorSpecies<Integer> I = S.withLanes(int.class);
        /** Vectors per canonical block of 16 lanes: 1, 2 or 4. */
        static final int P = LANES / L;
        /** The lane indices 0, 1, ..., L - 1: {@code IOTA.lt(s)} marks the lanes an overlapping last vector redoes. */
        static final FloatVector IOTA = FloatVector.zero(S).addIndex(1);

        private Lanes() {
        }
    }

    private VectorKernels() {
    }

    private static int requested() {
        String value = System.getProperty("logits4j.vectorBits", "").strip();
        return value.equals("128") || value.equals("256") || value.equals("512") ? Integer.parseInt(value) : 0;
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int vectorBits() {
        return Lanes.S.vectorBitSize();
    }

    /** {@inheritDoc} Here: FloatMath's exponential in vectors, lane for lane the scalar one. */
    @Override
    public void expShiftedAdd(float[] x, int xOff, float[] shift, float[] acc, int accOff, int n) {
        if (n < MIN_ROW) {
            ScalarKernels.INSTANCE.expShiftedAdd(x, xOff, shift, acc, accOff, n);
            return;
        }
        // the exponential written out (as VectorSums does): a helper returning a vector may be left uninlined, and
        // then boxes it
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector lnHi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector lnLo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector c2 = FloatVector.broadcast(S, C2);
        FloatVector c3 = FloatVector.broadcast(S, C3);
        int t = 0;
        for (int bound = n - L; t <= bound; t += L) {
            FloatVector a = FloatVector.fromArray(S, x, xOff + t).sub(FloatVector.fromArray(S, shift, t));
            FloatVector big = a.fma(LOG2E, ROUND);
            FloatVector nf = big.sub(ROUND);
            FloatVector r = nf.fma(lnLo, nf.fma(lnHi, a));
            FloatVector e = r.fma(C5, C4).fma(r, c3).fma(r, c2).fma(r, one).fma(r, one)
                    .mul(big.reinterpretAsInts().sub(ROUND_BITS).add(127).lanewise(VectorOperators.LSHL, 23)
                            .reinterpretAsFloats())
                    .blend(0f, a.lt(EXP_UNDERFLOW));
            e.add(FloatVector.fromArray(S, acc, accOff + t)).intoArray(acc, accOff + t);
        }
        for (; t < n; t++) {
            acc[accOff + t] = FloatMath.expNonPositive(x[xOff + t] - shift[t]) + acc[accOff + t];
        }
    }

    /** A vector of positions at a time: the tree's additions lane by lane, in its order. */
    @Override
    public void treeLanes(float[] lanes, int stride, float[] out, int n) {
        if (n < MIN_ROW) {
            ScalarKernels.INSTANCE.treeLanes(lanes, stride, out, n);
            return;
        }
        int k = stride;
        for (int t = 0; t < n; t += L) {
            t = Math.min(t, n - L);         // the last vector overlaps the one before: each position is its own
            FloatVector b0 = FloatVector.fromArray(S, lanes, t)
                    .add(FloatVector.fromArray(S, lanes, 8 * k + t));
            FloatVector b1 = FloatVector.fromArray(S, lanes, k + t)
                    .add(FloatVector.fromArray(S, lanes, 9 * k + t));
            FloatVector b2 = FloatVector.fromArray(S, lanes, 2 * k + t)
                    .add(FloatVector.fromArray(S, lanes, 10 * k + t));
            FloatVector b3 = FloatVector.fromArray(S, lanes, 3 * k + t)
                    .add(FloatVector.fromArray(S, lanes, 11 * k + t));
            FloatVector b4 = FloatVector.fromArray(S, lanes, 4 * k + t)
                    .add(FloatVector.fromArray(S, lanes, 12 * k + t));
            FloatVector b5 = FloatVector.fromArray(S, lanes, 5 * k + t)
                    .add(FloatVector.fromArray(S, lanes, 13 * k + t));
            FloatVector b6 = FloatVector.fromArray(S, lanes, 6 * k + t)
                    .add(FloatVector.fromArray(S, lanes, 14 * k + t));
            FloatVector b7 = FloatVector.fromArray(S, lanes, 7 * k + t)
                    .add(FloatVector.fromArray(S, lanes, 15 * k + t));
            FloatVector c0 = b0.add(b4);
            FloatVector c1 = b1.add(b5);
            FloatVector c2 = b2.add(b6);
            FloatVector c3 = b3.add(b7);
            c0.add(c2).add(c1.add(c3)).intoArray(out, t);
        }
    }

    /** A vector of positions at a time through every class, the running maximum in a register. */
    @Override
    public void maxTile(float[] x, int xOff, int stride, int classes, float[] max, int n) {
        if (n < MIN_ROW) {
            ScalarKernels.INSTANCE.maxTile(x, xOff, stride, classes, max, n);
            return;
        }
        for (int t = 0; t < n; t += L) {
            t = Math.min(t, n - L);         // the last vector overlaps the one before: each position is its own
            FloatVector b = FloatVector.fromArray(S, x, xOff + t);
            int at = xOff + t;
            for (int c = 1; c < classes; c++) {
                at += stride;
                b = b.max(FloatVector.fromArray(S, x, at));
            }
            b.intoArray(max, t);
        }
    }

    /**
     * A vector of positions at a time through every class, the running maximum and its class in registers (one load
     * per score, no store until the vector's last class); the same comparisons as the scalar kernels' steps, so the
     * same bits.
     */
    @Override
    public boolean argmaxTile(float[] x, int xOff, int stride, int classes, float[] best, float[] bestClass, int n) {
        if (n < MIN_ROW) {
            return ScalarKernels.INSTANCE.argmaxTile(x, xOff, stride, classes, best, bestClass, n);
        }
        FloatVector check = FloatVector.zero(S);           // b - b: 0 for a number, NaN for NaN or an infinity
        for (int t = 0; t < n; t += L) {
            t = Math.min(t, n - L);         // the last vector overlaps the one before: each position is its own
            FloatVector b = FloatVector.fromArray(S, x, xOff + t);
            FloatVector k = FloatVector.zero(S);
            int at = xOff + t;
            for (int c = 1; c < classes; c++) {
                at += stride;
                FloatVector v = FloatVector.fromArray(S, x, at);
                VectorMask<Float> higher = v.compare(VectorOperators.GT, b).or(v.compare(VectorOperators.NE, v));
                b = b.blend(v, higher);
                k = k.blend(FloatVector.broadcast(S, (float) c), higher);
            }
            b.intoArray(best, t);
            k.intoArray(bestClass, t);
            check = check.add(b.sub(b));
        }
        return !check.test(VectorOperators.IS_NAN).anyTrue();
    }

    @Override
    public float max(float[] x, int off, int n) {
        return n < MIN_ROW ? ScalarKernels.INSTANCE.max(x, off, n) : maxOrBound(x, off, n, 0);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the k-th largest of the per-lane maxima over the row's whole vectors ({@code k <= L}): each lane's
     * maximum is a distinct element, so k elements reach it; on random scores it leaves a top-5 scan of 1,000 classes
     * a dozen candidates instead of about thirty heap insertions. Only which elements the scan skips depends on the
     * width, never its result.
     */
    @Override
    public float topKBound(float[] x, int off, int n, int k) {
        return n < MIN_ROW || k > L ? Float.NEGATIVE_INFINITY : maxOrBound(x, off, n, k);
    }

    /**
     * {@code k == 0}: the row maximum (NaN if any element is NaN). {@code k >= 1}: the k-th largest per-lane maximum
     * over the whole vectors only (a lane of an overlapping last vector could repeat an element), -inf for a row
     * with NaN there.
     */
    private static float maxOrBound(float[] x, int off, int n, int k) {
        // Four independent maxima hide the latency of MAX. A vector carried round a loop is only ever an argument,
        // never the receiver (see the note above expNonPositive()).
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
        float top = lanes.reduceLanes(VectorOperators.MAX);     // a maximum is the same in any order
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
        if (to - from < MIN_ROW) {
            return ScalarKernels.INSTANCE.firstNotProbability(x, from, to);
        }
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

    // How the loops below stay in registers on JDK 17 as on 25, whatever order the JIT compiles in and whichever
    // kernels an application mixes (breaking a rule made runs allocate a vector per iteration and run several times
    // slower): no FloatVector crosses a method boundary, because the JIT may decline to inline a method it compiles
    // on an early profile, so each kernel's loop holds its own copy of the lane arithmetic (FloatMath's expressions,
    // operation for operation); each kernel has a loop of its own (vectors merged from the branches of an operation
    // switch are boxed); a vector is never reassigned conditionally (an overlapping last vector goes through the same
    // loop body: a second pass of it for the element-wise kernels, a position and mask computed in scalar code for the
    // sums, and for softmax its exponentials are stored first by a method of their own and read back); a vector
    // carried round a loop (an accumulator)
    // is never the receiver of a call; and a method holds the lane arithmetic once: C2 inlines the Vector API's
    // methods only while the method's parsed graph stays under a node budget (NodeCountInliningCutoff), and a method
    // holding it twice (whole vectors, then the overlapping last one) outgrew it when recompiled after its first
    // rows of a new length, leaving operations of the second copy as calls that box (KernelDeterminismTest, run after
    // DenseGoldenTest at 256 bits).

    @Override
    public double logSumExpShifted(float[] x, int off, int n, float shift, double invT) {
        if (n < MIN_ROW) {
            return ScalarKernels.INSTANCE.logSumExpShifted(x, off, n, shift, invT);
        }
        return Math.log(VectorSums.expSum(x, off, n, shift, (float) invT));
    }

    @Override
    public void softmax(float[] x, int xOff, float[] y, int yOff, int n, double invT) {
        if (n < MIN_ROW) {
            ScalarKernels.INSTANCE.softmax(x, xOff, y, yOff, n, invT);
            return;
        }
        float m = max(x, xOff, n);
        if (n % LANES != 0) {
            VectorSums.tailExps(x, xOff, y, yOff, n, m, (float) invT);      // first: in place, still inputs after
        }
        float inv = (float) (1.0 / VectorSums.expSumStoring(x, xOff, y, yOff, n, m, (float) invT));
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
        if (n < MIN_ROW) {
            ScalarKernels.INSTANCE.logSoftmax(x, xOff, y, yOff, n, invT);
            return;
        }
        float m = max(x, xOff, n);
        float t = (float) invT;
        float logSum = (float) Math.log(VectorSums.expSum(x, xOff, n, m, t));
        FloatVector mv = FloatVector.broadcast(S, m);
        int i = 0;
        for (int bound = n - L; i <= bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).sub(mv).mul(t).sub(logSum).intoArray(y, yOff + i);
        }
        ScalarKernels.logSoftmaxTail(x, xOff, y, yOff, i, n, m, t, logSum);
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n, double invT) {
        if (n < MIN_ROW) {
            ScalarKernels.INSTANCE.sigmoid(x, xOff, y, yOff, n, invT);
            return;
        }
        float t = (float) invT;
        FloatVector one = FloatVector.broadcast(S, 1f);         // FloatMath's constants, broadcast once a call
        FloatVector lnHi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector lnLo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector c2 = FloatVector.broadcast(S, C2);
        FloatVector c3 = FloatVector.broadcast(S, C3);
        // whole vectors, then one at n - L over lanes already done, which recomputes their bits (one copy of the lane
        // arithmetic: C2 inlines the Vector API only within a budget that two copies can exceed); in place, that
        // vector would read what the one before wrote, so the last lanes go through the scalar kernel instead
        int whole = n - n % L;
        int stop = overlap(x, xOff, y, yOff, n) ? whole : n;
        // two passes over the one loop body, each with an affine position: the whole vectors, then the last one
        for (int pass = 0; pass < 2; pass++) {
            for (int p = pass == 0 ? 0 : n - L, to = pass == 0 ? whole : stop > whole ? n : 0; p < to; p += L) {
                FloatVector v = FloatVector.fromArray(S, x, xOff + p).mul(t);
                FloatVector a = v.abs().neg();
                FloatVector big = a.fma(LOG2E, ROUND);
                FloatVector nf = big.sub(ROUND);
                FloatVector r = nf.fma(lnLo, nf.fma(lnHi, a));
                FloatVector e = r.fma(C5, C4).fma(r, c3).fma(r, c2).fma(r, one).fma(r, one)
                        .mul(big.reinterpretAsInts().sub(ROUND_BITS).add(127).lanewise(VectorOperators.LSHL, 23)
                                .reinterpretAsFloats())
                        .blend(0f, a.lt(EXP_UNDERFLOW));
                // 1/(1 + e) for v >= 0, e/(1 + e) below
                one.blend(e, v.lt(0f)).div(e.add(one)).intoArray(y, yOff + p);
            }
        }
        if (stop < n) {
            ScalarKernels.INSTANCE.sigmoid(x, xOff + stop, y, yOff + stop, n - stop, invT);
        }
    }

    @Override
    public void logSigmoid(float[] x, int xOff, float[] y, int yOff, int n, double invT) {
        if (n < MIN_ROW) {
            ScalarKernels.INSTANCE.logSigmoid(x, xOff, y, yOff, n, invT);
            return;
        }
        float t = (float) invT;
        FloatVector one = FloatVector.broadcast(S, 1f);         // FloatMath's constants, broadcast once a call
        FloatVector lnHi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector lnLo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector c2 = FloatVector.broadcast(S, C2);
        FloatVector c3 = FloatVector.broadcast(S, C3);
        FloatVector a1 = FloatVector.broadcast(S, A1);
        FloatVector a2 = FloatVector.broadcast(S, A2);
        // whole vectors, then one at n - L over lanes already done, which recomputes their bits (one copy of the lane
        // arithmetic: C2 inlines the Vector API only within a budget that two copies can exceed); in place, that
        // vector would read what the one before wrote, so the last lanes go through the scalar kernel instead
        int whole = n - n % L;
        int stop = overlap(x, xOff, y, yOff, n) ? whole : n;
        // two passes over the one loop body, each with an affine position: the whole vectors, then the last one
        for (int pass = 0; pass < 2; pass++) {
            for (int p = pass == 0 ? 0 : n - L, to = pass == 0 ? whole : stop > whole ? n : 0; p < to; p += L) {
                FloatVector v = FloatVector.fromArray(S, x, xOff + p).mul(t);
                FloatVector a = v.abs().neg();
                FloatVector big = a.fma(LOG2E, ROUND);
                FloatVector nf = big.sub(ROUND);
                FloatVector r = nf.fma(lnLo, nf.fma(lnHi, a));
                FloatVector e = r.fma(C5, C4).fma(r, c3).fma(r, c2).fma(r, one).fma(r, one)
                        .mul(big.reinterpretAsInts().sub(ROUND_BITS).add(127).lanewise(VectorOperators.LSHL, 23)
                                .reinterpretAsFloats())
                        .blend(0f, a.lt(EXP_UNDERFLOW));
                FloatVector s = e.div(e.add(2f));
                FloatVector z = s.mul(s);
                FloatVector log1p = z.fma(A4, A3).fma(z, a2).fma(z, a1).fma(z, one).mul(s.add(s));
                v.min(0f).sub(log1p).intoArray(y, yOff + p);                    // min(v, 0) - log1p(exp(-|v|))
            }
        }
        if (stop < n) {
            ScalarKernels.INSTANCE.logSigmoid(x, xOff + stop, y, yOff + stop, n - stop, invT);
        }
    }

    /** Whether a kernel's output range shares an element with its input range (an in-place call, in the main). */
    private static boolean overlap(float[] x, int xOff, float[] y, int yOff, int n) {
        return x == y && xOff < yOff + n && yOff < xOff + n;
    }

    @Override
    public void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        if (n < MIN_ROW) {
            ScalarKernels.INSTANCE.exp(x, xOff, y, yOff, n);
            return;
        }
        FloatVector one = FloatVector.broadcast(S, 1f);         // FloatMath's constants, broadcast once a call
        FloatVector lnHi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector lnLo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector c2 = FloatVector.broadcast(S, C2);
        FloatVector c3 = FloatVector.broadcast(S, C3);
        // whole vectors, then one at n - L over lanes already done, which recomputes their bits (one copy of the lane
        // arithmetic: C2 inlines the Vector API only within a budget that two copies can exceed); in place, that
        // vector would read what the one before wrote, so the last lanes go through the scalar kernel instead
        int whole = n - n % L;
        int stop = overlap(x, xOff, y, yOff, n) ? whole : n;
        // two passes over the one loop body, each with an affine position: the whole vectors, then the last one
        for (int pass = 0; pass < 2; pass++) {
            for (int p = pass == 0 ? 0 : n - L, to = pass == 0 ? whole : stop > whole ? n : 0; p < to; p += L) {
                FloatVector a = FloatVector.fromArray(S, x, xOff + p);
                FloatVector big = a.fma(LOG2E, ROUND);
                FloatVector nf = big.sub(ROUND);
                FloatVector r = nf.fma(lnLo, nf.fma(lnHi, a));
                IntVector n2 = big.reinterpretAsInts().sub(ROUND_BITS);
                IntVector half = n2.lanewise(VectorOperators.ASHR, 1);       // 2^n as two factors: n reaches 128
                FloatVector e = r.fma(C5, C4).fma(r, c3).fma(r, c2).fma(r, one).fma(r, one)
                        .mul(half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .mul(n2.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .blend(Float.POSITIVE_INFINITY, a.compare(VectorOperators.GT, EXP_OVERFLOW))
                        .blend(0f, a.lt(EXP_UNDERFLOW));
                e.intoArray(y, yOff + p);
            }
        }
        if (stop < n) {
            ScalarKernels.INSTANCE.exp(x, xOff + stop, y, yOff + stop, n - stop);
        }
    }

    @Override
    public double bceWithLogitsSum(float[] x, int xOff, float[] y, int yOff, int n) {
        if (n < MIN_ROW) {
            return ScalarKernels.INSTANCE.bceWithLogitsSum(x, xOff, y, yOff, n);
        }
        return VectorSums.bceSum(x, xOff, y, yOff, n);
    }

    @Override
    public int firstAboveOrNaN(float[] x, int from, int to, float threshold) {
        if (to - from < MIN_ROW) {
            return ScalarKernels.INSTANCE.firstAboveOrNaN(x, from, to, threshold);
        }
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
