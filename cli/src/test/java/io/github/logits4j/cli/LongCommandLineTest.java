package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A JVM whose command line is far longer than 4 KB (an IDE's or Spark's {@code -cp} of many jars, a long {@code -D})
 * runs logits4j: ONNX Runtime 1.29.0 died there with SIGSEGV (exit 139) in its native initialisation, so logits4j
 * depends on 1.28.0.
 */
class LongCommandLineTest {

    @Test
    void aLongCommandLineDoesNotCrashOnnxRuntime() throws Exception {
        ChildJvm.Result r = ChildJvm.main(List.of("-Dlogits4j.note=" + "x".repeat(20_000)), "evaluate", "--model",
                Cli.model("digits_logits"), "--inputs", Cli.data("digits_test_x.npy"), "--labels",
                Cli.data("digits_test_y.npy"), "--format", "json");
        assertEquals(0, r.exit(), "exit code (139 is the native crash); stderr: " + r.err());
        assertTrue(r.out().contains("\"accuracy\""), r.out());
    }
}
