package io.github.logits4j.cli;

import io.github.logits4j.LoadException;
import io.github.logits4j.Task;
import io.github.logits4j.metrics.BinaryMetrics;
import io.github.logits4j.metrics.MulticlassMetrics;
import io.github.logits4j.metrics.MultilabelMetrics;
import io.github.logits4j.metrics.RankMode;
import io.github.logits4j.onnx.EvaluationOptions;
import io.github.logits4j.onnx.EvaluationReport;
import io.github.logits4j.onnx.EvaluationResult;
import io.github.logits4j.onnx.ModelConformal;
import io.github.logits4j.onnx.ModelTemperature;
import io.github.logits4j.onnx.ModelThresholds;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.report.HtmlReport;
import io.github.logits4j.report.ReportFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Every option of {@code logits4j evaluate} but the model and the data: the decision thresholds, the calibration, the
 * metrics' settings ({@code --top-k}, {@code --fbeta}, {@code --max-fpr}, {@code --rank-metrics}, {@code --threads})
 * and the report's form and place ({@code --format}, {@code --output}). A picocli mixin, shared by the command and by
 * the jobs of {@code logits4j-spark}, so that both take the same options, check them the same way and print the same
 * report; public for those jobs, not a stable API.
 *
 * <pre>{@code
 * @Mixin EvaluationSettings settings;
 * settings.validate();                                      // before anything is read
 * EvaluationSettings.Applied applied = settings.apply(classifier);
 * EvaluationResult result = classifier.evaluate(batches, applied.options());
 * EvaluationReport report = applied.report(classifier, result).withData("x.npy", "y.npy");
 * settings.write(System.out, settings.render(report));
 * }</pre>
 */
public final class EvaluationSettings {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Mixin
    DecisionOptions decision;

    @Mixin
    CalibrationOption calibration;

    @Mixin
    ConformalOption conformal;

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

    @Option(names = "--rank-metrics", paramLabel = "MODE",
            description = {"How ROC AUC and average precision are computed: exact (keeps every probability, 8 bytes a"
                    + " score; logits4j evaluate checks it against the heap before the run), binned or binned:BINS (fixed memory whatever the rows, each value with its reported"
                    + " error bound; default 10000 bins), or none (default: exact; binned for the Spark job)."})
    String rankMetrics;

