package io.github.logits4j.onnx;

import java.util.Objects;

/**
 * One class of a row's top-k: its index, its name and its probability (or, for a model that emits decision values,
 * its score). {@link Scores#classifications(int)} gives them per row, best first; {@link Scores#topK(int, int[],
 * float[])} gives the same as flat arrays, without allocating per row, for hot paths.
 *
 * <pre>{@code
 * List<List<Classification>> rows = scores.classifications(3);
 * Classification best = rows.get(0).get(0);
 * best.classIndex();      // 7
 * best.name();            // "seven"
 * best.probability();     // 0.9991972
 * }</pre>
 *
 * @param classIndex  the class index, from 0
 * @param name        the class name (the model's, the caller's, or the index as text)
 * @param probability the probability, or the decision value for a model that emits decision values
 */
public record Classification(int classIndex, String name, float probability) {
    /** Checks the index and the name. */
    public Classification {
        if (classIndex < 0) {
            throw new IllegalArgumentException("class index is " + classIndex + "; expected at least 0");
        }
        Objects.requireNonNull(name, "name");
    }
}
