package io.github.logits4j.kernel;

import org.jspecify.annotations.Nullable;

/**
 * The numeric kernels every part of logits4j shares: one row at a time over a primitive {@code float[]}. Activations,
 * losses and decision rules call these and nothing else for their inner loops, so a faster implementation (SIMD)
 * replaces them in one place.
 *
 * <p><b>One number on every CPU.</b> Every implementation gives the same result bit for bit: the scalar kernels and the
 * Vector API kernels at 128, 256 or 512 bits compute the same float operations in the same order ({@code FloatMath}
 * defines them: an FMA polynomial for {@code exp}, sums over a row in a canonical order of 16 lanes), so a model's
 * numbers do not depend on the machine, the JVM's flags or how far the JIT has compiled. What an evaluation reports in
 * double precision (probabilities, the loss of a softmax model, fitted temperatures) reads
 * {@link #logSumExpShiftedDouble}, which is plain double arithmetic and the same on every path too.
 *
 * <p>Obtain the implementation once with {@link #get()}; it is chosen at class initialisation from the system property
 * {@code logits4j.kernels}: {@code auto} (the default) takes the Vector API kernels when the module
 * {@code jdk.incubator.vector} is readable (start java with {@code --add-modules jdk.incubator.vector}; the
 * {@code ./logits4j} launcher does) and the scalar ones otherwise; {@code scalar} and {@code vector} force one. The
 * vectors are the widest the CPU has (at most 512 bits), or the width the system property
 * {@code logits4j.vectorBits} names: 128, 256 or 512, at most the CPU's own (a test of every width on one machine).
 *
 * <pre>{@code
 * Kernels k = Kernels.get();
 * float[] row = {1f, 2f, 3f};
 * float[] probs = new float[3];
 * k.softmax(row, 0, probs, 0, 3, 1.0);          // temperature 1
 * double lse = k.logSumExp(row, 0, 3, 1.0);     // log(e^1 + e^2 + e^3)
 * }</pre>
 *
 * <p><b>Non-finite input</b> follows PyTorch: a row holding NaN or +inf, or made only of -inf, gives a NaN softmax and
 * log-softmax; a single -inf entry gives probability 0 and log-probability -inf. Kernels never throw on values.
 *
 * <p><b>Aliasing.</b> Source and destination may be the same array at the same offset (in-place); any other overlap
 * is not supported. Implementations are stateless and safe for concurrent use.
 *
 * <p>This package is logits4j's internal numeric layer: public so that the modules of logits4j share it, stable in
 * behaviour, but not meant as an application API.
 */
public interface Kernels {

    /** The implementation chosen for this JVM (see the class comment). */
    static Kernels get() {
        return Provider.SELECTED;
    }

    /** The plain-Java reference implementation. */
    static Kernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    /** A short name of this implementation ({@code "scalar"} or {@code "vector"}). */
    String name();

    /** The width of the vectors this implementation computes with, in bits; 0 for the scalar kernels. */
    default int vectorBits() {
        return 0;
    }

    /**
     * The widest float vectors the Vector API compiles to on this JVM and CPU (at most 512 bits), or 0 when the Vector
     * API is not readable: the largest value {@code logits4j.vectorBits} may take.
     */
    static int hardwareVectorBits() {
        java.util.Optional<Module> vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector");
        if (vectorModule.isEmpty()) {
            return 0;
        }
        Kernels.class.getModule().addReads(vectorModule.get());
        try {       // VectorKernels' class initialisation does not select kernels, so any width can be asked here
            return Class.forName("io.github.logits4j.kernel.VectorKernels$Lanes").getDeclaredField("HARDWARE_BITS")
                    .getInt(null);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return 0;
        }
    }

    /**
     * {@code log(sum(exp((x[c] - shift) * invT)))} in double precision: every term {@link Math#exp} of a double,
     * added in order. What a report or a fit needs beyond float precision (evaluation probabilities, the NLL of a
     * temperature fit) reads this rather than the kernels' float {@link #logSumExpShifted}; it is one
     * implementation, so it is the same under every kernel path.
     */
    static double logSumExpShiftedDouble(float[] x, int off, int n, float shift, double invT) {
        double sum = 0.0;
        for (int i = off, end = off + n; i < end; i++) {
            sum += Math.exp((x[i] - (double) shift) * invT);
        }
        return Math.log(sum);
    }

    /** The maximum of {@code x[off .. off+n)}; NaN if any element is NaN; {@code n >= 1}. */
    float max(float[] x, int off, int n);

