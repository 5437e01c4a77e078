package io.github.logits4j.cli;

import io.github.logits4j.data.DataSet;
import io.github.logits4j.onnx.EvaluationReport;
import io.github.logits4j.onnx.EvaluationResult;
import io.github.logits4j.onnx.OnnxClassifier;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

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

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Mixin
    EvaluationSettings settings;

    @Option(names = {"-l", "--labels"}, required = true, paramLabel = "PATH",
            description = "The labels: a .npy file or a CSV file (which may be the --inputs CSV file).")
    Path labels;

    @Option(names = "--ignore-index", paramLabel = "N", defaultValue = "-100",
            description = "Dense models (segmentation, token classification): the label of positions not to count"
                    + " (default: ${DEFAULT-VALUE}, as PyTorch; 255 for VOC-style masks).")
    int ignoreIndex;

    @Override
    public Integer call() {
        return Errors.guard(main, this::run);
    }

    private int run() throws Exception {
        model.validate();
        data.validate();
        settings.validate();
        List<Path> reads = Reads.of(model, data.files(), labels);
        reads.addAll(settings.files());
        ReportOutput.check(settings.output(), reads);
        try (OnnxClassifier dense = model.open(data.batchSize, true)) {
            if (dense.classAxis() != null) {
                settings.write(main.out(), DenseEvaluate.run(dense, data.inputs, labels, ignoreIndex, data.batchSize,
                        settings.format));
                return 0;
            }
        }
        try (OnnxClassifier classifier = model.open(data.batchSize);
                DataSet dataSet = data.open(classifier, labels);
                Progress progress = Progress.start(main, "evaluate")) {
            EvaluationSettings.Applied applied = settings.apply(classifier);
            RankMemory.check(settings.rankMode(), dataSet.rows(), classifier, settings.parallelism(),
                    main.environment());
            EvaluationResult result = dataSet.evaluate(classifier, applied.options(),
                    b -> progress.update(dataSet.progress(), dataSet.rowsRead()));
            EvaluationReport report = applied.report(classifier, result).withModel(model.model.toString())
                    .withData(String.join(", ", data.inputs), labels.toString());
            progress.clear();
            settings.write(main.out(), settings.render(report));
        }
        return 0;
    }
}
