package io.github.logits4j.metrics;

import static io.github.logits4j.golden.Tolerance.assertAllClose;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.logits4j.golden.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every metric against scikit-learn 1.9.1 (torchmetrics 1.9.0 for the calibration error) on the same double inputs
 * ({@code testdata/golden/metrics.json}), at 1e-9. Every expected key of a case must map to a value here, so a metric
 * the generator adds cannot go unchecked.
 */
class MetricsGoldenTest {
    static final double TOL = 1e-9;
    private static final Golden GOLDEN = Golden.load("metrics");

    static ZeroDivision zeroDivision(Golden.Case c) {
        String z = c.paramString("zero_division");
        return switch (z) {
            case "0", "0.0" -> ZeroDivision.ZERO;
            case "1", "1.0" -> ZeroDivision.ONE;
            case "nan", "NaN" -> ZeroDivision.NAN;
            default -> throw new IllegalStateException(c.id() + ": zero_division " + z);
        };
    }

    static double[] weights(Golden.Case c) {
        try {
            return c.input("sample_weight").doubles();
        } catch (IllegalStateException absent) {
            return null;
        }
    }

    /** Checks every expected key of {@code c} against the value {@code values} maps it to. */
    static void check(Golden.Case c, Map<String, Supplier<double[]>> values) {
        List<String> failures = new ArrayList<>();
        for (String key : c.expectedNames()) {
            Supplier<double[]> actual = values.get(key);
            if (actual == null) {
                fail(c.id() + ": expected key '" + key + "' has no Java counterpart");
            }
            try {
                assertAllClose(c.expected(key).doubles(), actual.get(), TOL, TOL, c.id() + " " + key);
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
    }

    static double[] one(double v) {
        return new double[] {v};
    }

    @TestFactory
    Stream<DynamicTest> multiclass() {
        return GOLDEN.cases("multiclass_metrics").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            Golden.Array prob = c.input("y_prob");
            int n = prob.dim(0);
            int classes = prob.dim(1);
            double[] ks = c.paramDoubles("top_k");
            int[] topK = new int[ks.length];
            for (int i = 0; i < ks.length; i++) {
                topK[i] = (int) ks[i];
            }
            MulticlassMetrics m = MulticlassMetrics.builder(classes).topK(topK).zeroDivision(zeroDivision(c))
                    .calibrationBins(c.paramInt("n_bins")).build();
            m.update(prob.doubles(), n, c.input("y_true").ints(), weights(c));
            MulticlassReport r = m.result();
            Map<String, Supplier<double[]>> v = new java.util.HashMap<>();
            v.put("accuracy", () -> one(r.accuracy()));
            for (int k : topK) {
                v.put("top_k_accuracy_" + k, () -> one(r.topKAccuracy(k)));
            }
            for (Average a : new Average[] {Average.MICRO, Average.MACRO, Average.WEIGHTED}) {
                v.put("precision_" + a.key(), () -> one(r.precision(a)));
                v.put("recall_" + a.key(), () -> one(r.recall(a)));
                v.put("f1_" + a.key(), () -> one(r.f1(a)));
            }
            v.put("precision_per_class", r::precisionPerClass);
            v.put("recall_per_class", r::recallPerClass);
            v.put("f1_per_class", r::f1PerClass);
            v.put("confusion_matrix", r::confusionMatrix);
            v.put("log_loss", () -> one(r.logLoss()));
            v.put("brier", () -> one(r.brier()));
            v.put("mcc", () -> one(r.matthewsCorrcoef()));
            v.put("roc_auc_ovr_macro", () -> one(r.rocAucOvr(Average.MACRO)));
            v.put("roc_auc_ovr_weighted", () -> one(r.rocAucOvr(Average.WEIGHTED)));
            v.put("roc_auc_ovo_macro", () -> one(r.rocAucOvo(Average.MACRO)));
            v.put("roc_auc_ovo_weighted", () -> one(r.rocAucOvo(Average.WEIGHTED)));
            v.put("ece_l1", () -> one(r.expectedCalibrationError()));
            v.put("ece_l2", () -> one(r.calibrationErrorL2()));
            v.put("ece_max", () -> one(r.calibrationErrorMax()));
            v.put("bin_boundaries", () -> CalibrationError.boundaries(c.paramInt("n_bins")));
            check(c, v);
        }));
    }

    @TestFactory
    Stream<DynamicTest> multilabel() {
        return GOLDEN.cases("multilabel_metrics").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            Golden.Array prob = c.input("y_prob");
            int n = prob.dim(0);
            int labels = prob.dim(1);
            MultilabelMetrics m = MultilabelMetrics.builder(labels).threshold(c.paramDouble("threshold"))
                    .zeroDivision(zeroDivision(c)).build();
            m.update(prob.doubles(), c.input("y_true").ints(), n, weights(c));
            MultilabelReport r = m.result();
            Map<String, Supplier<double[]>> v = new java.util.HashMap<>();
            v.put("hamming_loss", () -> one(r.hammingLoss()));
            v.put("subset_accuracy", () -> one(r.subsetAccuracy()));
            for (Average a : Average.values()) {
                v.put("precision_" + a.key(), () -> one(r.precision(a)));
                v.put("recall_" + a.key(), () -> one(r.recall(a)));
                v.put("f1_" + a.key(), () -> one(r.f1(a)));
            }
            v.put("precision_per_label", r::precisionPerLabel);
            v.put("recall_per_label", r::recallPerLabel);
            v.put("f1_per_label", r::f1PerLabel);
            v.put("roc_auc_micro", () -> one(r.rocAuc(Average.MICRO)));
            v.put("roc_auc_macro", () -> one(r.rocAuc(Average.MACRO)));
            v.put("roc_auc_weighted", () -> one(r.rocAuc(Average.WEIGHTED)));
            v.put("average_precision_micro", () -> one(r.averagePrecision(Average.MICRO)));
            v.put("average_precision_macro", () -> one(r.averagePrecision(Average.MACRO)));
            v.put("label_ranking_average_precision", () -> one(r.labelRankingAveragePrecision()));
            v.put("coverage_error", () -> one(r.coverageError()));
            v.put("label_ranking_loss", () -> one(r.labelRankingLoss()));
            v.put("confusion_per_label", r::confusionPerLabel);
            check(c, v);
        }));
    }

    @TestFactory
    Stream<DynamicTest> binary() {
        return GOLDEN.cases("binary_metrics").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            BinaryMetrics m = BinaryMetrics.builder().threshold(c.paramDouble("threshold"))
                    .zeroDivision(zeroDivision(c)).calibrationBins(c.paramInt("n_bins")).build();
            m.update(c.input("y_prob").doubles(), c.input("y_true").ints(), weights(c));
            BinaryReport r = m.result();
            Map<String, Supplier<double[]>> v = new java.util.HashMap<>();
            v.put("accuracy", () -> one(r.accuracy()));
            v.put("precision", () -> one(r.precision()));
            v.put("recall", () -> one(r.recall()));
            v.put("f1", () -> one(r.f1()));
            v.put("roc_auc", () -> one(r.rocAuc()));
            v.put("average_precision", () -> one(r.averagePrecision()));
            v.put("brier", () -> one(r.brier()));
            v.put("log_loss", () -> one(r.logLoss()));
            v.put("mcc", () -> one(r.matthewsCorrcoef()));
            v.put("confusion_matrix", r::confusionMatrix);
            v.put("ece_l1", () -> one(r.expectedCalibrationError()));
            v.put("ece_l2", () -> one(r.calibrationErrorL2()));
            v.put("ece_max", () -> one(r.calibrationErrorMax()));
            v.put("bin_boundaries", () -> CalibrationError.boundaries(c.paramInt("n_bins")));
            check(c, v);
        }));
    }
}
