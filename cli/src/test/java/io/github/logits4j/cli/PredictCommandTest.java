package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.golden.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code predict} as CSV and JSON lines for multi-class, multi-label and binary models. */
class PredictCommandTest {
    static final String X = Cli.data("digits_test_x.npy");

    @TempDir
    Path dir;

    static Golden.Case golden(String id) {
        return Golden.load("models").cases().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void multiclassCsvHasTheTopClassAndItsProbability() {
        Cli.Result r = Cli.run("predict", "--model", Cli.model("digits_logits"), "--inputs", X, "--batch-size", "50")
                .ok();
        List<String> lines = r.out().lines().toList();
        assertEquals("row,class,name,probability", lines.get(0));
        assertEquals(361, lines.size());
        double[] p = golden("digits_logits").expected("probabilities").doubles();
        for (int row = 0; row < 64; row++) {
            String[] f = lines.get(row + 1).split(",");
            assertEquals(Integer.toString(row), f[0]);
            int best = 0;
            for (int c = 1; c < 10; c++) {
                best = p[row * 10 + c] > p[row * 10 + best] ? c : best;
            }
            assertEquals(best, Integer.parseInt(f[1]), "row " + row);
            assertEquals(f[1], f[2], "class names are the indices");
            assertEquals(p[row * 10 + best], Double.parseDouble(f[3]), 1e-6, "row " + row);
        }
    }

    @Test
    void multiclassJsonLinesWithTopK() throws Exception {
        Cli.Result r = Cli.run("predict", "--model", Cli.model("digits_metadata_labels"), "--inputs", X, "--top-k",
                "3", "--format", "jsonl").ok();
        List<String> lines = r.out().lines().toList();
        assertEquals(360, lines.size());
        for (String line : lines) {
            Map<String, Object> m = new Cli.Result(0, line, "").json();
            List<?> top = (List<?>) m.get("top_k");
            assertEquals(3, top.size());
            double previous = 1.0;
            for (Object o : top) {
                Map<?, ?> entry = (Map<?, ?>) o;
                double prob = ((Number) entry.get("probability")).doubleValue();
                assertTrue(prob <= previous, line);
                previous = prob;
                assertTrue(entry.get("name") instanceof String s && !s.isEmpty());
            }
        }
        Map<String, Object> first = new Cli.Result(0, lines.get(0), "").json();
        assertEquals(0, first.get("row"));
        List<String> names = golden("digits_metadata_labels").paramStrings("class_names");
        Map<?, ?> best = (Map<?, ?>) ((List<?>) first.get("top_k")).get(0);
        assertEquals(names.get((Integer) best.get("class")), best.get("name"));
        Cli.Result csv = Cli.run("predict", "--model", Cli.model("digits_logits"), "--inputs", X, "-k", "2").ok();
        assertEquals("row,class_1,name_1,probability_1,class_2,name_2,probability_2", csv.out().lines().findFirst()
                .orElseThrow());
    }

    @Test
    void jsonIsOneArrayOfTheJsonLines() throws Exception {
        String[] base = {"predict", "--model", Cli.model("digits_metadata_labels"), "--inputs", X, "--top-k", "2"};
        List<String> lines = Cli.run(concat(base, "--format", "jsonl")).ok().out().lines().toList();
        String json = Cli.run(concat(base, "--format", "json")).ok().out();
        List<?> array = Cli.JSON.readValue(json, List.class);
        assertEquals(360, array.size());
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(Cli.JSON.readValue(lines.get(i), Map.class), array.get(i), "row " + i);
        }
        Cli.run(concat(base, "--format", "xml")).fails(Main.EXIT_USAGE, "--format", "json");
    }

