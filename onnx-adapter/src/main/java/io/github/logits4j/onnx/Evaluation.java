package io.github.logits4j.onnx;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.activation.Activation;
import io.github.logits4j.loss.BinaryCrossEntropyLoss;
import io.github.logits4j.loss.CrossEntropyLoss;
import io.github.logits4j.loss.Reduction;
import io.github.logits4j.metrics.BinaryMetrics;
import io.github.logits4j.metrics.MulticlassMetrics;
import io.github.logits4j.metrics.MultilabelMetrics;
import java.util.Arrays;

/** The running state of one {@link OnnxClassifier#evaluate} call; package-private. */
final class Evaluation {
    private final ModelContract model;
    private final ExecutionProvider provider;
    private final Task task;
    private final Activation activation;
    private final CrossEntropyLoss crossEntropy;
    private final BinaryCrossEntropyLoss binaryCrossEntropy;
    private final MulticlassMetrics multiclass;
    private final MultilabelMetrics multilabel;
    private final BinaryMetrics binary;
    private final long started = System.nanoTime();
    private double lossSum;
    private long samples;
    private long batches;
    private long ortNanos;
    private long postNanos;
    private final double[] inverseTemperatures;
    private float[] scaled = new float[0];
    private double[] probabilities = new double[0];
    private float[] targets = new float[0];

    Evaluation(ModelContract model, ExecutionProvider provider, EvaluationOptions o) {
        this.model = model;
        this.provider = provider;
        this.task = model.task();
        this.activation = model.activation();
        int c = model.classes();
        this.inverseTemperatures = inverse(model, o.temperatures);
        switch (task) {
            case MULTICLASS -> {
                crossEntropy = CrossEntropyLoss.builder().input(model.outputKind()).reduction(Reduction.SUM).build();
                binaryCrossEntropy = null;
                multiclass = MulticlassMetrics.builder(c).topK(o.topK).zeroDivision(o.zeroDivision)
                        .rankMode(o.rankMode).parallelism(o.parallelism).build();
                multilabel = null;
                binary = null;
            }
            case MULTILABEL -> {
                crossEntropy = null;
                binaryCrossEntropy = BinaryCrossEntropyLoss.builder().input(model.outputKind())
                        .reduction(Reduction.SUM).build();
                multiclass = null;
                MultilabelMetrics.Builder b = MultilabelMetrics.builder(c).zeroDivision(o.zeroDivision)
                        .rankMode(o.rankMode).parallelism(o.parallelism);
                if (o.thresholds != null) {
                    b.thresholds(o.thresholds);
                } else {
                    b.threshold(o.threshold);
                }
                multilabel = b.build();
                binary = null;
            }
            default -> {
                crossEntropy = null;
                binaryCrossEntropy = BinaryCrossEntropyLoss.builder().input(model.outputKind())
                        .reduction(Reduction.SUM).build();
                multiclass = null;
                multilabel = null;
                binary = BinaryMetrics.builder().threshold(o.threshold).zeroDivision(o.zeroDivision)
                        .rankMode(o.rankMode).build();
            }
        }
    }

    /** 1/T per column, or null without temperature scaling; checks the temperatures fit the model. */
    private static double[] inverse(ModelContract model, double[] temperatures) {
        if (temperatures == null) {
            return null;
        }
        if (model.outputKind() != OutputKind.LOGITS) {
            throw new IllegalArgumentException("a temperature divides logits; output '" + model.output() + "' of "
                    + model.source() + " emits " + model.outputKind().id() + " (" + model.kindEvidence() + ")");
        }
        int c = model.classes();
        if (temperatures.length != 1 && (temperatures.length != c || model.task() == Task.MULTICLASS)) {
            throw new IllegalArgumentException(temperatures.length + " temperatures; expected 1"
                    + (model.task() == Task.MULTICLASS ? " for a multi-class model" : " or " + c + ", one per label"));
        }
        double[] inv = new double[c];
        for (int j = 0; j < c; j++) {
            inv[j] = 1.0 / temperatures[temperatures.length == 1 ? 0 : j];
        }
        return inv;
    }

