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
