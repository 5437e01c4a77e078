package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The module descriptors hold at run time: the command runs as the module {@code io.github.logits4j.cli} on the module
 * path (logits4j's own modules, ONNX Runtime, FastCSV, picocli and Jackson resolved from their descriptors or names),
 * with the Vector API kernels, which the core module reads only when asked to.
 */
class ModulePathTest {

    @Test
    void theCommandRunsAsAModuleWithTheVectorKernels() throws Exception {
        List<String> path = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.endsWith("test-classes") && !entry.contains("surefire")) {
                path.add(entry);               // test classes would split the cli module's package
            }
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ChildJvm.launcherOptions());
        command.addAll(List.of("-Dlogits4j.kernels=vector", "--add-modules", "jdk.incubator.vector",
                "-p", String.join(File.pathSeparator, path), "-m", "io.github.logits4j.cli/" + Main.class.getName(),
                "evaluate", "--model", Cli.model("digits_logits"), "--inputs", Cli.data("digits_test_x.npy"),
                "--labels", Cli.data("digits_test_y.npy"), "--format", "json"));
        Path out = Files.createTempFile("logits4j-module", ".out");
        Path err = Files.createTempFile("logits4j-module", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM did not end within 120 s");
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), stderr);
            assertTrue(stdout.contains("\"accuracy\" : 0.9666666666666667")
                    || stdout.contains("\"accuracy\": 0.9666666666666667"), stdout);
            assertTrue(!stderr.contains("Exception"), stderr);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
