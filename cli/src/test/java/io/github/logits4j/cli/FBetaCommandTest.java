package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.logits4j.data.DataSet;
import io.github.logits4j.metrics.Average;
import io.github.logits4j.metrics.MulticlassReport;
import io.github.logits4j.onnx.EvaluationOptions;
import io.github.logits4j.onnx.OnnxClassifier;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code evaluate --fbeta}: the F-beta of each beta reaches the report under scikit-learn's names, equal to the
 * library's report (checked against scikit-learn's {@code fbeta_score} goldens); a negative beta is a usage error.
 */
class FBetaCommandTest {
    static final String MODEL = Cli.model("digits_logits");
    static final String X = Cli.data("digits_test_x.npy");
    static final String Y = Cli.data("digits_test_y.npy");

    @Test
    void theFBetaOfEachBetaIsReported() throws Exception {
        Map<String, Object> report = Cli.run("evaluate", "--model", MODEL, "--inputs", X, "--labels", Y,
                "--fbeta", "0.5,2", "--format", "json").ok().json();
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) report.get("metrics");
        MulticlassReport expected;
        try (OnnxClassifier model = OnnxClassifier.builder(Path.of(MODEL)).build();
                DataSet data = DataSet.builder(model).input(Path.of(X)).labels(Path.of(Y)).open()) {
            expected = data.evaluate(model, EvaluationOptions.defaults()).multiclassReport();
        }
        for (double beta : new double[] {0.5, 2.0}) {
            String b = beta == 0.5 ? "0.5" : "2";
            for (Average a : new Average[] {Average.MICRO, Average.MACRO, Average.WEIGHTED}) {
                assertEquals(expected.fBeta(beta, a), (Double) metrics.get(a.key() + "_fbeta_" + b), 0.0,
                        a.key() + "_fbeta_" + b);
            }
        }
    }

    @Test
    void aNegativeBetaIsAUsageError() {
        Cli.run("evaluate", "--model", MODEL, "--inputs", X, "--labels", Y, "--fbeta", "-1")
                .fails(Main.EXIT_USAGE, "--fbeta: F-beta beta is -1.0");
    }
}
