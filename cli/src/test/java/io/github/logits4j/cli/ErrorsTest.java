package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every failure is one line on standard error naming the file and the problem, exit code 2 (command line) or 3
 * (model or data), nothing on standard output and no stack trace unless {@code --verbose}.
 */
class ErrorsTest {
    static final String DIGITS = Cli.model("digits_logits");
    static final String X = Cli.data("digits_test_x.npy");
    static final String Y = Cli.data("digits_test_y.npy");

    @TempDir
    Path dir;

    @Test
    void missingModelFile() {
        Cli.run("evaluate", "--model", dir.resolve("nope.onnx").toString(), "--inputs", X, "--labels", Y)
                .fails(Main.EXIT_DATA, "nope.onnx", "not found");
    }

    @Test
    void corruptModel() throws Exception {
        byte[] model = Files.readAllBytes(Path.of(DIGITS));
        Path corrupt = Files.write(dir.resolve("corrupt.onnx"), Arrays.copyOf(model, 200));
        Cli.run("evaluate", "--model", corrupt.toString(), "--inputs", X, "--labels", Y)
                .fails(Main.EXIT_DATA, "corrupt.onnx");
        Path text = Files.writeString(dir.resolve("text.onnx"), "this is not a model\n");
        Cli.run("inspect", "--model", text.toString()).fails(Main.EXIT_DATA, "text.onnx", "not an ONNX model");
    }

    @Test
    void dataWithTheWrongNumberOfColumns() {
        String x = Cli.data("breast_cancer_test_x.npy");
        Cli.run("evaluate", "--model", DIGITS, "--inputs", x, "--labels", Cli.data("breast_cancer_test_y.npy"))
                .fails(Main.EXIT_DATA, "breast_cancer_test_x.npy", "'pixels'", "64 values per row", "found 30");
        Cli.run("predict", "--model", DIGITS, "--inputs", x).fails(Main.EXIT_DATA, "breast_cancer_test_x.npy",
                "found 30");
    }

    @Test
    void csvWithTheWrongNumberOfColumns() throws Exception {
        Path csv = Files.writeString(dir.resolve("narrow.csv"), "a,b,label\n1,2,0\n3,4,1\n");
        Cli.run("evaluate", "--model", DIGITS, "--inputs", csv.toString(), "--labels", csv.toString())
                .fails(Main.EXIT_DATA, "narrow.csv", "64 values per row", "found 2 (2 feature columns)");
    }

    @Test
    void labelOutOfRange() throws Exception {
        long[] y = new long[360];
        y[123] = 10;
        Path labels = NpyFiles.int64(dir.resolve("labels.npy"), y, 360);
        Cli.run("evaluate", "--model", DIGITS, "--inputs", X, "--labels", labels.toString(), "--batch-size", "50")
                .fails(Main.EXIT_DATA, "labels.npy", "label 10 at row 123", "10 classes");
        long[] binary = new long[114];
        binary[5] = 2;
        Path bin = NpyFiles.int64(dir.resolve("binary.npy"), binary, 114);
        Cli.run("evaluate", "--model", Cli.model("breast_cancer_logit"), "--task", "binary", "--inputs",
                Cli.data("breast_cancer_test_x.npy"), "--labels", bin.toString())
                .fails(Main.EXIT_DATA, "binary.npy", "label 2 at row 5", "0 or 1");
    }

    @Test
    void labelMatrixThatIsNotZeroOne() throws Exception {
        long[] y = new long[360 * 4];
        y[4 * 7 + 2] = 3;
        Path labels = NpyFiles.int64(dir.resolve("tags.npy"), y, 360, 4);
        Cli.run("evaluate", "--model", Cli.model("digits_attributes_sigmoid"), "--inputs", X, "--labels",
                labels.toString()).fails(Main.EXIT_DATA, "tags.npy", "label 3 at row 7, column 2", "0 or 1");
        Cli.run("evaluate", "--model", Cli.model("digits_attributes_sigmoid"), "--inputs", X, "--labels", Y)
                .fails(Main.EXIT_DATA, "digits_test_y.npy", "a 0/1 matrix [N, 4]");
    }

    @Test
    void nanInTheModelOutputNamesTheRow() throws Exception {
        Path nan = NpyFiles.float32(dir.resolve("nan_pixels.npy"), EvaluateCommandTest.nanAt(250), 360, 64);
        Cli.run("evaluate", "--model", DIGITS, "--inputs", nan.toString(), "--labels", Y, "--batch-size", "100")
                .fails(Main.EXIT_DATA, "nan_pixels.npy", "NaN at row 250");
        Cli.run("predict", "--model", DIGITS, "--inputs", nan.toString(), "--batch-size", "64",
                "--output", dir.resolve("p.csv").toString())
                .fails(Main.EXIT_DATA, "nan_pixels.npy", "NaN at row 250");
        assertTrue(Files.notExists(dir.resolve("p.csv")));
    }

