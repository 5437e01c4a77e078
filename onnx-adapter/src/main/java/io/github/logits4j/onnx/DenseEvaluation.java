package io.github.logits4j.onnx;

import io.github.logits4j.DenseScores;
import io.github.logits4j.loss.CrossEntropyLoss;
import io.github.logits4j.loss.Reduction;
import io.github.logits4j.metrics.DenseMetrics;
import io.github.logits4j.metrics.DenseReport;
import io.github.logits4j.metrics.EntityMetrics;
import io.github.logits4j.metrics.PerImageSegmentationMetrics;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The evaluation of a model with a dense output (a segmentation, a token classifier), batch by batch: the mean
 * cross-entropy over the labelled positions (as {@code F.cross_entropy} with {@code ignore_index}), the dataset-level
 * metrics of one confusion matrix ({@link DenseReport}), for a class-first output torchmetrics' per-image forms
 * ({@link PerImageSegmentationMetrics}), and for tag names in IOB form (every name {@code O} or {@code B-}, {@code I-},
 * {@code E-}, {@code S-} something) seqeval's entity precision, recall and F1 ({@link EntityMetrics}). Not
 * thread-safe.
 *
 * <pre>{@code
 * DenseEvaluation e = DenseEvaluation.of(model, 255);
 * e.add(model.runDense(batch), labels);         // labels: [rows, d..] row-major, 255 where not labelled
 * Map<String, Object> report = e.toMap();       // loss, accuracy, mean_iou, per_class_iou, ...
 * }</pre>
 */
public final class DenseEvaluation {
    private final List<String> classNames;
    private final CrossEntropyLoss loss;
    private final DenseMetrics metrics;
    private final @Nullable PerImageSegmentationMetrics perImage;
    private final @Nullable EntityMetrics entities;
    private final io.github.logits4j.activation.Activation head;
    private final int ignoreIndex;
    /** torchmetrics' expected calibration error over the labelled positions (15 bins). */
    private final io.github.logits4j.metrics.CalibrationError ece =
            new io.github.logits4j.metrics.CalibrationError(15);
    private double lossSum;
    private long samples;

    private DenseEvaluation(OnnxClassifier model, int ignoreIndex) {
        int classes = model.classes();
        this.classNames = model.classNames();
        this.loss = CrossEntropyLoss.builder().input(model.outputKind()).ignoreIndex(ignoreIndex)
                .reduction(Reduction.SUM).build();
        this.metrics = DenseMetrics.builder(classes).ignoreIndex(ignoreIndex).build();
        this.perImage = model.classAxis() == DenseScores.ClassAxis.FIRST
                ? PerImageSegmentationMetrics.builder(classes).ignoreIndex(ignoreIndex).build() : null;
        this.entities = iobTags(classNames) ? EntityMetrics.builder(classNames).ignoreIndex(ignoreIndex).build() : null;
        this.head = model.activation();
        this.ignoreIndex = ignoreIndex;
    }

    /**
     * An empty evaluation of {@code model}'s dense output, positions labelled {@code ignoreIndex} not counted.
     *
     * @throws IllegalArgumentException if the model's output is not dense, is not multi-class, or the ignore index is
     *     a class
     */
    public static DenseEvaluation of(OnnxClassifier model, int ignoreIndex) {
        Objects.requireNonNull(model, "model");
        if (model.classAxis() == null) {
            throw new IllegalArgumentException(model.inspection().source() + ": output '" + model.output()
                    + "' holds one row of scores per sample; evaluate it with OnnxClassifier.evaluate");
        }
        if (model.task() != io.github.logits4j.Task.MULTICLASS) {
            throw new IllegalArgumentException(model.inspection().source() + ": a dense " + model.task().id()
                    + " output (a sigmoid per class at every position); dense evaluation reads a class per"
                    + " position (multiclass) so far");
        }
        return new DenseEvaluation(model, ignoreIndex);
    }

    /** Whether every name is {@code O} or an IOB/IOBES tag ({@code B-PER}, {@code I-PER}, ...), at least one. */
    static boolean iobTags(List<String> names) {
        boolean tagged = false;
        for (String n : names) {
            if (n.equals("O")) {
                continue;
            }
            if (n.length() < 3 || "BIES".indexOf(n.charAt(0)) < 0 || n.charAt(1) != '-') {
                return false;
            }
            tagged = true;
        }
        return tagged;
    }

    /**
     * Adds a batch of dense scores (as {@code runDense} returns them) with one label per position.
     *
     * @throws IllegalArgumentException naming the sample and position of a label out of range; nothing is added then
     */
    public void add(DenseScores scores, int[] labels) {
        double batchLoss = loss.compute(scores, labels);       // checks every label first
        metrics.update(scores, labels);                        // the fused argmax-and-count pass
        int n = scores.samples();
        int p = scores.positions();
        int[] decided = new int[n * p];                        // the mask, once, for the rest
        io.github.logits4j.decision.Argmax.into(scores, decided);
        if (perImage != null) {
            perImage.update(decided, labels, n, p);
        }
        if (entities != null) {
            entities.update(decided, labels, n, p);
        }
        calibration(scores, labels, decided);
        lossSum += batchLoss;
        samples += scores.samples();
    }

    /**
     * Each labelled position's confidence (its highest probability, from the head in double precision, as the
     * per-sample evaluation reads them) and whether its class is the label, into the calibration error.
     */
    private void calibration(DenseScores scores, int[] labels, int[] decided) {
        int c = scores.classes();
        int p = scores.positions();
        int tile = DenseScores.tilePositions(c);
        float[] rows = new float[tile * c];
        double[] probabilities = new double[tile * c];
        for (int n = 0; n < scores.samples(); n++) {
            for (int from = 0; from < p; from += tile) {
                int count = Math.min(tile, p - from);
                scores.gather(n, from, count, rows);
                head.applyToDoubles(io.github.logits4j.FloatMatrix.wrap(rows, 0, count, c), probabilities);
                for (int t = 0; t < count; t++) {
                    int label = labels[n * p + from + t];
                    if (label == ignoreIndex) {
                        continue;
                    }
                    int best = decided[n * p + from + t];          // the head keeps the order of the scores
                    ece.add(probabilities[t * c + best], best == label, 1.0);
                }
            }
        }
    }

    /** The dataset-level metrics so far. */
    public DenseReport report() {
        return metrics.result();
    }

    /** The mean cross-entropy over the labelled positions so far (NaN before any). */
    public double loss() {
        long n = metrics.result().positions();
        return n == 0 ? Double.NaN : lossSum / n;
    }

    /**
     * The evaluation as a map: {@code samples}, {@code loss} ({@code cross_entropy}), the {@link DenseReport} keys,
     * {@code per_image_*} for class-first outputs, and {@code entity_*} for IOB tags.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", samples);
        m.put("loss", Map.of("cross_entropy", loss()));
        m.putAll(metrics.result().toMap());
        m.put("ece", ece.l1());
        m.put("ece_l2", ece.l2());
        m.put("ece_max", ece.max());
        if (perImage != null) {
            m.putAll(perImage.result().toMap());
        }
        if (entities != null) {
            m.putAll(entities.result().toMap());
        }
        m.put("class_names", classNames);
        return Collections.unmodifiableMap(m);
    }
}
