package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.Task;
import io.github.logits4j.calibration.TemperatureFit;
import io.github.logits4j.calibration.TemperatureScaling;
import io.github.logits4j.data.DataSet;
import io.github.logits4j.data.NpyArray;
import io.github.logits4j.onnx.EvaluationOptions;
import io.github.logits4j.onnx.EvaluationResult;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.onnx.Scores;
import io.github.logits4j.tuning.ThresholdTuner;
import io.github.logits4j.tuning.TunedThresholds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tune-thresholds} and {@code calibrate}, and the files they write read back by evaluate and predict. */
class TuneAndCalibrateTest {
    static final String VAL_X = Cli.data("digits_val_x.npy");
    static final String VAL_Y = Cli.data("digits_val_y.npy");
    static final String VAL_TAGS = Cli.data("digits_val_attributes.npy");
    static final String X = Cli.data("digits_test_x.npy");
    static final String Y = Cli.data("digits_test_y.npy");
    static final String TAGS = Cli.data("digits_test_attributes.npy");

    @TempDir
    Path dir;

    static Map<String, Object> read(Path file) throws Exception {
        return new Cli.Result(0, Files.readString(file), "").json();
    }

    static FloatMatrix floats(String file) throws Exception {
        try (NpyArray a = NpyArray.open(Path.of(file))) {
            float[] data = new float[(int) a.rows() * a.rowSize()];
            a.readFloats(0, (int) a.rows(), data, 0);
            return FloatMatrix.wrap(data, (int) a.rows(), a.rowSize());
        }
    }

    @Test
    void multilabelThresholdsAreTheLibrarysAndEvaluateAppliesThem() throws Exception {
        String model = Cli.model("digits_attributes_sigmoid");
        Path file = dir.resolve("thresholds.json");
        Cli.Result r = Cli.run("tune-thresholds", "--model", model, "--inputs", VAL_X, "--labels", VAL_TAGS,
                "--output", file.toString()).ok();
        assertTrue(r.out().startsWith("label"), r.out());
        assertEquals(5, r.out().lines().count());
        Map<String, Object> written = read(file);
        assertEquals(model, written.get("model"));
        TunedThresholds tuned = TunedThresholds.fromMap(written);

        TunedThresholds expected;
        double[] macroF1 = new double[1];
        try (OnnxClassifier c = OnnxClassifier.builder(Path.of(model)).build()) {
            Scores s = c.run(floats(VAL_X));
            expected = ThresholdTuner.builder().build().tune(s.probabilities(), floats(VAL_TAGS));
            try (DataSet test = DataSet.builder(c).input("pixels", Path.of(X)).labels(Path.of(TAGS)).batchSize(256)
                    .open()) {
                EvaluationResult e = c.evaluate(test, EvaluationOptions.builder().thresholds(expected.thresholds())
                        .build());
                macroF1[0] = e.multilabelReport().f1(io.github.logits4j.metrics.Average.MACRO);
            }
        }
        assertArrayEquals(expected.thresholds(), tuned.thresholds());

        Map<String, Object> report = Cli.run("evaluate", "--model", model, "--inputs", X, "--labels", TAGS,
                "--thresholds", file.toString(), "--format", "json").ok().json();
        Map<?, ?> metrics = (Map<?, ?>) report.get("metrics");
        assertEquals(macroF1[0], ((Number) metrics.get("macro_f1")).doubleValue(), 0.0);
        Map<?, ?> used = (Map<?, ?>) report.get("thresholds");
        assertEquals(file.toString(), used.get("file"));
        assertEquals(4, ((List<?>) used.get("thresholds")).size());

        Cli.Result predicted = Cli.run("predict", "--model", model, "--inputs", X, "--thresholds", file.toString())
                .ok();
        assertEquals(361, predicted.out().lines().count());
        Cli.run("evaluate", "--model", Cli.model("digits_logits"), "--inputs", X, "--labels", Y, "--thresholds",
                file.toString()).fails(Main.EXIT_DATA, "multiclass");
    }

