/**
 * Decision thresholds tuned on validation data: {@link io.github.logits4j.tuning.ThresholdTuner} picks, per label, the
 * score threshold that maximises F1, F-beta, recall at a minimum precision or precision at a minimum recall
 * ({@link io.github.logits4j.tuning.ThresholdObjective}), for the rule {@code score >= threshold}; ties go to the lowest
 * threshold, and labels that cannot be tuned get a fallback. The results
 * ({@link io.github.logits4j.tuning.TunedThresholds}, {@link io.github.logits4j.tuning.TunedThreshold}) save to a
 * JSON-compatible map and become {@code MultilabelDecision} or {@code BinaryDecision} rules.
 *
 * <pre>{@code
 * TunedThresholds tuned = ThresholdTuner.builder().build().tune(validationProbabilities, validationLabels);
 * MultilabelDecision rule = tuned.toDecisionBuilder().build();
 * }</pre>
 */
@NullMarked
package io.github.logits4j.tuning;

import org.jspecify.annotations.NullMarked;
