package io.github.logits4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.LoadException;
import io.github.logits4j.golden.Golden;
import io.github.logits4j.tuning.TunedThresholds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MultilabelTaggingTest {
    private static final Golden.Case GOLDEN = ModelGoldens.of("digits_attributes_logits");
    private static MultilabelTagging.Result result;

    @BeforeAll
    static void run() throws LoadException {
        result = MultilabelTagging.run(ModelGoldens.file("models/digits_attributes_logits.onnx"),
                ModelGoldens.file("data/digits_val_x.npy"), ModelGoldens.file("data/digits_val_attributes.npy"),
                ModelGoldens.file("data/digits_test_x.npy"), ModelGoldens.file("data/digits_test_attributes.npy"),
                20);
    }

    @Test
    void f1AtHalfIsScikitLearns() {
        // sklearn f1_score(average="micro") of (p >= 0.5) over the whole test split
        assertEquals(GOLDEN.expected("f1_micro").scalar(), result.testF1AtHalf(), 1e-9);
    }

    @Test
    void tunedThresholdsDoAtLeastAsWellOnTheTestSplit() {
        assertTrue(result.testF1Tuned() >= result.testF1AtHalf(),
                "tuned " + result.testF1Tuned() + " < at 0.5 " + result.testF1AtHalf());
    }

    @Test
    void everyTagGetsItsOwnThreshold() {
        TunedThresholds tuned = result.thresholds();
        assertEquals(4, tuned.size());
        for (int tag = 0; tag < 4; tag++) {
            assertFalse(tuned.fellBack(tag), "tag " + tag + " fell back");
            assertTrue(tuned.threshold(tag) > 0 && tuned.threshold(tag) < 1, "threshold " + tuned.threshold(tag));
        }
    }

    @Test
    void tagsAreTheProbabilitiesAtOrAboveTheTunedThresholds() {
        double[] probabilities = GOLDEN.expected("probabilities").doubles();  // sigmoid of onnxruntime's logits
        double[] thresholds = result.thresholds().thresholds();
        assertEquals(20, result.firstTags().size());
        for (int row = 0; row < 20; row++) {
            List<String> expected = new ArrayList<>();
            for (int tag = 0; tag < 4; tag++) {
                if (probabilities[row * 4 + tag] >= thresholds[tag]) {
                    expected.add(MultilabelTagging.DIGIT_ATTRIBUTES.get(tag));
                }
            }
            assertEquals(expected, result.firstTags().get(row), "row " + row);
        }
    }

    @Test
    void mainPrintsThresholdsScoresAndTags() throws Exception {
        String out = ModelGoldens.mainOutput(MultilabelTagging::main);
        assertTrue(out.contains("test micro F1: 0.9599 at 0.5"), out);
        assertTrue(out.lines().filter(l -> l.contains(" threshold ")).count() == 4, out);
        assertTrue(out.lines().filter(l -> l.startsWith("test image ")).count() == 5, out);
    }
}
