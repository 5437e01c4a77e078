/**
 * Runs ONNX classifiers through ONNX Runtime, reads the model graph to decide whether it emits logits, probabilities or
 * log-probabilities, and applies the matching head from {@code logits4j-core} exactly once.
 *
 * <p>This module is being built; its entry point arrives with the adapter work. Until then it only fixes the module's
 * place in the build.
 */
package io.github.logits4j.onnx;
