package io.github.logits4j.data;

import static io.github.logits4j.golden.Tolerance.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.LoadException;
import io.github.logits4j.golden.Golden;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Reads the {@code .npy} files numpy wrote ({@code testdata/golden/npy.json}): every dtype and byte order gives
 * numpy's values exactly; Fortran-order, object, float16, truncated and non-npy files are refused naming the file.
 */
class NpyArrayTest {
    private static final Golden GOLDEN = Golden.load("npy");
    private static final Path DIR = Golden.testdata().resolve("data").resolve("npy");

    @TestFactory
    Stream<DynamicTest> numpyFiles() {
        return GOLDEN.cases("npy_file").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            Path file = DIR.resolve(c.paramString("file"));
            if (c.hasParam("error")) {
                LoadException e = assertThrows(LoadException.class, () -> NpyArray.open(file));
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
                assertTrue(e.getMessage().contains(c.paramString("error")), e.getMessage());
                return;
            }
            try (NpyArray a = NpyArray.open(file)) {
                long[] shape = a.shape();
                int[] expectedShape = c.expected("shape").ints();
                assertEquals(expectedShape.length, shape.length);
                for (int i = 0; i < shape.length; i++) {
                    assertEquals(expectedShape[i], shape[i]);
                }
                double[] expected = c.expected("values").doubles();
                int rows = (int) a.rows();
                double[] d = new double[rows * a.rowSize()];
                a.readDoubles(0, rows, d, 0);
                assertArrayEquals(expected, d, 0.0, c.id() + " as doubles");
                float[] f = new float[d.length];
                a.readFloats(0, rows, f, 0);
                assertAllClose(expected, f, c.id() + " as floats");
                if (a.dtype().isIntegral()) {
                    long[] l = new long[d.length];
                    a.readLongs(0, rows, l, 0);
                    for (int i = 0; i < l.length; i++) {
                        assertEquals((long) expected[i], l[i]);
                    }
                }
                if (rows > 2) {
                    double[] part = new double[2 * a.rowSize()];
                    a.readDoubles(1, 2, part, 0);
                    for (int i = 0; i < part.length; i++) {
                        assertEquals(expected[a.rowSize() + i], part[i], 0.0, "rows 1..2");
                    }
                }
            }
        }));
    }

    @Test
    void missingFileAndMismatchedRowsNameTheFiles() {
        Path missing = DIR.resolve("no_such_file.npy");
        LoadException e = assertThrows(LoadException.class, () -> NpyArray.open(missing));
        assertTrue(e.getMessage().contains("no_such_file.npy") && e.getMessage().contains("not found"), e.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> {
            try (NpyArray a = NpyArray.open(DIR.resolve("float64_le.npy"))) {
                a.readLongs(0, 1, new long[3], 0);
            }
        });
        assertTrue(f.getMessage().contains("row 0") && f.getMessage().contains("not an integer"), f.getMessage());
    }
}
