package io.github.logits4j.cli;

import io.github.logits4j.Task;
import io.github.logits4j.data.DataException;
import io.github.logits4j.data.CollectedScores;
import io.github.logits4j.data.DataSet;
import io.github.logits4j.metrics.ReportText;
import io.github.logits4j.onnx.ModelTemperature;
import io.github.logits4j.onnx.ModelThresholds;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.report.Json;
import io.github.logits4j.tuning.ThresholdObjective;
import io.github.logits4j.tuning.ThresholdTuner;
import io.github.logits4j.tuning.TunedThreshold;
import io.github.logits4j.tuning.TunedThresholds;
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
 * {@code logits4j tune-thresholds}: tunes the decision threshold of each label of a multi-label model (or the one of a
 * binary model) on validation data with {@link ThresholdTuner}, and writes them as JSON that {@code evaluate} and
 * {@code predict} read with {@code --thresholds}. A summary goes to standard output.
 *
 * <pre>{@code
 * $ ./logits4j tune-thresholds --model tags.onnx --inputs val_x.npy --labels val_y.npy --output thresholds.json
 * $ ./logits4j evaluate --model tags.onnx --inputs x.npy --labels y.npy --thresholds thresholds.json
 * }</pre>
 */
@Command(name = "tune-thresholds", mixinStandardHelpOptions = true, sortOptions = false, footer = Main.EXIT_CODES,
        description = {"Tune the decision threshold (p >= t) of each label of a multilabel model, or the one of a "
                + "binary model, on validation data, and write them as JSON for evaluate and predict --thresholds.",
            "For each label the candidates are its validation probabilities; equal objective values go to the "
                + "lowest threshold; a label without positive samples (or without a threshold meeting --target) "
                + "gets --fallback."})
final class TuneThresholdsCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Mixin
    CalibrationOption calibration;

    @Option(names = {"-l", "--labels"}, required = true, paramLabel = "PATH",
            description = "The validation labels: 0/1 [N x C] (multilabel) or [N] (binary), .npy or CSV.")
    Path labels;

    @Option(names = "--objective", paramLabel = "OBJECTIVE", defaultValue = "f1",
            description = "f1, fbeta (with --beta), precision (the best recall with precision >= --target) or recall "
                    + "(the best precision with recall >= --target) (default: ${DEFAULT-VALUE}).")
    String objective;

    @Option(names = "--beta", paramLabel = "B", description = "The beta of fbeta: recall counts B times as much.")
    Double beta;

    @Option(names = "--target", paramLabel = "T", description = "The precision or recall to reach, in (0, 1].")
    Double target;

    @Option(names = "--fallback", paramLabel = "X", defaultValue = "0.5",
            description = "The threshold of a label that cannot be tuned (default: ${DEFAULT-VALUE}).")
    double fallback;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
            description = "The JSON file to write (whole or not at all).")
    Path output;

    @Override
    public Integer call() {
        return Errors.guard(main, this::run);
    }

    private int run() throws Exception {
        model.validate();
        data.validate();
        ThresholdObjective goal = objective();
        Usage.probability(spec, "--fallback", fallback);
        ReportOutput.check(output, Reads.of(model, data.files(), labels, calibration.file()));
        try (OnnxClassifier classifier = model.open(data.batchSize)) {
            if (classifier.task() == Task.MULTICLASS) {
                throw new DataException(classifier.inspection().source() + ": is multiclass, so its decision is the "
                        + "argmax and has no threshold; tune-thresholds is for multilabel and binary models (use --task "
                        + "to override the detected task)");
            }
            ModelTemperature temperature = calibration.open(classifier);
            CollectedScores validation;
            try (DataSet dataSet = data.open(classifier, labels);
                    Progress progress = Progress.start(main, "tune-thresholds")) {
                validation = dataSet.collect(classifier, temperature,
                        b -> progress.update(dataSet.progress(), dataSet.rowsRead()));
            }
            ModelThresholds tuned = validation.tuneThresholds(classifier,
                    ThresholdTuner.builder().objective(goal).fallback(fallback).build());
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("model", model.model.toString());
            file.putAll(tuned.toMap());
            file.put("inputs", String.join(", ", data.inputs));
            file.put("labels", labels.toString());
            if (temperature != null) {
                file.put("calibration", temperature.describe());
            }
            Reports.write(main, output, Json.pretty(file));
            Reports.write(main, null, summary(tuned, classifier.classNames()));
        }
        return 0;
    }

    private ThresholdObjective objective() {
        String o = Usage.choice(spec, "--objective", objective, "f1", "fbeta", "precision", "recall");
        if (beta != null && !o.equals("fbeta")) {
            throw Usage.error(spec, "--beta is for --objective fbeta; the objective is " + o);
        }
        if (target != null && !(o.equals("precision") || o.equals("recall"))) {
            throw Usage.error(spec, "--target is for --objective precision or recall; the objective is " + o);
        }
        try {
            switch (o) {
                case "fbeta":
                    if (beta == null) {
                        throw Usage.error(spec, "--objective fbeta needs --beta B (B > 0; 2 favours recall)");
                    }
                    return ThresholdObjective.fBeta(beta);
                case "precision":
                case "recall":
                    if (target == null) {
                        throw Usage.error(spec, "--objective " + o + " needs --target T, the " + o + " to reach");
                    }
                    return o.equals("precision") ? ThresholdObjective.precisionAtLeast(target)
                            : ThresholdObjective.recallAtLeast(target);
                default:
                    return ThresholdObjective.f1();
            }
        } catch (IllegalArgumentException e) {
            throw Usage.error(spec, (o.equals("fbeta") ? "--beta: " : "--target: ") + e.getMessage());
        }
    }

    /** One line per label: its threshold, the objective it reached, whether it fell back. */
    private static String summary(ModelThresholds thresholds, List<String> names) {
        StringBuilder sb = new StringBuilder();
        TunedThresholds perLabel = thresholds.tuned();
        TunedThreshold binary = thresholds.tunedBinary();
        ThresholdObjective objective = perLabel != null ? perLabel.objective() : binary.objective();
        sb.append(String.format(Locale.ROOT, "%-16s %12s %12s  %s%n", "label", "threshold", objective.name(),
                "fell back"));
        if (perLabel != null) {
            for (int i = 0; i < perLabel.size(); i++) {
                sb.append(String.format(Locale.ROOT, "%-16s %12s %12s  %s%n", names.get(i),
                        ReportText.format(perLabel.threshold(i)), ReportText.format(perLabel.objectiveValue(i)),
                        perLabel.fellBack(i)));
            }
        } else {
            sb.append(String.format(Locale.ROOT, "%-16s %12s %12s  %s%n", names.get(0),
                    ReportText.format(binary.threshold()), ReportText.format(binary.objectiveValue()),
                    binary.fellBack()));
        }
        return sb.toString();
    }
}
