package io.github.logits4j.spark;

import io.github.logits4j.LoadException;
import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.onnx.ExecutionProvider;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.onnx.Setting;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkEnv;
import org.apache.spark.broadcast.Broadcast;
import org.jspecify.annotations.Nullable;

/**
 * A model as the executors get it: its bytes, read once on the driver and broadcast, and the classifier's settings.
 * {@link #classifier()} opens it once per JVM (per model, settings and thread count) and hands the same
 * {@link OnnxClassifier} to every task and partition after; those classifiers are closed when the JVM stops.
 *
 * <pre>{@code
 * ModelHandle h = new ModelHandle(jsc.broadcast(bytes), "model.onnx", settings);
 * OnnxClassifier m = h.classifier();       // on an executor: opened on first use, then shared
 * }</pre>
 */
final class ModelHandle implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<String, OnnxClassifier> OPEN = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ModelHandle::closeAll, "logits4j-close-models"));
    }

    /** The classifier settings the transformer's parameters give; serializable. */
    record Settings(@Nullable String output, @Nullable String task, @Nullable String outputKind,
            @Nullable ArrayList<String> classNames, String provider, int cudaDevice, int threads)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private final Broadcast<byte[]> bytes;
    private final String name;
    private final String digest;
    private final Settings settings;

    ModelHandle(Broadcast<byte[]> bytes, byte[] model, String name, Settings settings) {
        this.bytes = bytes;
        this.name = name;
        this.digest = sha256(model);
        this.settings = settings;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    /** The model's name (its path), for messages. */
    String name() {
        return name;
    }

    /**
     * This JVM's classifier of the model: opened on first use with ONNX Runtime's threads set to the task's cores
     * ({@code spark.task.cpus}) unless the settings give a number, then shared by every task.
     *
     * @throws IllegalStateException if the model cannot be opened (the reason from {@link LoadException})
     */
    OnnxClassifier classifier() {
        int threads = settings.threads() > 0 ? settings.threads() : taskCpus();
        String key = digest + "|" + settings + "|" + threads;
        OnnxClassifier open = OPEN.get(key);
        if (open != null) {
            return open;
        }
        synchronized (OPEN) {
            return OPEN.computeIfAbsent(key, k -> open(threads));
        }
    }

    private static int taskCpus() {
        SparkEnv env = SparkEnv.get();
        return env == null ? 1 : env.conf().getInt("spark.task.cpus", 1);
    }

    private OnnxClassifier open(int threads) {
        OnnxClassifier.Builder b = OnnxClassifier.builder(bytes.value(), name)
                .provider(ExecutionProvider.parse(settings.provider()))
                .intraOpThreads(threads)
                .interOpThreads(1)
                .settingNames(ModelHandle::param);
        if (settings.cudaDevice() > 0) {
            b.cudaDevice(settings.cudaDevice());
        }
        if (settings.output() != null) {
            b.output(settings.output());
        }
        if (settings.task() != null) {
            b.task(Task.parse(settings.task()));
        }
        if (settings.outputKind() != null) {
            b.outputKind(OutputKind.parse(settings.outputKind()));
        }
        if (settings.classNames() != null) {
            b.classNames(List.copyOf(settings.classNames()));
        }
        try {
            return b.build();
        } catch (LoadException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The transformer's parameter that settles each setting, for refusals. */
    static String param(Setting s) {
        return switch (s) {
            case OUTPUT -> "setOutput(...)";
            case OUTPUT_KIND -> "setOutputKind(...)";
            case TASK -> "setTask(...)";
            case CLASS_NAMES -> "setClassNames(...)";
            case CLASS_AXIS -> "no parameter (the transformer reads one row of scores per sample)";
            case INPUTS -> "setInputCols(...)";
            case LABELS, LABEL_COLUMNS -> "the label column";
            case HEADER -> "the reader's header option";
            case RESHAPE_INPUTS -> "the reader's reshape option";
            case ROW_SUM_TOLERANCE -> "the evaluation's rowSumTolerance (the job's --row-sum-tolerance)";
            case THRESHOLD -> "setThreshold(...)";
            case THRESHOLDS -> "setThresholds(...)";
            case CALIBRATION -> "the evaluation's temperatures (the job's --calibration)";
        };
    }

    private static void closeAll() {
        synchronized (OPEN) {
            OPEN.values().forEach(OnnxClassifier::close);
            OPEN.clear();
        }
    }
}
