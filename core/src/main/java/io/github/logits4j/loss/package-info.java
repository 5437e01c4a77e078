/**
 * Losses over classifier outputs with PyTorch semantics by default and Keras 3 semantics selectable
 * ({@link io.github.logits4j.loss.Semantics}): {@link io.github.logits4j.loss.CrossEntropyLoss},
 * {@link io.github.logits4j.loss.NllLoss}, {@link io.github.logits4j.loss.BinaryCrossEntropyLoss},
 * {@link io.github.logits4j.loss.MultiLabelSoftMarginLoss} and {@link io.github.logits4j.loss.SigmoidFocalLoss}.
 * Each takes its input as logits, probabilities or log-probabilities, stated by the caller; on the same data every
 * input kind gives the same loss.
 */
@NullMarked
package io.github.logits4j.loss;

import org.jspecify.annotations.NullMarked;
