package io.github.logits4j.metrics;

import io.github.logits4j.golden.Golden;
import io.github.logits4j.golden.ReportValues;
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

    static void check(Golden.Case c, Map<String, Supplier<double[]>> values) {
        ReportValues.check(c, null, values, TOL);
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
            check(c, ReportValues.of(r, topK, c.paramInt("n_bins")));
        }));
    }

    @TestFactory
    Stream<DynamicTest> multilabel() {
        return GOLDEN.cases("multilabel_metrics").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            Golden.Array prob = c.input("y_prob");
            int n = prob.dim(0);
            int labels = prob.dim(1);
            MultilabelMetrics m = MultilabelMetrics.builder(labels).threshold(c.paramDouble("threshold"))
                    .zeroDivision(zeroDivision(c)).samplesFBeta(0.5, 2.0).build();
            m.update(prob.doubles(), c.input("y_true").ints(), n, weights(c));
            MultilabelReport r = m.result();
            check(c, ReportValues.of(r));
        }));
    }

    @TestFactory
    Stream<DynamicTest> binary() {
        return GOLDEN.cases("binary_metrics").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            BinaryMetrics m = BinaryMetrics.builder().threshold(c.paramDouble("threshold"))
                    .zeroDivision(zeroDivision(c)).calibrationBins(c.paramInt("n_bins"))
                    .maxFpr(0.05, 0.1, 0.5, 1.0).build();
            m.update(c.input("y_prob").doubles(), c.input("y_true").ints(), weights(c));
            BinaryReport r = m.result();
            check(c, ReportValues.of(r, c.paramInt("n_bins")));
        }));
    }
}
