package io.github.logits4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.logits4j.DenseScores;
import io.github.logits4j.data.NpyArray;
import io.github.logits4j.golden.Golden;
import io.github.logits4j.golden.Tolerance;
import io.github.logits4j.loss.CrossEntropyLoss;
import io.github.logits4j.metrics.DenseMetrics;
import io.github.logits4j.metrics.DenseReport;
import io.github.logits4j.metrics.EntityMetrics;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The bundled dense models ({@code testdata/golden/dense_models.json}) run by {@link OnnxClassifier#runDense}, which
 * reads the class axis and the classes from the graph ({@link DenseLayout}; the legacy exports leave every dimension
 * symbolic) and ONNX Runtime's output in place as {@link DenseScores}, and the library's dense loss and metrics on it: the first sample's raw scores equal Python onnxruntime's (float32, within 1e-5),
 * cross-entropy equal PyTorch's (1e-6), accuracy, IoU and Dice equal scikit-learn's (1e-9) and, for the token
 * classifier, entity precision, recall and F1 equal seqeval's (1e-12), for both exporters of each model.
 */
class DenseModelsGoldenTest {
    private static final Golden GOLDEN = Golden.load("dense_models");
    private static final Path DATA = Golden.testdata().resolve("data");

    @TestFactory
    Stream<DynamicTest> theLibraryOnTheBundledDenseModels() {
        return GOLDEN.cases("dense_model").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            Path model = Golden.testdata().resolve("models").resolve(c.paramString("model"));
            Map<String, String> data = c.paramObject("data");
            try (OnnxClassifier classifier = OnnxClassifier.builder(model).intraOpThreads(1).build()) {
                DenseScores.ClassAxis expected = c.paramString("class_axis").equals("first")
                        ? DenseScores.ClassAxis.FIRST : DenseScores.ClassAxis.LAST;
                assertEquals(expected, classifier.classAxis(), classifier.inspection().toString());
                assertEquals(c.expected("raw_head").dim(0), classifier.classes());
                Inputs.Builder inputs = Inputs.builder();
                for (Map.Entry<String, String> e : data.entrySet()) {
                    if (e.getKey().equals("y")) {
                        continue;
                    }
                    try (NpyArray a = NpyArray.open(DATA.resolve(e.getValue()))) {
                        int n = (int) a.rows();
                        if (!a.dtype().isIntegral()) {
                            float[] x = new float[n * a.rowSize()];
                            a.readFloats(0, n, x, 0);
                            inputs.add(e.getKey(), x, a.shape());
                        } else {
                            long[] x = new long[n * a.rowSize()];
                            a.readLongs(0, n, x, 0);
                            inputs.add(e.getKey(), x, a.shape());
                        }
                    }
                }
                DenseScores scores = classifier.runDense(inputs.build());
                check(c, scores);
                IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(
                        IllegalStateException.class, () -> classifier.run(inputs.build()));
                org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains("runDense"),
                        refused.getMessage());
            }
        }));
    }

    private static void check(Golden.Case c, DenseScores scores) throws Exception {
        // the first sample's first 4 positions of every class
        double[] head = c.expected("raw_head").doubles();
        for (int k = 0; k < scores.classes(); k++) {
            for (int p = 0; p < 4; p++) {
                Tolerance.assertClose(head[k * 4 + p], scores.get(0, k, p), 1e-5, 1e-5, c.id() + " raw " + k + "/" + p);
            }
        }
        int[] y;
        try (NpyArray a = NpyArray.open(DATA.resolve(c.paramObject("data").get("y")))) {
            long[] l = new long[(int) a.rows() * a.rowSize()];
            a.readLongs(0, (int) a.rows(), l, 0);
            y = new int[l.length];
            for (int i = 0; i < l.length; i++) {
                y[i] = (int) l[i];
            }
        }
        int ignore = c.paramInt("ignore_index");
        double loss = CrossEntropyLoss.builder().ignoreIndex(ignore).build().compute(scores, y);
        Tolerance.assertClose(c.expected("loss").scalar(), loss, 1e-6, 1e-6, c.id() + " loss");
        DenseMetrics m = DenseMetrics.builder(scores.classes()).ignoreIndex(ignore).build();
        m.update(scores, y);
        DenseReport r = m.result();
        Tolerance.assertClose(c.expected("accuracy").scalar(), r.accuracy(), 1e-9, 1e-9, c.id() + " accuracy");
        Tolerance.assertClose(c.expected("mean_iou").scalar(), r.meanIou(), 1e-9, 1e-9, c.id() + " mean_iou");
        Tolerance.assertClose(c.expected("frequency_weighted_iou").scalar(), r.frequencyWeightedIou(), 1e-9, 1e-9,
                c.id() + " fwiou");
        Tolerance.assertClose(c.expected("mean_dice").scalar(), r.meanDice(), 1e-9, 1e-9, c.id() + " mean_dice");
        if (c.hasParam("tags")) {
            int n = scores.samples();
            int t = scores.positions();
            int[] predicted = new int[n * t];
            for (int s = 0; s < n; s++) {
                for (int p = 0; p < t; p++) {
                    int best = 0;
                    for (int k = 1; k < scores.classes(); k++) {
                        best = scores.get(s, k, p) > scores.get(s, best, p) ? k : best;
                    }
                    predicted[s * t + p] = best;
                }
            }
            EntityMetrics e = EntityMetrics.builder(c.paramStrings("tags")).build();
            e.update(predicted, y, n, t);
            EntityMetrics.Report er = e.result();
            Tolerance.assertClose(c.expected("entity_precision").scalar(), er.precision(), 1e-12, 1e-12, c.id());
            Tolerance.assertClose(c.expected("entity_recall").scalar(), er.recall(), 1e-12, 1e-12, c.id());
            Tolerance.assertClose(c.expected("entity_f1").scalar(), er.f1(), 1e-12, 1e-12, c.id());
        }
        assertEquals(y.length, r.positions() + r.ignoredPositions());
        System.out.println(c.id() + ": " + r + ", loss " + loss);
    }
}
