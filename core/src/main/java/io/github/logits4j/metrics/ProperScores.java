package io.github.logits4j.metrics;

import io.github.logits4j.kernel.State;

/**
 * The probability-quality sums a binary or multi-class evaluation keeps: the log loss (scikit-learn's, probabilities
 * clipped to {@code [eps, 1 - eps]}), the Brier score's squared errors, and the expected calibration error's bins;
 * package-private.
 *
 * <pre>{@code
 * ProperScores s = new ProperScores(Math.ulp(1.0), 15);
 * s.add(pTrue, squaredError, confidence, correct, w);
 * }</pre>
 */
final class ProperScores {
    private final double eps;
    private double logLossSum;
    private double brierSum;
    final CalibrationError ece;

    ProperScores(double logLossEpsilon, int calibrationBins) {
        this.eps = logLossEpsilon;
        this.ece = new CalibrationError(calibrationBins);
    }

    /**
     * Adds one row: the probability of its true class, its squared error (the Brier term), and its top probability
     * with whether the prediction was right (the calibration error's).
     */
    void add(double pTrue, double squaredError, double confidence, boolean correct, double w) {
        logLossSum -= w * Math.log(Math.min(Math.max(pTrue, eps), 1.0 - eps));
        brierSum += w * squaredError;
        ece.add(confidence, correct, w);
    }

    /** Whether {@code other} was built with the same settings. */
    boolean sameSettings(ProperScores other) {
        return other.eps == eps && other.ece.bins() == ece.bins();
    }

    void merge(ProperScores other) {
        logLossSum += other.logLossSum;
        brierSum += other.brierSum;
        ece.merge(other.ece);
    }

    void exchange(State s) {
        logLossSum = s.add(logLossSum);
        brierSum = s.add(brierSum);
        ece.exchange(s);
    }

    String settings() {
        return "logLossEpsilon=" + eps + ", calibrationBins=" + ece.bins();
    }

    double logLossSum() {
        return logLossSum;
    }

    double brierSum() {
        return brierSum;
    }
}
