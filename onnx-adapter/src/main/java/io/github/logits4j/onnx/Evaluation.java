package io.github.logits4j.onnx;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.activation.Activation;
import io.github.logits4j.conformal.PredictionSetMetrics;
import io.github.logits4j.calibration.TemperatureScaling;
import io.github.logits4j.kernel.State;
import io.github.logits4j.metrics.MulticlassMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * The running state of one {@link OnnxClassifier#evaluate} call: applies the head once per batch (after the
 * temperature, when there is one), checks what the head made of the outputs, and hands outputs and probabilities to
 * the {@link TaskEvaluator} of the model's task; counts rows and time.
 *
 * <pre>{@code
 * Evaluation e = new Evaluation(contract, provider, options);
 * e.add(output, batch, ortNanos);                  // per batch
 * EvaluationResult r = e.result();
 * }</pre>
 *
 * <p>Not thread-safe: one evaluation, one thread.
 */
final class Evaluation {
    private static final Logger LOG = LoggerFactory.getLogger(Evaluation.class);
    private final ModelContract model;
    private final ExecutionProvider provider;
    private final Activation activation;
    private final TaskEvaluator evaluator;
    private final long started = System.nanoTime();
    private double lossSum;
    private long samples;
    private long batches;
    private long ortNanos;
    private long postNanos;
    private final double[] temperatures;
    private final double[] fBeta;
    private final int curvePoints;
    private final int curveClasses;
    private float[] scaled = new float[0];
    private double[] probabilities = new double[0];
    /** Multi-class probabilities read as the model gives them: their row sums are checked here. */
    private final boolean rowSums;
    private final double rowSumTolerance;
    private double worstRowSum = 1.0;
    private long worstRow = -1;
    /** The prediction sets made of each row, when the options ask for them, and their metrics. */
    private final @Nullable ModelConformal sets;
    private final @Nullable PredictionSetMetrics setMetrics;
    private boolean[] inSet = new boolean[0];
    private float[] head = new float[0];

    Evaluation(ModelContract model, ExecutionProvider provider, EvaluationOptions o) {
        this.model = model;
        this.provider = provider;
        this.activation = model.activation();
        this.temperatures = checkTemperatures(model, o.temperatures);
        this.evaluator = TaskEvaluator.of(model, o);
        this.fBeta = o.fBeta;
        this.curvePoints = o.curvePoints;
        this.curveClasses = o.curveClasses;
        this.rowSums = model.task() == Task.MULTICLASS && (model.outputKind() == OutputKind.PROBABILITIES
                || model.outputKind() == OutputKind.LOG_PROBABILITIES);
        this.rowSumTolerance = o.rowSumTolerance;
        this.sets = o.conformal == null ? null : conformal(model, o.conformal);
        this.setMetrics = sets == null ? null : new PredictionSetMetrics(sets.classes(), sets.predictor().alpha());
    }

