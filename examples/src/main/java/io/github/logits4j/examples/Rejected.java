package io.github.logits4j.examples;

/**
 * A request the {@link ClassifierHttpService} does not serve, with the status and the message the client gets as
 * {@code {"error": "..."}}. No stack trace: it is an answer, not a failure.
 *
 * <pre>{@code
 * throw new Rejected(413, "the body is 2000000 bytes; at most 1048576 bytes are accepted");
 * }</pre>
 */
final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    Rejected(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** The HTTP status: 400, 404, 405, 413 or 503. */
    int status() {
        return status;
    }
}
