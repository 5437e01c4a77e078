package io.github.logits4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.LoadException;
import io.github.logits4j.golden.Golden;
import io.github.logits4j.metrics.Average;
import io.github.logits4j.onnx.EvaluationOptions;
import io.github.logits4j.onnx.EvaluationResult;
import io.github.logits4j.onnx.Inputs;
import io.github.logits4j.onnx.LabelledBatch;
import io.github.logits4j.onnx.OnnxClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application that evaluates a data set through the library gets the checks the command line makes, with rows of
 * the data set (not of a batch) in every message, and opening failures as the checked {@link LoadException}.
 */
class DataSetTest {
    private static final Path DATA = Golden.testdata().resolve("data");
    private static final Path X = DATA.resolve("digits_test_x.npy");
    private static final Path Y = DATA.resolve("digits_test_y.npy");
    private static OnnxClassifier model;
    private static float[] x;
    private static int[] y;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() throws LoadException {
        model = OnnxClassifier.builder(Golden.testdata().resolve("models").resolve("digits_softmax.onnx")).build();
        try (NpyArray xs = NpyArray.open(X); NpyArray ys = NpyArray.open(Y)) {
            x = new float[(int) xs.rows() * 64];
            xs.readFloats(0, (int) xs.rows(), x, 0);
            long[] labels = new long[(int) ys.rows()];
            ys.readLongs(0, (int) ys.rows(), labels, 0);
            y = new int[labels.length];
            for (int i = 0; i < labels.length; i++) {
                y[i] = (int) labels[i];
            }
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** The digits features as CSV without a header, {@code bad} written at (row, column) when row >= 0. */
    private Path featuresCsv(int row, int column, String bad) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < y.length; r++) {
            for (int c = 0; c < 64; c++) {
                sb.append(c == 0 ? "" : ",").append(r == row && c == column ? bad
                        : String.format(Locale.ROOT, "%s", x[r * 64 + c]));
            }
            sb.append('\n');
        }
        return Files.writeString(dir.resolve("x.csv"), sb);
    }

