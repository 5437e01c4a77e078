package io.github.logits4j.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import io.github.logits4j.FloatMatrix;
import io.github.logits4j.LoadException;
import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.activation.Activation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ONNX classifier exported from PyTorch, Keras or scikit-learn, run through ONNX Runtime on the CPU or CUDA, whose
 * output is turned into probabilities by exactly the head the model calls for: the graph (a Softmax, LogSoftmax,
 * Sigmoid or ZipMap at the end), the model's metadata, or your setting decides whether it emits logits, probabilities
 * or log-probabilities, and logits4j applies softmax, sigmoid, exp or nothing accordingly. It never guesses from the
 * values.
 *
 * <pre>{@code
 * try (OnnxClassifier model = OnnxClassifier.builder(Path.of("digits.onnx"))
 *         .classNames(List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"))
 *         .build()) {
 *     Scores scores = model.run(FloatMatrix.wrap(pixels, n, 64));
 *     int[] predicted = scores.predictedClasses();
 *     System.out.println(model.inspection());      // output kind, task, class names and the evidence for each
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> One instance is safe to share: any number of threads may call {@link #run} and
 * {@link #evaluate} at once (ONNX Runtime sessions are thread-safe; each call has its own buffers). {@link #close()}
 * waits for runs in flight and later calls throw {@link IllegalStateException}.
 *
 * <p><b>Memory.</b> Inputs are copied once per batch into direct buffers that ONNX Runtime reads in place (reused per
 * thread); outputs are written by ONNX Runtime straight into a direct buffer that {@link Scores#raw()} views without
 * a copy. Every ONNX Runtime tensor, result, sequence and map is closed before a call returns. ZipMap outputs
 * (scikit-learn) are the exception to zero-copy: ONNX Runtime hands them out as Java maps, read once into the matrix.
 *
 * <p><b>Batches.</b> Any number of rows; a model with a fixed batch dimension (often 1) is fed in chunks of that size,
 * the last chunk padded and the padding dropped. Inputs that do not match the model's names, element types, rank or
 * fixed dimensions are rejected before anything runs, naming the input, the expected and the found shape.
 */
public final class OnnxClassifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxClassifier.class);
    private static final AtomicBoolean CUDA_FALLBACK_LOGGED = new AtomicBoolean();

    /**
     * How far outside [0, 1] a model's probabilities may lie (float rounding: a float32 sum of ten tree weights of 0.1
     * is 1.0000001) and still be accepted; the metrics and losses read them clipped to [0, 1].
     */
    public static final double PROBABILITY_TOLERANCE = 1e-5;

    /** Metadata key stating the output kind: logits, probabilities or log_probabilities. */
    public static final String META_OUTPUT_KIND = "logits4j.output_kind";
    /** Metadata key stating the task: multiclass, multilabel or binary. */
    public static final String META_TASK = "logits4j.task";
    /** Metadata key holding the class names as a JSON array. */
    public static final String META_LABELS = "logits4j.labels";

    private final OrtEnvironment env;
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final ExecutionProvider provider;
    private final ModelInspection inspection;
    private final String output;
    private final OutputKind outputKind;
    private final Task task;
    private final int classes;
    private final List<String> classNames;
    private final Map<String, InputSpec> inputs;
    private final int fixedBatch;
    private final int maxBatch;
    private final boolean zipMap;
    private final List<String> zipMapKeys;
    /** The scores output's shape with -1 for the batch ([-1], [-1, C], [-1, C, 1, 1]); null for a ZipMap. */
    private final long[] outputShape;
    /** Why the classifier cannot run (what the graph does not tell and the setting that settles it), or null. */
    private final String refusal;
    /** Where the output kind came from, for the advice when the output breaks it. */
    private final KindSource kindSource;
    private final String headOp;
    private final Function<Setting, String> settingNames;

    private enum KindSource { CALLER, METADATA, GRAPH }
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Every thread's workspace, so that {@link #close()} frees their direct buffers. */
    private final java.util.Set<Workspace> allWorkspaces = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(() -> {
        Workspace w = new Workspace();
        allWorkspaces.add(w);
        return w;
    });
    private volatile boolean closed;

    /** A model input as ONNX Runtime reports it, with its batch axis ({@link Inputs#NO_BATCH_AXIS} for none). */
    static final class InputSpec {
        final String name;
        final OnnxJavaType type;
        final long[] shape;
        final int batchAxis;

        InputSpec(String name, OnnxJavaType type, long[] shape, int batchAxis) {
            this.name = name;
            this.type = type;
            this.shape = shape;
            this.batchAxis = batchAxis;
        }

        /** The number of elements of a fully fixed shape, or -1 when a dimension is dynamic. */
        long fixedSize() {
            long n = 1;
            for (long d : shape) {
                if (d < 0) {
                    return -1;
                }
                n *= d;
            }
            return n;
        }

        String describe() {
            StringBuilder sb = new StringBuilder(type.name().toLowerCase(Locale.ROOT)).append('[');
            for (int i = 0; i < shape.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
            }
            return sb.append(']').toString();
        }
    }

    private OnnxClassifier(Builder b, OnnxGraph graph, byte[] bytes) throws LoadException {
        NativeGuard.check(b.source);
        this.env = environment();
        String source = b.source;
        Map<String, String> metadata = graph.metadata();
        Function<Setting, String> say = b.settingNames;

        // Output: the one the builder names, else the only score-like output (or the only one with a head).
        this.output = chooseOutput(b, graph, source);
        ValueSpec outSpec = find(graph.outputs(), output);
        HeadEvidence head = graph.detectHead(output);
        this.zipMap = outSpec.isSequenceOfMaps();
        if (!zipMap && !"float".equals(outSpec.elementType())) {
            throw new LoadException(source + ": output '" + output + "' is " + outSpec.type()
                    + "; expected a float tensor of scores or a sequence of maps (ZipMap)");
        }
        this.zipMapKeys = zipMap ? head.classLabels() : List.of();
        if (zipMap && zipMapKeys.isEmpty()) {
            throw new LoadException(source + ": output '" + output + "' is a sequence of maps but no ZipMap node with"
                    + " class labels produces it; expected a ZipMap output as scikit-learn exports it");
        }

        // Output kind: builder > metadata > graph; null when none of them tells.
        String kindEvidence;
        OutputKind kind;
        if (b.outputKind != null) {
            kind = b.outputKind;
            kindEvidence = "set by the caller";
        } else if (metadata.containsKey(META_OUTPUT_KIND)) {
            kind = parseKind(metadata.get(META_OUTPUT_KIND), source);
            kindEvidence = "model metadata " + META_OUTPUT_KIND + " = " + metadata.get(META_OUTPUT_KIND);
        } else {
            kind = head.kind();
            kindEvidence = "graph: " + head.description();
        }
        boolean kindFromGraph = b.outputKind == null && !metadata.containsKey(META_OUTPUT_KIND);
        this.kindSource = b.outputKind != null ? KindSource.CALLER : kindFromGraph ? KindSource.GRAPH
                : KindSource.METADATA;
        this.headOp = head.op();
        this.settingNames = say;

        // Classes: [batch], [batch, classes], or [batch, classes, 1, ..., 1] read as [batch, classes].
        long[] shape = outSpec.shape();
        int c;
        if (zipMap) {
            c = zipMapKeys.size();
            this.outputShape = null;
        } else if (shape == null || shape.length == 0 || (shape.length > 2 && !HeadDetector.onlyOnesAfter(shape, 1))) {
            throw new LoadException(source + ": output '" + output + "' has shape " + describe(shape)
                    + "; expected [batch, classes], [batch], or [batch, classes, 1, ..., 1]");
        } else if (shape.length == 1) {
            c = 1;
            this.outputShape = new long[] {-1};
        } else if (shape[1] > 0) {
            c = (int) shape[1];
            this.outputShape = shape.clone();
        } else if (b.classNames != null) {
            c = b.classNames.size();
            this.outputShape = shape.clone();
            this.outputShape[1] = c;
        } else {
            throw new LoadException(source + ": output '" + output + "' has a dynamic class dimension "
                    + describe(shape) + "; give the class names with " + say.apply(Setting.CLASS_NAMES)
                    + " so the number of classes is known");
        }
        this.classes = c;

        // Task: builder > metadata > graph head > class count; null when a single column could be a regression.
        String taskEvidence;
        Task t;
        if (b.task != null) {
            t = b.task;
            taskEvidence = "set by the caller";
        } else if (metadata.containsKey(META_TASK)) {
            try {
                t = Task.parse(metadata.get(META_TASK));
            } catch (IllegalArgumentException e) {
                throw new LoadException(source + ": metadata " + META_TASK + ": " + e.getMessage(), e);
            }
            taskEvidence = "model metadata " + META_TASK + " = " + metadata.get(META_TASK);
        } else if ("Sigmoid".equals(head.op()) && kind != null && kind == head.kind()) {
            t = classes == 1 ? Task.BINARY : Task.MULTILABEL;
            taskEvidence = "graph: sigmoid head over " + classes + (classes == 1 ? " output" : " outputs");
        } else if (head.taskHint() != null && kind != null && kind == head.kind()) {
            t = head.taskHint();
            taskEvidence = "graph: " + head.op() + " head";
        } else if (classes == 1 && kind != null && (!kindFromGraph || kind != OutputKind.LOGITS)) {
            t = Task.BINARY;
            taskEvidence = "one " + kind.name().toLowerCase(Locale.ROOT).replace('_', '-').replaceAll("s$", "")
                    + " per sample (" + kindEvidence + ")";
        } else if (classes == 1) {
            t = null;
            taskEvidence = "unknown: one output column " + (kind == null ? "of unknown kind"
                    : "computed by an affine op") + ", which a binary classifier's logit and a regression output"
                    + " share";
        } else {
            t = Task.MULTICLASS;
            taskEvidence = classes + " outputs without a sigmoid head (set " + say.apply(Setting.TASK)
                    + " multilabel for a multi-label model)";
        }
        if (t == Task.BINARY && classes != 1) {
            throw new LoadException(source + ": task binary needs one output per sample; output '" + output + "' has "
                    + classes + " (a two-class softmax model is multiclass)");
        }
        if (t == Task.MULTICLASS && classes < 2) {
            throw new LoadException(source + ": task multiclass needs at least 2 classes; output '" + output
                    + "' has " + classes);
        }
        this.outputKind = kind;
        this.task = t;
        if (kind == null) {
            this.refusal = source + ": output '" + output + "' does not show what it holds: "
                    + head.description() + ". logits4j does not guess logits, probabilities or log-probabilities"
                    + " from the values; say which with " + say.apply(Setting.OUTPUT_KIND);
        } else if (t == null) {
            this.refusal = source + ": output '" + output + "' has one column from " + head.description()
                    + ": a binary classifier's logit and a regression output look the same, and nothing in the model"
                    + " says which; if it is a binary classifier, say so with " + say.apply(Setting.TASK) + " binary";
        } else {
            this.refusal = null;
        }

        // Class names: builder > metadata > output name > ZipMap or classifier labels > indices.
        ClassNames names;
        if (b.classNames != null) {
            if (b.classNames.size() != classes) {
                throw new IllegalArgumentException("classNames has " + b.classNames.size() + " names; expected "
                        + classes + ", one per class of output '" + output + "'");
            }
            names = ClassNames.given(b.classNames);
        } else {
            try {
                names = ClassNames.fromMetadata(metadata, classes);
                if (names == null) {
                    names = ClassNames.fromOutputName(output, classes);
                }
            } catch (IllegalArgumentException e) {
                throw new LoadException(source + ": " + e.getMessage(), e);
            }
            if (names == null && head.classLabels().size() == classes && (zipMap || kind == head.kind())) {
                names = ClassNames.fromHead(head.classLabels(), head.op());
            }
            if (names == null) {
                names = ClassNames.indices(classes);
            }
        }
        this.classNames = names.names();

        // Inputs: each one's batch axis, from the graph's dimension names.
        Map<String, Integer> axes = batchAxes(graph.inputs(), outSpec);

        // Session and provider.
        OrtSession.SessionOptions opts = null;
        OrtSession sess = null;
        ExecutionProvider used;
        try {
            opts = options(b);
            used = ExecutionProvider.CPU;
            if (b.provider != ExecutionProvider.CPU) {
                String reason = addCuda(opts, b);
                if (reason == null) {
                    try {
                        sess = open(opts, b, bytes);
                        used = ExecutionProvider.CUDA;
                    } catch (OrtException e) {
                        reason = e.getMessage();
                    }
                }
                if (sess == null) {
                    if (b.provider == ExecutionProvider.CUDA) {
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
                sess = open(opts, b, bytes);
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
        this.options = opts;
        this.session = sess;
        this.provider = used;
        NativeEnvironment.opened();

        // Inputs as ONNX Runtime reports them, with the batch axes found in the graph.
        Map<String, InputSpec> specs = new LinkedHashMap<>();
        int fixed = 0;
        try {
            for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
                if (!(e.getValue().getInfo() instanceof TensorInfo ti)) {
                    throw new LoadException(source + ": input '" + e.getKey() + "' is not a tensor; expected tensor"
                            + " inputs");
                }
                long[] s = ti.getShape();
                int axis = axes.getOrDefault(e.getKey(), s.length == 0 ? Inputs.NO_BATCH_AXIS : 0);
                specs.put(e.getKey(), new InputSpec(e.getKey(), ti.type, s, axis));
                if (axis >= 0 && axis < s.length && s[axis] > 0) {
                    fixed = fixed == 0 ? (int) s[axis] : Math.min(fixed, (int) s[axis]);
                }
            }
        } catch (OrtException | LoadException e) {
            closeQuietly();
            if (e instanceof LoadException le) {
                throw le;
            }
            throw new LoadException(source + ": cannot read the model inputs: " + e.getMessage(), e);
        }
        this.inputs = Collections.unmodifiableMap(specs);
        this.fixedBatch = fixed;
        this.maxBatch = b.batchSize;
        Map<String, Integer> inputAxes = new LinkedHashMap<>();
        for (InputSpec s : specs.values()) {
            inputAxes.put(s.name, s.batchAxis);
        }
        boolean squeezed = outputShape != null && outputShape.length > 2;
        this.inspection = new ModelInspection(source, graph, output, outputKind, kindEvidence, task, taskEvidence,
                classes, classNames, names.source(), used, refusal == null ? activation().id() : "none (refused)",
                fixedBatch, inputAxes, squeezed ? describe(shape) + " read as [batch, " + classes + "]" : null,
                refusal);
    }

    /** The native environment, logging only what is fatal unless logits4j's logger is at debug level. */
    private static OrtEnvironment environment() {
        OrtLoggingLevel level = LOG.isDebugEnabled() ? OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING
                : OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        return NativeEnvironment.get(level);
    }

    /**
     * Each input's batch axis: the axis whose dimension name is the scores output's batch dimension; failing names,
     * the only dynamic axis of an input that has one, else the first; none for a scalar, or for a fixed-shape input
     * of a model whose other inputs have a dynamic batch (it is given once).
     */
    static Map<String, Integer> batchAxes(List<ValueSpec> inputs, ValueSpec output) {
        String[] outNames = output.dimNames();
        String batch = outNames != null && outNames.length > 0 ? outNames[0] : null;
        boolean anyDynamic = false;
        for (ValueSpec in : inputs) {
            long[] s = in.shape();
            for (int i = 0; s != null && i < s.length; i++) {
                anyDynamic |= s[i] < 0;
            }
        }
        Map<String, Integer> axes = new LinkedHashMap<>();
        for (ValueSpec in : inputs) {
            long[] s = in.shape();
            String[] dn = in.dimNames();
            int axis = 0;
            if (s != null && s.length == 0) {
                axis = Inputs.NO_BATCH_AXIS;
            } else if (s != null) {
                int named = -1;
                int dynamic = -1;
                int dynamics = 0;
                for (int i = 0; i < s.length; i++) {
                    if (named < 0 && batch != null && batch.equals(dn[i])) {
                        named = i;
                    }
                    if (s[i] < 0) {
                        dynamics++;
                        dynamic = dynamic < 0 ? i : dynamic;
                    }
                }
                if (named >= 0) {
                    axis = named;
                } else if (dynamics == 1) {
                    axis = dynamic;
                } else if (dynamics == 0 && anyDynamic) {
                    axis = Inputs.NO_BATCH_AXIS;
                }
            }
            axes.put(in.name(), axis);
        }
        return axes;
    }

    private static ValueSpec find(List<ValueSpec> specs, String name) {
        for (ValueSpec s : specs) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private static String chooseOutput(Builder b, OnnxGraph graph, String source) throws LoadException {
        List<String> names = new ArrayList<>();
        for (ValueSpec s : graph.outputs()) {
            names.add(s.name());
        }
        if (b.output != null) {
            if (!names.contains(b.output)) {
                throw new LoadException(source + ": the model has no output '" + b.output + "'; its outputs are "
                        + names);
            }
            return b.output;
        }
        List<String> candidates = new ArrayList<>();
        for (ValueSpec s : graph.outputs()) {
            if (s.isSequenceOfMaps() || "float".equals(s.elementType())) {
                candidates.add(s.name());
            }
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        List<String> withHead = new ArrayList<>();
        for (String name : candidates) {
            if (graph.detectHead(name).known()) {
                withHead.add(name);
            }
        }
        if (withHead.size() == 1) {
            return withHead.get(0);
        }
        throw new LoadException(source + ": cannot tell which output holds the scores: "
                + (candidates.isEmpty() ? "none of " + names + " is a float tensor or a ZipMap"
                        : candidates + " all could") + "; choose it with " + b.settingNames.apply(Setting.OUTPUT));
    }

    private static OutputKind parseKind(String text, String source) throws LoadException {
        switch (text.trim().toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "logits":
                return OutputKind.LOGITS;
            case "probabilities":
            case "probs":
                return OutputKind.PROBABILITIES;
            case "log_probabilities":
            case "log_probs":
                return OutputKind.LOG_PROBABILITIES;
            default:
                throw new LoadException(source + ": metadata " + META_OUTPUT_KIND + " is '" + text
                        + "'; expected logits, probabilities or log_probabilities");
        }
    }

    private static String describe(long[] shape) {
        if (shape == null) {
            return "unknown";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
        }
        return sb.append(']').toString();
    }

    private static OrtSession.SessionOptions options(Builder b) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        try {
            o.setOptimizationLevel(b.optimization.level());
            o.setSessionLogLevel(LOG.isDebugEnabled() ? OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING
                    : OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            if (b.intraOpThreads > 0) {
                o.setIntraOpNumThreads(b.intraOpThreads);
            }
            if (b.interOpThreads > 0) {
                o.setInterOpNumThreads(b.interOpThreads);
            }
            return o;
        } catch (OrtException | RuntimeException e) {
            o.close();
            throw e;
        }
    }

    /** Adds the CUDA provider; returns null on success, else ONNX Runtime's reason. */
    private static String addCuda(OrtSession.SessionOptions o, Builder b) {
        try {
            if (b.cudaOptions.isEmpty()) {
                o.addCUDA(b.cudaDevice);
            } else {
                try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(b.cudaDevice)) {
                    for (Map.Entry<String, String> e : b.cudaOptions.entrySet()) {
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

    private OrtSession open(OrtSession.SessionOptions o, Builder b, byte[] bytes) throws OrtException {
        return bytes != null ? env.createSession(bytes, o) : env.createSession(b.path.toString(), o);
    }

    /** A builder for the model in {@code file}. */
    public static Builder builder(Path file) {
        Objects.requireNonNull(file, "file");
        return new Builder(file, null, file.toString());
    }

    /** A builder for a model held in memory; {@code name} identifies it in messages. */
    public static Builder builder(byte[] model, String name) {
        Objects.requireNonNull(model, "model");
        return new Builder(null, model.clone(), Objects.requireNonNull(name, "name"));
    }

    /**
     * A builder for a model on the classpath, read through {@code loader}.
     *
     * @throws LoadException if the resource does not exist or cannot be read
     */
    public static Builder builderFromResource(String resource, ClassLoader loader) throws LoadException {
        Objects.requireNonNull(resource, "resource");
        ClassLoader cl = loader != null ? loader : OnnxClassifier.class.getClassLoader();
        try (InputStream in = cl.getResourceAsStream(resource)) {
            if (in == null) {
                throw new LoadException("classpath:" + resource + ": resource not found");
            }
            return new Builder(null, in.readAllBytes(), "classpath:" + resource);
        } catch (IOException e) {
            throw new LoadException("classpath:" + resource + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** What was decided about the model and from which evidence; its inputs and outputs. */
    public ModelInspection inspection() {
        return inspection;
    }

    /** The execution provider in use ({@link ExecutionProvider#CPU} or {@link ExecutionProvider#CUDA}). */
    public ExecutionProvider provider() {
        return provider;
    }

    /**
     * The task the output serves.
     *
     * @throws IllegalStateException if the model does not tell it (see {@link #requireResolved()})
     */
    public Task task() {
        requireResolved();
        return task;
    }

    /**
     * What the chosen output emits.
     *
     * @throws IllegalStateException if neither the graph, the metadata nor the caller tells it (see
     *     {@link #requireResolved()})
     */
    public OutputKind outputKind() {
        requireResolved();
        return outputKind;
    }

    /**
     * Whether the model can run: the graph, the metadata or the builder's settings tell what the output holds and
     * which task it serves. {@link #inspection()} says what is missing.
     */
    public boolean resolved() {
        return refusal == null;
    }

    /**
     * Throws unless {@link #resolved()}: the message names the output, what the graph shows, and the setting that
     * settles it ({@code outputKind(...)}, or {@code --output-kind} when the builder was told to name options).
     *
     * @throws IllegalStateException if the output kind or the task is unknown
     */
    public void requireResolved() {
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
    }

    /**
     * The head applied to the output: softmax, sigmoid, exp or none.
     *
     * @throws IllegalStateException if the output kind or task is unknown (see {@link #requireResolved()})
     */
    public Activation activation() {
        requireResolved();
        return switch (outputKind) {
            case LOGITS -> task == Task.MULTICLASS ? Activation.SOFTMAX : Activation.SIGMOID;
            case LOG_PROBABILITIES -> Activation.EXP;
            case PROBABILITIES -> Activation.NONE;
        };
    }

    /** The number of classes (labels; 1 for binary). */
    public int classes() {
        return classes;
    }

    /** The class names, in class-index order. */
    public List<String> classNames() {
        return classNames;
    }

    /** The name of the output read. */
    public String output() {
        return output;
    }

    /** The model's input names, in order. */
    public Set<String> inputNames() {
        return inputs.keySet();
    }

    /**
     * Runs a single-input model on {@code [N × F]} float features.
     *
     * @throws IllegalArgumentException if the model has more than one input, or the features do not fit it
     * @throws IllegalStateException if the classifier is closed, ONNX Runtime fails, or the output holds NaN
     */
    public Scores run(FloatMatrix features) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("the model has " + inputs.size() + " inputs " + inputs.keySet()
                    + "; pass them by name with run(Inputs)");
        }
        return run(Inputs.of(inputs.keySet().iterator().next(), features));
    }

    /**
     * Runs the model on a batch of named inputs and applies the head.
     *
     * @throws IllegalArgumentException if the inputs do not match the model (naming the input, expected and found)
     * @throws IllegalStateException if the classifier is closed, ONNX Runtime fails, or the output holds NaN
     */
    public Scores run(Inputs batch) {
        requireResolved();
        int size = checkedSize(batch.rows());
        Workspace ws = workspaces.get();
        FloatBuffer out = ws.output(size);        // ONNX Runtime writes into this thread's reused direct buffer
        long ort = runInto(batch, out, ws);
        float[] values = new float[size];         // the result's own copy: the buffer serves the next call
        out.get(0, values);
        FloatMatrix raw = FloatMatrix.wrap(FloatBuffer.wrap(values).asReadOnlyBuffer(), batch.rows(), classes);
        return new Scores(raw, this, ort);
    }

    private int checkedSize(int rows) {
        if (rows == 0) {
            throw new IllegalArgumentException("empty batch: expected at least one row");
        }
        long size = (long) rows * classes;
        if (size > Integer.MAX_VALUE / Float.BYTES) {
            throw new IllegalArgumentException("a batch of " + rows + " rows x " + classes + " classes is too large"
                    + " for one output buffer; split it");
        }
        return (int) size;
    }

    /**
     * Streams labelled batches through the model and returns the loss for the task and the metrics report, with
     * counts and timing. Nothing is held beyond one batch except what the metrics need (see
     * {@link EvaluationOptions#rankMode}).
     *
     * @throws IllegalArgumentException if a batch does not match the model or its labels are invalid
     */
    public EvaluationResult evaluate(Iterable<LabelledBatch> batches, EvaluationOptions evaluationOptions) {
        Objects.requireNonNull(batches, "batches");
        requireResolved();
        Evaluation evaluation = new Evaluation(this, evaluationOptions);
        Workspace ws = new Workspace();
        FloatBuffer out = null;
        for (LabelledBatch batch : batches) {
            int size = checkedSize(batch.inputs().rows());
            if (out == null || out.capacity() < size) {
                out = ByteBuffer.allocateDirect(size * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            }
            long ort = runInto(batch.inputs(), out, ws);
            evaluation.add(FloatMatrix.wrap(out, batch.inputs().rows(), classes), batch, ort);
        }
        return evaluation.result();
    }

    /** {@link #evaluate(Iterable, EvaluationOptions)} with default options. */
    public EvaluationResult evaluate(Iterable<LabelledBatch> batches) {
        return evaluate(batches, EvaluationOptions.defaults());
    }

    /** Runs {@code batch} into {@code out} ({@code rows × classes}, row-major); returns the nanoseconds in ORT. */
    private long runInto(Inputs batch, FloatBuffer out, Workspace ws) {
        Objects.requireNonNull(batch, "inputs");
        validate(batch);
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the classifier is closed");
            }
            NativeEnvironment.beginRun();
            long ortNanos = 0;
            int rows = batch.rows();
            try {
                int chunk = fixedBatch > 0 ? fixedBatch : maxBatch > 0 ? Math.min(maxBatch, rows) : rows;
                for (int start = 0; start < rows; start += chunk) {
                    int valid = Math.min(chunk, rows - start);
                    int modelRows = fixedBatch > 0 ? fixedBatch : valid;
                    ortNanos += runChunk(batch, start, valid, modelRows, out, ws);
                }
            } finally {
                NativeEnvironment.endRun();
            }
            checkOutput(out, rows, batch);
            return ortNanos;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Checks the output: no NaN; probabilities within {@link #PROBABILITY_TOLERANCE} of [0, 1], log-probabilities at
     * most that above 0 (a float32 sum of ten tree weights of 0.1 is 1.0000001).
     */
    private void checkOutput(FloatBuffer out, int rows, Inputs batch) {
        int n = rows * classes;
        float low = outputKind == OutputKind.PROBABILITIES ? (float) -PROBABILITY_TOLERANCE
                : Float.NEGATIVE_INFINITY;
        float high = outputKind == OutputKind.LOGITS ? Float.POSITIVE_INFINITY
                : outputKind == OutputKind.PROBABILITIES ? (float) (1 + PROBABILITY_TOLERANCE)
                : (float) PROBABILITY_TOLERANCE;
        for (int i = 0; i < n; i++) {
            float v = out.get(i);
            if (Float.isNaN(v)) {
                String cause = nonFiniteInput(batch, i / classes);
                throw new IllegalStateException("model output '" + output + "' is NaN at row " + (i / classes)
                        + ", column " + (i % classes) + (cause != null ? ", where " + cause
                        : "; the model produced no usable score for that row"));
            }
            if (v < low || v > high) {
                throw new IllegalStateException(outOfRange(v, i / classes, i % classes));
            }
        }
    }

    /** The first infinite or NaN float input value of batch row {@code row}, as text, or null. */
    private static String nonFiniteInput(Inputs batch, int row) {
        for (Inputs.Tensor t : batch.tensors().values()) {
            if (!t.isFloat() || !t.batched()) {
                continue;
            }
            long outer = t.outer();
            long inner = t.inner();
            long rows = t.rows();
            for (long o = 0; o < outer; o++) {
                for (long i = 0; i < inner; i++) {
                    long index = (o * rows + row) * inner + i;
                    float v = t.floatArray != null ? t.floatArray[(int) index]
                            : t.floats.get(row, (int) (o * inner + i));
                    if (!Float.isFinite(v)) {
                        return "input '" + t.name + "' holds " + v + " at row " + row + ", column " + (o * inner + i)
                                + " (the model cannot score a non-finite feature)";
                    }
                }
            }
        }
        return null;
    }

    /**
     * Throws when the head turned row {@code row} of {@code raw} into NaN (an infinite logit, or a temperature that
     * overflows it): names the output, the row and the value, instead of a metric's "not a probability".
     */
    void checkHead(FloatMatrix raw, int row, String what) {
        for (int c = 0; c < raw.cols(); c++) {
            float v = raw.get(row, c);
            if (!Float.isFinite(v)) {
                throw new IllegalStateException(inspection.source() + ": model output '" + output + "' holds " + v
                        + " at row " + row + ", column " + c + ", so its " + activation().id() + " is NaN" + what
                        + "; expected finite logits");
            }
        }
        throw new IllegalStateException(inspection.source() + ": the " + activation().id() + " of model output '"
                + output + "' at row " + row + " is NaN" + what + "; expected finite logits");
    }

    private String outOfRange(float v, int row, int col) {
        boolean probabilities = outputKind == OutputKind.PROBABILITIES;
        String what = probabilities ? "a probability in [0, 1]" : "a log-probability <= 0";
        String advice;
        if (kindSource == KindSource.GRAPH) {
            advice = "the graph's " + headOp + " head should give " + (probabilities ? "probabilities"
                    : "log-probabilities") + ", so the export looks broken; if the output holds something else, say"
                    + " what with " + settingNames.apply(Setting.OUTPUT_KIND);
        } else if (kindSource == KindSource.METADATA) {
            advice = "the model's metadata " + META_OUTPUT_KIND + " says " + (probabilities ? "probabilities"
                    : "log-probabilities") + "; if the output holds logits, say so with "
                    + settingNames.apply(Setting.OUTPUT_KIND) + " logits";
        } else {
            advice = "it was declared " + (probabilities ? "probabilities" : "log-probabilities") + " by "
                    + settingNames.apply(Setting.OUTPUT_KIND) + "; if the output holds logits, say logits";
        }
        return inspection.source() + ": model output '" + output + "' holds " + v + " at row " + row + ", column "
                + col + "; expected " + what + " (within " + PROBABILITY_TOLERANCE + "): " + advice;
    }

    private long runChunk(Inputs batch, int start, int valid, int modelRows, FloatBuffer out, Workspace ws) {
        Map<String, OnnxTensor> tensors = new HashMap<>();
        OnnxTensor pinned = null;
        try {
            for (Inputs.Tensor t : batch.tensors().values()) {
                tensors.put(t.name, ws.tensor(env, t, inputs.get(t.name), start, valid, modelRows));
            }
            long t0 = System.nanoTime();
            if (zipMap) {
                try (OrtSession.Result result = session.run(tensors, Set.of(output))) {
                    long t1 = System.nanoTime();
                    readZipMap(result, start, valid, out);
                    return t1 - t0;
                }
            }
            FloatBuffer target;
            if (modelRows == valid) {
                target = out.duplicate().position(start * classes).limit((start + valid) * classes).slice();
            } else {
                target = ws.padded(modelRows * classes);
            }
            long[] shape = outputShape.clone();
            shape[0] = modelRows;
            pinned = OnnxTensor.createTensor(env, target, shape);
            // The output is written into the pinned buffer; the result holds nothing else to read.
            session.run(tensors, Set.of(), Map.of(output, pinned)).close();
            long elapsed = System.nanoTime() - t0;
            if (modelRows != valid) {
                for (int i = 0; i < valid * classes; i++) {
                    out.put(start * classes + i, target.get(i));
                }
            }
            return elapsed;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on rows " + start + ".." + (start + valid - 1) + ": "
                    + e.getMessage(), e);
        } finally {
            for (OnnxTensor t : tensors.values()) {
                t.close();
            }
            if (pinned != null) {
                pinned.close();
            }
        }
    }

    /** Reads a ZipMap output (sequence of maps) into the matrix, in the ZipMap's class-label order. */
    private void readZipMap(OrtSession.Result result, int start, int valid, FloatBuffer out) throws OrtException {
        OnnxValue value = result.get(output).orElseThrow(() ->
                new IllegalStateException("ONNX Runtime returned no output '" + output + "'"));
        if (!(value instanceof OnnxSequence seq)) {
            throw new IllegalStateException("output '" + output + "' is " + value.getType()
                    + "; expected a sequence of maps");
        }
        List<? extends OnnxValue> maps = seq.getValue();
        try {
            for (int r = 0; r < valid; r++) {
                Map<? extends Object, ? extends Object> m = ((OnnxMap) maps.get(r)).getValue();
                for (int c = 0; c < classes; c++) {
                    Object v = m.get(keyOf(m, zipMapKeys.get(c)));
                    if (!(v instanceof Number number)) {
                        throw new IllegalStateException("output '" + output + "' row " + (start + r)
                                + " has no probability for class '" + zipMapKeys.get(c) + "'");
                    }
                    out.put((start + r) * classes + c, number.floatValue());
                }
            }
        } finally {
            for (OnnxValue v : maps) {
                v.close();
            }
        }
    }

    /** The map key for a ZipMap label: the label text for string keys, its numeric value for int64 keys. */
    private static Object keyOf(Map<? extends Object, ? extends Object> m, String label) {
        if (m.isEmpty() || m.keySet().iterator().next() instanceof String) {
            return label;
        }
        return Long.parseLong(label);
    }

    private void validate(Inputs batch) {
        if (!batch.names().equals(inputs.keySet())) {
            throw new IllegalArgumentException("the model's inputs are " + inputs.keySet() + "; found "
                    + batch.names());
        }
        if (batch.rows() == 0) {
            throw new IllegalArgumentException("empty batch: expected at least one row");
        }
        for (Inputs.Tensor t : batch.tensors().values()) {
            InputSpec spec = inputs.get(t.name);
            boolean typeOk = switch (spec.type) {
                case FLOAT -> t.isFloat();
                case INT64, INT32 -> !t.isFloat();
                default -> false;
            };
            if (!typeOk) {
                throw new IllegalArgumentException("input '" + t.name + "' is " + t.elementType()
                        + "; the model expects " + spec.describe());
            }
            if (t.batchAxis != spec.batchAxis) {
                throw new IllegalArgumentException("input '" + t.name + "' " + axisText(t.batchAxis)
                        + "; the model's input " + spec.describe() + " " + axisText(spec.batchAxis)
                        + (spec.batchAxis == Inputs.NO_BATCH_AXIS ? " (add it with Inputs.Builder.constant)"
                        : spec.batchAxis > 0 ? " (say so with Inputs.Builder.batchAxis)" : ""));
            }
            boolean shapeOk = spec.shape.length == t.shape.length;
            for (int i = 0; shapeOk && i < spec.shape.length; i++) {
                shapeOk = i == spec.batchAxis || spec.shape[i] < 0 || spec.shape[i] == t.shape[i];
            }
            if (!shapeOk && !t.batched() && spec.fixedSize() == t.size()) {
                shapeOk = true; // a constant of the right size in another shape ([1] for a scalar) is fed reshaped
            }
            if (!shapeOk) {
                throw new IllegalArgumentException("input '" + t.name + "' has shape " + Arrays.toString(t.shape)
                        + "; the model expects " + spec.describe() + (spec.batchAxis == Inputs.NO_BATCH_AXIS
                        ? " (given once, no batch axis)" : " (axis " + spec.batchAxis + " is the batch)"));
            }
        }
    }

    private static String axisText(int axis) {
        return axis == Inputs.NO_BATCH_AXIS ? "has no batch axis" : "has its batch on axis " + axis;
    }

    /**
     * Closes the ONNX Runtime session and its options, after the runs in flight finish. Idempotent.
     */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                closeQuietly();
                for (Workspace w : allWorkspaces) {
                    w.release();
                }
                allWorkspaces.clear();
                workspaces.remove();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void closeQuietly() {
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

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** The threads' workspaces still held (for tests: 0 after {@link #close()}). */
    int workspaceCount() {
        return allWorkspaces.size();
    }

    @Override
    public String toString() {
        return "OnnxClassifier[" + inspection.source() + ", output '" + output + "' (" + outputKind.name()
                .toLowerCase(Locale.ROOT) + "), " + task.id() + ", " + classes + " classes, " + provider.id() + "]";
    }

    /** Per-thread reusable direct buffers for inputs, outputs and padded outputs; released by {@link #close()}. */
    static final class Workspace {
        private final Map<String, ByteBuffer> buffers = new HashMap<>();
        private FloatBuffer padded;
        private FloatBuffer output;

        /** A direct buffer of {@code floats} floats, reused by the next call on this thread. */
        FloatBuffer output(int floats) {
            if (output == null || output.capacity() < floats) {
                output = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
            }
            return output.duplicate().position(0).limit(floats).slice();
        }

        /** Drops the buffers (the classifier is closed; the garbage collector frees their native memory). */
        void release() {
            buffers.clear();
            padded = null;
            output = null;
        }

        FloatBuffer padded(int floats) {
            if (padded == null || padded.capacity() < floats) {
                padded = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
            }
            return padded.duplicate().position(0).limit(floats).slice();
        }

        private ByteBuffer buffer(String name, int bytes) {
            ByteBuffer b = buffers.get(name);
            if (b == null || b.capacity() < bytes) {
                b = ByteBuffer.allocateDirect(Math.max(bytes, 64)).order(ByteOrder.nativeOrder());
                buffers.put(name, b);
            }
            ByteBuffer view = b.duplicate().order(ByteOrder.nativeOrder());
            view.clear().limit(bytes);
            return view.slice().order(ByteOrder.nativeOrder());
        }

        /**
         * Copies rows [start, start+valid) of {@code t} (along its batch axis) into a direct buffer of
         * {@code modelRows} rows, zero-padded; an input without a batch axis is copied whole.
         */
        OnnxTensor tensor(OrtEnvironment env, Inputs.Tensor t, InputSpec spec, int start, int valid, int modelRows)
                throws OrtException {
            long[] shape = t.shape.clone();
            int blocks;
            int inner;
            int rows;
            if (t.batched()) {
                shape[t.batchAxis] = modelRows;
                blocks = (int) t.outer();
                inner = (int) t.inner();
                rows = (int) t.rows();
            } else {
                shape = spec.fixedSize() == t.size() ? spec.shape.clone() : shape;
                blocks = 1;
                inner = t.size();
                rows = 1;
                start = 0;
                valid = 1;
                modelRows = 1;
            }
            int count = blocks * modelRows * inner;
            if (t.isFloat()) {
                FloatBuffer fb = buffer(t.name, count * Float.BYTES).asFloatBuffer();
                for (int o = 0; o < blocks; o++) {
                    int from = (o * rows + start) * inner;
                    if (t.floats != null && t.floats.hasArray()) {
                        fb.put(t.floats.array(), t.floats.arrayOffset() + from, valid * inner);
                    } else if (t.floats != null) {
                        float[] row = new float[inner];
                        for (int r = 0; r < valid; r++) {
                            t.floats.copyRowTo(start + r, row, 0);
                            fb.put(row);
                        }
                    } else {
                        fb.put(t.floatArray, from, valid * inner);
                    }
                    for (int i = valid * inner; i < modelRows * inner; i++) {
                        fb.put(0f);
                    }
                }
                fb.flip();
                return OnnxTensor.createTensor(env, fb, shape);
            }
            if (spec.type == OnnxJavaType.INT32) {
                IntBuffer ib = buffer(t.name, count * Integer.BYTES).asIntBuffer();
                for (int o = 0; o < blocks; o++) {
                    int from = (o * rows + start) * inner;
                    for (int i = 0; i < valid * inner; i++) {
                        long v = t.longs != null ? t.longs[from + i] : t.ints[from + i];
                        if (v != (int) v) {
                            throw new IllegalArgumentException("input '" + t.name + "' value " + v
                                    + (t.batched() ? " at row " + (start + i / inner) : "")
                                    + " does not fit the model's int32");
                        }
                        ib.put((int) v);
                    }
                    for (int i = valid * inner; i < modelRows * inner; i++) {
                        ib.put(0);
                    }
                }
                ib.flip();
                return OnnxTensor.createTensor(env, ib, shape);
            }
            LongBuffer lb = buffer(t.name, count * Long.BYTES).asLongBuffer();
            for (int o = 0; o < blocks; o++) {
                int from = (o * rows + start) * inner;
                if (t.longs != null) {
                    lb.put(t.longs, from, valid * inner);
                } else {
                    for (int i = 0; i < valid * inner; i++) {
                        lb.put(t.ints[from + i]);
                    }
                }
                for (int i = valid * inner; i < modelRows * inner; i++) {
                    lb.put(0L);
                }
            }
            lb.flip();
            return OnnxTensor.createTensor(env, lb, shape);
        }
    }

    /**
     * Configures an {@link OnnxClassifier}. Each setter validates its value at once; {@link #build()} reads the model
     * and checks the combination.
     *
     * <pre>{@code
     * OnnxClassifier m = OnnxClassifier.builder(path).provider(ExecutionProvider.AUTO).task(Task.MULTILABEL).build();
     * }</pre>
     */
    public static final class Builder {
        private final Path path;
        private final byte[] bytes;
        private final String source;
        private ExecutionProvider provider = ExecutionProvider.CPU;
        private int cudaDevice;
        private final Map<String, String> cudaOptions = new LinkedHashMap<>();
        private int intraOpThreads;
        private int interOpThreads;
        private Optimization optimization = Optimization.ALL;
        private String output;
        private Task task;
        private OutputKind outputKind;
        private List<String> classNames;
        private int batchSize;
        private Function<Setting, String> settingNames = Setting::method;

        private Builder(Path path, byte[] bytes, String source) {
            this.path = path;
            this.bytes = bytes;
            this.source = source;
        }

        /** The execution provider (default {@link ExecutionProvider#CPU}). */
        public Builder provider(ExecutionProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** The CUDA device id (default 0). */
        public Builder cudaDevice(int device) {
            if (device < 0) {
                throw new IllegalArgumentException("CUDA device must not be negative; found " + device);
            }
            this.cudaDevice = device;
            return this;
        }

        /** One CUDA provider option, as ONNX Runtime names it (e.g. {@code gpu_mem_limit}). */
        public Builder cudaOption(String key, String value) {
            cudaOptions.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Threads within one operator (default: ONNX Runtime's choice). */
        public Builder intraOpThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("intra-op threads must be at least 1; found " + threads);
            }
            this.intraOpThreads = threads;
            return this;
        }

        /** Threads across operators (default: ONNX Runtime's choice). */
        public Builder interOpThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("inter-op threads must be at least 1; found " + threads);
            }
            this.interOpThreads = threads;
            return this;
        }

        /** The graph optimisation level (default {@link Optimization#ALL}). */
        public Builder optimization(Optimization level) {
            this.optimization = Objects.requireNonNull(level, "optimization");
            return this;
        }

        /** The output holding the scores (default: the only float tensor or ZipMap output). */
        public Builder output(String name) {
            this.output = Objects.requireNonNull(name, "output");
            return this;
        }

        /** The task, overriding metadata and the graph (default: inferred). */
        public Builder task(Task task) {
            this.task = Objects.requireNonNull(task, "task");
            return this;
        }

        /** What the output emits, overriding metadata and the graph (default: detected). */
        public Builder outputKind(OutputKind kind) {
            this.outputKind = Objects.requireNonNull(kind, "output kind");
            return this;
        }

        /** The class names in index order, overriding metadata, output names and ZipMap keys. */
        public Builder classNames(List<String> names) {
            Objects.requireNonNull(names, "classNames");
            if (names.isEmpty()) {
                throw new IllegalArgumentException("classNames must not be empty");
            }
            for (int i = 0; i < names.size(); i++) {
                Objects.requireNonNull(names.get(i), "classNames[" + i + "]");
            }
            this.classNames = List.copyOf(names);
            return this;
        }

        /**
         * How messages name the settings that settle what the model does not tell (default {@link Setting#method()}:
         * builder methods; a command-line tool passes {@code Setting::option}).
         */
        public Builder settingNames(Function<Setting, String> names) {
            this.settingNames = Objects.requireNonNull(names, "names");
            return this;
        }

        /** The most rows sent to ONNX Runtime in one run (default: the whole batch; a fixed batch size wins). */
        public Builder batchSize(int rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("batch size must be at least 1; found " + rows);
            }
            this.batchSize = rows;
            return this;
        }

        /**
         * Reads the model, decides its output kind, task and class names, and opens the ONNX Runtime session.
         *
         * @throws LoadException if the model is missing, corrupt, or cannot run as configured (naming the file and
         *     the reason; for CUDA, ONNX Runtime's own reason and what to do)
         */
        public OnnxClassifier build() throws LoadException {
            OnnxGraph graph;
            if (bytes != null) {
                graph = OnnxGraph.read(bytes, source);
            } else {
                if (Files.isDirectory(path)) {
                    throw new LoadException(source + ": is a directory; expected an ONNX model file");
                }
                if (!Files.isRegularFile(path)) {
                    throw new LoadException(source + ": model file not found");
                }
                graph = OnnxGraph.read(path);
            }
            return new OnnxClassifier(this, graph, bytes);
        }
    }
}
