package io.github.logits4j.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX Runtime's native environment, shared by every {@link OnnxClassifier}, and a safe end to it when the JVM exits.
 *
 * <p>ONNX Runtime's Java binding releases the native environment from a JVM shutdown hook of its own, which runs
 * concurrently with the application's hooks and with threads still inside {@code OrtSession.run} (onnxruntime
 * #31352): a run or a session close after the release reads freed memory. The native environment is reference
 * counted, so logits4j takes one reference of its own when it first uses the environment. At exit ONNX Runtime's hook
 * then only drops its reference; logits4j's hook stops new runs (they fail with an {@link IllegalStateException} that
 * says so), waits up to {@link #DRAIN_MILLIS} for the runs in flight, and releases its reference only when no run is
 * in flight and every classifier is closed; otherwise the environment is left to the operating system, which frees
 * it with the process. If the binding's internals cannot be reached (another ONNX Runtime version, a module path
 * that forbids it), logits4j says so at debug level and behaves as before.
 *
 * <pre>{@code
 * OrtEnvironment env = NativeEnvironment.get(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
 * NativeEnvironment.beginRun();
 * try { session.run(...); } finally { NativeEnvironment.endRun(); }
 * }</pre>
 */
final class NativeEnvironment {
    private static final Logger LOG = LoggerFactory.getLogger(NativeEnvironment.class);
    /** The longest the shutdown hook waits for runs in flight. */
    static final long DRAIN_MILLIS = 5_000;

    private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    private static final AtomicInteger OPEN = new AtomicInteger();
    private static volatile boolean closing;
    private static OrtEnvironment environment;
    private static long apiHandle;
    private static long pinnedHandle;

    private NativeEnvironment() {
    }

    /** The environment, created with {@code level} on first use, with logits4j's reference and exit hook in place. */
    static synchronized OrtEnvironment get(OrtLoggingLevel level) {
        refuseWhenClosing();
        if (environment == null) {
            environment = OrtEnvironment.getEnvironment(level);
            pin(level);
            Runtime.getRuntime().addShutdownHook(new Thread(NativeEnvironment::drain, "logits4j-onnxruntime-exit"));
        }
        return environment;
    }

    /** Takes a second reference on the native environment (CreateEnv returns the same one, counted). */
    private static void pin(OrtLoggingLevel level) {
        try {
            Field api = Class.forName("ai.onnxruntime.OnnxRuntime", false, OrtEnvironment.class.getClassLoader())
                    .getDeclaredField("ortApiHandle");
            api.setAccessible(true);
            long handle = api.getLong(null);
            Method create = OrtEnvironment.class.getDeclaredMethod("createHandle", long.class, int.class,
                    String.class);
            create.setAccessible(true);
            pinnedHandle = (long) create.invoke(null, handle, level.getValue(), "logits4j");
            apiHandle = handle;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("cannot hold a reference on ONNX Runtime's environment; its exit hook may release it while runs"
                    + " are in flight: {}", e.toString());
        }
    }

    /** The exit hook: no new runs, drain the runs in flight, then release logits4j's reference if nothing uses it. */
    static void drain() {
        closing = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
        while (IN_FLIGHT.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        synchronized (NativeEnvironment.class) {
            if (pinnedHandle != 0 && IN_FLIGHT.get() == 0 && OPEN.get() == 0) {
                try {
                    Method close = OrtEnvironment.class.getDeclaredMethod("close", long.class, long.class);
                    close.setAccessible(true);
                    close.invoke(null, apiHandle, pinnedHandle);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // the process is exiting: the operating system frees the environment
                }
                pinnedHandle = 0;
            }
        }
    }

    private static void refuseWhenClosing() {
        if (closing) {
            throw new IllegalStateException("the JVM is shutting down: ONNX Runtime's environment is being released,"
                    + " so no new run starts");
        }
    }

    /**
     * Marks a run (or a session's creation or close) as in flight.
     *
     * @throws IllegalStateException once the JVM is shutting down
     */
    static void beginRun() {
        refuseWhenClosing();
        IN_FLIGHT.incrementAndGet();
        if (closing) {
            IN_FLIGHT.decrementAndGet();
            refuseWhenClosing();
        }
    }

    /** Ends what {@link #beginRun()} began. */
    static void endRun() {
        IN_FLIGHT.decrementAndGet();
    }

    /** A classifier opened its session. */
    static void opened() {
        OPEN.incrementAndGet();
    }

    /** A classifier closed its session. */
    static void closed() {
        OPEN.decrementAndGet();
    }

    /** Whether a reference of logits4j's own holds the environment (for tests). */
    static synchronized boolean pinned() {
        return pinnedHandle != 0;
    }
}
