package io.github.logits4j.calibration;

import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;
import org.apache.commons.math3.optim.univariate.UnivariatePointValuePair;

/**
 * Minimises a convex {@link ScaledNll} over {@code beta = 1/T > 0}: brackets the root of {@code f'} by doubling or
 * halving from {@code beta = 1}, runs Brent's method on {@code log T} inside the bracket, then polishes with Newton
 * steps on {@code beta} (kept inside the bracket, bisecting when a step would leave it) until a step is below
 * {@code 1e-13} relative. Package-private.
 */
final class TemperatureSearch {
    /** The smallest temperature searched, about 9.1e-13; a minimum below it counts as separable. */
    static final double BETA_MAX = 0x1p40;
    /** The largest temperature searched, about 1.1e12. */
    static final double BETA_MIN = 0x1p-40;
    /**
     * Brent only needs to land near the minimum: a minimum is flat, so comparing NLL values locates it to about the
     * square root of double precision (1e-8) at best; the Newton steps take it from there to 1e-13.
     */
    private static final double BRENT_RELATIVE = 1e-8;
    private static final double BRENT_ABSOLUTE = 1e-12;
    private static final int BRENT_MAX_EVALUATIONS = 500;
    private static final double NEWTON_RELATIVE = 1e-13;
    private static final int NEWTON_MAX_STEPS = 60;

    private final double beta;
    private final int iterations;

    private TemperatureSearch(double beta, int iterations) {
        this.beta = beta;
        this.iterations = iterations;
    }

    /** The minimising {@code beta = 1/T}. */
    double beta() {
        return beta;
    }

    /** Brent iterations plus Newton steps. */
    int iterations() {
        return iterations;
    }

    /**
     * Finds the minimum of {@code f}.
     *
     * @param where a prefix for error messages ("" or "column 3: ")
     * @throws IllegalArgumentException if the NLL still falls at the ends of the searched range
     */
    static TemperatureSearch minimise(ScaledNll f, String where) {
        double[] d = new double[2];
        f.derivatives(1.0, d);
        if (d[0] == 0.0) {
            return new TemperatureSearch(1.0, 0);
        }
        double lo;
        double hi;
        if (d[0] < 0.0) {
            lo = 1.0;
            hi = 2.0;
            while (slope(f, hi, d) < 0.0) {
                lo = hi;
                hi *= 2.0;
                if (hi > BETA_MAX) {
                    throw new IllegalArgumentException(where + "the NLL still falls at T = " + 1.0 / lo
                            + ": the validation logits are numerically perfectly separable, so no finite temperature "
                            + "minimises it; " + TemperatureScaling.SEPARABLE_ADVICE);
                }
            }
            if (d[0] == 0.0) {
                return new TemperatureSearch(hi, 0);
            }
        } else {
            hi = 1.0;
            lo = 0.5;
            while (slope(f, lo, d) > 0.0) {
                hi = lo;
                lo *= 0.5;
                if (lo < BETA_MIN) {
                    throw new IllegalArgumentException(where + "the NLL still falls at T = " + 1.0 / hi
                            + ": " + TemperatureScaling.UNINFORMATIVE);
                }
            }
            if (d[0] == 0.0) {
                return new TemperatureSearch(lo, 0);
            }
        }

        // Brent on u = log T = -log beta, inside the bracket.
        BrentOptimizer brent = new BrentOptimizer(BRENT_RELATIVE, BRENT_ABSOLUTE);
        double uLo = -Math.log(hi);
        double uHi = -Math.log(lo);
        UnivariatePointValuePair best = brent.optimize(
                new MaxEval(BRENT_MAX_EVALUATIONS),
                new UnivariateObjectiveFunction(u -> f.value(Math.exp(-u))),
                GoalType.MINIMIZE,
                new SearchInterval(uLo, uHi, 0.5 * (uLo + uHi)));
        int iterations = brent.getIterations();

        // Newton on beta with the analytic derivatives, safeguarded by the bracket [lo, hi] where f'(lo) < 0 < f'(hi).
        double beta = Math.exp(-best.getPoint());
        for (int k = 0; k < NEWTON_MAX_STEPS; k++) {
            f.derivatives(beta, d);
            if (d[0] == 0.0) {
                break;
            }
            if (d[0] < 0.0) {
                lo = Math.max(lo, beta);
            } else {
                hi = Math.min(hi, beta);
            }
            double step = d[0] / d[1];
            iterations++;
            if (d[1] > 0.0 && Math.abs(step) <= NEWTON_RELATIVE * beta) {
                beta -= step;   // converged: this last step is below the tolerance, wherever it lands
                break;
            }
            double next = d[1] > 0.0 ? beta - step : Double.NaN;
            if (!(next > lo && next < hi)) {
                next = 0.5 * (lo + hi);
            }
            beta = next;
        }
        return new TemperatureSearch(beta, iterations);
    }

    private static double slope(ScaledNll f, double beta, double[] d) {
        f.derivatives(beta, d);
        return d[0];
    }
}
