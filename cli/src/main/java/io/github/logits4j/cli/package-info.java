/**
 * The {@code logits4j} command: {@code inspect}, {@code evaluate}, {@code predict}, {@code tune-thresholds} and
 * {@code calibrate} over exported ONNX classifiers and data sets in {@code .npy} or CSV files.
 */
package io.github.logits4j.cli;
