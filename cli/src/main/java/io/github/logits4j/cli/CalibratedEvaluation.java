package io.github.logits4j.cli;

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
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.onnx.Scores;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An evaluation of a model's logits divided by a fitted temperature: the same loss (from the scaled logits) and metrics
 * (from {@code softmax(z / T)} or {@code sigmoid(z / T)} in double) as {@code OnnxClassifier.evaluate} computes from
 * the unscaled ones, with a report of the same keys. With T = 1 the two agree exactly.
 *
 * <pre>{@code
 * CalibratedEvaluation e = new CalibratedEvaluation(model, calibration, new int[] {5}, thresholds);
 * for (Chunk c; (c = data.next()) != null; ) {
 *     e.add(data.run(model, c), c);
 * }
 * Map<String, Object> report = e.toMap();
 * }</pre>
 */
final class CalibratedEvaluation {
    private final OnnxClassifier model;
    private final Calibration calibration;
    private final Task task;
    private final int classes;
    private final CrossEntropyLoss crossEntropy;
    private final BinaryCrossEntropyLoss binaryCrossEntropy;
    private final MulticlassMetrics multiclass;
    private final MultilabelMetrics multilabel;
    private final BinaryMetrics binary;
    private final Activation head;
    private final long started = System.nanoTime();
    private double lossSum;
    private long samples;
    private long batches;
    private long ortNanos;
    private long postNanos;

    CalibratedEvaluation(OnnxClassifier model, Calibration calibration, int[] topK, DecisionThresholds thresholds) {
        this.model = model;
        this.calibration = calibration;
        this.task = model.task();
        this.classes = model.classes();
        this.head = model.activation();
        switch (task) {
            case MULTICLASS -> {
                crossEntropy = CrossEntropyLoss.builder().input(OutputKind.LOGITS).reduction(Reduction.SUM).build();
                binaryCrossEntropy = null;
                multiclass = MulticlassMetrics.builder(classes).topK(topK).build();
                multilabel = null;
                binary = null;
            }
            case MULTILABEL -> {
                crossEntropy = null;
                binaryCrossEntropy = BinaryCrossEntropyLoss.builder().input(OutputKind.LOGITS)
                        .reduction(Reduction.SUM).build();
                multiclass = null;
                MultilabelMetrics.Builder b = MultilabelMetrics.builder(classes);
                double[] t = new double[classes];
                for (int c = 0; c < classes; c++) {
                    t[c] = thresholds.threshold(c);
                }
                multilabel = b.thresholds(t).build();
                binary = null;
            }
            default -> {
                crossEntropy = null;
                binaryCrossEntropy = BinaryCrossEntropyLoss.builder().input(OutputKind.LOGITS)
                        .reduction(Reduction.SUM).build();
                multiclass = null;
                multilabel = null;
                binary = BinaryMetrics.builder().threshold(thresholds.threshold(0)).build();
            }
        }
    }

    /** Adds one chunk's scores and labels. */
    void add(Scores scores, Chunk chunk) {
        long t0 = System.nanoTime();
        FloatMatrix z = calibration.scaledLogits(scores.raw());
        int n = z.rows();
        double[] p = new double[n * classes];
        head.applyToDoubles(z, p);
        switch (task) {
            case MULTICLASS -> {
                multiclass.update(p, n, chunk.labels(), null);
                lossSum += crossEntropy.compute(z, chunk.labels());
            }
            case MULTILABEL -> {
                float[] y = chunk.labelMatrix();
                int[] labels = new int[y.length];
                for (int i = 0; i < y.length; i++) {
                    labels[i] = (int) y[i];
                }
                multilabel.update(p, labels, n, null);
                lossSum += binaryCrossEntropy.compute(z, chunk.labelMatrixView());
            }
            default -> {
                int[] labels = chunk.labels();
                float[] targets = new float[n];
                for (int r = 0; r < n; r++) {
                    targets[r] = labels[r];
                }
                binary.update(p, labels, null);
                lossSum += binaryCrossEntropy.compute(z, FloatMatrix.wrap(targets, n, 1));
            }
        }
        samples += n;
        batches++;
        ortNanos += scores.onnxRuntimeNanos();
        postNanos += System.nanoTime() - t0;
    }

    /** The report, with the keys of {@code EvaluationResult.toMap()}. */
    Map<String, Object> toMap() {
        Map<String, Object> metrics;
        String lossName;
        double loss;
        if (task == Task.MULTICLASS) {
            metrics = multiclass.result().toMap();
            lossName = "cross_entropy";
            loss = lossSum / samples;
        } else if (task == Task.MULTILABEL) {
            metrics = multilabel.result().toMap();
            lossName = "binary_cross_entropy";
            loss = lossSum / ((double) samples * classes);
        } else {
            metrics = binary.result().toMap();
            lossName = "binary_cross_entropy";
            loss = lossSum / samples;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", samples);
        m.put("classes", classes);
        m.put("task", task.id());
        m.put("output_kind", "logits");
        m.put("activation_applied", head.id());
        m.put("provider", model.provider().id());
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("name", lossName);
        l.put("value", loss);
        m.put("loss", Collections.unmodifiableMap(l));
        m.put("metrics", metrics);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("batches", batches);
        t.put("onnx_runtime_ms", ortNanos / 1e6);
        t.put("post_processing_ms", postNanos / 1e6);
        t.put("total_ms", (System.nanoTime() - started) / 1e6);
        m.put("timing", Collections.unmodifiableMap(t));
        return m;
    }
}
