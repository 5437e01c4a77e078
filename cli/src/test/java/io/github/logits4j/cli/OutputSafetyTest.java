package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the commands print and write cannot be turned against the user: text from the model is escaped on the
 * terminal, class names that a spreadsheet would run as formulas are neutralised in CSV, and a run stopped by SIGTERM
 * leaves neither a report nor its temporary file.
 */
class OutputSafetyTest {
    @TempDir
    Path dir;

    private static final String ESC = "\u001b]0;pwned\u0007";

    @Test
    void inspectEscapesControlCharactersInNames() {
        List<String> names = new ArrayList<>(List.of("zero" + ESC, "one\nclasses      forged line"));
        for (int i = 2; i < 10; i++) {
            names.add("c" + i);
        }
        String out = Cli.run("inspect", "--model", Cli.model("digits_logits"), "--class-names", String.join(",", names))
                .ok().out();
        assertFalse(out.contains("\u001b") || out.contains("\u0007"), out);
        assertTrue(out.contains("zero\\u001b]0;pwned\\u0007"), out);
        assertTrue(out.contains("one\\u000aclasses      forged line"), out);
        assertEquals(1, out.lines().filter(l -> l.startsWith("classes")).count(), out);
    }

    @Test
    void predictCsvNeutralisesFormulaClassNames() throws Exception {
        List<String> names = new ArrayList<>(List.of("=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)"));
        for (int i = 4; i < 10; i++) {
            names.add("c" + i);
        }
        Path x = NpyFiles.float32(dir.resolve("x.npy"), new float[4 * 64], 4, 64);
        String csv = Cli.run("predict", "--model", Cli.model("digits_logits"), "--inputs", x.toString(), "--top-k",
                "10", "--class-names", String.join(",", names)).ok().out();
        for (String line : csv.lines().skip(1).toList()) {
            for (String field : line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
                String f = field.startsWith("\"") ? field.substring(1) : field;
                assertFalse(f.startsWith("=") || f.startsWith("+") || f.startsWith("@"), line);
            }
        }
        assertTrue(csv.contains("'=HYPERLINK") && csv.contains("'@SUM(A1)"), csv);
        String kept = Cli.run("predict", "--model", Cli.model("digits_logits"), "--inputs", x.toString(), "--top-k",
                "10", "--class-names", String.join(",", names), "--csv-formulas", "keep").ok().out();
        assertTrue(kept.contains(",@SUM(A1),"), kept);
    }

    @Test
    void sigtermLeavesNeitherTheReportNorItsTemporaryFile() throws Exception {
        int rows = 200_000;
        Path x = NpyFiles.float32(dir.resolve("many.npy"), new float[rows * 64], rows, 64);
        Path out = dir.resolve("predictions.csv");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ChildJvm.launcherOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "predict",
                "--model", Cli.model("digits_logits"), "--inputs", x.toString(), "--batch-size", "50", "--output",
                out.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (temporaries().isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(p.isAlive(), "the run ended before it could be stopped");
        assertFalse(temporaries().isEmpty(), "the report's temporary file exists while the run writes");
        p.destroy();                                          // SIGTERM
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(List.of(), temporaries(), "the temporary file is removed");
        assertFalse(Files.exists(out), "no report appears");
    }

    private List<Path> temporaries() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
