package io.github.logits4j.kernel;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The compact binary form of a mergeable accumulator's state, for sending partial accumulators between machines (a
 * Spark partition's metrics to the driver). One method per accumulator, {@code exchange(State s)}, serves both ways: on
 * a {@link Out} each call writes the field and returns it unchanged; on an {@link In} it reads the other accumulator's
 * value and returns the merged one ({@code field = s.add(field)}), so writing and merging cannot drift apart.
 *
 * <pre>{@code
 * byte[] bytes = State.write("multiclass", settings, metrics::exchange);
 * State.merge(bytes, "multiclass", settings, other::exchange);   // other += the written state; refuses another
 *                                                                 // kind or other settings
 * }</pre>
 *
 * <p>The form is little-endian, starts with a magic number, a format version, the accumulator's kind and its settings
 * (as text, compared on reading), and is not meant to be stored: read it with the same logits4j version.
 */
public abstract sealed class State permits State.Out, State.In {
    private static final int MAGIC = 0x4C344A53;          // "L4JS"
    private static final int VERSION = 2;

    private State() {
    }

    /** A writer whose state starts with {@code kind} and {@code settings}. */
    private static Out out(String kind, String settings) {
        Out out = new Out();
        out.buffer.putInt(MAGIC).putInt(VERSION);
        out.text(kind);
        out.text(settings);
        return out;
    }

    /**
     * A reader of {@code bytes} that an accumulator of {@code kind} with {@code settings} wrote.
     *
     * @throws IllegalArgumentException if the bytes are not such a state, or were written with other settings
     */
    private static In in(byte[] bytes, String kind, String settings) {
        In in = new In(bytes);
        try {
            if (in.buffer.getInt() != MAGIC) {
                throw new IllegalArgumentException("not a logits4j accumulator state: wrong magic number");
            }
            int version = in.buffer.getInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("accumulator state of format " + version + "; this logits4j"
                        + " reads format " + VERSION);
            }
            String k = in.text();
            if (!k.equals(kind)) {
                throw new IllegalArgumentException("the state is of " + k + "; expected " + kind);
            }
            String s = in.text();
            if (!s.equals(settings)) {
                throw new IllegalArgumentException("cannot merge " + kind + " built with different settings: " + s
                        + " vs " + settings);
            }
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
        return in;
    }

    /** The state {@code exchange} writes, after the header of {@code kind} and {@code settings}. */
    public static byte[] write(String kind, String settings, Consumer<State> exchange) {
        Out out = out(kind, settings);
        exchange.accept(out);
        return out.toByteArray();
    }

    /**
     * Reads {@code bytes} (of {@code kind}, written with {@code settings}) and merges them with {@code exchange}, then
     * checks that nothing is left.
     *
     * @throws IllegalArgumentException if the bytes are not such a state, were written with other settings (nothing is
     *     merged then), or are truncated or too long
     */
    public static void merge(byte[] bytes, String kind, String settings, Consumer<State> exchange) {
        In in = in(bytes, kind, settings);
        exchange.accept(in);
        in.finish();
    }

    private static IllegalArgumentException truncated() {
        return new IllegalArgumentException("accumulator state is truncated");
    }

    /** Writes {@code v} and returns it, or returns {@code v} plus the value read. */
    public abstract double add(double v);

    /** Writes {@code v} and returns it, or returns {@code v} plus the value read. */
    public abstract long add(long v);

    /** Writes every element (mostly-zero arrays compactly), or adds the values read to them. */
    public abstract void add(double[] a);

    /** Writes every element, or ors the values read into them. */
    public abstract void or(boolean[] a);

    /** Writes {@code n} and returns it, or returns the count read (not added: the caller reads that many values). */
    public abstract int count(int n);

    /** Writes {@code b} (another accumulator's own state) and returns it, or returns the bytes read. */
    public abstract byte[] bytes(byte[] b);

    /** Writes {@code n} doubles of {@code a} from {@code off}, or reads {@code n} into it. */
    public abstract void doubles(double[] a, int off, int n);

    /** Writes {@code n} ints of {@code a} from {@code off}, or reads {@code n} into it. */
    public abstract void ints(int[] a, int off, int n);

    /** Writes the state. */
    public static final class Out extends State {
        private ByteBuffer buffer = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);

        private Out() {
        }

