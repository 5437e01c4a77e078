package io.github.logits4j.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import io.github.logits4j.LoadException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open ONNX Runtime session for one model, on the provider the builder asked for: CUDA when it can be used, the
 * CPU otherwise ({@link ExecutionProvider#AUTO} falls back with one warning; {@link ExecutionProvider#CUDA} refuses
 * with ONNX Runtime's reason and what to install). Holds the session, its options, and the inputs as the graph
 * describes them (the one description every check uses).
 *
 * <pre>{@code
 * ModelSession s = ModelSession.open(builder.sessionSettings(), bytes, ContractResolver.inputs(graph, output));
 * s.provider();                                    // CPU
 * s.inputs().get("pixels").describe();             // "float[?, 64]"
 * s.close();
 * }</pre>
 *
 * <p>ONNX Runtime sessions are thread-safe, so one {@code ModelSession} serves every thread; {@link #close()} must
 * not run while a run is in flight (the classifier's lock sees to that).
 */
final class ModelSession {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxClassifier.class);
    private static final AtomicBoolean CUDA_FALLBACK_LOGGED = new AtomicBoolean();

    private final OrtEnvironment env;
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final ExecutionProvider provider;
    private Map<String, InputSpec> inputs = Map.of();
    private int fixedBatch;

    private ModelSession(OrtEnvironment env, OrtSession.SessionOptions options, OrtSession session,
            ExecutionProvider provider) {
        this.env = env;
        this.options = options;
        this.session = session;
        this.provider = provider;
    }

    /**
     * Opens the model of {@code b} (its file, or {@code bytes} when not null) on the provider it asks for.
     *
     * @param inputs the model's inputs as the graph describes them ({@link ContractResolver#inputs})
     * @throws LoadException if ONNX Runtime cannot load the model, or CUDA was required and cannot be used
     */
    static ModelSession open(SessionSettings b, byte[] bytes, Map<String, InputSpec> inputs)
            throws LoadException {
        String source = b.source();
        OrtEnvironment env = environment();
        OrtSession.SessionOptions opts = null;
        OrtSession sess = null;
        ExecutionProvider used;
        try {
            opts = options(b);
            used = ExecutionProvider.CPU;
            if (b.provider() != ExecutionProvider.CPU) {
                String reason = addCuda(opts, b);
                if (reason == null) {
                    try {
                        sess = open(env, opts, b, bytes);
                        used = ExecutionProvider.CUDA;
                    } catch (OrtException e) {
                        reason = e.getMessage();
                    }
                }
                if (sess == null) {
                    if (b.provider() == ExecutionProvider.CUDA) {
                        throw new LoadException(source + ": the CUDA execution provider cannot be used: " + reason
                                + ". Use the onnxruntime_gpu artifact (mvn -Donnxruntime.artifactId=onnxruntime_gpu)"
                                + " and install the CUDA and cuDNN versions that ONNX Runtime " + env.getVersion()
                                + " needs, or choose the CPU or AUTO provider.");
                    }
                    logFallback(reason);
                    opts.close();
                    opts = options(b);
                }
            }
            if (sess == null) {
                sess = open(env, opts, b, bytes);
            }
        } catch (OrtException e) {
            if (opts != null) {
                opts.close();
            }
            throw new LoadException(source + ": ONNX Runtime cannot load the model: " + e.getMessage(), e);
        } catch (LoadException | RuntimeException e) {
            if (opts != null) {
                opts.close();
            }
            throw e;
        }
        NativeEnvironment.opened();
        ModelSession opened = new ModelSession(env, opts, sess, used);

        int fixed = 0;
        for (InputSpec spec : inputs.values()) {
            int axis = spec.batchAxis;
            if (spec.shape != null && axis >= 0 && axis < spec.shape.length && spec.shape[axis] > 0) {
                fixed = fixed == 0 ? (int) spec.shape[axis] : Math.min(fixed, (int) spec.shape[axis]);
            }
        }
        opened.inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        opened.fixedBatch = fixed;
        return opened;
    }

    /** The native environment, logging only what is fatal unless logits4j's logger is at debug level. */
    private static OrtEnvironment environment() {
        OrtLoggingLevel level = LOG.isDebugEnabled() ? OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING
                : OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        return NativeEnvironment.get(level);
    }

    private static OrtSession.SessionOptions options(SessionSettings b) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        try {
            o.setOptimizationLevel(b.optimization().level());
            o.setSessionLogLevel(LOG.isDebugEnabled() ? OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING
                    : OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            if (b.intraOpThreads() > 0) {
                o.setIntraOpNumThreads(b.intraOpThreads());
            }
            if (b.interOpThreads() > 0) {
                o.setInterOpNumThreads(b.interOpThreads());
            }
            // ONNX Runtime's intra-op threads otherwise spin for a while after each run, waiting for the next: they
            // take the cores the post-processing of that run's batch needs (measured on 2 cores: evaluate of 100,000
            // rows of the digits model 546-565 ms against 638-1,042 ms; a heavy MLP's total unchanged)
            o.addConfigEntry("session.intra_op.allow_spinning", "0");
            return o;
        } catch (OrtException | RuntimeException e) {
            o.close();
            throw e;
        }
    }

    /** Adds the CUDA provider; returns null on success, else ONNX Runtime's reason. */
    private static String addCuda(OrtSession.SessionOptions o, SessionSettings b) {
        try {
            if (b.cudaOptions().isEmpty()) {
                o.addCUDA(b.cudaDevice());
            } else {
                try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(b.cudaDevice())) {
                    for (Map.Entry<String, String> e : b.cudaOptions().entrySet()) {
                        cuda.add(e.getKey(), e.getValue());
                    }
                    o.addCUDA(cuda);
                }
            }
            return null;
        } catch (OrtException | RuntimeException | LinkageError e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    private static void logFallback(String reason) {
        if (CUDA_FALLBACK_LOGGED.compareAndSet(false, true)) {
            LOG.warn("CUDA execution provider unavailable, running on the CPU: {}", reason);
        } else {
            LOG.debug("CUDA execution provider unavailable, running on the CPU: {}", reason);
        }
    }

    private static OrtSession open(OrtEnvironment env, OrtSession.SessionOptions o, SessionSettings b,
            byte[] bytes) throws OrtException {
        return bytes != null ? env.createSession(bytes, o) : env.createSession(b.path().toString(), o);
    }

    /** The native environment the session lives in. */
    OrtEnvironment env() {
        return env;
    }

    /** The session. */
    OrtSession session() {
        return session;
    }

    /** The provider in use: CPU, or CUDA. */
    ExecutionProvider provider() {
        return provider;
    }

    /** The model's inputs in order, as the graph describes them, with their batch axes. Unmodifiable. */
    Map<String, InputSpec> inputs() {
        return inputs;
    }

    /** The smallest fixed batch dimension of the inputs (the model takes exactly that many rows), or 0. */
    int fixedBatch() {
        return fixedBatch;
    }

    /**
     * Closes the session and its options (failures are logged at debug level). Called once, by the classifier's
     * {@code close()} after the runs in flight finished, or when opening fails half way.
     */
    void close() {
        boolean counted = false;
        try {
            NativeEnvironment.beginRun();
            counted = true;
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the session goes with the process, before or after the environment's release
        }
        try {
            if (session != null) {
                session.close();
            }
        } catch (OrtException e) {
            LOG.debug("closing the ONNX Runtime session failed", e);
        } finally {
            if (options != null) {
                options.close();
            }
            if (session != null) {
                NativeEnvironment.closed();
            }
            if (counted) {
                NativeEnvironment.endRun();
            }
        }
    }
}
