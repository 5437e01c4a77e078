package io.github.logits4j.onnx;

import static io.github.logits4j.golden.Tolerance.assertAllClose;
import static io.github.logits4j.golden.Tolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.data.DataSet;
import io.github.logits4j.golden.Golden;
import io.github.logits4j.golden.ReportValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The models of {@code testdata/golden/converters.json}, made by the converters themselves (skl2onnx 1.21,
 * onnxmltools 1.17 for LightGBM, hummingbird-ml 0.4.12): the kind the graph's facts give and the op that settled it;
 * decision values evaluated with the decision metrics and the hinge loss of scikit-learn (1e-12), and with the user's
 * {@code logits} as logits; the raw outputs of 64 rows against ONNX Runtime in Python and the
 * probabilities against the head applied in float64 (1e-6 absolute or 1e-5 relative); the loss and metrics over the
 * whole test split at 1e-6 (with the row-sum tolerance a case needs: GaussianNB's float32 rows sum to 1.0025).
 */
class ConvertersGoldenTest {
    private static final Golden GOLDEN = Golden.load("converters");

    @TestFactory
    Stream<DynamicTest> everyConverterExport() {
        return GOLDEN.cases("export").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            String detected = c.paramString("output_kind");
            try (OnnxClassifier plain = OnnxClassifier.builder(RealExportsGoldenTest.model(c)).build()) {
                ModelInspection info = plain.inspection();
                assertEquals(c.paramString("output"), info.output(), "output");
                assertTrue(info.outputKindEvidence().contains(c.paramString("evidence_op")),
                        info.outputKindEvidence());
                assertEquals(OutputKind.parse(detected), info.outputKind(), info.outputKindEvidence());
                if (detected.equals("decision_values")) {
                    decisionValues(c, plain);
                }
            }
            OnnxClassifier.Builder b = RealExportsGoldenTest.builder(c);
            try (OnnxClassifier model = b.build()) {
                assertEquals(Task.parse(c.paramString("task")), model.task(), model.inspection().taskEvidence());
                Scores scores = model.run(RealExportsGoldenTest.firstRows(c));
                assertAllClose(c.expected("raw").doubles(), scores.raw().toArray(), c.id() + " raw");
                assertAllClose(c.expected("probabilities").doubles(), scores.probabilities().toArray(),
                        c.id() + " probabilities");
                EvaluationOptions.Builder o = OnnxClassifierGoldenTest.optionsBuilder(c);
                if (c.hasParam("option_row_sum_tolerance")) {
                    o.rowSumTolerance(c.paramDouble("option_row_sum_tolerance"));
                }
                EvaluationResult result;
                try (DataSet data = RealExportsGoldenTest.dataSet(c, model)) {
                    result = model.evaluate(data, o.build());
                }
                List<String> metricKeys = new ArrayList<>(c.expectedNames());
                metricKeys.removeAll(List.of("raw", "probabilities", "loss", "sklearn_scores", "worst_row_sum",
                        "worst_row"));
                if (detected.equals("decision_values")) {
                    return;         // declared logits: only the raw outputs and their softmax are references
                }
                if (c.expectedNames().contains("loss")) {
                    assertClose(c.expected("loss").scalar(), result.loss(), OnnxClassifierGoldenTest.TOL,
                            OnnxClassifierGoldenTest.TOL, c.id() + " loss");
                }
                Map<String, Supplier<double[]>> values = switch (model.task()) {
                    case MULTICLASS -> ReportValues.of(result.multiclassReport(),
                            c.hasParam("top_k") ? OnnxClassifierGoldenTest.topK(c) : new int[] {1},
                            c.hasParam("n_bins") ? c.paramInt("n_bins") : 15);
                    case MULTILABEL -> ReportValues.of(result.multilabelReport());
                    case BINARY -> ReportValues.of(result.binaryReport(), c.paramInt("n_bins"));
                };
                ReportValues.check(c, metricKeys, values, OnnxClassifierGoldenTest.TOL);
            }
        }));
    }

    /**
     * A model that emits decision values, as the graph shows them: run (raw outputs against ONNX Runtime, no
     * probabilities), and evaluated with the decision metrics and scikit-learn's hinge loss as the loss; no
     * probability metric in the report.
     */
    private static void decisionValues(Golden.Case c, OnnxClassifier plain) throws Exception {
        assertTrue(plain.resolved(), plain.inspection().refusal());
        assertTrue(plain.inspection().outputKindEvidence().contains("raw decision values"),
                plain.inspection().outputKindEvidence());
        Scores scores = plain.run(RealExportsGoldenTest.firstRows(c));
        assertAllClose(c.expected("raw").doubles(), scores.raw().toArray(), c.id() + " raw");
        String msg = assertThrows(IllegalStateException.class, scores::probabilities).getMessage();
        assertTrue(msg.contains("decision values") && msg.contains("no probabilities"), msg);
        int[] predicted = scores.predictedClasses();
        for (int r = 0; r < predicted.length; r++) {
            assertEquals(io.github.logits4j.decision.Argmax.of(scores.raw())[r], predicted[r]);
        }
        EvaluationResult result;
        try (DataSet data = RealExportsGoldenTest.dataSet(c, plain)) {
            result = plain.evaluate(data, OnnxClassifierGoldenTest.optionsBuilder(c).build());
        }
        assertEquals("hinge", result.toMap().get("loss") instanceof Map<?, ?> m ? m.get("name") : null);
        assertClose(c.expected("hinge_loss").scalar(), result.loss(), 1e-9, 1e-9, c.id() + " hinge loss");
        assertClose(c.expected("hinge_loss").scalar(), result.hingeLoss(), 1e-9, 1e-9, c.id() + " hinge loss");
        assertTrue(result.multiclassReport().decisionValues());
        Map<String, Object> metrics = result.multiclassReport().toMap();
        for (String absent : List.of("log_loss", "brier", "ece", "macro_roc_auc_ovr", "macro_average_precision")) {
            assertFalse(metrics.containsKey(absent), absent + " from decision values");
        }
        List<String> keys = new ArrayList<>(c.expectedNames());
        keys.removeAll(List.of("raw", "probabilities", "sklearn_scores", "worst_row_sum", "worst_row", "hinge_loss"));
        ReportValues.check(c, keys, ReportValues.of(result.multiclassReport(), OnnxClassifierGoldenTest.topK(c), 15),
                1e-12);
    }
}
