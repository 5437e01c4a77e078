package io.github.logits4j.onnx;

import io.github.logits4j.LoadException;
import io.github.logits4j.Task;
import io.github.logits4j.decision.DecisionThresholds;
import io.github.logits4j.tuning.TunedThreshold;
import io.github.logits4j.tuning.TunedThresholds;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Decision thresholds that know the model they were made for: a thresholds file written by
 * {@code logits4j tune-thresholds} (or {@link #of(TunedThresholds, OnnxClassifier)}), which records the model's task
 * and class names beside the thresholds, or one threshold given by hand. {@link #fitTo} checks them against a model
 * and refuses a mismatch, instead of applying another model's thresholds silently. Immutable.
 *
 * <pre>{@code
 * DecisionThresholds t = ModelThresholds.read(Path.of("thresholds.json")).fitTo(model).thresholds();
 * EvaluationResult r = model.evaluate(batches, EvaluationOptions.builder().thresholds(t).build());
 * }</pre>
 */
public final class ModelThresholds {
    private final DecisionThresholds thresholds;
    private final @Nullable String source;
    private final Map<String, Object> file;
    private final @Nullable TunedThresholds tuned;
    private final @Nullable TunedThreshold tunedBinary;

    private ModelThresholds(DecisionThresholds thresholds, @Nullable String source, Map<String, Object> file,
            @Nullable TunedThresholds tuned, @Nullable TunedThreshold tunedBinary) {
        this.thresholds = thresholds;
        this.source = source;
        this.file = file;
        this.tuned = tuned;
        this.tunedBinary = tunedBinary;
    }

    /** Thresholds given by hand, for any binary or multi-label model they fit. */
    public static ModelThresholds of(DecisionThresholds thresholds) {
        return new ModelThresholds(Objects.requireNonNull(thresholds, "thresholds"), null, Map.of(), null, null);
    }

    /** Tuned per-label thresholds of a multi-label {@code model}, with its task and class names (the file's form). */
    public static ModelThresholds of(TunedThresholds tuned, OnnxClassifier model) {
        return new ModelThresholds(tuned.decisionThresholds(), null,
                ModelFiles.madeFor(model.task().id(), model.classNames(), tuned.toMap()), tuned, null);
    }

    /** A tuned threshold of a binary {@code model}, with its task and class names (the file's form). */
    public static ModelThresholds of(TunedThreshold tuned, OnnxClassifier model) {
        return new ModelThresholds(tuned.decisionThresholds(), null,
                ModelFiles.madeFor(model.task().id(), model.classNames(), tuned.toMap()), null, tuned);
    }

    /**
     * Reads a thresholds file written by {@code logits4j tune-thresholds}.
     *
     * @throws LoadException naming the file if it is missing, not JSON, a temperature file, or malformed
     */
    public static ModelThresholds read(Path file) throws LoadException {
        return fromMap(ModelFiles.read(file), file.toString());
    }

    /**
     * Thresholds from a file's text (read from anywhere: a Hadoop file system, a resource); {@code source} names it.
     *
     * @throws LoadException naming {@code source} if the text is not such a JSON object
     */
    public static ModelThresholds parse(String json, String source) throws LoadException {
        return fromMap(ModelFiles.parse(json, source), source);
    }

    /**
     * Thresholds from a file's map ({@link #toMap()}'s form); {@code source} names it in messages.
     *
     * @throws LoadException naming {@code source} if the map holds a temperature or is malformed
     */
    public static ModelThresholds fromMap(Map<String, ?> map, String source) throws LoadException {
        Objects.requireNonNull(source, "source");
        if (map.containsKey("temperature") && !map.containsKey("threshold") && !map.containsKey("thresholds")) {
            throw new LoadException(source + ": holds a temperature written by logits4j calibrate, not thresholds;"
                    + " give it as the calibration, and thresholds from logits4j tune-thresholds as the thresholds"
                    + " (on the command line: --calibration and --thresholds)");
        }
        TunedThresholds perLabel = null;
        TunedThreshold binary = null;
        double[] values;
        try {
            if (map.get("thresholds") instanceof List) {
                perLabel = TunedThresholds.fromMap(map);
                values = perLabel.thresholds();
            } else if (map.containsKey("threshold")) {
                binary = TunedThreshold.fromMap(map);
                values = new double[] {binary.threshold()};
            } else {
                throw new LoadException(source + ": has neither 'thresholds' nor 'threshold'; expected a file written"
                        + " by logits4j tune-thresholds");
            }
        } catch (IllegalArgumentException e) {
            throw new LoadException(source + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] >= 0.0 && values[i] <= 1.0)) {
                throw new LoadException(source + ": threshold " + i + " is " + values[i] + "; expected a probability"
                        + " in [0, 1] (tuned on scores that were not probabilities?)");
            }
        }
        DecisionThresholds t = values.length == 1 ? DecisionThresholds.of(values[0])
                : DecisionThresholds.perLabel(values);
        return new ModelThresholds(t, source, Collections.unmodifiableMap(new LinkedHashMap<>(map)), perLabel,
                binary);
    }

    /**
     * These thresholds once checked to fit {@code model}: a binary or multi-label model, of the task and class names the
     * file was made for, with one threshold or one per label.
     *
     * @throws LoadException naming the file (or the setting) and the model: a multi-class model (whose decision is
     *     the argmax), another task, other class names, or another number of thresholds
     */
    public ModelThresholds fitTo(OnnxClassifier model) throws LoadException {
        String what = source != null ? model.contract().settingName(Setting.THRESHOLDS) + " " + source
                : model.contract().settingName(Setting.THRESHOLD);
        if (model.task() == Task.MULTICLASS) {
            throw new LoadException(model.inspection().source() + ": is multiclass, so its decision is the argmax and "
                    + what + " does not apply; thresholds are for multilabel and binary models (use "
                    + model.contract().settingName(Setting.TASK) + " to override the detected task)");
        }
        if (source != null) {
            ModelFiles.checkMadeFor(file, source, model);
        }
        int count = thresholds.isPerLabel() ? thresholds.labels() : 1;
        if (thresholds.isPerLabel() && count != model.classes()) {
            throw new LoadException((source != null ? source : "the thresholds") + ": has " + count + " threshold"
                    + (count == 1 ? "" : "s") + "; " + model.inspection().source() + " has " + model.classes()
                    + " label" + (model.classes() == 1 ? "" : "s"));
        }
        return this;
    }

    /** The per-label tuning these thresholds came from (a multi-label model's file), or null. */
    public @Nullable TunedThresholds tuned() {
        return tuned;
    }

    /** The tuning of a binary model's threshold this came from, or null. */
    public @Nullable TunedThreshold tunedBinary() {
        return tunedBinary;
    }

    /**
     * What a report says of these thresholds: {@code rule}, {@code threshold} (one) or {@code thresholds} (per
     * label), and {@code file} when read from one.
     */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>(thresholds.toMap());
        if (source != null) {
            m.put("file", source);
        }
        return Collections.unmodifiableMap(m);
    }

    /** Whether these are the default thresholds (0.5, {@code >=}) given by no file. */
    public boolean isDefault() {
        return source == null && thresholds.equals(DecisionThresholds.DEFAULT);
    }

    /** The thresholds (check them against a model with {@link #fitTo}). */
    public DecisionThresholds thresholds() {
        return thresholds;
    }

    /** The file these thresholds were read from, or null. */
    public @Nullable String source() {
        return source;
    }

    /**
     * The file's content: the model's {@code task} and {@code class_names}, then the tuned thresholds' map
     * ({@link TunedThresholds#toMap()}); for thresholds given by hand, {@link DecisionThresholds#toMap()}.
     */
    public Map<String, Object> toMap() {
        return file.isEmpty() ? thresholds.toMap() : file;
    }

    @Override
    public String toString() {
        return "ModelThresholds[" + thresholds + (source != null ? ", " + source : "") + "]";
    }
}
