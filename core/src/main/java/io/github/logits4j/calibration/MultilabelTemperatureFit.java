package io.github.logits4j.calibration;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.activation.Activation;
import io.github.logits4j.kernel.MapFields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-label temperatures fitted by {@link TemperatureScaling#fitMultilabel}: one temperature for
 * {@code sigmoid(z / T)} over every label, or one per label (column), with the validation binary cross-entropy before
 * and after.
 *
 * <pre>{@code
 * MultilabelTemperatureFit fit = TemperatureScaling.fitMultilabel(tagLogits, tagTargets, true);
 * double[] t = fit.temperatures();                  // one per column
 * fit.apply(testLogits, testProbabilities);         // sigmoid(z[:, c] / t[c])
 * MultilabelTemperatureFit again = MultilabelTemperatureFit.fromMap(fit.toMap());
 * }</pre>
 *
 * <p>NLL is the mean of PyTorch's {@code binary_cross_entropy_with_logits} over every element. A positive temperature
 * never moves a logit across 0, so {@code sigmoid(z / T) >= 0.5} decisions are unchanged. Immutable and safe to share
 * between threads.
 */
public final class MultilabelTemperatureFit {
    private final double[] temperatures;
    private final boolean perClass;
    private final double nllBefore;
    private final double nllAfter;
    private final int iterations;

    MultilabelTemperatureFit(double[] temperatures, boolean perClass, double nllBefore, double nllAfter,
            int iterations) {
        this.temperatures = temperatures;
        this.perClass = perClass;
        this.nllBefore = nllBefore;
        this.nllAfter = nllAfter;
        this.iterations = iterations;
    }

    /** The temperatures: one (a single T for every label) or one per label; a copy. */
    public double[] temperatures() {
        return temperatures.clone();
    }

    /** Whether each label has its own temperature. */
    public boolean perClass() {
        return perClass;
    }

    /** The mean validation binary cross-entropy of the unscaled logits. */
    public double nllBefore() {
        return nllBefore;
    }

    /** The mean validation binary cross-entropy of {@code sigmoid(z / T)}; at most {@link #nllBefore()}. */
    public double nllAfter() {
        return nllAfter;
    }

    /** Brent iterations plus Newton steps the fit took, over all labels (0 if read without one). */
    public int iterations() {
        return iterations;
    }

    /** {@code sigmoid(logits / T)} into a new matrix. */
    public FloatMatrix apply(FloatMatrix logits) {
        FloatMatrix out = FloatMatrix.allocate(logits.rows(), logits.cols());
        apply(logits, out);
        return out;
    }

    /**
     * Writes {@code sigmoid(logits / T)} into {@code outProbabilities} (same shape; may be {@code logits}), with the
     * temperature of each column when there is one per label: the logits scaled as {@link TemperatureScaling#scale}
     * does (rounded to float32, as PyTorch's {@code logits / T}), then {@link Activation#SIGMOID}, the same numbers an
     * evaluation with these temperatures reads.
     *
     * @throws IllegalArgumentException if the shapes differ, or the number of columns is not the number of per-label
     *     temperatures
     * @throws IllegalStateException if {@code outProbabilities} is read-only
     */
    public void apply(FloatMatrix logits, FloatMatrix outProbabilities) {
        if (perClass && logits.cols() != temperatures.length) {
            throw new IllegalArgumentException("logits has " + logits.cols() + " columns; expected "
                    + temperatures.length + ", one per fitted temperature");
        }
        TemperatureScaling.scale(logits, temperatures, outProbabilities);
        Activation.SIGMOID.applyInPlace(outProbabilities, 1.0);
    }

    /**
     * A JSON-compatible map: {@code "per_class"} (boolean), {@code "temperature"} (a double, or a {@code List<Double>}
     * with one per label when per-class), {@code "nll_before"}, {@code "nll_after"} and {@code "iterations"}. A new
     * mutable map each call.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("per_class", perClass);
        if (perClass) {
            List<Double> t = new ArrayList<>(temperatures.length);
            for (double v : temperatures) {
                t.add(v);
            }
            m.put("temperature", t);
        } else {
            m.put("temperature", temperatures[0]);
        }
        m.put("nll_before", nllBefore);
        m.put("nll_after", nllAfter);
        m.put("iterations", iterations);
        return m;
    }

    /**
     * Reads what {@link #toMap()} wrote; numbers may be any {@link Number}, {@code "iterations"} may be absent.
     *
     * @throws IllegalArgumentException naming the key if one is missing or of the wrong type, a temperature is not
     *     finite and positive, an NLL is negative, or {@code "temperature"} is a list without {@code "per_class"}
     *     true (or a number with it)
     */
    public static MultilabelTemperatureFit fromMap(Map<String, ?> map) {
        MapFields f = new MapFields(map, "multi-label temperature fit");
        boolean perClass = f.bool("per_class");
        double[] temperatures;
        if (perClass) {
            temperatures = f.positives("temperature");
        } else {
            Object t = f.require("temperature");
            if (!(t instanceof Number)) {
                throw new IllegalArgumentException("multi-label temperature fit 'temperature' is "
                        + MapFields.describe(t)
                        + "; expected one number because 'per_class' is false");
            }
            temperatures = new double[] {f.number("temperature", 0.0, Double.POSITIVE_INFINITY, true)};
        }
        double inf = Double.POSITIVE_INFINITY;
        return new MultilabelTemperatureFit(temperatures, perClass,
                f.number("nll_before", 0.0, inf, false),
                f.number("nll_after", 0.0, inf, false),
                f.count("iterations"));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MultilabelTemperatureFit)) {
            return false;
        }
        MultilabelTemperatureFit other = (MultilabelTemperatureFit) o;
        return perClass == other.perClass && Arrays.equals(temperatures, other.temperatures)
                && Double.compare(nllBefore, other.nllBefore) == 0 && Double.compare(nllAfter, other.nllAfter) == 0
                && iterations == other.iterations;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(temperatures) * 31 + Double.hashCode(nllAfter);
    }

    @Override
    public String toString() {
        return "MultilabelTemperatureFit[T=" + (perClass ? Arrays.toString(temperatures) : temperatures[0]) + ", nll "
                + nllBefore + " -> " + nllAfter + "]";
    }
}
