package io.github.logits4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.LoadException;
import io.github.logits4j.activation.Activation;
import io.github.logits4j.conformal.ConformityScore;
import io.github.logits4j.data.DataSet;
import io.github.logits4j.golden.Tolerance;
import io.github.logits4j.metrics.Average;
import io.github.logits4j.metrics.BinaryReport;
import io.github.logits4j.metrics.MulticlassReport;
import io.github.logits4j.onnx.EvaluationOptions;
import io.github.logits4j.onnx.ModelConformal;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.onnx.Scores;
import io.github.logits4j.FloatMatrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transformer writes Spark ML's columns (so Spark's own evaluators agree with logits4j's report to 1e-9), the
 * outputs equal the single-machine classifier's, it saves and loads inside a {@code Pipeline}, and a bad row fails a
 * job with one line naming the partition, the row, its key, the column, what was expected and what was found.
 */
class OnnxClassifierTransformerTest {
    @TempDir
    static Path dir;

    private static Dataset<Row> digits;
    private static Dataset<Row> cancer;

    @BeforeAll
    static void data() throws LoadException {
        digits = SparkSessions.parquet(SparkSessions.frame("features", "digits_test_x.npy", "vector",
                "label", "digits_test_y.npy", "int"), dir, "digits").repartition(3).cache();
        cancer = SparkSessions.parquet(SparkSessions.frame("features", "breast_cancer_test_x.npy", "array",
                "label", "breast_cancer_test_y.npy", "int"), dir, "cancer").repartition(2).cache();
    }

    private static OnnxClassifierTransformer digitsModel() {
        return new OnnxClassifierTransformer().setModelPath(SparkSessions.model("digits_logits.onnx"));
    }

    @Test
    void scoresEqualTheSingleMachineClassifierWithFloat64Probabilities() throws LoadException {
        List<Row> rows = digitsModel().setTopK(3).transform(digits).collectAsList();
        assertEquals(360, rows.size());
        float[] x = new float[rows.size() * 64];
        for (int r = 0; r < rows.size(); r++) {
            double[] f = ((Vector) rows.get(r).getAs("features")).toArray();
            for (int j = 0; j < 64; j++) {
                x[r * 64 + j] = (float) f[j];
            }
        }
        try (OnnxClassifier m = OnnxClassifier.builder(Path.of(SparkSessions.model("digits_logits.onnx"))).build()) {
            Scores s = m.run(FloatMatrix.wrap(x, rows.size(), 64));
            double[] p = new double[rows.size() * 10];
            Activation.SOFTMAX.applyToDoubles(s.raw(), p);
            int[] top = s.topK(3);
            for (int r = 0; r < rows.size(); r++) {
                Row row = rows.get(r);
                double[] raw = ((Vector) row.getAs("rawPrediction")).toArray();
                double[] prob = ((Vector) row.getAs("probability")).toArray();
                int best = 0;
                for (int j = 0; j < 10; j++) {
                    assertEquals(s.raw().get(r, j), raw[j], 0.0, "raw");
                    assertEquals(p[r * 10 + j], prob[j], 0.0, "probability");
                    best = prob[j] > prob[best] ? j : best;
                }
                assertEquals(best, (double) row.getAs("prediction"), 0.0);
                List<Integer> k = row.getList(row.fieldIndex("topK"));
                assertEquals(List.of(top[3 * r], top[3 * r + 1], top[3 * r + 2]), k);
                assertEquals(List.of(String.valueOf(top[3 * r]), String.valueOf(top[3 * r + 1]),
                        String.valueOf(top[3 * r + 2])), row.getList(row.fieldIndex("topKNames")));
            }
        }
    }

