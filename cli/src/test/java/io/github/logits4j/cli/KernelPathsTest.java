package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import io.github.logits4j.data.DataSet;
import io.github.logits4j.onnx.EvaluationOptions;
import io.github.logits4j.onnx.EvaluationResult;
import io.github.logits4j.onnx.OnnxClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One model, one number: the command's reports on the bundled models (evaluate's {@code loss} and {@code metrics} for
 * a multi-class logits model, a softmax model, a binary logit model and a multi-label model; the temperature file of
 * calibrate and the thresholds file of tune-thresholds) are the same bit for bit with the scalar kernels and with the
 * Vector API kernels at 128, 256 and 512 bits (a width wider than this CPU's is skipped, saying so), each run in a
 * JVM of its own; and the library's {@link EvaluationResult} of the same data is the command's.
 */
class KernelPathsTest {
    private static final String X = Cli.data("digits_test_x.npy");
    private static final String Y = Cli.data("digits_test_y.npy");

    /** The commands every kernel path runs; files are written into {@code dir}. */
    static List<List<String>> commands(Path dir) {
        return List.of(
                List.of("evaluate", "--model", Cli.model("digits_logits"), "--inputs", X, "--labels", Y,
                        "--format", "json"),
                List.of("evaluate", "--model", Cli.model("digits_softmax"), "--inputs", X, "--labels", Y,
                        "--format", "json"),
                List.of("evaluate", "--model", Cli.model("breast_cancer_logit"), "--task", "binary", "--inputs",
                        Cli.data("breast_cancer_test_x.npy"), "--labels", Cli.data("breast_cancer_test_y.npy"),
                        "--format", "json"),
                List.of("evaluate", "--model", Cli.model("digits_attributes_logits"), "--task", "multilabel",
                        "--inputs", X, "--labels", Cli.data("digits_test_attributes.npy"), "--format", "json"),
                List.of("calibrate", "--model", Cli.model("digits_logits"), "--inputs", Cli.data("digits_val_x.npy"),
                        "--labels", Cli.data("digits_val_y.npy"), "--output", dir.resolve("t.json").toString()),
                List.of("tune-thresholds", "--model", Cli.model("digits_attributes_logits"), "--task", "multilabel",
                        "--inputs", Cli.data("digits_val_x.npy"), "--labels",
                        Cli.data("digits_val_attributes.npy"), "--output", dir.resolve("th.json").toString()));
    }

    /** What one kernel path printed: the header, then per command the part that must not depend on the kernels. */
    private static List<String> run(List<String> jvm) throws Exception {
        ChildJvm.Result r = ChildJvm.mainClass(jvm, KernelPathsProbe.class.getName());
        assertEquals(0, r.exit(), r.err());
        List<String> parts = new ArrayList<>();
        String[] sections = r.out().split("(?m)^=== ");
        parts.add(sections[0].strip());
        for (int i = 1; i < sections.length; i++) {
            String header = sections[i].substring(0, sections[i].indexOf('\n'));
            assertTrue(header.contains(" -> 0 "), header);
            String body = sections[i].substring(header.length() + 1).strip();
            Map<String, Object> json = Cli.JSON.readValue(body, new TypeReference<Map<String, Object>>() { });
            Map<String, Object> kept = new LinkedHashMap<>(json);
            kept.remove("timing");
            parts.add(header.replaceAll("/tmp/\\S+", "FILE") + "\n" + Cli.JSON.writeValueAsString(kept));
        }
        return parts;
    }

    @Test
    void everyKernelPathPrintsTheSameNumbers() throws Exception {
        List<String> scalar = run(List.of("-Dlogits4j.kernels=scalar"));
        assertEquals("kernels scalar 0 hardware 0", scalar.get(0));
        List<String> narrow = run(List.of("--add-modules", "jdk.incubator.vector", "-Dlogits4j.vectorBits=128"));
        int hardware = Integer.parseInt(narrow.get(0).replaceAll(".* hardware ", ""));
        assertTrue(narrow.get(0).startsWith("kernels vector 128 "), narrow.get(0));
        assertEquals(scalar.subList(1, scalar.size()), narrow.subList(1, narrow.size()), "scalar and 128-bit");
        for (int bits : new int[] {256, 512}) {
            if (bits > hardware) {
                System.out.println("[logits4j] KernelPathsTest: " + bits + "-bit vectors skipped: this CPU's widest are "
                        + hardware + " bits");
                continue;
            }
            List<String> wide = run(List.of("--add-modules", "jdk.incubator.vector", "-Dlogits4j.vectorBits=" + bits));
            assertTrue(wide.get(0).startsWith("kernels vector " + bits + " "), wide.get(0));
            assertEquals(scalar.subList(1, scalar.size()), wide.subList(1, wide.size()), "scalar and " + bits + "-bit");
        }

        // the library's result of the first command is the command's
        Map<String, Object> printed = Cli.JSON.readValue(scalar.get(1).substring(scalar.get(1).indexOf('\n') + 1),
                new TypeReference<Map<String, Object>>() { });
        try (OnnxClassifier model = OnnxClassifier.builder(Path.of(Cli.model("digits_logits"))).build();
                DataSet data = DataSet.builder(model).input(Path.of(X)).labels(Path.of(Y)).open()) {
            EvaluationResult r = data.evaluate(model, EvaluationOptions.builder().build());
            assertEquals(((Map<?, ?>) printed.get("loss")).get("value"), r.loss());
            Map<String, Object> metrics = Cli.JSON.readValue(Cli.JSON.writeValueAsString(r.metrics()),
                    new TypeReference<Map<String, Object>>() { });
            assertEquals(printed.get("metrics"), metrics);
        }
    }
}
