package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.golden.Golden;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input table: every way a file, an option or a model can be wrong that users met, with the exit code, the
 * words the one-line error must hold, and the guarantee that nothing was written: no report file appears (each case
 * runs with {@code --output}) and no file of the fixture directory or the test data changes. Keep it growing with
 * every new option.
 */
class BadInputTableTest {
    @TempDir
    static Path dir;

    private static final String X = Cli.data("digits_test_x.npy");
    private static final String Y = Cli.data("digits_test_y.npy");
    private static final String XA = Cli.data("digits_test_attributes.npy");
    private static final String M = Cli.model("digits_logits");
    private static final String SIG = Cli.model("digits_attributes_sigmoid");
    private static final String TOK = Cli.model("tokens_two_input");
    private static final String BX = Cli.data("breast_cancer_test_x.npy");
    private static final String BY = Cli.data("breast_cancer_test_y.npy");

    /** One row of the table. */
    record Case(String category, String id, int exit, List<String> words, Map<String, String> env, String... args) {
    }

    private static final List<Case> CASES = new ArrayList<>();

    private static void add(String category, String id, int exit, List<String> words, String... args) {
        CASES.add(new Case(category, id, exit, words, Map.of(), args));
    }

    private static void addEnv(String category, String id, int exit, List<String> words, Map<String, String> env,
            String... args) {
        CASES.add(new Case(category, id, exit, words, env, args));
    }

    private static String f(String name) {
        return dir.resolve(name).toString();
    }

