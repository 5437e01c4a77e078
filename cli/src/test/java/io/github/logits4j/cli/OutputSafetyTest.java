package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    private static final String[] DIGITS = {"--model", Cli.model("digits_logits"), "--inputs",
        Cli.data("digits_test_x.npy"), "--labels", Cli.data("digits_test_y.npy")};

    private static String[] with(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    private static String hostileNames() {
        List<String> names = new ArrayList<>(List.of("zero" + ESC, "one\u202egnp.exe", "two\rforged", "\u001b[31mred"));
        for (int i = 4; i < 10; i++) {
            names.add("c" + i);
        }
        return String.join(",", names);
    }

    @Test
    void everyTextThatReachesTheTerminalIsEscaped() {
        String names = hostileNames();
        for (String format : new String[] {"text", "json"}) {
            String out = Cli.run(with(with(new String[] {"evaluate"}, DIGITS), "--class-names", names, "--format",
                    format)).ok().out();
            assertFalse(out.contains("\u001b") || out.contains("\u0007") || out.contains("\u202e")
                    || out.contains("\r"), format + ": " + out);
            if (format.equals("json")) {
                Map<String, Object> json = Cli.run(with(with(new String[] {"evaluate"}, DIGITS), "--class-names",
                        names, "--format", "json")).ok().json();
                assertEquals("zero" + ESC, ((List<?>) json.get("class_names")).get(0), "JSON reads back the name");
            } else {
                assertTrue(out.contains("zero\\u001b]0;pwned\\u0007"), out);
            }
        }
        String csv = Cli.run("predict", "--model", Cli.model("digits_logits"), "--inputs",
                Cli.data("digits_test_x.npy"), "--top-k", "10", "--class-names", names).ok().out();
        assertFalse(csv.contains("\u001b") || csv.contains("\u202e") || csv.contains("\r"), csv);
        assertTrue(csv.contains("one\\u202egnp.exe"), csv);
        String err = Cli.run("evaluate", "--model", Cli.model("digits_logits"), "--inputs", dirOf("x" + ESC + ".npy"),
                "--labels", Cli.data("digits_test_y.npy")).fails(Main.EXIT_DATA).err();
        assertTrue(err.contains("x\\u001b]0;pwned\\u0007.npy"), err);
        String usage = Cli.run("evaluate", "--model" + ESC).fails(Main.EXIT_USAGE).err();
        assertFalse(usage.contains("\u001b"), usage);
    }

    private String dirOf(String name) {
        return dir.resolve(name).toString();
    }

    /** A character device {@code major, minor} made in the test's folder, or a skipped test where mknod fails. */
    private Path device(String name, int major, int minor) throws Exception {
        Path dev = dir.resolve(name);
        Process p = new ProcessBuilder("mknod", dev.toString(), "c", String.valueOf(major), String.valueOf(minor))
                .redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0,
                "mknod needs root: the device tests are skipped");
        return dev;
    }

    private static boolean characterDevice(Path p) throws IOException {
        return ((Integer) Files.readAttributes(p, "unix:mode").get("mode") & 0170000) == 0020000;
    }

    @Test
    void aDeviceIsWrittenNotReplacedAndAFullOneIsAnError() throws Exception {
        Path full = device("full", 1, 7);
        Path devNull = device("null", 1, 3);
        Cli.run(with(with(new String[] {"evaluate"}, DIGITS), "--output", full.toString()))
                .fails(Main.EXIT_DATA, full.toString(), "No space left on device");
        assertTrue(characterDevice(full), "the device is still a device");
        Cli.run("tune-thresholds", "--model", Cli.model("digits_attributes_sigmoid"), "--inputs",
                TuneAndCalibrateTest.VAL_X, "--labels", TuneAndCalibrateTest.VAL_TAGS, "--output", full.toString())
                .fails(Main.EXIT_DATA, "No space left on device");
        assertTrue(characterDevice(full), "the device is still a device after tune-thresholds");
        Cli.run(with(with(new String[] {"evaluate"}, DIGITS), "--output", devNull.toString())).ok();
        assertTrue(characterDevice(devNull));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }

    /** Standard output whose writes fail as {@code message} says. */
    private static java.io.OutputStream failing(String message) {
        return new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException(message);
            }
        };
    }

    @Test
    void aStandardOutputThatCannotBeWrittenIsAnErrorButAClosedPipeIsNot() {
        for (String[] args : List.of(with(new String[] {"evaluate"}, DIGITS),
                new String[] {"predict", "--model", Cli.model("digits_logits"), "--inputs",
                    Cli.data("digits_test_x.npy")},
                new String[] {"inspect", "--model", Cli.model("digits_logits")})) {
            Cli.Result r = Cli.runTo(failing("No space left on device"), Map.of(), args);
            assertEquals(Main.EXIT_DATA, r.exit(), args[0] + ": " + r.err());
            assertTrue(r.err().startsWith("error: standard output: cannot write: No space left on device"), r.err());
            Cli.Result pipe = Cli.runTo(failing("Broken pipe"), Map.of(), args);
            assertEquals(0, pipe.exit(), args[0] + ": " + pipe.err());
            assertEquals("", pipe.err(), "a reader that went away (| head) is no error");
        }
    }

    @Test
    void calibrateRefusesOneFileForBothReports() {
        Path same = dir.resolve("same.json");
        Cli.run("calibrate", "--model", Cli.model("digits_logits"), "--inputs", TuneAndCalibrateTest.VAL_X,
                "--labels", TuneAndCalibrateTest.VAL_Y, "--output", same.toString(), "--html", same.toString())
                .fails(Main.EXIT_DATA, "--html names the same file as --output");
        assertFalse(Files.exists(same));
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
