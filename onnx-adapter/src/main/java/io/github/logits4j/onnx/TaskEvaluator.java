package io.github.logits4j.onnx;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.kernel.Checks;
import io.github.logits4j.kernel.State;
import io.github.logits4j.loss.BinaryCrossEntropyLoss;
import io.github.logits4j.loss.CrossEntropyLoss;
import io.github.logits4j.loss.Reduction;
import io.github.logits4j.metrics.BinaryMetrics;
import io.github.logits4j.metrics.HingeLoss;
import io.github.logits4j.metrics.MulticlassMetrics;
import io.github.logits4j.metrics.MultilabelMetrics;
import io.github.logits4j.metrics.RankMode;
import io.github.logits4j.metrics.Report;
import io.github.logits4j.metrics.ReportCurves;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The task's part of an evaluation: its labels, loss and metrics. {@link Evaluation} applies the head once and hands
 * each batch's outputs and probabilities to the evaluator of the model's task: cross-entropy and multi-class metrics,
 * binary cross-entropy per label and multi-label metrics, or binary cross-entropy and binary metrics.
 *
 * <pre>{@code
 * TaskEvaluator e = TaskEvaluator.of(contract, options);
 * lossSum += e.add(raw, probabilities, batch, Double.NaN);
 * Report report = e.report();
 * }</pre>
 *
 * <p>Not thread-safe: one evaluation feeds it from one thread (its metrics may use several).
 */
sealed interface TaskEvaluator {
    /**
     * Checks the batch's labels, naming rows of the data set, then adds the batch: {@code probabilities} (row-major,
     * exactly {@code rows × classes}) to the metrics and {@code raw} (the outputs the loss reads) to the loss.
     *
     * @return the batch's summed loss
     * @throws IllegalArgumentException if the labels are of the wrong form or out of range
     */
    double add(FloatMatrix raw, double[] probabilities, LabelledBatch batch);

    /** The loss's name in reports: {@code cross_entropy} or {@code binary_cross_entropy}. */
    String lossName();

    /** The mean loss from the summed one: over samples; over samples and labels for multi-label. */
    double meanLoss(double lossSum, long samples);

    /** The metrics report. */
    Report report();

    /**
     * scikit-learn's {@code hinge_loss} of the decision values read so far (the logits; after the temperature, when
     * there is one), or NaN when the model does not emit logits or the task has none (multi-label).
     */
    double hingeLoss();

    /** The curves of the metrics, downsampled to {@code maxPoints} points, for {@code maxClasses} classes or labels. */
    ReportCurves curves(int maxPoints, int maxClasses);

    /**
     * Writes the metrics' state, or merges another evaluator's (of the same model and options) into this one
     * ({@link State}).
     */
    void exchange(State s);

    /** The evaluator of {@code model}'s task, with the metrics {@code o} configures. */
    static TaskEvaluator of(ModelContract model, EvaluationOptions o) {
        OutputKind kind = model.outputKind();
        int c = model.classes();
        if (kind == OutputKind.DECISION_VALUES) {
            if (model.task() != Task.MULTICLASS) {
                throw new IllegalStateException("decision values are evaluated for multi-class models only; "
                        + model.source() + " is " + model.task().id());
            }
            return new Multiclass(null, MulticlassMetrics.builder(c).topK(o.topK)
                    .settings(o.metrics.toBuilder().rankMode(RankMode.none()).build()).decisionValues().build(), c,
                    true);
        }
        return switch (model.task()) {
            case MULTICLASS -> new Multiclass(CrossEntropyLoss.builder().input(kind).reduction(Reduction.SUM).build(),
                    MulticlassMetrics.builder(c).topK(o.topK).settings(o.metrics)
                            .rowSumTolerance(o.rowSumTolerance).build(), c,
                    kind == OutputKind.LOGITS);
            case MULTILABEL -> {
                MultilabelMetrics.Builder b = MultilabelMetrics.builder(c).settings(o.metrics)
                        .samplesFBeta(o.fBeta)
                        .thresholds(o.thresholds);
                yield new Multilabel(bce(kind), b.build(), c);
            }
            case BINARY -> new Binary(bce(kind), BinaryMetrics.builder().thresholds(o.thresholds)
                    .settings(o.metrics).maxFpr(o.maxFpr).build(),
                    kind == OutputKind.LOGITS);
        };
    }