    @Option(names = "--row-sum-tolerance", paramLabel = "TOL",
            description = "Multi-class probabilities: how far from 1 a row may sum and still be scored as it is, as"
                    + " scikit-learn's log_loss does (default: 1e-4; a warning names the worst row). Float32 exports"
                    + " that build probabilities with arithmetic drift (scikit-learn's GaussianNB: 1.0025): 0.01 is"
                    + " ample.")
    Double rowSumTolerance;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the run (default: the processors Java sees): with 2 or more the model runs"
                    + " one batch ahead of the metrics, and the exact rank metrics at the end sort on N threads; the"
                    + " report is the same for any N.")
    Integer threads;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (an aligned table), json, or html (one self-contained page with the tables and the"
                    + " ROC, precision-recall, reliability and confusion charts; opens offline) (default:"
                    + " ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the report to FILE (whole or not at all) instead of standard output.")
    Path output;

    private final String defaultRankMetrics;
    private RankMode rankMode;

    /** The settings of {@code logits4j evaluate}: exact rank metrics unless {@code --rank-metrics} says otherwise. */
    public EvaluationSettings() {
        this("exact");
    }

    /**
     * Settings whose rank metrics default to {@code rankMetrics} ({@code "binned"} for a job over more rows than the
     * driver should hold).
     */
    public EvaluationSettings(String rankMetrics) {
        this.defaultRankMetrics = rankMetrics;
    }

    /**
     * Checks the options before anything is read.
     *
     * @throws picocli.CommandLine.ParameterException naming the option (exit 2)
     */
    public void validate() {
        format = Usage.choice(spec, "--format", format, "text", "json", "html");
        decision.validate();
        try {
            MulticlassMetrics.checkTopK(topK);
        } catch (IllegalArgumentException e) {
            throw Usage.error(spec, "--" + e.getMessage());      // "--top-k is 0; expected at least 1"
        }
        String mode = rankMetrics != null ? rankMetrics : defaultRankMetrics;
        rankMode = RankMemory.parse(spec, mode);
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
                throw Usage.error(spec, "--max-fpr needs --rank-metrics exact; found --rank-metrics " + mode);
            }
        }
        if (threads != null && threads < 1) {
            throw Usage.error(spec, "--threads is " + threads + "; expected at least 1");
        }
        if (rowSumTolerance != null && !(rowSumTolerance >= 0 && rowSumTolerance < 1)) {
            throw Usage.error(spec, "--row-sum-tolerance is " + rowSumTolerance + "; expected a value in [0, 1)");
        }
    }

    /** The rank mode {@link #validate()} decided. */
    public RankMode rankMode() {
        return rankMode;
    }

    /** The threads of the final rank metrics. */
    public int parallelism() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** Reads the thresholds, calibration and conformal files with {@code files} (a Spark job: through Hadoop). */
    public void readWith(SettingsFiles files) {
        decision.readWith(files);
        calibration.readWith(files);
        conformal.readWith(files);
    }

    /** The files these options read (thresholds, calibration), for the checks on {@code --output}. */
    public List<Path> files() {
        List<Path> files = new ArrayList<>();
        if (decision.file() != null) {
            files.add(decision.file());
        }
        if (calibration.file() != null) {
            files.add(calibration.file());
        }
        if (conformal.file() != null) {
            files.add(conformal.file());
        }
        return files;
    }

    /** Where the report goes: a file, or null for standard output. */
    public Path output() {
        return output;
    }

    /**
     * The settings applied to {@code model}: its thresholds and temperature read and checked, the evaluation options.
     *
     * @throws LoadException if a thresholds or calibration file cannot be read or does not fit the model
     * @throws picocli.CommandLine.ParameterException if {@code --max-fpr} is given for a model that is not binary
     */
    public Applied apply(OnnxClassifier model) throws LoadException {
        ModelThresholds thresholds = decision.open(model);
        ModelTemperature temperature = calibration.open(model);
        EvaluationOptions.Builder options = EvaluationOptions.builder().topK(topK)
                .thresholds(DecisionOptions.values(thresholds)).rankMode(rankMode).parallelism(parallelism());
        if (fBeta != null) {
            options.fBeta(fBeta);
        }
        if (rowSumTolerance != null) {
            options.rowSumTolerance(rowSumTolerance);
        }
        if (maxFpr != null) {
            if (model.task() != Task.BINARY) {
                throw Usage.error(spec, "--max-fpr applies to binary models; " + model.inspection().source()
                        + " is " + model.task().id());
            }
            options.maxFpr(maxFpr);
        }
        if (temperature != null) {
            options.temperatures(temperature.temperatures());
        }
        ModelConformal sets = conformal.open(model);
        if (sets != null) {
            options.conformal(sets);
        }
        if ("html".equals(format)) {
            options.curves(HtmlReport.CURVE_POINTS, HtmlReport.CURVE_CLASSES);
        }
        return new Applied(options.build(), thresholds, temperature);
    }

    /** The report as {@code --format} says: the aligned table with class names, pretty JSON, or the HTML page. */
    public String render(EvaluationReport report) {
        return ReportFormat.parse(format).render(report);
    }

    /**
     * Writes the report to {@code --output} (whole or not at all), or to {@code stdout} without it.
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    public void write(PrintStream stdout, String text) {
        try (ReportOutput report = "html".equals(format) ? ReportOutput.openRaw(output, stdout)
                : ReportOutput.open(output, stdout)) {
            report.writer().write(text);
            report.commit();
        } catch (IOException e) {
            throw new UncheckedIOException((output == null ? "standard output" : output.toString())
                    + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** The settings applied to one model: the evaluation options, and the thresholds and temperature they hold. */
    public static final class Applied {
        private final EvaluationOptions options;
        private final @Nullable ModelThresholds thresholds;
        private final @Nullable ModelTemperature temperature;

        private Applied(EvaluationOptions options, @Nullable ModelThresholds thresholds,
                @Nullable ModelTemperature temperature) {
            this.options = options;
            this.thresholds = thresholds;
            this.temperature = temperature;
        }

        /** The evaluation options. */
        public EvaluationOptions options() {
            return options;
        }

        /** The report of {@code result}, an evaluation of {@code model} with these settings. */
        public EvaluationReport report(OnnxClassifier model, EvaluationResult result) {
            return EvaluationReport.of(model, result).withThresholds(thresholds).withCalibration(temperature);
        }
    }
}
