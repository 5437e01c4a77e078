package io.github.logits4j.cli;

import static io.github.logits4j.golden.Tolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.data.NpyArray;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate}: CSV data, the text table, {@code --output}, and agreement between data sources. */
class EvaluateCommandTest {
    static final String DIGITS = Cli.model("digits_logits");
    static final String X = Cli.data("digits_test_x.npy");
    static final String Y = Cli.data("digits_test_y.npy");

    @TempDir
    static Path dir;
    static Map<String, Object> reference;

    @BeforeAll
    static void npyReference() {
        reference = Cli.run("evaluate", "--model", DIGITS, "--inputs", X, "--labels", Y, "--format", "json").ok()
                .json();
    }

    /** The digits test split as CSV: a header, 64 pixel columns, then the label (as a class name when asked). */
    static Path digitsCsv(String name, boolean header, boolean labelNames, char delimiter) throws Exception {
        Path file = dir.resolve(name);
        String[] names = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
        try (NpyArray x = NpyArray.open(Path.of(X)); NpyArray y = NpyArray.open(Path.of(Y));
                Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            if (header) {
                for (int c = 0; c < 64; c++) {
                    w.write("pixel " + c + delimiter);
                }
                w.write("digit\n");
            }
            float[] row = new float[64];
            long[] label = new long[1];
            for (long r = 0; r < x.rows(); r++) {
                x.readFloats(r, 1, row, 0);
                y.readLongs(r, 1, label, 0);
                for (float v : row) {
                    w.write(Float.toString(v));
                    w.write(delimiter);
                }
                w.write(labelNames ? names[(int) label[0]] : Long.toString(label[0]));
                w.write('\n');
            }
        }
        return file;
    }

    static void sameMetrics(Map<String, Object> a, Map<String, Object> b) {
        assertEquals(a.get("samples"), b.get("samples"));
        assertClose(value(a, "loss"), value(b, "loss"), 1e-12, 1e-12, "loss");
        @SuppressWarnings("unchecked")
        Map<String, Object> ma = (Map<String, Object>) a.get("metrics");
        @SuppressWarnings("unchecked")
        Map<String, Object> mb = (Map<String, Object>) b.get("metrics");
        assertEquals(ma, mb, "metrics");
    }