    @Test
    void predictionSetsAreTheLibrarysForEachRow() throws Exception {
        // sets calibrated on the validation split with the library, written as conformalize writes them
        Path file = dir.resolve("conformal.json");
        ModelConformal sets;
        try (OnnxClassifier m = OnnxClassifier.builder(Path.of(SparkSessions.model("digits_logits.onnx"))).build();
                DataSet val = DataSet.builder(m).input(SparkSessions.DATA.resolve("digits_val_x.npy"))
                        .labels(SparkSessions.DATA.resolve("digits_val_y.npy")).open()) {
            sets = val.collect(m, null, b -> { }).conformalize(m, ConformityScore.lac(), false, 0.1, 0);
        }
        Files.writeString(file, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(sets.toMap()));
        List<Row> rows = digitsModel().setConformal(file.toString()).transform(digits).collectAsList();
        float[] x = new float[rows.size() * 64];
        for (int r = 0; r < rows.size(); r++) {
            double[] f = ((Vector) rows.get(r).getAs("features")).toArray();
            for (int j = 0; j < 64; j++) {
                x[r * 64 + j] = (float) f[j];
            }
        }
        try (OnnxClassifier m = OnnxClassifier.builder(Path.of(SparkSessions.model("digits_logits.onnx"))).build()) {
            Scores s = m.run(FloatMatrix.wrap(x, rows.size(), 64));
            boolean[] in = new boolean[10];
            for (int r = 0; r < rows.size(); r++) {
                sets.predict(s.probabilities(), r, r, in);          // LAC: no uniform is read
                List<Integer> expected = new java.util.ArrayList<>();
                for (int c = 0; c < 10; c++) {
                    if (in[c]) {
                        expected.add(c);
                    }
                }
                assertEquals(expected, rows.get(r).getList(rows.get(r).fieldIndex("predictionSet")), "row " + r);
            }
        }
    }

    /**
     * Randomized sets draw each row's uniform from its row id: with a row-id column they do not depend on the
     * partitioning, and equal the library's sets for the row of that number, in transform and in evaluate.
     */
    @Test
    void randomizedSetsFollowTheRowIdColumnWhateverThePartitioning() throws Exception {
        Path file = dir.resolve("conformal-randomized.json");
        ModelConformal sets;
        try (OnnxClassifier m = OnnxClassifier.builder(Path.of(SparkSessions.model("digits_logits.onnx"))).build();
                DataSet val = DataSet.builder(m).input(SparkSessions.DATA.resolve("digits_val_x.npy"))
                        .labels(SparkSessions.DATA.resolve("digits_val_y.npy")).open()) {
            sets = val.collect(m, null, b -> { }).conformalize(m,
                    ConformityScore.aps(true, ConformityScore.IncludeLastLabel.RANDOMIZED), false, 0.1, 11);
        }
        Files.writeString(file, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(sets.toMap()));
        Dataset<Row> numbered = SparkSessions.frame("id", "-", "row", "features", "digits_test_x.npy", "vector",
                "label", "digits_test_y.npy", "int");
        float[] x;
        int[] y;
        try (io.github.logits4j.data.NpyArray a = io.github.logits4j.data.NpyArray.open(
                SparkSessions.DATA.resolve("digits_test_x.npy"));
                io.github.logits4j.data.NpyArray b = io.github.logits4j.data.NpyArray.open(
                        SparkSessions.DATA.resolve("digits_test_y.npy"))) {
            x = new float[(int) a.rows() * 64];
            a.readFloats(0, (int) a.rows(), x, 0);
            long[] labels = new long[(int) b.rows()];
            b.readLongs(0, labels.length, labels, 0);
            y = new int[labels.length];
            for (int r = 0; r < y.length; r++) {
                y[r] = (int) labels[r];
            }
        }
        io.github.logits4j.conformal.PredictionSetMetrics local =
                new io.github.logits4j.conformal.PredictionSetMetrics(10, 0.1);
        List<List<Integer>> expected = new java.util.ArrayList<>();
        try (OnnxClassifier m = OnnxClassifier.builder(Path.of(SparkSessions.model("digits_logits.onnx"))).build()) {
            Scores s = m.run(FloatMatrix.wrap(x, y.length, 64));
            boolean[] in = new boolean[10];
            for (int r = 0; r < y.length; r++) {
                sets.predict(s.probabilities(), r, r, in);
                local.add(in, y[r]);
                List<Integer> members = new java.util.ArrayList<>();
                for (int c = 0; c < 10; c++) {
                    if (in[c]) {
                        members.add(c);
                    }
                }
                expected.add(members);
            }
        }
        for (int partitions : new int[] {1, 4}) {
            Dataset<Row> data = numbered.repartition(partitions);
            OnnxClassifierTransformer t = digitsModel().setConformal(file.toString()).setRowIdCol("id");
            for (Row row : t.transform(data).collectAsList()) {
                int id = (int) row.getLong(row.fieldIndex("id"));
                assertEquals(expected.get(id), row.getList(row.fieldIndex("predictionSet")), "row " + id + " of "
                        + partitions + " partitions");
            }
            io.github.logits4j.conformal.PredictionSetReport report = t.evaluate(data,
                    EvaluationOptions.builder().conformal(sets).build()).predictionSets();
            assertEquals(local.result().coverage(), report.coverage(), partitions + " partitions");
            assertEquals(local.result().meanSize(), report.meanSize(), partitions + " partitions");
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> digitsModel().setConformal(file.toString()).setRowIdCol("label").transform(numbered
                        .withColumn("label", numbered.col("label").cast("double"))));
        assertTrue(e.getMessage().contains("not a whole number"), e.getMessage());
    }

