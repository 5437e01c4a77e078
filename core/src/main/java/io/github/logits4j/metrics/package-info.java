/**
 * Evaluation metrics that match scikit-learn 1.9 (and torchmetrics 1.9 for the calibration error), streamed and
 * mergeable: {@link io.github.logits4j.metrics.MulticlassMetrics}, {@link io.github.logits4j.metrics.MultilabelMetrics}
 * and {@link io.github.logits4j.metrics.BinaryMetrics} accumulate batches and give immutable reports with stable
 * snake_case keys; {@link io.github.logits4j.metrics.CalibrationError} is the expected calibration error on its own.
 */
@NullMarked
package io.github.logits4j.metrics;

import org.jspecify.annotations.NullMarked;
