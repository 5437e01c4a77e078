package io.github.logits4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM that exits ({@code System.exit}, or SIGTERM) while several threads are inside ONNX Runtime does not crash in
 * native code: ONNX Runtime's own shutdown hook releases the native environment concurrently with the threads still
 * running (onnxruntime #31352), which ended in SIGSEGV; logits4j holds a reference of its own that it releases only
 * after the runs in flight finish. 25 exits and 25 SIGTERMs, each with 4 threads in flight.
 */
class ShutdownTest {
    @TempDir
    Path dir;

    private static final int TRIES = 25;

    private Process start(int threads, long exitAfter) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"));
        command.add("-Dlogits4j.testdata=" + System.getProperty("logits4j.testdata"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ShutdownProbe.class.getName());
        command.add(Integer.toString(threads));
        command.add(Long.toString(exitAfter));
        return new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile()).start();
    }

    private static String awaitRunning(Process p) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = r.readLine()) != null; ) {
            seen.append(line).append('\n');
            if (line.equals("running")) {
                return seen.toString();
            }
        }
        return seen.toString();
    }

    private void check(Process p, String what, int expected) throws Exception {
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), what + ": the child did not end");
        String rest;
        try {
            rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException closed) {
            rest = "";
        }
        List<Path> crashes;
        try (var files = Files.list(dir)) {
            crashes = files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList();
        }
        assertTrue(crashes.isEmpty(), what + ": the JVM crashed: " + crashes + "\n" + rest);
        assertEquals(expected, p.exitValue(), what + ": exit code (134/139: a native crash)\n" + rest);
    }

    @Test
    void exitingWithRunsInFlightDoesNotCrash() throws Exception {
        for (int i = 0; i < TRIES; i++) {
            Process p = start(4, i % 5 * 7);
            String out = awaitRunning(p);
            assertTrue(out.contains("running"), out);
            check(p, "System.exit try " + i, 0);
        }
    }

    @Test
    void sigtermWithRunsInFlightDoesNotCrash() throws Exception {
        for (int i = 0; i < TRIES; i++) {
            Process p = start(4, -1);
            String out = awaitRunning(p);
            assertTrue(out.contains("running"), out);
            Thread.sleep(i % 5 * 7);
            p.destroy();                                    // SIGTERM
            check(p, "SIGTERM try " + i, 143);
        }
    }
}
