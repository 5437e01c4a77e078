package io.github.logits4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link Main} in a child JVM with this test's class path, to see what reaches the real standard error (ONNX
 * Runtime's native log lines bypass {@code System.err}) and how the process ends.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /** The options the ./logits4j launcher passes for this JDK (no JDK warnings ahead of the output). */
    static List<String> launcherOptions() {
        List<String> options = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 23) {
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        return options;
    }

    /** What the child printed and how it exited. */
    record Result(int exit, String out, String err) {
    }

    /** Runs {@code Main} with {@code jvmOptions} and {@code args}; fails after 120 s. */
    static Result main(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        return mainClass(jvmOptions, Main.class.getName(), args);
    }

    /** Runs the class {@code main} of this test's class path with {@code jvmOptions} and {@code args}. */
    static Result mainClass(List<String> jvmOptions, String main, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(launcherOptions());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main);
        command.addAll(List.of(args));
        Path out = Files.createTempFile("logits4j-child", ".out");
        Path err = Files.createTempFile("logits4j-child", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the child JVM did not end within 120 s: " + command);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
