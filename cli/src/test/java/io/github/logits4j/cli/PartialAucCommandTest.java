package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.data.NpyArray;
import io.github.logits4j.metrics.BinaryMetrics;
import io.github.logits4j.metrics.BinaryReport;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.onnx.Scores;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code evaluate --max-fpr}: the standardized partial ROC AUC of a binary model reaches the report under
 * scikit-learn's name, with the value the library's {@link BinaryMetrics} (checked against scikit-learn's goldens)
 * gives for the model's probabilities; misuse is a usage error.
 */
class PartialAucCommandTest {
    static final String MODEL = Cli.model("breast_cancer_sigmoid");
    static final String X = Cli.data("breast_cancer_test_x.npy");
    static final String Y = Cli.data("breast_cancer_test_y.npy");

    @Test
    void thePartialAucIsReportedPerRate() throws Exception {
        Map<String, Object> report = Cli.run("evaluate", "--model", MODEL, "--inputs", X, "--labels", Y,
                "--max-fpr", "0.1,0.5", "--format", "json").ok().json();
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) report.get("metrics");

        BinaryMetrics m = BinaryMetrics.builder().maxFpr(0.1, 0.5).build();
        try (OnnxClassifier model = OnnxClassifier.builder(Path.of(MODEL)).build();
                NpyArray x = NpyArray.open(Path.of(X)); NpyArray y = NpyArray.open(Path.of(Y))) {
            int n = (int) x.rows();
            int cols = (int) x.shape()[1];
            float[] features = new float[n * cols];
            x.readFloats(0, n, features, 0);
            Scores s = model.run(FloatMatrix.wrap(features, n, cols));
            long[] labels = new long[n];
            y.readLongs(0, n, labels, 0);
            int[] yi = new int[n];
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                yi[i] = (int) labels[i];
                p[i] = s.probabilities().get(i, 0);
            }
            m.update(p, yi, null);
        }
        BinaryReport expected = m.result();
        assertEquals(expected.partialRocAuc(0.1), (Double) metrics.get("roc_auc_max_fpr_0.1"), 0.0);
        assertEquals(expected.partialRocAuc(0.5), (Double) metrics.get("roc_auc_max_fpr_0.5"), 0.0);
    }

    @Test
    void misuseIsAUsageError() {
        Cli.run("evaluate", "--model", MODEL, "--inputs", X, "--labels", Y, "--max-fpr", "0")
                .fails(Main.EXIT_USAGE, "--max-fpr is 0.0; expected a rate in (0, 1]");
        Cli.run("evaluate", "--model", MODEL, "--inputs", X, "--labels", Y, "--max-fpr", "0.1",
                "--rank-metrics", "binned").fails(Main.EXIT_USAGE, "--max-fpr needs --rank-metrics exact");
        Cli.run("evaluate", "--model", Cli.model("digits_logits"), "--inputs", Cli.data("digits_test_x.npy"),
                "--labels", Cli.data("digits_test_y.npy"), "--max-fpr", "0.1")
                .fails(Main.EXIT_USAGE, "--max-fpr applies to binary models");
    }
}
