package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime's native log lines (its coloured "[W:onnxruntime:...] Removing initializer" warnings) do not reach
 * standard error ahead of, or instead of, logits4j's own one-line output: the native level follows logits4j's logger
 * (fatal only, unless {@code --verbose}).
 */
class NativeLogTest {

    @Test
    void onnxRuntimeWarningsStayOffStandardError() throws Exception {
        String model = Cli.model("unused_initializer");
        ChildJvm.Result quiet = ChildJvm.main(List.of(), "inspect", "--model", model);
        assertEquals(0, quiet.exit(), quiet.err());
        assertEquals("", quiet.err(), "standard error of a clean inspect");
        assertTrue(quiet.out().contains("output kind  probabilities"), quiet.out());

        ChildJvm.Result failed = ChildJvm.main(List.of(), "evaluate", "--model", model, "--inputs",
                Cli.data("digits_test_x.npy"), "--labels", Cli.data("breast_cancer_test_y.npy"));
        assertEquals(Main.EXIT_DATA, failed.exit(), failed.err());
        assertTrue(failed.err().startsWith("error: ") && failed.err().indexOf('\n') == failed.err().length() - 1,
                "one line: " + failed.err());

        ChildJvm.Result verbose = ChildJvm.main(List.of(), "inspect", "--verbose", "--model", model);
        assertEquals(0, verbose.exit(), verbose.err());
        assertTrue(verbose.err().contains("Removing initializer 'unused'"), "--verbose shows ONNX Runtime's warnings: "
                + verbose.err());
    }

    @Test
    void autoLogsItsCudaFallbackOnceWithoutVerbose() throws Exception {
        ChildJvm.Result r = ChildJvm.main(List.of(), "evaluate", "--provider", "auto", "--model",
                Cli.model("digits_logits"), "--inputs", Cli.data("digits_test_x.npy"), "--labels",
                Cli.data("digits_test_y.npy"), "--batch-size", "50");
        assertEquals(0, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), "one warning line: " + r.err());
        assertTrue(r.err().contains("WARN") && r.err().contains("CUDA execution provider unavailable, running on the"
                + " CPU"), r.err());
        ChildJvm.Result cpu = ChildJvm.main(List.of(), "inspect", "--model", Cli.model("digits_logits"));
        assertEquals("", cpu.err(), "the default provider (cpu) logs nothing");
    }
}
