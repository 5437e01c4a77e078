package io.github.logits4j.tuning;

import io.github.logits4j.kernel.Checks;
import java.util.Locale;

/**
 * What a tuned threshold optimises: F1, F-beta, the best recall at a minimum precision, or the best precision at a
 * minimum recall. Counts follow scikit-learn with {@code zero_division=0}: precision is 0 when nothing is predicted
 * positive, and {@code F = (1 + b^2) tp / (b^2 (tp + fn) + tp + fp)}, 0 when that denominator is 0.
 *
 * <pre>{@code
 * ThresholdObjective f1 = ThresholdObjective.f1();
 * ThresholdObjective recallHeavy = ThresholdObjective.fBeta(2.0);
 * ThresholdObjective safe = ThresholdObjective.precisionAtLeast(0.95);   // best recall with precision >= 0.95
 * }</pre>
 *
 * <p>Immutable and safe to share between threads.
 */
public final class ThresholdObjective {
    private static final ThresholdObjective F1 = new ThresholdObjective(Kind.F1, 1.0, Double.NaN);

    private enum Kind {
        F1("f1"), F_BETA("fbeta"), PRECISION_AT_LEAST("precision_at_least"), RECALL_AT_LEAST("recall_at_least");

        private final String id;

        Kind(String id) {
            this.id = id;
        }
    }

    private final Kind kind;
    private final double beta;
    private final double target;
    private final double beta2;

    private ThresholdObjective(Kind kind, double beta, double target) {
        this.kind = kind;
        this.beta = beta;
        this.target = target;
        this.beta2 = beta * beta;
    }

    /** F1: the harmonic mean of precision and recall. */
    public static ThresholdObjective f1() {
        return F1;
    }

    /**
     * F-beta: recall counts {@code beta} times as much as precision.
     *
     * @throws IllegalArgumentException if {@code beta} is not finite and {@code > 0}
     */
    public static ThresholdObjective fBeta(double beta) {
        return new ThresholdObjective(Kind.F_BETA, Checks.positiveFinite(beta, "beta"), Double.NaN);
    }

    /**
     * The highest recall among thresholds whose precision is at least {@code target}.
     *
     * @throws IllegalArgumentException if {@code target} is not in (0, 1]
     */
    public static ThresholdObjective precisionAtLeast(double target) {
        return new ThresholdObjective(Kind.PRECISION_AT_LEAST, Double.NaN, checkTarget(target, "precision"));
    }

    /**
     * The highest precision among thresholds whose recall is at least {@code target}.
     *
     * @throws IllegalArgumentException if {@code target} is not in (0, 1]
     */
    public static ThresholdObjective recallAtLeast(double target) {
        return new ThresholdObjective(Kind.RECALL_AT_LEAST, Double.NaN, checkTarget(target, "recall"));
    }

    private static double checkTarget(double target, String what) {
        if (!(target > 0.0 && target <= 1.0)) {
            throw new IllegalArgumentException(what + " target must be in (0, 1]; found " + target);
        }
        return target;
    }

    /**
     * The objective named {@code name} ({@link #name()}), with its {@code beta} (fbeta) or {@code target}
     * (the {@code *_at_least} objectives); the other parameter is ignored.
     *
     * @throws IllegalArgumentException if the name is unknown or the parameter invalid
     */
    public static ThresholdObjective of(String name, double beta, double target) {
        return switch (String.valueOf(name)) {
            case "f1" -> f1();
            case "fbeta" -> fBeta(beta);
            case "precision_at_least" -> precisionAtLeast(target);
            case "recall_at_least" -> recallAtLeast(target);
            default -> throw new IllegalArgumentException("objective is '" + name
                    + "'; expected one of f1, fbeta, precision_at_least, recall_at_least");
        };
    }

    /** {@code "f1"}, {@code "fbeta"}, {@code "precision_at_least"} or {@code "recall_at_least"}. */
    public String name() {
        return kind.id;
    }

    /** Whether this objective has a {@link #beta()} of its own (fbeta). */
    public boolean hasBeta() {
        return kind == Kind.F_BETA;
    }

    /** Whether this objective has a {@link #target()} (precision_at_least, recall_at_least). */
    public boolean hasTarget() {
        return kind == Kind.PRECISION_AT_LEAST || kind == Kind.RECALL_AT_LEAST;
    }

    /** The beta of an F-beta objective (1 for F1); NaN for the constrained objectives. */
    public double beta() {
        return beta;
    }

    /** The minimum precision or recall of a constrained objective; NaN for F1 and F-beta. */
    public double target() {
        return target;
    }

    /**
     * The objective at one threshold, from the counts over the samples predicted positive; NaN when the threshold
     * does not meet the constraint. {@code positives > 0}.
     */
    double evaluate(long tp, long fp, long positives) {
        return switch (kind) {
            // scikit-learn 1.9's fbeta_score: (1 + b^2) tp / (b^2 * true_sum + pred_sum), 0 for 0/0.
            case F1, F_BETA -> {
                double denominator = beta2 * positives + (tp + fp);
                yield denominator == 0.0 ? 0.0 : (1 + beta2) * tp / denominator;
            }
            case PRECISION_AT_LEAST -> {
                double precision = tp + fp == 0 ? 0.0 : (double) tp / (tp + fp);
                yield precision >= target ? (double) tp / positives : Double.NaN;
            }
            case RECALL_AT_LEAST -> {
                double recall = (double) tp / positives;
                yield recall >= target ? (tp + fp == 0 ? 0.0 : (double) tp / (tp + fp)) : Double.NaN;
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ThresholdObjective)) {
            return false;
        }
        ThresholdObjective other = (ThresholdObjective) o;
        return kind == other.kind && Double.compare(beta, other.beta) == 0
                && Double.compare(target, other.target) == 0;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Double.hashCode(beta) * 17 + Double.hashCode(target);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case F_BETA -> String.format(Locale.ROOT, "fbeta(beta=%s)", beta);
            case PRECISION_AT_LEAST, RECALL_AT_LEAST -> String.format(Locale.ROOT, "%s(%s)", kind.id, target);
            case F1 -> kind.id;
        };
    }
}
