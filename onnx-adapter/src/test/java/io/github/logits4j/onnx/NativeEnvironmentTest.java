package io.github.logits4j.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.golden.Golden;
import org.junit.jupiter.api.Test;

/** logits4j holds a reference of its own on ONNX Runtime's environment, released by its exit hook after a drain. */
class NativeEnvironmentTest {

    @Test
    void theEnvironmentIsPinnedOnceAClassifierOpens() throws Exception {
        try (OnnxClassifier m = OnnxClassifier.builder(Golden.testdata().resolve("models/digits_logits.onnx"))
                .build()) {
            assertTrue(m.resolved());
            assertTrue(NativeEnvironment.pinned(), "a reference of logits4j's own holds the native environment");
        }
    }
}
