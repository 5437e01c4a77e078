/**
 * Reading data sets for evaluation: NumPy {@code .npy} arrays through a memory map
 * ({@link io.github.logits4j.data.NpyArray}).
 */
package io.github.logits4j.data;
