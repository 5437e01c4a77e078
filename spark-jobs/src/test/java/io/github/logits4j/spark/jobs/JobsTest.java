package io.github.logits4j.spark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.logits4j.cli.Main;
import io.github.logits4j.golden.SameReport;
import io.github.logits4j.spark.SparkSessions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark jobs take {@code logits4j evaluate}'s options and print its JSON report: on the same rows, the report of
 * {@link EvaluateJob} equals the command's, but for where the rows came from and the timing. {@link PredictJob}
 * writes every row with its predictions; errors are one line with the command's exit codes.
 */
class JobsTest {
    @TempDir
    static Path dir;

    private static String table;
    private static String badLabels;

    @BeforeAll
    static void data() throws Exception {
        Dataset<Row> df = SparkSessions.frame("features", "digits_test_x.npy", "array", "label",
                "digits_test_y.npy", "int", "id", "digits_test_y.npy", "double");
        table = dir.resolve("digits.parquet").toString();
        df.repartition(3).write().parquet(table);
        badLabels = dir.resolve("bad.parquet").toString();
        df.withColumn("label", org.apache.spark.sql.functions.expr("IF(id = 3, 10, label)")).repartition(2).write()
                .parquet(badLabels);
        SparkSessions.local();
    }

    /** Exit code, standard output and standard error of {@code run}. */
    private record Run(int code, String out, String err) {
    }

    private interface Job {
        int execute(PrintStream out, PrintStream err);
    }

    private static Run run(Job job) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = job.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @SuppressWarnings("unchecked")
    void evaluateJobPrintsTheCommandsReport() throws Exception {
        String model = SparkSessions.model("digits_logits.onnx");
        String[] shared = {"--model", model, "--format", "json", "--top-k", "1,3", "--fbeta", "0.5",
            "--rank-metrics", "binned:500"};
        String bundled = SparkSessions.DATA.resolve("digits_test.parquet").toString();    // README's example table
        Run job = run((o, e) -> EvaluateJob.execute(o, e, concat(shared, "--table", bundled, "--partitions", "2")));
        assertEquals(0, job.code(), job.err());
        Run cli = run((o, e) -> new Main(o, e).execute(concat(new String[] {"evaluate"}, concat(shared, "--inputs",
                SparkSessions.DATA.resolve("digits_test_x.npy").toString(), "--labels",
                SparkSessions.DATA.resolve("digits_test_y.npy").toString()))));
        assertEquals(0, cli.code(), cli.err());
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> a = json.readValue(job.out(), Map.class);
        Map<String, Object> b = json.readValue(cli.out(), Map.class);
        assertEquals(bundled + ": features", a.remove("inputs"));
        assertEquals("label", a.remove("labels"));
        b.remove("inputs");
        b.remove("labels");
        Map<String, Object> timingA = (Map<String, Object>) a.remove("timing");
        b.remove("timing");
        assertEquals(2, ((Number) timingA.get("batches")).intValue(), timingA.toString());   // one per partition
        SameReport.assertSame(b, a, 1e-12);
    }

    @Test
    void evaluateJobErrorsAreOneLineWithTheCommandsExitCodes() {
        String model = SparkSessions.model("digits_logits.onnx");
        Run wrongOption = run((o, e) -> EvaluateJob.execute(o, e, "--model", model, "--table", table,
                "--rank-metrics", "sometimes"));
        assertEquals(2, wrongOption.code());
        assertTrue(wrongOption.err().startsWith("error: --rank-metrics is 'sometimes'"), wrongOption.err());

        Run badLabel = run((o, e) -> EvaluateJob.execute(o, e, "--model", model, "--table", badLabels,
                "--key-col", "id"));
        assertEquals(3, badLabel.code(), badLabel.err());
        assertTrue(badLabel.err().matches("error: partition \\d, row \\d+ of the partition \\(id = 3\\.0\\): column"
                + " 'label' \\(int\\) is 10\\.0; expected a class index from 0 to 9\\R"), badLabel.err());
        assertEquals("", badLabel.out());

        Run noTable = run((o, e) -> EvaluateJob.execute(o, e, "--model", model, "--table",
                dir.resolve("nothing.parquet").toString()));
        assertEquals(3, noTable.code(), noTable.err());
        assertTrue(noTable.err().contains("nothing.parquet: cannot read it as parquet"), noTable.err());
        assertEquals(1, noTable.err().lines().count(), noTable.err());
    }

    @Test
    void predictJobWritesEveryRowWithItsPredictions() {
        String out = dir.resolve("scored").toString();
        Run r = run((o, e) -> PredictJob.execute(o, e, "--model", SparkSessions.model("digits_logits.onnx"),
                "--table", table, "--output-table", out, "--top-k", "2", "--key-col", "id", "--drop-inputs"));
        assertEquals(0, r.code(), r.err());
        Dataset<Row> scored = SparkSessions.local().read().parquet(out);
        assertEquals(List.of("id", "rawPrediction", "probability", "prediction", "topK", "topKNames"),
                List.of(scored.columns()));
        assertEquals(360, scored.count());
        Run again = run((o, e) -> PredictJob.execute(o, e, "--model", SparkSessions.model("digits_logits.onnx"),
                "--table", table, "--output-table", out));
        assertEquals(3, again.code());
        assertTrue(again.err().contains("already exists"), again.err());
        assertEquals(360, SparkSessions.local().read().parquet(out).count());
    }

