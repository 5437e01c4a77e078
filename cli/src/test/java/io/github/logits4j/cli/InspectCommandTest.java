package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code inspect}, {@code --help} and {@code --version}. */
class InspectCommandTest {
    @Test
    void textNamesTheOutputKindWithItsEvidence() {
        Cli.Result r = Cli.run("inspect", "--model", Cli.model("digits_softmax")).ok();
        assertTrue(r.out().contains("output kind  probabilities  (graph: "), r.out());
        assertTrue(r.out().contains("head applied none"), r.out());
        assertTrue(r.out().contains("task         multiclass"), r.out());
        assertTrue(r.out().contains("provider     cpu"), r.out());
        assertTrue(r.out().contains("input        pixels: float["), r.out());
    }

    @Test
    void jsonHasTheInspectionsKeys() {
        Map<String, Object> m = Cli.run("inspect", "--model", Cli.model("digits_zipmap_string"), "--format", "json",
                "--provider", "cpu").ok().json();
        for (String key : List.of("model", "inputs", "outputs", "output", "output_kind", "output_kind_evidence",
                "task", "task_evidence", "activation_applied", "classes", "class_names", "class_names_source",
                "provider")) {
            assertTrue(m.containsKey(key), key);
        }
        assertEquals("probabilities", m.get("output_kind"));
        assertEquals(List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
                m.get("class_names"));
        assertEquals("cpu", m.get("provider"));
    }

    @Test
    void overridesAreApplied() {
        Map<String, Object> m = Cli.run("inspect", "--model", Cli.model("digits_attributes_logits"), "--task",
                "multilabel", "--format", "json").ok().json();
        assertEquals("multilabel", m.get("task"));
        assertEquals("sigmoid", m.get("activation_applied"));
        Map<String, Object> k = Cli.run("inspect", "--model", Cli.model("digits_logits"), "--output-kind",
                "log-probabilities", "--format", "json").ok().json();
        assertEquals("log_probabilities", k.get("output_kind"));
        assertEquals("exp", k.get("activation_applied"));
    }

    @Test
    void helpAndVersion() {
        Cli.Result help = Cli.run("--help");
        assertEquals(0, help.exit());
        for (String command : List.of("inspect", "evaluate", "predict", "tune-thresholds", "calibrate")) {
            assertTrue(help.out().contains(command), command);
        }
        Cli.Result version = Cli.run("--version");
        assertEquals(0, version.exit());
        assertTrue(version.out().startsWith("logits4j "), version.out());
        assertTrue(version.out().contains("ONNX Runtime 1."), version.out());
        for (String command : List.of("inspect", "evaluate", "predict", "tune-thresholds", "calibrate")) {
            Cli.Result r = Cli.run(command, "--help");
            assertEquals(0, r.exit(), command);
            assertTrue(r.out().contains("--model"), command);
        }
    }

    /**
     * Dense models (issue 25): inspect names where the classes lie and from which op, and the tag names from id2label;
     * --class-axis overrides the graph; the commands that read one row per sample refuse them, naming what they are.
     */
    @Test
    void denseOutputsAreInspectedAndTheOtherCommandsSayTheyCannotReadThemYet() {
        Cli.Result seg = Cli.run("inspect", "--model", Cli.model("seg_fcn_tiny_legacy")).ok();
        assertTrue(seg.out().contains("dense, 21 classes on axis 1 (Conv '/head/head.4/Conv' (weight [21, 16, 1, 1]),"
                + " then Resize '/Resize'"), seg.out());
        assertTrue(seg.out().contains("then Resize node '/Resize' (mode linear): an interpolation of positions keeps"
                + " logits"), seg.out());
        Cli.Result ner = Cli.run("inspect", "--model", Cli.model("ner_bert_tiny")).ok();
        assertTrue(ner.out().contains("dense, 9 classes on the last axis (MatMul"), ner.out());
        assertTrue(ner.out().contains("O, B-PER, I-PER, B-ORG, I-ORG, B-LOC, I-LOC, B-MISC, I-MISC"), ner.out());
        Cli.Result forced = Cli.run("inspect", "--model", Cli.model("ner_bert_tiny"), "--class-axis", "first").ok();
        assertTrue(forced.out().contains("dense, 24 classes on axis 1 (set by the caller)"), forced.out());
        Cli.run("inspect", "--model", Cli.model("ner_bert_tiny"), "--class-axis", "middle").fails(2, "--class-axis");
        Cli.run("calibrate", "--model", Cli.model("seg_fcn_tiny"), "--inputs", Cli.data("seg_test_x.npy"), "--labels",
                Cli.data("seg_test_y.npy"), "--output", "unused.json")
                .fails(3, "holds dense scores", "21 classes", "axis 1", "runDense");
        Cli.run("evaluate", "--model", Cli.model("seg_fcn_tiny"), "--inputs", Cli.data("seg_test_x.npy"), "--labels",
                Cli.data("seg_test_y.npy")).fails(3, "seg_test_y.npy", "is 255", "--ignore-index");
    }
}
