package io.github.logits4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.LoadException;
import io.github.logits4j.examples.EmbeddedClassifier.RankedClass;
import io.github.logits4j.golden.Golden;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedClassifierTest {
    private static final List<String> DIGITS =
            List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
    private static final Golden.Case GOLDEN = ModelGoldens.of("digits_metadata_labels");
    private static EmbeddedClassifier classifier;
    private static FloatMatrix first64;

    @BeforeAll
    static void load() throws LoadException {
        classifier = new EmbeddedClassifier(ModelGoldens.file("models/digits_metadata_labels.onnx"));
        first64 = ExampleData.readMatrix(ModelGoldens.file("data/digits_test_x.npy"), 64);
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    @Test
    void classNamesComeFromTheModelMetadata() {
        assertEquals(DIGITS, classifier.classNames());
    }

    @Test
    void bestClassIsTheTrueDigitOfTheFirstTestImages() throws LoadException {
        FloatMatrix labels = ExampleData.readMatrix(ModelGoldens.file("data/digits_test_y.npy"), 10);
        List<List<RankedClass>> predictions = classifier.classify(ExampleData.readMatrix(
                ModelGoldens.file("data/digits_test_x.npy"), 10), 3);
        for (int row = 0; row < 10; row++) {
            int digit = (int) labels.get(row, 0);
            RankedClass best = predictions.get(row).get(0);
            assertEquals(digit, best.index(), "row " + row);
            assertEquals(DIGITS.get(digit), best.name(), "row " + row);
        }
    }

    @Test
    void topKIsSortedAndItsProbabilitiesAreTheSoftmaxOfTheLogits() {
        double[] expected = GOLDEN.expected("probabilities").doubles();      // torch softmax of onnxruntime's logits
        List<List<RankedClass>> predictions = classifier.classify(first64, 3);
        assertEquals(64, predictions.size());
        for (int row = 0; row < 64; row++) {
            List<RankedClass> top = predictions.get(row);
            assertEquals(3, top.size());
            for (int j = 0; j < 3; j++) {
                RankedClass c = top.get(j);
                assertEquals(DIGITS.get(c.index()), c.name());
                assertEquals(expected[row * 10 + c.index()], c.probability(), 1e-6, "row " + row + ", " + c);
                if (j > 0) {
                    assertTrue(top.get(j - 1).probability() >= c.probability(), "row " + row + " is not sorted");
                }
            }
            int argmax = 0;
            for (int c = 1; c < 10; c++) {
                argmax = expected[row * 10 + c] > expected[row * 10 + argmax] ? c : argmax;
            }
            assertEquals(argmax, top.get(0).index(), "row " + row);
        }
    }

    @Test
    void oneInstanceServesManyThreads() throws Exception {
        List<List<RankedClass>> alone = classifier.classify(first64, 2);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<List<RankedClass>>>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> classifier.classify(first64, 2)));
            }
            for (Future<List<List<RankedClass>>> r : results) {
                assertEquals(alone, r.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMissingModelIsALoadExceptionNamingTheFile() {
        LoadException e = assertThrows(LoadException.class, () -> new EmbeddedClassifier(Path.of("no/such.onnx")));
        assertTrue(e.getMessage().contains("such.onnx"), e.getMessage());
    }

    @Test
    void mainPrintsTheTopThreeOfFiveDigits() throws Exception {
        String out = ModelGoldens.mainOutput(EmbeddedClassifier::main);
        List<String> lines = out.lines().toList();
        assertEquals(5, lines.size(), out);
        assertTrue(lines.get(0).matches("row 0:\\s+seven\\s+99\\.\\d\\d%\\s+nine .*"), lines.get(0));
    }
}
