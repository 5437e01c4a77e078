package io.github.logits4j.cli;

import io.github.logits4j.LoadException;
import io.github.logits4j.Task;
import io.github.logits4j.decision.DecisionThresholds;
import io.github.logits4j.onnx.ModelThresholds;
import io.github.logits4j.onnx.OnnxClassifier;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options that set the decision thresholds of multi-label and binary models, shared by {@code evaluate} and
 * {@code predict}: {@code --threshold} (one for every label) or {@code --thresholds} (a file written by
 * {@code tune-thresholds}), not both. A picocli mixin; public for the jobs of {@code logits4j-spark}, not a stable API.
 *
 * <pre>{@code
 * @Mixin DecisionOptions decision;
 * decision.validate();                              // before anything is read
 * ModelThresholds t = decision.open(classifier);            // null: the default 0.5
 * }</pre>
 */
public final class DecisionOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--threshold", paramLabel = "X",
            description = "Decision threshold p >= X of multilabel and binary models (default: 0.5).")
    Double threshold;

    @Option(names = "--thresholds", paramLabel = "FILE",
            description = "Per-label thresholds written by tune-thresholds.")
    String thresholds;

    private SettingsFiles files = SettingsFiles.LOCAL;

    /** Reads {@code --thresholds} with {@code files} (a Spark job: through Hadoop). */
    public void readWith(SettingsFiles files) {
        this.files = java.util.Objects.requireNonNull(files, "files");
    }

    /** Checks the values before anything is read (a ParameterException, exit 2). */
    public void validate() {
        Usage.exclusive(spec, "--threshold", threshold, "--thresholds", thresholds);
        Usage.probability(spec, "--threshold", threshold);
    }

    /** The thresholds file, or null: a file the command reads (for the checks on {@code --output}). */
    @Nullable Path file() {
        return thresholds == null ? null : Path.of(thresholds);
    }

    /**
     * The thresholds for {@code model}, checked to fit it: null when neither option is given (the default 0.5).
     *
     * @throws LoadException if the file cannot be read or does not fit the model, or thresholds are given for a
     *     multi-class model
     */
    @Nullable ModelThresholds open(OnnxClassifier model) throws LoadException {
        if (threshold == null && thresholds == null) {
            return null;
        }
        ModelThresholds t;
        if (thresholds != null) {
            t = files.load(thresholds, ModelThresholds::read, ModelThresholds::parse);
        } else {
            t = ModelThresholds.of(DecisionThresholds.of(threshold));
        }
        return t.fitTo(model);
    }

    /** The decision thresholds to apply: the options', or the default. */
    static DecisionThresholds values(@Nullable ModelThresholds t) {
        return t == null ? DecisionThresholds.DEFAULT : t.thresholds();
    }

    /**
     * The threshold of each label of a multi-label {@code model}, or the one threshold of a binary one (0.5 when
     * neither option is given).
     *
     * @throws LoadException if the file cannot be read or does not fit the model, or thresholds are given for a
     *     multi-class model
     */
    public double[] thresholds(OnnxClassifier model) throws LoadException {
        DecisionThresholds t = values(open(model));
        double[] out = new double[model.task() == Task.MULTILABEL ? model.classes() : 1];
        for (int c = 0; c < out.length; c++) {
            out[c] = t.threshold(c);
        }
        return out;
    }
}