    @Test
    void binaryThresholdWithAnObjectiveAndPredictUsesIt() throws Exception {
        String model = Cli.model("breast_cancer_logit");
        String x = Cli.data("breast_cancer_test_x.npy");
        String y = Cli.data("breast_cancer_test_y.npy");
        Path file = dir.resolve("binary.json");
        Cli.run("tune-thresholds", "--model", model, "--task", "binary", "--inputs", x, "--labels", y, "--objective",
                "recall",
                "--target", "1.0", "--output", file.toString()).ok();
        Map<String, Object> written = read(file);
        assertEquals("recall_at_least", written.get("objective"));
        double t = ((Number) written.get("threshold")).doubleValue();
        Map<String, Object> report = Cli.run("evaluate", "--model", model, "--task", "binary", "--inputs", x,
                "--labels", y, "--thresholds", file.toString(), "--format", "json").ok().json();
        Map<?, ?> metrics = (Map<?, ?>) report.get("metrics");
        assertEquals(1.0, ((Number) metrics.get("recall")).doubleValue(), 0.0);
        assertEquals(t, ((Number) metrics.get("threshold")).doubleValue(), 0.0);
        Cli.Result p = Cli.run("predict", "--model", model, "--task", "binary", "--inputs", x, "--thresholds",
                file.toString()).ok();
        for (String line : p.out().lines().skip(1).toList()) {
            String[] f = line.split(",");
            assertEquals(Float.parseFloat(f[1]) >= (float) t ? "1" : "0", f[2], line);
        }
    }

    @Test
    void multiclassTemperatureIsTheLibrarysAndEvaluateAppliesIt() throws Exception {
        String model = Cli.model("digits_logits");
        Path file = dir.resolve("temperature.json");
        Cli.Result r = Cli.run("calibrate", "--model", model, "--inputs", VAL_X, "--labels", VAL_Y, "--output",
                file.toString()).ok();
        assertTrue(r.out().startsWith("temperature  "), r.out());
        Map<String, Object> written = read(file);
        assertEquals("multiclass", written.get("task"));
        TemperatureFit fit = TemperatureFit.fromMap(written);
        FloatMatrix testLogits;
        try (OnnxClassifier c = OnnxClassifier.builder(Path.of(model)).build()) {
            Scores val = c.run(floats(VAL_X));
            int[] labels = new int[val.rows()];
            try (NpyArray a = NpyArray.open(Path.of(VAL_Y))) {
                long[] l = new long[labels.length];
                a.readLongs(0, labels.length, l, 0);
                for (int i = 0; i < l.length; i++) {
                    labels[i] = (int) l[i];
                }
            }
            assertEquals(TemperatureScaling.fit(FloatMatrix.wrap(val.raw().toArray(), val.rows(), 10), labels)
                    .temperature(), fit.temperature(), 0.0);
            testLogits = FloatMatrix.wrap(c.run(floats(X)).raw().toArray(), 360, 10);
        }

        Map<String, Object> plain = Cli.run("evaluate", "--model", model, "--inputs", X, "--labels", Y, "--format",
                "json").ok().json();
        Map<String, Object> calibrated = Cli.run("evaluate", "--model", model, "--inputs", X, "--labels", Y,
                "--calibration", file.toString(), "--format", "json", "--batch-size", "100").ok().json();
        Map<?, ?> pm = (Map<?, ?>) plain.get("metrics");
        Map<?, ?> cm = (Map<?, ?>) calibrated.get("metrics");
        assertEquals(pm.get("accuracy"), cm.get("accuracy"), "a temperature changes no predicted class");
        assertEquals(pm.get("confusion_matrix"), cm.get("confusion_matrix"));
        assertNotEquals(pm.get("log_loss"), cm.get("log_loss"));
        assertEquals(fit.temperature(), ((Number) ((Map<?, ?>) calibrated.get("calibration")).get("temperature"))
                .doubleValue(), 0.0);
        double expectedLoss = io.github.logits4j.loss.CrossEntropyLoss.ofLogits().compute(scaled(testLogits,
                fit.temperature()), labels(Y));
        assertEquals(expectedLoss, EvaluateCommandTest.value(calibrated, "loss"), 1e-12);

        // predict --calibration: softmax(z / T)
        Cli.Result p = Cli.run("predict", "--model", model, "--inputs", X, "--calibration", file.toString()).ok();
        FloatMatrix probabilities = fit.apply(testLogits);
        String[] f = p.out().lines().skip(1).findFirst().orElseThrow().split(",");
        assertEquals(probabilities.get(0, Integer.parseInt(f[1])), Float.parseFloat(f[3]), 0.0f);
    }

