package io.github.logits4j.cli;

import io.github.logits4j.SafeText;
import io.github.logits4j.data.DataException;
import java.io.IOException;
import java.io.OutputStream;
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
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where a command writes its report: standard output, or a file that appears whole or not at all. A file report is
 * written to a temporary file in the target's directory and moved over the target atomically by {@link #commit()};
 * closing without a commit (an error on the way) deletes the temporary file, so a report file is never partial. A
 * target that exists and is not a regular file (a character device such as {@code /dev/null}, a FIFO) is never
 * replaced: the finished report is written into it directly, and a failed write is an error. On
 * standard output, text is held until {@link #flushRows()} or {@link #commit()}, so a failure drops the unfinished
 * part and what was printed ends with whole lines. A binary file ({@link #openBytes}: {@code .npy} masks) is written
 * the same way through {@link #stream()}, into a special file directly as it comes.
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
    /** The report goes into a special file (a device, a FIFO) directly, without a temporary file. */
    private final boolean special;
    /** The binary stream of {@link #openBytes} (null for text). */
    private final OutputStream bytes;
    private boolean committed;

    /** The writer the text finally reaches (under an escaping writer, the one it escapes into). */
    private final Writer sink;

    private ReportOutput(Path target, Path temp, Writer writer, PrintStream stdout, boolean special) {
        this(target, temp, writer, stdout, special, writer, null);
    }

    private ReportOutput(Path target, Path temp, Writer writer, PrintStream stdout, boolean special, Writer sink,
            OutputStream bytes) {
        this.target = target;
        this.temp = temp;
        this.writer = writer;
        this.stdout = stdout;
        this.special = special;
        this.sink = sink;
        this.bytes = bytes;
    }

    /** Escapes control and bidi-override characters on their way to the report (see {@link #open}). */
    private static final class SafeWriter extends Writer {
        private final Writer out;

        SafeWriter(Writer out) {
            this.out = out;
        }

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            java.nio.CharBuffer text = java.nio.CharBuffer.wrap(buf, off, len);
            if (SafeText.firstUnsafe(text, 0, len, true) < 0) {
                out.write(buf, off, len);                 // the usual case: written through, no copy
            } else {
                out.write(SafeText.escape(text, true));
            }
        }

        @Override
        public void write(String str, int off, int len) throws IOException {
            if (SafeText.firstUnsafe(str, off, off + len, true) < 0) {
                out.write(str, off, len);
            } else {
                out.write(SafeText.escape(str.subSequence(off, off + len), true));
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
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
        if (special(target)) {
            if (!Files.isWritable(target)) {
                throw new DataException(target + ": is a " + kind(target) + " that is not writable");
            }
            return;
        }
        Path dir = directory(target);
        if (!Files.isDirectory(dir)) {
            throw new DataException(target + ": the directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new DataException(target + ": the directory " + dir + " is not writable");
        }
    }

    /**
     * Checks that two report files of one command ({@code --output} and {@code --html}) are not the same file, which
     * the second would overwrite.
     *
     * @throws DataException naming both options
     */
    static void checkDistinct(Path first, String firstOption, Path second, String secondOption) {
        if (first == null || second == null) {
            return;
        }
        Path a = resolve(first).toAbsolutePath().normalize();
        Path b = resolve(second).toAbsolutePath().normalize();
        if (a.equals(b) || sameFile(a, b)) {
            throw new DataException(second + ": " + secondOption + " names the same file as " + firstOption + " ("
                    + first + "), which it would overwrite; choose two files");
        }
    }

    /** Whether {@code target} exists and is not a regular file or directory (a device, a FIFO, a socket). */
    private static boolean special(Path target) {
        Path real = target;
        try {
            real = target.toRealPath();
        } catch (IOException e) {
            return false;
        }
        return Files.exists(real) && !Files.isRegularFile(real) && !Files.isDirectory(real);
    }

    private static String kind(Path target) {
        try {
            Object type = Files.readAttributes(target, "unix:mode").get("mode");
            int mode = type instanceof Integer m ? m : 0;
            return switch (mode & 0170000) {
                case 0020000 -> "character device";
                case 0060000 -> "block device";
                case 0010000 -> "FIFO";
                case 0140000 -> "socket";
                default -> "special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "special file";
        }
    }

    private static Path directory(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        return dir == null ? Path.of(".").toAbsolutePath() : dir;
    }

    /**
     * A report to {@code target}, or to {@code stdout} when {@code target} is null, in which control and bidi-override
     * characters are written as visible {@code \}{@code uXXXX} escapes (line feeds and tabs kept): the one rule for
     * text that reaches a terminal, for text, CSV and JSON reports alike (JSON stays valid JSON).
     *
     * @throws DataException if the temporary file cannot be created
     */
    static ReportOutput open(Path target, PrintStream stdout) {
        ReportOutput r = openRaw(target, stdout);
        return new ReportOutput(r.target, r.temp, new SafeWriter(r.writer), r.stdout, r.special, r.writer, null);
    }

    /**
     * A binary file ({@link #stream()}) that appears whole or not at all, as a text report to a file.
     *
     * @throws DataException if the file cannot be created
     */
    static ReportOutput openBytes(Path target) {
        check(target);
        Path real = resolve(target);
        try {
            if (special(real)) {
                return new ReportOutput(real, null, null, null, true, null,
                        new java.io.BufferedOutputStream(Files.newOutputStream(real, StandardOpenOption.WRITE),
                                1 << 16));
            }
            Path temp = createTemp(real);
            return new ReportOutput(real, temp, null, null, false, null,
                    new java.io.BufferedOutputStream(Files.newOutputStream(temp), 1 << 16));
        } catch (IOException e) {
            throw new DataException(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** The stream of a binary file ({@link #openBytes}). */
    OutputStream stream() {
        return bytes;
    }

    /**
     * A report written as it is given: for an HTML page, which escapes what it embeds itself ({@link HtmlReport}).
     *
     * @throws DataException if the temporary file cannot be created
     */
    static ReportOutput openRaw(Path target, PrintStream stdout) {
        if (target == null) {
            return new ReportOutput(null, null, new StringWriter(), stdout, false);
        }
        check(target);
        target = resolve(target);
        if (special(target)) {
            return new ReportOutput(target, null, new StringWriter(), null, true);
        }
        try {
            Path temp = createTemp(target);
            return new ReportOutput(target, temp, Files.newBufferedWriter(temp, StandardCharsets.UTF_8), null, false);
        } catch (IOException e) {
            throw new DataException(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    /**
     * A new empty temporary file beside {@code target}, with the umask's permissions, deleted on SIGINT or SIGTERM
     * until committed or closed.
     */
    private static Path createTemp(Path target) throws IOException {
        Path dir = directory(target);
        String name = target.getFileName().toString();
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + ".tmp");
            try {
                Files.createFile(temp);
                PENDING.add(temp);
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 10) {
                    throw new DataException(target + ": cannot create a temporary file in " + dir, e);
                }
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
            StringBuffer held = ((StringWriter) sink).getBuffer();
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
            if (this.bytes != null) {
                this.bytes.close();                   // a special file's stream: written as it came
            }
            if (special && this.bytes != null) {
                committed = true;
                return;
            }
            if (special) {
                // a device or FIFO: written in place (never renamed over), each byte checked
                byte[] bytes = ((StringWriter) sink).toString().getBytes(StandardCharsets.UTF_8);
                try (OutputStream o = Files.newOutputStream(target, StandardOpenOption.WRITE)) {
                    o.write(bytes);
                }
                committed = true;
                return;
            }
            if (writer != null) {
                writer.close();
            }
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
        try {
            if (bytes != null) {
                bytes.close();
            }
        } catch (IOException ignored) {
            // deleted next, or a special file that keeps what it got
        }
        if (target == null || special) {
            return;                                   // what was not flushed or written is dropped
        }
        try {
            if (writer != null) {
                writer.close();
            }
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