        private ByteBuffer room(long bytes) {
            if (buffer.remaining() < bytes) {
                long needed = buffer.position() + bytes;
                if (needed > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("accumulator state of " + needed + " bytes is larger than one"
                            + " array can hold; use RankMode.binned(...) for an evaluation this large");
                }
                ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8,
                        Math.max(needed, 2L * buffer.capacity()))).order(ByteOrder.LITTLE_ENDIAN);
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
            return buffer;
        }

        private void text(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            room(4L + b.length).putInt(b.length).put(b);
        }

        @Override
        public double add(double v) {
            room(8).putDouble(v);
            return v;
        }

        @Override
        public long add(long v) {
            room(8).putLong(v);
            return v;
        }

        /** Mostly-zero arrays (a binned histogram) go as (index, value) pairs, others whole. */
        @Override
        public void add(double[] a) {
            int nonZero = 0;
            for (double v : a) {
                nonZero += v != 0.0 ? 1 : 0;
            }
            if (12L * nonZero + 4 < 8L * a.length) {
                ByteBuffer b = room(1 + 4 + 12L * nonZero).put((byte) 1).putInt(nonZero);
                for (int i = 0; i < a.length; i++) {
                    if (a[i] != 0.0) {
                        b.putInt(i).putDouble(a[i]);
                    }
                }
            } else {
                room(1).put((byte) 0);
                doubles(a, 0, a.length);
            }
        }

        @Override
        public void or(boolean[] a) {
            ByteBuffer b = room(a.length);
            for (boolean v : a) {
                b.put((byte) (v ? 1 : 0));
            }
        }

        @Override
        public int count(int n) {
            room(4).putInt(n);
            return n;
        }

        @Override
        public byte[] bytes(byte[] b) {
            room(4L + b.length).putInt(b.length).put(b);
            return b;
        }

        @Override
        public void doubles(double[] a, int off, int n) {
            ByteBuffer b = room(8L * n);
            b.asDoubleBuffer().put(a, off, n);
            b.position(b.position() + 8 * n);
        }

        @Override
        public void ints(int[] a, int off, int n) {
            ByteBuffer b = room(4L * n);
            b.asIntBuffer().put(a, off, n);
            b.position(b.position() + 4 * n);
        }

        /** The bytes written. */
        public byte[] toByteArray() {
            return Arrays.copyOf(buffer.array(), buffer.position());
        }
    }

    /** Reads a state and merges it into the accumulator that calls it. */
    public static final class In extends State {
        private final ByteBuffer buffer;
        private double[] scratch = new double[0];

        private In(byte[] bytes) {
            this.buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }

        private String text() {
            int n = buffer.getInt();
            if (n < 0 || n > buffer.remaining()) {
                throw truncated();
            }
            byte[] b = new byte[n];
            buffer.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        private void need(long bytes) {
            if (bytes < 0 || buffer.remaining() < bytes) {
                throw truncated();
            }
        }

        @Override
        public double add(double v) {
            need(8);
            return v + buffer.getDouble();
        }

        @Override
        public long add(long v) {
            need(8);
            return v + buffer.getLong();
        }

        @Override
        public void add(double[] a) {
            need(1);
            if (buffer.get() == 1) {
                int nonZero = count(0);
                need(12L * nonZero);
                for (int k = 0; k < nonZero; k++) {
                    int i = buffer.getInt();
                    if (i < 0 || i >= a.length) {
                        throw new IllegalArgumentException("accumulator state holds index " + i + " of an array of "
                                + a.length);
                    }
                    a[i] += buffer.getDouble();
                }
                return;
            }
            need(8L * a.length);
            for (int i = 0; i < a.length; i++) {
                a[i] += buffer.getDouble();
            }
        }

        @Override
        public void or(boolean[] a) {
            need(a.length);
            for (int i = 0; i < a.length; i++) {
                a[i] |= buffer.get() != 0;
            }
        }

        @Override
        public int count(int n) {
            need(4);
            int read = buffer.getInt();
            if (read < 0) {
                throw truncated();
            }
            return read;
        }

        @Override
        public byte[] bytes(byte[] b) {
            int n = count(0);
            need(n);
            byte[] read = new byte[n];
            buffer.get(read);
            return read;
        }

        @Override
        public void doubles(double[] a, int off, int n) {
            need(8L * n);
            buffer.asDoubleBuffer().get(a, off, n);
            buffer.position(buffer.position() + 8 * n);
        }

        @Override
        public void ints(int[] a, int off, int n) {
            need(4L * n);
            buffer.asIntBuffer().get(a, off, n);
            buffer.position(buffer.position() + 4 * n);
        }

        /** A reused buffer of at least {@code n} doubles, for reading a sequence in pieces. */
        public double[] scratch(int n) {
            if (scratch.length < n) {
                scratch = new double[n];
            }
            return scratch;
        }

        /**
         * Checks that the whole state was read.
         *
         * @throws IllegalArgumentException if bytes are left over
         */
        public void finish() {
            if (buffer.hasRemaining()) {
                throw new IllegalArgumentException("accumulator state has " + buffer.remaining()
                        + " bytes after its end");
            }
        }
    }
}
