package io.github.logits4j.spark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.logits4j.data.DataSet;
import io.github.logits4j.golden.Golden;
import io.github.logits4j.onnx.EvaluationOptions;
import io.github.logits4j.onnx.EvaluationResult;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.spark.SparkSessions;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar runs under {@code spark-submit} ({@code org.apache.spark.deploy.SparkSubmit}, what the script runs) in a
 * child JVM whose command line carries Spark's jars one by one, as executors are started: a command line far longer
 * than the 4 KB that crashes ONNX Runtime 1.29.0. The report equals single-machine evaluation of the same rows.
 */
class EvaluateJobIT {
    @TempDir
    Path dir;

    @Test
    void theJobJarRunsUnderSparkSubmitWithALongCommandLine() throws Exception {
        Path jobJar = Path.of(System.getProperty("logits4j.jobJar"));
        assertTrue(Files.isRegularFile(jobJar), "no job jar at " + jobJar + "; run mvn verify");
        Path data = Golden.testdata().resolve("data");
        float[][] x = SparkSessions.floats("digits_test_x.npy");
        float[][] y = SparkSessions.floats("digits_test_y.npy");
        StringBuilder csv = new StringBuilder();
        List<String> columns = new ArrayList<>();
        for (int j = 0; j < 64; j++) {
            columns.add("p" + j);
        }
        csv.append(String.join(",", columns)).append(",label\n");
        for (int r = 0; r < x.length; r++) {
            for (float v : x[r]) {
                csv.append(v).append(',');
            }
            csv.append((int) y[r][0]).append('\n');
        }
        Path table = Files.writeString(dir.resolve("digits.csv"), csv);

        // Spark's jars, one by one, as the class path of the child; logits4j and ONNX Runtime come from the job jar
        List<String> spark = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (entry.endsWith(".jar") && !name.startsWith("logits4j") && !name.startsWith("onnxruntime")
                    && !name.startsWith("protobuf-java") && !name.startsWith("fastcsv") && !name.startsWith("picocli")
                    && !name.startsWith("junit") && !name.startsWith("opentest4j") && !name.startsWith("surefire")) {
                spark.add(entry);
            }
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(System.getProperty("logits4j.sparkJvm").trim().split("\\s+")));
        command.addAll(List.of("-cp", String.join(File.pathSeparator, spark), "org.apache.spark.deploy.SparkSubmit",
                "--master", "local[2]", "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1",
                "--class", "io.github.logits4j.spark.jobs.EvaluateJob", jobJar.toString(),
                "--model", SparkSessions.model("digits_logits.onnx"), "--table", table.toString(),
                "--feature-cols", String.join(",", columns), "--rank-metrics", "exact", "--format", "json",
                "--partitions", "3"));
        int length = String.join(" ", command).length();
        assertTrue(length > 8_000, "the command line is only " + length + " characters");
        Process p = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the job did not finish in 3 minutes");
        String out = Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8);
        String err = Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "exit " + p.exitValue() + "; stderr:\n" + err);
        @SuppressWarnings("unchecked")
        Map<String, Object> report = new ObjectMapper().readValue(out, Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) report.get("metrics");

        try (OnnxClassifier m = OnnxClassifier.builder(Path.of(SparkSessions.model("digits_logits.onnx"))).build();
                DataSet d = DataSet.builder(m).input(data.resolve("digits_test_x.npy"))
                        .labels(data.resolve("digits_test_y.npy")).open()) {
            EvaluationResult expected = d.evaluate(m, EvaluationOptions.defaults());
            assertEquals(360, ((Number) report.get("samples")).intValue());
            assertEquals(expected.multiclassReport().accuracy(), (Double) metrics.get("accuracy"), 0.0);
            assertEquals(expected.loss(), (Double) ((Map<?, ?>) report.get("loss")).get("value"), 1e-12);
            assertEquals(expected.metrics().get("macro_roc_auc_ovr"), metrics.get("macro_roc_auc_ovr"));
        }
        System.out.println("EvaluateJobIT: command line of " + length + " characters, " + spark.size() + " jars");

        // a bad row: one line on standard error, Spark's task-failure logging out of the way (issue 22)
        Path bad = Files.writeString(dir.resolve("bad.csv"), csv.toString().replaceFirst("\n([^\n]*),\\d+\n",
                "\n$1,10\n"));
        List<String> badRun = new ArrayList<>(command.subList(0, command.indexOf("--table") + 1));
        badRun.add(bad.toString());
        badRun.addAll(List.of("--feature-cols", String.join(",", columns), "--format", "json"));
        Process q = new ProcessBuilder(badRun).redirectError(dir.resolve("bad.err").toFile())
                .redirectOutput(dir.resolve("bad.out").toFile()).start();
        assertTrue(q.waitFor(3, TimeUnit.MINUTES), "the job did not finish in 3 minutes");
        String badErr = Files.readString(dir.resolve("bad.err"), StandardCharsets.UTF_8);
        assertEquals(3, q.exitValue(), badErr);
        // what spark-submit prints before the job starts (its log4j profile, the host name) is Spark's; from there on
        // the job's one line is all, but for the JVM's own "WARNING:" lines (JDK 24 and later warn when Spark calls
        // sun.misc.Unsafe), which no Java program can keep off standard error
        List<String> lines = badErr.lines().filter(l -> !l.startsWith("WARNING: ")).toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("error: partition ") && last.contains("expected a class index from 0 to 9"), badErr);
        assertEquals(1, lines.stream().filter(l -> l.contains("error") || l.contains("ERROR") || l.contains("Exception")
                || l.startsWith("\tat ")).count(), "one error line on standard error:\n" + badErr);
        int quiet = lines.indexOf("Setting Spark log level to \"WARN\".");
        assertEquals(lines.size() - 2, quiet, "after Spark's start, nothing but the error:\n" + badErr);
        badRun.add("--verbose");
        Process v = new ProcessBuilder(badRun).redirectError(dir.resolve("verbose.err").toFile())
                .redirectOutput(dir.resolve("verbose.out").toFile()).start();
        assertTrue(v.waitFor(3, TimeUnit.MINUTES), "the job did not finish in 3 minutes");
        String verbose = Files.readString(dir.resolve("verbose.err"), StandardCharsets.UTF_8);
        assertEquals(3, v.exitValue(), verbose);
        assertTrue(verbose.contains("\tat ") && verbose.lines().count() > 1, "--verbose shows the trace:\n"
                + verbose);
    }
}
