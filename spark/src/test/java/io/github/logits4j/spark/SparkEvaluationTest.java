package io.github.logits4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.LoadException;
import io.github.logits4j.Task;
import io.github.logits4j.data.DataSet;
import io.github.logits4j.golden.SameReport;
import io.github.logits4j.golden.Tolerance;
import io.github.logits4j.metrics.RankMode;
import io.github.logits4j.onnx.EvaluationOptions;
import io.github.logits4j.onnx.EvaluationResult;
import io.github.logits4j.onnx.OnnxClassifier;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Distributed evaluation on {@code local[2]} gives the report of single-machine evaluation of the same rows, for every
 * kind of bundled model, read back from Parquet: counts and threshold metrics exactly, loss and every other value
 * within 1e-12 relative; the same for 1, 2 and 7 partitions and with empty ones; binned AUCs within their reported
 * bound of the exact values.
 */
class SparkEvaluationTest {
    @TempDir
    static Path dir;

    /** The single-machine result over the same files, through the library's data set. */
    private static EvaluationResult oneMachine(String model, String task, EvaluationOptions options, String... files)
            throws LoadException {
        OnnxClassifier.Builder b = OnnxClassifier.builder(Path.of(SparkSessions.model(model)));
        if (task != null) {
            b.task(Task.parse(task));
        }
        try (OnnxClassifier m = b.build()) {
            DataSet.Builder d = DataSet.builder(m).batchSize(100);
            for (int i = 0; i < files.length - 1; i++) {
                d.input(files[i].contains("=") ? files[i].substring(0, files[i].indexOf('=') + 1)
                        + SparkSessions.DATA.resolve(files[i].substring(files[i].indexOf('=') + 1))
                        : SparkSessions.DATA.resolve(files[i]).toString());
            }
            d.labels(SparkSessions.DATA.resolve(files[files.length - 1]));
            try (DataSet data = d.open()) {
                return data.evaluate(m, options);
            }
        }
    }

    private static void assertSameResult(EvaluationResult expected, EvaluationResult actual) {
        assertEquals(expected.samples(), actual.samples());
        assertEquals(expected.task(), actual.task());
        Tolerance.assertClose(expected.loss(), actual.loss(), 1e-12, 1e-12, "loss");
        SameReport.assertSame(expected.metrics(), actual.metrics(), 1e-12);
    }

    @ParameterizedTest(name = "{0} ({2})")
    @CsvSource({
        "digits_logits.onnx, , vector",
        "digits_softmax.onnx, , array",
        "digits_log_softmax.onnx, , array",
        "digits_zipmap_string.onnx, , vector",
        "digits_zipmap_int64.onnx, , array",
    })
    void multiclassModelsMatchOneMachine(String model, String task, String form) throws LoadException {
        Dataset<Row> df = SparkSessions.parquet(SparkSessions.frame("features", "digits_test_x.npy", form,
                "label", "digits_test_y.npy", "int"), dir, model + form);
        EvaluationOptions options = EvaluationOptions.defaults();
        EvaluationResult expected = oneMachine(model, task, options, "digits_test_x.npy", "digits_test_y.npy");
        OnnxClassifierTransformer t = new OnnxClassifierTransformer().setModelPath(SparkSessions.model(model))
                .setBatchSize(50);
        assertSameResult(expected, t.evaluate(df, options));
    }

