package io.github.logits4j.cli;

import io.github.logits4j.conformal.ConformityScore;
import io.github.logits4j.conformal.ConformalPredictor;
import io.github.logits4j.data.CollectedScores;
import io.github.logits4j.data.DataSet;
import io.github.logits4j.onnx.ModelConformal;
import io.github.logits4j.onnx.ModelTemperature;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.report.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
 * {@code logits4j conformalize}: calibrates split conformal prediction sets on a held-out calibration split and writes
 * them as JSON for {@code predict --conformal} and {@code evaluate --conformal}. A summary goes to standard output.
 *
 * <pre>{@code
 * $ ./logits4j conformalize --model digits.onnx --inputs cal_x.npy --labels cal_y.npy --alpha 0.1 --score aps \
 *     --output conformal.json
 * }</pre>
 */
@Command(name = "conformalize", mixinStandardHelpOptions = true, sortOptions = false, footer = Main.EXIT_CODES,
        description = {"Calibrate prediction sets on a held-out split (rows the model was not trained on): each set"
                + " holds the true class with probability at least 1 - alpha for new rows drawn like these, and write"
                + " them as JSON for predict and evaluate --conformal.",
            "Multi-class and binary models; the sets are made of the probabilities of the model's head."})
final class ConformalizeCommand implements Callable<Integer> {
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
            description = "The calibration split's labels (class indices, or 0/1 for binary), .npy or CSV.")
    Path labels;

    @Option(names = {"-a", "--alpha"}, required = true, paramLabel = "ALPHA",
            description = "The miscoverage level in (0, 1): sets cover the true class with probability >= 1 - ALPHA.")
    double alpha;

    @Option(names = "--score", paramLabel = "SCORE", defaultValue = "lac",
            description = "lac (smallest sets), aps (adaptive; MAPIE's default, randomized scores, keeps the class"
                    + " that crosses the quantile), aps-deterministic, aps-randomized (exact coverage; sets may be"
                    + " empty), raps (APS with a penalty per class beyond k_reg: smaller sets from an unsure model),"
                    + " raps-randomized, or top-k (default: ${DEFAULT-VALUE}).")
    String score;

    @Option(names = "--raps-lambda", paramLabel = "LAMBDA",
            description = "RAPS's penalty per class beyond k_reg (with --raps-k-reg; without both, they are tuned).")
    Double rapsLambda;

    @Option(names = "--raps-k-reg", paramLabel = "K",
            description = "The classes RAPS leaves unpenalized (with --raps-lambda).")
    Integer rapsKReg;

    @Option(names = "--raps-tuning-fraction", paramLabel = "FRACTION", defaultValue = "0.2",
            description = "When RAPS is tuned: the share of the rows, drawn by --seed, that chooses k_reg and lambda"
                    + " as MAPIE does (its size_raps); the rest calibrate (default: ${DEFAULT-VALUE}).")
    double rapsTuningFraction;

    @Option(names = "--class-conditional",
            description = "Take the quantile per true class (each class covered at 1 - ALPHA; needs enough rows of"
                    + " every class).")
    boolean classConditional;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "0",
            description = "The seed of the randomized APS terms (default: ${DEFAULT-VALUE}).")
    long seed;

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
        ConformityScore function = null;
        boolean raps = score.equals("raps") || score.equals("raps-randomized");
        ConformityScore.IncludeLastLabel rule = score.equals("raps-randomized")
                ? ConformityScore.IncludeLastLabel.RANDOMIZED : ConformityScore.IncludeLastLabel.TRUE;
        try {
            io.github.logits4j.conformal.ConformalQuantile.checkAlpha(alpha);
        } catch (IllegalArgumentException e) {
            throw Usage.error(spec, "--" + e.getMessage());
        }
        try {
            if (!raps) {
                function = ConformityScore.parse(score);
            } else if ((rapsLambda == null) != (rapsKReg == null)) {
                throw new IllegalArgumentException("give both --raps-lambda and --raps-k-reg, or neither to tune them");
            } else if (rapsLambda != null) {
                function = ConformityScore.raps(rapsLambda, rapsKReg, true, rule);
            } else if (!(rapsTuningFraction > 0.0 && rapsTuningFraction < 1.0)) {
                throw new IllegalArgumentException("--raps-tuning-fraction is " + rapsTuningFraction
                        + "; expected a number in (0, 1)");
            }
            if (!raps && (rapsLambda != null || rapsKReg != null)) {
                throw new IllegalArgumentException("--raps-lambda and --raps-k-reg are for --score raps");
            }
        } catch (IllegalArgumentException e) {
            throw Usage.error(spec, "--score: " + e.getMessage());
        }
        ReportOutput.check(output, Reads.of(model, data.files(), labels, calibration.file()));
        try (OnnxClassifier classifier = model.open(data.batchSize)) {
            ModelConformal.requireSetTask(classifier, "prediction sets");
            ModelTemperature temperature = calibration.open(classifier);
            CollectedScores split;
            try (DataSet dataSet = data.open(classifier, labels);
                    Progress progress = Progress.start(main, "conformalize")) {
                split = dataSet.collect(classifier, temperature,
                        b -> progress.update(dataSet.progress(), dataSet.rowsRead()));
            }
            ModelConformal sets = function != null
                    ? split.conformalize(classifier, function, classConditional, alpha, seed)
                    : split.conformalizeRaps(classifier, true, rule, rapsTuningFraction, classConditional, alpha, seed);
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("model", model.model.toString());
            file.putAll(sets.toMap());
            file.put("inputs", String.join(", ", data.inputs));
            file.put("labels", labels.toString());
            if (temperature != null) {
                file.put("calibration", temperature.describe());
            }
            Reports.write(main, output, Json.pretty(file));
            Reports.write(main, null, summary(sets.predictor(), split.rows()));
        }
        return 0;
    }

    private static String summary(ConformalPredictor p, long rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "score              %s%n", p.score().id()));
        if (p.score() instanceof ConformityScore.Raps r) {
            sb.append(String.format(Locale.ROOT, "raps               lambda %s, k_reg %d%s%n", r.lambda(), r.kReg(),
                    rows > p.calibrationRows() ? " (tuned on " + (rows - p.calibrationRows()) + " rows)" : ""));
        }
        sb.append(String.format(Locale.ROOT, "alpha              %s (coverage >= %s)%n", p.alpha(), 1 - p.alpha()));
        sb.append(String.format(Locale.ROOT, "calibration rows   %d%n", p.calibrationRows()));
        sb.append(String.format(Locale.ROOT, "quantile           %s%n", p.classConditional() ? "per class, up to "
                + p.quantile() : Double.toString(p.quantile())));
        if (p.warning() != null) {
            sb.append("warning            ").append(p.warning()).append('\n');
        }
        return sb.toString();
    }
}
