package io.github.logits4j.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.activation.Activation;
import io.github.logits4j.decision.Argmax;
import io.github.logits4j.golden.Golden;
import io.github.logits4j.golden.Tolerance;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Temperature scaling against {@code testdata/golden/calibration.json} (scipy bounded Brent on log T plus Newton on
 * 1/T, float64, |dNLL/dT| below 1e-12 at the reference; NLL from torch, ECE from torchmetrics 1.9.0).
 *
 * <p><b>Tolerances.</b> The golden logits are exact float32 values (the generator casts them), so Java fits the same
 * data the reference did: the temperature is checked at 1e-9 relative (the fit converges to 1e-10 in T and the
 * reference to about 1e-12), NLL and ECE before and after at 1e-9. That the fit itself is converged far tighter is
 * checked separately: the Newton step {@code f'(beta) / f''(beta)} left at the returned beta must be below 1e-11
 * relative, computed by an independent loop.
 */
class TemperatureGoldenTest {
    private static final Golden GOLDEN = Golden.load("calibration");
    /** The float32 cast of the golden logits moves the optimum by up to 1.0e-8 relative (see the class comment). */
    private static final double TEMPERATURE_REL = 1e-9;
    /** The float32 cast moves the NLL by up to 3.0e-9. */
    private static final double NLL_ABS = 1e-9;
    /** The float32 cast moves the ECE by up to 3.8e-10. */
    private static final double ECE_ABS = 1e-9;
    /** How converged the fit must be on its own (float32) input: the remaining Newton step, relative to beta. */
    private static final double CONVERGED = 1e-11;

    @TestFactory
    Stream<DynamicTest> multiClass() {
        return GOLDEN.cases("temperature_multiclass").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            assertEquals(TemperatureScaling.ECE_BINS, c.paramInt("n_bins"));
            FloatMatrix logits = c.input("logits").matrix();
            int[] labels = c.input("labels").ints();
            TemperatureFit fit = TemperatureScaling.fit(logits, labels);

            Tolerance.assertClose(c.expected("temperature").scalar(), fit.temperature(), 0.0, TEMPERATURE_REL,
                    c.id() + " temperature");
            Tolerance.assertClose(c.expected("nll_before").scalar(), fit.nllBefore(), NLL_ABS, 0.0, c.id() + " nll_before");
            Tolerance.assertClose(c.expected("nll_after").scalar(), fit.nllAfter(), NLL_ABS, 0.0, c.id() + " nll_after");
            Tolerance.assertClose(c.expected("ece_before").scalar(), fit.eceBefore(), ECE_ABS, 0.0, c.id() + " ece_before");
            Tolerance.assertClose(c.expected("ece_after").scalar(), fit.eceAfter(), ECE_ABS, 0.0, c.id() + " ece_after");

            double newtonStep = softmaxNewtonStep(logits, labels, 1.0 / fit.temperature());
            assertTrue(Math.abs(newtonStep) * fit.temperature() < CONVERGED, c.id() + ": the fit is not converged, "
                    + "a Newton step of " + newtonStep + " in 1/T remains");

            FloatMatrix probabilities = fit.apply(logits);
            FloatMatrix viaActivation = FloatMatrix.allocate(logits.rows(), logits.cols());
            TemperatureScaling.scale(logits, new double[] {fit.temperature()}, viaActivation);   // float32 z / T
            Activation.SOFTMAX.applyInPlace(viaActivation, 1.0);
            assertArrayEquals(viaActivation.toArray(), probabilities.toArray(), 0f);
            assertArrayEquals(Argmax.of(logits), Argmax.of(probabilities), c.id() + ": argmax changed");
            assertEquals(fit, TemperatureFit.fromMap(fit.toMap()));
        }));
    }

    @TestFactory
    Stream<DynamicTest> multiLabel() {
        return GOLDEN.cases("temperature_multilabel").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            FloatMatrix logits = c.input("logits").matrix();
            FloatMatrix targets = c.input("targets").matrix();
            boolean perClass = c.paramBoolean("per_class");
            MultilabelTemperatureFit fit = TemperatureScaling.fitMultilabel(logits, targets, perClass);

            double[] expected = c.expected("temperature").doubles();
            assertEquals(perClass, fit.perClass());
            Tolerance.assertAllClose(expected, fit.temperatures(), 0.0, TEMPERATURE_REL, c.id() + " temperature");
            Tolerance.assertClose(c.expected("nll_before").scalar(), fit.nllBefore(), NLL_ABS, 0.0, c.id() + " nll_before");
            Tolerance.assertClose(c.expected("nll_after").scalar(), fit.nllAfter(), NLL_ABS, 0.0, c.id() + " nll_after");

            double[] t = fit.temperatures();
            for (int k = 0; k < t.length; k++) {
                int from = perClass ? k : 0;
                int to = perClass ? k + 1 : logits.cols();
                double step = sigmoidNewtonStep(logits, targets, from, to, 1.0 / t[k]);
                assertTrue(Math.abs(step) * t[k] < CONVERGED, c.id() + " temperature " + k
                        + " is not converged, a Newton step of " + step + " in 1/T remains");
            }
            assertEquals(fit, MultilabelTemperatureFit.fromMap(fit.toMap()));
        }));
    }

    @TestFactory
    Stream<DynamicTest> separable() {
        return GOLDEN.cases("temperature_separable").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            assertTrue(c.expected("separable").booleans()[0]);
            FloatMatrix logits = c.input("logits").matrix();
            int[] labels = c.input("labels").ints();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TemperatureScaling.fit(logits, labels));
            assertTrue(e.getMessage().startsWith("validation logits are perfectly separable"), e.getMessage());
            assertTrue(e.getMessage().contains("the NLL keeps falling as T -> 0"), e.getMessage());

            // The NLL the fit refuses to chase: falling at T = 1e-1 .. 1e-4 as in torch (same float32 logits).
            ScaledNll nll = new ScaledNll.Softmax(logits.array(), 0, logits.rows(), logits.cols(), labels);
            double[] expected = c.expected("nll_at_small_t").doubles();
            double[] ts = {1e-1, 1e-2, 1e-3, 1e-4};
            for (int i = 0; i < ts.length; i++) {
                Tolerance.assertClose(expected[i], nll.value(1.0 / ts[i]), 1e-12, 1e-9, c.id() + " nll at T = " + ts[i]);
            }
        }));
    }

    /** {@code f'(beta) / f''(beta)} of the mean cross-entropy of softmax(beta z), straight from the definition. */
    static double softmaxNewtonStep(FloatMatrix z, int[] labels, double beta) {
        int cols = z.cols();
        double first = 0.0;
        double second = 0.0;
        double[] p = new double[cols];
        for (int r = 0; r < z.rows(); r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, beta * z.get(r, c));
            }
            double sum = 0.0;
            for (int c = 0; c < cols; c++) {
                p[c] = Math.exp(beta * z.get(r, c) - max);
                sum += p[c];
            }
            double mean = 0.0;
            double squares = 0.0;
            for (int c = 0; c < cols; c++) {
                p[c] /= sum;
                mean += p[c] * z.get(r, c);
            }
            for (int c = 0; c < cols; c++) {
                squares += p[c] * (z.get(r, c) - mean) * (z.get(r, c) - mean);
            }
            first += mean - z.get(r, labels[r]);
            second += squares;
        }
        return first / second;
    }

    /** {@code f'(beta) / f''(beta)} of the mean BCE-with-logits of beta z over columns [from, to). */
    static double sigmoidNewtonStep(FloatMatrix z, FloatMatrix y, int from, int to, double beta) {
        double first = 0.0;
        double second = 0.0;
        for (int r = 0; r < z.rows(); r++) {
            for (int c = from; c < to; c++) {
                double v = z.get(r, c);
                double s = 1.0 / (1.0 + Math.exp(-beta * v));
                first += v * (s - y.get(r, c));
                second += v * v * s * (1 - s);
            }
        }
        return first / second;
    }
}
