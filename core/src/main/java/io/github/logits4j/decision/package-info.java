/**
 * Decision rules over classifier outputs: {@link io.github.logits4j.decision.Argmax},
 * {@link io.github.logits4j.decision.TopK}, {@link io.github.logits4j.decision.BinaryDecision} and
 * {@link io.github.logits4j.decision.MultilabelDecision}, with {@code >=} or {@code >}
 * ({@link io.github.logits4j.decision.Comparison}). Ties always go to the lower class index.
 */
@NullMarked
package io.github.logits4j.decision;

import org.jspecify.annotations.NullMarked;
