package io.github.logits4j.cli;

import io.github.logits4j.LoadException;
import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.data.DataException;
import io.github.logits4j.onnx.ExecutionProvider;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.onnx.Setting;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options that choose and open the model, shared by every command: {@code --model}, {@code --task},
 * {@code --output-kind}, {@code --provider}, {@code --model-output} and {@code --class-names}.
 *
 * <pre>{@code
 * @Mixin ModelOptions model;
 * ...
 * try (OnnxClassifier classifier = model.open(batchSize)) { ... }
 * }</pre>
 */
final class ModelOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "PATH", description = "The ONNX model file.")
    Path model;

    @Option(names = "--task", paramLabel = "TASK", defaultValue = "auto",
            description = "auto, multiclass, multilabel or binary (default: ${DEFAULT-VALUE}: from the model's "
                    + "metadata and graph).")
    String task;

    @Option(names = "--output-kind", paramLabel = "KIND", defaultValue = "auto",
            description = "What the model emits: auto, logits, probabilities, log-probabilities or decision-values"
                    + " (raw SVM or ridge scores; default: "
                    + "${DEFAULT-VALUE}: from the model's metadata and graph, never from the values).")
    String outputKind;

    @Option(names = "--provider", paramLabel = "PROVIDER", defaultValue = "cpu",
            description = "cpu, cuda or auto (default: ${DEFAULT-VALUE}, as in the library; auto: CUDA when it can be"
                    + " used, else the CPU, with the reason logged once on standard error; the report says which"
                    + " ran).")
    String provider;

    @Option(names = "--model-output", paramLabel = "NAME",
            description = "The model output holding the scores (default: the only float or ZipMap output).")
    String modelOutput;

    @Option(names = "--class-axis", paramLabel = "AXIS", defaultValue = "auto",
            description = "Where a dense output's classes lie: first ([batch, classes, ...], axis 1, as segmentation"
                    + " models), last ([batch, ..., classes], as token classifiers), or auto (default: from the"
                    + " graph).")
    String classAxis;

    @Option(names = "--class-names", paramLabel = "NAME", split = ",",
            description = "The class names in index order, comma-separated (default: from the model's metadata, "
                    + "output name or ZipMap, else the indices).")
    List<String> classNames;

    @Option(names = "--class-names-file", paramLabel = "FILE",
            description = "The class names in index order, one a line (a labels.txt, UTF-8), instead of"
                    + " --class-names; for a token classifier, IOB2 or IOBES tags give entity metrics.")
    Path classNamesFile;

    /** Checks the option values before anything is read (a ParameterException, exit 2). */
    void validate() {
        task();
        outputKind();
        provider();
        classAxis();
        if (classNames != null && classNamesFile != null) {
            throw usage("--class-names and --class-names-file both name the classes; give one");
        }
        if (classNames != null) {
            try {
                io.github.logits4j.onnx.OnnxClassifier.checkClassNames(classNames);
            } catch (IllegalArgumentException e) {
                throw usage("--class-names: " + e.getMessage().replaceFirst("^classNames: ", ""));
            }
        }
    }

    private io.github.logits4j.DenseScores.ClassAxis classAxis() {
        return switch (classAxis.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> null;
            case "first", "1" -> io.github.logits4j.DenseScores.ClassAxis.FIRST;
            case "last", "-1" -> io.github.logits4j.DenseScores.ClassAxis.LAST;
            default -> throw usage("--class-axis is '" + classAxis + "'; expected auto, first (1) or last (-1)");
        };
    }

    private Task task() {
        if (task.equalsIgnoreCase("auto")) {
            return null;
        }
        try {
            return Task.parse(task);
        } catch (IllegalArgumentException e) {
            throw usage("--task is '" + task + "'; expected auto, multiclass, multilabel or binary");
        }
    }

    private OutputKind outputKind() {
        switch (outputKind.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "auto":
                return null;
            case "logits":
                return OutputKind.LOGITS;
            case "probabilities":
                return OutputKind.PROBABILITIES;
            case "log-probabilities":
                return OutputKind.LOG_PROBABILITIES;
            case "decision-values":
                return OutputKind.DECISION_VALUES;
            default:
                throw usage("--output-kind is '" + outputKind
                        + "'; expected auto, logits, probabilities, log-probabilities or decision-values");
        }
    }

    private ExecutionProvider provider() {
        try {
            return ExecutionProvider.parse(provider);
        } catch (IllegalArgumentException e) {
            throw usage("--provider is '" + provider + "'; expected auto, cpu or cuda");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /**
     * Opens the model with these settings, for a command that runs it: a model whose output kind or task neither the
     * graph, the metadata nor the options tell is refused, naming the option that settles it.
     *
     * @param batchSize the most rows per ONNX Runtime run
     * @throws LoadException if the model is missing, corrupt or cannot run as configured
     * @throws IllegalStateException if the output kind or task is unknown ("say which with --output-kind")
     */
    OnnxClassifier open(int batchSize) throws LoadException {
        return open(batchSize, false);
    }

    /**
     * As {@link #open(int)}; a model with a dense output too when {@code dense} ({@code evaluate} reads those).
     *
     * @throws LoadException if the model is missing, corrupt, cannot run, or (unless {@code dense}) is dense
     */
    OnnxClassifier open(int batchSize, boolean dense) throws LoadException {
        OnnxClassifier classifier = openForInspection(batchSize);
        try {
            classifier.requireResolved();
            if (!dense && classifier.classAxis() != null) {
                throw new LoadException(model + ": output '" + classifier.output() + "' holds dense scores ("
                        + classifier.classes() + " classes at every position, on " + (classifier.classAxis()
                        == io.github.logits4j.DenseScores.ClassAxis.FIRST ? "axis 1" : "the last axis") + "); this"
                        + " command reads one row of scores per sample (evaluate and predict read dense models), and the"
                        + " library reads it with OnnxClassifier.runDense");
            }
            return classifier;
        } catch (IllegalStateException | LoadException e) {
            classifier.close();
            throw e;
        }
    }

    /**
     * The names in {@code file}, one a line (a trailing carriage return and the empty lines at the end dropped).
     *
     * @throws DataException naming the file if it cannot be read, or the line of an empty name
     */
    static List<String> namesFromFile(Path file) {
        List<String> lines;
        try {
            lines = new java.util.ArrayList<>(java.nio.file.Files.readAllLines(file,
                    java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.nio.charset.MalformedInputException e) {
            throw new DataException(file + ": --class-names-file is not UTF-8 text", e);
        } catch (java.io.IOException e) {
            throw new DataException(file + ": cannot read --class-names-file: " + e.getMessage(), e);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).strip().isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        for (int i = 0; i < lines.size(); i++) {
            String name = lines.get(i);
            if (i == 0 && name.startsWith("\uFEFF")) {
                name = name.substring(1);                  // a byte-order mark
            }
            name = name.endsWith("\r") ? name.substring(0, name.length() - 1) : name;
            if (name.isEmpty()) {
                throw new DataException(file + ": line " + (i + 1) + " is empty; expected one class name a line");
            }
            lines.set(i, name);
        }
        if (lines.isEmpty()) {
            throw new DataException(file + ": --class-names-file holds no names; expected one class name a line");
        }
        return lines;
    }

    /**
     * Opens the model with these settings, also when its output kind or task is unknown (for {@code inspect}, which
     * reports what is missing).
     *
     * @throws LoadException if the model is missing, corrupt or cannot run as configured
     */
    OnnxClassifier openForInspection(int batchSize) throws LoadException {
        OnnxClassifier.Builder b = OnnxClassifier.builder(model).provider(provider()).batchSize(batchSize)
                .settingNames(Setting::option);
        Task t = task();
        if (t != null) {
            b.task(t);
        }
        OutputKind k = outputKind();
        if (k != null) {
            b.outputKind(k);
        }
        if (modelOutput != null) {
            b.output(modelOutput);
        }
        if (classNames != null) {
            b.classNames(classNames);
        }
        if (classNamesFile != null) {
            List<String> names = namesFromFile(classNamesFile);
            try {
                b.classNames(names);
            } catch (IllegalArgumentException e) {
                throw new DataException(classNamesFile + ": " + e.getMessage().replaceFirst("^classNames: ", ""), e);
            }
        }
        if (classAxis() != null) {
            b.classAxis(classAxis());
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new DataException(model + ": " + e.getMessage(), e);
        }
    }
}
