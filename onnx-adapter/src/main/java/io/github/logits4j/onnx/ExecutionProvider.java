package io.github.logits4j.onnx;

import java.util.Locale;

/**
 * Where ONNX Runtime runs the model.
 *
 * <pre>{@code
 * OnnxClassifier model = OnnxClassifier.builder(path).provider(ExecutionProvider.AUTO).build();
 * ExecutionProvider used = model.provider();       // CPU or CUDA: what really runs
 * }</pre>
 *
 * <p>{@link #CUDA} needs the {@code onnxruntime_gpu} artifact (select it with the Maven property
 * {@code -Donnxruntime.artifactId=onnxruntime_gpu}) and a matching CUDA and cuDNN on the host; when it cannot be used
 * the build fails with ONNX Runtime's own reason. {@link #AUTO} tries CUDA and falls back to the CPU, logging the
 * reason once through SLF4J.
 */
public enum ExecutionProvider {
    /** The CPU provider; always available. */
    CPU,
    /** The CUDA provider on one GPU; an error when it cannot be used. */
    CUDA,
    /** CUDA when it can be used, else the CPU. Never reported as the provider in use. */
    AUTO;

    /** The lowercase name used in reports ({@code "cpu"}, {@code "cuda"}, {@code "auto"}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The provider named {@code text} ({@code cpu}, {@code cuda} or {@code auto}, any case).
     *
     * @throws IllegalArgumentException naming the text and the accepted names
     */
    public static ExecutionProvider parse(String text) {
        for (ExecutionProvider p : values()) {
            if (p.id().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("provider is '" + text + "'; expected auto, cpu or cuda");
    }
}
