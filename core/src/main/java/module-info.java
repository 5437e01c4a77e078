/**
 * logits4j core: activations, losses, decision rules, streaming metrics and their reports, threshold tuning and
 * temperature scaling over classifier outputs, with the semantics of PyTorch and scikit-learn.
 *
 * <pre>{@code
 * requires io.github.logits4j.core;
 * }</pre>
 *
 * <p>The {@code kernel} package (numeric kernels, argument checks) is exported only to logits4j's own modules. The
 * Vector API kernels are used when the JVM is started with {@code --add-modules jdk.incubator.vector}. The part of
 * commons-math3 that temperature scaling uses (Brent's method) is inside this module, relocated to
 * {@code io.github.logits4j.internal.math3} and not exported, so the module requires no automatic module: commons-math3
 * 3.6.1 has no module name, and requiring it made every JPMS build that uses logits4j warn.
 */
module io.github.logits4j.core {
    requires static transitive org.jspecify;

    exports io.github.logits4j;
    exports io.github.logits4j.activation;
    exports io.github.logits4j.calibration;
    exports io.github.logits4j.conformal;
    exports io.github.logits4j.decision;
    exports io.github.logits4j.loss;
    exports io.github.logits4j.metrics;
    exports io.github.logits4j.tuning;
    exports io.github.logits4j.kernel to io.github.logits4j.onnx, io.github.logits4j.cli;
}
