package io.github.logits4j.onnx;

import static io.github.logits4j.golden.Tolerance.assertAllClose;
import static io.github.logits4j.golden.Tolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.LoadException;
import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.data.DataSet;
import io.github.logits4j.golden.Golden;
import io.github.logits4j.golden.ReportValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The third-party export layouts of {@code testdata/golden/exports.json} (scikit-learn without ZipMap, reduced and
 * ensembled heads, scalar and non-leading-batch inputs, [N, C, 1, 1] outputs, an output whose kind the graph does not
 * show, and the real Silero VAD models): the detected kind and the op that decided it, the batch axis of every
 * input, the refusal of an unknown kind until it is set, the raw outputs and probabilities of 64 rows against ONNX
 * Runtime in Python (1e-6 absolute or 1e-5 relative), and loss and metrics over the whole split at 1e-6, streamed
 * from the {@code .npy} files in the model's own layout.
 */
class RealExportsGoldenTest {
    private static final Golden GOLDEN = Golden.load("exports");
    private static final Path MODELS = Golden.testdata().resolve("models");
    private static final Path DATA = Golden.testdata().resolve("data");

    static Path model(Golden.Case c) {
        Path dir = c.paramBoolean("third_party") ? MODELS.resolve("third_party") : MODELS;
        return dir.resolve(c.paramString("model"));
    }

    /** The builder with the settings a user must give for this case (none unless the graph cannot tell). */
    static OnnxClassifier.Builder builder(Golden.Case c) {
        OnnxClassifier.Builder b = OnnxClassifier.builder(model(c));
        if (c.hasParam("option_output_kind")) {
            b.outputKind(OutputKind.valueOf(c.paramString("option_output_kind").toUpperCase(Locale.ROOT)));
        }
        if (c.hasParam("option_task")) {
            b.task(Task.parse(c.paramString("option_task")));
        }
        return b;
    }

    static int axis(String text) {
        return text.equals("none") ? Inputs.NO_BATCH_AXIS : Integer.parseInt(text);
    }

    /** The golden inputs, each along its batch axis ({@code batch_axes}; the first axis when the case has none). */
    static Inputs firstRows(Golden.Case c) {
        Map<String, String> axes = c.hasParam("batch_axes") ? c.paramObject("batch_axes") : Map.of();
        Inputs.Builder b = Inputs.builder();
        for (String name : c.inputNames()) {
            Golden.Array a = c.input(name);
            long[] shape = new long[a.rank()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = a.dim(i);
            }
            int axis = axis(axes.getOrDefault(name, "0"));
            if (a.dtype().equals("int64")) {
                double[] d = a.doubles();
                long[] l = new long[d.length];
                for (int i = 0; i < d.length; i++) {
                    l[i] = (long) d[i];
                }
                if (axis == Inputs.NO_BATCH_AXIS) {
                    b.constant(name, l, shape);
                } else {
                    b.add(name, l, shape).batchAxis(name, axis);
                }
            } else if (axis == Inputs.NO_BATCH_AXIS) {
                b.constant(name, a.floats(), shape);
            } else {
                b.add(name, a.floats(), shape).batchAxis(name, axis);
            }
        }
        return b.build();
    }

    @TestFactory
    Stream<DynamicTest> everyExport() {
        return GOLDEN.cases("export").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            String detected = c.paramString("output_kind");
            try (OnnxClassifier plain = OnnxClassifier.builder(model(c)).build()) {
                ModelInspection info = plain.inspection();
                assertEquals(c.paramString("output"), info.output(), "output");
                assertTrue(info.outputKindEvidence().contains(c.paramString("evidence_op")),
                        info.outputKindEvidence());
                Map<String, Integer> expectedAxes = new LinkedHashMap<>();
                c.paramObject("batch_axes").forEach((k, v) -> expectedAxes.put(k, axis(v)));
                assertEquals(expectedAxes, info.batchAxes(), "batch axes");
                if (detected.equals("unknown")) {
                    assertNull(info.outputKind(), info.outputKindEvidence());
                    assertFalse(plain.resolved());
                    String msg = assertThrows(IllegalStateException.class, () -> plain.run(firstRows(c)))
                            .getMessage();
                    assertTrue(msg.contains("outputKind(...)") && msg.contains(c.paramString("evidence_op"))
                            && msg.contains("'" + c.paramString("output") + "'"), msg);
                    assertTrue(info.toString().contains("output kind  unknown"), info.toString());
                } else {
                    assertEquals(OutputKind.parse(detected), info.outputKind(), info.outputKindEvidence());
                }
            }
            try (OnnxClassifier model = builder(c).build()) {
                assertEquals(Task.parse(c.paramString("task")), model.task(), model.inspection().taskEvidence());
                assertEquals(c.paramStrings("inputs"), new ArrayList<>(model.inputNames()), "inputs");
                Scores scores = model.run(firstRows(c));
                assertAllClose(c.expected("raw").doubles(), scores.raw().toArray(), c.id() + " raw");
                assertAllClose(c.expected("probabilities").doubles(), scores.probabilities().toArray(),
                        c.id() + " probabilities");

                EvaluationResult result;
                try (DataSet data = dataSet(c, model)) {
                    result = model.evaluate(data, OnnxClassifierGoldenTest.options(c));
                }
                assertEquals(c.expected("raw").dim(0) > 0, result.samples() > 0);
                assertClose(c.expected("loss").scalar(), result.loss(), OnnxClassifierGoldenTest.TOL,
                        OnnxClassifierGoldenTest.TOL, c.id() + " loss");
                List<String> metricKeys = new ArrayList<>(c.expectedNames());
                metricKeys.removeAll(List.of("raw", "probabilities", "loss"));
                Map<String, Supplier<double[]>> values = switch (model.task()) {
                    case MULTICLASS -> ReportValues.of(result.multiclassReport(), OnnxClassifierGoldenTest.topK(c),
                            c.paramInt("n_bins"));
                    case MULTILABEL -> ReportValues.of(result.multilabelReport());
                    case BINARY -> ReportValues.of(result.binaryReport(), c.paramInt("n_bins"));
                };
                ReportValues.check(c, metricKeys, values, OnnxClassifierGoldenTest.TOL);
            }
        }));
    }

    static DataSet dataSet(Golden.Case c, OnnxClassifier model) throws LoadException {
        Map<String, String> files = c.paramObject("data");
        DataSet.Builder data = DataSet.builder(model).labels(DATA.resolve(files.get("y"))).batchSize(50);
        for (String name : c.paramStrings("inputs")) {
            data.input(name, DATA.resolve(files.get(name)));
        }
        return data.open();
    }
}
