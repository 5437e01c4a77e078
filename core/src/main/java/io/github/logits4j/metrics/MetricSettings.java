package io.github.logits4j.metrics;

import io.github.logits4j.kernel.Checks;
import io.github.logits4j.kernel.Parallel;
import java.io.Serializable;
import java.util.Objects;

/**
 * The settings every metric accumulator shares, in one immutable value: what 0/0 gives in precision, recall and F1
 * ({@link ZeroDivision}), how ROC AUC and average precision are computed ({@link RankMode}), the threads of the
 * exact rank metrics, scikit-learn's log-loss clip, and the bins of the expected calibration error. The metric
 * builders ({@code settings(...)}) and the evaluation options take it; each accumulator reads the settings it has
 * (a multi-label one has no log loss or calibration error). Serialisable.
 *
 * <pre>{@code
 * MetricSettings s = MetricSettings.builder().zeroDivision(ZeroDivision.NAN).rankMode(RankMode.binned(1000)).build();
 * MulticlassMetrics m = MulticlassMetrics.builder(10).settings(s).build();
 * BinaryMetrics b = BinaryMetrics.builder().settings(s).build();
 * }</pre>
 */
public final class MetricSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Zero division 0, exact rank metrics on one thread, epsilon the float64 machine epsilon, 15 bins. */
    public static final MetricSettings DEFAULT = builder().build();

    private final ZeroDivision zeroDivision;
    private final RankMode rankMode;
    private final int parallelism;
    private final double logLossEpsilon;
    private final int calibrationBins;

    private MetricSettings(Builder b) {
        this.zeroDivision = b.zeroDivision;
        this.rankMode = b.rankMode;
        this.parallelism = b.parallelism;
        this.logLossEpsilon = b.logLossEpsilon;
        this.calibrationBins = b.calibrationBins;
    }

    /** A builder starting from {@link #DEFAULT}'s values. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.zeroDivision = zeroDivision;
        b.rankMode = rankMode;
        b.parallelism = parallelism;
        b.logLossEpsilon = logLossEpsilon;
        b.calibrationBins = calibrationBins;
        return b;
    }

    /** What 0/0 gives in precision, recall and F1. */
    public ZeroDivision zeroDivision() {
        return zeroDivision;
    }

    /** How ROC AUC and average precision are computed. */
    public RankMode rankMode() {
        return rankMode;
    }

    /** Threads for the exact rank metrics at the end. */
    public int parallelism() {
        return parallelism;
    }

    /** The log-loss clip {@code [eps, 1 - eps]}. */
    public double logLossEpsilon() {
        return logLossEpsilon;
    }

    /** The number of equal-width calibration bins. */
    public int calibrationBins() {
        return calibrationBins;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetricSettings s && s.zeroDivision == zeroDivision && s.rankMode.equals(rankMode)
                && s.parallelism == parallelism && s.logLossEpsilon == logLossEpsilon
                && s.calibrationBins == calibrationBins;
    }

    @Override
    public int hashCode() {
        return Objects.hash(zeroDivision, rankMode, parallelism, logLossEpsilon, calibrationBins);
    }

    @Override
    public String toString() {
        return "MetricSettings[zeroDivision=" + zeroDivision + ", rankMode=" + rankMode + ", parallelism="
                + parallelism + ", logLossEpsilon=" + logLossEpsilon + ", calibrationBins=" + calibrationBins + "]";
    }

    /**
     * Configures {@link MetricSettings}; setters validate at once.
     *
     * <pre>{@code
     * MetricSettings s = MetricSettings.builder().parallelism(4).build();
     * }</pre>
     */
    public static final class Builder {
        private ZeroDivision zeroDivision = ZeroDivision.ZERO;
        private RankMode rankMode = RankMode.exact();
        private int parallelism = 1;
        private double logLossEpsilon = Math.ulp(1.0);
        private int calibrationBins = 15;

        private Builder() {
        }

        /** What 0/0 gives in precision, recall and F1 (default {@link ZeroDivision#ZERO}). */
        public Builder zeroDivision(ZeroDivision zeroDivision) {
            this.zeroDivision = Objects.requireNonNull(zeroDivision, "zeroDivision");
            return this;
        }

        /** How ROC AUC and average precision are computed (default {@link RankMode#exact()}). */
        public Builder rankMode(RankMode mode) {
            this.rankMode = Objects.requireNonNull(mode, "rankMode");
            return this;
        }

        /**
         * Threads for the exact rank metrics at the end (default 1: the calling thread only): columns are sorted on
         * the calling thread and the common fork-join pool, the result equal to one thread's bit for bit.
         *
         * @throws IllegalArgumentException if {@code threads < 1}
         */
        public Builder parallelism(int threads) {
            this.parallelism = Parallel.check(threads);
            return this;
        }

        /** The log-loss clip {@code [eps, 1 - eps]} (default the float64 machine epsilon). */
        public Builder logLossEpsilon(double eps) {
            this.logLossEpsilon = Checks.logLossEpsilon(eps);
            return this;
        }

        /** The number of equal-width calibration bins (default 15). */
        public Builder calibrationBins(int bins) {
            CalibrationError.boundaries(bins);
            this.calibrationBins = bins;
            return this;
        }

        /** The settings. */
        public MetricSettings build() {
            return new MetricSettings(this);
        }
    }
}
