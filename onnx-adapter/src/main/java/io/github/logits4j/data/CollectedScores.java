package io.github.logits4j.data;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.Task;
import io.github.logits4j.calibration.TemperatureScaling;
import io.github.logits4j.conformal.ConformalCalibrator;
import io.github.logits4j.conformal.ConformityScore;
import io.github.logits4j.conformal.RapsTuning;
import io.github.logits4j.onnx.ModelConformal;
import io.github.logits4j.onnx.ModelTemperature;
import io.github.logits4j.onnx.ModelThresholds;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.onnx.Scores;
import io.github.logits4j.tuning.ThresholdTuner;
import java.util.Arrays;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A model's outputs over a whole labelled data set, held in memory with the labels ({@code N × C} floats twice):
 * what threshold tuning and temperature fitting need at once. Made by {@link DataSet#collect}; tunes thresholds and
 * fits a temperature for the model that made it, each result knowing that model.
 *
 * <pre>{@code
 * try (DataSet validation = DataSet.builder(model).input("val_x.npy").labels(Path.of("val_y.npy")).open()) {
 *     CollectedScores v = validation.collect(model, null, b -> { });
 *     ModelTemperature t = v.fitTemperature(model, false);
 *     ModelThresholds tuned = v.tuneThresholds(model, ThresholdTuner.builder().build());
 * }
 * }</pre>
 *
 * <p>Immutable once made.
 */
public final class CollectedScores {
    private final FloatMatrix raw;
    private final FloatMatrix probabilities;
    private final int @Nullable [] labels;
    private final @Nullable FloatMatrix labelMatrix;
    private final Task task;

    private CollectedScores(FloatMatrix raw, FloatMatrix probabilities, int @Nullable [] labels,
            @Nullable FloatMatrix labelMatrix, Task task) {
        this.raw = raw;
        this.probabilities = probabilities;
        this.labels = labels;
        this.labelMatrix = labelMatrix;
        this.task = task;
    }

    /** Runs {@code model} over the rest of {@code data}; see {@link DataSet#collect}. */
    static CollectedScores of(OnnxClassifier model, DataSet data, @Nullable ModelTemperature temperature,
            Consumer<Batch> onBatch) {
        int c = model.classes();
        boolean isMatrix = model.task() == Task.MULTILABEL;
        float[] raw = new float[0];
        float[] probabilities = new float[0];
        int[] labels = new int[0];
        float[] matrix = new float[0];
        int rows = 0;
        for (Batch chunk; (chunk = data.next()) != null; ) {
            Scores s = data.run(model, chunk);
            int n = chunk.rows();
            long needed = (long) (rows + n) * c;
            if (needed > Integer.MAX_VALUE - 8) {
                throw new DataException(data.inputFiles() + ": more than " + (Integer.MAX_VALUE / c) + " rows; "
                        + "tuning and calibration keep every score in memory, so use a sample of the data");
            }
            if (raw.length < needed) {
                int capacity = (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(needed, 2L * raw.length));
                raw = Arrays.copyOf(raw, capacity);
                probabilities = Arrays.copyOf(probabilities, capacity);
                matrix = isMatrix ? Arrays.copyOf(matrix, capacity) : matrix;
            }
            if (labels.length < rows + n && !isMatrix) {
                labels = Arrays.copyOf(labels, Math.max(rows + n, 2 * labels.length));
            }
            FloatMatrix p = temperature == null ? s.probabilities() : temperature.probabilities(s.raw());
            for (int r = 0; r < n; r++) {
                s.raw().copyRowTo(r, raw, (rows + r) * c);
                p.copyRowTo(r, probabilities, (rows + r) * c);
            }
            FloatMatrix y = isMatrix ? chunk.labelMatrix() : null;
            for (int r = 0; r < n; r++) {
                if (isMatrix) {
                    y.copyRowTo(r, matrix, (rows + r) * c);
                } else {
                    labels[rows + r] = chunk.label(r);
                }
            }
            rows += n;
            onBatch.accept(chunk);
        }
        return new CollectedScores(FloatMatrix.wrap(Arrays.copyOf(raw, rows * c), rows, c),
                FloatMatrix.wrap(Arrays.copyOf(probabilities, rows * c), rows, c),
                isMatrix ? null : Arrays.copyOf(labels, rows),
                isMatrix ? FloatMatrix.wrap(Arrays.copyOf(matrix, rows * c), rows, c) : null, model.task());
    }

    /** The number of rows. */
    public int rows() {
        return raw.rows();
    }

    /** The raw outputs {@code [N × C]}. */
    public FloatMatrix raw() {
        return raw;
    }

    /** The probabilities {@code [N × C]} (calibrated when a temperature was given). */
    public FloatMatrix probabilities() {
        return probabilities;
    }

    /** The per-row labels (class indices, or 0/1 for binary); null for a multi-label model. */
    public int @Nullable [] labels() {
        return labels == null ? null : labels.clone();
    }

    /** The 0/1 label matrix {@code [N × C]} of a multi-label model; null otherwise. */
    public @Nullable FloatMatrix labelMatrix() {
        return labelMatrix;
    }

    /**
     * Tunes the decision thresholds of a multi-label or binary {@code model} on these probabilities: one per label,
     * or the one of a binary model; the result records the model's task and class names.
     *
     * @throws IllegalArgumentException if the model is multi-class, or not the task these scores were collected for
     */
    public ModelThresholds tuneThresholds(OnnxClassifier model, ThresholdTuner tuner) {
        requireTask(model);
        if (task == Task.MULTICLASS) {
            throw new IllegalArgumentException(model.inspection().source() + ": is multiclass, so its decision is the"
                    + " argmax and has no threshold; thresholds are tuned for multilabel and binary models");
        }
        if (task == Task.MULTILABEL) {
            return ModelThresholds.of(tuner.tune(probabilities, labelMatrix), model);
        }
        double[] scores = new double[probabilities.rows()];
        for (int r = 0; r < scores.length; r++) {
            scores[r] = probabilities.get(r, 0);
        }
        return ModelThresholds.of(tuner.tuneBinary(scores, labels), model);
    }

    /**
     * Fits the temperature of {@code model}'s logits on these scores ({@link TemperatureScaling}): one for a
     * multi-class model; one, or one per label with {@code perLabel}, otherwise. The result records the model's task
     * and class names.
     *
     * @throws IllegalArgumentException if the model does not emit logits, is not the task these scores were
     *     collected for, or the labels cannot be fitted (one class only, separable logits: the message says why)
     */
    public ModelTemperature fitTemperature(OnnxClassifier model, boolean perLabel) {
        requireTask(model);
        model.requireLogits("temperature scaling");
        if (task == Task.MULTICLASS) {
            return ModelTemperature.of(TemperatureScaling.fit(raw, labels), model);
        }
        FloatMatrix targets = task == Task.MULTILABEL ? labelMatrix : binaryTargets();
        return ModelTemperature.of(TemperatureScaling.fitMultilabel(raw, targets, perLabel), model);
    }

    /**
     * Calibrates prediction sets for {@code model} on these rows (the calibration split): the conformity scores of
     * the probabilities (a binary model's read as the two classes {@code [1 - p, p]}), and their conformal quantile
     * at miscoverage {@code alpha}, over all rows or per class; {@code seed} draws the uniforms of randomized APS. The
     * result records the model's task and class names and the seed.
     *
     * @throws IllegalArgumentException if the model is multi-label or emits decision values, or is not the task these
     *     scores were collected for
     */
    public ModelConformal conformalize(OnnxClassifier model, ConformityScore score, boolean classConditional,
            double alpha, long seed) {
        double[] p = setProbabilities(model);
        int classes = ModelConformal.setClasses(model);
        ConformalCalibrator cal = ConformalCalibrator.builder(classes).score(score).classConditional(classConditional)
                .seed(seed).build();
        cal.update(p, probabilities.rows(), labels, null);
        return ModelConformal.of(cal.predictor(alpha), seed, model);
    }

    /**
     * RAPS sets with {@code k_reg} and {@code lambda} tuned as MAPIE does ({@link RapsTuning}) on a share of these
     * rows drawn by the seed ({@code tuningFraction}, MAPIE's {@code size_raps}), then calibrated on the rest.
     *
     * <pre>{@code
     * ModelConformal sets = split.conformalizeRaps(model, true, IncludeLastLabel.TRUE, 0.2, false, 0.1, 7);
     * }</pre>
     *
     * @throws IllegalArgumentException as {@link #conformalize}, or if the fraction leaves no row on either side
     */
    public ModelConformal conformalizeRaps(OnnxClassifier model, boolean randomized,
            ConformityScore.IncludeLastLabel includeLastLabel, double tuningFraction, boolean classConditional,
            double alpha, long seed) {
        double[] p = setProbabilities(model);
        int classes = ModelConformal.setClasses(model);
        int n = probabilities.rows();
        int[] tuning = RapsTuning.tuningRows(n, tuningFraction, seed);
        RapsTuning tuned = RapsTuning.tune(p, n, labels, tuning, alpha, randomized, includeLastLabel);
        int rest = n - tuning.length;
        double[] pCal = new double[rest * classes];
        int[] yCal = new int[rest];
        for (int r = 0, t = 0, i = 0; r < n; r++) {
            if (t < tuning.length && tuning[t] == r) {
                t++;
                continue;
            }
            System.arraycopy(p, r * classes, pCal, i * classes, classes);
            yCal[i++] = labels[r];
        }
        ConformalCalibrator cal = ConformalCalibrator.builder(classes).score(tuned.score())
                .classConditional(classConditional).seed(seed).build();
        cal.update(pCal, rest, yCal, null);
        return ModelConformal.of(cal.predictor(alpha), seed, model);
    }

    /** The rows' head probabilities as the sets read them (binary: [1 - p, p]), checked for the task. */
    private double[] setProbabilities(OnnxClassifier model) {
        requireTask(model);
        ModelConformal.requireSetTask(model, "prediction sets");
        if (model.outputKind() == io.github.logits4j.OutputKind.DECISION_VALUES) {
            throw new IllegalArgumentException(model.inspection().source() + ": emits decision values, not"
                    + " probabilities; prediction sets are made of probabilities (say the output is logits with"
                    + " outputKind, if it is)");
        }
        int n = probabilities.rows();
        int classes = ModelConformal.setClasses(model);
        double[] p = new double[n * classes];
        for (int r = 0; r < n; r++) {
            if (task == Task.BINARY) {
                double one = probabilities.get(r, 0);
                p[r * 2] = 1.0 - one;
                p[r * 2 + 1] = one;
            } else {
                for (int c = 0; c < classes; c++) {
                    p[r * classes + c] = probabilities.get(r, c);
                }
            }
        }
        return p;
    }

    private FloatMatrix binaryTargets() {
        float[] t = new float[labels.length];
        for (int r = 0; r < t.length; r++) {
            t[r] = labels[r];
        }
        return FloatMatrix.wrap(t, t.length, 1);
    }

    private void requireTask(OnnxClassifier model) {
        if (model.task() != task || model.classes() != raw.cols()) {
            throw new IllegalArgumentException("these scores were collected from a " + task.id() + " model of "
                    + raw.cols() + " classes; " + model.inspection().source() + " is " + model.task().id() + " with "
                    + model.classes());
        }
    }
}
