package io.github.logits4j.calibration;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.activation.Activation;
import io.github.logits4j.kernel.MapFields;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A multi-class temperature fitted by {@link TemperatureScaling#fit}: the temperature, the validation NLL and expected
 * calibration error before ({@code T = 1}) and after, and how many iterations the fit took.
 *
 * <pre>{@code
 * TemperatureFit fit = TemperatureScaling.fit(validationLogits, validationLabels);
 * System.out.printf("T = %.3f, NLL %.4f -> %.4f, ECE %.4f -> %.4f%n", fit.temperature(),
 *         fit.nllBefore(), fit.nllAfter(), fit.eceBefore(), fit.eceAfter());
 * FloatMatrix probabilities = fit.apply(testLogits);            // softmax(z / T)
 * Map<String, Object> saved = fit.toMap();                      // write with any JSON library
 * TemperatureFit again = TemperatureFit.fromMap(saved);
 * }</pre>
 *
 * <p>NLL is the mean cross-entropy of {@code softmax(z / T)}; ECE is torchmetrics' l1 calibration error with
 * {@value TemperatureScaling#ECE_BINS} bins (confidence the highest probability, correct whether that class, the first
 * on ties, is the label). Applying the temperature never changes the predicted class: {@code z / T} keeps the order of
 * the logits, and equal logits stay equal (only logits closer than float32 resolution of the probabilities can round
 * to equal probabilities). Immutable and safe to share between threads.
 */
public final class TemperatureFit {
    private final double temperature;
    private final double nllBefore;
    private final double nllAfter;
    private final double eceBefore;
    private final double eceAfter;
    private final int iterations;

    TemperatureFit(double temperature, double nllBefore, double nllAfter, double eceBefore, double eceAfter,
            int iterations) {
        this.temperature = temperature;
        this.nllBefore = nllBefore;
        this.nllAfter = nllAfter;
        this.eceBefore = eceBefore;
        this.eceAfter = eceAfter;
        this.iterations = iterations;
    }

    /** The temperature T > 0: above 1 softens an over-confident model, below 1 sharpens an under-confident one. */
    public double temperature() {
        return temperature;
    }

    /** The mean validation NLL of the unscaled logits. */
    public double nllBefore() {
        return nllBefore;
    }

    /** The mean validation NLL of {@code softmax(z / T)}; at most {@link #nllBefore()}. */
    public double nllAfter() {
        return nllAfter;
    }

    /** The validation expected calibration error (l1, 15 bins) of the unscaled logits. */
    public double eceBefore() {
        return eceBefore;
    }

    /** The validation expected calibration error (l1, 15 bins) of {@code softmax(z / T)}. */
    public double eceAfter() {
        return eceAfter;
    }

    /** Brent iterations plus Newton steps the fit took (0 for a fit read with {@link #fromMap} without one). */
    public int iterations() {
        return iterations;
    }

    /** {@code softmax(logits / T)} into a new matrix. */
    public FloatMatrix apply(FloatMatrix logits) {
        FloatMatrix out = FloatMatrix.allocate(logits.rows(), logits.cols());
        apply(logits, out);
        return out;
    }

    /**
     * Writes {@code softmax(logits / T)} into {@code outProbabilities} (same shape; may be {@code logits}): the logits
     * scaled as {@link TemperatureScaling#scale} does (rounded to float32, as PyTorch's {@code logits / T}), then
     * {@link Activation#SOFTMAX}, the same numbers an evaluation with this temperature reads.
     *
     * @throws IllegalArgumentException if the shapes differ
     * @throws IllegalStateException if {@code outProbabilities} is read-only
     */
    public void apply(FloatMatrix logits, FloatMatrix outProbabilities) {
        TemperatureScaling.scale(logits, new double[] {temperature}, outProbabilities);
        Activation.SOFTMAX.applyInPlace(outProbabilities, 1.0);
    }

    /**
     * A JSON-compatible map: {@code "temperature"}, {@code "nll_before"}, {@code "nll_after"}, {@code "ece_before"},
     * {@code "ece_after"} (doubles) and {@code "iterations"} (an integer). A new mutable map each call.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("temperature", temperature);
        m.put("nll_before", nllBefore);
        m.put("nll_after", nllAfter);
        m.put("ece_before", eceBefore);
        m.put("ece_after", eceAfter);
        m.put("iterations", iterations);
        return m;
    }

    /**
     * Reads what {@link #toMap()} wrote; numbers may be any {@link Number}, {@code "iterations"} may be absent.
     *
     * @throws IllegalArgumentException naming the key if one is missing, not a number, or out of range (temperature
     *     finite and {@code > 0}, NLL finite and {@code >= 0}, ECE in [0, 1])
     */
    public static TemperatureFit fromMap(Map<String, ?> map) {
        MapFields f = new MapFields(map, "temperature fit");
        double inf = Double.POSITIVE_INFINITY;
        return new TemperatureFit(
                f.number("temperature", 0.0, inf, true),
                f.number("nll_before", 0.0, inf, false),
                f.number("nll_after", 0.0, inf, false),
                f.number("ece_before", 0.0, 1.0, false),
                f.number("ece_after", 0.0, 1.0, false),
                f.count("iterations"));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TemperatureFit)) {
            return false;
        }
        TemperatureFit other = (TemperatureFit) o;
        return Double.compare(temperature, other.temperature) == 0 && Double.compare(nllBefore, other.nllBefore) == 0
                && Double.compare(nllAfter, other.nllAfter) == 0 && Double.compare(eceBefore, other.eceBefore) == 0
                && Double.compare(eceAfter, other.eceAfter) == 0 && iterations == other.iterations;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(temperature) * 31 + Double.hashCode(nllAfter);
    }

    @Override
    public String toString() {
        return "TemperatureFit[T=" + temperature + ", nll " + nllBefore + " -> " + nllAfter + ", ece " + eceBefore
                + " -> " + eceAfter + "]";
    }
}
