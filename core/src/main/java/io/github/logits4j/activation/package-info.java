/**
 * Activations: softmax, log-softmax, sigmoid, log-sigmoid and exp over a batch of scores, with a temperature
 * ({@link io.github.logits4j.activation.Activation}).
 */
@NullMarked
package io.github.logits4j.activation;

import org.jspecify.annotations.NullMarked;