    @Test
    void inputsAndLabelsWithDifferentRowCounts() throws Exception {
        Cli.run("evaluate", "--model", DIGITS, "--inputs", X, "--labels", Cli.data("breast_cancer_test_y.npy"))
                .fails(Main.EXIT_DATA, "breast_cancer_test_y.npy has 114 rows", "digits_test_x.npy has 360");
        // a CSV file's rows are known only at its end
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            sb.append(i % 10).append('\n');
        }
        Path shortLabels = Files.writeString(dir.resolve("short.csv"), sb);
        Cli.run("evaluate", "--model", DIGITS, "--inputs", X, "--labels", shortLabels.toString(),
                "--batch-size", "128").fails(Main.EXIT_DATA, "short.csv has 300 rows", "digits_test_x.npy has 360");
        Path longLabels = Files.writeString(dir.resolve("long.csv"), sb.toString() + sb);
        Cli.run("evaluate", "--model", DIGITS, "--inputs", X, "--labels", longLabels.toString())
                .fails(Main.EXIT_DATA, "long.csv has 600 rows", "digits_test_x.npy has 360");
    }

    @Test
    void fortranOrderAndObjectArrays() {
        Cli.run("evaluate", "--model", DIGITS, "--inputs", Cli.npy("fortran_order.npy").toString(), "--labels", Y)
                .fails(Main.EXIT_DATA, "fortran_order.npy", "Fortran order");
        Cli.run("predict", "--model", DIGITS, "--inputs", Cli.npy("object_array.npy").toString())
                .fails(Main.EXIT_DATA, "object_array.npy", "not supported");
    }

    @Test
    void missingDataFile() {
        Cli.run("evaluate", "--model", DIGITS, "--inputs", dir.resolve("x.npy").toString(), "--labels", Y)
                .fails(Main.EXIT_DATA, "x.npy", "file not found");
        Cli.run("evaluate", "--model", DIGITS, "--inputs", X, "--labels", dir.resolve("y.csv").toString())
                .fails(Main.EXIT_DATA, "y.csv", "file not found");
    }

    @Test
    void malformedCsvRowNamesFileLineAndColumn() throws Exception {
        Path badNumber = Files.writeString(dir.resolve("bad_number.csv"), csv64(5, 17, "abc"));
        Cli.run("predict", "--model", DIGITS, "--inputs", badNumber.toString())
                .fails(Main.EXIT_DATA, "bad_number.csv", "line 7", "column 17 ('p17')", "'abc' is not a number");
        Path shortRow = Files.writeString(dir.resolve("short_row.csv"), csv64(3, -1, null));
        Cli.run("predict", "--model", DIGITS, "--inputs", shortRow.toString())
                .fails(Main.EXIT_DATA, "short_row.csv", "line 5 has 63 fields", "expected 64");
        Path quote = Files.writeString(dir.resolve("quote.csv"), csv64(-1, -1, null) + "\"0.5" + ",0.5".repeat(63)
                + "\n");
        Cli.run("predict", "--model", DIGITS, "--inputs", quote.toString())
                .fails(Main.EXIT_DATA, "quote.csv", "never closed");
    }

    /** A 64-column CSV with a header and 10 rows; row {@code bad} has {@code text} in {@code column}, or a field less. */
    static String csv64(int bad, int column, String text) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < 64; c++) {
            sb.append(c == 0 ? "" : ",").append('p').append(c);
        }
        sb.append('\n');
        for (int r = 0; r < 10; r++) {
            int fields = r == bad && column < 0 ? 63 : 64;
            for (int c = 0; c < fields; c++) {
                sb.append(c == 0 ? "" : ",").append(r == bad && c == column ? text : "0.5");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    @Test
    void wrongInputNames() {
        String ids = Cli.data("tokens_test_ids.npy");
        String tokens = Cli.model("tokens_two_input");
        Cli.run("predict", "--model", tokens, "--inputs", ids).fails(Main.EXIT_DATA, "2 inputs",
                "[input_ids, attention_mask]", "NAME=PATH");
        Cli.run("predict", "--model", tokens, "--inputs", "input_ids=" + ids).fails(Main.EXIT_DATA,
                "no --inputs for the model's input [attention_mask]");
        Cli.run("predict", "--model", tokens, "--inputs", "input_ids=" + ids, "--inputs", "mask=" + ids)
                .fails(Main.EXIT_DATA, "'mask'", "does not have");
    }

    @Test
    void unknownOptionIsAUsageError() {
        Cli.run("evaluate", "--model", DIGITS, "--inputs", X, "--labels", Y, "--colour")
                .fails(Main.EXIT_USAGE, "Unknown option: '--colour'", "logits4j evaluate --help");
        Cli.run("evaluate", "--model", DIGITS, "--inputs", X, "--lables", Y)
                .fails(Main.EXIT_USAGE, "'--lables'", "did you mean");
        Cli.run("frobnicate").fails(Main.EXIT_USAGE, "frobnicate");
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        Cli.run("evaluate", "--model", DIGITS, "--inputs", X).fails(Main.EXIT_USAGE, "Missing required option",
                "--labels");
        Cli.run("tune-thresholds", "--model", DIGITS, "--inputs", X, "--labels", Y)
                .fails(Main.EXIT_USAGE, "--output");
        Cli.run().fails(Main.EXIT_USAGE, "subcommand");
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        Cli.run("evaluate", "--model", DIGITS, "--inputs", X, "--labels", Y, "--format", "xml")
                .fails(Main.EXIT_USAGE, "--format is 'xml'", "text, json");
        Cli.run("evaluate", "--model", DIGITS, "--inputs", X, "--labels", Y, "--task", "regression")
                .fails(Main.EXIT_USAGE, "--task is 'regression'");
        Cli.run("evaluate", "--model", DIGITS, "--inputs", X, "--labels", Y, "--threshold", "0.3",
                "--thresholds", "t.json").fails(Main.EXIT_USAGE, "cannot be used together");
        Cli.run("evaluate", "--model", DIGITS, "--inputs", X, "--labels", Y, "--threshold", "1.5")
                .fails(Main.EXIT_USAGE, "--threshold is 1.5");
        Cli.run("evaluate", "--model", DIGITS, "--inputs", X, "--labels", Y, "--batch-size", "0")
                .fails(Main.EXIT_USAGE, "--batch-size is 0");
        Cli.run("evaluate", "--model", DIGITS, "--inputs", X, "--labels", Y, "--batch-size", "many")
                .fails(Main.EXIT_USAGE, "'many'");
        Cli.run("tune-thresholds", "--model", DIGITS, "--inputs", X, "--labels", Y, "--objective", "fbeta",
                "--output", "t.json").fails(Main.EXIT_USAGE, "needs --beta");
        Cli.run("predict", "--model", DIGITS, "--inputs", X, "--provider", "tpu")
                .fails(Main.EXIT_USAGE, "--provider is 'tpu'");
    }

    @Test
    void optionsThatDoNotFitTheModel() {
        Cli.run("evaluate", "--model", DIGITS, "--inputs", X, "--labels", Y, "--threshold", "0.3")
                .fails(Main.EXIT_DATA, "digits_logits.onnx", "multiclass", "--threshold");
        Cli.run("tune-thresholds", "--model", DIGITS, "--inputs", X, "--labels", Y, "--output",
                dir.resolve("t.json").toString()).fails(Main.EXIT_DATA, "multiclass");
        Cli.run("calibrate", "--model", Cli.model("digits_softmax"), "--inputs", X, "--labels", Y, "--output",
                dir.resolve("t.json").toString()).fails(Main.EXIT_DATA, "digits_softmax.onnx",
                "emits probabilities", "Softmax", "not logits");
        assertTrue(Files.notExists(dir.resolve("t.json")));
    }

    @Test
    void verboseAddsTheStackTrace() {
        Cli.Result r = Cli.run("--verbose", "evaluate", "--model", dir.resolve("nope.onnx").toString(), "--inputs",
                X, "--labels", Y);
        assertEquals(Main.EXIT_DATA, r.exit());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("\tat "), r.err());
        Cli.Result after = Cli.run("evaluate", "--model", dir.resolve("nope.onnx").toString(), "--inputs", X,
                "--labels", Y, "--verbose");
        assertTrue(after.err().contains("\tat "), "--verbose after the subcommand too: " + after.err());
    }

    @Test
    void unexpectedFailuresExitWithOneAndAHint() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main main = new Main(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        int code = Errors.guard(main, () -> {
            throw new UnsupportedOperationException("boom");
        });
        assertEquals(Main.EXIT_UNEXPECTED, code);
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals("error: unexpected java.lang.UnsupportedOperationException: boom (rerun with --verbose for the "
                + "stack trace)\n", text);
    }
}
