package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.LoadException;
import io.github.logits4j.conformal.ConformityScore;
import io.github.logits4j.conformal.PredictionSetMetrics;
import io.github.logits4j.data.CollectedScores;
import io.github.logits4j.data.DataSet;
import io.github.logits4j.onnx.ModelConformal;
import io.github.logits4j.onnx.OnnxClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conformalize}, and {@code predict}/{@code evaluate --conformal} (issue 24): the file is the library's
 * calibration of the same split, predict writes each row's set as the library makes it, evaluate reports the
 * coverage of those sets, and what does not fit is refused with exit code 3 (2 for a wrong option).
 */
class ConformalCommandTest {
    private static final String MODEL = Cli.model("digits_logits");
    private static final String VAL_X = Cli.data("digits_val_x.npy");
    private static final String VAL_Y = Cli.data("digits_val_y.npy");
    private static final String X = Cli.data("digits_test_x.npy");
    private static final String Y = Cli.data("digits_test_y.npy");

    @TempDir
    Path dir;

    private Path conformalize(String model, String x, String y, String... extra) {
        Path file = dir.resolve("conformal-" + extra.length + ".json");
        List<String> args = new java.util.ArrayList<>(List.of("conformalize", "--model", model, "--inputs", x,
                "--labels", y, "--output", file.toString()));
        args.addAll(List.of(extra));
        Cli.run(args.toArray(String[]::new)).ok();
        return file;
    }

    @Test
    void theFileIsTheLibrarysCalibrationAndPredictAndEvaluateUseIt() throws Exception {
        Path file = conformalize(MODEL, VAL_X, VAL_Y, "--alpha", "0.1", "--score", "aps");
        Map<String, Object> written = TuneAndCalibrateTest.read(file);
        ModelConformal library;
        try (OnnxClassifier model = OnnxClassifier.builder(Path.of(MODEL)).build();
                DataSet data = DataSet.builder(model).input(VAL_X).labels(Path.of(VAL_Y)).open()) {
            CollectedScores split = data.collect(model, null, b -> { });
            library = split.conformalize(model, ConformityScore.aps(), false, 0.1, 0);
        }
        assertEquals(library.predictor().quantile(), ((Number) written.get("quantile")).doubleValue());
        assertEquals("aps", written.get("score"));
        assertEquals(MODEL, written.get("model"));

        // predict: each row's set; evaluate: their coverage, the same sets counted
        Cli.Result predicted = Cli.run("predict", "--model", MODEL, "--inputs", X, "--conformal", file.toString(),
                "--format", "jsonl").ok();
        List<String> lines = predicted.out().lines().toList();
        assertEquals(360, lines.size());
        long[] labels = labels(Y);
        PredictionSetMetrics sets = new PredictionSetMetrics(10, 0.1);
        for (int r = 0; r < lines.size(); r++) {
            Map<String, Object> line = new Cli.Result(0, lines.get(r), "").json();
            @SuppressWarnings("unchecked")
            List<String> members = (List<String>) line.get("set");
            assertEquals(members.size(), ((Number) line.get("set_size")).intValue());
            boolean[] in = new boolean[10];
            for (String m : members) {
                in[Integer.parseInt(m)] = true;
            }
            sets.add(in, (int) labels[r]);
        }
        Cli.Result evaluated = Cli.run("evaluate", "--model", MODEL, "--inputs", X, "--labels", Y, "--conformal",
                file.toString(), "--format", "json").ok();
        @SuppressWarnings("unchecked")
        Map<String, Object> report = (Map<String, Object>) evaluated.json().get("prediction_sets");
        assertEquals(sets.result().coverage(), ((Number) report.get("coverage")).doubleValue());
        assertEquals(sets.result().meanSize(), ((Number) report.get("mean_set_size")).doubleValue());
        assertTrue(sets.result().coverage() >= 0.9, "coverage " + sets.result().coverage());
    }

