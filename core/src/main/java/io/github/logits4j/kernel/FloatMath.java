package io.github.logits4j.kernel;

/**
 * The float arithmetic of the kernels, one element at a time: the definition that every kernel path (the scalar
 * kernels, and the Vector API kernels at any width) computes, operation for operation, so that a result is the same
 * bit for bit on every CPU and whichever path runs.
 *
 * <p>Only IEEE 754 operations whose result Java defines exactly are used: float {@code + - * /}, {@link Math#fma}
 * (one rounding), {@link Math#abs}, {@link Math#min}, comparisons and bit moves. No JDK math function (whose result may
 * differ between the interpreter, the JIT's intrinsic and another architecture) and no float-to-double promotion.
 * The Vector API kernels evaluate the same expressions lane by lane ({@code FloatVector.fma} is {@link Math#fma} per
 * lane), so an element computed in a vector equals the element computed here.
 *
 * <p><b>{@code exp(a)}</b>: {@code a = n ln2 + r}, {@code |r| <= ln2/2}; {@code n} rounded by adding and subtracting
 * the magic number {@link #ROUND}, {@code r} by Cody-Waite in two FMAs, {@code exp(r)} a degree-5 minimax polynomial
 * (relative error 1.03e-7 before rounding), {@code 2^n} built in the exponent bits. Arguments below
 * {@link #EXP_UNDERFLOW} (and -inf) give 0 (subnormal results are flushed), above {@link #EXP_OVERFLOW} +inf.
 * <b>{@code log1p(e)}</b> for {@code e} in [0, 1]: {@code 2 atanh(s)}, {@code s = e / (2 + e)}, {@code atanh(s) / s} a
 * degree-4 polynomial in {@code s^2} fitted on [0, 1/9] (relative error 4.6e-9).
 *
 * <p><b>Sums over a row</b> (the exponentials of a softmax, the terms of a BCE) have one canonical order, whatever the
 * vector width. A row of 16 elements or more is a sequence of blocks of {@link #LANES}: its whole blocks, then, when
 * its length is not a multiple of 16, the window of its last 16 elements with the lanes an earlier block holds set
 * to 0. The blocks are added lane by lane into {@value #LANES} float accumulators; every {@value #FOLD} blocks, and
 * after the last, the lanes are added by the fixed tree {@link #tree} and the result is added to a double. A shorter
 * row is added to the double element by element, in order.
 */
final class FloatMath {
    /** The canonical lane count of a row sum (see the class comment): 512 bits of floats. */
    static final int LANES = 16;
    /** Whole blocks summed in float lanes before the lanes are folded into the double sum. */
    static final int FOLD = 64;

    // exp: x = n ln2 + r, |r| <= ln2/2, exp(x) = 2^n exp(r); n by the round-to-nearest magic number
    static final float LOG2E = 1.44269504088896341f;
    static final float ROUND = 12582912f;            // 1.5 * 2^23
    static final float LN2_HI = 0.693359375f;        // exact in 9 bits, so n * LN2_HI is exact
    static final float LN2_LO = -2.12194440e-4f;
    static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    static final float EXP_UNDERFLOW = -87.6f;       // below: a subnormal result (n < -126), flushed to 0
    static final float EXP_OVERFLOW = 88.8f;         // above: +inf (ln(Float.MAX_VALUE) = 88.72)
    // 1 + r + C2 r^2 + ... + C5 r^5: minimax for the relative error on [-ln2/2, ln2/2]
    static final float C2 = 0.4999923f;
    static final float C3 = 0.1666709f;
    static final float C4 = 0.041890208f;
    static final float C5 = 0.008314719f;
    // atanh(s) / s = 1 + A1 z + ... + A4 z^4, z = s^2 in [0, 1/9]: least squares on Chebyshev nodes
    static final float A1 = 0.33333206f;
    static final float A2 = 0.20010826f;
    static final float A3 = 0.14000110f;
    static final float A4 = 0.14009242f;

