package io.github.logits4j.examples;

import io.github.logits4j.golden.Golden;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The golden case of a bundled model ({@code testdata/golden/models.json}), files under testdata, and main output. */
final class ModelGoldens {
    private static final Golden MODELS = Golden.load("models");

    private ModelGoldens() {
    }

    /** The case of {@code models/ID.onnx}: raw outputs and probabilities for 64 test rows, metrics over the split. */
    static Golden.Case of(String id) {
        return MODELS.cases("model").stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no golden case for model " + id));
    }

    static Path file(String relative) {
        return Golden.testdata().resolve(relative);
    }

    /** What {@code main} printed to System.out. */
    static String mainOutput(ThrowingMain main) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            main.run(new String[0]);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** A {@code main} method. */
    interface ThrowingMain {
        void run(String[] args) throws Exception;
    }
}
