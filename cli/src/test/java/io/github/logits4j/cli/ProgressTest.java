package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress bar: only on a terminal, only after a second, cleared at the end. */
class ProgressTest {
    @Test
    void drawnAfterOneSecondAndClearedAtTheEnd() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        try (Progress p = new Progress(new PrintStream(err, true, StandardCharsets.UTF_8), "evaluate", true,
                now::get)) {
            p.update(0.2, 100);
            assertEquals("", err.toString(StandardCharsets.UTF_8), "nothing in the first second");
            now.set(1_500_000_000L);
            p.update(0.5, 250);
            String drawn = err.toString(StandardCharsets.UTF_8);
            assertTrue(drawn.startsWith("\revaluate [###############...............]  50%  250 rows  0:01"), drawn);
            p.update(0.6, 300);
            assertEquals(drawn, err.toString(StandardCharsets.UTF_8), "at most ten times a second");
        }
        assertTrue(err.toString(StandardCharsets.UTF_8).endsWith("\r"), "cleared");
    }

    @Test
    void enabledOnATerminalOrByTheEnvironment() {
        assertTrue(Progress.enabled(Map.of("TERM", "xterm"), true));
        assertFalse(Progress.enabled(Map.of("TERM", "dumb"), true));
        assertFalse(Progress.enabled(Map.of(), false));
        assertTrue(Progress.enabled(Map.of("LOGITS4J_PROGRESS", "1"), false));
        assertFalse(Progress.enabled(Map.of("LOGITS4J_PROGRESS", "0", "TERM", "xterm"), true));
    }

    @Test
    void neverOnStandardOutput() {
        Cli.Result r = Cli.run("evaluate", "--model", Cli.model("digits_logits"), "--inputs",
                Cli.data("digits_test_x.npy"), "--labels", Cli.data("digits_test_y.npy"), "--format", "json");
        assertFalse(r.out().contains("\r"));
    }
}
