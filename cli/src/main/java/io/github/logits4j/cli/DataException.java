package io.github.logits4j.cli;

/**
 * A model or data file that the command cannot use: its message names the file and what is wrong, and the command
 * exits with code 3. Unchecked, so that it can leave the iterators that stream the data.
 *
 * <pre>{@code
 * throw new DataException(file + ": line 17 has 63 fields; expected 65, like line 1");
 * }</pre>
 */
final class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}, which names the file and the problem. */
    DataException(String message) {
        super(message);
    }

    /** A failure with its cause. */
    DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