    /** The prediction sets of the options' map, checked against the model. */
    private static ModelConformal conformal(ModelContract model, Map<String, Object> map) {
        if (model.task() == Task.MULTILABEL) {
            throw new IllegalArgumentException(ModelConformal.multilabelRefusal(model.source(), "prediction sets"));
        }
        try {
            ModelConformal sets = ModelConformal.fromMap(map, "the prediction sets");
            int classes = ModelConformal.setClasses(model.task(), model.classes());
            if (sets.classes() != classes) {
                throw new IllegalArgumentException("the prediction sets have " + sets.classes() + " classes; "
                        + model.source() + " has " + classes);
            }
            return sets;
        } catch (io.github.logits4j.LoadException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Each row's set, added to the set metrics with its label: made of the float32 probabilities of the model's head
     * ({@code Scores.probabilities()}, what {@code predict} writes and {@code conformalize} calibrates on), so that a
     * row has the same set in every command.
     */
    private void addSets(FloatMatrix raw, LabelledBatch batch) {
        int n = raw.rows();
        int c = raw.cols();
        if (inSet.length < sets.classes()) {
            inSet = new boolean[sets.classes()];
        }
        FloatMatrix p = raw;
        if (activation != Activation.NONE) {
            if (head.length < n * c) {
                head = new float[n * c];
            }
            p = FloatMatrix.wrap(head, 0, n, c);
            activation.apply(raw, p);
        }
        int[] labels = batch.labels();
        Inputs inputs = batch.inputs();
        for (int r = 0; r < n; r++) {
            sets.predict(p, r, inputs.rowId(r), inSet);
            setMetrics.add(inSet, labels[r]);
        }
    }

    /** The temperatures (one, or one per label), or null without; checks that they fit the model. */
    private static double @Nullable [] checkTemperatures(ModelContract model, double @Nullable [] temperatures) {
        if (temperatures == null) {
            return null;
        }
        model.requireLogits("temperature scaling");
        int c = model.classes();
        if (temperatures.length != 1 && (temperatures.length != c || model.task() == Task.MULTICLASS)) {
            throw new IllegalArgumentException(temperatures.length + " temperatures; expected 1"
                    + (model.task() == Task.MULTICLASS ? " for a multi-class model" : " or " + c + ", one per label"));
        }
        return temperatures.clone();
    }

    void add(FloatMatrix output, LabelledBatch batch, long ort) {
        long t0 = System.nanoTime();
        int n = output.rows();
        int c = output.cols();
        FloatMatrix raw = temperatures == null ? clipped(output) : scale(output);
        if (probabilities.length != n * c) {
            probabilities = new double[n * c];      // the metrics read exactly rows x classes
        }
        // Metrics read float64 probabilities of the float32 outputs, as scikit-learn would be given them (double
        // arithmetic, the same under every kernel path); the loss is the library's loss of the same outputs
        // (CrossEntropyLoss, BinaryCrossEntropyLoss), so an evaluation and the loss classes give one number.
        activation.applyToDoubles(raw, probabilities);
        // checkOutput already refused NaN and out-of-range probabilities; only a softmax or sigmoid of an infinite
        // (or temperature-overflowed) logit can still be NaN here
        for (int i = 0, end = activation == Activation.NONE || activation == Activation.EXP ? 0 : n * c; i < end;
                i++) {
            if (Double.isNaN(probabilities[i])) {
                model.checkHead(raw, i / c, batch.inputs().firstRow(), temperatures == null ? ""
                        : " after dividing by the temperature " + temperatureText());
            }
        }
        if (rowSums) {
            checkRowSums(n, c, batch.inputs().firstRow());
        }
        lossSum += evaluator.add(raw, probabilities, batch);
        if (sets != null) {
            addSets(raw, batch);
        }
        samples += n;
        batches++;
        ortNanos += ort;
        postNanos += System.nanoTime() - t0;
    }

    /**
     * Keeps the row whose probabilities sum furthest from 1, and refuses a row beyond the tolerance with a message
     * naming the row of the data set, its sum, and the setting that allows it.
     */
    private void checkRowSums(int n, int c, long firstRow) {
        for (int r = 0; r < n; r++) {
            double sum = 0;
            for (int j = 0; j < c; j++) {
                sum += probabilities[r * c + j];
            }
            double off = Math.abs(sum - 1);
            if (!(off <= rowSumTolerance)) {
                throw new IllegalArgumentException(model.source() + ": the probabilities of output '" + model.output()
                        + "' at row " + (firstRow + r) + " sum to " + sum + "; expected 1 within " + rowSumTolerance
                        + ". A float32 export that builds probabilities with arithmetic drifts (scikit-learn's"
                        + " GaussianNB: 1.0025); to score such rows as they are, as scikit-learn's log_loss does,"
                        + " allow them with " + model.settingName(Setting.ROW_SUM_TOLERANCE) + " (0.01 is ample for"
                        + " such drift); rows far from 1 mean the output is not probabilities: say what it holds with "
                        + model.settingName(Setting.OUTPUT_KIND));
            }
            if (off > Math.abs(worstRowSum - 1)) {
                worstRowSum = sum;
                worstRow = firstRow + r;
            }
        }
    }

    /**
     * Probabilities clipped to [0, 1] and log-probabilities to at most 0, as the metrics and losses need them (the
     * classifier accepted values only within {@link OnnxClassifier#PROBABILITY_TOLERANCE} outside); logits, and
     * outputs already in range, are returned as they are.
     */
    private FloatMatrix clipped(FloatMatrix output) {
        OutputKind kind = model.outputKind();
        if (kind == OutputKind.LOGITS || kind == OutputKind.DECISION_VALUES) {
            return output;
        }
        float low = kind == OutputKind.PROBABILITIES ? 0f : Float.NEGATIVE_INFINITY;
        float high = kind == OutputKind.PROBABILITIES ? 1f : 0f;
        int n = output.rows();
        int c = output.cols();
        boolean inside = true;
        for (int r = 0; r < n && inside; r++) {
            for (int j = 0; j < c && inside; j++) {
                float v = output.get(r, j);
                inside = v >= low && v <= high;
            }
        }
        if (inside) {
            return output;
        }
        if (scaled.length < n * c) {
            scaled = new float[n * c];
        }
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < c; j++) {
                scaled[r * c + j] = Math.min(high, Math.max(low, output.get(r, j)));
            }
        }
        return FloatMatrix.wrap(scaled, 0, n, c);
    }

