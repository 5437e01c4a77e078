package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.activation.Activation;
import io.github.logits4j.decision.Argmax;
import io.github.logits4j.decision.BinaryDecision;
import io.github.logits4j.decision.Comparison;
import io.github.logits4j.decision.MultilabelDecision;
import io.github.logits4j.decision.TopK;
import io.github.logits4j.loss.BinaryCrossEntropyLoss;
import io.github.logits4j.loss.CrossEntropyLoss;
import io.github.logits4j.loss.MultiLabelSoftMarginLoss;
import io.github.logits4j.loss.NllLoss;
import io.github.logits4j.loss.Reduction;
import io.github.logits4j.loss.Semantics;
import io.github.logits4j.loss.SigmoidFocalLoss;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every misuse throws the documented exception, and its message says what was wrong, where (row, column) and what was
 * expected and found. Also the empty-batch conventions (MEAN NaN, SUM 0).
 */
class BadInputTest {

    /** The message of the {@code type} that {@code call} throws, checked to contain each of {@code parts}. */
    private static String message(Class<? extends Throwable> type, Executable call, String... parts) {
        Throwable t = assertThrows(type, call);
        String msg = t.getMessage();
        assertTrue(msg != null, type.getSimpleName() + " without a message");
        for (String part : parts) {
            assertTrue(msg.contains(part), "message '" + msg + "' should contain '" + part + "'");
        }
        return msg;
    }

    private static String illegal(Executable call, String... parts) {
        return message(IllegalArgumentException.class, call, parts);
    }

    private static FloatMatrix m(int rows, int cols, float... data) {
        return FloatMatrix.wrap(data, rows, cols);
    }

    /** A valid 3 x 3 probability matrix (rows sum to 1). */
    private static FloatMatrix probs3x3() {
        return m(3, 3, 0.2f, 0.3f, 0.5f, 0.1f, 0.1f, 0.8f, 1f, 0f, 0f);
    }

    private static FloatMatrix logits3x3() {
        return m(3, 3, 1f, 2f, 3f, -1f, 0f, 1f, 0.5f, 0.5f, 0.5f);
    }

    // ------------------------------------------------------------------ FloatMatrix

    @Test
    void wrapRejectsBadShapes() {
        illegal(() -> FloatMatrix.wrap(new float[5], 2, 3), "5 elements", "2 * 3 = 6");
        illegal(() -> FloatMatrix.wrap(new float[7], 2, 3), "7 elements", "= 6");
        illegal(() -> FloatMatrix.wrap(new float[0], -1, 3), "rows", "negative", "-1");
        illegal(() -> FloatMatrix.wrap(new float[0], 0, 0), "cols", "at least 1", "found 0");
        illegal(() -> FloatMatrix.allocate(2, -4), "cols", "found -4");
        illegal(() -> FloatMatrix.allocate(-2, 4), "rows", "found -2");
        illegal(() -> FloatMatrix.allocate(100_000, 100_000), "100000 x 100000", "split the batch");
    }

    @Test
    void wrapAtOffsetRejectsWhatDoesNotFit() {
        illegal(() -> FloatMatrix.wrap(new float[6], 1, 2, 3), "6 elements", "2 x 3", "offset 1", "needs 7");
        illegal(() -> FloatMatrix.wrap(new float[6], -1, 1, 3), "offset -1");
        illegal(() -> FloatMatrix.wrap(new float[6], 7, 0, 3), "offset 7");
        assertEquals(0, FloatMatrix.wrap(new float[6], 6, 0, 3).rows());
    }

    @Test
    void wrapRejectsShortBuffers() {
        illegal(() -> FloatMatrix.wrap(FloatBuffer.allocate(5), 2, 3), "5 elements remaining", "2 * 3 = 6");
        FloatBuffer positioned = FloatBuffer.allocate(6);
        positioned.position(2);
        illegal(() -> FloatMatrix.wrap(positioned, 2, 3), "4 elements remaining", "= 6");
        FloatBuffer direct = ByteBuffer.allocateDirect(4 * 5).order(ByteOrder.nativeOrder()).asFloatBuffer();
        illegal(() -> FloatMatrix.wrap(direct, 3, 2), "5 elements remaining", "3 * 2 = 6");
        illegal(() -> FloatMatrix.wrap(FloatBuffer.allocate(6), 2, 0), "cols", "found 0");
    }

