package io.github.logits4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes decided masks (one class index per position) as a {@code .npy} file of little-endian int64, shape
 * {@code [N, d1..dk]}, whole or not at all: the rows go to a temporary file beside the target, moved over it by
 * {@link #commit()}; {@link #close()} without a commit deletes it, leaving any existing file as it was.
 *
 * <pre>{@code
 * try (NpyMasks masks = NpyMasks.open(Path.of("masks.npy"), 8, new long[] {64, 64})) {
 *     masks.write(decided, 0, 8 * 64 * 64);
 *     masks.commit();
 * }
 * }</pre>
 */
final class NpyMasks implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final OutputStream out;
    private final long expected;
    private long written;
    private boolean committed;

    private NpyMasks(Path target, Path temp, OutputStream out, long expected) {
        this.target = target;
        this.temp = temp;
        this.out = out;
        this.expected = expected;
    }

    /**
     * Starts the file for {@code samples} masks of {@code dims} positions each.
     *
     * @throws IOException if the temporary file cannot be created
     */
    static NpyMasks open(Path target, long samples, long[] dims) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        // created with the umask's permissions (a temp-file API would make it private to its owner)
        Path temp = dir.resolve("." + target.getFileName() + "."
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".part");
        Files.createFile(temp);
        OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
        StringBuilder shape = new StringBuilder("(").append(samples);
        long per = 1;
        for (long d : dims) {
            shape.append(", ").append(d);
            per *= d;
        }
        shape.append(dims.length == 0 ? ",)" : ")");
        String dict = "{'descr': '<i8', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer head = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        head.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) header.length());
        out.write(head.array());
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        return new NpyMasks(target, temp, out, samples * per);
    }

    /** Appends {@code count} class indices from {@code values[from ..]}. */
    void write(int[] values, int from, int count) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 * count).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = from; i < from + count; i++) {
            b.putLong(values[i]);
        }
        out.write(b.array());
        written += count;
    }

    /**
     * Moves the finished file over the target.
     *
     * @throws IOException if it cannot be moved, or fewer values were written than the shape holds
     */
    void commit() throws IOException {
        out.close();
        if (written != expected) {
            throw new IOException(target + ": " + written + " values written; the shape holds " + expected);
        }
        if (Files.exists(target)) {
            try {
                Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the platform's defaults apply
            }
        }
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            out.close();
            Files.deleteIfExists(temp);
        }
    }
}
