package io.github.logits4j.cli;

import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.data.DataException;
import io.github.logits4j.decision.Comparison;
import io.github.logits4j.decision.MultilabelDecision;
import io.github.logits4j.onnx.EvaluationOptions;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.tuning.TunedThreshold;
import io.github.logits4j.tuning.TunedThresholds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The probability thresholds of a multi-label or binary model's decisions ({@code p >= t}): 0.5, one global
 * {@code --threshold}, or the per-label thresholds of a {@code --thresholds} file written by
 * {@code logits4j tune-thresholds} (read with {@link TunedThresholds#fromMap} or {@link TunedThreshold#fromMap}).
 *
 * <pre>{@code
 * DecisionThresholds t = DecisionThresholds.of(null, Path.of("thresholds.json"), model);
 * t.apply(EvaluationOptions.builder()).build();
 * MultilabelDecision rule = t.multiLabelRule().build();
 * }</pre>
 */
final class DecisionThresholds {
    private final double global;
    private final double[] perLabel;
    private final String file;

    private DecisionThresholds(double global, double[] perLabel, String file) {
        this.global = global;
        this.perLabel = perLabel;
        this.file = file;
    }

    /**
     * The thresholds for {@code model} from {@code --threshold} or {@code --thresholds} (at most one is not null).
     *
     * @throws DataException if thresholds are given for a multi-class model, or the file is malformed or has another
     *     number of thresholds than the model has labels
     */
    static DecisionThresholds of(Double threshold, Path file, OnnxClassifier model) {
        if (threshold == null && file == null) {
            return new DecisionThresholds(0.5, null, null);
        }
        if (model.task() == Task.MULTICLASS) {
            throw new DataException(model.inspection().source() + ": is multiclass, so its decision is the argmax and "
                    + (file != null ? "--thresholds " + file : "--threshold") + " does not apply; thresholds are for "
                    + "multilabel and binary models (use --task to override the detected task)");
        }
        if (threshold != null) {
            return new DecisionThresholds(threshold, null, null);
        }
        Map<String, Object> map = Json.read(file);
        String name = file.toString();
        if (map.containsKey("temperature") && !map.containsKey("threshold") && !map.containsKey("thresholds")) {
            throw new DataException(name + ": holds a temperature written by logits4j calibrate, not thresholds;"
                    + " give it with --calibration, and thresholds from logits4j tune-thresholds with --thresholds");
        }
        FileFit.check(map, name, model);
        double[] t;
        try {
            if (map.get("thresholds") instanceof List) {
                t = TunedThresholds.fromMap(map).thresholds();
            } else if (map.containsKey("threshold")) {
                t = new double[] {TunedThreshold.fromMap(map).threshold()};
            } else {
                throw new DataException(name + ": has neither 'thresholds' nor 'threshold'; expected a file written by"
                        + " logits4j tune-thresholds");
            }
        } catch (IllegalArgumentException e) {
            throw new DataException(name + ": " + e.getMessage(), e);
        }
        if (t.length != model.classes()) {
            throw new DataException(name + ": has " + t.length + " threshold" + (t.length == 1 ? "" : "s") + "; "
                    + model.inspection().source() + " has " + model.classes() + " label"
                    + (model.classes() == 1 ? "" : "s"));
        }
        for (int i = 0; i < t.length; i++) {
            if (!(t[i] >= 0.0 && t[i] <= 1.0)) {
                throw new DataException(name + ": threshold " + i + " is " + t[i] + "; expected a probability in "
                        + "[0, 1] (tuned on scores that were not probabilities?)");
            }
        }
        return t.length == 1 ? new DecisionThresholds(t[0], null, name) : new DecisionThresholds(Double.NaN, t, name);
    }

    /** Sets these thresholds on evaluation options. */
    EvaluationOptions.Builder apply(EvaluationOptions.Builder options) {
        return perLabel != null ? options.thresholds(perLabel) : options.threshold(global);
    }

    /** A multi-label rule over probabilities with these thresholds and {@code >=}. */
    MultilabelDecision.Builder multiLabelRule() {
        MultilabelDecision.Builder b = MultilabelDecision.builder().input(OutputKind.PROBABILITIES)
                .comparison(Comparison.AT_LEAST);
        return perLabel != null ? b.thresholds(perLabel) : b.threshold(global);
    }

    /** The threshold of label {@code c}. */
    double threshold(int c) {
        return perLabel != null ? perLabel[c] : global;
    }

    /** Whether the thresholds came from a file or an option (not the default 0.5). */
    boolean given() {
        return file != null || global != 0.5 || perLabel != null;
    }

    /** The thresholds and where they came from, for the report. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", ">=");
        if (perLabel != null) {
            List<Double> t = new ArrayList<>();
            for (double v : perLabel) {
                t.add(v);
            }
            m.put("thresholds", t);
        } else {
            m.put("threshold", global);
        }
        if (file != null) {
            m.put("file", file);
        }
        return m;
    }
}
