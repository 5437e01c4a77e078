/**
 * Runs ONNX classifiers through ONNX Runtime and applies the head the model calls for, exactly once.
 *
 * <p>{@link io.github.logits4j.onnx.OnnxClassifier} reads the model graph (without loading its weights into the heap)
 * to decide whether the chosen output emits logits, probabilities or log-probabilities
 * ({@link io.github.logits4j.onnx.HeadEvidence}), takes the task and class names from your settings, the model's
 * metadata or the graph, runs batches on the CPU or CUDA provider ({@link io.github.logits4j.onnx.ExecutionProvider}),
 * and returns {@link io.github.logits4j.onnx.Scores} or, over a data set, an
 * {@link io.github.logits4j.onnx.EvaluationResult} with the loss and the metrics report.
 *
 * <p>Metadata keys it reads ({@code metadata_props}): {@code logits4j.output_kind} (logits, probabilities,
 * log_probabilities), {@code logits4j.task} (multiclass, multilabel, binary), {@code logits4j.labels} (a JSON array of
 * class names) and {@code id2label} (a Hugging Face style JSON object from index to name). Your builder settings win
 * over metadata, and metadata over the graph.
 */
@NullMarked
package io.github.logits4j.onnx;

import org.jspecify.annotations.NullMarked;