    @Test
    void indexOutsideTheMatrixIsNamed() {
        FloatMatrix x = m(2, 3, new float[6]);
        message(IndexOutOfBoundsException.class, () -> x.get(2, 0), "(2, 0)", "2 x 3");
        message(IndexOutOfBoundsException.class, () -> x.set(0, 3, 1f), "(0, 3)", "2 x 3");
        message(IndexOutOfBoundsException.class, () -> x.copyRowTo(-1, new float[3], 0), "row -1", "2 rows");
    }

    @Test
    void readOnlyMatrixRefusesWrites() {
        float[] data = {1f, 2f, 3f, 4f};
        FloatMatrix ro = FloatMatrix.wrap(FloatBuffer.wrap(data).asReadOnlyBuffer(), 2, 2);
        assertTrue(ro.isReadOnly());
        message(IllegalStateException.class, () -> ro.set(0, 0, 9f), "read-only");
        message(IllegalStateException.class, () -> ro.copyRowFrom(1, new float[] {9f, 9f}, 0), "read-only");
        message(IllegalStateException.class, () -> Activation.SOFTMAX.applyInPlace(ro), "read-only");
        message(IllegalStateException.class, () -> Activation.SIGMOID.applyInPlace(ro, 2.0), "read-only");
        message(IllegalStateException.class, () -> Activation.NONE.apply(m(2, 2, 0f, 0f, 0f, 0f), ro),
                "read-only");
        message(IllegalStateException.class, ro::array, "not an array");
        message(IllegalStateException.class, ro::arrayOffset, "not an array");
        assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, data, 0f, "nothing was written");
        assertArrayEquals(data, ro.toArray(), 0f);
        // Reading a read-only matrix is fine.
        assertDoesNotThrow(() -> Activation.SOFTMAX.apply(ro));
    }

    // ------------------------------------------------------------------ cross-entropy and NLL

    @Test
    void labelOutOfRangeNamesRowValueAndRange() {
        CrossEntropyLoss ce = CrossEntropyLoss.ofLogits();
        illegal(() -> ce.compute(logits3x3(), new int[] {0, 1, 5}), "row 2", "is 5", "[0, 2]", "ignore index -100");
        illegal(() -> ce.compute(logits3x3(), new int[] {-1, 1, 2}), "row 0", "is -1", "[0, 2]");
        illegal(() -> ce.computeEach(logits3x3(), new int[] {0, 3, 0}), "row 1", "is 3", "[0, 2]");
        NllLoss nll = NllLoss.builder().ignoreIndex(7).build();
        illegal(() -> nll.compute(logits3x3(), new int[] {0, 1, -100}), "row 2", "is -100", "[0, 2]",
                "ignore index 7");
        CrossEntropyLoss keras = CrossEntropyLoss.builder().semantics(Semantics.KERAS).build();
        String msg = illegal(() -> keras.compute(logits3x3(), new int[] {0, -100, 1}), "row 1", "is -100", "[0, 2]");
        assertTrue(!msg.contains("ignore index"), "Keras semantics have no ignore index: " + msg);
    }

    @Test
    void targetsLengthMismatch() {
        CrossEntropyLoss ce = CrossEntropyLoss.ofLogits();
        illegal(() -> ce.compute(logits3x3(), new int[] {0, 1}), "targets", "2 entries", "expected 3");
        illegal(() -> ce.computeEach(logits3x3(), new int[] {0, 1, 2, 0}), "4 entries", "expected 3");
        illegal(() -> NllLoss.builder().build().compute(logits3x3(), new int[0]), "0 entries", "expected 3");
    }

    @Test
    void classWeightsOfTheWrongLengthFailAtComputeTime() {
        CrossEntropyLoss ce = assertDoesNotThrow(
                () -> CrossEntropyLoss.builder().classWeights(new double[] {1, 2}).build());
        illegal(() -> ce.compute(logits3x3(), new int[] {0, 1, 2}), "class weights", "2 entries", "expected 3");
        NllLoss nll = NllLoss.builder().classWeights(new double[] {1, 2, 3, 4}).build();
        illegal(() -> nll.compute(logits3x3(), new int[] {0, 1, 2}), "class weights", "4 entries", "expected 3");
        BinaryCrossEntropyLoss bceW = BinaryCrossEntropyLoss.builder().classWeights(new double[] {1}).build();
        illegal(() -> bceW.compute(logits3x3(), probs3x3()), "class weights", "1 entries", "expected 3");
        BinaryCrossEntropyLoss bcePw = BinaryCrossEntropyLoss.builder().posWeight(new double[] {1, 2}).build();
        illegal(() -> bcePw.compute(logits3x3(), probs3x3()), "pos_weight", "2 entries", "expected 3");
        MultiLabelSoftMarginLoss ml = MultiLabelSoftMarginLoss.builder().classWeights(new double[] {1, 1}).build();
        illegal(() -> ml.compute(logits3x3(), probs3x3()), "class weights", "2 entries", "expected 3");
    }

    @Test
    void badClassWeightsFailAtBuilderTime() {
        illegal(() -> CrossEntropyLoss.builder().classWeights(new double[] {1, -0.5, 1}),
                "class weights[1]", "-0.5", ">= 0");
        illegal(() -> CrossEntropyLoss.builder().classWeights(new double[] {1, 1, Double.NaN}),
                "class weights[2]", "NaN", "finite");
        illegal(() -> CrossEntropyLoss.builder().classWeights(new double[] {Double.POSITIVE_INFINITY}),
                "class weights[0]", "Infinity", "finite");
        illegal(() -> CrossEntropyLoss.builder().classWeights(new double[0]), "class weights", "empty");
        illegal(() -> NllLoss.builder().classWeights(new double[] {-1}), "class weights[0]", "-1.0");
        illegal(() -> BinaryCrossEntropyLoss.builder().classWeights(new double[] {0, Double.NaN}),
                "class weights[1]", "NaN");
        illegal(() -> BinaryCrossEntropyLoss.builder().posWeight(new double[] {2, -3}), "pos_weight[1]", "-3.0");
        illegal(() -> MultiLabelSoftMarginLoss.builder().classWeights(new double[] {-0.1}),
                "class weights[0]", "-0.1");
        // The builder keeps a copy: changing the caller's array afterwards changes nothing.
        double[] w = {1, 2, 3};
        CrossEntropyLoss ce = CrossEntropyLoss.builder().classWeights(w).build();
        w[0] = -5;
        assertArrayEquals(new double[] {1, 2, 3}, ce.classWeights());
    }

    @Test
    void probabilityInputOutsideUnitIntervalOrNaN() {
        CrossEntropyLoss ce = CrossEntropyLoss.builder().input(OutputKind.PROBABILITIES).build();
        FloatMatrix high = m(2, 3, 0.2f, 0.3f, 0.5f, 0.1f, 0.1f, 1.5f);
        illegal(() -> ce.compute(high, new int[] {0, 1}), "input", "row 1", "column 2", "1.5", "[0, 1]");
        FloatMatrix nan = m(2, 3, 0.2f, Float.NaN, 0.5f, 0.1f, 0.1f, 0.8f);
        illegal(() -> ce.compute(nan, new int[] {0, 1}), "input", "row 0", "column 1", "NaN", "[0, 1]");
        FloatMatrix negative = m(2, 3, 0.2f, 0.3f, 0.5f, -0.25f, 0.5f, 0.75f);
        illegal(() -> ce.compute(negative, probs(2, 3)), "row 1", "column 0", "-0.25", "[0, 1]");

        BinaryCrossEntropyLoss bce = BinaryCrossEntropyLoss.builder().input(OutputKind.PROBABILITIES).build();
        illegal(() -> bce.compute(high, probs(2, 3)), "input", "row 1", "column 2", "1.5", "[0, 1]");
        illegal(() -> bce.compute(nan, probs(2, 3)), "input", "row 0", "column 1", "NaN");
        MultiLabelSoftMarginLoss ml = MultiLabelSoftMarginLoss.builder().input(OutputKind.PROBABILITIES).build();
        illegal(() -> ml.compute(high, probs(2, 3)), "row 1", "column 2", "1.5");
        SigmoidFocalLoss focal = SigmoidFocalLoss.builder().input(OutputKind.PROBABILITIES).build();
        illegal(() -> focal.computeEach(nan, probs(2, 3)), "row 0", "column 1", "NaN");
    }

    /** A valid {@code [rows x cols]} target matrix of 0.5s. */
    private static FloatMatrix probs(int rows, int cols) {
        float[] t = new float[rows * cols];
        java.util.Arrays.fill(t, 0.5f);
        return m(rows, cols, t);
    }

    @Test
    void targetsOutsideUnitInterval() {
        BinaryCrossEntropyLoss bce = BinaryCrossEntropyLoss.builder().build();
        FloatMatrix x = m(2, 2, 0f, 1f, 2f, 3f);
        illegal(() -> bce.compute(x, m(2, 2, 0f, 2f, 1f, 0f)), "targets", "row 0", "column 1", "2.0", "[0, 1]");
        illegal(() -> bce.compute(x, m(2, 2, 0f, 1f, -1f, 0f)), "targets", "row 1", "column 0", "-1.0");
        illegal(() -> bce.compute(x, m(2, 2, 0f, 1f, 1f, Float.NaN)), "targets", "row 1", "column 1", "NaN");
        illegal(() -> MultiLabelSoftMarginLoss.builder().build().compute(x, m(2, 2, 0f, 1f, 1f, 1.25f)),
                "targets", "row 1", "column 1", "1.25");
        illegal(() -> SigmoidFocalLoss.builder().build().computeEach(x, m(2, 2, 3f, 1f, 1f, 0f)),
                "targets", "row 0", "column 0", "3.0");
        illegal(() -> CrossEntropyLoss.ofLogits().compute(x, m(2, 2, 0f, 1f, 1.5f, 0f)),
                "targets", "row 1", "column 0", "1.5");
    }

    @Test
    void targetShapeMismatch() {
        FloatMatrix x = m(2, 3, new float[6]);
        FloatMatrix t = probs(2, 2);
        illegal(() -> BinaryCrossEntropyLoss.builder().build().compute(x, t), "targets", "[2 x 2]", "[2 x 3]");
        illegal(() -> CrossEntropyLoss.ofLogits().compute(x, t), "targets", "[2 x 2]", "[2 x 3]");
        illegal(() -> MultiLabelSoftMarginLoss.builder().build().computeEach(x, probs(3, 3)), "[3 x 3]", "[2 x 3]");
        illegal(() -> SigmoidFocalLoss.builder().build().computeEach(x, probs(1, 3)), "[1 x 3]", "[2 x 3]");
        illegal(() -> Activation.SOFTMAX.apply(x, FloatMatrix.allocate(3, 2)), "output", "[3 x 2]", "[2 x 3]");
    }

    @Test
    void labelSmoothingOutsideUnitInterval() {
        illegal(() -> CrossEntropyLoss.builder().labelSmoothing(1.5), "label smoothing", "[0, 1]", "1.5");
        illegal(() -> CrossEntropyLoss.builder().labelSmoothing(-0.1), "label smoothing", "-0.1");
        illegal(() -> CrossEntropyLoss.builder().labelSmoothing(Double.NaN), "label smoothing", "NaN");
        illegal(() -> BinaryCrossEntropyLoss.builder().labelSmoothing(2), "label smoothing", "2.0");
        assertDoesNotThrow(() -> CrossEntropyLoss.builder().labelSmoothing(0).labelSmoothing(1).build());
    }

    @Test
    void focalAlphaAndGamma() {
        illegal(() -> SigmoidFocalLoss.builder().alpha(1.5), "alpha", "[0, 1]", "-1", "1.5");
        illegal(() -> SigmoidFocalLoss.builder().alpha(-0.5), "alpha", "-0.5");
        illegal(() -> SigmoidFocalLoss.builder().alpha(Double.NaN), "alpha", "NaN");
        assertDoesNotThrow(() -> SigmoidFocalLoss.builder().alpha(-1).build());
        assertDoesNotThrow(() -> SigmoidFocalLoss.builder().alpha(0).alpha(1).build());
        illegal(() -> SigmoidFocalLoss.builder().gamma(-1), "gamma", ">= 0", "-1.0");
        illegal(() -> SigmoidFocalLoss.builder().gamma(Double.POSITIVE_INFINITY), "gamma", "Infinity");
        illegal(() -> SigmoidFocalLoss.builder().gamma(Double.NaN), "gamma", "NaN");
        assertDoesNotThrow(() -> SigmoidFocalLoss.builder().gamma(0).build());
    }

    @Test
    void kerasSemanticsRejectWeightsAndIgnoreIndexAtBuild() {
        CrossEntropyLoss.Builder weighted = CrossEntropyLoss.builder().semantics(Semantics.KERAS)
                .classWeights(new double[] {1, 2, 3});
        illegal(weighted::build, "Keras", "class weights", "3");
        CrossEntropyLoss.Builder ignoring = CrossEntropyLoss.builder().ignoreIndex(-1).semantics(Semantics.KERAS);
        illegal(ignoring::build, "Keras", "ignore index", "-1");
        // Even the PyTorch default value, set explicitly, is an ignore index Keras does not have.
        illegal(CrossEntropyLoss.builder().semantics(Semantics.KERAS).ignoreIndex(-100)::build, "ignore index",
                "-100");
        illegal(BinaryCrossEntropyLoss.builder().semantics(Semantics.KERAS).classWeights(new double[] {1})::build,
                "Keras", "class weights");
        illegal(BinaryCrossEntropyLoss.builder().semantics(Semantics.KERAS).posWeight(new double[] {1})::build,
                "Keras", "pos_weight");
        assertDoesNotThrow(() -> CrossEntropyLoss.builder().semantics(Semantics.KERAS).labelSmoothing(0.1).build());
    }

    @Test
    void computeWithReductionNoneThrowsIllegalState() {
        FloatMatrix x = logits3x3();
        int[] labels = {0, 1, 2};
        FloatMatrix t = probs3x3();
        message(IllegalStateException.class,
                () -> CrossEntropyLoss.builder().reduction(Reduction.NONE).build().compute(x, labels),
                "NONE", "computeEach");
        message(IllegalStateException.class,
                () -> CrossEntropyLoss.builder().reduction(Reduction.NONE).build().compute(x, t), "computeEach");
        message(IllegalStateException.class,
                () -> NllLoss.builder().reduction(Reduction.NONE).build().compute(x, labels), "computeEach");
        message(IllegalStateException.class,
                () -> BinaryCrossEntropyLoss.builder().reduction(Reduction.NONE).build().compute(x, t),
                "computeEach");
        message(IllegalStateException.class,
                () -> MultiLabelSoftMarginLoss.builder().reduction(Reduction.NONE).build().compute(x, t),
                "computeEach");
        // torchvision's default reduction is NONE.
        SigmoidFocalLoss focal = SigmoidFocalLoss.builder().build();
        assertEquals(Reduction.NONE, focal.reduction());
        message(IllegalStateException.class, () -> focal.compute(x, t), "NONE", "computeEach");
        assertEquals(9, focal.computeEach(x, t).length);
    }

    // ------------------------------------------------------------------ decisions

    @Test
    void topKOutOfRange() {
        FloatMatrix x = logits3x3();
        illegal(() -> TopK.of(x, 0), "k is 0", "1 <= k <= 3");
        illegal(() -> TopK.of(x, 4), "k is 4", "1 <= k <= 3");
        illegal(() -> TopK.into(x, -1, new int[9], null), "k is -1");
        illegal(() -> TopK.ofRow(new float[3], 0, 3, 4, new int[4], 0), "k is 4", "<= 3");
        illegal(() -> TopK.into(x, 2, new int[5], null), "5", "rows * k = 3 * 2 = 6");
        illegal(() -> TopK.into(x, 2, new int[6], new float[4]), "4", "= 6");
    }

    @Test
    void nanScoresNameRowAndColumn() {
        FloatMatrix x = m(2, 3, 0f, 1f, 2f, 3f, 4f, Float.NaN);
        illegal(() -> Argmax.of(x), "row 1", "column 2", "NaN");
        illegal(() -> TopK.of(x, 1), "row 1", "column 2", "NaN");
        illegal(() -> TopK.of(x, 3), "row 1", "column 2", "NaN");
        FloatMatrix first = m(2, 3, 0f, 1f, 2f, Float.NaN, 4f, 5f);
        illegal(() -> Argmax.of(first), "row 1", "column 0", "NaN");
        illegal(() -> TopK.of(first, 2), "row 1", "column 0", "NaN");
        illegal(() -> Argmax.ofRow(new float[] {1f, Float.NaN}, 0, 2), "column 1", "NaN");
        MultilabelDecision onLogits = MultilabelDecision.builder().input(OutputKind.LOGITS).build();
        illegal(() -> onLogits.decide(x), "row 1", "column 2", "NaN");
        MultilabelDecision onLogProbs = MultilabelDecision.builder().input(OutputKind.LOG_PROBABILITIES).build();
        FloatMatrix logProbs = m(2, 3, -1f, -2f, -3f, Float.NaN, -4f, -5f);
        illegal(() -> onLogProbs.decide(logProbs), "row 1", "column 0", "NaN");
        illegal(() -> onLogProbs.decide(m(1, 2, -0.5f, 0.25f)), "row 0", "column 1", "0.25", "log-probability <= 0");
        illegal(() -> BinaryDecision.builder().input(OutputKind.LOG_PROBABILITIES).build().test(0.5f), "0.5",
                "log-probability <= 0");
        MultilabelDecision onProbs = MultilabelDecision.builder().build();
        illegal(() -> onProbs.decide(m(1, 3, 0.1f, Float.NaN, 0.2f)), "row 0", "column 1", "NaN", "[0, 1]");
        illegal(() -> onProbs.decide(m(2, 2, 0.1f, 0.2f, 0.3f, 1.5f)), "row 1", "column 1", "1.5", "[0, 1]");
        illegal(() -> MultilabelDecision.builder().topK(1).build().decide(m(1, 2, Float.NaN, 0.5f)),
                "row 0", "column 0", "NaN");
    }

    @Test
    void binaryDecisionReadsOneColumn() {
        BinaryDecision rule = BinaryDecision.builder().build();
        illegal(() -> rule.decide(m(3, 2, new float[6])), "[3 x 2]", "[N x 1]");
        BinaryDecision onLogits = BinaryDecision.builder().input(OutputKind.LOGITS).build();
        illegal(() -> onLogits.decide(m(3, 1, 0f, Float.NaN, 1f)), "row 1", "NaN");
        illegal(() -> rule.decide(m(2, 1, 0.5f, 1.5f)), "row 1", "1.5", "[0, 1]");
        illegal(() -> rule.test(-0.5f), "-0.5", "[0, 1]");
        illegal(() -> onLogits.test(Float.NaN), "NaN");
    }

    @Test
    void thresholdsMustBeProbabilities() {
        illegal(() -> BinaryDecision.builder().threshold(1.5), "threshold", "1.5", "[0, 1]");
        illegal(() -> BinaryDecision.builder().threshold(-0.1), "threshold", "-0.1");
        illegal(() -> BinaryDecision.builder().threshold(Double.NaN), "threshold", "NaN");
        illegal(() -> MultilabelDecision.builder().threshold(1.5), "threshold", "1.5", "[0, 1]");
        illegal(() -> MultilabelDecision.builder().thresholds(new double[] {0.5, 1.5}), "thresholds[1]", "1.5");
        illegal(() -> MultilabelDecision.builder().thresholds(new double[] {0.5, Double.NaN}), "thresholds[1]",
                "NaN");
        illegal(() -> MultilabelDecision.builder().thresholds(new double[] {-0.2}), "thresholds[0]", "-0.2");
        illegal(() -> MultilabelDecision.builder().topK(0), "topK", "at least 1", "0");
        illegal(() -> Comparison.of("<"), "'<'", "'>='", "'>'");
    }

    @Test
    void perClassSettingsMustFitTheColumnsAtDecideTime() {
        MultilabelDecision rule = assertDoesNotThrow(
                () -> MultilabelDecision.builder().thresholds(new double[] {0.5, 0.5}).build());
        illegal(() -> rule.decide(probs3x3()), "thresholds", "2 entries", "expected 3");
        MultilabelDecision top4 = MultilabelDecision.builder().topK(4).build();
        illegal(() -> top4.decide(probs3x3()), "topK is 4", "at most 3");
        illegal(() -> MultilabelDecision.builder().build().decide(probs3x3(), new boolean[8]), "8", "= 9");
        illegal(() -> Argmax.into(probs3x3(), new int[2]), "2", "at least 3");
    }

    // ------------------------------------------------------------------ activations

    @Test
    void temperatureMustBeFiniteAndPositive() {
        FloatMatrix x = logits3x3();
        for (Activation a : new Activation[] {Activation.SOFTMAX, Activation.LOG_SOFTMAX, Activation.SIGMOID,
                Activation.LOG_SIGMOID}) {
            illegal(() -> a.applyInPlace(x, 0.0), "temperature", "> 0", "0.0");
            illegal(() -> a.applyInPlace(x, -1.0), "temperature", "-1.0");
            illegal(() -> a.applyInPlace(x, Double.NaN), "temperature", "NaN");
            illegal(() -> a.applyInPlace(x, Double.POSITIVE_INFINITY), "temperature", "Infinity");
        }
        assertArrayEquals(logits3x3().toArray(), x.toArray(), 0f, "a rejected call writes nothing");
        illegal(() -> Activation.EXP.apply(x, FloatMatrix.allocate(3, 3), 2.0), "EXP", "temperature", "2.0",
                "expected 1");
        illegal(() -> Activation.NONE.applyInPlace(x, 0.5), "NONE", "temperature", "0.5");
        illegal(() -> Activation.EXP.applyInPlace(x, 0.0), "temperature", "0.0");
    }

    // ------------------------------------------------------------------ empty batches

    @Test
    void emptyBatchMeanIsNaNAndSumIsZero() {
        FloatMatrix empty = FloatMatrix.wrap(new float[0], 0, 3);
        int[] none = new int[0];
        assertTrue(Double.isNaN(CrossEntropyLoss.ofLogits().compute(empty, none)));
        assertEquals(0.0, CrossEntropyLoss.builder().reduction(Reduction.SUM).build().compute(empty, none));
        assertEquals(0, CrossEntropyLoss.ofLogits().computeEach(empty, none).length);
        assertTrue(Double.isNaN(CrossEntropyLoss.ofLogits().compute(empty, empty)));
        assertEquals(0.0, CrossEntropyLoss.builder().reduction(Reduction.SUM).build().compute(empty, empty));
        assertTrue(Double.isNaN(NllLoss.builder().build().compute(empty, none)));
        assertTrue(Double.isNaN(BinaryCrossEntropyLoss.builder().build().compute(empty, empty)));
        assertEquals(0.0, BinaryCrossEntropyLoss.builder().reduction(Reduction.SUM).build().compute(empty, empty));
        assertTrue(Double.isNaN(MultiLabelSoftMarginLoss.builder().build().compute(empty, empty)));
        assertTrue(Double.isNaN(
                SigmoidFocalLoss.builder().reduction(Reduction.MEAN).build().compute(empty, empty)));
        assertEquals(0, Argmax.of(empty).length);
        assertEquals(0, TopK.of(empty, 2).length);
        assertEquals(0, MultilabelDecision.builder().build().decide(empty).length);
        assertEquals(0, BinaryDecision.builder().build().decide(FloatMatrix.allocate(0, 1)).length);
        assertEquals(0, Activation.SOFTMAX.apply(empty).rows());
    }

    @Test
    void allIgnoredTargetsMeanIsNaNAndSumIsZero() {
        FloatMatrix x = logits3x3();
        int[] ignored = {-100, -100, -100};
        assertTrue(Double.isNaN(CrossEntropyLoss.ofLogits().compute(x, ignored)));
        assertEquals(0.0, CrossEntropyLoss.builder().reduction(Reduction.SUM).build().compute(x, ignored));
        assertArrayEquals(new double[3], CrossEntropyLoss.ofLogits().computeEach(x, ignored));
        assertTrue(Double.isNaN(NllLoss.builder().ignoreIndex(1).build().compute(x, new int[] {1, 1, 1})));
        assertEquals(0.0, NllLoss.builder().ignoreIndex(1).reduction(Reduction.SUM).build()
                .compute(x, new int[] {1, 1, 1}));
        assertTrue(Double.isNaN(CrossEntropyLoss.builder().labelSmoothing(0.2).classWeights(new double[] {1, 2, 3})
                .build().compute(x, ignored)));
    }
}
