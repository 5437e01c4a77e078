package io.github.logits4j;

/**
 * The one checked exception of logits4j: a model or data file could not be loaded (missing, unreadable, corrupt, or
 * not what it must be). The message names the file (or resource) and what was wrong with it; misuse of the API is
 * reported with unchecked {@link IllegalArgumentException} and {@link IllegalStateException} instead.
 *
 * <pre>{@code
 * try (OnnxClassifier model = OnnxClassifier.builder(Path.of("model.onnx")).build()) {
 *     ...
 * } catch (LoadException e) {
 *     System.err.println(e.getMessage());   // "model.onnx: not an ONNX model: ..."
 * }
 * }</pre>
 */
public final class LoadException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A load failure described by {@code message}, which names the file and what was wrong. */
    public LoadException(String message) {
        super(message);
    }

    /** A load failure with its cause (an {@code IOException}, an ONNX Runtime error, ...). */
    public LoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
