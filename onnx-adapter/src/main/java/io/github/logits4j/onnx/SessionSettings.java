package io.github.logits4j.onnx;

import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How to open a model's ONNX Runtime session, for {@link ModelSession}: the file (or null for bytes), the provider
 * and its CUDA device and options, the thread counts (0: ONNX Runtime's choice) and the graph optimisation level;
 * package-private and immutable.
 *
 * <pre>{@code
 * ModelSession s = ModelSession.open(builder.sessionSettings(), bytes, inputs);
 * }</pre>
 */
record SessionSettings(@Nullable Path path, String source, ExecutionProvider provider, int cudaDevice,
        Map<String, String> cudaOptions, int intraOpThreads, int interOpThreads, Optimization optimization) {

    SessionSettings {
        cudaOptions = Map.copyOf(cudaOptions);
    }
}