    /** A .npy file with the given header text (version 2: a 4-byte header length) and body. */
    private static Path rawNpy(String name, String header, byte[] body) throws IOException {
        byte[] h = (header + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(12 + h.length + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(h.length).put(h).put(body);
        return Files.write(dir.resolve(name), b.array());
    }

    @BeforeAll
    static void fixtures() throws IOException {
        // .npy files
        // a CSV row whose one field is longer than the reader takes (17 MB of digits)
        StringBuilder huge = new StringBuilder(17_000_100);
        huge.append("1.0,");
        huge.append("9".repeat(17_000_000)).append('\n');
        Files.writeString(dir.resolve("huge_field.csv"), huge);
        // labels of dtype bool for a ten-class model; an [N, 8, 8] file for a [batch, 64] input
        NpyFiles.bool(dir.resolve("bool_labels.npy"), new boolean[360], 360);
        NpyFiles.float32(dir.resolve("x_8x8.npy"), new float[360 * 64], 360, 8, 8);
        Files.writeString(dir.resolve("nan_thresholds.json"), "{\"task\": \"multilabel\", \"thresholds\": [NaN]}");
        rawNpy("negative_dim.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (-3, 64), }", new byte[0]);
        rawNpy("overflow.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 16), }",
                new byte[0]);
        rawNpy("bytes_wrap.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952,), }",
                new byte[0]);
        rawNpy("huge_header.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (" + "1".repeat(200_000)
                + "), }", new byte[0]);
        rawNpy("escape_header.npy", "{'descr': '\u001b]0;pwned\u0007', 'fortran_order': False, 'shape': (2, 64), }",
                new byte[512]);
        NpyFiles.write(dir.resolve("fortran.npy"), "<f4", true, new byte[360 * 64 * 4], 360, 64);
        NpyFiles.write(dir.resolve("object.npy"), "|O", false, new byte[8], 1);
        NpyFiles.write(dir.resolve("truncated.npy"), "<f4", false, new byte[100], 360, 64);
        Files.writeString(dir.resolve("not_really.npy"), "1,2,3\n4,5,6\n");
        NpyFiles.float32(dir.resolve("wide.npy"), new float[360 * 63], 360, 63);
        NpyFiles.float32(dir.resolve("scalar.npy"), new float[1]);
        float[] inf = java.util.Arrays.copyOf(readFloats(X), 360 * 64);
        inf[5 * 64 + 7] = Float.POSITIVE_INFINITY;
        NpyFiles.float32(dir.resolve("x_inf.npy"), inf, 360, 64);
        NpyFiles.float32(dir.resolve("x_rows.npy"), new float[100 * 64], 100, 64);
        // labels
        long[] y = new long[360];
        NpyFiles.float32(dir.resolve("y_fraction.npy"), fractional(360, 3, 7.5f), 360);
        long[] range = y.clone();
        range[4] = 10;
        NpyFiles.int64(dir.resolve("y_range.npy"), range, 360);
        long[] negative = y.clone();
        negative[2] = -1;
        NpyFiles.int64(dir.resolve("y_negative.npy"), negative, 360);
        NpyFiles.float32(dir.resolve("y_nan.npy"), fractional(360, 9, Float.NaN), 360);
        NpyFiles.int64(dir.resolve("y_rows.npy"), new long[100], 100);
        NpyFiles.float32(dir.resolve("y_onehot.npy"), new float[360 * 10], 360, 10);
        NpyFiles.float32(dir.resolve("y_matrix_two.npy"), fractional(360 * 4, 6, 2f), 360, 4);
        // CSV
        Files.writeString(dir.resolve("empty.csv"), "");
        Files.writeString(dir.resolve("header_only.csv"), "a,b,c\n");
        Files.writeString(dir.resolve("ragged.csv"), ErrorsTest.csv64(4, -1, null));
        Files.writeString(dir.resolve("text_cell.csv"), ErrorsTest.csv64(6, 10, "cat"));
        Files.writeString(dir.resolve("quote.csv"), "\"a,b\n1,2\n");
        // directories
        Files.createDirectories(dir.resolve("a_directory"));
        Files.createDirectories(dir.resolve("model_dir.onnx"));
        // models
        Files.writeString(dir.resolve("text.onnx"), "this is not a model\n");
        byte[] model = Files.readAllBytes(Path.of(M));
        Files.write(dir.resolve("cut.onnx"), java.util.Arrays.copyOf(model, model.length / 2));
        Files.write(dir.resolve("empty.onnx"), new byte[0]);
        // JSON files
        Files.writeString(dir.resolve("not.json"), "thresholds: 0.5\n");
        Files.writeString(dir.resolve("dup.json"), "{\"threshold\": 0.5, \"threshold\": 0.9}");
        // real files written by tune-thresholds and calibrate, then changed one field at a time
        Path tuned = dir.resolve("tuned.json");
        Cli.run("tune-thresholds", "--model", SIG, "--inputs", X, "--labels", XA, "--output", tuned.toString()).ok();
        Path temperature = dir.resolve("temperature.json");
        Cli.run("calibrate", "--model", M, "--inputs", X, "--labels", Y, "--output", temperature.toString()).ok();
        variant(tuned, "thresholds_other.json", "class_names", List.of("w", "x", "y", "z"));
        variant(tuned, "thresholds_binary.json", "task", "binary");
        Map<String, Object> two = Cli.JSON.readValue(tuned.toFile(),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        for (String k : List.of("thresholds", "objective_values", "fell_back", "class_names")) {
            two.put(k, ((List<?>) two.get(k)).subList(0, 2));
        }
        Files.writeString(dir.resolve("thresholds_count.json"), Cli.JSON.writeValueAsString(two));
        variant(tuned, "thresholds_range.json", "thresholds", List.of(0.5, 1.5, 0.5, 0.5));
        variant(temperature, "temperature_tiny.json", "temperature", 1e-300);
        variant(temperature, "temperature_other.json", "class_names", List.of("a", "b"));
        variant(temperature, "temperature_negative.json", "temperature", -1.0);
        Files.writeString(dir.resolve("sr.csv"), "16000\n");
        // links
        Files.createSymbolicLink(dir.resolve("link_to_x.npy"), Path.of(X));
        Files.createSymbolicLink(dir.resolve("dangling_link"), dir.resolve("nowhere"));

        String[] eval = {"evaluate", "--model", M, "--inputs", X, "--labels", Y};

        // ---- npy files
        add("npy", "negative dimension", 3, List.of("negative_dim.npy", "[-3, 64]", "dimensions >= 0"),
                "evaluate", "--model", M, "--inputs", f("negative_dim.npy"), "--labels", Y);
        add("npy", "element count overflows", 3, List.of("overflow.npy", "overflows 64 bits"),
                "evaluate", "--model", M, "--inputs", f("overflow.npy"), "--labels", Y);
        add("npy", "byte count wraps", 3, List.of("bytes_wrap.npy", "overflows 64 bits"),
                "evaluate", "--model", M, "--inputs", X, "--labels", f("bytes_wrap.npy"));
        add("npy", "200 KB header is not echoed", 3, List.of("huge_header.npy", "more characters"),
                "evaluate", "--model", M, "--inputs", f("huge_header.npy"), "--labels", Y);
        add("npy", "control characters in the header", 3, List.of("escape_header.npy", "\\u001b"),
                "evaluate", "--model", M, "--inputs", f("escape_header.npy"), "--labels", Y);
        add("npy", "Fortran order", 3, List.of("fortran.npy", "Fortran"),
                "evaluate", "--model", M, "--inputs", f("fortran.npy"), "--labels", Y);
        add("npy", "object dtype", 3, List.of("object.npy", "object arrays"),
                "evaluate", "--model", M, "--inputs", X, "--labels", f("object.npy"));
        add("npy", "truncated data", 3, List.of("truncated.npy", "truncated"),
                "evaluate", "--model", M, "--inputs", f("truncated.npy"), "--labels", Y);
        add("npy", "named .npy without the magic", 3, List.of("not_really.npy", "magic string"),
                "evaluate", "--model", M, "--inputs", f("not_really.npy"), "--labels", Y);
        add("npy", "63 columns for 64", 3, List.of("wide.npy", "'pixels'", "64 values per row", "found 63"),
                "evaluate", "--model", M, "--inputs", f("wide.npy"), "--labels", Y);
        add("npy", "0-d features", 3, List.of("scalar.npy", "0-d"),
                "evaluate", "--model", M, "--inputs", f("scalar.npy"), "--labels", Y);
        add("npy", "inputs and labels disagree on rows", 3, List.of("x_rows.npy", "100", "360"),
                "evaluate", "--model", M, "--inputs", f("x_rows.npy"), "--labels", Y);
        add("npy", "infinite feature names the input", 3, List.of("input 'pixels' holds Infinity at row 5",
                "column 7"), "evaluate", "--model", M, "--inputs", f("x_inf.npy"), "--labels", Y);

        // ---- labels
        add("labels", "fractional label", 3, List.of("y_fraction.npy", "7.5", "not an integer"),
                "evaluate", "--model", M, "--inputs", X, "--labels", f("y_fraction.npy"));
        add("labels", "label out of range", 3, List.of("y_range.npy", "label 10 at row 4", "out of range", "0 to 9"),
                "evaluate", "--model", M, "--inputs", X, "--labels", f("y_range.npy"));
        add("labels", "negative label", 3, List.of("y_negative.npy", "label -1 at row 2"),
                "evaluate", "--model", M, "--inputs", X, "--labels", f("y_negative.npy"));
        add("labels", "NaN label", 3, List.of("y_nan.npy", "row 9"),
                "evaluate", "--model", M, "--inputs", X, "--labels", f("y_nan.npy"));
        add("labels", "too few labels", 3, List.of("y_rows.npy", "100"),
                "evaluate", "--model", M, "--inputs", X, "--labels", f("y_rows.npy"));
        add("labels", "one-hot labels for a multiclass model", 3, List.of("y_onehot.npy", "argmax"),
                "evaluate", "--model", M, "--inputs", X, "--labels", f("y_onehot.npy"));
        add("labels", "multi-label matrix with a 2", 3, List.of("y_matrix_two.npy", "row 1", "0 or 1"),
                "evaluate", "--model", SIG, "--inputs", X, "--labels", f("y_matrix_two.npy"));
        add("labels", "class labels for a multi-label model", 3, List.of("digits_test_y.npy", "[360]"),
                "evaluate", "--model", SIG, "--inputs", X, "--labels", Y);

        // ---- CSV
        add("csv", "empty CSV", 3, List.of("empty.csv"),
                "evaluate", "--model", M, "--inputs", f("empty.csv"), "--labels", Y);
        add("csv", "header only", 3, List.of("header_only.csv"),
                "evaluate", "--model", M, "--inputs", f("header_only.csv"), "--labels", Y);
        add("csv", "ragged row", 3, List.of("ragged.csv", "line"),
                "predict", "--model", M, "--inputs", f("ragged.csv"));
        add("csv", "text in a feature cell", 3, List.of("text_cell.csv", "'cat'"),
                "predict", "--model", M, "--inputs", f("text_cell.csv"));
        add("csv", "unclosed quote", 3, List.of("quote.csv", "never closed"),
                "predict", "--model", M, "--inputs", f("quote.csv"));
        add("csv", "input given once from a CSV file", 3, List.of("no batch axis", "--inputs sr=VALUE"),
                "evaluate", "--model", Cli.model("state_inputs"), "--inputs", "x=" + BX, "--inputs",
                "state=" + Cli.data("exports_state.npy"), "--inputs", "sr=" + f("sr.csv"), "--labels", BY);

        // ---- files that are not there, or not files
        add("files", "missing model", 3, List.of("nope.onnx", "not found"),
                "evaluate", "--model", f("nope.onnx"), "--inputs", X, "--labels", Y);
        add("files", "model is a directory", 3, List.of("model_dir.onnx", "is a directory"),
                "inspect", "--model", f("model_dir.onnx"));
        add("files", "inputs is a directory", 3, List.of("a_directory", "is a directory"),
                "evaluate", "--model", M, "--inputs", f("a_directory"), "--labels", Y);
        add("files", "labels is a directory", 3, List.of("a_directory", "is a directory"),
                "evaluate", "--model", M, "--inputs", X, "--labels", f("a_directory"));
        add("files", "thresholds is a directory", 3, List.of("a_directory", "is a directory"),
                "evaluate", "--model", SIG, "--inputs", X, "--labels", XA, "--thresholds", f("a_directory"));
        add("files", "missing labels", 3, List.of("none.npy", "not found"),
                "evaluate", "--model", M, "--inputs", X, "--labels", f("none.npy"));
        add("files", "missing inputs", 3, List.of("none.npy", "not found"),
                "predict", "--model", M, "--inputs", f("none.npy"));

        // ---- models
        add("model", "text file", 3, List.of("text.onnx", "not an ONNX model"), "inspect", "--model", f("text.onnx"));
        add("model", "cut in half", 3, List.of("cut.onnx", "truncated"), "inspect", "--model", f("cut.onnx"));
        add("model", "empty file", 3, List.of("empty.onnx", "empty"), "inspect", "--model", f("empty.onnx"));
        add("model", "output kind unknown", 3, List.of("tanh_scores.onnx", "Tanh", "--output-kind"),
                "evaluate", "--model", Cli.model("tanh_scores"), "--inputs", X, "--labels", Y);
        add("model", "single logit column without --task", 3, List.of("breast_cancer_logit.onnx", "--task binary"),
                "evaluate", "--model", Cli.model("breast_cancer_logit"), "--inputs", BX, "--labels", BY);
        add("model", "no such output", 3, List.of("'nope'", "[logits]"),
                "evaluate", "--model", M, "--model-output", "nope", "--inputs", X, "--labels", Y);
        add("model", "an int64 output chosen as the scores", 3, List.of("'label'", "tensor(int64)",
                "float tensor of scores"), "inspect", "--model", Cli.model("digits_zipmap_int64"), "--model-output",
                "label");
        add("model", "wrong input name", 3, List.of("'foo'", "[pixels]"),
                "evaluate", "--model", M, "--inputs", "foo=" + X, "--labels", Y);
        add("model", "a multi-input model without names", 3, List.of("input_ids", "attention_mask", "NAME=PATH"),
                "predict", "--model", TOK, "--inputs", Cli.data("tokens_test_ids.npy"));
        add("model", "the same input twice", 3, List.of("'input_ids' twice"),
                "predict", "--model", TOK, "--inputs", "input_ids=" + Cli.data("tokens_test_ids.npy"), "--inputs",
                "input_ids=" + Cli.data("tokens_test_mask.npy"));
        add("model", "a value for an input with rows", 3, List.of("16000"),
                "predict", "--model", M, "--inputs", "pixels=16000");
        add("model", "two values for a scalar input", 3, List.of("sr=16000,8000", "expected 1 value"),
                "evaluate", "--model", Cli.model("state_inputs"), "--inputs", "x=" + BX, "--inputs",
                "state=" + Cli.data("exports_state.npy"), "--inputs", "sr=16000,8000", "--labels", BY);
        add("model", "a state in the wrong layout", 3, List.of("'state'", "batch on axis 1"),
                "evaluate", "--model", Cli.model("state_inputs"), "--inputs", "x=" + BX, "--inputs",
                "state=" + BX, "--inputs", "sr=16000", "--labels", BY);

        // ---- threshold and calibration files
        add("json", "not JSON", 3, List.of("not.json", "not a JSON object"),
                "evaluate", "--model", SIG, "--inputs", X, "--labels", XA, "--thresholds", f("not.json"));
        add("json", "duplicate key", 3, List.of("dup.json", "Duplicate field 'threshold'"),
                "evaluate", "--model", SIG, "--inputs", X, "--labels", XA, "--thresholds", f("dup.json"));
        add("json", "thresholds for other class names", 3, List.of("thresholds_other.json", "[w, x, y, z]",
                "[0, 1, 2, 3]"), "evaluate", "--model", SIG, "--inputs", X, "--labels", XA, "--thresholds",
                f("thresholds_other.json"));
        add("json", "thresholds for another task", 3, List.of("thresholds_binary.json", "binary model"),
                "evaluate", "--model", SIG, "--inputs", X, "--labels", XA, "--thresholds",
                f("thresholds_binary.json"));
        add("json", "thresholds for two of four labels", 3, List.of("thresholds_count.json", "2 classes", "has 4"),
                "evaluate", "--model", SIG, "--inputs", X, "--labels", XA, "--thresholds",
                f("thresholds_count.json"));
        add("json", "threshold 1.5", 3, List.of("thresholds_range.json", "1.5"),
                "evaluate", "--model", SIG, "--inputs", X, "--labels", XA, "--thresholds",
                f("thresholds_range.json"));
        add("json", "thresholds for a multiclass model", 3, List.of("multiclass", "does not apply"),
                "evaluate", "--model", M, "--inputs", X, "--labels", Y, "--thresholds", f("thresholds_count.json"));
        add("json", "thresholds file given to --calibration", 3, List.of("thresholds_count.json",
                "thresholds written by logits4j tune-thresholds", "--thresholds"),
                "evaluate", "--model", M, "--inputs", X, "--labels", Y, "--calibration", f("thresholds_count.json"));
        add("json", "temperature file given to --thresholds", 3, List.of("temperature.json", "--calibration"),
                "evaluate", "--model", SIG, "--inputs", X, "--labels", XA, "--thresholds", f("temperature.json"));
        add("json", "temperature for other class names", 3, List.of("temperature_other.json", "[a, b]"),
                "evaluate", "--model", M, "--inputs", X, "--labels", Y, "--calibration",
                f("temperature_other.json"));
        add("json", "negative temperature", 3, List.of("temperature_negative.json", "-1"),
                "evaluate", "--model", M, "--inputs", X, "--labels", Y, "--calibration",
                f("temperature_negative.json"));
        add("json", "a temperature of 1e-300 overflows the logits", 3, List.of("temperature 1.0E-300", "NaN",
                "finite logits"), "evaluate", "--model", M, "--inputs", X, "--labels", Y, "--calibration",
                f("temperature_tiny.json"));
        add("json", "a temperature for a model that emits probabilities", 3, List.of("digits_softmax.onnx",
                "not logits"), "evaluate", "--model", Cli.model("digits_softmax"), "--inputs", X, "--labels", Y,
                "--calibration", f("temperature.json"));

        // ---- options (exit 2)
        add("options", "unknown option", 2, List.of("--lables", "did you mean"), "evaluate", "--model", M,
                "--inputs", X, "--lables", Y);
        add("options", "bad --format", 2, List.of("--format", "xml"), add(eval, "--format", "xml"));
        add("options", "--batch-size 0", 2, List.of("--batch-size", "at least 1"), add(eval, "--batch-size", "0"));
        add("options", "--top-k 0", 2, List.of("--top-k"), add(eval, "--top-k", "0"));
        add("options", "--threshold 2", 2, List.of("--threshold", "2"), "evaluate", "--model", SIG, "--inputs", X,
                "--labels", XA, "--threshold", "2");
        add("options", "--threshold and --thresholds", 2, List.of("--threshold", "--thresholds"), "evaluate",
                "--model", SIG, "--inputs", X, "--labels", XA, "--threshold", "0.3", "--thresholds",
                f("thresholds_count.json"));
        add("options", "--task nonsense", 2, List.of("--task", "nonsense"), add(eval, "--task", "nonsense"));
        add("options", "--output-kind nonsense", 2, List.of("--output-kind"), add(eval, "--output-kind", "odds"));
        add("options", "--provider nonsense", 2, List.of("--provider", "tpu"), add(eval, "--provider", "tpu"));
        add("options", "--rank-metrics nonsense", 2, List.of("--rank-metrics", "binned:1"),
                add(eval, "--rank-metrics", "binned:1"));
        add("options", "--csv-formulas nonsense", 2, List.of("--csv-formulas"), "predict", "--model", M,
                "--inputs", X, "--csv-formulas", "maybe");
        add("options", "--header nonsense", 2, List.of("--header"), add(eval, "--header", "maybe"));
        add("options", "--delimiter of two characters", 2, List.of("--delimiter"), add(eval, "--delimiter", ";;"));
        add("options", "missing --labels", 2, List.of("--labels"), "evaluate", "--model", M, "--inputs", X);
        add("options", "--task binary for ten outputs", 3, List.of("binary", "10"), add(eval, "--task", "binary"));

        // ---- --output
        add("output", "--output is the model", 3, List.of("reads"), add(eval, "--output", M));
        add("output", "--output is the inputs", 3, List.of("reads"), add(eval, "--output", X));
        add("output", "--output is the labels", 3, List.of("reads"), add(eval, "--output", Y));
        add("output", "--output is the thresholds file", 3, List.of("reads"), "evaluate", "--model", SIG,
                "--inputs", X, "--labels", XA, "--thresholds", f("thresholds_count.json"), "--output",
                f("thresholds_count.json"));
        add("output", "--output is a link to the inputs", 3, List.of("link_to_x.npy", "through a link"),
                add(eval, "--output", f("link_to_x.npy")));
        add("output", "--output is a dangling link", 3, List.of("dangling_link", "symbolic link"),
                add(eval, "--output", f("dangling_link")));
        add("output", "--output is a directory", 3, List.of("a_directory", "is a directory"),
                add(eval, "--output", f("a_directory")));
        add("output", "--output in a missing directory", 3, List.of("does not exist"),
                add(eval, "--output", f("missing_dir/report.json")));
        add("output", "inspect --output is the model", 3, List.of("reads"), "inspect", "--model", M, "--output", M);
        add("output", "calibrate --output and --html name one file", 3,
                List.of("--html names the same file as --output"), "calibrate", "--model", M, "--inputs", X,
                "--labels", Y, "--output", f("both.json"), "--html", f("both.json"));

        // ---- shapes, labels, names and special files (issue 22)
        add("shapes", ".npy rows of another shape with as many values", 3, List.of("x_8x8.npy", "'pixels'",
                "[8, 8]", "[64]", "--reshape-inputs"), "evaluate", "--model", M, "--inputs", f("x_8x8.npy"),
                "--labels", Y);
        add("labels", "bool labels for a ten-class model", 3, List.of("bool_labels.npy", "bool",
                "class indices [N] from 0 to 9"), "evaluate", "--model", M, "--inputs", X, "--labels",
                f("bool_labels.npy"));
        add("names", "--class-names with a name twice", 2, List.of("--class-names", "classes 0 and 1", "'a'",
                "unique"), add(eval, "--class-names", "a,a,b,c,d,e,f,g,h,i"));
        add("names", "--class-names with an empty name", 2, List.of("--class-names", "class 2", "empty"),
                add(eval, "--class-names", "a,b,,c,d,e,f,g,h,i"));
        add("files", "--model is /dev/null", 3, List.of("/dev/null", "not a regular file"), "evaluate", "--model",
                "/dev/null", "--inputs", X, "--labels", Y);
        add("files", "--inputs is /dev/zero", 3, List.of("/dev/zero", "not a regular file", "input"), "evaluate",
                "--model", M, "--inputs", "/dev/zero", "--labels", Y);
        add("files", "--inputs names a value for a batched input", 3, List.of("16000", "is a value, not a file",
                "'pixels'", "given once"), "evaluate", "--model", M, "--inputs", "pixels=16000", "--labels", Y);
        add("files", "a CSV field longer than the reader takes", 3, List.of("huge_field.csv", "line 1", "longer than 16 MiB"),
                "evaluate", "--model", M, "--inputs", f("huge_field.csv"), "--labels", Y);

        add("json", "NaN in a thresholds file", 3, List.of("nan_thresholds.json", "NaN or Infinity", "line 1"),
                "evaluate", "--model", SIG, "--inputs", X, "--labels", XA, "--thresholds", f("nan_thresholds.json"));

        // ---- probability rows (issue 21)
        add("rows", "--row-sum-tolerance out of range", 2, List.of("--row-sum-tolerance is 2.0"),
                add(eval, "--row-sum-tolerance", "2"));
        String gnb = Golden.testdata().resolve("models").resolve("converters").resolve("sk_gaussian_nb.onnx")
                .toString();
        add("rows", "float32 probability rows that drift beyond the tolerance", 3,
                List.of("sum to 1.002", "--row-sum-tolerance", "row 83"), "evaluate", "--model", gnb, "--inputs", X,
                "--labels", Y);

        // ---- memory
        addEnv("memory", "exact rank metrics that do not fit", 3, List.of("360 rows x 10 classes",
                "--rank-metrics binned"), Map.of(RankMemory.HEAP_LIMIT, "10000"), eval);
    }

    /** A copy of the JSON file {@code from} with {@code key} set to {@code value}. */
    private static void variant(Path from, String name, String key, Object value) throws IOException {
        Map<String, Object> map = Cli.JSON.readValue(from.toFile(),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        map.put(key, value);
        Files.writeString(dir.resolve(name), Cli.JSON.writeValueAsString(map));
    }

    private static String[] add(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private static float[] fractional(int n, int at, float value) {
        float[] v = new float[n];
        v[at] = value;
        return v;
    }

    private static float[] readFloats(String npy) throws IOException {
        byte[] all = Files.readAllBytes(Path.of(npy));
        int headerLength = (all[8] & 0xff) | (all[9] & 0xff) << 8;
        ByteBuffer b = ByteBuffer.wrap(all, 10 + headerLength, all.length - 10 - headerLength)
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    /** Names, sizes and modification times of the fixture directory and the test data: what must not change. */
    private static Map<String, String> snapshot() throws IOException {
        Map<String, String> m = new TreeMap<>();
        Path t = Golden.testdata();
        for (Path root : List.of(dir, t.resolve("data"), t.resolve("models"), t.resolve("golden"))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        m.put(p.toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
                    } else if (Files.isSymbolicLink(p)) {
                        m.put(p.toString(), "link");
                    }
                }
            }
        }
        return m;
    }

    @TestFactory
    Stream<DynamicTest> everyBadInput() throws IOException {
        assertTrue(CASES.size() >= 60, "the table has " + CASES.size() + " cases; keep at least 60");
        Map<String, String> before = snapshot();
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.category() + ": " + c.id(), () -> {
            List<String> args = new ArrayList<>(List.of(c.args()));
            Path report = dir.resolve("report-" + Math.abs(c.id().hashCode()) + ".out");
            boolean ownOutput = args.contains("--output");
            if (!ownOutput && !args.contains("--lables") && !c.id().startsWith("missing --labels")) {
                args.add("--output");
                args.add(report.toString());
            }
            Cli.Result r = Cli.runWith(c.env(), args.toArray(new String[0]));
            r.fails(c.exit(), c.words().toArray(new String[0]));
            assertFalse(Files.exists(report), "no report file was created");
            Map<String, String> after = snapshot();
            if (!after.equals(before)) {
                Map<String, String> diff = new TreeMap<>(after);
                diff.entrySet().removeAll(before.entrySet());
                Map<String, String> gone = new TreeMap<>(before);
                gone.entrySet().removeAll(after.entrySet());
                before.clear();
                before.putAll(after);
                throw new AssertionError("files changed or appeared: " + diff + "; changed or gone: " + gone);
            }
        }));
    }

    @Test
    void overwritingAReportKeepsItsPermissionsAndWritesThroughALink() throws Exception {
        Path target = Files.writeString(dir.resolve("kept.json"), "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
        Path link = Files.createSymbolicLink(dir.resolve("report_link.json"), target);
        Cli.run("inspect", "--model", M, "--format", "json", "--output", link.toString()).ok();
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertTrue(Files.readString(target).contains("\"output_kind\""), "the report went through the link");
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(target);
        assertEquals(PosixFilePermissions.fromString("rw-r-----"), perms);
    }

    @Test
    void emptyDataSetsAreAnErrorNotANaNLoss() throws Exception {
        Path x0 = NpyFiles.float32(dir.resolve("x0.npy"), new float[0], 0, 64);
        Path y0 = NpyFiles.int64(dir.resolve("y0.npy"), new long[0], 0);
        Cli.run("evaluate", "--model", M, "--inputs", x0.toString(), "--labels", y0.toString())
                .fails(Main.EXIT_DATA, "no data rows");
    }
}
