package io.github.logits4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where a command writes its report: standard output, or a file that appears whole or not at all. A file report is
 * written to a temporary file in the target's directory and moved over the target atomically by {@link #commit()};
 * closing without a commit (an error on the way) deletes the temporary file, so a report file is never partial. On
 * standard output, text is held until {@link #flushRows()} or {@link #commit()}, so a failure drops the unfinished
 * part and what was printed ends with whole lines.
 *
 * <pre>{@code
 * try (ReportOutput report = ReportOutput.open(Path.of("report.json"), System.out)) {
 *     report.writer().write(json);
 *     report.commit();
 * }
 * }</pre>
 */
final class ReportOutput implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final Writer writer;
    private final PrintStream stdout;
    private boolean committed;

    private ReportOutput(Path target, Path temp, Writer writer, PrintStream stdout) {
        this.target = target;
        this.temp = temp;
        this.writer = writer;
        this.stdout = stdout;
    }

    /**
     * Checks that {@code target} can be written (its directory exists and it is not a directory) before any work is
     * done.
     *
     * @throws DataException naming the file if it cannot be
     */
    static void check(Path target) {
        if (target == null) {
            return;
        }
        if (Files.isDirectory(target)) {
            throw new DataException(target + ": is a directory; expected a file name for the report");
        }
        Path dir = directory(target);
        if (!Files.isDirectory(dir)) {
            throw new DataException(target + ": the directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new DataException(target + ": the directory " + dir + " is not writable");
        }
    }

    private static Path directory(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        return dir == null ? Path.of(".").toAbsolutePath() : dir;
    }

    /**
     * A report to {@code target}, or to {@code stdout} when {@code target} is null.
     *
     * @throws DataException if the temporary file cannot be created
     */
    static ReportOutput open(Path target, PrintStream stdout) {
        if (target == null) {
            return new ReportOutput(null, null, new StringWriter(), stdout);
        }
        check(target);
        Path dir = directory(target);
        String name = target.getFileName().toString();
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + ".tmp");
            try {
                Files.createFile(temp);
                Writer w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
                return new ReportOutput(target, temp, w, null);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 10) {
                    throw new DataException(target + ": cannot create a temporary file in " + dir, e);
                }
            } catch (IOException e) {
                throw new DataException(target + ": cannot write: " + e.getMessage(), e);
            }
        }
    }

    /** The writer of the report. */
    Writer writer() {
        return writer;
    }

    /** Whether the report goes to standard output. */
    boolean isStdout() {
        return target == null;
    }

    /** Prints what was written so far to standard output (whole rows, at a chunk's end); nothing for a file. */
    void flushRows() {
        if (stdout != null) {
            StringBuffer held = ((StringWriter) writer).getBuffer();
            stdout.print(held);
            stdout.flush();
            held.setLength(0);
        }
    }

    /** Whether standard output was closed by its reader (a pipe into {@code head}); never for a file. */
    boolean readerGone() {
        return stdout != null && stdout.checkError();
    }

    /**
     * Finishes the report: flushes standard output, or moves the file into place atomically.
     *
     * @throws DataException if the file cannot be written or moved
     */
    void commit() {
        try {
            if (target == null) {
                flushRows();
                committed = true;
                return;
            }
            writer.close();
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
        } catch (IOException e) {
            throw new DataException(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Deletes the temporary file unless the report was committed. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        if (target == null) {
            return;                                   // what was not flushed is dropped: an unfinished chunk
        }
        try {
            writer.close();
        } catch (IOException ignored) {
            // deleted next
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            throw new UncheckedIOException(temp + ": cannot delete the unfinished report", e);
        }
    }
}
