package io.github.logits4j.cli;

import io.github.logits4j.data.DataSet;
import io.github.logits4j.data.PredictionWriter;
import io.github.logits4j.onnx.ModelConformal;
import io.github.logits4j.onnx.ModelTemperature;
import io.github.logits4j.metrics.MulticlassMetrics;
import io.github.logits4j.onnx.OnnxClassifier;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code logits4j predict}: streams data through a model and writes one prediction per row, as CSV or JSON lines
 * (see {@link PredictionWriter}); with {@code --output} the file appears whole once every row is written.
 *
 * <pre>{@code
 * $ ./logits4j predict --model digits.onnx --inputs x.npy --top-k 3
 * row,class_1,name_1,probability_1,class_2,...
 * 0,7,7,0.99919724,9,9,8.0027984E-4,...
 * }</pre>
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false, footer = Main.EXIT_CODES,
        description = {"Write one prediction per row: the top-k classes with their probabilities (multiclass), the "
                + "labels that pass their thresholds and every probability (multilabel), or the probability and the "
                + "0/1 decision (binary)."})
final class PredictCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Mixin
    DecisionOptions decision;

    @Mixin
    CalibrationOption calibration;

    @Mixin
    ConformalOption conformal;

    @Option(names = {"-k", "--top-k"}, paramLabel = "K",
            description = "Multiclass: the k most probable classes per row (default: 1; at most the class count). "
                    + "Multilabel: at most k labels per row (default: no limit). Dense model: k classes per position.")
    Integer topK;

    @Option(names = "--at-least-one",
            description = "Multilabel: give a row whose labels all fail their thresholds its most probable label.")
    boolean atLeastOne;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "csv",
            description = "csv (with a header row), jsonl (one JSON object per row, streamed) or json (one array of those"
                    + " objects); npy for a dense model: its argmax masks, int64 [N, d..], into --output FILE.npy, or"
                    + " with --top-k K each position's K most probable classes, records (class int64, probability"
                    + " float32) [N, d.., K]"
                    + " (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--csv-formulas", paramLabel = "MODE", defaultValue = "escape",
            description = "escape or keep (default: ${DEFAULT-VALUE}): in CSV output, a class name that starts with ="
                    + " + - @ (which a spreadsheet would run as a formula) gets a leading apostrophe.")
    String csvFormulas;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the predictions to FILE (whole or not at all) instead of standard output.")
    Path output;

    @Override
    public Integer call() {
        return Errors.guard(main, this::run);
    }

    private int run() throws Exception {
        model.validate();
        data.validate();
        String chosen = Usage.choice(spec, "--format", format, "csv", "jsonl", "json", "npy");
        boolean jsonLines = !chosen.equals("csv");
        boolean escapeFormulas = Usage.choice(spec, "--csv-formulas", csvFormulas, "escape", "keep")
                .equals("escape") && !jsonLines;
        decision.validate();
        if (topK != null) {
            try {
                MulticlassMetrics.checkTopK(topK);
            } catch (IllegalArgumentException e) {
                throw Usage.error(spec, "--" + e.getMessage());  // "--top-k is 0; expected at least 1"
            }
        }
        ReportOutput.check(output, Reads.of(model, data.files(), decision.file(), calibration.file(),
                conformal.file()));
        try (OnnxClassifier dense = model.open(data.batchSize, true)) {
            if (dense.classAxis() != null || chosen.equals("npy")) {
                if (dense.classAxis() == null) {
                    throw Usage.error(spec, "--format npy writes the masks of a dense model; " + model.model
                            + " has one row of scores per sample (csv, jsonl or json)");
                }
                if (!chosen.equals("npy") || output == null || !output.toString().endsWith(".npy")) {
                    throw Usage.error(spec, "a dense model's predictions are masks, written as --format npy --output"
                            + " FILE.npy (a class index at every position, int64 [N, d..]; with --top-k K the K most"
                            + " probable classes and their probabilities, [N, d.., K])");
                }
                if (topK != null && topK > dense.classes()) {
                    throw Usage.error(spec, "--top-k is " + topK + "; expected at most the " + dense.classes()
                            + " classes of " + model.model);
                }
                DenseEvaluate.predict(dense, data.inputs, data.batchSize, output, topK);
                return 0;
            }
        }
        try (OnnxClassifier classifier = model.open(data.batchSize);
                DataSet dataSet = data.open(classifier, null);
                Progress progress = Progress.start(main, "predict");
                ReportOutput report = ReportOutput.open(output, main.out())) {
            PredictionWriter.Builder writer = PredictionWriter.builder(classifier)
                    .format(PredictionWriter.Format.parse(chosen)).spreadsheetSafe(escapeFormulas)
                    .thresholds(DecisionOptions.values(decision.open(classifier))).atLeastOne(atLeastOne);
            if (topK != null) {
                writer.topK(topK);
            }
            ModelConformal sets = conformal.open(classifier);
            if (sets != null) {
                writer.conformal(sets);
            }
            PredictionWriter out = writer.build(report.writer());
            ModelTemperature temperature = calibration.open(classifier);
            dataSet.predict(classifier, temperature, out, b -> {
                if (report.isStdout()) {
                    progress.clear();        // rows and the bar may share one terminal
                    report.flushRows();
                }
                progress.update(dataSet.progress(), dataSet.rowsRead());
                return !report.readerGone();
            });
            if (report.readerGone()) {
                return 0;
            }
            progress.clear();
            report.commit();
        }
        return 0;
    }
}
