package io.github.logits4j.onnx;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.LoadException;
import io.github.logits4j.Task;
import io.github.logits4j.conformal.ConformalPredictor;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Prediction sets that know the model they were calibrated for: a {@link ConformalPredictor} with the model's task
 * and class names, as {@code logits4j conformalize} writes it ({@code conformal.json}); {@link #fitTo} refuses it for
 * a model of another task or other class names. Multi-class models give sets of classes; a binary model's sets are
 * subsets of {0, 1} (its two classes); multi-label models are refused (label-wise conformal risk control is planned).
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * ModelConformal sets = ModelConformal.read(Path.of("conformal.json")).fitTo(model);
 * boolean[] members = new boolean[sets.classes()];
 * int size = sets.predict(scores.probabilities(), row, row, members);
 * }</pre>
 */
public final class ModelConformal {
    /** The key of the seed of randomized APS in the file. */
    private static final String SEED = "seed";

    private final ConformalPredictor predictor;
    private final long seed;
    private final @Nullable String source;
    private final Map<String, Object> file;

    private ModelConformal(ConformalPredictor predictor, long seed, @Nullable String source, Map<String, Object> file) {
        this.predictor = predictor;
        this.seed = seed;
        this.source = source;
        this.file = file;
    }

    /**
     * The sets of {@code predictor}, calibrated for {@code model} with {@code seed} (the uniforms of randomized APS).
     *
     * @throws IllegalArgumentException if the model is multi-label, or the predictor has another class count
     */
    public static ModelConformal of(ConformalPredictor predictor, long seed, OnnxClassifier model) {
        requireSetTask(model, "prediction sets");
        if (predictor.classes() != setClasses(model)) {
            throw new IllegalArgumentException("a predictor of " + predictor.classes() + " classes; "
                    + model.inspection().source() + " has " + setClasses(model));
        }
        Map<String, Object> values = new LinkedHashMap<>(predictor.toMap());
        values.put(SEED, seed);
        return new ModelConformal(predictor, seed, null, ModelFiles.madeFor(model.task().id(), model.classNames(),
                values));
    }

    /**
     * Reads a file written by {@code logits4j conformalize}.
     *
     * @throws LoadException naming the file if it is missing, not JSON, or not such a file
     */
    public static ModelConformal read(Path file) throws LoadException {
        return fromMap(ModelFiles.read(file), file.toString());
    }

    /**
     * Sets from a file's text (read from anywhere: a Hadoop file system, a resource); {@code source} names it.
     *
     * @throws LoadException naming {@code source} if the text is not such a JSON object
     */
    public static ModelConformal parse(String json, String source) throws LoadException {
        return fromMap(ModelFiles.parse(json, source), source);
    }

    /**
     * Sets from a file's map ({@link #toMap()}'s form); {@code source} names it in messages.
     *
     * @throws LoadException naming {@code source} if the map is malformed
     */
    public static ModelConformal fromMap(Map<String, ?> map, String source) throws LoadException {
        Objects.requireNonNull(source, "source");
        if (!map.containsKey("alpha") || !map.containsKey("score")) {
            throw new LoadException(source + ": has no 'alpha' and 'score'; expected a file written by logits4j"
                    + " conformalize");
        }
        try {
            long seed = map.get(SEED) instanceof Number n ? n.longValue() : 0L;
            return new ModelConformal(ConformalPredictor.fromMap(map), seed, source,
                    Collections.unmodifiableMap(new LinkedHashMap<>(map)));
        } catch (IllegalArgumentException e) {
            throw new LoadException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * These sets once checked to fit {@code model}: its task and class names as the file records them, and its class
     * count.
     *
     * @throws LoadException naming the file and the model when they do not fit
     */
    public ModelConformal fitTo(OnnxClassifier model) throws LoadException {
        String name = source != null ? source : "the prediction sets";
        if (model.task() == Task.MULTILABEL) {
            throw new LoadException(multilabelRefusal(model.inspection().source(), name));
        }
        ModelFiles.checkMadeFor(file, name, model);
        if (predictor.classes() != setClasses(model)) {
            throw new LoadException(name + ": has " + predictor.classes() + " classes; " + model.inspection().source()
                    + " has " + setClasses(model));
        }
        return this;
    }

    /** The number of classes a set is drawn from (2 for a binary model). */
    public int classes() {
        return predictor.classes();
    }

    /** The predictor. */
    public ConformalPredictor predictor() {
        return predictor;
    }

    /** The seed of the uniforms of randomized APS. */
    public long seed() {
        return seed;
    }

    /** The file these sets were read from, or null. */
    public @Nullable String source() {
        return source;
    }

    /**
     * The set of row {@code r} of a model's probabilities ({@code [N x C]}; a binary model's {@code [N x 1]} is read as
     * the two classes {@code [1 - p, p]}); {@code row} numbers it in the data set, for the uniform of randomized APS.
     * Marks {@code inSet[0..classes())} and returns the size.
     */
    public int predict(FloatMatrix probabilities, int r, long row, boolean[] inSet) {
        int classes = predictor.classes();
        double[] p = ROW.get();
        if (p.length < classes) {
            p = new double[classes];
            ROW.set(p);
        }
        if (probabilities.cols() == 1 && classes == 2) {
            double one = probabilities.get(r, 0);
            p[0] = 1.0 - one;
            p[1] = one;
        } else {
            for (int c = 0; c < classes; c++) {
                p[c] = probabilities.get(r, c);
            }
        }
        return predictor.predict(p, 0, io.github.logits4j.conformal.ConformalCalibrator.uniform(seed + 1, row), inSet);
    }

    private static final ThreadLocal<double[]> ROW = ThreadLocal.withInitial(() -> new double[0]);

    /** The class names of a set's members: the model's, or 0 and 1 for a binary model. */
    public static List<String> setClassNames(OnnxClassifier model) {
        return model.task() == Task.BINARY ? List.of("0", "1") : model.classNames();
    }

    /** The classes a model's sets are drawn from: its classes, or 2 for a binary model. */
    public static int setClasses(OnnxClassifier model) {
        return setClasses(model.task(), model.classes());
    }

    /** The classes a set is drawn from for a model of {@code task} with {@code classes} outputs. */
    static int setClasses(Task task, int classes) {
        return task == Task.BINARY ? 2 : classes;
    }

    /**
     * Refuses a multi-label model, naming what is planned.
     *
     * @throws IllegalArgumentException for a multi-label model
     */
    public static void requireSetTask(OnnxClassifier model, String what) {
        if (model.task() == Task.MULTILABEL) {
            throw new IllegalArgumentException(multilabelRefusal(model.inspection().source(), what));
        }
    }

    /** Why a multi-label model ({@code source}) gets no {@code what}, and what is planned. */
    static String multilabelRefusal(String source, String what) {
        return source + ": is multilabel; " + what + " are split conformal sets of one class per row (multi-class,"
                + " binary); label-wise sets (conformal risk control per label) are planned, not built";
    }

    /** The file's content: the model's {@code task}, the predictor's map, the seed, and {@code class_names}. */
    public Map<String, Object> toMap() {
        return file;
    }

    @Override
    public String toString() {
        return "ModelConformal[" + predictor + (source != null ? ", " + source : "") + "]";
    }
}
