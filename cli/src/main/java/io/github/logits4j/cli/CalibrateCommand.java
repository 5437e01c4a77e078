package io.github.logits4j.cli;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.Task;
import io.github.logits4j.calibration.MultilabelTemperatureFit;
import io.github.logits4j.calibration.TemperatureFit;
import io.github.logits4j.calibration.TemperatureScaling;
import io.github.logits4j.data.DataException;
import io.github.logits4j.data.DataSet;
import io.github.logits4j.metrics.ReportText;
import io.github.logits4j.onnx.OnnxClassifier;
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
        ReportOutput.check(output, Reads.of(model.model, data.files(), labels));
        if (html != null) {
            ReportOutput.check(html, Reads.of(model.model, data.files(), labels, output));
            ReportOutput.checkDistinct(output, "--output", html, "--html");
        }
        try (OnnxClassifier classifier = model.open(data.batchSize)) {
            classifier.requireLogits("calibrate");
            if (perClass && classifier.task() != Task.MULTILABEL) {
                throw new DataException(classifier.inspection().source() + ": is " + classifier.task().id()
                        + "; --per-class is for multilabel models");
            }
            Collected validation;
            String files;
            try (DataSet dataSet = data.open(classifier, labels);
                    Progress progress = Progress.start(main, "calibrate")) {
                validation = Collected.run(classifier, dataSet, null, progress);
                files = dataSet.inputFiles();
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", model.model.toString());
            report.put("task", classifier.task().id());
            double[] temperatures;
            try {
                if (classifier.task() == Task.MULTICLASS) {
                    TemperatureFit fit = TemperatureScaling.fit(validation.raw(), validation.labels());
                    report.putAll(fit.toMap());
                    temperatures = new double[] {fit.temperature()};
                } else {
                    FloatMatrix targets = validation.labelMatrix();
                    if (targets == null) {
                        int[] y = validation.labels();
                        float[] t = new float[y.length];
                        for (int i = 0; i < y.length; i++) {
                            t[i] = y[i];
                        }
                        targets = FloatMatrix.wrap(t, y.length, 1);
                    }
                    MultilabelTemperatureFit fit = TemperatureScaling.fitMultilabel(validation.raw(), targets, perClass);
                    report.putAll(fit.toMap());
                    temperatures = fit.temperatures();
                }
            } catch (IllegalArgumentException e) {
                throw new DataException(files + ", " + labels + ": " + e.getMessage(), e);
            }
            report.put("class_names", classifier.classNames());
            report.put("inputs", String.join(", ", data.inputs));
            report.put("labels", labels.toString());
            Reports.write(main, output, Json.pretty(report));
            if (html != null) {
                Reports.writePage(main, html, CalibrationPage.render(report, classifier, validation, temperatures));
            }
            Reports.write(main, null, summary(report, classifier.classNames()));
        }
        return 0;
    }

    private static String summary(Map<String, Object> report, List<String> names) {
        StringBuilder sb = new StringBuilder();
        Object t = report.get("temperature");
        if (t instanceof List<?> perLabel) {
            for (int i = 0; i < perLabel.size(); i++) {
                sb.append(String.format(Locale.ROOT, "temperature  %-16s %s%n", names.get(i),
                        ReportText.format(perLabel.get(i))));
            }
        } else {
            sb.append("temperature  ").append(ReportText.format(t)).append('\n');
        }
        sb.append("nll          ").append(ReportText.format(report.get("nll_before"))).append(" -> ")
                .append(ReportText.format(report.get("nll_after"))).append('\n');
        if (report.containsKey("ece_before")) {
            sb.append("ece          ").append(ReportText.format(report.get("ece_before"))).append(" -> ")
                    .append(ReportText.format(report.get("ece_after"))).append('\n');
        }
        return sb.toString();
    }
}
