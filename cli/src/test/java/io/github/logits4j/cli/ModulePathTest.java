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
 * with the Vector API kernels, which the core module reads only when asked to; the core module requires no automatic
 * module (commons-math3's Brent's method is inside it, relocated), so a JPMS build that uses logits4j is not warned
 * about filename-based automodules, and temperature scaling runs from inside the module.
 */
class ModulePathTest {

    private static List<String> modulePath() {
        List<String> path = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.endsWith("test-classes") && !entry.contains("surefire")) {
                path.add(entry);               // test classes would split the cli module's package
            }
        }
        return path;
    }

    @Test
    void theCoreModuleRequiresNoAutomaticModule() {
        java.lang.module.ModuleDescriptor core = java.lang.module.ModuleFinder.of(modulePath().stream().map(Path::of)
                .toArray(Path[]::new)).find("io.github.logits4j.core").orElseThrow().descriptor();
        List<String> required = core.requires().stream().map(java.lang.module.ModuleDescriptor.Requires::name)
                .sorted().toList();
        assertEquals(List.of("java.base", "org.jspecify"), required, core.toString());
    }

    @Test
    void theCommandRunsAsAModuleWithTheVectorKernels() throws Exception {
        List<String> path = modulePath();
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

    @Test
    void temperatureScalingRunsInsideTheCoreModule() throws Exception {
        Path fit = Files.createTempFile("logits4j-module", ".json");
        Path err = Files.createTempFile("logits4j-module", ".err");
        try {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(ChildJvm.launcherOptions());
            command.addAll(List.of("-p", String.join(File.pathSeparator, modulePath()), "-m",
                    "io.github.logits4j.cli/" + Main.class.getName(), "calibrate", "--model",
                    Cli.model("digits_logits"), "--inputs", Cli.data("digits_test_x.npy"), "--labels",
                    Cli.data("digits_test_y.npy"), "--output", fit.toString()));
            Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(err.toFile()).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM did not end within 120 s");
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), stderr);
            assertTrue(Files.readString(fit, StandardCharsets.UTF_8).contains("\"temperature\""));
        } finally {
            Files.deleteIfExists(fit);
            Files.deleteIfExists(err);
        }
    }
}