    @Test
    void predictJobTakesTheThresholdsFileTuneThresholdsWrites() throws Exception {
        String model = SparkSessions.model("digits_attributes_logits.onnx");
        Path tuned = dir.resolve("thresholds.json");
        Run tune = run((o, e) -> new Main(o, e).execute("tune-thresholds", "--model", model, "--task", "multilabel",
                "--inputs", SparkSessions.DATA.resolve("digits_val_x.npy").toString(), "--labels",
                SparkSessions.DATA.resolve("digits_val_attributes.npy").toString(), "--output", tuned.toString()));
        assertEquals(0, tune.code(), tune.err());
        String tags = dir.resolve("tags.parquet").toString();
        SparkSessions.frame("features", "digits_test_x.npy", "array").write().parquet(tags);
        String out = dir.resolve("tagged").toString();
        Run r = run((o, e) -> PredictJob.execute(o, e, "--model", model, "--task", "multilabel", "--table", tags,
                "--output-table", out, "--thresholds", tuned.toString()));
        assertEquals(0, r.code(), r.err());
        List<Double> thresholds = new ArrayList<>();
        new ObjectMapper().readTree(tuned.toFile()).get("thresholds").forEach(t -> thresholds.add(t.asDouble()));
        assertEquals(4, thresholds.size(), thresholds.toString());
        for (Row row : SparkSessions.local().read().parquet(out).collectAsList()) {
            double[] p = ((org.apache.spark.ml.linalg.Vector) row.getAs("probability")).toArray();
            List<Double> expected = new ArrayList<>();
            for (int j = 0; j < 4; j++) {
                if (p[j] >= thresholds.get(j)) {
                    expected.add((double) j);
                }
            }
            assertEquals(expected, row.getList(row.fieldIndex("prediction")));
        }
    }

    /**
     * The jobs take the sets conformalize writes, read through Hadoop when named by a URI (here {@code file://}, as
     * {@code hdfs://} would be on a cluster): the evaluate job reports the command's prediction-set section, and the
     * predict job writes each row's set.
     */
    @Test
    @SuppressWarnings("unchecked")
    void jobsTakeThePredictionSetsConformalizeWritesFromAnyHadoopPath() throws Exception {
        String model = SparkSessions.model("digits_logits.onnx");
        Path sets = dir.resolve("sets.json");
        Run conformalize = run((o, e) -> new Main(o, e).execute("conformalize", "--model", model, "--inputs",
                SparkSessions.DATA.resolve("digits_val_x.npy").toString(), "--labels",
                SparkSessions.DATA.resolve("digits_val_y.npy").toString(), "--alpha", "0.1", "--score", "raps",
                "--output", sets.toString()));
        assertEquals(0, conformalize.code(), conformalize.err());
        String uri = sets.toUri().toString();
        Run job = run((o, e) -> EvaluateJob.execute(o, e, "--model", model, "--table",
                SparkSessions.DATA.resolve("digits_test.parquet").toString(), "--conformal", uri, "--format",
                "json"));
        assertEquals(0, job.code(), job.err());
        Run cli = run((o, e) -> new Main(o, e).execute("evaluate", "--model", model, "--inputs",
                SparkSessions.DATA.resolve("digits_test_x.npy").toString(), "--labels",
                SparkSessions.DATA.resolve("digits_test_y.npy").toString(), "--conformal", sets.toString(),
                "--format", "json"));
        assertEquals(0, cli.code(), cli.err());
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> a = (Map<String, Object>) json.readValue(job.out(), Map.class).get("prediction_sets");
        Map<String, Object> b = (Map<String, Object>) json.readValue(cli.out(), Map.class).get("prediction_sets");
        assertEquals(b, a);
        Run missing = run((o, e) -> EvaluateJob.execute(o, e, "--model", model, "--table", table, "--conformal",
                uri + ".missing"));
        assertEquals(3, missing.code(), missing.err());
        assertTrue(missing.err().contains("sets.json.missing"), missing.err());

        String out = dir.resolve("with-sets").toString();
        Run predict = run((o, e) -> PredictJob.execute(o, e, "--model", model, "--table", table, "--output-table",
                out, "--conformal", uri, "--row-id-col", "id"));
        assertEquals(3, predict.code(), predict.err());          // id is a double column: refused, named
        assertTrue(predict.err().contains("not a whole number"), predict.err());
        Run predict2 = run((o, e) -> PredictJob.execute(o, e, "--model", model, "--table", table, "--output-table",
                out, "--conformal", uri));
        assertEquals(0, predict2.code(), predict2.err());
        List<Row> rows = SparkSessions.local().read().parquet(out).collectAsList();
        assertEquals(360, rows.size());
        assertTrue(rows.stream().allMatch(r -> !r.getList(r.fieldIndex("predictionSet")).isEmpty()));
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
