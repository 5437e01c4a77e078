package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.activation.Activation;
import io.github.logits4j.golden.Golden;
import io.github.logits4j.golden.Tolerance;
import io.github.logits4j.loss.CrossEntropyLoss;
import io.github.logits4j.loss.NllLoss;
import io.github.logits4j.loss.Reduction;
import io.github.logits4j.metrics.DenseMetrics;
import io.github.logits4j.metrics.DenseReport;
import io.github.logits4j.metrics.EntityMetrics;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Dense outputs against {@code testdata/golden/dense.json} (issue 25): heads along the class axis against
 * {@code torch.softmax}/{@code log_softmax} in float64 (float32 results within 1e-6, and bit for bit what each
 * position's row gets as a {@link FloatMatrix} row), {@code F.cross_entropy} and {@code F.nll_loss} on K-dimensional
 * input with weights, ignore index (-100 and 255), label smoothing and every reduction (within the losses' foundation
 * tolerance, 1e-6 absolute or 1e-5 relative, as the [N, C] losses; each position's loss bit for bit its row's),
 * dataset-level segmentation metrics against scikit-learn (the confusion matrix equal, every metric within 1e-12),
 * and entity metrics against seqeval 1.2.2 (within 1e-12).
 */
class DenseGoldenTest {
    private static final Golden GOLDEN = Golden.load("dense");

    private static DenseScores scores(Golden.Case c, String name) {
        Golden.Array x = c.input(name);
        int[] shape = x.shape();
        long[] s = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            s[i] = shape[i];
        }
        DenseScores.ClassAxis axis = c.paramString("class_axis").equals("first") ? DenseScores.ClassAxis.FIRST
                : DenseScores.ClassAxis.LAST;
        return DenseScores.wrap(x.floats(), axis, s);
    }

    /** Top-k along the class axis: torch.topk's indices and values, exactly (no ties in the data). */
    @TestFactory
    Stream<DynamicTest> topK() {
        return GOLDEN.cases("topk_dense").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            DenseScores x = scores(c, "x");
            int k = c.paramInt("k");
            int[] indices = new int[(int) x.rows() * k];
            float[] values = new float[indices.length];
            io.github.logits4j.decision.TopK.into(x, k, indices, values);
            assertArrayEquals(c.expected("indices").ints(), indices, c.id());
            assertArrayEquals(c.expected("values").floats(), values, c.id());
        }));
    }

    @TestFactory
    Stream<DynamicTest> heads() {
        return Stream.concat(GOLDEN.cases("softmax_dense").stream(), GOLDEN.cases("log_softmax_dense").stream())
                .map(c -> DynamicTest.dynamicTest(c.id(), () -> {
                    DenseScores x = scores(c, "x");
                    Activation head = c.op().equals("softmax_dense") ? Activation.SOFTMAX : Activation.LOG_SOFTMAX;
                    DenseScores y = x.allocateLike();
                    head.apply(x, y, 1.0);
                    double[] expected = c.expected("y").doubles();
                    float[] got = y.sampleMatrix().toArray();
                    for (int i = 0; i < got.length; i++) {
                        Tolerance.assertClose(expected[i], got[i], 1e-6, 1e-6, c.id() + " " + i);
                    }
                    // each position's row, as a FloatMatrix row, gets the same bits
                    float[] row = new float[x.classes()];
                    float[] out = new float[x.classes()];
                    for (int n = 0; n < x.samples(); n++) {
                        for (int p = 0; p < x.positions(); p++) {
                            for (int k = 0; k < x.classes(); k++) {
                                row[k] = x.get(n, k, p);
                            }
                            head.applyRow(row, 0, out, 0, row.length, 1.0);
                            for (int k = 0; k < x.classes(); k++) {
                                assertEquals(out[k], y.get(n, k, p), c.id() + " bits at " + n + "/" + k + "/" + p);
                            }
                        }
                    }
                    // in place, too
                    head.apply(x, x, 1.0);
                    assertArrayEquals(got, x.sampleMatrix().toArray());
                }));
    }

    @TestFactory
    Stream<DynamicTest> losses() {
        return Stream.concat(GOLDEN.cases("cross_entropy_dense").stream(), GOLDEN.cases("nll_loss_dense").stream())
                .map(c -> DynamicTest.dynamicTest(c.id(), () -> {
                    DenseScores x = scores(c, "x");
                    int[] target = c.input("target").ints();
                    Reduction reduction = Reduction.valueOf(c.paramString("reduction").toUpperCase(
                            java.util.Locale.ROOT));
                    double[] expected = c.expected("loss").doubles();
                    double[] got;
                    if (c.op().equals("nll_loss_dense")) {
                        NllLoss nll = NllLoss.builder().ignoreIndex(c.paramInt("ignore_index"))
                                .reduction(reduction == Reduction.NONE ? Reduction.MEAN : reduction).build();
                        got = reduction == Reduction.NONE ? nll.computeEach(x, target)
                                : new double[] {nll.compute(x, target)};
                    } else {
                        CrossEntropyLoss.Builder b = CrossEntropyLoss.builder().ignoreIndex(c.paramInt("ignore_index"))
                                .labelSmoothing(c.paramDouble("label_smoothing"))
                                .reduction(reduction == Reduction.NONE ? Reduction.MEAN : reduction);
                        double[] w = c.paramDoubles("weight");
                        if (w != null) {
                            b.classWeights(w);
                        }
                        CrossEntropyLoss ce = b.build();
                        got = reduction == Reduction.NONE ? ce.computeEach(x, target)
                                : new double[] {ce.compute(x, target)};
                    }
                    assertEquals(expected.length, got.length, c.id());
                    for (int i = 0; i < got.length; i++) {
                        if (Double.isNaN(expected[i])) {
                            assertTrue(Double.isNaN(got[i]), c.id() + " NaN at " + i);
                        } else {
                            Tolerance.assertClose(expected[i], got[i], c.id() + " " + i);
                        }
                    }
                    if (c.op().equals("cross_entropy_dense") && reduction == Reduction.NONE) {
                        // each position's loss is, bit for bit, its row's as a row of a FloatMatrix
                        float[] rows = new float[(int) x.rows() * x.classes()];
                        for (int n = 0; n < x.samples(); n++) {
                            rows(rows, n, x);
                        }
                        CrossEntropyLoss.Builder b = CrossEntropyLoss.builder().ignoreIndex(c.paramInt("ignore_index"))
                                .labelSmoothing(c.paramDouble("label_smoothing"));
                        if (c.paramDoubles("weight") != null) {
                            b.classWeights(c.paramDoubles("weight"));
                        }
                        assertArrayEquals(b.build().computeEach(FloatMatrix.wrap(rows, (int) x.rows(), x.classes()),
                                target), got, c.id() + " as matrix rows");
                    }
                }));
    }

    /** Sample n's positions as rows, into their place in {@code all}. */
    private static void rows(float[] all, int n, DenseScores x) {
        float[] part = new float[x.positions() * x.classes()];
        x.gather(n, 0, x.positions(), part);
        System.arraycopy(part, 0, all, n * part.length, part.length);
    }

    /** BCE-with-logits on masks, per-class weight and pos_weight along the class axis (foundation tolerance). */
    @TestFactory
    Stream<DynamicTest> masks() {
        return GOLDEN.cases("bce_with_logits_dense").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            DenseScores x = scores(c, "x");
            Golden.Array ta = c.input("target");
            int[] shape = ta.shape();
            long[] s = new long[shape.length];
            for (int i = 0; i < shape.length; i++) {
                s[i] = shape[i];
            }
            DenseScores y = DenseScores.wrap(ta.floats(), x.classAxis(), s);
            Reduction reduction = Reduction.valueOf(c.paramString("reduction").toUpperCase(java.util.Locale.ROOT));
            io.github.logits4j.loss.BinaryCrossEntropyLoss.Builder b = io.github.logits4j.loss.BinaryCrossEntropyLoss
                    .builder().reduction(reduction == Reduction.NONE ? Reduction.MEAN : reduction);
            if (c.paramDoubles("weight") != null) {
                b.classWeights(c.paramDoubles("weight")).posWeight(c.paramDoubles("pos_weight"));
            }
            io.github.logits4j.loss.BinaryCrossEntropyLoss bce = b.build();
            double[] expected = c.expected("loss").doubles();
            double[] got = reduction == Reduction.NONE ? bce.computeEach(x, y) : new double[] {bce.compute(x, y)};
            assertEquals(expected.length, got.length, c.id());
            for (int i = 0; i < got.length; i++) {
                Tolerance.assertClose(expected[i], got[i], c.id() + " " + i);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> segmentation() {
        return GOLDEN.cases("segmentation_metrics").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            DenseScores x = scores(c, "x");
            int[] target = c.input("target").ints();
            DenseMetrics m = DenseMetrics.builder(x.classes()).ignoreIndex(c.paramInt("ignore_index"))
                    .includeBackground(c.paramBoolean("include_background")).build();
            m.update(x, target);
            DenseReport r = m.result();
            int[] confusion = c.expected("confusion").ints();
            long[] got = r.confusionMatrix();
            for (int i = 0; i < confusion.length; i++) {
                assertEquals(confusion[i], got[i], c.id() + " confusion " + i);
            }
            // the same counts from the decided mask
            DenseMetrics fromMask = DenseMetrics.builder(x.classes()).ignoreIndex(c.paramInt("ignore_index"))
                    .includeBackground(c.paramBoolean("include_background")).build();
            fromMask.update(c.expected("predicted").ints(), target);
            assertArrayEquals(got, fromMask.result().confusionMatrix(), c.id() + " from the mask");
            close(c, "accuracy", r.accuracy());
            close(c, "mean_iou", r.meanIou());
            close(c, "frequency_weighted_iou", r.frequencyWeightedIou());
            close(c, "mean_dice", r.meanDice());
            close(c, "macro_precision", r.macroPrecision());
            close(c, "macro_recall", r.macroRecall());
            close(c, "weighted_f1", r.weightedF1());
            closeAll(c, "per_class_iou", r.perClassIou());
            closeAll(c, "per_class_dice", r.perClassDice());
            closeAll(c, "per_class_precision", r.perClassPrecision());
            closeAll(c, "per_class_recall", r.perClassRecall());
        }));
    }

    private static void close(Golden.Case c, String key, double got) {
        Tolerance.assertClose(c.expected(key).scalar(), got, 1e-12, 1e-12, c.id() + " " + key);
    }

    private static void closeAll(Golden.Case c, String key, double[] got) {
        double[] expected = c.expected(key).doubles();
        for (int i = 0; i < got.length; i++) {
            if (Double.isNaN(expected[i])) {
                assertTrue(Double.isNaN(got[i]), c.id() + " " + key + " NaN at " + i);
            } else {
                Tolerance.assertClose(expected[i], got[i], 1e-12, 1e-12, c.id() + " " + key + " " + i);
            }
        }
    }

    /**
     * torchmetrics' per-image forms: MeanIoU (both per_class settings), DiceScore (every average, per image and
     * global) and GeneralizedDiceScore (every weight, both per_class settings), within 1e-6 (torchmetrics divides in float32).
     */
    @TestFactory
    Stream<DynamicTest> perImage() {
        return GOLDEN.cases("per_image_segmentation").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            Golden.Array xa = c.input("x");
            int[] shape = xa.shape();
            DenseScores x = DenseScores.wrap(xa.floats(), DenseScores.ClassAxis.FIRST, shape[0], shape[1], shape[2],
                    shape[3]);
            int[] target = c.input("target").ints();
            io.github.logits4j.metrics.PerImageSegmentationMetrics m = io.github.logits4j.metrics
                    .PerImageSegmentationMetrics.builder(x.classes())
                    .includeBackground(c.paramBoolean("include_background")).build();
            m.update(x, target);
            io.github.logits4j.metrics.PerImageSegmentationMetrics.Report r = m.result();
            Tolerance.assertClose(c.expected("mean_iou").scalar(), r.meanIou(), 1e-6, 1e-6, c.id() + " mean_iou");
            closeAll6(c, "per_class_iou", r.perClassIou());
            for (var a : io.github.logits4j.metrics.PerImageSegmentationMetrics.Average.values()) {
                Tolerance.assertClose(c.expected("samplewise_dice_" + a.id()).scalar(), r.dice(a), 1e-6, 1e-6,
                        c.id() + " dice " + a.id());
                Tolerance.assertClose(c.expected("global_dice_" + a.id()).scalar(), r.globalDice(a), 1e-6, 1e-6,
                        c.id() + " global dice " + a.id());
            }
            closeAll6(c, "samplewise_dice_none", r.perClassDice());
            closeAll6(c, "global_dice_none", r.globalPerClassDice());
            for (var w : io.github.logits4j.metrics.DiceWeight.values()) {
                Tolerance.assertClose(c.expected("generalized_dice_" + w.id()).scalar(), r.generalizedDice(w), 1e-6,
                        1e-6, c.id() + " generalized dice " + w.id());
                closeAll6(c, "generalized_dice_" + w.id() + "_per_class", r.perClassGeneralizedDice());
            }
        }));
    }

    private static void closeAll6(Golden.Case c, String key, double[] got) {
        double[] expected = c.expected(key).doubles();
        for (int i = 0; i < got.length; i++) {
            if (Double.isNaN(expected[i])) {
                assertTrue(Double.isNaN(got[i]), c.id() + " " + key + " NaN at " + i + ", got " + got[i]);
            } else {
                Tolerance.assertClose(expected[i], got[i], 1e-6, 1e-6, c.id() + " " + key + " " + i);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> entities() {
        return GOLDEN.cases("entity_metrics").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            List<String> tags = c.paramStrings("tags");
            int[] predicted = c.input("predicted").ints();
            int[] labels = c.input("labels").ints();
            int sentences = c.input("labels").dim(0);
            int tokens = c.input("labels").dim(1);
            EntityMetrics m = EntityMetrics.builder(tags).ignoreIndex(c.paramInt("ignore_index")).build();
            // in two halves, merged: the streaming form
            int half = sentences / 2;
            m.update(java.util.Arrays.copyOf(predicted, half * tokens), java.util.Arrays.copyOf(labels, half * tokens),
                    half, tokens);
            EntityMetrics rest = EntityMetrics.builder(tags).ignoreIndex(c.paramInt("ignore_index")).build();
            rest.update(java.util.Arrays.copyOfRange(predicted, half * tokens, predicted.length),
                    java.util.Arrays.copyOfRange(labels, half * tokens, labels.length), sentences - half, tokens);
            m.mergeBytes(rest.toBytes());
            EntityMetrics.Report r = m.result();
            close(c, "precision", r.precision());
            close(c, "recall", r.recall());
            close(c, "f1", r.f1());
            close(c, "macro_f1", r.macroF1());
            close(c, "weighted_f1", r.weightedF1());
            assertEquals((long) c.expected("support").scalar(), r.support(), c.id() + " support");
            assertEquals(c.paramStrings("types"), r.types(), c.id() + " types");
            double[] perType = c.expected("per_type").doubles();
            @SuppressWarnings("unchecked")
            java.util.Map<String, java.util.Map<String, Object>> byType =
                    (java.util.Map<String, java.util.Map<String, Object>>) r.toMap().get("entity_types");
            for (int t = 0; t < r.types().size(); t++) {
                java.util.Map<String, Object> one = byType.get(r.types().get(t));
                Tolerance.assertClose(perType[4 * t], (double) one.get("precision"), 1e-12, 1e-12, c.id() + " p");
                Tolerance.assertClose(perType[4 * t + 1], (double) one.get("recall"), 1e-12, 1e-12, c.id() + " r");
                Tolerance.assertClose(perType[4 * t + 2], (double) one.get("f1"), 1e-12, 1e-12, c.id() + " f1");
                assertEquals((long) perType[4 * t + 3], (long) one.get("support"), c.id() + " support");
            }
            System.out.println(c.id() + ": " + r);
        }));
    }
}