    /**
     * {@code log(sum(exp(x[c] * invT)))} over {@code x[off .. off+n)}, computed with max-subtraction (float terms,
     * summed as {@code FloatMath} defines, the log in double). Do
     * not subtract it from a logit of the row: at large magnitudes (|x| beyond about 1e11) {@code x - logSumExp}
     * loses the log-sum to rounding; compute {@code (x - max) * invT - logSumExpShifted(x, off, n, max, invT)}.
     *
     * @param invT the inverse temperature {@code 1/T}; 1 for none
     */
    default double logSumExp(float[] x, int off, int n, double invT) {
        float m = max(x, off, n);
        return m * invT + logSumExpShifted(x, off, n, m, invT);
    }

    /**
     * {@code log(sum(exp((x[c] - shift) * invT)))} over {@code x[off .. off+n)}: float terms with a relative error
     * below 2e-7 each, summed canonically into a double (relative error below 1e-6 for any row), the log in double.
     * With {@code shift} the
     * row's {@link #max}, the log-sum that a log-probability {@code (x[c] - max) * invT - logSumExpShifted} needs,
     * exact at any magnitude of the logits.
     */
    double logSumExpShifted(float[] x, int off, int n, float shift, double invT);

    /** {@code y = softmax(x * invT)} over one row of {@code n} classes. */
    void softmax(float[] x, int xOff, float[] y, int yOff, int n, double invT);

    /** {@code y = log_softmax(x * invT)} over one row of {@code n} classes. */
    void logSoftmax(float[] x, int xOff, float[] y, int yOff, int n, double invT);

    /** {@code y = sigmoid(x * invT)} elementwise over {@code n} elements. */
    void sigmoid(float[] x, int xOff, float[] y, int yOff, int n, double invT);

    /** {@code y = log(sigmoid(x * invT))} elementwise, in the stable form {@code min(v,0) - log1p(exp(-|v|))}. */
    void logSigmoid(float[] x, int xOff, float[] y, int yOff, int n, double invT);

    /**
     * A value that at least {@code k} elements of {@code x[off .. off+n)} reach, so no element below it can be among
     * the row's top {@code k}: the pruning bound of a top-k selection ({@code 1 <= k <= n}). Implementations may
     * return {@code -inf} (no pruning), and do for a row holding NaN.
     */
    float topKBound(float[] x, int off, int n, int k);

    /** The first index in {@code [from, to)} whose value is not a probability in [0, 1] (NaN is not), else {@code to}. */
    int firstNotProbability(float[] x, int from, int to);

    /** {@code y = exp(x)} elementwise: log-probabilities to probabilities. */
    void exp(float[] x, int xOff, float[] y, int yOff, int n);

    /**
     * {@code sum((1 - y) x - logsigmoid(x))} over {@code n} logits {@code x} and targets {@code y}: PyTorch's
     * {@code binary_cross_entropy_with_logits} summed, without weights (infinities as PyTorch: {@code (+inf, 1)} and
     * {@code (-inf, y)} give NaN, {@code (+inf, 0)} +inf).
     */
    double bceWithLogitsSum(float[] x, int xOff, float[] y, int yOff, int n);

    /**
     * {@code acc[accOff + t] = exp(x[xOff + t] - shift[t]) + acc[accOff + t]} for {@code t} in {@code [0, n)}, each
     * {@code x - shift <= 0} (or NaN): the exponential the row sums take ({@code FloatMath.expNonPositive}, bit for
     * bit), a position at a time along one class of class-first dense scores, added into running float lanes (into
     * zeros: the exponentials themselves).
     */
    void expShiftedAdd(float[] x, int xOff, float[] shift, float[] acc, int accOff, int n);

    /**
     * {@code max[t]}, the {@code Math.max} of class {@code 0} to {@code classes - 1} of {@code n} positions of
     * class-first scores (class {@code c} of position {@code t} at {@code x[xOff + c * stride + t]}), folded in class
     * order: NaN if one is NaN.
     */
    void maxTile(float[] x, int xOff, int stride, int classes, float[] max, int n);

    /**
     * {@code out[t]}, the canonical tree sum ({@link FloatMath#tree}) of the 16 lanes {@code lanes[l * stride + t]},
     * {@code l} in {@code [0, 16)}, of each of {@code n} positions: the fold of a row sum's lanes, a position at a
     * time.
     */
    void treeLanes(float[] lanes, int stride, float[] out, int n);

