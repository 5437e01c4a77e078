package io.github.logits4j.onnx;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * ONNX Runtime's graph optimisation level.
 *
 * <pre>{@code
 * OnnxClassifier.builder(path).optimization(Optimization.BASIC).build();
 * }</pre>
 */
public enum Optimization {
    /** No graph optimisation. */
    NONE(OptLevel.NO_OPT),
    /** Constant folding and redundant-node elimination. */
    BASIC(OptLevel.BASIC_OPT),
    /** Basic plus node fusions. */
    EXTENDED(OptLevel.EXTENDED_OPT),
    /** Everything, including layout optimisations; ONNX Runtime's default. */
    ALL(OptLevel.ALL_OPT);

    private final OptLevel level;

    Optimization(OptLevel level) {
        this.level = level;
    }

    OptLevel level() {
        return level;
    }
}
