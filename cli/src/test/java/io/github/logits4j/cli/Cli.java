package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.logits4j.golden.Golden;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs the command in-process with captured standard output and error. */
final class Cli {
    static final ObjectMapper JSON = new ObjectMapper();

    private Cli() {
    }

    /** What one run printed and returned. */
    record Result(int exit, String out, String err) {
        Result withOut(String text) {
            return new Result(exit, text, err);
        }

        /** The standard output parsed as one JSON object. */
        Map<String, Object> json() {
            try {
                return JSON.readValue(out, new TypeReference<Map<String, Object>>() { });
            } catch (Exception e) {
                throw new AssertionError("standard output is not one JSON object: " + out, e);
            }
        }

        /** Asserts success with nothing on standard error. */
        Result ok() {
            assertEquals(0, exit, () -> "exit code; stderr: " + err);
            assertEquals("", err, "standard error");
            return this;
        }

        /**
         * Asserts a failure with {@code code}: nothing on standard output, one line on standard error that contains
         * every one of {@code parts}, no stack trace.
         */
        Result fails(int code, String... parts) {
            assertEquals(code, exit, () -> "exit code; stderr: " + err);
            assertEquals("", out, "standard output of a failed run");
            assertTrue(err.startsWith("error: "), () -> "stderr: " + err);
            assertTrue(err.endsWith("\n") && err.indexOf('\n') == err.length() - 1, () -> "one line: " + err);
            assertFalse(err.contains("\tat ") || err.contains("Exception"), () -> "no stack trace: " + err);
            for (String p : parts) {
                assertTrue(err.contains(p), () -> "stderr should contain '" + p + "': " + err);
            }
            return this;
        }
    }

    /** Runs {@code args} with the progress bar off. */
    static Result run(String... args) {
        return runWith(Map.of(), args);
    }

    /** Runs {@code args} with the progress bar off and the environment variables {@code env}. */
    static Result runWith(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return runTo(out, env, args).withOut(out.toString(StandardCharsets.UTF_8));
    }

    /**
     * Runs {@code args} with standard output going to {@code stdout}, every write checked as the command line checks
     * the process's standard output; the result's {@code out} is empty.
     */
    static Result runTo(java.io.OutputStream stdout, Map<String, String> env, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main main = new Main(stdout, new PrintStream(err, true, StandardCharsets.UTF_8));
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("LOGITS4J_PROGRESS", "0");
        main.environment(all);
        int exit = main.execute(args);
        return new Result(exit, "", err.toString(StandardCharsets.UTF_8));
    }

    /** The metric {@code key} of a JSON evaluation report. */
    static double metric(Map<String, Object> report, String key) {
        return ((Number) ((Map<?, ?>) report.get("metrics")).get(key)).doubleValue();
    }

    /** The loss of a JSON evaluation report. */
    static double loss(Map<String, Object> report) {
        return ((Number) ((Map<?, ?>) report.get("loss")).get("value")).doubleValue();
    }

    /** {@code testdata/models/NAME.onnx}. */
    static String model(String name) {
        return Golden.testdata().resolve("models").resolve(name + ".onnx").toString();
    }

    /** {@code testdata/data/NAME} (with its extension). */
    static String data(String name) {
        return Golden.testdata().resolve("data").resolve(name).toString();
    }

    /** {@code testdata/data/npy/NAME}. */
    static Path npy(String name) {
        return Golden.testdata().resolve("data").resolve("npy").resolve(name);
    }
}
