/**
 * Split conformal prediction sets for classifiers: conformity scores of a model's probabilities on a held-out
 * calibration split ({@link io.github.logits4j.conformal.ConformalCalibrator}), the exact conformal quantile
 * ({@link io.github.logits4j.conformal.ConformalQuantile}), prediction sets that contain the true class with probability
 * at least {@code 1 - alpha} ({@link io.github.logits4j.conformal.ConformalPredictor}), and the metrics of sets
 * ({@link io.github.logits4j.conformal.PredictionSetMetrics}), with MAPIE's and TorchCP's definitions.
 *
 * <pre>{@code
 * ConformalCalibrator cal = ConformalCalibrator.builder(10).score(ConformityScore.lac()).build();
 * cal.update(calibrationProbabilities, rows, calibrationLabels);
 * ConformalPredictor sets = cal.predictor(0.1);
 * int size = sets.predict(testProbabilities, 0, 0.0, members);     // members: the classes in the set
 * }</pre>
 *
 * <p>The guarantee: when the calibration rows and a test row are exchangeable (drawn alike, the model fixed), the test
 * row's set holds its true class with probability at least {@code 1 - alpha}, over the draw of both; not for every
 * row, nor for every class (class-conditional calibration gives that per class), and not under distribution shift.
 */
@NullMarked
package io.github.logits4j.conformal;

import org.jspecify.annotations.NullMarked;
