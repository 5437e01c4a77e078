package io.github.logits4j.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.logits4j.FloatMatrix;
import io.github.logits4j.LoadException;
import io.github.logits4j.Task;
import io.github.logits4j.decision.MultilabelDecision;
import io.github.logits4j.metrics.Average;
import io.github.logits4j.metrics.MultilabelMetrics;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.tuning.ThresholdTuner;
import io.github.logits4j.tuning.TunedThresholds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Example 2: multi-label tagging with one threshold per tag, tuned for F1 on a validation split and then applied to
 * unseen data. The bundled model tags a digit image with four attributes of the digit: even, greater than 4, prime,
 * and drawn with a closed loop.
 *
 * <pre>
 * java -cp ... io.github.logits4j.examples.MultilabelTagging \
 *         [model.onnx val_x.npy val_tags.npy test_x.npy test_tags.npy]
 * </pre>
 *
 * <p>Another model must emit the same four tags, in that order. Prints the tuned threshold of each tag, micro F1 on
 * the test split with every threshold at 0.5 and with the tuned ones, the thresholds as JSON (to ship with the model)
 * and the tags of the first few test images.
 */
public final class MultilabelTagging {
    /** The tags of the bundled {@code digits_attributes_*} models, in output order. */
    public static final List<String> DIGIT_ATTRIBUTES = List.of("even", "greater_than_4", "prime", "closed_loop");

    /** What tuning gave: the thresholds, test micro F1 before and after, and the tags of the first test rows. */
    public record Result(TunedThresholds thresholds, double testF1AtHalf, double testF1Tuned,
            List<List<String>> firstTags) {
    }

    private MultilabelTagging() {
    }

    /** Tunes thresholds on the validation files, measures both rules on the test files and tags {@code show} rows. */
    public static Result run(Path modelFile, Path validationX, Path validationTags, Path testX, Path testTags,
            int show) throws LoadException {
        // Logits alone cannot tell multi-label from multi-class: say which (a sigmoid-headed model needs nothing).
        try (OnnxClassifier model = OnnxClassifier.builder(modelFile)
                .task(Task.MULTILABEL)
                .classNames(DIGIT_ATTRIBUTES)
                .build()) {
            // 1. Tune on validation data, never on the data you report on.
            FloatMatrix validationProbabilities = model.run(ExampleData.readMatrix(validationX)).probabilities();
            TunedThresholds tuned = ThresholdTuner.builder().build()          // F1, fallback 0.5
                    .tune(validationProbabilities, ExampleData.readMatrix(validationTags));

            // 2. Compare the default rule (p >= 0.5) with the tuned one on the test split.
            FloatMatrix testProbabilities = model.run(ExampleData.readMatrix(testX)).probabilities();
            FloatMatrix testLabels = ExampleData.readMatrix(testTags);
            int tags = model.classes();
            double f1AtHalf = microF1(MultilabelMetrics.builder(tags).threshold(0.5), testProbabilities, testLabels);
            double f1Tuned = microF1(MultilabelMetrics.builder(tags).thresholds(tuned.thresholds()),
                    testProbabilities, testLabels);

            // 3. Tag: the tuned thresholds as a decision rule (p >= t per tag), row-major [rows x tags].
            MultilabelDecision rule = tuned.toDecisionBuilder().build();
            boolean[] on = rule.decide(testProbabilities);
            int rows = Math.min(show, testProbabilities.rows());
            List<List<String>> firstTags = new ArrayList<>();
            for (int row = 0; row < rows; row++) {
                List<String> names = new ArrayList<>();
                for (int tag = 0; tag < tags; tag++) {
                    if (on[row * tags + tag]) {
                        names.add(model.classNames().get(tag));
                    }
                }
                firstTags.add(List.copyOf(names));
            }
            return new Result(tuned, f1AtHalf, f1Tuned, List.copyOf(firstTags));
        }
    }

    private static double microF1(MultilabelMetrics.Builder rule, FloatMatrix probabilities, FloatMatrix labels) {
        MultilabelMetrics metrics = rule.build();
        metrics.update(probabilities, labels);
        return metrics.result().f1(Average.MICRO);
    }

    public static void main(String[] args) throws LoadException, JsonProcessingException {
        Result result = args.length >= 5
                ? run(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), Path.of(args[4]), 5)
                : run(ExampleData.testdata("models/digits_attributes_logits.onnx"),
                        ExampleData.testdata("data/digits_val_x.npy"),
                        ExampleData.testdata("data/digits_val_attributes.npy"),
                        ExampleData.testdata("data/digits_test_x.npy"),
                        ExampleData.testdata("data/digits_test_attributes.npy"), 5);
        TunedThresholds tuned = result.thresholds();
        for (int tag = 0; tag < tuned.size(); tag++) {
            System.out.printf(Locale.ROOT, "%-15s threshold %.3f  (validation F1 %.3f)%n",
                    DIGIT_ATTRIBUTES.get(tag), tuned.threshold(tag), tuned.objectiveValue(tag));
        }
        System.out.printf(Locale.ROOT, "test micro F1: %.4f at 0.5, %.4f tuned%n", result.testF1AtHalf(),
                result.testF1Tuned());
        // Ship the thresholds with the model: toMap() is ready for any JSON library, fromMap(...) reads it back.
        System.out.println("thresholds as JSON: " + new ObjectMapper().writeValueAsString(tuned.toMap()));
        for (int row = 0; row < result.firstTags().size(); row++) {
            System.out.println("test image " + row + ": " + result.firstTags().get(row));
        }
    }
}
