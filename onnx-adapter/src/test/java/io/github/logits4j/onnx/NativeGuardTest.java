package io.github.logits4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The guard against ONNX Runtime 1.29.0's crash on long command lines. */
class NativeGuardTest {

    @Test
    void theBuildUsesAVersionThatDoesNotCrash() {
        assertEquals("1.28.0", NativeGuard.onnxRuntimeVersion());
        assertEquals("1.28.0", NativeGuard.builtVersion(), "build.properties is filtered by the build (what a shaded"
                + " jar, without ONNX Runtime's manifest, reads)");
        assertTrue(NativeGuard.commandLineLength() > 0);
        assertNull(NativeGuard.problem(NativeGuard.onnxRuntimeVersion(), 1_000_000));
    }

    @Test
    void version1290WithALongCommandLineIsRefusedBeforeNativeCodeRuns() {
        assertNull(NativeGuard.problem("1.29.0", 3000));
        String p = NativeGuard.problem("1.29.0", 5123);
        assertTrue(p.contains("ONNX Runtime 1.29.0") && p.contains("5123 characters") && p.contains("1.28.0")
                && p.contains("@argfile"), p);
    }
}
