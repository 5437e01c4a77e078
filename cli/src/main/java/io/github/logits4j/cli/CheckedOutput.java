package io.github.logits4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/**
 * Standard output that remembers how writing it failed. A {@link java.io.PrintStream} swallows write errors and only
 * says that one happened ({@code checkError}); this stream keeps the first failure, so the command can tell a reader
 * that went away (a pipe into {@code head}: a broken pipe, which ends the run quietly as other Unix tools do) from a
 * report that was lost ({@code > /dev/full}, a full disk: an error and a non-zero exit).
 *
 * <pre>{@code
 * CheckedOutput stdout = new CheckedOutput(new FileOutputStream(FileDescriptor.out));
 * PrintStream out = new PrintStream(stdout, false, UTF_8);
 * ...
 * if (stdout.lost()) { ... "error: standard output: cannot write: No space left on device" }
 * }</pre>
 *
 * <p>Not thread-safe beyond what its target is: one command writes it.
 */
final class CheckedOutput extends OutputStream {
    private final OutputStream target;
    private IOException failure;

    CheckedOutput(OutputStream target) {
        this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
        try {
            target.write(b);
        } catch (IOException e) {
            throw remember(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            target.write(b, off, len);
        } catch (IOException e) {
            throw remember(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            target.flush();
        } catch (IOException e) {
            throw remember(e);
        }
    }

    private IOException remember(IOException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }

    /** Whether a write failed for another reason than a reader that went away. */
    boolean lost() {
        return failure != null && !brokenPipe(failure);
    }

    /** Why the first write failed, for the error line. */
    String reason() {
        return failure == null ? "" : failure.getMessage() == null ? failure.toString() : failure.getMessage();
    }

    private static boolean brokenPipe(IOException e) {
        String m = e.getMessage();
        return m != null && m.toLowerCase(Locale.ROOT).contains("broken pipe");
    }
}
