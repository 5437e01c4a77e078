package io.github.logits4j.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;
import io.github.logits4j.activation.Activation;
import io.github.logits4j.loss.BinaryCrossEntropyLoss;
import io.github.logits4j.loss.CrossEntropyLoss;
import io.github.logits4j.loss.MultiLabelSoftMarginLoss;
import io.github.logits4j.loss.NllLoss;
import io.github.logits4j.loss.Reduction;
import io.github.logits4j.loss.SigmoidFocalLoss;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Every loss gives the same value from logits, from the probabilities of those logits ({@link Activation#SOFTMAX} for
 * multi-class losses, {@link Activation#SIGMOID} for binary ones) and from their log-probabilities
 * ({@link Activation#LOG_SOFTMAX}, {@link Activation#LOG_SIGMOID}). The logits are moderate ({@code |x| <= 8}), so no
 * clamp or clip applies and the three paths are the same mathematics. Binary cross-entropy is never negative (the
 * property DJL's sign bug in sigmoid BCE broke).
 *
 * <p>Tolerance: {@code max(1e-6, 1e-5 |expected|)}, except for the probability path of binary losses
 * ({@link #assertCloseFromProbabilities}).
 */
class LossPathAgreementTest {
    private static final Reduction[] REDUCED = {Reduction.MEAN, Reduction.SUM};

    /** Multi-class data: logits, class-index targets, soft targets, class weights. */
    record MultiClass(int rows, int cols, float[] logits, int[] labels, float[] soft, double[] weights) {
        FloatMatrix x() {
            return FloatMatrix.wrap(logits.clone(), rows, cols);
        }

        FloatMatrix targets() {
            return FloatMatrix.wrap(soft.clone(), rows, cols);
        }

        FloatMatrix oneHot() {
            float[] t = new float[rows * cols];
            for (int r = 0; r < rows; r++) {
                t[r * cols + labels[r]] = 1f;
            }
            return FloatMatrix.wrap(t, rows, cols);
        }

        @Override
        public String toString() {
            return "MultiClass[" + rows + " x " + cols + ", logits=" + Arrays.toString(logits) + ", labels="
                    + Arrays.toString(labels) + ", soft=" + Arrays.toString(soft) + ", weights="
                    + Arrays.toString(weights) + "]";
        }
    }

    /** Binary / multi-label data: logits, targets in [0, 1], class weights, pos_weight. */
    record Binary(int rows, int cols, float[] logits, float[] targets, double[] weights, double[] posWeight) {
        FloatMatrix x() {
            return FloatMatrix.wrap(logits.clone(), rows, cols);
        }

        FloatMatrix y() {
            return FloatMatrix.wrap(targets.clone(), rows, cols);
        }

        @Override
        public String toString() {
            return "Binary[" + rows + " x " + cols + ", logits=" + Arrays.toString(logits) + ", targets="
                    + Arrays.toString(targets) + ", weights=" + Arrays.toString(weights) + ", posWeight="
                    + Arrays.toString(posWeight) + "]";
        }
    }

    private static Arbitrary<float[]> logits(int n) {
        return Arbitraries.floats().between(-8f, 8f).ofScale(5).array(float[].class).ofSize(n);
    }

    private static Arbitrary<double[]> weights(int n) {
        return Arbitraries.doubles().between(0.0, 3.0).ofScale(3).array(double[].class).ofSize(n);
    }

    @Provide
    Arbitrary<MultiClass> multiClass() {
        return Combinators.combine(Arbitraries.integers().between(1, 6), Arbitraries.integers().between(1, 12))
                .flatAs((rows, cols) -> Combinators.combine(
                        logits(rows * cols),
                        Arbitraries.integers().between(0, cols - 1).array(int[].class).ofSize(rows),
                        Arbitraries.floats().between(0f, 1f).ofScale(4).array(float[].class).ofSize(rows * cols),
                        weights(cols))
                        .as((x, labels, raw, w) -> new MultiClass(rows, cols, x, labels, normalise(raw, rows, cols),
                                w)));
    }

    /** Rows of non-negative values scaled to sum to (about) 1; an all-zero row stays zero. */
    private static float[] normalise(float[] raw, int rows, int cols) {
        float[] t = raw.clone();
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int c = 0; c < cols; c++) {
                s += t[r * cols + c];
            }
            for (int c = 0; c < cols && s > 0; c++) {
                t[r * cols + c] = (float) Math.min(1.0, t[r * cols + c] / s);
            }
        }
        return t;
    }

    @Provide
    Arbitrary<Binary> binary() {
        Arbitrary<Float> target = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(0f, 1f)),
                Tuple.of(1, Arbitraries.floats().between(0f, 1f).ofScale(4)));
        return Combinators.combine(Arbitraries.integers().between(1, 6), Arbitraries.integers().between(1, 10))
                .flatAs((rows, cols) -> Combinators.combine(
                        logits(rows * cols),
                        target.array(float[].class).ofSize(rows * cols),
                        weights(cols),
                        Arbitraries.doubles().between(0.0, 5.0).ofScale(3).array(double[].class).ofSize(cols))
                        .as((x, y, w, pw) -> new Binary(rows, cols, x, y, w, pw)));
    }

    // ---------------------------------------------------------------- multi-class

    @Property(tries = 300, seed = "8101")
    void crossEntropyWithClassIndicesAgreesAcrossInputKinds(@ForAll("multiClass") MultiClass d) {
        FloatMatrix x = d.x();
        FloatMatrix p = Activation.SOFTMAX.apply(x);
        FloatMatrix lp = Activation.LOG_SOFTMAX.apply(x);
        for (double[] w : new double[][] {null, d.weights()}) {
            for (double ls : new double[] {0.0, 0.1}) {
                for (Reduction red : REDUCED) {
                    CrossEntropyLoss onLogits = ce(OutputKind.LOGITS, w, ls, red);
                    String what = "CE weights=" + (w != null) + " ls=" + ls + " " + red;
                    double expected = onLogits.compute(x, d.labels());
                    assertClose(expected, ce(OutputKind.PROBABILITIES, w, ls, red).compute(p, d.labels()),
                            what + " probabilities");
                    assertClose(expected, ce(OutputKind.LOG_PROBABILITIES, w, ls, red).compute(lp, d.labels()),
                            what + " log-probabilities");
                }
                String what = "CE each weights=" + (w != null) + " ls=" + ls;
                double[] each = ce(OutputKind.LOGITS, w, ls, Reduction.NONE).computeEach(x, d.labels());
                assertAllClose(each, ce(OutputKind.PROBABILITIES, w, ls, Reduction.NONE).computeEach(p, d.labels()),
                        what + " probabilities");
                assertAllClose(each,
                        ce(OutputKind.LOG_PROBABILITIES, w, ls, Reduction.NONE).computeEach(lp, d.labels()),
                        what + " log-probabilities");
                for (double v : each) {
                    assertNonNegative(v, what);
                }
            }
        }
    }

    @Property(tries = 300, seed = "8102")
    void crossEntropyWithProbabilityTargetsAgreesAcrossInputKinds(@ForAll("multiClass") MultiClass d) {
        FloatMatrix x = d.x();
        FloatMatrix p = Activation.SOFTMAX.apply(x);
        FloatMatrix lp = Activation.LOG_SOFTMAX.apply(x);
        FloatMatrix t = d.targets();
        for (double[] w : new double[][] {null, d.weights()}) {
            for (double ls : new double[] {0.0, 0.1}) {
                for (Reduction red : REDUCED) {
                    String what = "CE soft weights=" + (w != null) + " ls=" + ls + " " + red;
                    double expected = ce(OutputKind.LOGITS, w, ls, red).compute(x, t);
                    assertClose(expected, ce(OutputKind.PROBABILITIES, w, ls, red).compute(p, t),
                            what + " probabilities");
                    assertClose(expected, ce(OutputKind.LOG_PROBABILITIES, w, ls, red).compute(lp, t),
                            what + " log-probabilities");
                }
                String what = "CE soft each weights=" + (w != null) + " ls=" + ls;
                double[] each = ce(OutputKind.LOGITS, w, ls, Reduction.NONE).computeEach(x, t);
                assertAllClose(each, ce(OutputKind.PROBABILITIES, w, ls, Reduction.NONE).computeEach(p, t),
                        what + " probabilities");
                assertAllClose(each, ce(OutputKind.LOG_PROBABILITIES, w, ls, Reduction.NONE).computeEach(lp, t),
                        what + " log-probabilities");
            }
        }
    }

    /**
     * One-hot probability targets are class-index targets: per sample and summed always (weights and smoothing
     * included), and for MEAN when unweighted (weighted MEAN divides by N for probability targets, by the target
     * weights for class indices).
     */
    @Property(tries = 200, seed = "8103")
    void oneHotTargetsEqualClassIndexTargets(@ForAll("multiClass") MultiClass d) {
        FloatMatrix x = d.x();
        FloatMatrix oneHot = d.oneHot();
        for (double[] w : new double[][] {null, d.weights()}) {
            for (double ls : new double[] {0.0, 0.1}) {
                String what = "weights=" + (w != null) + " ls=" + ls;
                assertAllClose(ce(OutputKind.LOGITS, w, ls, Reduction.NONE).computeEach(x, d.labels()),
                        ce(OutputKind.LOGITS, w, ls, Reduction.NONE).computeEach(x, oneHot), what + " each");
                assertClose(ce(OutputKind.LOGITS, w, ls, Reduction.SUM).compute(x, d.labels()),
                        ce(OutputKind.LOGITS, w, ls, Reduction.SUM).compute(x, oneHot), what + " SUM");
                if (w == null) {
                    assertClose(ce(OutputKind.LOGITS, null, ls, Reduction.MEAN).compute(x, d.labels()),
                            ce(OutputKind.LOGITS, null, ls, Reduction.MEAN).compute(x, oneHot), what + " MEAN");
                }
            }
        }
    }

    @Property(tries = 300, seed = "8104")
    void nllOnLogSoftmaxEqualsCrossEntropyOnLogits(@ForAll("multiClass") MultiClass d) {
        FloatMatrix x = d.x();
        FloatMatrix lp = Activation.LOG_SOFTMAX.apply(x);
        // Ignore the class of row 0 for one of the variants, so ignored rows are covered too.
        int ignored = d.labels()[0];
        for (double[] w : new double[][] {null, d.weights()}) {
            for (boolean ignore : new boolean[] {false, true}) {
                for (Reduction red : REDUCED) {
                    String what = "NLL weights=" + (w != null) + " ignore=" + ignore + " " + red;
                    CrossEntropyLoss.Builder cb = CrossEntropyLoss.builder().reduction(red);
                    NllLoss.Builder nb = NllLoss.builder().reduction(red);
                    if (w != null) {
                        cb.classWeights(w);
                        nb.classWeights(w);
                    }
                    if (ignore) {
                        cb.ignoreIndex(ignored);
                        nb.ignoreIndex(ignored);
                    }
                    assertClose(cb.build().compute(x, d.labels()), nb.build().compute(lp, d.labels()), what);
                    assertAllClose(cb.build().computeEach(x, d.labels()), nb.build().computeEach(lp, d.labels()),
                            what + " each");
                }
            }
        }
    }

    private static CrossEntropyLoss ce(OutputKind kind, double[] w, double ls, Reduction red) {
        CrossEntropyLoss.Builder b = CrossEntropyLoss.builder().input(kind).labelSmoothing(ls).reduction(red);
        if (w != null) {
            b.classWeights(w);
        }
        return b.build();
    }

    // ---------------------------------------------------------------- binary / multi-label

    @Property(tries = 300, seed = "8201")
    void binaryCrossEntropyAgreesAcrossInputKindsAndIsNonNegative(@ForAll("binary") Binary d) {
        FloatMatrix x = d.x();
        FloatMatrix y = d.y();
        FloatMatrix p = Activation.SIGMOID.apply(x);
        FloatMatrix lp = Activation.LOG_SIGMOID.apply(x);
        for (double[] w : new double[][] {null, d.weights()}) {
            for (double[] pw : new double[][] {null, d.posWeight()}) {
                for (Reduction red : REDUCED) {
                    String what = "BCE weights=" + (w != null) + " posWeight=" + (pw != null) + " " + red;
                    double expected = bce(OutputKind.LOGITS, w, pw, red).compute(x, y);
                    assertNonNegative(expected, what + " logits");
                    double fromP = bce(OutputKind.PROBABILITIES, w, pw, red).compute(p, y);
                    assertNonNegative(fromP, what + " probabilities");
                    assertCloseFromProbabilities(expected, fromP, what + " probabilities");
                    double fromLp = bce(OutputKind.LOG_PROBABILITIES, w, pw, red).compute(lp, y);
                    assertNonNegative(fromLp, what + " log-probabilities");
                    assertClose(expected, fromLp, what + " log-probabilities");
                }
                String what = "BCE weights=" + (w != null) + " posWeight=" + (pw != null);
                BinaryCrossEntropyLoss onLogits = bce(OutputKind.LOGITS, w, pw, Reduction.NONE);
                BinaryCrossEntropyLoss onP = bce(OutputKind.PROBABILITIES, w, pw, Reduction.NONE);
                BinaryCrossEntropyLoss onLp = bce(OutputKind.LOG_PROBABILITIES, w, pw, Reduction.NONE);
                double[] each = onLogits.computeEach(x, y);
                double[] eachP = onP.computeEach(p, y);
                double[] eachLp = onLp.computeEach(lp, y);
                for (int i = 0; i < each.length; i++) {
                    String at = what + " element " + i;
                    assertNonNegative(each[i], at + " logits");
                    assertNonNegative(eachP[i], at + " probabilities");
                    assertNonNegative(eachLp[i], at + " log-probabilities");
                    assertCloseFromProbabilities(each[i], eachP[i], at + " probabilities");
                    assertClose(each[i], eachLp[i], at + " log-probabilities");
                }
                double[] perSample = onLogits.computePerSample(x, y);
                assertAllCloseFromProbabilities(perSample, onP.computePerSample(p, y), what + " per sample p");
                assertAllClose(perSample, onLp.computePerSample(lp, y), what + " per sample lp");
                for (int r = 0; r < d.rows(); r++) {
                    double mean = 0;
                    for (int c = 0; c < d.cols(); c++) {
                        mean += each[r * d.cols() + c];
                    }
                    assertClose(mean / d.cols(), perSample[r], what + " per sample = row mean of each, row " + r);
                }
            }
        }
    }

    private static BinaryCrossEntropyLoss bce(OutputKind kind, double[] w, double[] pw, Reduction red) {
        BinaryCrossEntropyLoss.Builder b = BinaryCrossEntropyLoss.builder().input(kind).reduction(red);
        if (w != null) {
            b.classWeights(w);
        }
        if (pw != null) {
            b.posWeight(pw);
        }
        return b.build();
    }

    @Property(tries = 300, seed = "8202")
    void multiLabelSoftMarginAgreesAcrossInputKinds(@ForAll("binary") Binary d) {
        FloatMatrix x = d.x();
        FloatMatrix y = d.y();
        FloatMatrix p = Activation.SIGMOID.apply(x);
        FloatMatrix lp = Activation.LOG_SIGMOID.apply(x);
        for (double[] w : new double[][] {null, d.weights()}) {
            for (Reduction red : REDUCED) {
                String what = "MLSM weights=" + (w != null) + " " + red;
                double expected = mlsm(OutputKind.LOGITS, w, red).compute(x, y);
                assertNonNegative(expected, what);
                assertCloseFromProbabilities(expected, mlsm(OutputKind.PROBABILITIES, w, red).compute(p, y),
                        what + " probabilities");
                assertClose(expected, mlsm(OutputKind.LOG_PROBABILITIES, w, red).compute(lp, y),
                        what + " log-probabilities");
            }
            String what = "MLSM each weights=" + (w != null);
            double[] each = mlsm(OutputKind.LOGITS, w, Reduction.NONE).computeEach(x, y);
            assertAllCloseFromProbabilities(each, mlsm(OutputKind.PROBABILITIES, w, Reduction.NONE).computeEach(p, y),
                    what + " probabilities");
            assertAllClose(each, mlsm(OutputKind.LOG_PROBABILITIES, w, Reduction.NONE).computeEach(lp, y),
                    what + " log-probabilities");
        }
    }

    /**
     * Multi-label soft-margin loss is binary cross-entropy over logits averaged over classes then samples, so its MEAN
     * is BCE's MEAN over all N·C elements, and its per-sample value BCE's per-sample (class-axis) mean; with the same
     * class weights too.
     */
    @Property(tries = 300, seed = "8203")
    void multiLabelSoftMarginEqualsBinaryCrossEntropyMean(@ForAll("binary") Binary d) {
        FloatMatrix x = d.x();
        FloatMatrix y = d.y();
        for (double[] w : new double[][] {null, d.weights()}) {
            String what = "weights=" + (w != null);
            assertClose(bce(OutputKind.LOGITS, w, null, Reduction.MEAN).compute(x, y),
                    mlsm(OutputKind.LOGITS, w, Reduction.MEAN).compute(x, y), what + " MEAN");
            assertAllClose(bce(OutputKind.LOGITS, w, null, Reduction.NONE).computePerSample(x, y),
                    mlsm(OutputKind.LOGITS, w, Reduction.NONE).computeEach(x, y), what + " per sample");
        }
    }

    private static MultiLabelSoftMarginLoss mlsm(OutputKind kind, double[] w, Reduction red) {
        MultiLabelSoftMarginLoss.Builder b = MultiLabelSoftMarginLoss.builder().input(kind).reduction(red);
        if (w != null) {
            b.classWeights(w);
        }
        return b.build();
    }

    @Property(tries = 300, seed = "8204")
    void sigmoidFocalLossAgreesAcrossInputKinds(@ForAll("binary") Binary d,
            @ForAll("alphas") double alpha, @ForAll("gammas") double gamma) {
        FloatMatrix x = d.x();
        FloatMatrix y = d.y();
        FloatMatrix p = Activation.SIGMOID.apply(x);
        FloatMatrix lp = Activation.LOG_SIGMOID.apply(x);
        String params = "alpha=" + alpha + " gamma=" + gamma;
        for (Reduction red : REDUCED) {
            double expected = focal(OutputKind.LOGITS, alpha, gamma, red).compute(x, y);
            assertNonNegative(expected, "focal " + params + " " + red);
            assertCloseFromProbabilities(expected, focal(OutputKind.PROBABILITIES, alpha, gamma, red).compute(p, y),
                    "focal " + params + " " + red + " probabilities");
            assertClose(expected, focal(OutputKind.LOG_PROBABILITIES, alpha, gamma, red).compute(lp, y),
                    "focal " + params + " " + red + " log-probabilities");
        }
        double[] each = focal(OutputKind.LOGITS, alpha, gamma, Reduction.NONE).computeEach(x, y);
        assertAllCloseFromProbabilities(each,
                focal(OutputKind.PROBABILITIES, alpha, gamma, Reduction.NONE).computeEach(p, y),
                "focal each " + params + " probabilities");
        assertAllClose(each, focal(OutputKind.LOG_PROBABILITIES, alpha, gamma, Reduction.NONE).computeEach(lp, y),
                "focal each " + params + " log-probabilities");
        // gamma 0 and no alpha: the focal loss is plain binary cross-entropy.
        if (gamma == 0.0 && alpha == -1.0) {
            assertAllClose(bce(OutputKind.LOGITS, null, null, Reduction.NONE).computeEach(x, y), each,
                    "focal(gamma 0, alpha -1) = BCE");
        }
    }

    @Provide
    Arbitrary<Double> alphas() {
        return Arbitraries.oneOf(Arbitraries.of(-1.0, 0.0, 0.25, 1.0), Arbitraries.doubles().between(0, 1).ofScale(3));
    }

    @Provide
    Arbitrary<Double> gammas() {
        return Arbitraries.oneOf(Arbitraries.of(0.0, 0.5, 1.0, 2.0), Arbitraries.doubles().between(0, 5).ofScale(2));
    }

    private static SigmoidFocalLoss focal(OutputKind kind, double alpha, double gamma, Reduction red) {
        return SigmoidFocalLoss.builder().input(kind).alpha(alpha).gamma(gamma).reduction(red).build();
    }

    // ---------------------------------------------------------------- storage

    /** A loss reads a direct, read-only or offset matrix exactly as it reads an array. */
    @Property(tries = 100, seed = "8301")
    void lossesDoNotDependOnStorage(@ForAll("multiClass") MultiClass m, @ForAll("binary") Binary b) {
        CrossEntropyLoss ce = ce(OutputKind.LOGITS, m.weights(), 0.1, Reduction.SUM);
        double ceExpected = ce.compute(m.x(), m.labels());
        double ceSoftExpected = ce.compute(m.x(), m.targets());
        BinaryCrossEntropyLoss bce = bce(OutputKind.LOGITS, b.weights(), b.posWeight(), Reduction.NONE);
        double[] bceExpected = bce.computeEach(b.x(), b.y());
        MultiLabelSoftMarginLoss ml = mlsm(OutputKind.LOGITS, b.weights(), Reduction.NONE);
        double[] mlExpected = ml.computeEach(b.x(), b.y());
        double[] focalExpected = focal(OutputKind.LOGITS, 0.25, 2.0, Reduction.NONE).computeEach(b.x(), b.y());
        for (int s = 0; s < 4; s++) {
            String what = "storage " + s;
            assertEquals(ceExpected, ce.compute(store(s, m.logits(), m.rows(), m.cols()), m.labels()), 0.0, what);
            assertEquals(ceSoftExpected, ce.compute(store(s, m.logits(), m.rows(), m.cols()),
                    store(3 - s, m.soft(), m.rows(), m.cols())), 0.0, what);
            FloatMatrix bx = store(s, b.logits(), b.rows(), b.cols());
            FloatMatrix by = store((s + 1) % 4, b.targets(), b.rows(), b.cols());
            assertEquals(Arrays.toString(bceExpected), Arrays.toString(bce.computeEach(bx, by)), what);
            assertEquals(Arrays.toString(mlExpected), Arrays.toString(ml.computeEach(bx, by)), what);
            assertEquals(Arrays.toString(focalExpected), Arrays.toString(
                    focal(OutputKind.LOGITS, 0.25, 2.0, Reduction.NONE).computeEach(bx, by)), what);
        }
    }

    /** 0: array, 1: array at offset 3, 2: read-only heap buffer, 3: direct buffer. */
    private static FloatMatrix store(int kind, float[] d, int rows, int cols) {
        switch (kind) {
            case 0:
                return FloatMatrix.wrap(d.clone(), rows, cols);
            case 1: {
                float[] big = new float[d.length + 5];
                Arrays.fill(big, Float.NaN);
                System.arraycopy(d, 0, big, 3, d.length);
                return FloatMatrix.wrap(big, 3, rows, cols);
            }
            case 2:
                return FloatMatrix.wrap(FloatBuffer.wrap(d.clone()).asReadOnlyBuffer(), rows, cols);
            default: {
                FloatBuffer fb = ByteBuffer.allocateDirect(4 * d.length).order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
                fb.put(d).flip();
                return FloatMatrix.wrap(fb, rows, cols);
            }
        }
    }

    // ---------------------------------------------------------------- assertions

    /** {@code |expected - actual| <= max(1e-6, 1e-5 |expected|)}; NaN matches NaN. */
    static void assertClose(double expected, double actual, String what) {
        assertWithin(expected, actual, Math.max(1e-6, 1e-5 * Math.abs(expected)), what);
    }

    /**
     * The probability path of a binary loss reads {@code p = sigmoid(x)} rounded to float32; near {@code p = 1}
     * (x = 8: 1 - p = 3.4e-4) that rounding (up to half an ulp, 3e-8) moves {@code log(1 - p)} by up to 9e-5: for
     * y = 0 the loss {@code -log(1 - p)} is then off by up to 1.11e-5 relative (worst float in [-8, 8]: x =
     * 7.9995985), a property of the float32 input, not of the loss. So this path gets
     * {@code max(1e-6, 2e-5 |expected|)}; the logits and log-probability paths keep 1e-5.
     */
    static void assertCloseFromProbabilities(double expected, double actual, String what) {
        assertWithin(expected, actual, Math.max(1e-6, 2e-5 * Math.abs(expected)), what);
    }

    private static void assertWithin(double expected, double actual, double tol, String what) {
        if (expected == actual || (Double.isNaN(expected) && Double.isNaN(actual))) {
            return;
        }
        if (!(Math.abs(expected - actual) <= tol)) {
            fail(what + ": expected " + expected + " but found " + actual + " (difference "
                    + Math.abs(expected - actual) + ", tolerance " + tol + ")");
        }
    }

    static void assertAllClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], what + " [" + i + "]");
        }
    }

    static void assertAllCloseFromProbabilities(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertCloseFromProbabilities(expected[i], actual[i], what + " [" + i + "]");
        }
    }

    private static void assertNonNegative(double v, String what) {
        if (!(v >= 0.0)) {
            fail(what + ": loss is " + v + "; expected >= 0");
        }
    }
}
