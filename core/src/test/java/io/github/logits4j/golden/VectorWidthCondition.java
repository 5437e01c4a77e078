package io.github.logits4j.golden;

import io.github.logits4j.kernel.Kernels;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a test run that asks for wider vectors ({@code -Dlogits4j.vectorBits}) than this CPU has, saying so once on
 * standard output: the build runs the suites at 128, 256 and 512 bits, and a machine without AVX-512 cannot run the
 * last. Registered for every test through the service file and {@code junit.jupiter.extensions.autodetection.enabled}.
 */
public final class VectorWidthCondition implements ExecutionCondition {
    private static final AtomicBoolean SAID = new AtomicBoolean();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String requested = System.getProperty("logits4j.vectorBits", "").strip();
        if (requested.isEmpty()) {
            return ConditionEvaluationResult.enabled("no vector width requested");
        }
        int hardware = Kernels.hardwareVectorBits();
        if (Integer.parseInt(requested) <= hardware) {
            return ConditionEvaluationResult.enabled(requested + "-bit vectors on a CPU with " + hardware);
        }
        String reason = "logits4j.vectorBits=" + requested + " skipped: this CPU's widest float vectors are "
                + hardware + " bits";
        if (SAID.compareAndSet(false, true)) {
            System.out.println("[logits4j] " + reason + "; the " + requested + "-bit kernel run is skipped");
        }
        return ConditionEvaluationResult.disabled(reason);
    }
}
