package io.github.logits4j.parity;

import static io.github.logits4j.golden.Tolerance.assertAllClose;
import static io.github.logits4j.golden.Tolerance.assertClose;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.activation.Activation;
import io.github.logits4j.golden.Golden;
import io.github.logits4j.loss.CrossEntropyLoss;
import io.github.logits4j.loss.Reduction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The corners an independent differential test found ({@code testdata/golden/parity.json}: PyTorch and scikit-learn).
 * Logits of any magnitude (1e8, 1e12, 1e16, 3e38, rows mixing +inf and -inf): the cross-entropy, the log-softmax and
 * the softmax keep the log-sum that {@code x - (max + logsum)} loses once |max| is about 1e11 (logits [1e16, 1e16, 0]
 * gave a cross-entropy of 0 and "probabilities" [1, 1, 0]), on the double path (what evaluation reads) and the float
 * path (the kernels), at 1e-6 absolute or 1e-5 relative (the float path against the reference rounded to float). Also
 * a smoothed mean over zero weight (NaN), two-class top-k ties, a degenerate weighted Matthews correlation (exactly 0,
 * merged or not) and weighted ROC AUCs of negligible total weight (0.0).
 */
class ParityCornersGoldenTest {
    private static final Golden GOLDEN = Golden.load("parity");

