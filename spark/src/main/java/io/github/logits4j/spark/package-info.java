/**
 * ONNX classifiers on Apache Spark: the Spark ML transformer ({@link
 * io.github.logits4j.spark.OnnxClassifierTransformer}) that scores a DataFrame with the head logits4j decides, and
 * evaluates it across the cluster with the same result as one machine. Types are non-null unless annotated
 * {@code @Nullable}.
 *
 * <pre>{@code
 * Dataset<Row> scored = new OnnxClassifierTransformer().setModelPath("hdfs:///m.onnx").transform(df);
 * }</pre>
 */
@NullMarked
package io.github.logits4j.spark;

import org.jspecify.annotations.NullMarked;