    private static String[] concat(String[] a, String... more) {
        List<String> all = new java.util.ArrayList<>(List.of(a));
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    @Test
    void multilabelCsvAndJsonLinesFollowTheThresholds() throws Exception {
        String model = Cli.model("digits_attributes_sigmoid");
        Cli.Result csv = Cli.run("predict", "--model", model, "--inputs", X).ok();
        List<String> lines = csv.out().lines().toList();
        assertEquals("row,labels,probability_0,probability_1,probability_2,probability_3", lines.get(0));
        assertEquals(361, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            StringBuilder expected = new StringBuilder();
            for (int c = 0; c < 4; c++) {
                if (Float.parseFloat(f[2 + c]) >= 0.5f) {
                    expected.append(expected.length() == 0 ? "" : ";").append(c);
                }
            }
            assertEquals(expected.toString(), f[1], line);
        }
        Cli.Result jsonl = Cli.run("predict", "--model", model, "--inputs", X, "--format", "jsonl", "--threshold",
                "0.9", "--at-least-one").ok();
        for (String line : jsonl.out().lines().toList()) {
            Map<String, Object> m = new Cli.Result(0, line, "").json();
            List<?> on = (List<?>) m.get("labels");
            Map<?, ?> p = (Map<?, ?>) m.get("probabilities");
            assertEquals(4, p.size());
            assertTrue(!on.isEmpty(), "at least one label: " + line);
            for (Map.Entry<?, ?> e : p.entrySet()) {
                boolean passes = ((Number) e.getValue()).floatValue() >= 0.9f;
                assertTrue(!passes || on.contains(e.getKey()), line);
            }
        }
    }

    @Test
    void binaryProbabilityAndDecision() throws Exception {
        String model = Cli.model("breast_cancer_logit");
        String x = Cli.data("breast_cancer_test_x.npy");
        Path out = dir.resolve("predictions.csv");
        Cli.Result r = Cli.run("predict", "--model", model, "--task", "binary", "--inputs", x, "--threshold", "0.8",
                "--output", out.toString()).ok();
        assertEquals("", r.out());
        List<String> lines = Files.readAllLines(out);
        assertEquals("row,probability,decision", lines.get(0));
        assertEquals(115, lines.size());
        double[] p = golden("breast_cancer_logit").expected("probabilities").doubles();
        for (int row = 0; row < 64; row++) {
            String[] f = lines.get(row + 1).split(",");
            assertEquals(p[row], Double.parseDouble(f[1]), 1e-6);
            assertEquals(Float.parseFloat(f[1]) >= 0.8f ? "1" : "0", f[2]);
        }
        Cli.Result jsonl = Cli.run("predict", "--model", model, "--task", "binary", "--inputs", x, "-f", "jsonl")
                .ok();
        Map<String, Object> first = new Cli.Result(0, jsonl.out().lines().findFirst().orElseThrow(), "").json();
        assertEquals(List.of("row", "probability", "decision"), List.copyOf(first.keySet()));
    }

    @Test
    void predictOnACsvFileThatAlsoHoldsLabels() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < 30; c++) {
            sb.append("f").append(c).append(',');
        }
        sb.append("target\n");
        for (int r = 0; r < 5; r++) {
            sb.append("0.1,".repeat(30)).append("1\n");
        }
        Path csv = Files.writeString(dir.resolve("cancer.csv"), sb);
        Cli.Result r = Cli.run("predict", "--model", Cli.model("breast_cancer_logit"), "--task", "binary", "--inputs",
                csv.toString(), "--label-columns", "target").ok();
        assertEquals(6, r.out().lines().count());
        Cli.run("predict", "--model", Cli.model("breast_cancer_logit"), "--task", "binary", "--inputs",
                csv.toString())
                .fails(Main.EXIT_DATA, "cancer.csv", "expects 30 values per row; found 31");
    }

    /**
     * Dense models (issue 25): predict writes the argmax masks as .npy ([N, H, W] int64), whose accuracy against the
     * labels is scikit-learn's in {@code golden/dense_models.json}; other formats, and npy for a per-sample model, are
     * usage errors; a failed run leaves no file.
     */
    @Test
    void denseModelsWriteTheirMasksAsNpy() throws Exception {
        Path masks = dir.resolve("masks.npy");
        Cli.run("predict", "--model", Cli.model("seg_fcn_tiny_legacy"), "--inputs", Cli.data("seg_test_x.npy"),
                "--format", "npy", "--output", masks.toString(), "--batch-size", "3").ok();
        long[] decided;
        long[] labels;
        try (io.github.logits4j.data.NpyArray m = io.github.logits4j.data.NpyArray.open(masks);
                io.github.logits4j.data.NpyArray y = io.github.logits4j.data.NpyArray.open(
                        Path.of(Cli.data("seg_test_y.npy")))) {
            assertEquals(List.of(8L, 64L, 64L), java.util.Arrays.stream(m.shape()).boxed().toList());
            decided = new long[(int) (m.rows() * m.rowSize())];
            m.readLongs(0, (int) m.rows(), decided, 0);
            labels = new long[decided.length];
            y.readLongs(0, (int) y.rows(), labels, 0);
        }
        long right = 0;
        long counted = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 255) {
                counted++;
                right += labels[i] == decided[i] ? 1 : 0;
            }
        }
        double accuracy = Golden.load("dense_models").caseById("dense_model/seg_fcn_tiny_legacy.onnx")
                .expected("accuracy").scalar();
        assertEquals(accuracy, (double) right / counted, 1e-12);
        Cli.run("predict", "--model", Cli.model("seg_fcn_tiny"), "--inputs", Cli.data("seg_test_x.npy"))
                .fails(2, "--format npy");
        Cli.run("predict", "--model", Cli.model("digits_logits"), "--inputs", Cli.data("digits_test_x.npy"),
                "--format", "npy", "--output", dir.resolve("d.npy").toString()).fails(2, "one row of scores");
        Path none = dir.resolve("none.npy");
        Cli.run("predict", "--model", Cli.model("ner_bert_tiny"), "--inputs", "input_ids=" + Cli.data("ner_test_ids.npy"),
                "--inputs", "attention_mask=" + Cli.data("seg_test_y4.npy"), "--format", "npy", "--output",
                none.toString()).fails(3, "attention_mask");
        assertTrue(!Files.exists(none) && Files.list(dir).noneMatch(f -> f.getFileName().toString().endsWith(".tmp")));
    }

    /**
     * predict --top-k for a dense model: each position's k most probable classes with their probabilities, records
     * (class int64, probability float32) [N, T, k]; the probabilities of the first sentence's first tokens are the
     * softmax of Python onnxruntime's raw scores ({@code golden/dense_models.json}) within 1e-6, the best class is
     * the argmax mask's everywhere; k above the class count is a usage error.
     */
    @Test
    void denseTopKWritesClassesAndProbabilitiesPerPosition() throws Exception {
        Path topk = dir.resolve("topk.npy");
        Path masks = dir.resolve("masks.npy");
        List<String> in = List.of("--model", Cli.model("ner_bert_tiny"), "--inputs",
                "input_ids=" + Cli.data("ner_test_ids.npy"), "--inputs",
                "attention_mask=" + Cli.data("ner_test_mask.npy"), "--format", "npy", "--batch-size", "3");
        Cli.run(predict(in, "--top-k", "3", "--output", topk.toString())).ok();
        Cli.run(predict(in, "--output", masks.toString())).ok();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(topk))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int headerLength = b.getShort(8);
        String header = new String(Files.readAllBytes(topk), 10, headerLength, java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': [('class', '<i8'), ('probability', '<f4')], 'fortran_order': False,"
                + " 'shape': ("), header);
        assertEquals(0, (10 + headerLength) % 64, "the header pads the data to 64 bytes");
        long[] decided;
        long n;
        try (io.github.logits4j.data.NpyArray m = io.github.logits4j.data.NpyArray.open(masks)) {
            n = m.rows();
            decided = new long[(int) (n * m.rowSize())];
            m.readLongs(0, (int) n, decided, 0);
        }
        assertTrue(header.contains("'shape': (" + n + ", 24, 3), }"), header);
        assertEquals(10 + headerLength + decided.length * 3L * 12, Files.size(topk));
        b.position(10 + headerLength);
        long[] classes = new long[decided.length * 3];
        float[] probabilities = new float[classes.length];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = b.getLong();
            probabilities[i] = b.getFloat();
        }
        for (int p = 0; p < decided.length; p++) {
            assertEquals(decided[p], classes[p * 3], "position " + p);
            assertTrue(probabilities[p * 3] >= probabilities[p * 3 + 1]
                    && probabilities[p * 3 + 1] >= probabilities[p * 3 + 2], "position " + p);
        }
        double[] raw = Golden.load("dense_models").caseById("dense_model/ner_bert_tiny.onnx").expected("raw_head")
                .doubles();                                          // [9 classes, 4 tokens]
        for (int t = 0; t < 4; t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 9; c++) {
                max = Math.max(max, raw[c * 4 + t]);
            }
            double sum = 0.0;
            for (int c = 0; c < 9; c++) {
                sum += Math.exp(raw[c * 4 + t] - max);
            }
            for (int j = 0; j < 3; j++) {
                int c = (int) classes[t * 3 + j];
                assertEquals(Math.exp(raw[c * 4 + t] - max) / sum, probabilities[t * 3 + j], 1e-6, "token " + t);
            }
        }
        Cli.run(predict(in, "--top-k", "10", "--output", dir.resolve("k.npy").toString()))
                .fails(2, "--top-k is 10", "9 classes");
    }

    /** {@code predict}, then {@code common}, then {@code more}. */
    private static String[] predict(List<String> common, String... more) {
        List<String> all = new java.util.ArrayList<>(List.of("predict"));
        all.addAll(common);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
