package io.github.logits4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.LoadException;
import io.github.logits4j.calibration.MultilabelTemperatureFit;
import io.github.logits4j.calibration.TemperatureFit;
import io.github.logits4j.calibration.TemperatureScaling;
import io.github.logits4j.decision.DecisionThresholds;
import io.github.logits4j.golden.Golden;
import io.github.logits4j.onnx.EvaluationOptions;
import io.github.logits4j.onnx.EvaluationReport;
import io.github.logits4j.onnx.EvaluationResult;
import io.github.logits4j.onnx.ModelTemperature;
import io.github.logits4j.onnx.ModelThresholds;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.tuning.ThresholdTuner;
import io.github.logits4j.tuning.TunedThresholds;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data path as a library user walks it (issue 23): collect a validation set, tune thresholds and fit a
 * temperature that know their model, refuse them for another model, predict a data set to a writer, and carry every
 * section of a report in one {@link EvaluationReport}. The numbers are the core's own (tuner, temperature scaling),
 * whose goldens are checked in core; here the library must hand them the same data the command did.
 */
class DataPathTest {
    private static final Path DATA = Golden.testdata().resolve("data");
    private static final Path MODELS = Golden.testdata().resolve("models");
    private static OnnxClassifier digits;
    private static OnnxClassifier tags;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() throws LoadException {
        digits = OnnxClassifier.builder(MODELS.resolve("digits_logits.onnx")).build();
        tags = OnnxClassifier.builder(MODELS.resolve("digits_attributes_logits.onnx"))
                .task(io.github.logits4j.Task.MULTILABEL).build();
    }

    @AfterAll
    static void close() {
        digits.close();
        tags.close();
    }

    private static DataSet digitsData(OnnxClassifier model) throws LoadException {
        return DataSet.builder(model).input(DATA.resolve("digits_test_x.npy"))
                .labels(DATA.resolve("digits_test_y.npy")).batchSize(100).open();
    }

    private static DataSet tagsData() throws LoadException {
        return DataSet.builder(tags).input(DATA.resolve("digits_test_x.npy"))
                .labels(DATA.resolve("digits_test_attributes.npy")).batchSize(100).open();
    }

    @Test
    void collectedScoresAreTheModelsOutputsInRowOrderWithTheLabels() throws LoadException {
        CollectedScores v;
        int[] batches = new int[1];
        try (DataSet data = digitsData(digits)) {
            v = data.collect(digits, null, b -> batches[0]++);
        }
        assertEquals(360, v.rows());
        assertEquals(4, batches[0]);
        FloatMatrix direct;
        try (NpyArray x = NpyArray.open(DATA.resolve("digits_test_x.npy"))) {
            float[] all = new float[360 * 64];
            x.readFloats(0, 360, all, 0);
            direct = digits.run(io.github.logits4j.onnx.Inputs.of("pixels", FloatMatrix.wrap(all, 360, 64))).raw();
        }
        for (int r = 0; r < 360; r += 37) {
            for (int c = 0; c < 10; c++) {
                assertEquals(direct.get(r, c), v.raw().get(r, c), "row " + r + ", class " + c);
            }
        }
        assertNotNull(v.labels());
        assertNull(v.labelMatrix());
    }

    @Test
    void aFittedTemperatureIsTheCoresFitOfTheCollectedLogitsAndKnowsItsModel() throws LoadException {
        CollectedScores v;
        try (DataSet data = digitsData(digits)) {
            v = data.collect(digits, null, b -> { });
        }
        ModelTemperature fit = v.fitTemperature(digits, false);
        TemperatureFit core = TemperatureScaling.fit(v.raw(), v.labels());
        assertEquals(core.temperature(), fit.temperatures()[0]);
        assertEquals(core.temperature(), fit.multiclassFit().temperature());
        Map<String, Object> file = fit.toMap();
        assertEquals("multiclass", file.get("task"));
        assertEquals(digits.classNames(), file.get("class_names"));
        // written and read back, it fits its model and no other
        ModelTemperature back = ModelTemperature.fromMap(file, "t.json");
        assertSame(back, back.fitTo(digits));
        assertArrayEquals(fit.temperatures(), back.temperatures());
        LoadException other = assertThrows(LoadException.class, () -> back.fitTo(tags));
        assertTrue(other.getMessage().startsWith("t.json: was made for a multiclass model"), other.getMessage());
    }

    @Test
    void tunedThresholdsAreTheTunersOnTheCollectedProbabilitiesAndRefusedElsewhere() throws LoadException {
        CollectedScores v;
        try (DataSet data = tagsData()) {
            v = data.collect(tags, null, b -> { });
        }
        ThresholdTuner tuner = ThresholdTuner.builder().build();
        ModelThresholds tuned = v.tuneThresholds(tags, tuner);
        TunedThresholds core = tuner.tune(v.probabilities(), v.labelMatrix());
        assertArrayEquals(core.thresholds(), tuned.thresholds().values());
        assertEquals(core, tuned.tuned());
        ModelThresholds back = ModelThresholds.fromMap(tuned.toMap(), "thresholds.json");
        assertEquals(tuned.thresholds(), back.fitTo(tags).thresholds());
        LoadException multiclass = assertThrows(LoadException.class, () -> back.fitTo(digits));
        assertTrue(multiclass.getMessage().contains("is multiclass, so its decision is the argmax"),
                multiclass.getMessage());
        Map<String, Object> renamed = new LinkedHashMap<>(tuned.toMap());
        renamed.put("class_names", List.of("a", "b", "c", "d"));
        LoadException names = assertThrows(LoadException.class,
                () -> ModelThresholds.fromMap(renamed, "other.json").fitTo(tags));
        assertTrue(names.getMessage().startsWith("other.json: was made for a model with 4 classes [a, b, c, d]"),
                names.getMessage());
        assertThrows(IllegalArgumentException.class, () -> v.tuneThresholds(digits, tuner));
    }

