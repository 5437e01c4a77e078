package io.github.logits4j.conformal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.golden.Golden;
import io.github.logits4j.golden.Tolerance;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Prediction sets against {@code testdata/golden/conformal.json}: MAPIE 1.5.0's split conformal classifier (LAC, APS
 * with each {@code include_last_label}, top-k; its randomized APS terms replayed from the seed it used) and TorchCP
 * 1.2.1's split and class-conditional predictors (LAC, APS, top-k) with their metrics. The conformal quantile is the
 * exact order statistic {@code ceil((n + 1)(1 - alpha))} (equal to MAPIE's own where MAPIE's index is right; where it
 * is one too high, the sets are compared with MAPIE's set rule run at the exact quantile), every set equal class for
 * class, scores within 1e-12 and metrics within 1e-12 (TorchCP's float32 CovGap within 1e-5).
 */
class ConformalGoldenTest {
    private static final Golden GOLDEN = Golden.load("conformal");

    private static ConformityScore mapieScore(Golden.Case c) {
        return switch (c.paramString("score")) {
            case "lac" -> ConformityScore.lac();
            case "top_k" -> ConformityScore.topK();
            default -> ConformityScore.aps(true,
                    ConformityScore.IncludeLastLabel.parse(c.paramString("include_last_label")));
        };
    }

    @TestFactory
    Stream<DynamicTest> mapie() {
        return GOLDEN.cases("mapie_split").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            double[] pCal = c.input("p_cal").doubles();
            int[] yCal = c.input("y_cal").ints();
            int classes = c.input("p_cal").dim(1);
            ConformalCalibrator cal = ConformalCalibrator.builder(classes).score(mapieScore(c)).build();
            cal.update(pCal, yCal.length, yCal, c.input("u_cal").doubles());
            ConformalPredictor predictor = cal.predictor(c.paramDouble("alpha"));
            Tolerance.assertClose(c.expected("exact_quantile").scalar(), predictor.quantile(), 1e-12, 1e-12,
                    c.id() + " quantile");
            assertSets(c, predictor, c.input("u_test").doubles(), c.expected("sets").ints());
            PredictionSetReport r = report(c, predictor, c.input("u_test").doubles());
            Tolerance.assertClose(c.expected("coverage").scalar(), r.coverage(), 1e-12, 1e-12, c.id() + " coverage");
            Tolerance.assertClose(c.expected("mean_width").scalar(), r.meanSize(), 1e-12, 1e-12, c.id() + " width");
            double[] ssc = c.expected("ssc").doubles();
            double[] bySize = r.coverageBySize();
            for (int s = 0; s < ssc.length; s++) {
                assertEquals(Double.isNaN(ssc[s]), Double.isNaN(bySize[s]), c.id() + " ssc size " + s);
                if (!Double.isNaN(ssc[s])) {
                    Tolerance.assertClose(ssc[s], bySize[s], 1e-12, 1e-12, c.id() + " ssc size " + s);
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> torchcp() {
        return Stream.concat(GOLDEN.cases("torchcp_split").stream(),
                GOLDEN.cases("torchcp_class_conditional").stream()).map(c -> DynamicTest.dynamicTest(c.id(), () -> {
                    boolean conditional = c.op().equals("torchcp_class_conditional");
                    int classes = c.input("p_cal").dim(1);
                    ConformityScore score = switch (c.paramString("score")) {
                        case "lac" -> ConformityScore.lac();
                        case "top_k" -> ConformityScore.topK();
                        case "raps" -> ConformityScore.raps(c.paramDouble("lambda"), (int) c.paramDouble("k_reg"),
                                false, ConformityScore.IncludeLastLabel.FALSE);
                        default -> ConformityScore.aps(false, ConformityScore.IncludeLastLabel.FALSE);
                    };
                    int[] yCal = c.input("y_cal").ints();
                    ConformalCalibrator cal = ConformalCalibrator.builder(classes).score(score)
                            .classConditional(conditional).build();
                    cal.update(c.input("p_cal").doubles(), yCal.length, yCal, null);
                    ConformalPredictor predictor = cal.predictor(c.paramDouble("alpha"));
                    double[] q = c.expected("q_hat").doubles();
                    for (int k = 0; k < q.length; k++) {
                        double expected = score instanceof ConformityScore.TopK ? q[k] - 1 : q[k];  // TorchCP ranks from 1
                        if (conditional) {        // TorchCP keeps class-conditional thresholds in float32
                            assertEquals((float) expected, (float) predictor.quantile(k), c.id() + " q " + k);
                        } else if (score instanceof ConformityScore.Raps) {
                            // TorchCP computes the RAPS penalty lambda * (rank + 1 - k_reg) in float32
                            Tolerance.assertClose(expected, predictor.quantile(k), 1e-7, 1e-7, c.id() + " q " + k);
                        } else {
                            Tolerance.assertClose(expected, predictor.quantile(k), 1e-12, 1e-12, c.id() + " q " + k);
                        }
                    }
                    int[] y = c.input("y_test").ints();
                    double[] u = new double[y.length];
                    if (conditional) {
                        assertConditionalSets(c, predictor, score, c.expected("sets").ints());
                    } else {
                        assertSets(c, predictor, u, c.expected("sets").ints());
                    }
                    PredictionSetReport r = report(c, predictor, u);
                    if (conditional) {
                        return;      // the metrics of TorchCP's own sets are checked on the split cases
                    }
                    Tolerance.assertClose(c.expected("coverage").scalar(), r.coverage(), 1e-7, 1e-7, c.id() + " cov");
                    Tolerance.assertClose(c.expected("average_size").scalar(), r.meanSize(), 1e-7, 1e-7,
                            c.id() + " size");
                    Tolerance.assertClose(c.expected("covgap").scalar(), r.covGap(), 1e-5, 1e-5, c.id() + " covgap");
                    assertEquals((int) c.expected("vio_classes").scalar(), r.violatedClasses(), c.id() + " vio");
                    Tolerance.assertClose(c.expected("macro_coverage").scalar(), r.macroCoverage(), 1e-7, 1e-7,
                            c.id() + " macro");
                    if (!conditional) {
                        Tolerance.assertClose(c.expected("sscv").scalar(), r.sizeStratifiedViolation(), 1e-7, 1e-7,
                                c.id() + " sscv");
                        Tolerance.assertClose(c.expected("singleton_hit").scalar(), r.singletonHitRate(), 1e-12,
                                1e-12, c.id() + " singleton hit");
                    }
                }));
    }

    /**
     * RAPS against MAPIE: tuned on MAPIE's own tuning rows (k_reg and lambda equal to MAPIE's with its tuning sets
     * regularized by k_reg and the exact quantile; MAPIE 1.5 as released picks another lambda, reported), calibrated on
     * its calibration rows with its uniforms (scores within 1e-12, the quantile too), every set equal.
     */
    @TestFactory
    Stream<DynamicTest> mapieRaps() {
        return GOLDEN.cases("mapie_raps").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            double[] p = c.input("p_cal").doubles();
            int[] y = c.input("y_cal").ints();
            int classes = c.input("p_cal").dim(1);
            ConformityScore.IncludeLastLabel rule = ConformityScore.IncludeLastLabel.parse(
                    c.paramString("include_last_label"));
            double alpha = c.paramDouble("alpha");
            RapsTuning tuning = RapsTuning.tune(p, y.length, y, c.input("tuning_rows").ints(), alpha, true, rule);
            assertEquals((int) c.expected("k_reg").scalar(), tuning.score().kReg(), c.id() + " k_reg");
            assertEquals(c.expected("lambda").scalar(), tuning.score().lambda(), c.id() + " lambda");
            System.out.println(c.id() + ": lambda " + tuning.score().lambda() + ", k_reg " + tuning.score().kReg()
                    + " (MAPIE 1.5 as released: lambda " + c.expected("mapie_lambda").scalar() + ", k_reg "
                    + (int) c.expected("mapie_k_reg").scalar() + ")");
            int[] calRows = c.input("calibration_rows").ints();
            double[] pCal = new double[calRows.length * classes];
            int[] yCal = new int[calRows.length];
            for (int i = 0; i < calRows.length; i++) {
                System.arraycopy(p, calRows[i] * classes, pCal, i * classes, classes);
                yCal[i] = y[calRows[i]];
            }
            ConformalCalibrator cal = ConformalCalibrator.builder(classes).score(tuning.score()).build();
            cal.update(pCal, yCal.length, yCal, c.input("u_cal").doubles());
            ConformalPredictor predictor = cal.predictor(alpha);
            Tolerance.assertClose(c.expected("quantile").scalar(), predictor.quantile(), 1e-12, 1e-12,
                    c.id() + " quantile");
            assertSets(c, predictor, c.input("u_test").doubles(), c.expected("sets").ints());
        }));
    }

    /**
     * Weighted conformal prediction against TorchCP's {@code WeightedPredictor}: each test row's quantile from the
     * weighted calibration scores and its own weight equal to TorchCP's (which keeps scores in float32: compared as
     * float32), and its set equal but where a class's score lies within float32 rounding (1e-6) of it.
     */
    @TestFactory
    Stream<DynamicTest> torchcpWeighted() {
        return GOLDEN.cases("torchcp_weighted").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            int classes = c.input("p_cal").dim(1);
            boolean lac = c.paramString("score").equals("lac");
            ConformityScore score = lac ? ConformityScore.lac()
                    : ConformityScore.aps(false, ConformityScore.IncludeLastLabel.FALSE);
            int[] yCal = c.input("y_cal").ints();
            ConformalCalibrator cal = ConformalCalibrator.builder(classes).score(score).build();
            cal.update(c.input("p_cal").doubles(), yCal.length, yCal, null, c.input("w_cal").doubles());
            double[] wTest = c.input("w_test").doubles();
            double[] qHat = c.expected("q_hat").doubles();
            int[] sets = c.expected("sets").ints();
            double[] p = c.input("p_test").doubles();
            boolean[] in = new boolean[classes];
            Rows rows = new Rows(classes);
            int explained = 0;
            for (int r = 0; r < wTest.length; r++) {
                ConformalPredictor predictor = cal.predictor(c.paramDouble("alpha"), wTest[r]);
                double q = predictor.quantile();
                if (qHat[r] == Double.MAX_VALUE) {
                    assertTrue(Double.isInfinite(q), c.id() + " row " + r + ": full set");
                } else {
                    assertEquals((float) qHat[r], (float) q, c.id() + " row " + r + " quantile");
                }
                predictor.predict(p, r * classes, 0.0, in);
                rows.sort(p, r * classes);
                for (int k = 0; k < classes; k++) {
                    if ((sets[r * classes + k] == 1) != in[k]) {
                        double s = rows.score(score, p, r * classes, k, 0.0);
                        assertTrue(Math.abs(s - q) <= 1e-6 || (!lac && s > q && rows.rank[k] == 0),
                                c.id() + " row " + r + ", class " + k + ": score " + s + ", quantile " + q);
                        explained++;
                    }
                }
            }
            System.out.println(c.id() + ": " + explained + " marks differ, each within float32 rounding of the"
                    + " quantile (or MAPIE's top class kept)");
        }));
    }

    /** The sets of every test row, against the expected [N x C] 0/1 marks. */
    private static void assertSets(Golden.Case c, ConformalPredictor predictor, double[] u, int[] expected) {
        double[] p = c.input("p_test").doubles();
        int classes = predictor.classes();
        boolean[] in = new boolean[classes];
        int n = p.length / classes;
        for (int r = 0; r < n; r++) {
            int size = predictor.predict(p, r * classes, u[r], in);
            int count = 0;
            for (int k = 0; k < classes; k++) {
                assertEquals(expected[r * classes + k] == 1, in[k], c.id() + " row " + r + ", class " + k);
                count += in[k] ? 1 : 0;
            }
            assertEquals(count, size, c.id() + " row " + r + " size");
        }
    }

    /**
     * Class-conditional sets: equal, but where a class's score lies between its float64 quantile (ours) and that
     * quantile rounded to float32 (TorchCP's), or within 1e-12 of it (APS masses near 1, where TorchCP's cumulative
     * sums and ours round apart: a class whose quantile is about 1 holds, in either library, every class whose mass
     * rounds below it); every other mark equal.
     */
    private static void assertConditionalSets(Golden.Case c, ConformalPredictor predictor, ConformityScore score,
            int[] expected) {
        double[] p = c.input("p_test").doubles();
        int classes = predictor.classes();
        boolean[] in = new boolean[classes];
        Rows rows = new Rows(classes);
        int explained = 0;
        for (int r = 0; r < p.length / classes; r++) {
            predictor.predict(p, r * classes, 0.0, in);
            rows.sort(p, r * classes);
            for (int k = 0; k < classes; k++) {
                if ((expected[r * classes + k] == 1) != in[k]) {
                    double s = rows.score(score, p, r * classes, k, 0.0);
                    double q = predictor.quantile(k);
                    assertTrue(Math.abs(s - q) <= 1e-12 || (s > q && s <= (float) q + 1e-12), c.id() + " row " + r + ", class " + k + ": score " + s
                            + ", quantile " + q + " (float32 " + (float) q + ")");
                    explained++;
                }
            }
        }
        if (explained > 0) {
            System.out.println(c.id() + ": " + explained + " marks differ, each within rounding of its threshold");
        }
    }

    private static PredictionSetReport report(Golden.Case c, ConformalPredictor predictor, double[] u) {
        double[] p = c.input("p_test").doubles();
        int[] y = c.input("y_test").ints();
        int classes = predictor.classes();
        PredictionSetMetrics m = new PredictionSetMetrics(classes, predictor.alpha());
        boolean[] in = new boolean[classes];
        for (int r = 0; r < y.length; r++) {
            predictor.predict(p, r * classes, u[r], in);
            m.add(in, y[r]);
        }
        return m.result();
    }

    @Test
    void theRankIsTheExactOrderStatisticAndDiffersFromMapiesWhereItsIndexIsOneTooHigh() {
        Golden.Case c = GOLDEN.caseById("quantile_rule");
        int[] n = c.input("n").ints();
        double[] alphas = c.paramDoubles("alphas");
        int[] exact = c.expected("exact_k").ints();
        int[] mapie = c.expected("mapie_k").ints();
        int[] torchcp = c.expected("torchcp_k").ints();
        int mapieDiffers = 0;
        int torchcpDiffers = 0;
        for (int i = 0; i < n.length; i++) {
            for (int j = 0; j < alphas.length; j++) {
                int at = i * alphas.length + j;
                assertEquals(exact[at], ConformalQuantile.rank(n[i], alphas[j]), "n " + n[i] + ", alpha " + alphas[j]);
                mapieDiffers += mapie[at] != exact[at] ? 1 : 0;
                torchcpDiffers += torchcp[at] != exact[at] ? 1 : 0;
            }
        }
        System.out.println("conformal rank: MAPIE differs in " + mapieDiffers + " of " + exact.length
                + " (n, alpha) cells, TorchCP in " + torchcpDiffers);
        assertTrue(mapieDiffers > 0, "the golden table should show MAPIE's off-by-one cells");
    }
}
