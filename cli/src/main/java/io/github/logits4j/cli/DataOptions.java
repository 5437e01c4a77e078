package io.github.logits4j.cli;

import io.github.logits4j.LoadException;
import io.github.logits4j.data.DataSet;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.onnx.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options that say where the model's inputs come from and how to read them: {@code --inputs},
 * {@code --label-columns}, {@code --header}, {@code --delimiter} and {@code --batch-size}.
 *
 * <pre>{@code
 * --inputs x.npy                                              the model's only input
 * --inputs input_ids=ids.npy --inputs attention_mask=mask.npy  one file per named input
 * --inputs data.csv --labels data.csv --label-columns species  features and labels from one CSV file
 * }</pre>
 */
final class DataOptions {
    /** Rows per ONNX Runtime run unless {@code --batch-size} says otherwise. */
    static final int DEFAULT_BATCH_SIZE = DataSet.DEFAULT_BATCH_SIZE;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = {"-i", "--inputs"}, required = true, paramLabel = "[NAME=]PATH",
            description = {"The model's input data: a .npy file (float32, float64, int32, int64 or bool, C order) "
                    + "read through a memory map, or a CSV file read as a stream. A plain PATH feeds the model's only "
                    + "input; repeat NAME=PATH for a model with several inputs. An input with its batch on another "
                    + "axis (a state [2, batch, 128]) is read in that layout; one the model takes once (no batch axis, "
                    + "as inspect shows) takes a 0-d or fixed-shape .npy file or a value: NAME=16000."})
    List<String> inputs;

    @Option(names = "--label-columns", paramLabel = "COLUMN", split = ",",
            description = {"CSV columns holding the labels, by header name or index (counted from 0; -1 is the "
                    + "last), comma-separated. When --labels is the --inputs CSV file, the default is its last column "
                    + "(the last C columns for a multi-label model with C labels) and the other columns are the "
                    + "features; when --labels is another CSV file, the default is all of its columns. Without a CSV "
                    + "--labels, these columns of the --inputs CSV are left out of the features."})
    List<String> labelColumns;

    @Option(names = "--header", paramLabel = "MODE", defaultValue = "auto",
            description = "Whether CSV files start with a header row: auto, yes or no (default: ${DEFAULT-VALUE}: "
                    + "a header when the first row has a field that is not a number).")
    String header;

    @Option(names = "--reshape-inputs",
            description = "Let a .npy input file whose rows hold as many values as the model input's rows in another"
                    + " shape (a [N, 8, 8] file for a [batch, 64] input) be read in row-major order (default: refused,"
                    + " naming both shapes; CSV rows are flat and always reshaped).")
    boolean reshapeInputs;

    @Option(names = "--delimiter", paramLabel = "CHAR", defaultValue = ",",
            description = "The CSV field delimiter (default: '${DEFAULT-VALUE}'; 'tab' for a tab).")
    String delimiter;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", defaultValue = "" + DEFAULT_BATCH_SIZE,
            description = "Rows read and run at a time (default: ${DEFAULT-VALUE}); memory grows with it.")
    int batchSize;

    /** Checks the option values before anything is read (a ParameterException, exit 2). */
    void validate() {
        header();
        delimiter();
        if (batchSize < 1) {
            throw usage("--batch-size is " + batchSize + "; expected at least 1");
        }
        if (labelColumns != null) {
            for (String c : labelColumns) {
                if (c.isBlank()) {
                    throw usage("--label-columns has an empty entry; expected names or indices separated by commas");
                }
            }
        }
        for (String in : inputs) {
            if (in.isBlank() || in.endsWith("=")) {
                throw usage("--inputs '" + in + "' names no file; expected PATH or NAME=PATH");
            }
        }
    }

    /** The files {@code --inputs} names (the PATH of each NAME=PATH, or the PATH), for checks on {@code --output}. */
    List<Path> files() {
        List<Path> files = new ArrayList<>();
        for (String in : inputs) {
            int eq = in.indexOf('=');
            files.add(Path.of(eq > 0 && !Files.exists(Path.of(in)) ? in.substring(eq + 1) : in));
        }
        return files;
    }

    /**
     * Opens the data the options name (and {@code labels}, if not null) for {@code model}: the library's
     * {@link DataSet}, with messages that name this tool's options.
     *
     * @throws LoadException if the files cannot be read or do not fit the model
     */
    DataSet open(OnnxClassifier model, Path labels) throws LoadException {
        DataSet.Builder b = DataSet.builder(model).settingNames(Setting::option).batchSize(batchSize)
                .delimiter(delimiter()).reshapeInputs(reshapeInputs);
        Boolean hasHeader = header();
        if (hasHeader != null) {
            b.header(hasHeader);
        }
        if (labelColumns != null) {
            b.labelColumns(labelColumns);
        }
        for (String in : inputs) {
            b.input(in);
        }
        if (labels != null) {
            b.labels(labels);
        }
        return b.open();
    }

    /** {@code --header}: null for auto, else whether there is a header row. */
    Boolean header() {
        switch (header.trim().toLowerCase(Locale.ROOT)) {
            case "auto":
                return null;
            case "yes":
            case "true":
                return Boolean.TRUE;
            case "no":
            case "false":
                return Boolean.FALSE;
            default:
                throw usage("--header is '" + header + "'; expected auto, yes or no");
        }
    }

    /** {@code --delimiter} as one character. */
    char delimiter() {
        if (delimiter.equalsIgnoreCase("tab") || delimiter.equals("\\t")) {
            return '\t';
        }
        if (delimiter.length() != 1 || delimiter.equals("\"") || delimiter.equals("\n") || delimiter.equals("\r")) {
            throw usage("--delimiter is '" + delimiter + "'; expected one character (or 'tab'), not a quote or a "
                    + "line break");
        }
        return delimiter.charAt(0);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