    /** Writes an accumulator's bytes, or reads another's and merges them. */
    private static void exchangeMetrics(State s, Supplier<byte[]> write, Consumer<byte[]> merge) {
        if (s instanceof State.In) {
            merge.accept(s.bytes(null));
        } else {
            s.bytes(write.get());
        }
    }

    private static BinaryCrossEntropyLoss bce(OutputKind kind) {
        return BinaryCrossEntropyLoss.builder().input(kind).reduction(Reduction.SUM).build();
    }

    /** The per-row labels of {@code batch}, each checked ({@code classes} 0: binary), naming rows of the data set. */
    private static int[] labels(LabelledBatch batch, int rows, int classes, String task) {
        int[] labels = batch.labels();
        if (labels == null) {
            throw new IllegalArgumentException("a " + task + " evaluation needs one label per row"
                    + " (LabelledBatch.of); found a label matrix");
        }
        long first = batch.inputs().firstRow();
        for (int r = 0; r < rows; r++) {
            if (classes == 0) {
                Checks.binaryLabel(labels[r], first + r);
            } else {
                Checks.classLabel(labels[r], first + r, classes);
            }
        }
        return labels;
    }

    /**
     * Multi-class: cross-entropy and {@link MulticlassMetrics}; for decision values (no cross-entropy loss), the
     * decision metrics of {@link MulticlassMetrics.Builder#decisionValues()} and scikit-learn's multi-class
     * {@code hinge_loss} (Crammer-Singer) as the loss.
     */
    final class Multiclass implements TaskEvaluator {
        private final CrossEntropyLoss loss;
        private final MulticlassMetrics metrics;
        private final int classes;
        private final Hinge hinge = new Hinge();
        private final boolean margins;

        /**
         * @param loss    the cross-entropy, or null for decision values (the hinge loss is the loss)
         * @param margins whether the raw outputs are margins the hinge loss reads (logits, decision values)
         */
        Multiclass(CrossEntropyLoss loss, MulticlassMetrics metrics, int classes, boolean margins) {
            this.loss = loss;
            this.metrics = metrics;
            this.classes = classes;
            this.margins = margins;
        }

        @Override
        public double add(FloatMatrix raw, double[] probabilities, LabelledBatch batch) {
            int n = raw.rows();
            int[] labels = labels(batch, n, classes, "multiclass");
            metrics.update(probabilities, n, labels, null);
            double hingeMean = margins ? HingeLoss.multiclass(raw, labels, null) : Double.NaN;
            if (margins) {
                hinge.add(hingeMean, n);
            }
            return loss != null ? loss.compute(raw, labels) : hingeMean * n;
        }

        @Override
        public String lossName() {
            return loss != null ? "cross_entropy" : "hinge";
        }

        @Override
        public double meanLoss(double lossSum, long samples) {
            return lossSum / samples;
        }

        @Override
        public Report report() {
            return metrics.result();
        }

        @Override
        public double hingeLoss() {
            return hinge.mean();                  // NaN without logits: nothing was added
        }

        @Override
        public ReportCurves curves(int maxPoints, int maxClasses) {
            return ReportCurves.of(metrics, maxPoints, maxClasses);
        }

        @Override
        public void exchange(State s) {
            exchangeMetrics(s, metrics::toBytes, metrics::mergeBytes);
            hinge.exchange(s);
        }
    }

    /** Multi-label: binary cross-entropy over every label and {@link MultilabelMetrics}. */
    final class Multilabel implements TaskEvaluator {
        private final BinaryCrossEntropyLoss loss;
        private final MultilabelMetrics metrics;
        private final int labels;

