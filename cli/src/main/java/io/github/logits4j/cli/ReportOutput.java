package io.github.logits4j.cli;

import io.github.logits4j.data.DataException;
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
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    /** Temporary files not yet committed or removed, deleted by a shutdown hook on SIGINT or SIGTERM. */
    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : PENDING) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException | RuntimeException ignored) {
                    // best effort while the JVM exits
                }
            }
        }, "logits4j-report-cleanup"));
    }

    /**
     * Checks that {@code target} can be written (its directory exists and it is not a directory) and is none of the
     * files the command reads (symbolic and hard links followed), before any work is done.
     *
     * @param reads the files the command reads: the model, its inputs, labels, thresholds and calibration files
     * @throws DataException naming the file if it cannot be written, or would overwrite an input
     */
    static void check(Path target, Collection<Path> reads) {
        if (target == null) {
            return;
        }
        Path real = resolve(target);
        for (Path in : reads) {
            if (in != null && sameFile(real, in)) {
                throw new DataException(target + ": --output names " + (real.equals(target) ? "" : "(through a link) ")
                        + "the file " + in + " that this command reads; choose another file for the report");
            }
        }
        check(target);
    }

    /** Whether {@code a} and {@code b} are the same file (links followed); false if either does not exist. */
    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Where writing {@code target} really writes: a symbolic link is followed to its file, so the report replaces the
     * file and the link stays.
     *
     * @throws DataException if {@code target} is a link to a missing file
     */
    static Path resolve(Path target) {
        if (!Files.isSymbolicLink(target)) {
            return target;
        }
        try {
            return target.toRealPath();
        } catch (IOException e) {
            throw new DataException(target + ": is a symbolic link to a file that does not exist; refusing to"
                    + " replace the link with the report");
        }
    }

    /**
     * Checks that {@code target} can be written (its directory exists and it is not a directory).
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
        target = resolve(target);
        Path dir = directory(target);
        String name = target.getFileName().toString();
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + ".tmp");
            try {
                Files.createFile(temp);
                PENDING.add(temp);
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
            keepPermissions();
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
            PENDING.remove(temp);
        } catch (IOException e) {
            throw new DataException(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Gives the new file the permissions of the one it replaces (the temporary file starts with the umask's). */
    private void keepPermissions() {
        if (!Files.exists(target)) {
            return;
        }
        try {
            Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: the platform's defaults apply
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
            PENDING.remove(temp);
        } catch (IOException e) {
            throw new UncheckedIOException(temp + ": cannot delete the unfinished report", e);
        }
    }
}
