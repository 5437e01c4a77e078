package io.github.logits4j.cli;

import io.github.logits4j.Task;
import io.github.logits4j.calibration.MultilabelTemperatureFit;
import io.github.logits4j.calibration.TemperatureFit;
import io.github.logits4j.calibration.TemperatureScaling;
import io.github.logits4j.data.DataException;
import io.github.logits4j.data.CollectedScores;
import io.github.logits4j.data.DataSet;
import io.github.logits4j.metrics.ReportText;
import io.github.logits4j.onnx.ModelTemperature;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.report.CalibrationPage;
import io.github.logits4j.report.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code logits4j calibrate}: fits a temperature to a model's validation logits with {@link TemperatureScaling}
 * (one T for a multi-class model; for a multi-label model one T, or one per label with {@code --per-class}; one T for
 * a binary model) and writes it as JSON that {@code evaluate}, {@code predict} and {@code tune-thresholds} apply with
 * {@code --calibration}. The model must emit logits. A summary goes to standard output.
 *
 * <pre>{@code
 * $ ./logits4j calibrate --model digits.onnx --inputs val_x.npy --labels val_y.npy --output temperature.json
 * temperature  1.412345
 * nll          0.181234 -> 0.150123
 * }</pre>
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false, footer = Main.EXIT_CODES,
        description = {"Fit a temperature T to a model's validation logits (softmax(z / T) or sigmoid(z / T) minimising "
                + "the validation NLL) and write it as JSON for evaluate, predict and tune-thresholds --calibration.",
            "The model must emit logits. T changes no predicted class; only the confidence."})
final class CalibrateCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Option(names = {"-l", "--labels"}, required = true, paramLabel = "PATH",
            description = "The validation labels (as for evaluate), .npy or CSV.")
    Path labels;

    @Option(names = "--per-class",
            description = "Multilabel: fit one temperature per label instead of one for all.")
    boolean perClass;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
            description = "The JSON file to write (whole or not at all).")
    Path output;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write a self-contained HTML page with the reliability diagrams before and after the"
                    + " temperature, the NLL and the ECE (whole or not at all).")
    Path html;

    @Override
    public Integer call() {
        return Errors.guard(main, this::run);
    }

    private int run() throws Exception {
        model.validate();
        data.validate();
        ReportOutput.check(output, Reads.of(model, data.files(), labels));
        if (html != null) {
            ReportOutput.check(html, Reads.of(model, data.files(), labels, output));
            ReportOutput.checkDistinct(output, "--output", html, "--html");
        }
        try (OnnxClassifier classifier = model.open(data.batchSize)) {
            classifier.requireLogits("calibrate");
            if (perClass && classifier.task() != Task.MULTILABEL) {
                throw new DataException(classifier.inspection().source() + ": is " + classifier.task().id()
                        + "; --per-class is for multilabel models");
            }
            CollectedScores validation;
            String files;
            try (DataSet dataSet = data.open(classifier, labels);
                    Progress progress = Progress.start(main, "calibrate")) {
                validation = dataSet.collect(classifier, null,
                        b -> progress.update(dataSet.progress(), dataSet.rowsRead()));
                files = dataSet.inputFiles();
            }
            ModelTemperature fit;
            try {
                fit = validation.fitTemperature(classifier, perClass);
            } catch (IllegalArgumentException e) {
                throw new DataException(files + ", " + labels + ": " + e.getMessage(), e);
            }
            String inputs = String.join(", ", data.inputs);
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("model", model.model.toString());
            file.putAll(fit.toMap());
            file.put("inputs", inputs);
            file.put("labels", labels.toString());
            Reports.write(main, output, Json.pretty(file));
            if (html != null) {
                Reports.writePage(main, html, CalibrationPage.render(fit, classifier, validation,
                        model.model.toString(), inputs, labels.toString()));
            }
            Reports.write(main, null, summary(fit, classifier.classNames()));
        }
        return 0;
    }

    private static String summary(ModelTemperature fit, List<String> names) {
        StringBuilder sb = new StringBuilder();
        TemperatureFit multiclass = fit.multiclassFit();
        MultilabelTemperatureFit multilabel = fit.multilabelFit();
        if (multilabel != null && multilabel.perClass()) {
            double[] t = multilabel.temperatures();
            for (int i = 0; i < t.length; i++) {
                sb.append(String.format(Locale.ROOT, "temperature  %-16s %s%n", names.get(i), ReportText.format(t[i])));
            }
        } else {
            sb.append("temperature  ").append(ReportText.format(fit.temperatures()[0])).append('\n');
        }
        double before = multiclass != null ? multiclass.nllBefore() : multilabel.nllBefore();
        double after = multiclass != null ? multiclass.nllAfter() : multilabel.nllAfter();
        sb.append("nll          ").append(ReportText.format(before)).append(" -> ").append(ReportText.format(after))
                .append('\n');
        if (multiclass != null) {
            sb.append("ece          ").append(ReportText.format(multiclass.eceBefore())).append(" -> ")
                    .append(ReportText.format(multiclass.eceAfter())).append('\n');
        }
        return sb.toString();
    }
}
