package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.golden.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line on the third-party export layouts of {@code exports.json}: inputs given once (a value on the
 * command line or a 0-d file), a state read along its second axis, outputs whose kind the graph does not show
 * (refused, naming {@code --output-kind}), single-column logits (refused, naming {@code --task}), scikit-learn
 * exports without ZipMap and an [N, C, 1, 1] output; the reports equal the goldens at 1e-6.
 */
class RealExportsCommandTest {
    private static final Golden GOLDEN = Golden.load("exports");

    @TempDir
    Path dir;

    private static String model(String name) {
        return Golden.testdata().resolve("models").resolve(name + ".onnx").toString();
    }

    private static String silero(String name) {
        return Golden.testdata().resolve("models").resolve("third_party").resolve(name + ".onnx").toString();
    }

    @Test
    void sileroTakesItsSampleRateOnceAndItsStateAlongAxisOne() {
        Golden.Case g = GOLDEN.caseById("silero_vad_16k_op15");
        for (String sr : List.of("16000", Cli.data("exports_sr.npy"))) {
            for (String name : List.of("silero_vad_16k_op15", "silero_vad")) {
                Map<String, Object> r = Cli.run("evaluate", "--model", silero(name), "--inputs",
                        "input=" + Cli.data("silero_chunks_x.npy"), "--inputs", "state=" + Cli.data("silero_state.npy"),
                        "--inputs", "sr=" + sr, "--labels", Cli.data("silero_chunks_y.npy"), "--batch-size", "10",
                        "--format", "json").ok().json();
                assertEquals(g.expected("roc_auc").scalar(), Cli.metric(r, "roc_auc"), 1e-6, name);
                assertEquals(g.expected("loss").scalar(), Cli.loss(r), 1e-6, name);
            }
        }
    }

    @Test
    void inspectReportsEachInputsBatchAxis() {
        String text = Cli.run("inspect", "--model", model("state_inputs")).ok().out();
        assertTrue(text.contains("state: float[2, batch, 4]   batch axis 1"), text);
        assertTrue(text.contains("sr: int64[]   given once (no batch axis)"), text);
        assertTrue(text.contains("output: float[batch, 1]   <- scores"), text);
        assertTrue(!text.contains("fixed batch"), "the state's fixed 2 is not a batch size: " + text);
        Map<String, Object> json = Cli.run("inspect", "--model", model("state_inputs"), "--format", "json").ok()
                .json();
        List<?> inputs = (List<?>) json.get("inputs");
        assertEquals(0, ((Map<?, ?>) inputs.get(0)).get("batch_axis"));
        assertEquals(1, ((Map<?, ?>) inputs.get(1)).get("batch_axis"));
        assertNull(((Map<?, ?>) inputs.get(2)).get("batch_axis"));
        assertTrue(Cli.run("inspect", "--model", model("conv_nc11")).ok().out()
                .contains("[?, 10, 1, 1] read as [batch, 10]"));
    }

    @Test
    void anOutputOfUnknownKindIsInspectedButNotRun() {
        String text = Cli.run("inspect", "--model", model("tanh_scores")).ok().out();
        assertTrue(text.contains("output kind  unknown  (graph: no recognisable head: produced by Tanh node 'squash'"),
                text);
        assertTrue(text.contains("refused") && text.contains("--output-kind"), text);
        Cli.run("evaluate", "--model", model("tanh_scores"), "--inputs", Cli.data("digits_test_x.npy"), "--labels",
                Cli.data("digits_test_y.npy")).fails(Main.EXIT_DATA, "tanh_scores.onnx", "output 'scores'",
                "Tanh node 'squash'", "say which with --output-kind");
        Cli.run("predict", "--model", model("tanh_scores"), "--inputs", Cli.data("digits_test_x.npy"))
                .fails(Main.EXIT_DATA, "--output-kind");
        Map<String, Object> r = Cli.run("evaluate", "--model", model("tanh_scores"), "--output-kind", "logits",
                "--inputs", Cli.data("digits_test_x.npy"), "--labels", Cli.data("digits_test_y.npy"), "--format",
                "json").ok().json();
        assertEquals(GOLDEN.caseById("tanh_scores").expected("loss").scalar(), Cli.loss(r), 1e-6);
    }

    @Test
    void aSingleLogitColumnNeedsTheTask() {
        Cli.run("evaluate", "--model", model("breast_cancer_logit"), "--inputs", Cli.data("breast_cancer_test_x.npy"),
                "--labels", Cli.data("breast_cancer_test_y.npy"))
                .fails(Main.EXIT_DATA, "breast_cancer_logit.onnx", "regression", "--task binary");
        String text = Cli.run("inspect", "--model", model("breast_cancer_logit")).ok().out();
        assertTrue(text.contains("task         unknown"), text);
    }

    @Test
    void scikitLearnExportsWithoutZipMapAreProbabilities() {
        for (String name : List.of("sk_random_forest", "sk_logreg_ovr_normalizer", "sk_gradient_boosting_softmax")) {
            Map<String, Object> r = Cli.run("evaluate", "--model", model(name), "--inputs",
                    Cli.data("digits_test_x.npy"), "--labels", Cli.data("digits_test_y.npy"), "--format", "json")
                    .ok().json();
            Golden.Case g = GOLDEN.caseById(name);
            assertEquals("probabilities", r.get("output_kind"), name);
            assertEquals(g.expected("accuracy").scalar(), Cli.metric(r, "accuracy"), 1e-9, name);
            assertEquals(g.expected("log_loss").scalar(), Cli.metric(r, "log_loss"), 1e-6, name);
            assertEquals(g.expected("loss").scalar(), Cli.loss(r), 1e-6, name);
        }
    }

    @Test
    void inputsGivenOnceOrInAnotherLayoutAreCheckedBeforeRunning() throws Exception {
        String x = Cli.data("breast_cancer_test_x.npy");
        String y = Cli.data("breast_cancer_test_y.npy");
        String state = Cli.data("exports_state.npy");
        Path wrong = NpyFiles.float32(dir.resolve("state_rows_first.npy"), new float[114 * 8], 114, 2, 4);
        Cli.run("evaluate", "--model", model("state_inputs"), "--inputs", "x=" + x, "--inputs",
                "state=" + wrong, "--inputs", "sr=16000", "--labels", y)
                .fails(Main.EXIT_DATA, "state_rows_first.npy", "'state'", "batch on axis 1", "[114, 2, 4]");
        Cli.run("evaluate", "--model", model("state_inputs"), "--inputs", "x=" + x, "--inputs",
                "state=" + state, "--inputs", "sr=16000,8000", "--labels", y)
                .fails(Main.EXIT_DATA, "sr=16000,8000", "given once", "expected 1 value");
        Path csv = Files.writeString(dir.resolve("sr.csv"), "16000\n");
        Cli.run("evaluate", "--model", model("state_inputs"), "--inputs", "x=" + x, "--inputs",
                "state=" + state, "--inputs", "sr=" + csv, "--labels", y)
                .fails(Main.EXIT_DATA, "sr.csv", "no batch axis", "--inputs sr=VALUE");
        Map<String, Object> r = Cli.run("evaluate", "--model", model("state_inputs"), "--inputs", "x=" + x,
                "--inputs", "state=" + state, "--inputs", "sr=16000", "--labels", y, "--format", "json").ok().json();
        assertEquals(GOLDEN.caseById("state_inputs").expected("roc_auc").scalar(), Cli.metric(r, "roc_auc"), 1e-6);
    }
}
