package io.github.logits4j.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Feeds batches to a {@link StreamingEvaluation} with the model run one batch ahead: a reader thread of its own takes
 * each batch from the source and runs the model on it into one of two output buffers, while the calling thread adds
 * the batch before it (the head, the loss, the metrics); the batches are added in the source's order, so the result is
 * the one-thread result bit for bit. A failure on either side ends both: what the reader met (reading, the model) is
 * thrown by the calling thread once the batches before it are added, as one thread would have thrown it; the reader is
 * always finished (its run of the model, if any, done) before {@link #feed} returns or throws. Package-private.
 *
 * <pre>{@code
 * RunAhead.feed(batches, evaluation);     // then evaluation.result()
 * }</pre>
 */
final class RunAhead {
    private static final int BUFFERS = 2;
    /** A buffer too small for any batch: replaced by a direct one on first use; also the reader's wake-up call. */
    private static final FloatBuffer EMPTY = ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder())
            .asFloatBuffer();

    /** A batch the model ran on (its output in {@code out}), or the end ({@code batch} null), or a failure. */
    private record Ran(LabelledBatch batch, FloatBuffer out, long ortNanos, Throwable failure) {
    }

    private static final Ran END = new Ran(null, null, 0, null);

    private final StreamingEvaluation evaluation;
    /** Output buffers free for the reader; two in all, so the reader is at most one batch ahead. */
    private final BlockingQueue<FloatBuffer> free = new ArrayBlockingQueue<>(BUFFERS);
    /** Batches run, in order, then the end or a failure: never more than {@code BUFFERS + 1}, so never full. */
    private final BlockingQueue<Ran> ready = new ArrayBlockingQueue<>(BUFFERS + 1);
    private volatile boolean stopped;

    private RunAhead(StreamingEvaluation evaluation) {
        this.evaluation = evaluation;
        for (int i = 0; i < BUFFERS; i++) {
            free.add(EMPTY);
        }
    }

    /**
     * Adds every batch of {@code batches} to {@code evaluation}, the model run one batch ahead on a reader thread.
     * The batches are taken from the source on that thread, each kept until it is added: a source must give a new
     * batch each time, not refill the arrays of one it gave before.
     */
    static void feed(Iterable<LabelledBatch> batches, StreamingEvaluation evaluation) {
        RunAhead r = new RunAhead(evaluation);
        Thread reader = new Thread(() -> r.read(batches), "logits4j-evaluation-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            r.add();
        } finally {
            r.stopped = true;
            r.free.offer(EMPTY);                      // wakes a reader waiting for a buffer: it sees stopped
            joinUninterruptibly(reader);
        }
    }

    /** The calling thread: adds the batches as they come. */
    private void add() {
        try {
            for (Ran r = ready.take(); r != END; r = ready.take()) {
                if (r.failure != null) {
                    throw rethrow(r.failure);
                }
                evaluation.addRun(r.batch, r.out, r.ortNanos);
                free.add(r.out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while evaluating", e);
        }
    }

    /** The reader thread: takes each batch and runs the model on it, until the end, a failure, or stopped. */
    private void read(Iterable<LabelledBatch> batches) {
        Workspace workspace = new Workspace();
        Ran last = END;
        try {
            for (Iterator<LabelledBatch> it = batches.iterator(); !stopped && it.hasNext(); ) {
                LabelledBatch batch = it.next();
                FloatBuffer out = free.take();
                if (stopped) {
                    break;
                }
                out = evaluation.outputFor(batch, out);
                long ort = evaluation.run(batch, out, workspace);
                ready.add(new Ran(batch, out, ort, null));
            }
        } catch (Throwable t) {                           // anything: the calling thread must hear of it
            last = new Ran(null, null, 0, t);
        }
        ready.add(last);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
