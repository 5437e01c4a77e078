package io.github.logits4j.examples;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.LoadException;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.onnx.Scores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Example 1: a classifier embedded in an application. The model is loaded once, shared by every caller (an
 * {@link OnnxClassifier} is thread-safe) and closed with the application; each call returns the {@code k} most
 * probable classes of every row with their names.
 *
 * <pre>
 * java -cp ... io.github.logits4j.examples.EmbeddedClassifier [model.onnx [features.npy [rows [k]]]]
 * </pre>
 *
 * <p>The defaults classify the first 5 digits of the bundled test split with {@code digits_metadata_labels.onnx}, a
 * model that emits logits and carries its class names ("zero" .. "nine") in its metadata.
 */
public final class EmbeddedClassifier implements AutoCloseable {
    private final OnnxClassifier model;

    /** One class of a prediction: its index, its name and its probability. */
    public record RankedClass(int index, String name, float probability) {
    }

    /**
     * Loads the model. Whether it emits logits, probabilities or log-probabilities is read from the graph or its
     * metadata, so {@link #classify} always sees probabilities.
     *
     * @throws LoadException if the file is missing or is not a usable classifier (the message says which)
     */
    public EmbeddedClassifier(Path modelFile) throws LoadException {
        // A model without class names in its metadata gets them here: .classNames(List.of("cat", "dog", ...)).
        this.model = OnnxClassifier.builder(modelFile).build();
    }

    /** The class names the model uses, in class-index order. */
    public List<String> classNames() {
        return model.classNames();
    }

    /**
     * The {@code k} most probable classes of every row of {@code features} ({@code [rows × features]}), best first,
     * ties toward the lower class index. Safe to call from many threads at once.
     */
    public List<List<RankedClass>> classify(FloatMatrix features, int k) {
        Scores scores = model.run(features);
        FloatMatrix probabilities = scores.probabilities();
        int[] top = scores.topK(k);                          // row-major [rows x k]
        List<List<RankedClass>> predictions = new ArrayList<>(scores.rows());
        for (int row = 0; row < scores.rows(); row++) {
            List<RankedClass> best = new ArrayList<>(k);
            for (int j = 0; j < k; j++) {
                int c = top[row * k + j];
                best.add(new RankedClass(c, scores.className(c), probabilities.get(row, c)));
            }
            predictions.add(List.copyOf(best));
        }
        return List.copyOf(predictions);
    }

    @Override
    public void close() {
        model.close();
    }

    public static void main(String[] args) throws LoadException {
        Path modelFile = args.length > 0
                ? Path.of(args[0]) : ExampleData.testdata("models/digits_metadata_labels.onnx");
        Path featuresFile = args.length > 1 ? Path.of(args[1]) : ExampleData.testdata("data/digits_test_x.npy");
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int k = args.length > 3 ? Integer.parseInt(args[3]) : 3;

        FloatMatrix features = ExampleData.readMatrix(featuresFile, rows);
        try (EmbeddedClassifier classifier = new EmbeddedClassifier(modelFile)) {
            List<List<RankedClass>> predictions = classifier.classify(features, k);
            for (int row = 0; row < predictions.size(); row++) {
                StringBuilder line = new StringBuilder("row " + row + ":");
                for (RankedClass c : predictions.get(row)) {
                    line.append(String.format(Locale.ROOT, "  %-6s %6.2f%%", c.name(), 100.0 * c.probability()));
                }
                System.out.println(line);
            }
        }
    }
}
