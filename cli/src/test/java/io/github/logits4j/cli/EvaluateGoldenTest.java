package io.github.logits4j.cli;

import static io.github.logits4j.golden.Tolerance.assertAllClose;
import static io.github.logits4j.golden.Tolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.logits4j.golden.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code evaluate --format json} against the adapter goldens of {@code testdata/golden/models.json}: the loss and every
 * metric the case records, at 1e-6 (absolute or relative), for every bundled model.
 */
class EvaluateGoldenTest {
    static final double TOL = 1e-6;
    static final List<String> TOP_LEVEL = List.of("model", "samples", "classes", "task", "output_kind",
            "activation_applied", "provider", "loss", "metrics", "timing");
    static final Map<String, List<String>> REQUIRED_METRICS = Map.of(
            "multiclass", List.of("accuracy", "top_k_accuracy", "macro_f1", "micro_f1", "weighted_f1", "log_loss",
                    "macro_roc_auc_ovr", "ece"),
            "multilabel", List.of("hamming_loss", "subset_accuracy", "micro_f1", "macro_f1", "samples_f1",
                    "macro_roc_auc", "micro_roc_auc", "macro_average_precision", "label_ranking_average_precision"),
            "binary", List.of("accuracy", "precision", "recall", "f1", "roc_auc", "average_precision", "brier",
                    "log_loss"));

    @TestFactory
    Stream<DynamicTest> everyBundledModelMatchesItsGoldens() {
        return Golden.load("models").cases().stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> check(c)));
    }

    static void check(Golden.Case c) {
        List<String> args = new ArrayList<>(List.of("evaluate", "--model", Cli.model(c.id()),
                "--task", c.paramString("task"), "--format", "json"));
        Map<String, String> files = c.paramObject("data");
        List<String> inputs = c.paramStrings("inputs");
        for (String name : inputs) {
            String file = Cli.data(inputs.size() == 1 ? files.get("x") : files.get(name));
            args.add("--inputs");
            args.add(inputs.size() == 1 ? file : name + "=" + file);
        }
        args.add("--labels");
        args.add(Cli.data(files.get("y")));
        if (c.hasParam("top_k")) {
            StringBuilder ks = new StringBuilder();
            for (double k : c.paramDoubles("top_k")) {
                ks.append(ks.length() == 0 ? "" : ",").append((int) k);
            }
            args.add("--top-k");
            args.add(ks.toString());
        }
        if (c.hasParam("threshold")) {
            args.add("--threshold");
            args.add(Double.toString(c.paramDouble("threshold")));
        }
        assertEquals(0, c.paramInt("zero_division"), "the command uses zero_division 0");
        Map<String, Object> report = Cli.run(args.toArray(new String[0])).ok().json();

        for (String key : TOP_LEVEL) {
            assertTrue(report.containsKey(key), () -> c.id() + ": no top-level '" + key + "' in " + report.keySet());
        }
        String task = c.paramString("task");
        assertEquals(task, report.get("task"));
        assertEquals(c.paramString("output_kind"), report.get("output_kind"));
        assertEquals("cpu", report.get("provider"));
        @SuppressWarnings("unchecked")
        Map<String, Object> loss = (Map<String, Object>) report.get("loss");
        assertEquals(task.equals("multiclass") ? "cross_entropy" : "binary_cross_entropy", loss.get("name"));
        assertClose(c.expected("loss").scalar(), ((Number) loss.get("value")).doubleValue(), TOL, TOL,
                c.id() + " loss");
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) report.get("metrics");
        for (String key : REQUIRED_METRICS.get(task)) {
            assertTrue(metrics.containsKey(key), () -> c.id() + ": no metric '" + key + "' in " + metrics.keySet());
        }
        List<String> failures = new ArrayList<>();
        for (String golden : c.expectedNames()) {
            if (List.of("raw", "probabilities", "loss", "label", "bin_boundaries").contains(golden)) {
                continue;
            }
            String key = reportKey(golden);
            if (!metrics.containsKey(key)) {
                fail(c.id() + ": golden '" + golden + "' (report key '" + key + "') is not in the report");
            }
            try {
                assertAllClose(c.expected(golden).doubles(), doubles(metrics.get(key)), TOL, TOL,
                        c.id() + " " + golden);
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
    }

    /** The report key of a golden (scikit-learn style) metric name. */
    static String reportKey(String golden) {
        switch (golden) {
            case "mcc":
                return "matthews_corrcoef";
            case "ece_l1":
                return "ece";
            case "confusion_per_label":
                return "per_label_confusion";
            default:
                break;
        }
        Matcher m = Pattern.compile("top_k_accuracy_(\\d+)").matcher(golden);
        if (m.matches()) {
            return "top_" + m.group(1) + "_accuracy";
        }
        m = Pattern.compile("roc_auc_(ovr|ovo)_(macro|weighted)").matcher(golden);
        if (m.matches()) {
            return m.group(2) + "_roc_auc_" + m.group(1);
        }
        m = Pattern.compile("(precision|recall|f1|roc_auc|average_precision)_(micro|macro|weighted|samples)")
                .matcher(golden);
        if (m.matches()) {
            return m.group(2) + "_" + m.group(1);
        }
        m = Pattern.compile("(.+)_per_(class|label)").matcher(golden);
        if (m.matches()) {
            return "per_" + m.group(2) + "_" + m.group(1);
        }
        return golden;
    }

    /** A JSON number, list or list of lists, flattened; null is NaN. */
    static double[] doubles(Object value) {
        List<Double> out = new ArrayList<>();
        flatten(value, out);
        double[] d = new double[out.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = out.get(i);
        }
        return d;
    }

    private static void flatten(Object v, List<Double> out) {
        if (v == null) {
            out.add(Double.NaN);
        } else if (v instanceof Number n) {
            out.add(n.doubleValue());
        } else if (v instanceof List<?> l) {
            for (Object o : l) {
                flatten(o, out);
            }
        } else {
            throw new AssertionError("not a number or list: " + v);
        }
    }

    @Test
    void keyMappingFollowsTheReportNames() {
        assertEquals("macro_f1", reportKey("f1_macro"));
        assertEquals("micro_precision", reportKey("precision_micro"));
        assertEquals("macro_roc_auc_ovr", reportKey("roc_auc_ovr_macro"));
        assertEquals("ece", reportKey("ece_l1"));
        assertEquals("log_loss", reportKey("log_loss"));
        assertEquals("top_5_accuracy", reportKey("top_k_accuracy_5"));
        assertEquals("per_class_f1", reportKey("f1_per_class"));
        assertEquals("samples_f1", reportKey("f1_samples"));
    }
}