    static double value(Map<String, Object> report, String section) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) report.get(section);
        return ((Number) m.get("value")).doubleValue();
    }

    @Test
    void csvWithHeaderAndLabelColumnInTheSameFileEqualsTheNpyFiles() throws Exception {
        Path csv = digitsCsv("digits.csv", true, false, ',');
        Map<String, Object> r = Cli.run("evaluate", "--model", DIGITS, "--inputs", csv.toString(), "--labels",
                csv.toString(), "--format", "json", "--batch-size", "100").ok().json();
        sameMetrics(reference, r);
        Map<String, Object> byName = Cli.run("evaluate", "--model", DIGITS, "--inputs", csv.toString(), "--labels",
                csv.toString(), "--label-columns", "digit", "--format", "json").ok().json();
        sameMetrics(reference, byName);
    }

    @Test
    void csvWithoutHeaderTabsAndClassNamesAsLabels() throws Exception {
        Path csv = digitsCsv("digits.tsv", false, true, '\t');
        Map<String, Object> r = Cli.run("evaluate", "--model", DIGITS, "--inputs", csv.toString(), "--labels",
                csv.toString(), "--delimiter", "tab", "--header", "no", "--label-columns", "64", "--class-names",
                "zero,one,two,three,four,five,six,seven,eight,nine", "--format", "json").ok().json();
        sameMetrics(reference, r);
    }

    @Test
    void csvFeaturesWithNpyLabelsAndNpyFeaturesWithCsvLabels() throws Exception {
        Path csv = digitsCsv("features_and_label.csv", true, false, ',');
        Map<String, Object> r = Cli.run("evaluate", "--model", DIGITS, "--inputs", csv.toString(),
                "--label-columns", "digit", "--labels", Y, "--format", "json").ok().json();
        sameMetrics(reference, r);
        Path labels = dir.resolve("labels.csv");
        try (NpyArray y = NpyArray.open(Path.of(Y))) {
            long[] all = new long[(int) y.rows()];
            y.readLongs(0, all.length, all, 0);
            StringBuilder sb = new StringBuilder("label\n");
            for (long v : all) {
                sb.append(v).append('\n');
            }
            Files.writeString(labels, sb);
        }
        Map<String, Object> r2 = Cli.run("evaluate", "--model", DIGITS, "--inputs", X, "--labels",
                labels.toString(), "--format", "json").ok().json();
        sameMetrics(reference, r2);
    }

    @Test
    void twoInputModelTakesNamedInputsInAnyOrder() {
        Map<String, Object> r = Cli.run("evaluate", "--model", Cli.model("tokens_two_input"),
                "--inputs", "attention_mask=" + Cli.data("tokens_test_mask.npy"),
                "--inputs", "input_ids=" + Cli.data("tokens_test_ids.npy"),
                "--labels", Cli.data("tokens_test_y.npy"), "--format", "json").ok().json();
        assertEquals(150, ((Number) r.get("samples")).intValue());
        assertEquals("multiclass", r.get("task"));
    }

    @Test
    void batchSizeDoesNotChangeTheReport() {
        Map<String, Object> r = Cli.run("evaluate", "--model", DIGITS, "--inputs", X, "--labels", Y,
                "--batch-size", "7", "--format", "json").ok().json();
        sameMetrics(reference, r);
        @SuppressWarnings("unchecked")
        Map<String, Object> timing = (Map<String, Object>) r.get("timing");
        assertEquals(52, ((Number) timing.get("batches")).intValue());
    }

    @Test
    void textFormatIsAnAlignedTable() {
        Cli.Result r = Cli.run("evaluate", "--model", DIGITS, "--inputs", X, "--labels", Y).ok();
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("model ") && lines.get(0).endsWith("digits_logits.onnx"), lines.get(0));
        assertTrue(r.out().contains("\nloss                cross_entropy = 0.118297\n"), r.out());
        int column = lines.get(0).indexOf('/');
        for (String key : List.of("samples", "task", "output_kind", "activation_applied", "provider")) {
            String line = lines.stream().filter(l -> l.startsWith(key + " ")).findFirst().orElseThrow();
            assertTrue(line.length() > column && line.charAt(column - 1) == ' ' && line.charAt(column) != ' ',
                    () -> "values start in one column: " + line);
        }
        int start = lines.indexOf("metrics");
        int end = lines.indexOf("timing");
        List<String> metrics = lines.subList(start + 1, end).stream().filter(l -> l.matches("  [a-z_0-9]+ +[0-9.]+"))
                .toList();
        assertTrue(metrics.size() > 20, r.out());
        int valueColumn = metrics.get(0).lastIndexOf(' ') + 1;
        for (String m : metrics) {
            assertEquals(valueColumn, m.lastIndexOf(' ') + 1, () -> "aligned: " + m);
        }
        assertTrue(r.out().matches("(?s).*\n  accuracy +0\\.966667\n.*"), r.out());
        assertTrue(r.out().contains("  class  precision     recall         f1    support\n"), r.out());
        assertTrue(r.out().contains("true \\ predicted"), r.out());
    }

    @Test
    void outputFileIsWrittenWholeAndNothingGoesToStandardOutput() throws IOException {
        Path out = dir.resolve("report.json");
        Files.writeString(out, "old");
        Cli.Result r = Cli.run("evaluate", "--model", DIGITS, "--inputs", X, "--labels", Y, "--format", "json",
                "--output", out.toString());
        r.ok();
        assertEquals("", r.out());
        Map<String, Object> written = new Cli.Result(0, Files.readString(out), "").json();
        sameMetrics(reference, written);
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void anErrorLeavesNoReportFile() throws Exception {
        Path out = dir.resolve("failed").resolve("report.json");
        Files.createDirectories(out.getParent());
        Cli.run("evaluate", "--model", DIGITS, "--inputs", X, "--labels", Cli.data("breast_cancer_test_y.npy"),
                "--output", out.toString()).fails(Main.EXIT_DATA, "rows");
        Path nan = NpyFiles.float32(dir.resolve("late_nan.npy"), nanAt(359), 360, 64);
        Cli.run("evaluate", "--model", DIGITS, "--inputs", nan.toString(), "--labels", Y, "--batch-size", "100",
                "--output", out.toString()).fails(Main.EXIT_DATA, "NaN at row 359");
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(List.of(), files.toList(), "neither the report nor a temporary file");
        }
        Cli.run("evaluate", "--model", DIGITS, "--inputs", X, "--labels", Y, "--output",
                dir.resolve("missing/dir/r.json").toString()).fails(Main.EXIT_DATA, "does not exist");
    }

    /** The digits test pixels with one NaN pixel in {@code row}. */
    static float[] nanAt(int row) throws Exception {
        try (NpyArray x = NpyArray.open(Path.of(X))) {
            float[] all = new float[(int) x.rows() * 64];
            x.readFloats(0, (int) x.rows(), all, 0);
            all[row * 64 + 10] = Float.NaN;
            return all;
        }
    }

    @Test
    void nanMetricsAreWrittenAsNull() throws IOException {
        // every label 1 in a binary evaluation: ROC AUC has no negatives, so it is undefined (NaN -> null)
        long[] y = new long[114];
        java.util.Arrays.fill(y, 1);
        Path ones = NpyFiles.int64(dir.resolve("ones.npy"), y, 114);
        Cli.Result r = Cli.run("evaluate", "--model", Cli.model("breast_cancer_logit"), "--task", "binary",
                "--inputs", Cli.data("breast_cancer_test_x.npy"), "--labels", ones.toString(), "--format", "json")
                .ok();
        assertTrue(r.out().contains("\"roc_auc\": null"), r.out());
        assertFalse(r.out().contains("NaN"), r.out());
    }

    @Test
    void helpDocumentsNullForNaN() {
        Cli.Result r = Cli.run("evaluate", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("written as null"), r.out());
        assertTrue(r.out().contains("--thresholds"), r.out());
    }

    /**
     * Dense models (issue 25): evaluate runs the bundled segmentation and token models through runDense and reports
     * PyTorch's loss and scikit-learn's metrics ({@code golden/dense_models.json}), seqeval's entity F1 for the token
     * model, with the ignore index given; a label file whose samples do not match the output is refused, naming both.
     */
    @Test
    @SuppressWarnings("unchecked")
    void denseModelsAreEvaluatedAsTheirReferencesSay() throws Exception {
        io.github.logits4j.golden.Golden golden = io.github.logits4j.golden.Golden.load("dense_models");
        for (String name : new String[] {"seg_fcn_tiny_legacy.onnx", "ner_bert_tiny.onnx"}) {
            io.github.logits4j.golden.Golden.Case c = golden.caseById("dense_model/" + name);
            Map<String, String> data = c.paramObject("data");
            List<String> args = new java.util.ArrayList<>(List.of("evaluate", "--model", Cli.model(
                    name.replace(".onnx", "")), "--labels", Cli.data(data.get("y")), "--ignore-index",
                    String.valueOf(c.paramInt("ignore_index")), "--format", "json", "--batch-size", "3"));
            for (Map.Entry<String, String> e : data.entrySet()) {
                if (!e.getKey().equals("y")) {
                    args.add("--inputs");
                    args.add(e.getKey() + "=" + Cli.data(e.getValue()));
                }
            }
            Map<String, Object> r = Cli.run(args.toArray(String[]::new)).ok().json();
            double loss = ((Number) ((Map<String, Object>) r.get("loss")).get("cross_entropy")).doubleValue();
            io.github.logits4j.golden.Tolerance.assertClose(c.expected("loss").scalar(), loss, 1e-6, 1e-6, name);
            for (String key : new String[] {"accuracy", "mean_iou", "frequency_weighted_iou", "mean_dice", "ece"}) {
                io.github.logits4j.golden.Tolerance.assertClose(c.expected(key).scalar(),
                        ((Number) r.get(key)).doubleValue(), 1e-9, 1e-9, name + " " + key);
            }
            if (c.hasParam("tags")) {
                io.github.logits4j.golden.Tolerance.assertClose(c.expected("entity_f1").scalar(),
                        ((Number) r.get("entity_f1")).doubleValue(), 1e-12, 1e-12, name + " entity_f1");
            } else {
                assertTrue(r.containsKey("per_image_mean_iou"), r.keySet().toString());
            }
        }
        Cli.run("evaluate", "--model", Cli.model("seg_fcn_tiny"), "--inputs", Cli.data("seg_test_x.npy"), "--labels",
                Cli.data("seg_test_y4.npy"), "--ignore-index", "255").fails(3, "seg_test_y4.npy", "256 labels",
                "4096 positions");
    }

    /**
     * --class-names-file names a token model's tags one a line (a labels.txt): renamed entity types get seqeval's
     * entity F1 of the model's own id2label names; an empty line, a missing file or both naming options are refused.
     */
    @Test
    @SuppressWarnings("unchecked")
    void classNamesFileNamesTheTags() throws Exception {
        Path tags = dir.resolve("labels.txt");
        java.nio.file.Files.writeString(tags, "\uFEFFO\nB-PERSON\r\nI-PERSON\nB-ORG\nI-ORG\nB-LOC\nI-LOC\nB-MISC\n"
                + "I-MISC\n\n");
        List<String> args = List.of("evaluate", "--model", Cli.model("ner_bert_tiny"), "--inputs",
                "input_ids=" + Cli.data("ner_test_ids.npy"), "--inputs", "attention_mask="
                + Cli.data("ner_test_mask.npy"), "--labels", Cli.data("ner_test_y.npy"), "--format", "json");
        List<String> named = new java.util.ArrayList<>(args);
        named.addAll(List.of("--class-names-file", tags.toString()));
        Map<String, Object> r = Cli.run(named.toArray(String[]::new)).ok().json();
        assertEquals(java.util.Set.of("PERSON", "ORG", "LOC", "MISC"),
                ((Map<String, Object>) r.get("entity_types")).keySet());
        io.github.logits4j.golden.Tolerance.assertClose(io.github.logits4j.golden.Golden.load("dense_models")
                .caseById("dense_model/ner_bert_tiny.onnx").expected("entity_f1").scalar(),
                ((Number) r.get("entity_f1")).doubleValue(), 1e-12, 1e-12, "entity_f1");
        java.nio.file.Files.writeString(tags, "O\nB-PER\n\nI-PER\n");
        Cli.run(named.toArray(String[]::new)).fails(3, "labels.txt", "line 3 is empty");
        named.addAll(List.of("--class-names", "a,b"));
        Cli.run(named.toArray(String[]::new)).fails(2, "--class-names and --class-names-file");
        List<String> missing = new java.util.ArrayList<>(args);
        missing.addAll(List.of("--class-names-file", dir.resolve("none.txt").toString()));
        Cli.run(missing.toArray(String[]::new)).fails(3, "none.txt", "cannot read --class-names-file");
    }
}