        Multilabel(BinaryCrossEntropyLoss loss, MultilabelMetrics metrics, int labels) {
            this.loss = loss;
            this.metrics = metrics;
            this.labels = labels;
        }

        @Override
        public double add(FloatMatrix raw, double[] probabilities, LabelledBatch batch) {
            FloatMatrix y = batch.labelMatrix();
            if (y == null) {
                throw new IllegalArgumentException("a multi-label evaluation needs a 0/1 label matrix per batch"
                        + " (LabelledBatch.ofMatrix); found one label per row");
            }
            if (y.cols() != labels) {
                throw new IllegalArgumentException("label matrix has " + y.cols() + " columns; the model has "
                        + labels + " labels");
            }
            long first = batch.inputs().firstRow();
            for (int r = 0; r < y.rows(); r++) {
                for (int l = 0; l < labels; l++) {
                    Checks.zeroOneLabel(y.get(r, l), first + r, l);
                }
            }
            metrics.update(probabilities, y, null);
            return loss.compute(raw, y);
        }

        @Override
        public String lossName() {
            return "binary_cross_entropy";
        }

        @Override
        public double meanLoss(double lossSum, long samples) {
            return lossSum / ((double) samples * labels);
        }

        @Override
        public Report report() {
            return metrics.result();
        }

        @Override
        public double hingeLoss() {
            return Double.NaN;                   // scikit-learn's hinge_loss has no multi-label form
        }

        @Override
        public ReportCurves curves(int maxPoints, int maxClasses) {
            return ReportCurves.of(metrics, maxPoints, maxClasses);
        }

        @Override
        public void exchange(State s) {
            exchangeMetrics(s, metrics::toBytes, metrics::mergeBytes);
        }
    }

    /** Binary: binary cross-entropy of the one output and {@link BinaryMetrics}. */
    final class Binary implements TaskEvaluator {
        private final BinaryCrossEntropyLoss loss;
        private final BinaryMetrics metrics;
        private final Hinge hinge = new Hinge();
        private final boolean logits;
        private float[] targets = new float[0];

        Binary(BinaryCrossEntropyLoss loss, BinaryMetrics metrics, boolean logits) {
            this.loss = loss;
            this.metrics = metrics;
            this.logits = logits;
        }

        @Override
        public double add(FloatMatrix raw, double[] probabilities, LabelledBatch batch) {
            int n = raw.rows();
            int[] labels = labels(batch, n, 0, "binary");
            metrics.update(probabilities, labels, null);
            if (logits) {
                hinge.add(HingeLoss.binary(raw, labels, null), n);
            }
            if (targets.length < n) {
                targets = new float[n];
            }
            for (int r = 0; r < n; r++) {
                targets[r] = labels[r];
            }
            return loss.compute(raw, FloatMatrix.wrap(targets, 0, n, 1));
        }

        @Override
        public String lossName() {
            return "binary_cross_entropy";
        }

        @Override
        public double meanLoss(double lossSum, long samples) {
            return lossSum / samples;
        }

        @Override
        public Report report() {
            return metrics.result();
        }

        @Override
        public double hingeLoss() {
            return hinge.mean();                  // NaN without logits: nothing was added
        }

        @Override
        public ReportCurves curves(int maxPoints, int maxClasses) {
            return ReportCurves.of(metrics, maxPoints);
        }

        @Override
        public void exchange(State s) {
            exchangeMetrics(s, metrics::toBytes, metrics::mergeBytes);
            hinge.exchange(s);
        }
    }

    /** The running mean of per-batch hinge losses, weighted by their rows. */
    final class Hinge {
        private double sum;
        private long rows;

        void add(double batchMean, int n) {
            sum += batchMean * n;
            rows += n;
        }

        double mean() {
            return rows == 0 ? Double.NaN : sum / rows;
        }

        void exchange(State s) {
            sum = s.add(sum);
            rows = s.add(rows);
        }
    }
}