    void add(FloatMatrix output, LabelledBatch batch, long ort) {
        long t0 = System.nanoTime();
        int n = output.rows();
        int c = output.cols();
        FloatMatrix raw = inverseTemperatures == null ? clipped(output) : scale(output);
        if (probabilities.length < n * c) {
            probabilities = new double[n * c];
        }
        // Metrics read float64 probabilities of the float32 outputs, as scikit-learn would be given them.
        int[] rowLabels = batch.labels();
        boolean shared = false;
        double sharedLoss = 0.0;
        if (task == Task.MULTICLASS && activation == Activation.SOFTMAX && model.outputKind() == OutputKind.LOGITS
                && rowLabels != null && rowLabels.length == n) {
            // One log-softmax serves the loss and the probabilities: it is the (x - max) - logSum CrossEntropyLoss
            // computes, and exp of it is what SOFTMAX.applyToDoubles gives, so both equal the separate paths bit for
            // bit, for one pass of exponentials instead of two. Labels out of range are left to the metrics' check.
            Activation.LOG_SOFTMAX.applyToDoubles(raw, probabilities);
            shared = true;
            for (int r = 0; r < n; r++) {
                int t = rowLabels[r];
                if (t >= 0 && t < c) {
                    sharedLoss -= probabilities[r * c + t];
                }
            }
            for (int i = 0, end = n * c; i < end; i++) {
                probabilities[i] = Math.exp(probabilities[i]);
            }
        } else {
            activation.applyToDoubles(raw, probabilities);
        }
        // checkOutput already refused NaN and out-of-range probabilities; only a softmax or sigmoid of an infinite
        // (or temperature-overflowed) logit can still be NaN here
        for (int i = 0, end = activation == Activation.NONE || activation == Activation.EXP ? 0 : n * c; i < end;
                i++) {
            if (Double.isNaN(probabilities[i])) {
                model.checkHead(raw, i / c, inverseTemperatures == null ? ""
                        : " after dividing by the temperature " + temperatureText());
            }
        }
        if (task == Task.MULTILABEL) {
            FloatMatrix y = batch.labelMatrix();
            if (y == null) {
                throw new IllegalArgumentException("a multi-label evaluation needs a 0/1 label matrix per batch"
                        + " (LabelledBatch.ofMatrix); found one label per row");
            }
            if (y.cols() != c) {
                throw new IllegalArgumentException("label matrix has " + y.cols() + " columns; the model has " + c
                        + " labels");
            }
            multilabel.update(exact(n * c), y, null);
            lossSum += binaryCrossEntropy.compute(raw, y);
        } else {
            int[] labels = batch.labels();
            if (labels == null) {
                throw new IllegalArgumentException("a " + task.id() + " evaluation needs one label per row"
                        + " (LabelledBatch.of); found a label matrix");
            }
            if (task == Task.MULTICLASS) {
                multiclass.update(exact(n * c), n, labels, null);
                lossSum += shared ? sharedLoss : crossEntropy.compute(raw, labels);
            } else {
                binary.update(exact(n), labels, null);
                if (targets.length < n) {
                    targets = new float[n];
                }
                for (int r = 0; r < n; r++) {
                    targets[r] = labels[r];
                }
                lossSum += binaryCrossEntropy.compute(raw, FloatMatrix.wrap(targets, 0, n, 1));
            }
        }
        samples += n;
        batches++;
        ortNanos += ort;
        postNanos += System.nanoTime() - t0;
    }

    /**
     * Probabilities clipped to [0, 1] and log-probabilities to at most 0, as the metrics and losses need them (the
     * classifier accepted values only within {@link OnnxClassifier#PROBABILITY_TOLERANCE} outside); logits, and
     * outputs already in range, are returned as they are.
     */
    private FloatMatrix clipped(FloatMatrix output) {
        OutputKind kind = model.outputKind();
        if (kind == OutputKind.LOGITS) {
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

    /** The logits divided by the temperature, rounded to float, into a buffer reused across batches. */
    private FloatMatrix scale(FloatMatrix logits) {
        int n = logits.rows();
        int c = logits.cols();
        if (scaled.length < n * c) {
            scaled = new float[n * c];
        }
        float[] row = new float[c];
        for (int r = 0; r < n; r++) {
            logits.copyRowTo(r, row, 0);
            for (int j = 0; j < c; j++) {
                scaled[r * c + j] = inverseTemperatures[j] == 1.0 ? row[j] : (float) (row[j] * inverseTemperatures[j]);
            }
        }
        return FloatMatrix.wrap(scaled, 0, n, c);
    }

    private String temperatureText() {
        double[] t = new double[inverseTemperatures.length];
        for (int j = 0; j < t.length; j++) {
            t[j] = 1.0 / inverseTemperatures[j];
        }
        return t.length == 1 || Arrays.stream(t).distinct().count() == 1 ? Double.toString(t[0]) : Arrays.toString(t);
    }

    /** The first {@code size} probabilities, as an array of exactly that length (the metrics check lengths). */
    private double[] exact(int size) {
        return probabilities.length == size ? probabilities : Arrays.copyOf(probabilities, size);
    }

    EvaluationResult result() {
        if (samples == 0) {
            throw new IllegalArgumentException("no rows to evaluate: the data set is empty; expected at least one"
                    + " labelled row");
        }
        Object report;
        String lossName;
        double loss;
        if (task == Task.MULTICLASS) {
            report = multiclass.result();
            lossName = "cross_entropy";
            loss = lossSum / samples;
        } else if (task == Task.MULTILABEL) {
            report = multilabel.result();
            lossName = "binary_cross_entropy";
            loss = lossSum / ((double) samples * model.classes());
        } else {
            report = binary.result();
            lossName = "binary_cross_entropy";
            loss = lossSum / samples;
        }
        return new EvaluationResult(model, provider, samples, batches, lossName, loss, report, ortNanos, postNanos,
                System.nanoTime() - started);
    }
}