    @Test
    void binaryMultilabelAndTwoInputModelsMatchOneMachine() throws LoadException {
        EvaluationOptions options = EvaluationOptions.builder().maxFpr(0.1).build();
        Dataset<Row> cancer = SparkSessions.parquet(SparkSessions.frame("x", "breast_cancer_test_x.npy", "array",
                "y", "breast_cancer_test_y.npy", "double"), dir, "cancer");
        OnnxClassifierTransformer binary = new OnnxClassifierTransformer()
                .setModelPath(SparkSessions.model("breast_cancer_logit.onnx")).setTask("binary")
                .setFeaturesCol("x").setLabelCol("y");
        assertSameResult(oneMachine("breast_cancer_logit.onnx", "binary", options, "breast_cancer_test_x.npy",
                "breast_cancer_test_y.npy"), binary.evaluate(cancer, options));

        Dataset<Row> tags = SparkSessions.parquet(SparkSessions.frame("features", "digits_test_x.npy", "array",
                "label", "digits_test_attributes.npy", "vector"), dir, "tags");
        OnnxClassifierTransformer multilabel = new OnnxClassifierTransformer()
                .setModelPath(SparkSessions.model("digits_attributes_logits.onnx")).setTask("multilabel");
        EvaluationOptions tagOptions = EvaluationOptions.builder().fBeta(0.5).build();
        assertSameResult(oneMachine("digits_attributes_logits.onnx", "multilabel", tagOptions, "digits_test_x.npy",
                "digits_test_attributes.npy"), multilabel.evaluate(tags, tagOptions));

        Dataset<Row> tokens = SparkSessions.parquet(SparkSessions.frame("ids", "tokens_test_ids.npy", "longs",
                "mask", "tokens_test_mask.npy", "longs", "label", "tokens_test_y.npy", "int"), dir, "tokens");
        OnnxClassifierTransformer twoInputs = new OnnxClassifierTransformer()
                .setModelPath(SparkSessions.model("tokens_two_input.onnx"))
                .setInputCols("input_ids=ids", "attention_mask=mask");
        assertSameResult(oneMachine("tokens_two_input.onnx", null, EvaluationOptions.defaults(),
                "input_ids=tokens_test_ids.npy", "attention_mask=tokens_test_mask.npy", "tokens_test_y.npy"),
                twoInputs.evaluate(tokens, EvaluationOptions.defaults()));
    }

    @Test
    void theReportIsTheSameForAnyPartitioningAndEmptyPartitions() throws LoadException {
        Dataset<Row> df = SparkSessions.parquet(SparkSessions.frame("features", "digits_test_x.npy", "vector",
                "label", "digits_test_y.npy", "int"), dir, "partitions");
        OnnxClassifierTransformer t = new OnnxClassifierTransformer()
                .setModelPath(SparkSessions.model("digits_logits.onnx"));
        EvaluationOptions options = EvaluationOptions.builder().topK(1, 3).build();
        EvaluationResult expected = oneMachine("digits_logits.onnx", null, options, "digits_test_x.npy",
                "digits_test_y.npy");
        for (int partitions : new int[] {1, 2, 7}) {
            EvaluationResult r = t.evaluate(df.repartition(partitions), options);
            assertSameResult(expected, r);
        }
        // 7 partitions of which only some hold rows: the rest contribute nothing
        Dataset<Row> few = df.limit(3).repartition(7);
        EvaluationResult three = t.evaluate(few, options);
        assertEquals(3, three.samples());
        Dataset<Row> someEmpty = df.filter("label < 5").coalesce(1).union(df.filter("label >= 5").limit(0))
                .repartition(7).union(df.filter("label >= 5"));
        assertSameResult(expected, t.evaluate(someEmpty, options));
    }

    @Test
    void binnedAucsLieWithinTheirBoundOfTheExactOnes() throws LoadException {
        Dataset<Row> df = SparkSessions.parquet(SparkSessions.frame("features", "digits_test_x.npy", "vector",
                "label", "digits_test_y.npy", "int"), dir, "binned").repartition(3);
        OnnxClassifierTransformer t = new OnnxClassifierTransformer()
                .setModelPath(SparkSessions.model("digits_logits.onnx"));
        EvaluationResult exact = t.evaluate(df, EvaluationOptions.defaults());
        EvaluationResult binned = t.evaluate(df, EvaluationOptions.builder().rankMode(RankMode.binned(1000)).build());
        Map<String, Object> e = exact.metrics();
        Map<String, Object> b = binned.metrics();
        String[][] keys = {{"macro_roc_auc_ovr", "roc_auc_ovr_error_bound"},
            {"weighted_roc_auc_ovr", "roc_auc_ovr_error_bound"}, {"micro_roc_auc_ovr", "micro_roc_auc_ovr_error_bound"},
            {"macro_roc_auc_ovo", "roc_auc_ovo_error_bound"}};
        for (String[] k : keys) {
            String key = k[0];
            double bound = (Double) b.get(k[1]);
            double gap = Math.abs((Double) e.get(key) - (Double) b.get(key));
            assertTrue(gap <= bound, key + ": binned " + b.get(key) + ", exact " + e.get(key) + ", bound " + bound);
        }
        assertEquals(e.get("accuracy"), b.get("accuracy"));
    }
}
