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
 * The command line on the converters' own exports of {@code converters.json}: decision values refused with the option
 * that settles them and no report file written; GaussianNB's float32 rows (1.0025) refused by default, naming
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

    private static String[] evaluate(String name, String... more) {
        String[] base = {"evaluate", "--model", model(name), "--inputs", Cli.data("digits_test_x.npy"), "--labels",
            Cli.data("digits_test_y.npy"), "--format", "json"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void decisionValuesAreRefusedUntilDeclaredAndNoReportIsWritten() {
        Path out = dir.resolve("report.json");
        for (String name : new String[] {"sk_linear_svc", "sk_perceptron"}) {
            Cli.run(evaluate(name, "--output", out.toString())).fails(Main.EXIT_DATA, "raw decision values",
                    "--output-kind logits");
            assertFalse(Files.exists(out), "no report for a refused run");
            String text = Cli.run("inspect", "--model", model(name)).ok().out();
            assertTrue(text.contains("output kind  decision values  (graph: "), text);
            Map<String, Object> json = Cli.run("inspect", "--model", model(name), "--format", "json").ok().json();
            assertEquals("decision_values", json.get("output_kind"));
        }
        Golden.Case g = GOLDEN.caseById("sk_linear_svc");
        Map<String, Object> r = Cli.run(evaluate("sk_linear_svc", "--output-kind", "logits")).ok().json();
        assertEquals(g.expected("accuracy").scalar(), Cli.metric(r, "accuracy"), 1e-12);
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
