package io.github.logits4j.examples;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.onnx.Scores;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link ClassifierHttpService}'s turns of the model: at most {@code threads} runs at once and at most
 * {@code queue} requests waiting for a turn (each up to {@code waitSeconds}); beyond that a request is answered 503 at
 * once. A run refused because the JVM is shutting down (logits4j stops new runs then) is a 503 too; a finite input
 * that the model turns into a non-finite output is a {@link NonFiniteOutput}, the client's.
 *
 * <pre>{@code
 * ModelGate gate = new ModelGate(4, 16, 30);
 * Scores scores = gate.run(model, rows);       // Rejected 503 when busy
 * }</pre>
 *
 * <p>Thread-safe.
 */
final class ModelGate {
    private final Semaphore turns;
    private final int queue;
    private final int waitSeconds;
    private final AtomicInteger waiting = new AtomicInteger();

    ModelGate(int threads, int queue, int waitSeconds) {
        this.turns = new Semaphore(threads, true);
        this.queue = queue;
        this.waitSeconds = waitSeconds;
    }

    /** The permits, for tests that hold them. */
    Semaphore turns() {
        return turns;
    }

    /**
     * Runs {@code model} on {@code rows} once a turn comes.
     *
     * @throws Rejected 503 when every turn is taken and the queue is full, or the JVM is shutting down
     * @throws NonFiniteOutput when the model's output for these finite numbers is not finite
     */
    Scores run(OnnxClassifier model, FloatMatrix rows) throws Rejected, NonFiniteOutput {
        if (!turns.tryAcquire()) {
            if (waiting.incrementAndGet() > queue) {
                waiting.decrementAndGet();
                throw busy();
            }
            try {
                if (!turns.tryAcquire(waitSeconds, TimeUnit.SECONDS)) {
                    throw busy();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw busy();
            } finally {
                waiting.decrementAndGet();
            }
        }
        try {
            return model.run(rows);
        } catch (IllegalStateException e) {
            if (shuttingDown()) {
                throw new Rejected(503, "the service is shutting down; retry on another instance");
            }
            if (e.getMessage() != null && e.getMessage().contains("model output '")) {
                throw new NonFiniteOutput(e.getMessage());
            }
            throw e;
        } finally {
            turns.release();
        }
    }

    private static Rejected busy() {
        return new Rejected(503, "the service is busy: every model turn is taken and the queue is full; retry later");
    }

    /** Whether the JVM is running its shutdown hooks (a hook can no longer be added then). */
    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /** The model turned finite input into a non-finite output; the message is logits4j's, naming row and column. */
    static final class NonFiniteOutput extends Exception {
        private static final long serialVersionUID = 1L;

        NonFiniteOutput(String message) {
            super(message, null, false, false);
        }
    }
}