    /** The logits divided by the temperature as {@link TemperatureScaling#scale} does, into a reused buffer. */
    private FloatMatrix scale(FloatMatrix logits) {
        int n = logits.rows();
        int c = logits.cols();
        if (scaled.length < n * c) {
            scaled = new float[n * c];
        }
        FloatMatrix out = FloatMatrix.wrap(scaled, 0, n, c);
        TemperatureScaling.scale(logits, temperatures, out);
        return out;
    }

    private String temperatureText() {
        double[] t = temperatures;
        return t.length == 1 || Arrays.stream(t).distinct().count() == 1 ? Double.toString(t[0]) : Arrays.toString(t);
    }

    /** The state of this evaluation in {@link State}'s compact form, for merging in another JVM. */
    byte[] toBytes() {
        return State.write("evaluation", settings(), this::exchange);
    }

    /**
     * Adds an evaluation's state written by {@link #toBytes}, of the same model output and options.
     *
     * @throws IllegalArgumentException if the state is damaged or of another model or options
     */
    void mergeBytes(byte[] state) {
        State.merge(state, "evaluation", settings(), this::exchange);
    }

    private void exchange(State s) {
        lossSum = s.add(lossSum);
        samples = s.add(samples);
        batches = s.add(batches);
        ortNanos = s.add(ortNanos);
        postNanos = s.add(postNanos);
        double[] worst = {worstRowSum, worstRow};
        double mine = worstRowSum;
        s.doubles(worst, 0, 2);           // written, or the other evaluation's read: the furthest row wins
        if (s instanceof State.In && worst[1] >= 0 && Math.abs(worst[0] - 1) > Math.abs(mine - 1)) {
            worstRowSum = worst[0];
            worstRow = (long) worst[1];
        }
        evaluator.exchange(s);
        if (setMetrics != null) {
            byte[] other = s.bytes(setMetrics.toBytes());
            if (s instanceof State.In) {
                setMetrics.mergeBytes(other);
            }
        }
    }

    /** What must agree for two evaluations to merge (the metrics' own settings are compared by their states). */
    private String settings() {
        return "output=" + model.output() + ", task=" + model.task().id() + ", classes=" + model.classes()
                + ", outputKind=" + model.outputKind().id() + ", temperatures=" + Arrays.toString(temperatures)
                + ", fBeta=" + Arrays.toString(fBeta) + ", sets=" + (sets == null ? "none" : sets.predictor());
    }

    EvaluationResult result() {
        if (samples == 0) {
            throw new IllegalArgumentException("no rows to evaluate: the data set is empty; expected at least one"
                    + " labelled row");
        }
        List<String> warnings = new ArrayList<>();
        if (worstRow >= 0 && Math.abs(worstRowSum - 1) > MulticlassMetrics.DEFAULT_ROW_SUM_TOLERANCE) {
            String w = model.source() + ": the probability rows of output '" + model.output() + "' do not all sum"
                    + " to 1: the furthest, row " + worstRow + ", sums to " + String.format(Locale.ROOT, "%.9g",
                    worstRowSum) + "; they were scored as they are (row-sum tolerance " + rowSumTolerance + "), as"
                    + " scikit-learn's log_loss does";
            LOG.warn(w);
            warnings.add(w);
        }
        return new EvaluationResult(model, provider, samples, batches, evaluator.lossName(),
                evaluator.meanLoss(lossSum, samples), evaluator.report(), evaluator.hingeLoss(), fBeta,
                curvePoints == 0 ? null : evaluator.curves(curvePoints, curveClasses), ortNanos, postNanos,
                System.nanoTime() - started, warnings, setMetrics == null ? null : setMetrics.result());
    }
}