    /**
     * The argmax of {@code n} positions over all {@code classes} classes of class-first scores (class {@code c} of
     * position {@code t} at {@code x[xOff + c * stride + t]}): {@code best[t]}, the first maximum, and
     * {@code bestClass[t]}, its class, folded in class order (a score greater than the running maximum, or NaN,
     * takes it, so the first maximum wins ties and a NaN, once taken, stays); the classes kept as floats (exact below
     * 2^24), so that one comparison's lanes blend both. Returns whether every maximum is finite (false: a NaN, or an
     * infinity, to look at closer).
     */
    boolean argmaxTile(float[] x, int xOff, int stride, int classes, float[] best, float[] bestClass, int n);

    /**
     * The first index in {@code [from, to)} whose value is greater than {@code threshold} or NaN, else {@code to}: the
     * scan of a top-k selection, which skips every value that cannot enter the kept set.
     */
    int firstAboveOrNaN(float[] x, int from, int to, float threshold);

    /**
     * {@code log(sigmoid(v))} of one value, stable for any magnitude: {@code min(v,0) - log1p(exp(-|v|))}. Equal to
     * PyTorch's {@code logsigmoid}: {@code logSigmoid(-1000) = -1000}, {@code logSigmoid(+inf) = 0}.
     */
    static double logSigmoid(double v) {
        return Math.min(v, 0.0) - Math.log1p(Math.exp(-Math.abs(v)));
    }

    /** {@code sigmoid(v) = 1 / (1 + exp(-v))} of one value; NaN stays NaN. */
    static double sigmoid(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }

    /** Holds the implementation chosen once per JVM. */
    final class Provider {
        static final Kernels SELECTED = select(System.getProperty("logits4j.kernels", "auto"));

        private Provider() {
        }

        /**
         * The width {@code logits4j.vectorBits} names, or 0 when it is not set.
         *
         * @throws IllegalArgumentException if it is set to anything but 128, 256 or 512
         */
        static int requestedVectorBits() {
            String value = System.getProperty("logits4j.vectorBits", "").strip();
            switch (value) {
                case "":
                    return 0;
                case "128":
                case "256":
                case "512":
                    return Integer.parseInt(value);
                default:
                    throw new IllegalArgumentException("system property logits4j.vectorBits is '" + value
                            + "'; expected one of [128, 256, 512]");
            }
        }

        /**
         * {@code scalar}; {@code vector} (fails when the Vector API is not readable); or {@code auto}: the vector
         * kernels when the module {@code jdk.incubator.vector} is readable and they link, the scalar ones otherwise.
         */
        static Kernels select(String name) {
            int requested = requestedVectorBits();
            switch (name) {
                case "scalar":
                    return ScalarKernels.INSTANCE;
                case "vector": {
                    Kernels v = vector(requested);
                    if (v == null) {
                        throw new IllegalStateException("system property logits4j.kernels is 'vector', but the"
                                + " Vector API cannot be used; start java with --add-modules jdk.incubator.vector");
                    }
                    return v;
                }
                case "auto": {
                    Kernels v = vector(requested);
                    if (v == null && requested != 0) {
                        throw new IllegalStateException("system property logits4j.vectorBits is " + requested
                                + ", but the Vector API cannot be used; start java with --add-modules"
                                + " jdk.incubator.vector");
                    }
                    return v != null ? v : ScalarKernels.INSTANCE;
                }
                default:
                    throw new IllegalArgumentException("system property logits4j.kernels is '" + name
                            + "'; expected one of [auto, scalar, vector]");
            }
        }

        /**
         * The vector kernels, or null when the module is not readable or they do not link.
         *
         * @param requested the width {@code logits4j.vectorBits} asks for, or 0
         * @throws IllegalStateException if that width is wider than this CPU's
         */
        private static @Nullable Kernels vector(int requested) {
            java.util.Optional<Module> vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector");
            if (vectorModule.isEmpty()) {
                return null;
            }
            // On the module path, logits4j's module reads the incubator module only when told to (a no-op on the
            // class path, where the unnamed module reads every module).
            Kernels.class.getModule().addReads(vectorModule.get());
            try {
                Class<?> c = Class.forName("io.github.logits4j.kernel.VectorKernels");
                java.lang.reflect.Field f = c.getDeclaredField("INSTANCE");
                Kernels k = (Kernels) f.get(null);
                if (requested != 0) {
                    // a width asked for is checked now; otherwise the Vector API loads on the first long row
                    int hardware = hardwareVectorBits();
                    if (requested > hardware) {
                        throw new IllegalStateException("system property logits4j.vectorBits is " + requested
                                + ", but this CPU's widest float vectors are " + hardware + " bits; expected "
                                + (hardware >= 256 ? "128, 256" + (hardware >= 512 ? " or 512" : "") : "128")
                                + " (or leave it unset for the widest)");
                    }
                }
                return k;
            } catch (IllegalStateException e) {
                throw e;
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return null;
            }
        }
    }
}
