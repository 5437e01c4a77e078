package io.github.logits4j.onnx;

import static io.github.logits4j.golden.Tolerance.assertAllClose;
import static io.github.logits4j.golden.Tolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.LoadException;
import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.data.DataSet;
import io.github.logits4j.golden.Golden;
import io.github.logits4j.golden.ReportValues;
import io.github.logits4j.metrics.ZeroDivision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every test model of {@code testdata/models} against {@code testdata/golden/models.json}: the detected output kind
 * (and the graph node or metadata key that decided it), task, class names and inputs; the raw outputs and the
 * probabilities after the head for 64 test rows against ONNX Runtime in Python (1e-6 absolute or 1e-5 relative); and
 * the loss (torch) and metrics (scikit-learn) over the whole test split, streamed from the {@code .npy} files in
 * batches of 50, at 1e-6.
 */
class OnnxClassifierGoldenTest {
    static final double TOL = 1e-6;
    private static final Golden GOLDEN = Golden.load("models");
    private static final Path MODELS = Golden.testdata().resolve("models");
    private static final Path DATA = Golden.testdata().resolve("data");

    static OnnxClassifier.Builder builder(Golden.Case c) {
        OnnxClassifier.Builder b = OnnxClassifier.builder(MODELS.resolve(c.paramString("model")));
        Task task = Task.parse(c.paramString("task"));
        if (task != Task.MULTICLASS && c.paramString("output_kind").equals("logits")) {
            // Logits say nothing of multi-label against multi-class, nor of a binary logit against a regression
            // output: the caller states the task (the one setting needed).
            b.task(task);
        }
        return b;
    }

    static Inputs firstRows(Golden.Case c) {
        return RealExportsGoldenTest.firstRows(c);
    }

    @TestFactory
    Stream<DynamicTest> everyModel() {
        return GOLDEN.cases("model").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            try (OnnxClassifier model = builder(c).build()) {
                ModelInspection info = model.inspection();
                assertEquals(c.paramString("output"), model.output(), "output");
                assertEquals(OutputKind.valueOf(c.paramString("output_kind").toUpperCase(Locale.ROOT)),
                        model.outputKind(), "output kind; evidence: " + info.outputKindEvidence());
                if (c.hasParam("evidence_op")) {
                    assertTrue(info.outputKindEvidence().contains(c.paramString("evidence_op")),
                            info.outputKindEvidence());
                } else {
                    assertTrue(info.outputKindEvidence().contains("metadata"), info.outputKindEvidence());
                }
                assertEquals(Task.parse(c.paramString("task")), model.task(), info.taskEvidence());
                if (c.hasParam("class_names")) {
                    assertEquals(c.paramStrings("class_names"), model.classNames(), info.classNamesSource());
                }
                assertEquals(c.paramStrings("inputs"), new ArrayList<>(model.inputNames()), "inputs");
                assertEquals(ExecutionProvider.CPU, model.provider());

                Scores scores = model.run(firstRows(c));
                assertAllClose(c.expected("raw").doubles(), scores.raw().toArray(), c.id() + " raw");
                assertAllClose(c.expected("probabilities").doubles(), scores.probabilities().toArray(),
                        c.id() + " probabilities");
                if (c.expectedNames().contains("label")) {
                    assertArrayEquals(c.expected("label").ints(), scores.predictedClasses(), c.id() + " label");
                }

                EvaluationResult result;
                try (DataSet data = dataSet(c, model)) {
                    result = model.evaluate(data, options(c));
                }
                assertClose(c.expected("loss").scalar(), result.loss(), TOL, TOL, c.id() + " loss");
                List<String> metricKeys = new ArrayList<>(c.expectedNames());
                metricKeys.removeAll(List.of("raw", "probabilities", "loss", "label"));
                Map<String, Supplier<double[]>> values = switch (model.task()) {
                    case MULTICLASS -> ReportValues.of(result.multiclassReport(), topK(c), c.paramInt("n_bins"));
                    case MULTILABEL -> ReportValues.of(result.multilabelReport());
                    case BINARY -> ReportValues.of(result.binaryReport(), c.paramInt("n_bins"));
                };
                ReportValues.check(c, metricKeys, values, TOL);
            }
        }));
    }

    static int[] topK(Golden.Case c) {
        double[] ks = c.paramDoubles("top_k");
        int[] out = new int[ks.length];
        for (int i = 0; i < ks.length; i++) {
            out[i] = (int) ks[i];
        }
        return out;
    }

    static EvaluationOptions options(Golden.Case c) {
        return optionsBuilder(c).build();
    }

    static EvaluationOptions.Builder optionsBuilder(Golden.Case c) {
        EvaluationOptions.Builder o = EvaluationOptions.builder()
                .zeroDivision(c.paramInt("zero_division") == 1 ? ZeroDivision.ONE : ZeroDivision.ZERO);
        if (c.hasParam("top_k")) {
            o.topK(topK(c));
        }
        if (c.hasParam("threshold")) {
            o.threshold(c.paramDouble("threshold"));
        }
        return o;
    }

    static DataSet dataSet(Golden.Case c, OnnxClassifier model) throws LoadException {
        Map<String, String> files = c.paramObject("data");
        DataSet.Builder data = DataSet.builder(model).labels(DATA.resolve(files.get("y"))).batchSize(50);
        List<String> names = c.paramStrings("inputs");
        for (Map.Entry<String, String> e : files.entrySet()) {
            if (e.getKey().equals("y")) {
                continue;
            }
            // "x" is the file of a single-input model; a multi-input model names each input.
            data.input(e.getKey().equals("x") ? names.get(0) : e.getKey(), DATA.resolve(e.getValue()));
        }
        return data.open();
    }
}
