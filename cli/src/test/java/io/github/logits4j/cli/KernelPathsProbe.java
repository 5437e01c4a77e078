package io.github.logits4j.cli;

import io.github.logits4j.kernel.Kernels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The child JVM of {@link KernelPathsTest}: runs the commands of {@link KernelPathsTest#COMMANDS} with the kernels
 * this JVM was started with and prints, for each, a header line and what it wrote (its standard output, or the file
 * named after {@code --output}).
 */
public final class KernelPathsProbe {
    private KernelPathsProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("logits4j-kernel-paths");
        System.out.println("kernels " + Kernels.get().name() + " " + Kernels.get().vectorBits() + " hardware "
                + Kernels.hardwareVectorBits());
        for (List<String> command : KernelPathsTest.commands(dir)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            main.environment(Map.of("LOGITS4J_PROGRESS", "0"));
            int exit = main.execute(command.toArray(String[]::new));
            int o = command.indexOf("--output");
            String written = o >= 0 ? Files.readString(Path.of(command.get(o + 1))) : out.toString(StandardCharsets.UTF_8);
            System.out.println("=== " + String.join(" ", command) + " -> " + exit + " " + err.toString(StandardCharsets.UTF_8).strip());
            System.out.println(written);
        }
    }
}