    private FloatMath() {
    }

    /** {@code exp(a)} for {@code a <= 0} (or NaN): one exponent factor, 0 below {@link #EXP_UNDERFLOW}. */
    static float expNonPositive(float a) {
        float big = Math.fma(a, LOG2E, ROUND);
        float e = reduced(a, big) * Float.intBitsToFloat((exponent(big) + 127) << 23);
        return a < EXP_UNDERFLOW ? 0f : e;
    }

    /** {@code exp(a)} for any {@code a}: {@code 2^n} as two factors (n reaches 128), +inf above {@link #EXP_OVERFLOW}. */
    static float exp(float a) {
        float big = Math.fma(a, LOG2E, ROUND);
        int n = exponent(big);
        int half = n >> 1;
        float e = reduced(a, big) * Float.intBitsToFloat((half + 127) << 23)
                * Float.intBitsToFloat((n - half + 127) << 23);
        if (a > EXP_OVERFLOW) {
            e = Float.POSITIVE_INFINITY;
        }
        return a < EXP_UNDERFLOW ? 0f : e;
    }

    /** {@code exp(r)} for {@code r = a - n ln2} (Cody-Waite in two FMAs), {@code big = fma(a, log2 e, ROUND)}. */
    private static float reduced(float a, float big) {
        float nf = big - ROUND;
        float r = Math.fma(nf, -LN2_LO, Math.fma(nf, -LN2_HI, a));
        return Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, C5, C4), r, C3), r, C2), r, 1f), r, 1f);
    }

    /** The {@code n} of {@code a = n ln2 + r}, from the magic-number sum {@code big}. */
    private static int exponent(float big) {
        return Float.floatToRawIntBits(big) - ROUND_BITS;
    }

    /** {@code exp((x - m) * t)}: a softmax numerator. */
    static float expShifted(float x, float m, float t) {
        return expNonPositive((x - m) * t);
    }

    /** {@code sigmoid(v)}: {@code 1 / (1 + e)} for {@code v >= 0}, {@code e / (1 + e)} below, {@code e = exp(-|v|)}. */
    static float sigmoid(float v) {
        float e = expNonPositive(-Math.abs(v));
        return (v < 0f ? e : 1f) / (e + 1f);
    }

    /** {@code log(sigmoid(v)) = min(v, 0) - log1p(exp(-|v|))}. */
    static float logSigmoid(float v) {
        float e = expNonPositive(-Math.abs(v));
        float s = e / (e + 2f);
        float z = s * s;
        float log1p = Math.fma(Math.fma(Math.fma(Math.fma(z, A4, A3), z, A2), z, A1), z, 1f) * (s + s);
        return Math.min(v, 0f) - log1p;
    }

    /** {@code (1 - y) x - logsigmoid(x)}: one term of PyTorch's {@code binary_cross_entropy_with_logits}. */
    static float bce(float x, float y) {
        return (1f - y) * x - logSigmoid(x);
    }

    /** The canonical sum of 16 lanes: {@code a[l] + a[l + 8]}, then {@link #tree8} of those (a butterfly). */
    static float tree(float a0, float a1, float a2, float a3, float a4, float a5, float a6, float a7,
            float a8, float a9, float a10, float a11, float a12, float a13, float a14, float a15) {
        return tree8(a0 + a8, a1 + a9, a2 + a10, a3 + a11, a4 + a12, a5 + a13, a6 + a14, a7 + a15);
    }

    /** The second step of {@link #tree}: {@code b[l] + b[l + 4]}, then {@link #tree4} of those. */
    static float tree8(float b0, float b1, float b2, float b3, float b4, float b5, float b6, float b7) {
        return tree4(b0 + b4, b1 + b5, b2 + b6, b3 + b7);
    }

    /** The last steps of {@link #tree}: {@code (c0 + c2) + (c1 + c3)}. */
    static float tree4(float c0, float c1, float c2, float c3) {
        return (c0 + c2) + (c1 + c3);
    }
}
