/**
 * Calibration of classifier confidence: temperature scaling
 * ({@link io.github.logits4j.calibration.TemperatureScaling}) fits one temperature T so that {@code softmax(z / T)}, or
 * {@code sigmoid(z / T)} per label, minimises the NLL of held-out validation logits, without changing any predicted
 * class. The fits ({@link io.github.logits4j.calibration.TemperatureFit},
 * {@link io.github.logits4j.calibration.MultilabelTemperatureFit}) report NLL and expected calibration error before and
 * after, save to a JSON-compatible map and apply the temperature to new logits.
 *
 * <pre>{@code
 * TemperatureFit fit = TemperatureScaling.fit(validationLogits, validationLabels);
 * FloatMatrix calibrated = fit.apply(testLogits);
 * }</pre>
 */
@NullMarked
package io.github.logits4j.calibration;

import org.jspecify.annotations.NullMarked;
