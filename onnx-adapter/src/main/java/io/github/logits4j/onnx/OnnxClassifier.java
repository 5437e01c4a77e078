package io.github.logits4j.onnx;

import io.github.logits4j.DenseScores;
import io.github.logits4j.FloatMatrix;
import io.github.logits4j.LoadException;
import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.activation.Activation;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

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

    private final ModelContract contract;
    private final ModelSession session;
    private final BatchRunner runner;
    private final ModelInspection inspection;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Every thread's workspace, so that {@link #close()} frees their direct buffers. */
    private final Set<Workspace> allWorkspaces = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(() -> {
        Workspace w = new Workspace();
        allWorkspaces.add(w);
        return w;
    });
    private volatile boolean closed;

    private OnnxClassifier(Builder b, OnnxGraph graph) throws LoadException {
        NativeGuard.check(b.source);
        this.contract = ContractResolver.resolve(graph, b.contractSettings());
        Map<String, InputSpec> inputs = ContractResolver.inputs(graph, graph.output(contract.output()));
        this.session = ModelSession.open(b.sessionSettings(), b.bytes, inputs);
        this.runner = new BatchRunner(session, contract, b.batchSize);
        Map<String, Integer> inputAxes = new LinkedHashMap<>();
        for (InputSpec s : session.inputs().values()) {
            inputAxes.put(s.name, s.batchAxis);
        }
        this.inspection = new ModelInspection(graph, contract, session.provider(), session.fixedBatch(), inputAxes);
    }

    /**
     * Checks class names as every source of them is checked (the builder, model metadata, the command line): each
     * non-empty, no two alike.
     *
     * @throws IllegalArgumentException naming the name and the classes that share it
     */
    public static void checkClassNames(List<String> names) {
        ClassNames.check(Objects.requireNonNull(names, "names"), "classNames");
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
        return new Builder(null, ModelFiles.resource(resource, loader != null ? loader
                : OnnxClassifier.class.getClassLoader()), "classpath:" + resource);
    }

    /** What was decided about the model and from which evidence; its inputs and outputs. */
    public ModelInspection inspection() {
        return inspection;
    }

    /** The execution provider in use ({@link ExecutionProvider#CPU} or {@link ExecutionProvider#CUDA}). */
    public ExecutionProvider provider() {
        return session.provider();
    }

    /**
     * The task the output serves.
     *
     * @throws IllegalStateException if the model does not tell it (see {@link #requireResolved()})
     */
    public Task task() {
        return contract.task();
    }

    /**
     * What the chosen output emits.
     *
     * @throws IllegalStateException if neither the graph, the metadata nor the caller tells it (see
     *     {@link #requireResolved()})
     */
    public OutputKind outputKind() {
        return contract.outputKind();
    }

    /**
     * Whether the model can run: the graph, the metadata or the builder's settings tell what the output holds and
     * which task it serves. {@link #inspection()} says what is missing.
     */
    public boolean resolved() {
        return contract.resolved();
    }

    /**
     * Throws unless {@link #resolved()}: the message names the output, what the graph shows, and the setting that
     * settles it ({@code outputKind(...)}, or {@code --output-kind} when the builder was told to name options).
     *
     * @throws IllegalStateException if the output kind or the task is unknown
     */
    public void requireResolved() {
        contract.requireResolved();
    }

    /**
     * The head applied to the output: softmax, sigmoid, exp or none.
     *
     * @throws IllegalStateException if the output kind or task is unknown (see {@link #requireResolved()})
     */
    public Activation activation() {
        return contract.activation();
    }

    /**
     * Checks that the output is logits, as temperature scaling needs; {@code what} names the operation in the message
     * ({@code "calibrate"}), which also says what the model emits, why, and the setting that declares logits.
     *
     * @throws IllegalArgumentException if the output is not logits
     * @throws IllegalStateException if the output kind is unknown (see {@link #requireResolved()})
     */
    public void requireLogits(String what) {
        contract.requireLogits(Objects.requireNonNull(what, "what"));
    }

    /** The number of classes (labels; 1 for binary). */
    public int classes() {
        return contract.classes();
    }

    /** The class names, in class-index order. */
    public List<String> classNames() {
        return contract.classNames();
    }

    /** The name of the output read. */
    public String output() {
        return contract.output();
    }

    /** The model's input names, in order. */
    public Set<String> inputNames() {
        return session.inputs().keySet();
    }

    /** What the scores output promises: kind, task, classes, names (what {@link Scores} and evaluations carry). */
    ModelContract contract() {
        return contract;
    }

    /**
     * Runs a single-input model on {@code [N × F]} float features.
     *
     * @throws IllegalArgumentException if the model has more than one input, or the features do not fit it
     * @throws IllegalStateException if the classifier is closed, ONNX Runtime fails, or the output holds NaN
     */
    public Scores run(FloatMatrix features) {
        Set<String> names = inputNames();
        if (names.size() != 1) {
            throw new IllegalArgumentException("the model has " + names.size() + " inputs " + names
                    + "; pass them by name with run(Inputs)");
        }
        return run(Inputs.of(names.iterator().next(), features));
    }

    /**
     * Runs the model on a batch of named inputs and applies the head.
     *
     * @throws IllegalArgumentException if the inputs do not match the model (naming the input, expected and found)
     * @throws IllegalStateException if the classifier is closed, ONNX Runtime fails, or the output holds NaN
     */
    public Scores run(Inputs batch) {
        requireResolved();
        contract.requireDense(false);
        int size = contract.checkedSize(batch.rows());
        Workspace ws = workspaces.get();
        FloatBuffer out = ws.output(size);        // ONNX Runtime writes into this thread's reused direct buffer
        long ort = runInto(batch, out, ws);
        float[] values = new float[size];         // the result's own copy: the buffer serves the next call
        out.get(0, values);
        FloatMatrix raw = FloatMatrix.wrap(FloatBuffer.wrap(values).asReadOnlyBuffer(), batch.rows(),
                contract.classes());
        return new Scores(raw, contract, batch.firstRow(), ort);
    }

    /**
     * Runs a model with class scores at every position (pixels, tokens) into raw {@link DenseScores} along the class
     * axis the graph or {@link Builder#classAxis} settled, the whole batch at once; the head is the caller's.
     *
     * @throws IllegalStateException if the output is not dense, the classifier is closed or ONNX Runtime fails
     */
    public DenseScores runDense(Inputs batch) {
        contract.requireDense(true);
        return underReadLock(() -> runner.runDense(batch, workspaces.get()));
    }

    /** Where the classes of a dense output lie, or null for a model with one row of scores per sample. */
    public DenseScores.@Nullable ClassAxis classAxis() {
        return contract.denseAxis();
    }

    /**
     * Streams labelled batches through the model and returns the loss for the task and the metrics report, with
     * counts and timing. Nothing is held beyond one batch except what the metrics need (see
     * {@link EvaluationOptions.Builder#rankMode}).
     *
     * @throws IllegalArgumentException if a batch does not match the model or its labels are invalid
     */
    public EvaluationResult evaluate(Iterable<LabelledBatch> batches, EvaluationOptions evaluationOptions) {
        Objects.requireNonNull(batches, "batches");
        StreamingEvaluation evaluation = newEvaluation(evaluationOptions);
        for (LabelledBatch batch : batches) {
            evaluation.add(batch);
        }
        return evaluation.result();
    }

    /**
     * {@link #evaluate(Iterable, EvaluationOptions)} with the model run one batch ahead when the options allow 2 or
     * more threads ({@link EvaluationOptions.Builder#parallelism}): a thread of the evaluation's own takes the next
     * batch from {@code batches} and runs the model on it while the calling thread adds the batch before it, so that
     * reading, ONNX Runtime and the metrics overlap; the batches are added in order, so the result is the one-thread
     * result bit for bit. A failure is thrown on the calling thread, as one thread would have thrown it, and the
     * other thread has stopped when this method returns or throws. {@link io.github.logits4j.data.DataSet#evaluate}
     * runs this way.
     *
     * <p>The batches are taken on that other thread, and each is kept until it is added: give a new batch each time
     * (as a data set does), not one whose arrays are refilled for the next.
     *
     * <pre>{@code
     * EvaluationResult r = model.evaluatePipelined(batches, EvaluationOptions.builder().parallelism(2).build());
     * }</pre>
     */
    public EvaluationResult evaluatePipelined(Iterable<LabelledBatch> batches, EvaluationOptions evaluationOptions) {
        Objects.requireNonNull(batches, "batches");
        if (evaluationOptions.metrics.parallelism() < 2) {
            return evaluate(batches, evaluationOptions);
        }
        StreamingEvaluation evaluation = newEvaluation(evaluationOptions);
        RunAhead.feed(batches, evaluation);
        return evaluation.result();
    }

    /**
     * An empty evaluation to feed batch by batch and merge with others of this model and the same options (the parts
     * of a data set evaluated apart, on threads or on Spark executors); see {@link StreamingEvaluation}.
     *
     * @throws IllegalStateException if the model could not be resolved (see {@link #requireResolved()})
     * @throws IllegalArgumentException if the options do not fit the model (temperatures of a model without logits)
     */
    public StreamingEvaluation newEvaluation(EvaluationOptions evaluationOptions) {
        Objects.requireNonNull(evaluationOptions, "evaluationOptions");
        requireResolved();
        return new StreamingEvaluation(this, new Evaluation(contract, provider(), evaluationOptions));
    }

    /** {@link #evaluate(Iterable, EvaluationOptions)} with default options. */
    public EvaluationResult evaluate(Iterable<LabelledBatch> batches) {
        return evaluate(batches, EvaluationOptions.defaults());
    }

    /** Runs {@code batch} into {@code out} under the read lock, so that {@link #close()} waits for it. */
    long runInto(Inputs batch, FloatBuffer out, Workspace ws) {
        return underReadLock(() -> runner.run(batch, out, ws));
    }

    private <T> T underReadLock(java.util.function.Supplier<T> run) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the classifier is closed");
            }
            return run.get();
        } finally {
            lock.readLock().unlock();
        }
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
                session.close();
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
        return "OnnxClassifier[" + contract + ", " + provider().id() + "]";
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
        private DenseScores.@Nullable ClassAxis classAxis;

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
            this.intraOpThreads = atLeastOne(threads, "intra-op threads");
            return this;
        }

        /** Threads across operators (default: ONNX Runtime's choice). */
        public Builder interOpThreads(int threads) {
            this.interOpThreads = atLeastOne(threads, "inter-op threads");
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

        /** Where a dense output's classes lie, overriding the graph (default: read from it). */
        public Builder classAxis(DenseScores.ClassAxis axis) {
            this.classAxis = Objects.requireNonNull(axis, "axis");
            return this;
        }

        /** The class names in index order, overriding metadata, output names and ZipMap keys. */
        public Builder classNames(List<String> names) {
            this.classNames = ClassNames.checkedCopy(names, "classNames");
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
            this.batchSize = atLeastOne(rows, "batch size");
            return this;
        }

        private static int atLeastOne(int value, String what) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be at least 1; found " + value);
            }
            return value;
        }

        /** What these settings settle about the output, for {@link ContractResolver}. */
        ContractSettings contractSettings() {
            return new ContractSettings(source, output, task, outputKind, classNames, settingNames, classAxis);
        }

        /** How these settings open the session, for {@link ModelSession}. */
        SessionSettings sessionSettings() {
            return new SessionSettings(bytes != null ? null : path, source, provider, cudaDevice, cudaOptions,
                    intraOpThreads, interOpThreads, optimization);
        }

        /**
         * Reads the model, decides its output kind, task and class names, and opens the ONNX Runtime session.
         *
         * @throws LoadException if the model is missing, corrupt, or cannot run as configured (naming the file and
         *     the reason; for CUDA, ONNX Runtime's own reason and what to do)
         */
        public OnnxClassifier build() throws LoadException {
            return new OnnxClassifier(this, bytes != null ? OnnxGraph.read(bytes, source) : OnnxGraph.readFile(path,
                    source));
        }
    }
}
