package io.github.logits4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.LoadException;
import io.github.logits4j.Task;
import io.github.logits4j.golden.Golden;
import io.github.logits4j.metrics.Average;
import io.github.logits4j.onnx.EvaluationResult;
import org.junit.jupiter.api.Test;

class BatchEvaluationTest {

    @Test
    void digitsMatchScikitLearnAndTorch() throws LoadException {
        Golden.Case golden = ModelGoldens.of("digits_softmax");
        EvaluationResult r = BatchEvaluation.evaluate(ModelGoldens.file("models/digits_softmax.onnx"),
                ModelGoldens.file("data/digits_test_x.npy"), ModelGoldens.file("data/digits_test_y.npy"), 64);
        assertEquals(Task.MULTICLASS, r.task());
        assertEquals(360, r.samples());
        assertEquals(6, r.batches());
        assertEquals(golden.expected("accuracy").scalar(), r.multiclassReport().accuracy(), 1e-9);
        assertEquals(golden.expected("f1_macro").scalar(), r.multiclassReport().f1(Average.MACRO), 1e-9);
        assertEquals(golden.expected("top_k_accuracy_3").scalar(), r.multiclassReport().topKAccuracy(3), 1e-9);
        assertEquals(golden.expected("loss").scalar(), r.loss(), 1e-6);          // torch cross-entropy
    }

    @Test
    void theBatchSizeDoesNotChangeTheNumbers() throws LoadException {
        EvaluationResult whole = BatchEvaluation.evaluate(ModelGoldens.file("models/digits_softmax.onnx"),
                ModelGoldens.file("data/digits_test_x.npy"), ModelGoldens.file("data/digits_test_y.npy"), 1000);
        EvaluationResult small = BatchEvaluation.evaluate(ModelGoldens.file("models/digits_softmax.onnx"),
                ModelGoldens.file("data/digits_test_x.npy"), ModelGoldens.file("data/digits_test_y.npy"), 7);
        assertEquals(1, whole.batches());
        assertEquals(52, small.batches());
        assertEquals(whole.metrics(), small.metrics());
        assertEquals(whole.loss(), small.loss(), 1e-12);
    }

    @Test
    void aBinaryModelGetsABinaryReport() throws LoadException {
        Golden.Case golden = ModelGoldens.of("breast_cancer_sigmoid");
        EvaluationResult r = BatchEvaluation.evaluate(ModelGoldens.file("models/breast_cancer_sigmoid.onnx"),
                ModelGoldens.file("data/breast_cancer_test_x.npy"),
                ModelGoldens.file("data/breast_cancer_test_y.npy"), 256);
        assertEquals(Task.BINARY, r.task());
        assertEquals(golden.expected("accuracy").scalar(), r.binaryReport().accuracy(), 1e-9);
        assertEquals(golden.expected("roc_auc").scalar(), r.binaryReport().rocAuc(), 1e-9);
        assertEquals(golden.expected("loss").scalar(), r.loss(), 1e-6);          // torch BCE
    }

    @Test
    void labelsThatDoNotMatchTheFeaturesAreALoadException() {
        LoadException e = assertThrows(LoadException.class, () -> BatchEvaluation.evaluate(
                ModelGoldens.file("models/digits_softmax.onnx"), ModelGoldens.file("data/digits_test_x.npy"),
                ModelGoldens.file("data/digits_val_y.npy"), 64));
        assertTrue(e.getMessage().contains("digits_val_y.npy"), e.getMessage());
    }

    @Test
    void mainPrintsLossTableAndTiming() throws Exception {
        String out = ModelGoldens.mainOutput(BatchEvaluation::main);
        assertTrue(out.startsWith("360 samples, multiclass, cross_entropy = 0.1182"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("\\s*accuracy\\s+0\\.966667")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("2 batches: .* ms in ONNX Runtime, .*")), out);
    }
}
