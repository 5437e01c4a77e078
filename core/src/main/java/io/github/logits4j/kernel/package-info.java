/**
 * The numeric kernels ({@link io.github.logits4j.kernel.Kernels}) and input checks
 * ({@link io.github.logits4j.kernel.Checks}) that the rest of logits4j shares: logits4j's internal numeric layer.
 */
package io.github.logits4j.kernel;
