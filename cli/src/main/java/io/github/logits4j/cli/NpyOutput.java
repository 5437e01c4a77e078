package io.github.logits4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes a dense model's predictions as a {@code .npy} file (version 1.0, little-endian, C order), whole or not at
 * all ({@link ReportOutput#openBytes}): decided masks, int64 {@code [N, d1..dk]}, or the top {@code k} classes of
 * every position as records {@code [('class', '<i8'), ('probability', '<f4')]} of shape {@code [N, d1..dk, k]}, best
 * first ({@code np.load(f)["class"]}, {@code np.load(f)["probability"]}). {@link #close()} without {@link #commit()}
 * leaves no file and any existing file as it was.
 *
 * <pre>{@code
 * try (NpyOutput masks = NpyOutput.masks(Path.of("masks.npy"), 8, new long[] {64, 64})) {
 *     masks.writeClasses(decided, 8 * 64 * 64);
 *     masks.commit();
 * }
 * }</pre>
 */
final class NpyOutput implements AutoCloseable {
    private final Path target;
    private final ReportOutput file;
    private final OutputStream out;
    private final long expected;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private long written;

    private NpyOutput(Path target, ReportOutput file, long expected) {
        this.target = target;
        this.file = file;
        this.out = file.stream();
        this.expected = expected;
    }

    /** Masks: one int64 class index for each of {@code dims} positions of {@code samples} samples. */
    static NpyOutput masks(Path target, long samples, long[] dims) throws IOException {
        return open(target, "'<i8'", samples, dims, 0);
    }

    /** The top {@code k} classes and their probabilities at each of {@code dims} positions of {@code samples}. */
    static NpyOutput topK(Path target, long samples, long[] dims, int k) throws IOException {
        return open(target, "[('class', '<i8'), ('probability', '<f4')]", samples, dims, k);
    }

    private static NpyOutput open(Path target, String descr, long samples, long[] dims, int k) throws IOException {
        StringBuilder shape = new StringBuilder("(").append(samples);
        long per = 1;
        for (long d : dims) {
            shape.append(", ").append(d);
            per *= d;
        }
        if (k > 0) {
            shape.append(", ").append(k);
            per *= k;
        }
        shape.append(dims.length == 0 && k == 0 ? ",)" : ")");
        String dict = "{'descr': " + descr + ", 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ReportOutput file = ReportOutput.openBytes(target);
        NpyOutput npy = new NpyOutput(target, file, samples * per);
        try {
            ByteBuffer head = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
            head.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                    .putShort((short) header.length());
            npy.out.write(head.array());
            npy.out.write(header.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            npy.close();
            throw e;
        }
        return npy;
    }

    /** Appends {@code count} class indices from {@code classes[0 ..)}. */
    void writeClasses(int[] classes, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            room(8);
            buffer.putLong(classes[i]);
        }
        written += count;
    }

    /** Appends {@code count} records (class, probability) from {@code classes[0 ..)} and {@code probabilities}. */
    void writeRecords(int[] classes, float[] probabilities, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            room(12);
            buffer.putLong(classes[i]).putFloat(probabilities[i]);
        }
        written += count;
    }

    private void room(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
    }

    /**
     * Moves the finished file over the target.
     *
     * @throws IOException if fewer values were written than the shape holds
     * @throws io.github.logits4j.data.DataException if the file cannot be written or moved
     */
    void commit() throws IOException {
        out.write(buffer.array(), 0, buffer.position());
        buffer.clear();
        if (written != expected) {
            throw new IOException(target + ": " + written + " values written; the shape holds " + expected);
        }
        file.commit();
    }

    @Override
    public void close() {
        file.close();
    }
}
