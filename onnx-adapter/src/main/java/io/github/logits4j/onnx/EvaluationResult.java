package io.github.logits4j.onnx;

import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.conformal.PredictionSetReport;
import io.github.logits4j.metrics.Average;
import io.github.logits4j.metrics.BinaryReport;
import io.github.logits4j.metrics.MulticlassReport;
import io.github.logits4j.metrics.MultilabelReport;
import io.github.logits4j.metrics.Report;
import io.github.logits4j.metrics.ReportCurves;
import io.github.logits4j.metrics.ReportText;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of {@link OnnxClassifier#evaluate}: the loss for the task (cross-entropy for multi-class, binary
 * cross-entropy otherwise, each from the numerically right input path), the metrics report, counts and timing (time
 * in ONNX Runtime against time in logits4j's post-processing).
 *
 * <pre>{@code
 * EvaluationResult r = model.evaluate(batches);
 * System.out.println(r.lossName() + " = " + r.loss());
 * MulticlassReport report = r.multiclassReport();
 * Map<String, Object> json = r.toMap();
 * }</pre>
 *
 * <p>Immutable.
 */
public final class EvaluationResult {
    private final Task task;
    private final OutputKind outputKind;
    private final String activation;
    private final ExecutionProvider provider;
    private final int classes;
    private final long samples;
    private final long batches;
    private final String lossName;
    private final double loss;
    private final Report report;
    private final double hingeLoss;
    private final double[] fBeta;
    private final List<String> classNames;
    private final @Nullable ReportCurves curves;
    private final long ortNanos;
    private final long postNanos;
    private final long totalNanos;
    private final List<String> warnings;
    private final @Nullable PredictionSetReport predictionSets;

    EvaluationResult(ModelContract model, ExecutionProvider provider, long samples, long batches, String lossName,
            double loss, Report report, double hingeLoss, double[] fBeta, @Nullable ReportCurves curves,
            long ortNanos, long postNanos, long totalNanos, List<String> warnings,
            @Nullable PredictionSetReport predictionSets) {
        this.task = model.task();
        this.outputKind = model.outputKind();
        this.activation = model.activation().id();
        this.provider = provider;
        this.classes = model.classes();
        this.samples = samples;
        this.batches = batches;
        this.lossName = lossName;
        this.loss = loss;
        this.report = report;
        this.hingeLoss = hingeLoss;
        this.fBeta = fBeta.clone();
        this.classNames = model.classNames();
        this.curves = curves;
        this.ortNanos = ortNanos;
        this.postNanos = postNanos;
        this.totalNanos = totalNanos;
        this.warnings = List.copyOf(warnings);
        this.predictionSets = predictionSets;
    }

    /**
     * The metrics of the rows' prediction sets when the options asked for them
     * ({@link EvaluationOptions.Builder#conformal}): coverage, mean set size, the size histogram, coverage by size
     * and by class, singleton and empty-set rates; else null.
     */
    public @Nullable PredictionSetReport predictionSets() {
        return predictionSets;
    }

    /**
     * What the evaluation scored but a reader should know, one sentence each: probability rows that do not sum to 1
     * (within {@link EvaluationOptions.Builder#rowSumTolerance}), with the furthest row. Empty for most runs; the
     * report map holds them under {@code "warnings"} when there are any. Unmodifiable.
     */
    public List<String> warnings() {
        return warnings;
    }

    /** The task. */
    public Task task() {
        return task;
    }

    /** The number of samples evaluated. */
    public long samples() {
        return samples;
    }

    /** The number of batches. */
    public long batches() {
        return batches;
    }

    /** {@code "cross_entropy"} (multi-class) or {@code "binary_cross_entropy"}. */
    public String lossName() {
        return lossName;
    }

    /** The mean loss (over samples; over samples and labels for multi-label). */
    public double loss() {
        return loss;
    }

    /** The metrics report of the task: switch on its type, or use the typed accessors below. */
    public Report report() {
        return report;
    }

    /** The multi-class report; throws unless the task is multi-class. */
    public MulticlassReport multiclassReport() {
        if (report instanceof MulticlassReport r) {
            return r;
        }
        throw new IllegalStateException("the task is " + task.id() + ", not multiclass");
    }

    /** The multi-label report; throws unless the task is multi-label. */
    public MultilabelReport multilabelReport() {
        if (report instanceof MultilabelReport r) {
            return r;
        }
        throw new IllegalStateException("the task is " + task.id() + ", not multilabel");
    }

    /** The binary report; throws unless the task is binary. */
    public BinaryReport binaryReport() {
        if (report instanceof BinaryReport r) {
            return r;
        }
        throw new IllegalStateException("the task is " + task.id() + ", not binary");
    }

    /**
     * scikit-learn's {@code hinge_loss} of the logits against the labels (multi-class: Crammer-Singer; binary: labels
     * as -1/+1); NaN when the model does not emit logits, or for a multi-label model.
     */
    public double hingeLoss() {
        return hingeLoss;
    }

    /**
     * The metrics as a map with the report's snake_case keys, {@code hinge_loss} for a logits model, and the F-beta
     * of the betas {@link EvaluationOptions.Builder#fBeta} named.
     */
    public Map<String, Object> metrics() {
        if (Double.isNaN(hingeLoss) && fBeta.length == 0) {
            return report.toMap();
        }
        Map<String, Object> m = new LinkedHashMap<>(report.toMap());
        for (double beta : fBeta) {
            String b = ReportText.keyNumber(beta);
            if (report instanceof BinaryReport r) {
                m.put("fbeta_" + b, r.fBeta(beta));
            } else {
                for (Average a : new Average[] {Average.MICRO, Average.MACRO, Average.WEIGHTED}) {
                    m.put(a.key() + "_fbeta_" + b, report instanceof MulticlassReport r ? r.fBeta(beta, a)
                            : ((MultilabelReport) report).fBeta(beta, a));      // samples: in the report's own map
                }
            }
        }
        if (!Double.isNaN(hingeLoss)) {
            m.put("hinge_loss", hingeLoss);
        }
        return Collections.unmodifiableMap(m);
    }

    /** The metrics report as aligned text, per-class rows named by the model's class names. */
    public String metricsTable() {
        return report.toTable(classNames);
    }

    /**
     * The curves (ROC, precision-recall, reliability; see {@link ReportCurves}) when the options asked for them
     * ({@link EvaluationOptions.Builder#curves}), else null.
     */
    public @Nullable ReportCurves curves() {
        return curves;
    }

    /** Nanoseconds spent in ONNX Runtime. */
    public long onnxRuntimeNanos() {
        return ortNanos;
    }

    /** Nanoseconds spent applying the head, the loss and the metrics. */
    public long postProcessingNanos() {
        return postNanos;
    }

    /** Nanoseconds from the start of the evaluation to its result, reading the data included. */
    public long totalNanos() {
        return totalNanos;
    }

    /**
     * The result as a plain map: {@code samples}, {@code classes}, {@code task}, {@code output_kind},
     * {@code activation_applied}, {@code provider}, {@code loss} ({@code name}, {@code value}), {@code metrics} and
     * {@code timing} ({@code batches}, {@code onnx_runtime_ms}, {@code post_processing_ms}, {@code total_ms}).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", samples);
        m.put("classes", classes);
        m.put("task", task.id());
        m.put("output_kind", outputKind.id());
        m.put("activation_applied", activation);
        m.put("provider", provider.id());
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("name", lossName);
        l.put("value", loss);
        m.put("loss", Collections.unmodifiableMap(l));
        m.put("metrics", metrics());
        if (predictionSets != null) {
            m.put("prediction_sets", predictionSets.toMap());
        }
        if (!warnings.isEmpty()) {
            m.put("warnings", warnings);
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("batches", batches);
        t.put("onnx_runtime_ms", ortNanos / 1e6);
        t.put("post_processing_ms", postNanos / 1e6);
        t.put("total_ms", totalNanos / 1e6);
        m.put("timing", Collections.unmodifiableMap(t));
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        return "EvaluationResult[" + task.id() + ", " + samples + " samples, " + lossName + "=" + loss + "]";
    }
}
