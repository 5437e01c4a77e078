package io.github.logits4j.examples;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.LoadException;
import io.github.logits4j.data.NpyArray;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the examples find the bundled models and data, and reading a small {@code .npy} file whole. */
final class ExampleData {
    private ExampleData() {
    }

    /**
     * A file under the bundled {@code testdata} directory: the system property {@code logits4j.testdata} if set,
     * else {@code testdata} in the working directory (the repository root) or its parent (a module directory).
     */
    static Path testdata(String relative) {
        String property = System.getProperty("logits4j.testdata");
        if (property != null) {
            return Path.of(property, relative);
        }
        Path here = Path.of("testdata");
        return (Files.isDirectory(here) ? here : Path.of("..", "testdata")).resolve(relative);
    }

    /**
     * The first {@code maxRows} rows of a {@code .npy} file as a {@code [rows × columns]} float matrix (integer
     * labels become 0f, 1f, ...). {@link NpyArray} reads from a memory map, so only the rows asked for reach the heap.
     */
    static FloatMatrix readMatrix(Path npy, int maxRows) throws LoadException {
        try (NpyArray array = NpyArray.open(npy)) {
            int rows = (int) Math.min(array.rows(), maxRows);
            float[] values = new float[rows * array.rowSize()];
            array.readFloats(0, rows, values, 0);
            return FloatMatrix.wrap(values, rows, array.rowSize());
        }
    }

    /** The whole {@code .npy} file as a float matrix. */
    static FloatMatrix readMatrix(Path npy) throws LoadException {
        return readMatrix(npy, Integer.MAX_VALUE);
    }
}
