/**
 * logits4j core: the shared vocabulary ({@link io.github.logits4j.FloatMatrix}, a zero-copy view of a batch of scores,
 * and {@link io.github.logits4j.OutputKind}) used by the activation, loss and decision packages.
 *
 * <ul>
 *   <li>{@link io.github.logits4j.activation}: softmax, log-softmax, sigmoid, log-sigmoid, with a temperature.</li>
 *   <li>{@link io.github.logits4j.loss}: cross-entropy, NLL, BCE, multi-label soft margin, sigmoid focal, with PyTorch
 *       semantics by default and Keras 3 semantics selectable.</li>
 *   <li>{@link io.github.logits4j.decision}: argmax, top-k, thresholds.</li>
 *   <li>{@code io.github.logits4j.kernel}: the numeric kernels every package above shares (internal: exported only to
 *   logits4j's own modules).</li>
 * </ul>
 */
@NullMarked
package io.github.logits4j;

import org.jspecify.annotations.NullMarked;
