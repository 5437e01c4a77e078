package io.github.logits4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.LoadException;
import io.github.logits4j.Task;
import io.github.logits4j.data.DataSet;
import io.github.logits4j.golden.Golden;
import io.github.logits4j.golden.SameReport;
import io.github.logits4j.golden.Tolerance;
import io.github.logits4j.metrics.RankMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Parts of a data set evaluated apart and merged through their bytes (as a Spark job's partitions reach the driver)
 * give the report of one evaluation over every row: counts and threshold metrics exactly, sums within 1e-12 relative.
 */
class StreamingEvaluationTest {
    private static final Path DATA = Golden.testdata().resolve("data");
    private static final Path MODELS = Golden.testdata().resolve("models");

    @ParameterizedTest
    @CsvSource({
        "digits_logits.onnx, digits_test_x.npy, digits_test_y.npy, exact,",
        "digits_logits.onnx, digits_test_x.npy, digits_test_y.npy, binned,",
        "digits_log_softmax.onnx, digits_test_x.npy, digits_test_y.npy, exact,",
        "breast_cancer_logit.onnx, breast_cancer_test_x.npy, breast_cancer_test_y.npy, exact, binary",
        "breast_cancer_sigmoid.onnx, breast_cancer_test_x.npy, breast_cancer_test_y.npy, binned,",
        "digits_attributes_logits.onnx, digits_test_x.npy, digits_test_attributes.npy, exact, multilabel",
        "digits_attributes_sigmoid.onnx, digits_test_x.npy, digits_test_attributes.npy, binned, multilabel",
    })
    void partsMergedThroughTheirBytesEqualOnePass(String file, String x, String y, String rank, String task)
            throws LoadException {
        EvaluationOptions options = EvaluationOptions.builder()
                .rankMode("exact".equals(rank) ? RankMode.exact() : RankMode.binned(256)).build();
        OnnxClassifier.Builder b = OnnxClassifier.builder(MODELS.resolve(file));
        if (task != null) {
            b.task(Task.parse(task));
        }
        try (OnnxClassifier model = b.build()) {
            EvaluationResult whole;
            try (DataSet data = open(model, x, y)) {
                whole = data.evaluate(model, options);
            }
            List<LabelledBatch> batches = new ArrayList<>();
            try (DataSet data = open(model, x, y)) {
                data.forEach(batches::add);
            }
            StreamingEvaluation[] parts = {model.newEvaluation(options), model.newEvaluation(options),
                model.newEvaluation(options)};
            for (int i = 0; i < batches.size(); i++) {
                parts[i * 7 % 3].add(batches.get(i));       // out of order, and one part may stay empty
            }
            StreamingEvaluation total = model.newEvaluation(options);
            for (StreamingEvaluation part : parts) {
                total.mergeBytes(part.toBytes());
            }
            EvaluationResult merged = total.result();
            assertEquals(whole.samples(), merged.samples());
            assertEquals(whole.batches(), merged.batches());
            Tolerance.assertClose(whole.loss(), merged.loss(), 0.0, 1e-12, "loss");
            SameReport.assertSame(whole.metrics(), merged.metrics(), 1e-12);
        }
    }

    @Test
    void mergingOtherOptionsOrAnotherModelIsRefused() throws LoadException {
        try (OnnxClassifier digits = OnnxClassifier.builder(MODELS.resolve("digits_logits.onnx")).build();
                OnnxClassifier cancer = OnnxClassifier.builder(MODELS.resolve("breast_cancer_logit.onnx")).task(Task.BINARY)
                        .build()) {
            byte[] state = digits.newEvaluation(EvaluationOptions.defaults()).toBytes();
            String msg = assertThrows(IllegalArgumentException.class, () -> digits.newEvaluation(
                    EvaluationOptions.builder().temperatures(2.0).build()).mergeBytes(state)).getMessage();
            assertTrue(msg.contains("different settings") && msg.contains("temperatures=[2.0]"), msg);
            msg = assertThrows(IllegalArgumentException.class, () -> digits.newEvaluation(
                    EvaluationOptions.builder().rankMode(RankMode.binned(64)).build()).mergeBytes(state)).getMessage();
            assertTrue(msg.contains("rankMode=exact") && msg.contains("rankMode=binned(64)"), msg);
            msg = assertThrows(IllegalArgumentException.class,
                    () -> cancer.newEvaluation(EvaluationOptions.defaults()).mergeBytes(state)).getMessage();
            assertTrue(msg.contains("task=multiclass") && msg.contains("task=binary"), msg);
            msg = assertThrows(IllegalArgumentException.class,
                    () -> digits.newEvaluation(EvaluationOptions.defaults()).result()).getMessage();
            assertTrue(msg.contains("no rows to evaluate"), msg);
        }
    }

    private static DataSet open(OnnxClassifier model, String x, String y) throws LoadException {
        return DataSet.builder(model).input(DATA.resolve(x)).labels(DATA.resolve(y)).batchSize(64).open();
    }
}
