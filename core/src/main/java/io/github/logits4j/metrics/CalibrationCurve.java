package io.github.logits4j.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reliability diagram's points as scikit-learn's {@code calibration_curve} returns them: for each bin of predicted
 * probabilities that holds a sample, the share of positives ({@link #probTrue}) and the mean prediction
 * ({@link #probPred}), with the samples in the bin ({@link #counts}, for the confidence histogram). {@link
 * Curves#calibration} makes one; {@link CalibrationError#curve()} gives the reliability diagram of the expected
 * calibration error's own bins.
 *
 * <pre>{@code
 * CalibrationCurve c = Curves.calibration(probabilities, labels, 10, CalibrationCurve.Strategy.UNIFORM);
 * }</pre>
 *
 * <p>Immutable; the accessors return copies.
 */
public final class CalibrationCurve {
    /** How the bins are laid out. */
    public enum Strategy {
        /** Equal-width bins of [0, 1] ({@code strategy="uniform"}). */
        UNIFORM,
        /** Bins holding equal shares of the samples, at their percentiles ({@code strategy="quantile"}). */
        QUANTILE;

        /** {@code uniform} or {@code quantile}. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final double[] probTrue;
    private final double[] probPred;
    private final double[] counts;
    private final double[] edges;
    private final Strategy strategy;

    CalibrationCurve(double[] probTrue, double[] probPred, double[] counts, double[] edges, Strategy strategy) {
        this.probTrue = probTrue;
        this.probPred = probPred;
        this.counts = counts;
        this.edges = edges;
        this.strategy = strategy;
    }

    /** The share of positive samples in each non-empty bin. */
    public double[] probTrue() {
        return probTrue.clone();
    }

    /** The mean predicted probability in each non-empty bin. */
    public double[] probPred() {
        return probPred.clone();
    }

    /** The samples in each non-empty bin (their total weight, for a curve of weighted samples). */
    public double[] counts() {
        return counts.clone();
    }

    /** The bin edges, {@code bins + 1} of them (of every bin, empty ones included). */
    public double[] edges() {
        return edges.clone();
    }

    /** How the bins were laid out. */
    public Strategy strategy() {
        return strategy;
    }

    /** {@code prob_true}, {@code prob_pred}, {@code counts}, {@code edges} and {@code strategy}, for reports. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prob_true", Curves.list(probTrue));
        m.put("prob_pred", Curves.list(probPred));
        m.put("counts", Curves.list(counts));
        m.put("edges", Curves.list(edges));
        m.put("strategy", strategy.id());
        return m;
    }

    @Override
    public String toString() {
        return "CalibrationCurve[" + probTrue.length + " non-empty bins of " + (edges.length - 1) + ", "
                + strategy.id() + "]";
    }
}