    @Test
    void rapsIsTunedOnAShareOfTheSplitOrTakesItsPenaltyAndPredictUsesIt() throws Exception {
        Path tuned = conformalize(MODEL, VAL_X, VAL_Y, "--alpha", "0.1", "--score", "raps", "--seed", "3");
        Map<String, Object> written = TuneAndCalibrateTest.read(tuned);
        ModelConformal library;
        try (OnnxClassifier model = OnnxClassifier.builder(Path.of(MODEL)).build();
                DataSet data = DataSet.builder(model).input(VAL_X).labels(Path.of(VAL_Y)).open()) {
            CollectedScores split = data.collect(model, null, b -> { });
            library = split.conformalizeRaps(model, true, ConformityScore.IncludeLastLabel.TRUE, 0.2, false, 0.1, 3);
            assertEquals(split.rows() - (int) Math.ceil(0.2 * split.rows()), library.predictor().calibrationRows());
        }
        ConformityScore.Raps raps = (ConformityScore.Raps) library.predictor().score();
        assertEquals("raps", written.get("score"));
        assertEquals(raps.lambda(), ((Number) written.get("lambda")).doubleValue());
        assertEquals(raps.kReg(), ((Number) written.get("k_reg")).intValue());
        assertEquals(library.predictor().quantile(), ((Number) written.get("quantile")).doubleValue());

        Path fixed = conformalize(MODEL, VAL_X, VAL_Y, "--alpha", "0.1", "--score", "raps-randomized",
                "--raps-lambda", "0.05", "--raps-k-reg", "2");
        Map<String, Object> f = TuneAndCalibrateTest.read(fixed);
        assertEquals(0.05, ((Number) f.get("lambda")).doubleValue());
        assertEquals("randomized", f.get("include_last_label"));
        Cli.Result predicted = Cli.run("predict", "--model", MODEL, "--inputs", X, "--conformal", fixed.toString(),
                "--format", "jsonl").ok();
        assertEquals(360, predicted.out().lines().count());
        Cli.Result evaluated = Cli.run("evaluate", "--model", MODEL, "--inputs", X, "--labels", Y, "--conformal",
                tuned.toString(), "--format", "json").ok();
        @SuppressWarnings("unchecked")
        Map<String, Object> report = (Map<String, Object>) evaluated.json().get("prediction_sets");
        assertTrue(((Number) report.get("coverage")).doubleValue() >= 0.85, report.toString());
    }

    private static long[] labels(String file) throws LoadException {
        try (io.github.logits4j.data.NpyArray a = io.github.logits4j.data.NpyArray.open(Path.of(file))) {
            long[] y = new long[(int) a.rows()];
            a.readLongs(0, y.length, y, 0);
            return y;
        }
    }

    @Test
    void aBinaryModelsSetsAreSubsetsOfItsTwoClasses() throws Exception {
        String model = Cli.model("breast_cancer_sigmoid");
        String bx = Cli.data("breast_cancer_test_x.npy");
        String by = Cli.data("breast_cancer_test_y.npy");
        Path file = conformalize(model, bx, by, "--alpha", "0.05");
        Cli.Result r = Cli.run("predict", "--model", model, "--inputs", bx, "--conformal", file.toString()).ok();
        assertTrue(r.out().startsWith("row,probability,decision,set,set_size"), r.out().lines().findFirst().get());
        assertTrue(r.out().lines().skip(1).allMatch(l -> l.matches("\\d+,[^,]+,[01],(0|1|0;1|),[0-2]")),
                r.out().lines().skip(1).limit(3).toList().toString());
    }

    @Test
    void whatDoesNotFitIsRefused() throws Exception {
        Path digits = conformalize(MODEL, VAL_X, VAL_Y, "--alpha", "0.2");
        Cli.run("conformalize", "--model", Cli.model("digits_attributes_sigmoid"), "--inputs", VAL_X, "--labels",
                Cli.data("digits_val_attributes.npy"), "--alpha", "0.1", "--output", dir.resolve("m.json").toString())
                .fails(3, "is multilabel", "planned");
        Cli.run("evaluate", "--model", Cli.model("breast_cancer_sigmoid"), "--inputs",
                Cli.data("breast_cancer_test_x.npy"), "--labels", Cli.data("breast_cancer_test_y.npy"),
                "--conformal", digits.toString()).fails(3, digits.toString(), "was made for a multiclass model");
        Cli.run("conformalize", "--model", MODEL, "--inputs", VAL_X, "--labels", VAL_Y, "--alpha", "1.5",
                "--output", dir.resolve("a.json").toString()).fails(2, "--alpha is 1.5");
        Cli.run("conformalize", "--model", MODEL, "--inputs", VAL_X, "--labels", VAL_Y, "--alpha", "0.1",
                "--score", "rasp", "--output", dir.resolve("s.json").toString()).fails(2, "--score", "rasp", "raps");
        Cli.run("conformalize", "--model", MODEL, "--inputs", VAL_X, "--labels", VAL_Y, "--alpha", "0.1",
                "--score", "raps", "--raps-lambda", "0.1", "--output", dir.resolve("s.json").toString())
                .fails(2, "--raps-k-reg");
        Cli.run("conformalize", "--model", MODEL, "--inputs", VAL_X, "--labels", VAL_Y, "--alpha", "0.1",
                "--score", "raps", "--raps-tuning-fraction", "1", "--output", dir.resolve("s.json").toString())
                .fails(2, "--raps-tuning-fraction is 1.0");
        Path notConformal = Files.writeString(dir.resolve("t.json"), "{\"temperature\": 1.5}");
        Cli.run("predict", "--model", MODEL, "--inputs", X, "--conformal", notConformal.toString())
                .fails(3, "t.json", "conformalize");
    }
}
