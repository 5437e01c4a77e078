package io.github.logits4j.examples;

import io.github.logits4j.LoadException;
import io.github.logits4j.data.DataSet;
import io.github.logits4j.onnx.EvaluationOptions;
import io.github.logits4j.onnx.EvaluationResult;
import io.github.logits4j.onnx.OnnxClassifier;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Example 3: the loss and metrics of a model over a labelled data set, from Java. The features and labels are
 * {@code .npy} files (as {@code numpy.save} writes them), streamed through the model in batches, so a data set larger
 * than the heap evaluates; the numbers are those PyTorch and scikit-learn give for the same outputs.
 *
 * <pre>
 * java -cp ... io.github.logits4j.examples.BatchEvaluation [model.onnx features.npy labels.npy [batch size]]
 * </pre>
 *
 * <p>Prints the loss, the metrics table and where the time went. The defaults evaluate {@code digits_softmax.onnx} on
 * the bundled digits test split; {@code breast_cancer_sigmoid.onnx breast_cancer_test_x.npy breast_cancer_test_y.npy}
 * gives a binary report.
 */
public final class BatchEvaluation {
    private BatchEvaluation() {
    }

    /**
     * Evaluates a single-input model on {@code features} against {@code labels} (class indices, or 0/1 for a binary
     * model), {@code batchSize} rows at a time.
     */
    public static EvaluationResult evaluate(Path modelFile, Path features, Path labels, int batchSize)
            throws LoadException {
        try (OnnxClassifier model = OnnxClassifier.builder(modelFile).build()) {
            try (DataSet data = DataSet.builder(model).input(features).labels(labels).batchSize(batchSize).open()) {
                EvaluationOptions options = EvaluationOptions.builder().topK(1, 3, 5).build();
                return data.evaluate(model, options);      // errors name the file, the row and the column
            }
        }
    }

    public static void main(String[] args) throws LoadException {
        EvaluationResult result = args.length >= 3
                ? evaluate(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]),
                        args.length > 3 ? Integer.parseInt(args[3]) : 256)
                : evaluate(ExampleData.testdata("models/digits_softmax.onnx"),
                        ExampleData.testdata("data/digits_test_x.npy"),
                        ExampleData.testdata("data/digits_test_y.npy"), 256);

        System.out.printf(Locale.ROOT, "%d samples, %s, %s = %.6f%n", result.samples(), result.task().id(),
                result.lossName(), result.loss());
        System.out.println(result.metricsTable());
        System.out.printf(Locale.ROOT, "%d batches: %.1f ms in ONNX Runtime, %.1f ms in logits4j, %.1f ms in all%n",
                result.batches(), result.onnxRuntimeNanos() / 1e6, result.postProcessingNanos() / 1e6,
                result.totalNanos() / 1e6);
    }
}
