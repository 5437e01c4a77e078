package io.github.logits4j.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
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

    /**
     * A Parquet table as read is evaluated from the scan's column vectors (arrays of floats or doubles, and many number
     * columns), with the report of one machine; a bad row read there is refused with the message the row path gives.
     */
    @Test
    void parquetScansAreReadFromTheirColumnVectors() throws LoadException {
        Dataset<Row> floats = SparkSessions.parquet(SparkSessions.frame("features", "digits_test_x.npy", "array",
                "label", "digits_test_y.npy", "int", "id", "digits_test_y.npy", "double"), dir, "columnar");
        assertTrue(InternalRows.columnar(floats));
        assertFalse(InternalRows.columnar(floats.repartition(2)));
        EvaluationOptions options = EvaluationOptions.defaults();
        EvaluationResult expected = oneMachine("digits_logits.onnx", null, options, "digits_test_x.npy",
                "digits_test_y.npy");
        OnnxClassifierTransformer t = new OnnxClassifierTransformer()
                .setModelPath(SparkSessions.model("digits_logits.onnx")).setBatchSize(50);
        assertSameResult(expected, t.evaluate(floats, options));

        Dataset<Row> doubles = SparkSessions.parquet(floats.withColumn("features",
                expr("CAST(features AS ARRAY<DOUBLE>)")), dir, "columnar_doubles");
        assertTrue(InternalRows.columnar(doubles));
        assertSameResult(expected, t.evaluate(doubles, options));

        String[] names = new String[64];
        Column[] wide = new Column[66];
        for (int j = 0; j < 64; j++) {
            names[j] = "f" + j;
            wide[j] = expr((j % 2 == 0 ? "" : "CAST(") + "features[" + j + "]" + (j % 2 == 0 ? "" : " AS DOUBLE)"))
                    .as(names[j]);
        }
        wide[64] = col("label");
        wide[65] = col("id");
        Dataset<Row> columns = SparkSessions.parquet(floats.select(wide), dir, "columnar_wide");
        assertTrue(InternalRows.columnar(columns));
        String pixels = "pixels=" + String.join(",", names);
        assertSameResult(expected, t.setInputCols(pixels).evaluate(columns, options));
        SparkSession spark = columns.sparkSession();
        spark.conf().set("spark.sql.parquet.columnarReaderBatchSize", "64");   // runs that cross the scan's batches
        try {
            assertSameResult(expected, t.setBatchSize(50).evaluate(spark.read().parquet(dir.resolve("columnar_wide")
                    .toString()), options));
        } finally {
            spark.conf().unset("spark.sql.parquet.columnarReaderBatchSize");
        }
        OnnxClassifierTransformer wideKeyed = new OnnxClassifierTransformer()
                .setModelPath(SparkSessions.model("digits_logits.onnx")).setKeyCol("id").setInputCols(pixels);
        String[][] wideCases = {
            {"f4", "IF(id = 6, CAST('NaN' AS FLOAT), f4)", "column 'f4' \\(float\\) holds NaN; expected a finite number for"
                + " input 'pixels'"},
            {"f3", "IF(id = 5, CAST(NULL AS DOUBLE), f3)", "column 'f3' \\(double\\) is null; expected a number"},
            {"f5", "IF(id = 3, CAST(1e300 AS DOUBLE), f5)", "column 'f5' \\(double\\) holds 1.0E300, beyond float32's"
                + " range; expected a finite float32 for input 'pixels'"},
        };
        for (int k = 0; k < wideCases.length; k++) {
            Dataset<Row> bad = SparkSessions.parquet(columns.withColumn(wideCases[k][0], expr(wideCases[k][1])), dir,
                    "columnar_wide_bad" + k);
            assertTrue(InternalRows.columnar(bad));
            String msg = assertThrows(IllegalArgumentException.class, () -> wideKeyed.evaluate(bad, options))
                    .getMessage();
            assertTrue(msg.matches("partition \\d, row \\d+ of the partition \\(id = \\d\\.0\\): " + wideCases[k][2]),
                    msg);
            String rowPath = assertThrows(IllegalArgumentException.class,
                    () -> wideKeyed.evaluate(bad.repartition(1), options)).getMessage();
            assertEquals(rowPath.substring(rowPath.indexOf("(id =")), msg.substring(msg.indexOf("(id =")));
        }

        OnnxClassifierTransformer keyed = new OnnxClassifierTransformer()
                .setModelPath(SparkSessions.model("digits_logits.onnx")).setKeyCol("id");
        String[][] cases = {
            {"IF(id = 7, transform(features, (v, i) -> IF(i = 5, CAST('NaN' AS FLOAT), v)), features)",
                "row \\d+ of the partition \\(id = 7\\.0\\): column 'features' \\(array<float>\\) holds NaN at index 5;"
                    + " expected a finite number for input 'pixels'"},
            {"IF(id = 4, transform(features, (v, i) -> IF(i = 3, CAST(NULL AS FLOAT), v)), features)",
                "row \\d+ of the partition \\(id = 4\\.0\\): column 'features' \\(array<float>\\) has a null at index 3;"
                    + " expected a number"},
            {"IF(id = 2, CAST(NULL AS ARRAY<FLOAT>), features)",
                "row \\d+ of the partition \\(id = 2\\.0\\): column 'features' \\(array<float>\\) is null; expected 64"
                    + " values"},
            {"IF(id = 1, slice(features, 1, 60), features)",
                "row \\d+ of the partition \\(id = 1\\.0\\): column 'features' \\(array<float>\\) holds 60 values;"
                    + " expected 64 .*"},
        };
        for (int k = 0; k < cases.length; k++) {
            Dataset<Row> bad = SparkSessions.parquet(floats.withColumn("features",
                    expr(cases[k][0])), dir, "columnar_bad" + k);
            assertTrue(InternalRows.columnar(bad));
            String msg = assertThrows(IllegalArgumentException.class,
                    () -> keyed.evaluate(bad, options)).getMessage();
            assertTrue(msg.matches("partition \\d, " + cases[k][1]), msg);
            String rowPath = assertThrows(IllegalArgumentException.class,
                    () -> keyed.evaluate(bad.repartition(1), options)).getMessage();
            assertEquals(rowPath.substring(rowPath.indexOf("(id =")), msg.substring(msg.indexOf("(id =")));
        }
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
