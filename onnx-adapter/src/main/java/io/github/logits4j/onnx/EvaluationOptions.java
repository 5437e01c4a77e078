package io.github.logits4j.onnx;

import io.github.logits4j.decision.DecisionThresholds;
import io.github.logits4j.kernel.Checks;
import io.github.logits4j.metrics.BinaryMetrics;
import io.github.logits4j.metrics.MulticlassMetrics;
import io.github.logits4j.metrics.MetricSettings;
import io.github.logits4j.metrics.MultilabelMetrics;
import io.github.logits4j.metrics.RankMode;
import io.github.logits4j.metrics.ZeroDivision;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings of {@link OnnxClassifier#evaluate}: top-k, decision thresholds, zero division, rank mode, temperatures and
 * threads.
 *
 * <pre>{@code
 * EvaluationOptions opts = EvaluationOptions.builder().topK(3).threshold(0.4).build();
 * EvaluationResult r = model.evaluate(batches, opts);
 * }</pre>
 */
public final class EvaluationOptions implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final EvaluationOptions DEFAULTS = builder().build();

    final int[] topK;
    final DecisionThresholds thresholds;
    /** Zero division, rank mode and the threads of the rank metrics, as the metric builders take them. */
    final MetricSettings metrics;
    final double[] temperatures;
    final double[] maxFpr;
    final double[] fBeta;
    final int curvePoints;
    final int curveClasses;
    final double rowSumTolerance;
    /** The prediction sets' file form ({@link ModelConformal#toMap()}), or null: a map, so the options serialise. */
    final @Nullable LinkedHashMap<String, Object> conformal;

    private EvaluationOptions(Builder b) {
        this.topK = b.topK;
        this.thresholds = b.thresholds;
        this.metrics = b.metrics;
        this.temperatures = b.temperatures;
        this.maxFpr = b.maxFpr;
        this.fBeta = b.fBeta;
        this.curvePoints = b.curvePoints;
        this.curveClasses = b.curveClasses;
        this.rowSumTolerance = b.rowSumTolerance;
        this.conformal = b.conformal;
    }

    /** Top-5 (capped at the class count), threshold 0.5, zero division 0, exact rank metrics. */
    public static EvaluationOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Configures {@link EvaluationOptions}; setters validate at once.
     *
     * <pre>{@code
     * EvaluationOptions o = EvaluationOptions.builder().topK(1, 5).threshold(0.4).build();
     * }</pre>
     */
    public static final class Builder {
        private int[] topK = {5};
        private double[] maxFpr = new double[0];
        private double[] fBeta = new double[0];
        private DecisionThresholds thresholds = DecisionThresholds.DEFAULT;
        private MetricSettings metrics = MetricSettings.DEFAULT;
        private double[] temperatures;
        private int curvePoints;
        private int curveClasses;
        private double rowSumTolerance = MulticlassMetrics.DEFAULT_ROW_SUM_TOLERANCE;
        private @Nullable LinkedHashMap<String, Object> conformal;

        private Builder() {
        }

        /**
         * The k of top-k accuracy (multi-class; default 5); the first is the report's {@code top_k_accuracy}, and every
         * k gets its {@code top_<k>_accuracy}. A k of the class count or more counts every row, as scikit-learn does.
         */
        public Builder topK(int... ks) {
            this.topK = MulticlassMetrics.checkTopK(ks);
            return this;
        }

        /**
         * The decision thresholds of binary and multi-label models (default 0.5, {@code p >= t}): one for every label,
         * or one per label (for example {@code TunedThresholds.decisionThresholds()}, or a {@link ModelThresholds}
         * file's); the evaluation refuses per-label thresholds that do not fit the model's labels.
         */
        public Builder thresholds(DecisionThresholds thresholds) {
            this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
            return this;
        }

        /** One probability threshold for binary and multi-label decisions, {@code p >= t} (default 0.5). */
        public Builder threshold(double t) {
            return thresholds(DecisionThresholds.of(t));
        }

        /** One threshold per label (multi-label), e.g. tuned ones, {@code p >= t}. */
        public Builder thresholds(double[] perLabel) {
            return thresholds(DecisionThresholds.perLabel(perLabel));
        }

        /**
         * The metrics' shared settings at once ({@link MetricSettings}: zero division, rank mode, threads, log-loss
         * clip, calibration bins), as the metric builders take them.
         */
        public Builder metrics(MetricSettings settings) {
            this.metrics = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** What 0/0 gives in precision, recall and F1 (default 0). */
        public Builder zeroDivision(ZeroDivision zd) {
            this.metrics = metrics.toBuilder().zeroDivision(zd).build();
            return this;
        }

        /**
         * Threads for an evaluation (default 1: the calling thread only): the exact rank metrics at the end sort the
         * class or label columns on the calling thread and the common fork-join pool, and a data set's evaluation
         * ({@link OnnxClassifier#evaluatePipelined}) reads and runs the next batch on a second thread while the
         * calling thread adds the one before; the report equals one thread's bit for bit. Each sorting thread holds
         * one more column (8 bytes a row) while it works.
         *
         * @throws IllegalArgumentException if {@code threads < 1}
         */
        public Builder parallelism(int threads) {
            this.metrics = metrics.toBuilder().parallelism(threads).build();
            return this;
        }

        /**
         * The false positive rates up to which a binary model's report gives the standardized partial ROC AUC
         * ({@code roc_auc_max_fpr_<rate>}, scikit-learn's {@code roc_auc_score(max_fpr=rate)}); none by default.
         * Exact rank mode only (NaN when binned).
         *
         * @throws IllegalArgumentException if a rate is not in (0, 1]
         */
        public Builder maxFpr(double... rates) {
            this.maxFpr = BinaryMetrics.checkMaxFpr(rates);
            return this;
        }

        /**
         * The betas whose F-beta the report adds, scikit-learn's {@code fbeta_score(beta=...)}: {@code fbeta_<beta>}
         * (binary), {@code <average>_fbeta_<beta>} for micro, macro and weighted (multi-class, multi-label) and
         * samples (multi-label); none by default.
         *
         * @throws IllegalArgumentException if a beta is not finite and {@code >= 0}
         */
        public Builder fBeta(double... betas) {
            this.fBeta = MultilabelMetrics.checkBetas(betas);
            return this;
        }

        /** How rank metrics are computed (default exact; binned for evaluations too large to keep). */
        public Builder rankMode(RankMode mode) {
            this.metrics = metrics.toBuilder().rankMode(mode).build();
            return this;
        }

        /**
         * Temperature scaling (for example a fitted {@code TemperatureFit}): the model's logits are divided by
         * {@code T} (rounded to float, as a float32 model's scaled logits would be) before the head, the loss and the
         * metrics. One temperature, or one per label for a multi-label model. Only for models that emit logits.
         *
         * @throws IllegalArgumentException if none is given or one is not finite and positive
         */
        public Builder temperatures(double... perClassOrOne) {
            Objects.requireNonNull(perClassOrOne, "temperatures");
            if (perClassOrOne.length == 0) {
                throw new IllegalArgumentException("temperatures needs at least one temperature");
            }
            for (int i = 0; i < perClassOrOne.length; i++) {
                Checks.positiveFinite(perClassOrOne[i], "temperature[" + i + "]");
            }
            this.temperatures = perClassOrOne.clone();
            return this;
        }

        /**
         * Also compute the curves ({@link EvaluationResult#curves()}): ROC and precision-recall curves of at most
         * {@code maxPoints} points each, for the {@code maxClasses} classes (or labels) of most support, micro and
         * macro, and the reliability diagram (default: none).
         *
         * @throws IllegalArgumentException if {@code maxPoints < 2} or {@code maxClasses < 1}
         */
        public Builder curves(int maxPoints, int maxClasses) {
            if (maxPoints < 2 || maxClasses < 1) {
                throw new IllegalArgumentException("curves of " + maxPoints + " points for " + maxClasses
                        + " classes; expected at least 2 points and 1 class");
            }
            this.curvePoints = maxPoints;
            this.curveClasses = maxClasses;
            return this;
        }

        /**
         * How far from 1 a multi-class model's probability rows may sum (default
         * {@value MulticlassMetrics#DEFAULT_ROW_SUM_TOLERANCE}). Rows within it are scored as they are, as
         * scikit-learn 1.9's {@code log_loss} does, and the evaluation logs a warning naming the worst row; a row
         * further off stops the evaluation with a message naming the row and this setting. Float32 exports that build
         * probabilities with arithmetic drift: scikit-learn's GaussianNB through skl2onnx sums to 1.0025, a soft
         * VotingClassifier with it to 1.0012.
         *
         * @throws IllegalArgumentException unless {@code 0 <= tolerance < 1}
         */
        public Builder rowSumTolerance(double tolerance) {
            MulticlassMetrics.builder(2).rowSumTolerance(tolerance);     // validates
            this.rowSumTolerance = tolerance;
            return this;
        }

        /**
         * Also make each row's prediction set with {@code sets} (fitted to the model: {@link ModelConformal#fitTo})
         * and report their coverage, sizes and the other metrics of {@code PredictionSetReport}
         * ({@link EvaluationResult#predictionSets()}); multi-class and binary models.
         */
        public Builder conformal(ModelConformal sets) {
            this.conformal = new LinkedHashMap<>(Objects.requireNonNull(sets, "sets").toMap());
            return this;
        }

        /** The options. */
        public EvaluationOptions build() {
            return new EvaluationOptions(this);
        }
    }
}
