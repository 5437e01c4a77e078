/**
 * Small, runnable programs that use logits4j the way an application would, each tested against the bundled models in
 * {@code testdata/}:
 *
 * <ul>
 *   <li>{@link io.github.logits4j.examples.EmbeddedClassifier}: a classifier inside an application, top-k with class
 *       names;</li>
 *   <li>{@link io.github.logits4j.examples.MultilabelTagging}: multi-label tags with per-tag thresholds tuned on
 *       validation data;</li>
 *   <li>{@link io.github.logits4j.examples.BatchEvaluation}: loss and metrics of a model over a data set in
 *       {@code .npy} files;</li>
 *   <li>{@link io.github.logits4j.examples.ClassifierHttpService}: a JSON classification service on the JDK's own
 *       HTTP server.</li>
 * </ul>
 *
 * <p>Each has a {@code main} whose arguments default to the bundled test data, found through the system property
 * {@code logits4j.testdata} or a {@code testdata} directory in (or above) the working directory.
 */
package io.github.logits4j.examples;