    @Test
    void filesAreReadWithTheLineAndColumnOfWhatIsWrong() throws Exception {
        Path dup = Files.writeString(dir.resolve("dup.json"), "{\n  \"threshold\": 0.5,\n  \"threshold\": 0.9\n}");
        LoadException e = assertThrows(LoadException.class, () -> ModelThresholds.read(dup));
        assertEquals(dup + ": not a JSON object (line 3, column 3): Duplicate field 'threshold'", e.getMessage());
        Path nan = Files.writeString(dir.resolve("nan.json"), "{\"temperature\": NaN}");
        e = assertThrows(LoadException.class, () -> ModelTemperature.read(nan));
        assertTrue(e.getMessage().contains("a finite number (JSON has no NaN or Infinity)"), e.getMessage());
        Path temperature = Files.writeString(dir.resolve("t.json"), "{\"temperature\": 1.5, \"nll_before\": 0.5,"
                + " \"nll_after\": 0.4, \"ece_before\": 0.1, \"ece_after\": 0.05, \"iterations\": 9}");
        e = assertThrows(LoadException.class, () -> ModelThresholds.read(temperature));
        assertTrue(e.getMessage().contains("holds a temperature written by logits4j calibrate"), e.getMessage());
        assertThrows(LoadException.class, () -> ModelThresholds.read(dir.resolve("missing.json")));
        assertEquals(1.5, ModelTemperature.read(temperature).fitTo(digits).temperatures()[0]);
    }

    @Test
    void aPerLabelTemperatureHasOneValuePerLabel() {
        CollectedScores v;
        try (DataSet data = tagsData()) {
            v = data.collect(tags, null, b -> { });
        } catch (LoadException e) {
            throw new AssertionError(e);
        }
        ModelTemperature fit = v.fitTemperature(tags, true);
        MultilabelTemperatureFit core = TemperatureScaling.fitMultilabel(v.raw(), v.labelMatrix(), true);
        assertArrayEquals(core.temperatures(), fit.temperatures());
        assertEquals(tags.classes(), fit.temperatures().length);
    }

    @Test
    void predictWritesEveryRowAndEndsTheArray() throws LoadException, java.io.IOException {
        StringWriter out = new StringWriter();
        long rows;
        try (DataSet data = DataSet.builder(tags).input(DATA.resolve("digits_test_x.npy")).batchSize(100).open()) {
            PredictionWriter w = PredictionWriter.builder(tags).format(PredictionWriter.Format.JSON)
                    .thresholds(DecisionThresholds.of(0.4)).build(out);
            rows = data.predict(tags, null, w, b -> true);
        }
        assertEquals(360, rows);
        String text = out.toString();
        assertTrue(text.startsWith("[\n{\"row\":0,\"labels\":["), text.substring(0, 40));
        assertTrue(text.endsWith("\n]\n"));
        assertEquals(360, text.split("\"row\":", -1).length - 1);
        // stopping after the first batch writes that batch and no end
        StringWriter first = new StringWriter();
        try (DataSet data = DataSet.builder(tags).input(DATA.resolve("digits_test_x.npy")).batchSize(100).open()) {
            PredictionWriter w = PredictionWriter.builder(tags).format(PredictionWriter.Format.CSV).build(first);
            assertEquals(100, data.predict(tags, null, w, b -> false));
        }
        assertEquals(101, first.toString().lines().count());
        IllegalArgumentException topK = assertThrows(IllegalArgumentException.class,
                () -> PredictionWriter.builder(digits).atLeastOne(true).build(new StringWriter()));
        assertTrue(topK.getMessage().contains("applies to multilabel models"), topK.getMessage());
    }

    @Test
    void theReportCarriesEverySectionTheCommandPrints() throws LoadException {
        EvaluationResult result;
        try (DataSet data = tagsData()) {
            result = data.evaluate(tags, EvaluationOptions.builder().threshold(0.4).build());
        }
        EvaluationReport report = EvaluationReport.of(tags, result).withData("x.npy", "y.npy")
                .withThresholds(ModelThresholds.of(DecisionThresholds.of(0.4)));
        Map<String, Object> m = report.toMap();
        assertEquals(List.of("model", "samples", "classes", "task", "output_kind", "activation_applied", "provider",
                "loss", "metrics", "timing", "thresholds", "class_names", "inputs", "labels"), List.copyOf(m.keySet()));
        assertEquals(Map.of("rule", ">=", "threshold", 0.4), m.get("thresholds"));
        assertEquals("x.npy", report.inputs());
        assertTrue(report.outputKindEvidence().length() > 0);
        // default thresholds are not a section
        assertNull(EvaluationReport.of(tags, result).withThresholds(ModelThresholds.of(DecisionThresholds.DEFAULT))
                .thresholds());
    }
}