    @TestFactory
    Stream<DynamicTest> crossEntropy() {
        return GOLDEN.cases("cross_entropy").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            FloatMatrix x = c.input("x").matrix();
            int[] target = c.input("target").ints();
            assertClose(c.expected("loss").scalar(), CrossEntropyLoss.ofLogits().compute(x, target), c.id());
            double[] each = CrossEntropyLoss.builder().reduction(Reduction.NONE).build().computeEach(x, target);
            assertAllClose(c.expected("each").doubles(), each, c.id() + " each");
        }));
    }

    @TestFactory
    Stream<DynamicTest> logSoftmaxAndSoftmax() {
        return Stream.concat(GOLDEN.cases("log_softmax").stream(), GOLDEN.cases("softmax").stream())
                .map(c -> DynamicTest.dynamicTest(c.id(), () -> {
                    Activation a = c.op().equals("softmax") ? Activation.SOFTMAX : Activation.LOG_SOFTMAX;
                    FloatMatrix x = c.input("x").matrix();
                    double[] doubles = new double[x.rows() * x.cols()];
                    a.applyToDoubles(x, doubles);
                    assertAllClose(c.expected("y").doubles(), doubles, c.id() + " (double path)");
                    // the float path is compared with the reference rounded to float: -6e38 is -inf there
                    double[] rounded = c.expected("y").doubles();
                    for (int i = 0; i < rounded.length; i++) {
                        rounded[i] = (float) rounded[i];
                    }
                    assertAllClose(rounded, a.apply(x).toArray(), c.id() + " (float path)");
                }));
    }

    /** Issue 12, bug 2: label smoothing with zero total target weight is NaN, as in PyTorch (was +Infinity). */
    @TestFactory
    Stream<DynamicTest> crossEntropyWithSmoothingAndZeroWeights() {
        return GOLDEN.cases("cross_entropy_smoothing").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            CrossEntropyLoss loss = CrossEntropyLoss.builder().classWeights(c.paramDoubles("weight"))
                    .labelSmoothing(c.paramDouble("label_smoothing")).build();
            assertClose(c.expected("loss").scalar(), loss.compute(c.input("x").matrix(), c.input("target").ints()),
                    c.id());
        }));
    }

    /** Issue 12, bug 3: two-class top-1 accuracy follows scikit-learn's binary rule (p1 > 0.5; a tie is class 0). */
    @TestFactory
    Stream<DynamicTest> twoClassTopKAccuracy() {
        return GOLDEN.cases("top_k_accuracy").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            int k = c.paramInt("k");
            io.github.logits4j.metrics.MulticlassMetrics m = io.github.logits4j.metrics.MulticlassMetrics.builder(2)
                    .topK(k).build();
            double[] p = c.input("y_score").doubles();
            int[] y = c.input("y_true").ints();
            m.update(p, y.length, y, null);
            assertClose(c.expected("score").scalar(), m.result().topKAccuracy(k), 1e-12, 1e-12, c.id());
        }));
    }

    /**
     * Issue 12, bug 4: a weighted Matthews correlation whose predictions are all one class is exactly 0, as
     * scikit-learn's, in one pass and after merging accumulators of any split (it came out about 3e-9).
     */
    @TestFactory
    Stream<DynamicTest> degenerateWeightedMatthews() {
        return GOLDEN.cases("matthews_corrcoef").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            double[] p = c.input("y_score").doubles();
            int[] y = c.input("y_true").ints();
            double[] w = c.input("weight").doubles();
            int n = y.length;
            int cols = p.length / n;
            io.github.logits4j.metrics.MulticlassMetrics whole = io.github.logits4j.metrics.MulticlassMetrics
                    .builder(cols).build();
            whole.update(p, n, y, w);
            org.junit.jupiter.api.Assertions.assertEquals(c.expected("mcc").scalar(),
                    whole.result().matthewsCorrcoef(), 0.0, c.id());
            for (int cut = 1; cut < n; cut += 7) {
                io.github.logits4j.metrics.MulticlassMetrics a = io.github.logits4j.metrics.MulticlassMetrics
                        .builder(cols).build();
                io.github.logits4j.metrics.MulticlassMetrics b = io.github.logits4j.metrics.MulticlassMetrics
                        .builder(cols).build();
                a.update(java.util.Arrays.copyOfRange(p, 0, cut * cols), cut, java.util.Arrays.copyOf(y, cut),
                        java.util.Arrays.copyOf(w, cut));
                b.update(java.util.Arrays.copyOfRange(p, cut * cols, n * cols), n - cut,
                        java.util.Arrays.copyOfRange(y, cut, n), java.util.Arrays.copyOfRange(w, cut, n));
                a.merge(b);
                org.junit.jupiter.api.Assertions.assertEquals(c.expected("mcc").scalar(),
                        a.result().matthewsCorrcoef(), 0.0, c.id() + " merged at " + cut);
            }
        }));
    }

    /** Issue 12, bug 6: a weighted ROC AUC whose total positive weight is np.isclose to 0 is 0.0, as scikit-learn's. */
    @TestFactory
    Stream<DynamicTest> weightedRocAucOfNegligibleWeight() {
        return GOLDEN.cases("weighted_roc_auc").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            double[] p = c.input("y_score").doubles();
            double[] w = c.input("weight").doubles();
            int n = w.length;
            int cols = p.length / n;
            double auc;
            if (c.paramString("task").equals("multiclass")) {
                io.github.logits4j.metrics.MulticlassMetrics m = io.github.logits4j.metrics.MulticlassMetrics
                        .builder(cols).build();
                m.update(p, n, c.input("y_true").ints(), w);
                auc = m.result().rocAucOvr(io.github.logits4j.metrics.Average.WEIGHTED);
            } else {
                io.github.logits4j.metrics.MultilabelMetrics m = io.github.logits4j.metrics.MultilabelMetrics
                        .builder(cols).build();
                m.update(p, c.input("y_true").ints(), n, w);
                auc = m.result().rocAuc(io.github.logits4j.metrics.Average.WEIGHTED);
            }
            assertClose(c.expected("auc").scalar(), auc, 1e-12, 1e-12, c.id());
        }));
    }

    /**
     * Issue 20: a samples-averaged ROC AUC is finite when the rows of one class only have weight 0 (scikit-learn 1.9.1
     * forces the scores of rows of weight 0 to 0), and NaN when such a row has weight, as scikit-learn's.
     */
    @TestFactory
    Stream<DynamicTest> samplesRocAucWithOneClassRows() {
        return GOLDEN.cases("samples_roc_auc").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            double[] p = c.input("y_score").doubles();
            double[] w = c.input("weight").doubles();
            int n = w.length;
            io.github.logits4j.metrics.MultilabelMetrics m = io.github.logits4j.metrics.MultilabelMetrics
                    .builder(p.length / n).build();
            m.update(p, c.input("y_true").ints(), n, w);
            assertClose(c.expected("auc").scalar(), m.result().rocAuc(io.github.logits4j.metrics.Average.SAMPLES),
                    1e-12, 1e-12, c.id());
        }));
    }

    /**
     * Issue 20: a two-class multi-class report's one-vs-rest and one-vs-one AUCs (macro and weighted, exact, weighted
     * and binned ranks) are scikit-learn's binary AUC on {@code p1}, also where {@code p0} saturates at 1.
     */
    @TestFactory
    Stream<DynamicTest> twoClassRocAucIsTheBinaryOne() {
        return GOLDEN.cases("two_class_roc_auc").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            double[] p = c.input("y_score").doubles();
            int[] y = c.input("y_true").ints();
            int n = y.length;
            double expected = c.expected("auc").scalar();
            double[] ones = new double[n];
            java.util.Arrays.fill(ones, 1.0);
            for (double[] w : new double[][] {null, ones}) {
                io.github.logits4j.metrics.MulticlassMetrics m = io.github.logits4j.metrics.MulticlassMetrics
                        .builder(2).build();
                m.update(p, n, y, w);
                io.github.logits4j.metrics.MulticlassReport r = m.result();
                String where = c.id() + (w == null ? "" : " weighted");
                assertClose(expected, r.rocAucOvr(io.github.logits4j.metrics.Average.MACRO), 1e-15, 0.0, where);
                assertClose(expected, r.rocAucOvr(io.github.logits4j.metrics.Average.WEIGHTED), 1e-15, 0.0, where);
                assertClose(expected, r.rocAucOvo(io.github.logits4j.metrics.Average.MACRO), 1e-15, 0.0, where);
            }
        }));
    }

    /**
     * Issue 12, bug 5: the bin edges are torch.linspace's as its CPU kernel computes them (the second half one rounding
     * of {@code 1 - step * k}, as FMA gives), so confidences exactly on an edge, on {@code i / n_bins}, or one ulp
     * beside either, fall in torchmetrics' bins: the edges equal bit for bit and the calibration errors to 1e-15.
     */
    @TestFactory
    Stream<DynamicTest> calibrationErrorWithConfidencesOnEveryEdge() {
        return GOLDEN.cases("calibration_error").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            int bins = c.paramInt("n_bins");
            org.junit.jupiter.api.Assertions.assertArrayEquals(c.expected("edges").doubles(),
                    io.github.logits4j.metrics.CalibrationError.boundaries(bins), 0.0, c.id() + " edges");
            double[] p = c.input("preds").doubles();
            int[] y = c.input("target").ints();
            io.github.logits4j.metrics.CalibrationError ece = new io.github.logits4j.metrics.CalibrationError(bins);
            for (int i = 0; i < p.length; i++) {
                ece.add(p[i], y[i] == 1, 1.0);
            }
            assertClose(c.expected("l1").scalar(), ece.l1(), 1e-15, 1e-13, c.id() + " l1");
            assertClose(c.expected("l2").scalar(), ece.l2(), 1e-15, 1e-13, c.id() + " l2");
            assertClose(c.expected("max").scalar(), ece.max(), 1e-15, 1e-13, c.id() + " max");
        }));
    }

    /**
     * Issue 12, bug 6, second half: scikit-learn's samples average scales each row's counts by its weight, so a
     * zero-weight row is 0/0: the zero_division value (dropped when NaN), and a weighted row's ratio is of its scaled
     * counts.
     */
    @TestFactory
    Stream<DynamicTest> samplesAverageScalesEachRowByItsWeight() {
        return GOLDEN.cases("samples_prf").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            int[] yTrue = c.input("y_true").ints();
            int[] yPred = c.input("y_pred").ints();
            double[] w = c.input("weight").doubles();
            int n = w.length;
            int labels = yTrue.length / n;
            double[] p = new double[yPred.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = yPred[i];
            }
            String zd = c.paramString("zero_division");
            io.github.logits4j.metrics.ZeroDivision policy = switch (zd) {
                case "0" -> io.github.logits4j.metrics.ZeroDivision.ZERO;
                case "1" -> io.github.logits4j.metrics.ZeroDivision.ONE;
                default -> io.github.logits4j.metrics.ZeroDivision.NAN;
            };
            io.github.logits4j.metrics.MultilabelMetrics m = io.github.logits4j.metrics.MultilabelMetrics
                    .builder(labels).zeroDivision(policy).build();
            m.update(p, yTrue, n, w);
            io.github.logits4j.metrics.MultilabelReport r = m.result();
            io.github.logits4j.metrics.Average s = io.github.logits4j.metrics.Average.SAMPLES;
            assertClose(c.expected("precision").scalar(), r.precision(s), 1e-15, 1e-15, c.id() + " precision");
            assertClose(c.expected("recall").scalar(), r.recall(s), 1e-15, 1e-15, c.id() + " recall");
            assertClose(c.expected("f1").scalar(), r.f1(s), 1e-15, 1e-15, c.id() + " f1");
        }));
    }

    /** NDCG and DCG at k, as scikit-learn's ndcg_score and dcg_score: ties averaged, k cutting through a tie group. */
    @TestFactory
    Stream<DynamicTest> ndcgAndDcgAtK() {
        return GOLDEN.cases("ndcg_at_k").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            int[] y = c.input("y_true").ints();
            double[] p = c.input("y_score").doubles();
            double[] w = c.input("weight").doubles();
            int n = w.length;
            io.github.logits4j.metrics.MultilabelMetrics m = io.github.logits4j.metrics.MultilabelMetrics
                    .builder(y.length / n).ndcgK(c.paramInt("k")).build();
            m.update(p, y, n, w);
            io.github.logits4j.metrics.MultilabelReport r = m.result();
            assertClose(c.expected("ndcg").scalar(), r.ndcg(), 1e-15, 1e-13, c.id() + " ndcg");
            assertClose(c.expected("dcg").scalar(), r.dcg(), 1e-15, 1e-13, c.id() + " dcg");
        }));
    }
}