    private Path labelsCsv(int row, String bad) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < y.length; r++) {
            sb.append(r == row ? bad : Integer.toString(y[r])).append('\n');
        }
        return Files.writeString(dir.resolve("y.csv"), sb);
    }

    @Test
    void evaluatesLikeTheModelOnTheSameRows() throws Exception {
        EvaluationResult direct = model.evaluate(List.of(LabelledBatch.of(Inputs.of("pixels",
                FloatMatrix.wrap(x, y.length, 64)), y)));
        try (DataSet npy = DataSet.builder(model).input(X).labels(Y).batchSize(100).open();
                DataSet csv = DataSet.builder(model).input("pixels=" + featuresCsv(-1, 0, null))
                        .labels(labelsCsv(-1, null)).batchSize(64).open()) {
            EvaluationResult fromNpy = npy.evaluate(model, EvaluationOptions.defaults());
            EvaluationResult fromCsv = csv.evaluate(model, EvaluationOptions.defaults());
            for (EvaluationResult r : List.of(fromNpy, fromCsv)) {
                assertEquals(direct.samples(), r.samples());
                assertEquals(direct.loss(), r.loss(), 1e-12);
                assertEquals(direct.multiclassReport().f1(Average.MACRO), r.multiclassReport().f1(Average.MACRO));
            }
            assertEquals(4, fromNpy.batches());
            assertEquals(360, npy.rowsRead());
            assertEquals(1.0, npy.progress());
        }
    }

    /** Whether a thread of the run-ahead reader is alive. */
    private static boolean readerAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("logits4j-evaluation-reader") && t.isAlive());
    }

    @Test
    void runningTheModelAheadGivesTheOneThreadReportBitForBit() throws Exception {
        EvaluationOptions one = EvaluationOptions.defaults();
        EvaluationOptions two = EvaluationOptions.builder().parallelism(2).build();
        Path xCsv = featuresCsv(-1, 0, null);
        Path yCsv = labelsCsv(-1, null);
        for (int batch : new int[] {1, 7, 64, 100, 360, 1000}) {
            EvaluationResult[] results = new EvaluationResult[2];
            for (int k = 0; k < 2; k++) {
                java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
                java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
                try (DataSet data = (batch % 2 == 0 ? DataSet.builder(model).input(X).labels(Y)
                        : DataSet.builder(model).input("pixels=" + xCsv).labels(yCsv)).batchSize(batch).open()) {
                    results[k] = data.evaluate(model, k == 0 ? one : two, b -> {
                        threads.add(Thread.currentThread().getName());
                        calls.incrementAndGet();
                    });
                }
                assertEquals((360 + batch - 1) / batch, calls.get());
                assertEquals(java.util.Set.of(k == 0 ? Thread.currentThread().getName()
                        : "logits4j-evaluation-reader"), threads);
                assertTrue(!readerAlive());
            }
            assertEquals(results[0].samples(), results[1].samples());
            assertEquals(results[0].batches(), results[1].batches());
            assertEquals(Double.doubleToRawLongBits(results[0].loss()), Double.doubleToRawLongBits(results[1].loss()));
            assertEquals(results[0].metrics(), results[1].metrics(), "batch size " + batch);
        }
    }

    @Test
    void failuresWhileRunningAheadAreThoseOfOneThread() throws Exception {
        EvaluationOptions two = EvaluationOptions.builder().parallelism(2).build();
        for (EvaluationOptions options : List.of(EvaluationOptions.defaults(), two)) {
            try (DataSet data = DataSet.builder(model).input(X).labels(labelsCsv(217, "10")).batchSize(100).open()) {
                DataException e = assertThrows(DataException.class, () -> data.evaluate(model, options));
                assertEquals(dir.resolve("y.csv") + ": label 10 at line 218, column 0 is out of range; the model has"
                        + " 10 classes (0 to 9)", e.getMessage());
            }
            Path csv = featuresCsv(305, 3, "nan");
            try (DataSet data = DataSet.builder(model).input(csv).labels(Y).batchSize(100).open()) {
                DataException e = assertThrows(DataException.class, () -> data.evaluate(model, options));
                assertTrue(e.getMessage().startsWith(csv + ": model output 'probabilities' is NaN at row 305,"
                        + " column 0, where input 'pixels' holds NaN at row 305, column 3"), e.getMessage());
            }
            // a label out of range in a batch built by hand fails where the batch is added, on the calling thread
            List<LabelledBatch> batches = new java.util.ArrayList<>();
            for (int start = 0; start < 360; start += 50) {
                int n = Math.min(50, 360 - start);
                int[] labels = java.util.Arrays.copyOfRange(y, start, start + n);
                if (start == 150) {
                    labels[7] = 12;
                }
                batches.add(LabelledBatch.of(Inputs.builder().add("pixels", java.util.Arrays.copyOfRange(x,
                        start * 64, (start + n) * 64), n, 64).firstRow(start).build(), labels));
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.evaluatePipelined(batches, options));
            assertEquals("label at row 157 is 12; expected a class index in [0, 9]", e.getMessage());
            // and a source that fails part of the way
            Iterable<LabelledBatch> failing = () -> new java.util.Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public LabelledBatch next() {
                    if (next == 3) {
                        throw new IllegalStateException("the source failed at batch 3");
                    }
                    return batches.get(next++);
                }
            };
            IllegalStateException f = assertThrows(IllegalStateException.class,
                    () -> model.evaluatePipelined(failing, options));
            assertEquals("the source failed at batch 3", f.getMessage());
            assertTrue(!readerAlive());
        }
    }

    @Test
    void aBadLabelNamesTheFileLineAndColumn() throws Exception {
        try (DataSet data = DataSet.builder(model).input(X).labels(labelsCsv(217, "10")).batchSize(100).open()) {
            DataException e = assertThrows(DataException.class,
                    () -> data.evaluate(model, EvaluationOptions.defaults()));
            assertEquals(dir.resolve("y.csv") + ": label 10 at line 218, column 0 is out of range; the model has 10"
                    + " classes (0 to 9)", e.getMessage());
        }
    }

    @Test
    void aNonFiniteFeatureNamesTheRowOfTheDataSetNotOfTheBatch() throws Exception {
        Path csv = featuresCsv(305, 3, "nan");
        try (DataSet data = DataSet.builder(model).input(csv).labels(Y).batchSize(100).open()) {
            DataException e = assertThrows(DataException.class,
                    () -> data.evaluate(model, EvaluationOptions.defaults()));
            assertTrue(e.getMessage().startsWith(csv + ": model output 'probabilities' is NaN at row 305, column 0,"
                    + " where input 'pixels' holds NaN at row 305, column 3"), e.getMessage());
        }
        try (DataSet data = DataSet.builder(model).input(csv).batchSize(100).open()) {
            data.run(model, data.next());
            data.run(model, data.next());
            data.run(model, data.next());
            Batch fourth = data.next();
            assertEquals(300, fourth.firstRow());
            assertEquals(300, fourth.inputs().firstRow());
            DataException e = assertThrows(DataException.class, () -> data.run(model, fourth));
            assertTrue(e.getMessage().contains("at row 305"), e.getMessage());
        }
    }

    @Test
    void batchesBuiltByHandNameTheirRowsToo() {
        int[] labels = {1, 2, 12};
        Inputs inputs = Inputs.builder().add("pixels", java.util.Arrays.copyOf(x, 3 * 64), 3, 64).firstRow(1000)
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.evaluate(List.of(LabelledBatch.of(inputs, labels))));
        assertEquals("label at row 1002 is 12; expected a class index in [0, 9]", e.getMessage());
    }

    @Test
    void whatIsWrongWhenOpeningIsALoadExceptionNamingTheFile() {
        Path other = DATA.resolve("breast_cancer_test_x.npy");
        LoadException shape = assertThrows(LoadException.class,
                () -> DataSet.builder(model).input(other).open());
        assertTrue(shape.getMessage().startsWith(other + ": the model's input 'pixels' float[batch, 64] expects 64"
                + " values per row; found 30"), shape.getMessage());
        LoadException rows = assertThrows(LoadException.class,
                () -> DataSet.builder(model).input(X).labels(DATA.resolve("breast_cancer_test_y.npy")).open());
        assertTrue(rows.getMessage().contains("every input(...) and labels(...) file must have the same number of"
                + " rows"), rows.getMessage());
        LoadException name = assertThrows(LoadException.class,
                () -> DataSet.builder(model).input("nope=" + X).open());
        assertTrue(name.getMessage().contains("input(...) nope=" + X + " names the input 'nope', which the model"
                + " does not have; its inputs are [pixels]"), name.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataSet.builder(model).batchSize(0));
        assertThrows(IllegalStateException.class, () -> {
            try (DataSet unlabelled = DataSet.builder(model).input(X).open()) {
                unlabelled.evaluate(model, EvaluationOptions.defaults());
            }
        });
    }
}
