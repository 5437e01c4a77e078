package io.github.logits4j.cli;

import io.github.logits4j.Task;
import io.github.logits4j.data.DataSet;
import io.github.logits4j.metrics.BinaryMetrics;
import io.github.logits4j.metrics.MulticlassMetrics;
import io.github.logits4j.metrics.MultilabelMetrics;
import io.github.logits4j.metrics.RankMode;
import io.github.logits4j.metrics.ReportText;
import io.github.logits4j.onnx.EvaluationOptions;
import io.github.logits4j.onnx.EvaluationResult;
import io.github.logits4j.onnx.OnnxClassifier;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code logits4j evaluate}: streams labelled data through a model and reports the loss for its task and the metrics
 * (scikit-learn's), as an aligned table or one JSON object.
 *
 * <pre>{@code
 * $ ./logits4j evaluate --model digits.onnx --inputs x.npy --labels y.npy --format json --output report.json
 * }</pre>
 *
 * <p>The library's {@code OnnxClassifier.evaluate} computes the report; with {@code --calibration} it divides the
 * logits by the fitted temperature first.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false, footer = Main.EXIT_CODES,
        description = {"Run a model over labelled data and report the loss (cross_entropy for multiclass, "
                + "binary_cross_entropy otherwise) and the metrics.",
            "Labels: class indices [N] for multiclass, 0/1 [N] for binary, a 0/1 matrix [N x C] for multilabel.",
            "In JSON, a metric that is undefined for the data (NaN, such as the ROC AUC of a class without positive "
                + "samples) is written as null."})
final class EvaluateCommand implements Callable<Integer> {
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

    @Option(names = {"-l", "--labels"}, required = true, paramLabel = "PATH",
            description = "The labels: a .npy file or a CSV file (which may be the --inputs CSV file).")
    Path labels;

    @Option(names = {"-k", "--top-k"}, paramLabel = "K", split = ",", defaultValue = "5",
            description = "The k of top_k_accuracy (multiclass; default: ${DEFAULT-VALUE}); several, comma-separated,"
                    + " add top_<k>_accuracy for each.")
    int[] topK;

    @Option(names = "--fbeta", paramLabel = "BETA", split = ",",
            description = "Add the F-beta of each BETA >= 0 (fbeta_<BETA> for binary models, <average>_fbeta_<BETA>"
                    + " otherwise, as scikit-learn's fbeta_score(beta=BETA)); several, comma-separated.")
    double[] fBeta;

    @Option(names = "--max-fpr", paramLabel = "RATE", split = ",",
            description = "Binary models: add the standardized partial ROC AUC up to each false positive rate RATE in"
                    + " (0, 1] (roc_auc_max_fpr_<RATE>, as scikit-learn's roc_auc_score(max_fpr=RATE)); several,"
                    + " comma-separated. Needs --rank-metrics exact.")
    double[] maxFpr;

    @Option(names = "--rank-metrics", paramLabel = "MODE", defaultValue = "exact",
            description = {"How ROC AUC and average precision are computed: exact (keeps every probability, 8 bytes a"
                    + " score; checked against the heap before the run), binned or binned:BINS (fixed memory"
                    + " whatever the rows, each value with its reported error bound; default 10000 bins), or none"
                    + " (default: ${DEFAULT-VALUE})."})
    String rankMetrics;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the exact rank metrics at the end of the run (default: the processors Java"
                    + " sees); the report is the same for any N.")
    Integer threads;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (an aligned table) or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the report to FILE (whole or not at all) instead of standard output.")
    Path output;

    @Override
    public Integer call() {
        return Errors.guard(main, this::run);
    }

    private int run() throws Exception {
        model.validate();
        data.validate();
        String f = Usage.choice(spec, "--format", format, "text", "json");
        decision.validate();
        try {
            MulticlassMetrics.checkTopK(topK);
        } catch (IllegalArgumentException e) {
            throw Usage.error(spec, "--" + e.getMessage());      // "--top-k is 0; expected at least 1"
        }
        RankMode rankMode = RankMemory.parse(spec, rankMetrics);
        if (fBeta != null) {
            try {
                MultilabelMetrics.checkBetas(fBeta);
            } catch (IllegalArgumentException e) {
                throw Usage.error(spec, "--fbeta: " + e.getMessage());      // "--fbeta: F-beta beta is -1.0; ..."
            }
        }
        if (maxFpr != null) {
            try {
                BinaryMetrics.checkMaxFpr(maxFpr);
            } catch (IllegalArgumentException e) {
                throw Usage.error(spec, "--" + e.getMessage());      // "--max-fpr is 0.0; expected a rate in (0, 1]"
            }
            if (!rankMode.isExact()) {
                throw Usage.error(spec, "--max-fpr needs --rank-metrics exact; found --rank-metrics " + rankMetrics);
            }
        }
        if (threads != null && threads < 1) {
            throw Usage.error(spec, "--threads is " + threads + "; expected at least 1");
        }
        int parallelism = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        ReportOutput.check(output, Reads.of(model.model, data.files(), labels, decision.file(), calibration.file()));
        try (OnnxClassifier classifier = model.open(data.batchSize);
                DataSet dataSet = data.open(classifier, labels);
                Progress progress = Progress.start(main, "evaluate")) {
            DecisionThresholds thresholds = decision.open(classifier);
            Calibration temperature = calibration.open(classifier);
            RankMemory.check(rankMode, dataSet.rows(), classifier, parallelism, main.environment());
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", model.model.toString());
            EvaluationOptions.Builder options = thresholds.apply(EvaluationOptions.builder().topK(topK))
                    .rankMode(rankMode).parallelism(parallelism);
            if (fBeta != null) {
                options.fBeta(fBeta);
            }
            if (maxFpr != null) {
                if (classifier.task() != Task.BINARY) {
                    throw Usage.error(spec, "--max-fpr applies to binary models; " + classifier.inspection().source()
                            + " is " + classifier.task().id());
                }
                options.maxFpr(maxFpr);
            }
            if (temperature != null) {
                options.temperatures(temperature.temperatures());
            }
            EvaluationResult result = dataSet.evaluate(classifier, options.build(),
                    b -> progress.update(dataSet.progress(), dataSet.rowsRead()));
            report.putAll(result.toMap());
            if (temperature != null) {
                report.put("calibration", temperature.describe());
            }
            if (thresholds.given()) {
                report.put("thresholds", thresholds.describe());
            }
            report.put("class_names", classifier.classNames());
            report.put("inputs", String.join(", ", data.inputs));
            report.put("labels", labels.toString());
            progress.clear();
            String text = f.equals("json") ? Json.pretty(report) : ReportText.render(report, classifier.classNames());
            Reports.write(main, output, text);
        }
        return 0;
    }
}
