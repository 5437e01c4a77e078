package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.golden.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line on the converters' own exports of {@code converters.json}: decision values evaluated with the
 * decision metrics and the hinge loss (no probability metric), predicted by score, refused by calibration; GaussianNB's float32 rows (1.0025) refused by default, naming
 * {@code --row-sum-tolerance}, and scored with it as scikit-learn scores them, the report warning of the furthest row;
 * hummingbird's output declared [8, 10] run at any batch size; log_loss (scikit-learn's clip) and the loss (PyTorch's
 * log clamp) reported side by side for a k-nearest-neighbours model that gives true classes probability 0.
 */
class ConvertersCommandTest {
    private static final Golden GOLDEN = Golden.load("converters");

    @TempDir
    Path dir;

    private static String model(String name) {
        return Golden.testdata().resolve("models").resolve("converters").resolve(name + ".onnx").toString();
    }

    /** {@code evaluate} of model {@code name} on the digits test split, JSON unless {@code more} sets a format. */
    private static String[] evaluate(String name, String... more) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("evaluate", "--model", model(name),
                "--inputs", Cli.data("digits_test_x.npy"), "--labels", Cli.data("digits_test_y.npy")));
        all.addAll(java.util.List.of(more));
        if (!all.contains("--format")) {
            all.addAll(java.util.List.of("--format", "json"));
        }
        return all.toArray(new String[0]);
    }

    @Test
    void decisionValuesGetDecisionMetricsAndTheHingeLossButNoProbability() throws Exception {
        for (String name : new String[] {"sk_linear_svc", "sk_perceptron"}) {
            Golden.Case g = GOLDEN.caseById(name);
            String text = Cli.run("inspect", "--model", model(name)).ok().out();
            assertTrue(text.contains("output kind  decision_values  (graph: "), text);
            Map<String, Object> r = Cli.run(evaluate(name)).ok().json();
            assertEquals("decision_values", r.get("output_kind"));
            assertEquals("hinge", ((Map<?, ?>) r.get("loss")).get("name"));
            assertEquals(g.expected("hinge_loss").scalar(), Cli.loss(r), 1e-9);
            assertEquals(g.expected("accuracy").scalar(), Cli.metric(r, "accuracy"), 1e-12);
            assertEquals(g.expected("f1_macro").scalar(), Cli.metric(r, "macro_f1"), 1e-12);
            Map<?, ?> metrics = (Map<?, ?>) r.get("metrics");
            assertFalse(metrics.containsKey("log_loss") || metrics.containsKey("brier")
                    || metrics.containsKey("macro_roc_auc_ovr") || metrics.containsKey("ece"), metrics.toString());
            assertTrue(Cli.run(evaluate(name, "--format", "text")).ok().out().contains("accuracy"));
            Path html = dir.resolve(name + ".html");
            Cli.run(evaluate(name, "--format", "html", "--output", html.toString())).ok();
            assertTrue(Files.size(html) > 0);
        }
        // predict ranks by score and says so; calibration needs logits
        Path csv = dir.resolve("predictions.csv");
        Cli.run("predict", "--model", model("sk_linear_svc"), "--inputs", Cli.data("digits_test_x.npy"), "--top-k",
                "2", "--output", csv.toString()).ok();
        assertTrue(Files.readAllLines(csv).get(0).equals("row,class_1,name_1,score_1,class_2,name_2,score_2"),
                Files.readAllLines(csv).get(0));
        Path out = dir.resolve("calibration.json");
        Cli.run("calibrate", "--model", model("sk_linear_svc"), "--inputs", Cli.data("digits_test_x.npy"), "--labels",
                Cli.data("digits_test_y.npy"), "--output", out.toString()).fails(Main.EXIT_DATA, "decision_values",
                "--output-kind logits");
        assertFalse(Files.exists(out), "no file from a refused run");
        // declared logits (right only for a model trained with a log loss): probabilities and their metrics
        Map<String, Object> declared = Cli.run(evaluate("sk_linear_svc", "--output-kind", "logits")).ok().json();
        assertEquals("cross_entropy", ((Map<?, ?>) declared.get("loss")).get("name"));
        assertTrue(((Map<?, ?>) declared.get("metrics")).containsKey("log_loss"));
    }

    @Test
    void rowsThatDriftAreRefusedByDefaultAndScoredWithATolerance() {
        Cli.run(evaluate("sk_gaussian_nb")).fails(Main.EXIT_DATA, "sum to 1.002", "--row-sum-tolerance", "row ");
        Cli.Result r = Cli.run(evaluate("sk_gaussian_nb", "--row-sum-tolerance", "0.01")).ok();
        Golden.Case g = GOLDEN.caseById("sk_gaussian_nb");
        String warning = String.valueOf(r.json().get("warnings"));     // also logged on standard error
        assertTrue(warning.contains("the furthest, row " + (long) g.expected("worst_row").scalar() + ", sums to "
                + String.format(java.util.Locale.ROOT, "%.9g", g.expected("worst_row_sum").scalar())), warning);
        assertEquals(g.expected("log_loss").scalar(), Cli.metric(r.json(), "log_loss"), 1e-6);
        assertEquals(g.expected("loss").scalar(), Cli.loss(r.json()), 1e-6);
        Cli.run(evaluate("sk_gaussian_nb", "--row-sum-tolerance", "1.5")).fails(Main.EXIT_USAGE, "--row-sum-tolerance is 1.5");
    }

    @Test
    void anOutputDeclaredWithAFixedBatchRunsAtAnyBatchSize() {
        Golden.Case g = GOLDEN.caseById("hb_logreg_fixed_output");
        for (String batch : new String[] {"50", "7", "8"}) {
            Map<String, Object> r = Cli.run(evaluate("hb_logreg_fixed_output", "--batch-size", batch)).ok().json();
            assertEquals(g.expected("accuracy").scalar(), Cli.metric(r, "accuracy"), 1e-12, batch);
            assertEquals(g.expected("log_loss").scalar(), Cli.metric(r, "log_loss"), 1e-6, batch);
        }
    }

    @Test
    void logLossAndTheLossAreTwoDocumentedNumbersWhenATrueClassHasProbabilityZero() {
        Golden.Case g = GOLDEN.caseById("sk_knn");
        Map<String, Object> r = Cli.run(evaluate("sk_knn")).ok().json();
        double logLoss = Cli.metric(r, "log_loss");
        double loss = Cli.loss(r);
        assertEquals(g.expected("log_loss").scalar(), logLoss, 1e-6);
        assertEquals(g.expected("loss").scalar(), loss, 1e-6);
        assertTrue(loss > logLoss, "PyTorch clamps log(0) at -100, scikit-learn clips p at eps: " + loss + " vs "
                + logLoss);
        assertEquals("cross_entropy", ((Map<?, ?>) r.get("loss")).get("name"));
    }
}