    /** A dense model (a class row at every pixel) is refused on the driver, naming what it holds. */
    @Test
    void aDenseModelIsRefusedOnTheDriver() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new OnnxClassifierTransformer().setModelPath(SparkSessions.model("seg_fcn_tiny.onnx"))
                        .transform(digits));
        assertTrue(e.getMessage().contains("holds dense scores"), e.getMessage());
    }

    @Test
    void sparkEvaluatorsAgreeWithTheReport() {
        OnnxClassifierTransformer t = digitsModel();
        Dataset<Row> scored = t.transform(digits);
        MulticlassReport report = t.evaluate(digits, EvaluationOptions.defaults()).multiclassReport();
        MulticlassClassificationEvaluator e = new MulticlassClassificationEvaluator();
        Tolerance.assertClose(report.accuracy(), e.setMetricName("accuracy").evaluate(scored), 1e-9, 1e-9,
                "accuracy");
        Tolerance.assertClose(report.precision(Average.WEIGHTED), e.setMetricName("weightedPrecision")
                .evaluate(scored), 1e-9, 1e-9, "weighted precision");
        Tolerance.assertClose(report.recall(Average.WEIGHTED), e.setMetricName("weightedRecall").evaluate(scored),
                1e-9, 1e-9, "weighted recall");
        Tolerance.assertClose(report.f1(Average.WEIGHTED), e.setMetricName("f1").evaluate(scored), 1e-9, 1e-9,
                "weighted f1");

        OnnxClassifierTransformer binary = new OnnxClassifierTransformer()
                .setModelPath(SparkSessions.model("breast_cancer_logit.onnx")).setTask("binary");
        Dataset<Row> b = binary.transform(cancer);
        BinaryReport br = binary.evaluate(cancer, EvaluationOptions.defaults()).binaryReport();
        BinaryClassificationEvaluator be = new BinaryClassificationEvaluator().setNumBins(0);
        Tolerance.assertClose(br.rocAuc(), be.setMetricName("areaUnderROC").evaluate(b), 1e-9, 1e-9, "roc auc");
        Tolerance.assertClose(br.accuracy(), new MulticlassClassificationEvaluator().setMetricName("accuracy")
                .evaluate(b), 1e-9, 1e-9, "binary accuracy");
    }

    @Test
    void savesAndLoadsInsideAPipeline() throws Exception {
        OnnxClassifierTransformer t = digitsModel().setTopK(2).setBatchSize(64).setKeyCol("label");
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {t}).fit(digits);
        String path = dir.resolve("pipeline").toString();
        fitted.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        OnnxClassifierTransformer back = (OnnxClassifierTransformer) loaded.stages()[0];
        assertEquals(t.uid(), back.uid());
        assertEquals(2, back.getOrDefault(back.topK()));
        assertEquals(64, back.getOrDefault(back.batchSize()));
        List<Row> before = fitted.transform(digits).select("prediction", "probability", "topKNames").collectAsList();
        List<Row> after = loaded.transform(digits).select("prediction", "probability", "topKNames").collectAsList();
        assertEquals(before, after);

        String alone = dir.resolve("alone").toString();
        t.write().overwrite().save(alone);
        assertEquals(SparkSessions.model("digits_logits.onnx"),
                OnnxClassifierTransformer.load(alone).getOrDefault(t.modelPath()));
    }

    @Test
    void binaryAndMultilabelDecisionsFollowSparkConventions() throws LoadException {
        List<Row> b = new OnnxClassifierTransformer().setModelPath(SparkSessions.model("breast_cancer_logit.onnx"))
                .setTask("binary").setThreshold(0.3).transform(cancer).collectAsList();
        for (Row r : b) {
            double[] raw = ((Vector) r.getAs("rawPrediction")).toArray();
            double[] p = ((Vector) r.getAs("probability")).toArray();
            assertEquals(-raw[0], raw[1], 0.0);
            assertEquals(1.0, p[0] + p[1], 1e-15);
            assertEquals(p[1] >= 0.3 ? 1.0 : 0.0, (double) r.getAs("prediction"), 0.0);
        }
        Dataset<Row> tags = SparkSessions.frame("features", "digits_test_x.npy", "array",
                "label", "digits_test_attributes.npy", "vector");
        double[] thresholds = {0.2, 0.5, 0.7, 0.9};
        List<Row> m = new OnnxClassifierTransformer().setModelPath(SparkSessions.model("digits_attributes_logits.onnx"))
                .setTask("multilabel").setThresholds(thresholds).transform(tags).collectAsList();
        for (Row r : m) {
            double[] p = ((Vector) r.getAs("probability")).toArray();
            List<Double> predicted = r.getList(r.fieldIndex("prediction"));
            StringBuilder expected = new StringBuilder();
            for (int j = 0; j < 4; j++) {
                if (p[j] >= thresholds[j]) {
                    expected.append(j).append(' ');
                }
            }
            StringBuilder actual = new StringBuilder();
            for (double d : predicted) {
                actual.append((int) d).append(' ');
            }
            assertEquals(expected.toString(), actual.toString());
        }
    }

    @Test
    void badRowsFailTheJobWithOneLine() throws LoadException {
        Dataset<Row> df = SparkSessions.frame("features", "digits_test_x.npy", "array", "label",
                "digits_test_y.npy", "int", "id", "digits_test_y.npy", "double").repartition(2);
        OnnxClassifierTransformer t = digitsModel().setKeyCol("id");
        Dataset<Row> nan = df.withColumn("features", org.apache.spark.sql.functions.expr(
                "IF(label = 7, transform(features, (v, i) -> IF(i = 5, CAST('NaN' AS FLOAT), v)), features)"));
        String msg = assertThrows(IllegalArgumentException.class,
                () -> t.evaluate(nan, EvaluationOptions.defaults())).getMessage();
        assertTrue(msg.matches("partition \\d, row \\d+ of the partition \\(id = 7\\.0\\): column 'features'"
                + " \\(array<float>\\) holds NaN at index 5; expected a finite number for input 'pixels'"), msg);
        assertEquals(1, msg.lines().count(), msg);

        Dataset<Row> label = df.withColumn("label", org.apache.spark.sql.functions.expr(
                "IF(id = 3, 10, label)"));
        msg = assertThrows(IllegalArgumentException.class,
                () -> t.evaluate(label, EvaluationOptions.defaults())).getMessage();
        assertTrue(msg.contains("(id = 3.0): column 'label' (int) is 10.0; expected a class index from 0 to 9"),
                msg);

        Dataset<Row> width = df.withColumn("features", org.apache.spark.sql.functions.expr(
                "IF(id = 2, slice(features, 1, 60), features)"));
        msg = assertThrows(IllegalArgumentException.class,
                () -> t.evaluate(width, EvaluationOptions.defaults())).getMessage();
        assertTrue(msg.contains("column 'features' (array<float>) holds 60 values; expected 64"), msg);

        Dataset<Row> string = df.withColumn("features", org.apache.spark.sql.functions.lit("x"));
        msg = assertThrows(IllegalArgumentException.class,
                () -> t.evaluate(string, EvaluationOptions.defaults())).getMessage();
        assertTrue(msg.contains("column 'features'") && msg.contains("is string; expected a Spark ML vector"), msg);

        Exception e = assertThrows(Exception.class, () -> t.transform(nan).collectAsList());
        assertTrue(e.getMessage().contains("holds NaN at index 5"), e.getMessage());

        msg = assertThrows(IllegalStateException.class, () -> new OnnxClassifierTransformer()
                .setModelPath(SparkSessions.model("breast_cancer_logit.onnx")).evaluate(df,
                        EvaluationOptions.defaults())).getMessage();
        assertTrue(msg.contains("setTask(...)"), msg);

        // decision values (scikit-learn's LinearSVC through skl2onnx) have no probability column
        OnnxClassifierTransformer svc = new OnnxClassifierTransformer().setModelPath(SparkSessions.model(
                "converters/sk_linear_svc.onnx")).setInputCols("X=features");
        msg = assertThrows(IllegalArgumentException.class, () -> svc.transform(digits)).getMessage();
        assertTrue(msg.contains("decision values") && msg.contains("setOutputKind(\"logits\")"), msg);
    }

    @Test
    void settersCheckTheirValuesAtOnce() {
        OnnxClassifierTransformer t = new OnnxClassifierTransformer();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.setThreshold(1.5)).getMessage()
                .contains("[0, 1]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.setBatchSize(0)).getMessage()
                .contains("at least 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.setInputCols("ids")).getMessage()
                .contains("INPUT=COLUMN"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.setTask("regression")).getMessage()
                .contains("regression"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.transform(digits)).getMessage()
                .contains("setModelPath"));
        assertArrayEquals(new String[0], t.getOrDefault(t.featureCols()));
    }
}