    @Test
    void aTemperatureOfOneReproducesTheLibrarysEvaluation() throws Exception {
        Path file = Files.writeString(dir.resolve("t1.json"), "{\"temperature\": 1.0, \"nll_before\": 0.1, "
                + "\"nll_after\": 0.1, \"ece_before\": 0.01, \"ece_after\": 0.01}");
        for (String[] c : new String[][] {
            {"digits_logits", X, Y, "--task", "multiclass"},
            {"breast_cancer_logit", Cli.data("breast_cancer_test_x.npy"), Cli.data("breast_cancer_test_y.npy"),
                "--task", "binary"}}) {
            Map<String, Object> plain = Cli.run("evaluate", "--model", Cli.model(c[0]), c[3], c[4], "--inputs", c[1],
                    "--labels", c[2], "--format", "json").ok().json();
            String t = file.toString();
            if (c[4].equals("binary")) {
                t = Files.writeString(dir.resolve("t1b.json"), "{\"per_class\": false, \"temperature\": 1.0, "
                        + "\"nll_before\": 0.1, \"nll_after\": 0.1}").toString();
            }
            Map<String, Object> one = Cli.run("evaluate", "--model", Cli.model(c[0]), c[3], c[4], "--inputs", c[1],
                    "--labels", c[2], "--calibration", t, "--format", "json").ok().json();
            assertEquals(plain.get("metrics"), one.get("metrics"), c[0]);
            assertEquals(plain.get("loss"), one.get("loss"), c[0]);
        }
    }

    @Test
    void multilabelPerClassTemperatures() throws Exception {
        String model = Cli.model("digits_attributes_logits");
        Path file = dir.resolve("tags_t.json");
        Cli.Result r = Cli.run("calibrate", "--model", model, "--task", "multilabel", "--inputs", VAL_X, "--labels",
                VAL_TAGS, "--per-class", "--output", file.toString()).ok();
        assertEquals(5, r.out().lines().count(), r.out());
        Map<String, Object> written = read(file);
        assertEquals(Boolean.TRUE, written.get("per_class"));
        assertEquals(4, ((List<?>) written.get("temperature")).size());
        Map<String, Object> report = Cli.run("evaluate", "--model", model, "--task", "multilabel", "--inputs", X,
                "--labels", TAGS, "--calibration", file.toString(), "--format", "json").ok().json();
        assertEquals("multilabel", report.get("task"));
        Cli.run("predict", "--model", model, "--task", "multilabel", "--inputs", X, "--calibration",
                file.toString(), "-f", "jsonl").ok();
        Path thresholds = dir.resolve("calibrated_thresholds.json");
        Cli.run("tune-thresholds", "--model", model, "--task", "multilabel", "--inputs", VAL_X, "--labels", VAL_TAGS,
                "--calibration", file.toString(), "--output", thresholds.toString()).ok();
        // a multiclass temperature does not fit a multilabel model, and no temperature fits probabilities
        Path multiclass = dir.resolve("mc.json");
        Cli.run("calibrate", "--model", Cli.model("digits_logits"), "--inputs", VAL_X, "--labels", VAL_Y,
                "--output", multiclass.toString()).ok();
        Cli.run("evaluate", "--model", model, "--task", "multilabel", "--inputs", X, "--labels", TAGS,
                "--calibration", multiclass.toString()).fails(Main.EXIT_DATA, "mc.json", "multiclass");
        Cli.run("evaluate", "--model", Cli.model("digits_softmax"), "--inputs", X, "--labels", Y,
                "--calibration", multiclass.toString()).fails(Main.EXIT_DATA, "digits_softmax.onnx",
                "emits probabilities", "not logits");
        assertEquals(Task.MULTILABEL.id(), written.get("task"));
    }

    static FloatMatrix scaled(FloatMatrix logits, double t) {
        float[] out = new float[logits.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (logits.get(i / logits.cols(), i % logits.cols()) * (1.0 / t));
        }
        return FloatMatrix.wrap(out, logits.rows(), logits.cols());
    }

    static int[] labels(String file) throws Exception {
        try (NpyArray a = NpyArray.open(Path.of(file))) {
            long[] l = new long[(int) a.rows()];
            a.readLongs(0, l.length, l, 0);
            int[] out = new int[l.length];
            for (int i = 0; i < l.length; i++) {
                out[i] = (int) l[i];
            }
            return out;
        }
    }
}
