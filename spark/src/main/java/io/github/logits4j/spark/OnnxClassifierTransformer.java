package io.github.logits4j.spark;

import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.onnx.EvaluationOptions;
import io.github.logits4j.onnx.EvaluationResult;
import io.github.logits4j.onnx.ExecutionProvider;
import io.github.logits4j.onnx.ModelConformal;
import io.github.logits4j.onnx.ModelInspection;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.onnx.StreamingEvaluation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.jspecify.annotations.Nullable;

/**
 * An ONNX classifier as a Spark ML {@link Transformer}: scores a DataFrame with the head logits4j decides from the
 * graph (or refuses, naming the parameter that settles it), and writes Spark ML's own columns, so that Spark's
 * evaluators and pipelines work on its output unchanged; {@link #evaluate} gives the same typed report as
 * {@code logits4j evaluate} on one machine, computed on the executors and merged with {@code treeAggregate}.
 *
 * <pre>{@code
 * OnnxClassifierTransformer model = new OnnxClassifierTransformer()
 *         .setModelPath("hdfs:///models/digits.onnx")         // any Hadoop path; read once, broadcast
 *         .setFeaturesCol("features");                        // a vector or array column
 * Dataset<Row> scored = model.transform(df);                  // + rawPrediction, probability, prediction
 * EvaluationResult r = model.evaluate(df, EvaluationOptions.builder().rankMode(RankMode.binned(10_000)).build());
 * }</pre>
 *
 * <p><b>Columns.</b> In: {@code featuresCol} (a Spark ML vector or an array of numbers) for a one-input model;
 * {@code featureCols} (several number columns, in the order of the input's values); or {@code inputCols}
 * ({@code "input_ids=ids"}, one per model input) for several inputs. Out: {@code rawPrediction} (the model's output;
 * {@code [-z, z]} for a binary logit), {@code probability} (after the head; {@code [1 - p, p]} for binary), both
 * vectors, and {@code prediction}: the class (a double) for multi-class and binary (at {@code threshold}), the
 * predicted label indices (an array of doubles, as Spark's {@code MultilabelClassificationEvaluator} reads them) for
 * multi-label (at {@code threshold} or per-label {@code thresholds}); with {@code topK > 0}, {@code topKCol} (class
 * indices) and {@code topKNamesCol} (class names).
 *
 * <p><b>Executors.</b> The model is read once on the driver (any path Hadoop reads) and broadcast; each executor JVM
 * opens one {@link OnnxClassifier} per model and settings, shares it between its tasks, and closes it when the JVM
 * stops. ONNX Runtime's threads are {@code spark.task.cpus} unless {@code threads} says otherwise; rows run in batches
 * of {@code batchSize}. A bad row (a null, a NaN feature, a wrong width, a label out of range) fails the job with one
 * line naming the partition, the row (and its {@code keyCol} value), the column, what was expected and what was found.
 *
 * <p>Thread-safe as Spark ML transformers are: set the parameters, then use it from any thread.
 */
public final class OnnxClassifierTransformer extends OnnxClassifierParams implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private transient @Nullable Prepared prepared;

    /** A transformer with a fresh uid; set at least {@link #setModelPath}. */
    public OnnxClassifierTransformer() {
        this(Identifiable$.MODULE$.randomUID("onnxClassifier"));
    }

    /** A transformer with the given uid (Spark ML's loader uses this). */
    public OnnxClassifierTransformer(String uid) {
        super(uid);
    }

    /** Sets {@link #modelPath()}. */
    public OnnxClassifierTransformer setModelPath(String path) {
        return put(modelPath, nonBlank(path, "modelPath"));
    }

    /** Sets {@link #featuresCol()}. */
    public OnnxClassifierTransformer setFeaturesCol(String column) {
        return put(featuresCol, nonBlank(column, "featuresCol"));
    }

    /** Sets {@link #featureCols()}. */
    public OnnxClassifierTransformer setFeatureCols(String... columns) {
        for (String c : columns) {
            nonBlank(c, "featureCols");
        }
        return put(featureCols, columns.clone());
    }

    /**
     * Sets {@link #inputCols()}: {@code "INPUT=COLUMN"} (a vector or array column), or {@code "INPUT=C1,C2,..."}
     * (number columns), one entry per model input.
     *
     * @throws IllegalArgumentException if an entry has no {@code =}, or names an input twice
     */
    public OnnxClassifierTransformer setInputCols(String... entries) {
        parseInputCols(entries);
        return put(inputCols, entries.clone());
    }

    /** Sets {@link #labelCol()}. */
    public OnnxClassifierTransformer setLabelCol(String column) {
        return put(labelCol, nonBlank(column, "labelCol"));
    }

    /** Sets {@link #keyCol()} (empty: none). */
    public OnnxClassifierTransformer setKeyCol(String column) {
        return put(keyCol, Objects.requireNonNull(column, "keyCol"));
    }

    /** Sets {@link #rawPredictionCol()}. */
    public OnnxClassifierTransformer setRawPredictionCol(String column) {
        return put(rawPredictionCol, nonBlank(column, "rawPredictionCol"));
    }

    /** Sets {@link #probabilityCol()}. */
    public OnnxClassifierTransformer setProbabilityCol(String column) {
        return put(probabilityCol, nonBlank(column, "probabilityCol"));
    }

    /** Sets {@link #predictionCol()}. */
    public OnnxClassifierTransformer setPredictionCol(String column) {
        return put(predictionCol, nonBlank(column, "predictionCol"));
    }

    /**
     * Sets {@link #topK()}.
     *
     * @throws IllegalArgumentException if {@code k < 0}
     */
    public OnnxClassifierTransformer setTopK(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("topK is " + k + "; expected 0 (none) or more");
        }
        return put(topK, k);
    }

    /** Sets {@link #topKCol()}. */
    public OnnxClassifierTransformer setTopKCol(String column) {
        return put(topKCol, nonBlank(column, "topKCol"));
    }

    /** Sets {@link #topKNamesCol()}. */
    public OnnxClassifierTransformer setTopKNamesCol(String column) {
        return put(topKNamesCol, nonBlank(column, "topKNamesCol"));
    }

    /**
     * Sets {@link #threshold()}.
     *
     * @throws IllegalArgumentException if {@code t} is not in [0, 1]
     */
    public OnnxClassifierTransformer setThreshold(double t) {
        return put(threshold, probability(t, "threshold"));
    }

    /**
     * Sets {@link #thresholds()}, one per label (as {@code tune-thresholds} writes them).
     *
     * @throws IllegalArgumentException if one is not in [0, 1]
     */
    public OnnxClassifierTransformer setThresholds(double... perLabel) {
        for (double t : perLabel) {
            probability(t, "thresholds");
        }
        return put(thresholds, perLabel.clone());
    }

    /** Sets {@link #output()}. */
    public OnnxClassifierTransformer setOutput(String name) {
        return put(output, nonBlank(name, "output"));
    }

    /**
     * Sets {@link #task()}.
     *
     * @throws IllegalArgumentException if it is not multiclass, multilabel or binary
     */
    public OnnxClassifierTransformer setTask(String name) {
        return put(task, Task.parse(name).id());
    }

    /**
     * Sets {@link #outputKind()}.
     *
     * @throws IllegalArgumentException if it is not logits, probabilities or log_probabilities
     */
    public OnnxClassifierTransformer setOutputKind(String kind) {
        return put(outputKind, OutputKind.parse(kind).id());
    }

    /** Sets {@link #classNames()}. */
    public OnnxClassifierTransformer setClassNames(String... names) {
        return put(classNames, names.clone());
    }

    /**
     * Sets {@link #provider()}.
     *
     * @throws IllegalArgumentException if it is not cpu, cuda or auto
     */
    public OnnxClassifierTransformer setProvider(String name) {
        return put(provider, ExecutionProvider.parse(name).id());
    }

    /**
     * Sets {@link #cudaDevice()}.
     *
     * @throws IllegalArgumentException if negative
     */
    public OnnxClassifierTransformer setCudaDevice(int device) {
        return put(cudaDevice, atLeast(device, 0, "cudaDevice"));
    }

    /**
     * Sets {@link #threads()}.
     *
     * @throws IllegalArgumentException if negative
     */
    public OnnxClassifierTransformer setThreads(int count) {
        return put(threads, atLeast(count, 0, "threads"));
    }

    /**
     * Sets {@link #batchSize()}.
     *
     * @throws IllegalArgumentException if less than 1
     */
    public OnnxClassifierTransformer setBatchSize(int rows) {
        return put(batchSize, atLeast(rows, 1, "batchSize"));
    }

    /**
     * Sets {@link #aggregationDepth()}.
     *
     * @throws IllegalArgumentException if less than 1
     */
    public OnnxClassifierTransformer setAggregationDepth(int depth) {
        return put(aggregationDepth, atLeast(depth, 1, "aggregationDepth"));
    }

    /** Sets {@link #conformal()}: a file written by {@code logits4j conformalize}, any path Hadoop reads. */
    public OnnxClassifierTransformer setConformal(String path) {
        return put(conformal, Objects.requireNonNull(path, "path"));
    }

    /** Sets {@link #rowIdCol()}: a whole-number column that identifies each row for randomized sets. */
    public OnnxClassifierTransformer setRowIdCol(String column) {
        return put(rowIdCol, nonBlank(column, "rowIdCol"));
    }

    /** Sets {@link #predictionSetCol()}. */
    public OnnxClassifierTransformer setPredictionSetCol(String column) {
        return put(predictionSetCol, nonBlank(column, "predictionSetCol"));
    }

    /** Sets {@link #keepInputs()}. */
    public OnnxClassifierTransformer setKeepInputs(boolean keep) {
        return put(keepInputs, keep);
    }

    private <T> OnnxClassifierTransformer put(Param<T> p, T value) {
        set(p, value);
        prepared = null;
        return this;
    }

    // ---- the model on the driver ----

    /**
     * The driver's classifier for the current parameters, read once and shared by this transformer's jobs (do not
     * close it): what the executors run, for checking options against the model and naming it in a report.
     *
     * @throws IllegalArgumentException if no model is set, or the model cannot be resolved (naming the parameter
     *     that settles it)
     * @throws java.io.UncheckedIOException if the model cannot be read
     */
    public OnnxClassifier model(SparkSession spark) {
        return prepare(Objects.requireNonNull(spark, "spark")).handle().classifier();
    }

    /** The model's handle and what the driver's classifier decided, for the current parameters. */
    record Prepared(ModelHandle handle, ModelInspection inspection, Task task, int classes, List<String> names,
            OutputKind kind) {
    }

    /** The broadcast model and its contract, read once for these parameters; refuses an unresolved model. */
    Prepared prepare(SparkSession spark) {
        Prepared p = prepared;
        if (p != null) {
            return p;
        }
        if (!isDefined(modelPath) || string(modelPath).isEmpty()) {
            throw new IllegalArgumentException("no model: set it with setModelPath(...)");
        }
        String path = string(modelPath);
        byte[] bytes = read(spark, path);
        String[] names = getOrDefault(classNames);
        ModelHandle.Settings settings = new ModelHandle.Settings(blankToNull(string(output)),
                blankToNull(string(task)), blankToNull(string(outputKind)),
                names.length == 0 ? null : new ArrayList<>(Arrays.asList(names)), string(provider),
                integer(cudaDevice), integer(threads));
        ModelHandle handle = new ModelHandle(JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(bytes),
                bytes, path, settings);
        OnnxClassifier model = handle.classifier();
        model.requireResolved();
        p = new Prepared(handle, model.inspection(), model.task(), model.classes(), model.classNames(),
                model.outputKind());
        prepared = p;
        return p;
    }

    private static @Nullable String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static byte[] read(SparkSession spark, String path) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        try {
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (InputStream in = fs.open(p)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model " + path + ": " + e.getMessage(), e);
        }
    }

    /** The model inputs' columns, from inputCols, featureCols or featuresCol, in that order of precedence. */
    private Map<String, List<String>> inputColumns(ModelInspection model) {
        String[] entries = getOrDefault(inputCols);
        if (entries.length > 0) {
            return parseInputCols(entries);
        }
        if (model.inputs().size() != 1) {
            throw new IllegalArgumentException("the model has " + model.inputs().size() + " inputs ("
                    + String.join(", ", model.inputs().stream().map(v -> v.name()).toList()) + "); name each one's"
                    + " column with setInputCols(\"INPUT=COLUMN\", ...)");
        }
        String[] several = getOrDefault(featureCols);
        List<String> columns = several.length > 0 ? List.of(several) : List.of(string(featuresCol));
        return Map.of(model.inputs().get(0).name(), columns);
    }

    private Binding bind(StructType schema, Prepared p, boolean labels) {
        if (p.handle().classifier().classAxis() != null) {
            throw new IllegalArgumentException(p.inspection().source() + ": output '" + p.inspection().output()
                    + "' holds dense scores (a row of classes at every position); the transformer reads one row of"
                    + " scores per sample, and dense outputs on Spark are not there yet");
        }
        String key = string(keyCol);
        String rowId = string(rowIdCol);
        return Binding.bind(schema, p.inspection(), inputColumns(p.inspection()), labels ? string(labelCol) : null,
                key.isEmpty() ? null : key, rowId.isEmpty() ? null : rowId);
    }

    // ---- Transformer ----

    @Override
    public StructType transformSchema(StructType schema) {
        Prepared p = prepare(SparkSession.active());
        bind(schema, p, false);
        return outputSchema(schema, p);
    }

    private StructType outputSchema(StructType schema, Prepared p) {
        List<StructField> fields = new ArrayList<>();
        if ((Boolean) getOrDefault(keepInputs)) {
            fields.addAll(Arrays.asList(schema.fields()));
        }
        add(fields, string(rawPredictionCol), SQLDataTypes.VectorType());
        add(fields, string(probabilityCol), SQLDataTypes.VectorType());
        add(fields, string(predictionCol), p.task() == Task.MULTILABEL
                ? DataTypes.createArrayType(DataTypes.DoubleType, false) : DataTypes.DoubleType);
        if (integer(topK) > 0) {
            if (p.task() != Task.MULTICLASS) {
                throw new IllegalArgumentException("topK is " + integer(topK) + "; top classes are for multi-class"
                        + " models, and this one is " + p.task().id());
            }
            add(fields, string(topKCol), DataTypes.createArrayType(DataTypes.IntegerType, false));
            add(fields, string(topKNamesCol), DataTypes.createArrayType(DataTypes.StringType, false));
        }
        if (!string(conformal).isEmpty()) {
            add(fields, string(predictionSetCol), DataTypes.createArrayType(DataTypes.IntegerType, false));
        }
        return new StructType(fields.toArray(new StructField[0]));
    }

    private static void add(List<StructField> fields, String name, DataType type) {
        for (StructField f : fields) {
            if (f.name().equals(name)) {
                throw new IllegalArgumentException("output column '" + name + "' already exists in the input; set"
                        + " another name, or setKeepInputs(false)");
            }
        }
        fields.add(DataTypes.createStructField(name, type, false));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        Prepared p = prepare(dataset.sparkSession());
        StructType in = dataset.schema();
        Binding binding = bind(in, p, false);
        StructType out = outputSchema(in, p);
        double[] perLabel = decisionThresholds(p);
        Scorer scorer = new Scorer(p.handle(), binding, integer(batchSize), perLabel, integer(topK),
                (Boolean) getOrDefault(keepInputs), conformalSets(dataset.sparkSession(), p));
        return dataset.toDF().mapPartitions(scorer, Encoders.row(out));
    }

    /** The prediction sets' file form, read and fitted to the model on the driver, or null without {@code conformal}. */
    private @Nullable LinkedHashMap<String, Object> conformalSets(SparkSession spark, Prepared p) {
        String path = string(conformal);
        if (path.isEmpty()) {
            return null;
        }
        try {
            ModelConformal sets = ModelConformal.parse(new String(read(spark, path),
                    java.nio.charset.StandardCharsets.UTF_8), path).fitTo(p.handle().classifier());
            return new LinkedHashMap<>(sets.toMap());
        } catch (io.github.logits4j.LoadException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The threshold of each label (multi-label), or the one threshold (binary). */
    private double[] decisionThresholds(Prepared p) {
        double[] perLabel = getOrDefault(thresholds);
        if (perLabel.length > 0) {
            if (p.task() != Task.MULTILABEL || perLabel.length != p.classes()) {
                throw new IllegalArgumentException(perLabel.length + " thresholds; expected "
                        + (p.task() == Task.MULTILABEL ? p.classes() + ", one per label" : "none for a "
                        + p.task().id() + " model (use setThreshold)"));
            }
            return perLabel.clone();
        }
        double t = (Double) getOrDefault(threshold);
        double[] all = new double[p.task() == Task.MULTILABEL ? p.classes() : 1];
        Arrays.fill(all, t);
        return all;
    }

    /**
     * Evaluates the model on {@code dataset}'s rows and labels ({@link #labelCol()}) across the cluster: each
     * partition's rows run through its executor's classifier into a {@link StreamingEvaluation}, whose states are
     * merged with {@code treeAggregate}; the result equals one evaluation of every row on one machine. For
     * hundreds of millions of rows, pass binned rank metrics ({@code RankMode.binned(...)}), whose reported bound
     * says how far they may lie from the exact values; exact rank metrics send every score to the driver.
     *
     * @throws IllegalArgumentException if a column does not fit the model, or a row is bad (one line: partition, row,
     *     key, column, expected, found)
     * @throws IllegalStateException if the model cannot be resolved or the job fails otherwise
     */
    public EvaluationResult evaluate(Dataset<?> dataset, EvaluationOptions options) {
        Objects.requireNonNull(options, "options");
        Prepared p = prepare(dataset.sparkSession());
        Binding binding = bind(dataset.schema(), p, true);
        StreamingEvaluation total = p.handle().classifier().newEvaluation(options);
        ModelHandle handle = p.handle();
        int batch = integer(batchSize);
        byte[] merged;
        try {
            merged = InternalRows.mapPartitions(dataset,
                    rows -> Partitions.evaluate(handle, binding, options, batch, rows))
                    .treeAggregate(Partitions.NOTHING, (a, b) -> Partitions.merge(handle, options, a, b),
                            (a, b) -> Partitions.merge(handle, options, a, b), integer(aggregationDepth));
        } catch (Exception e) {
            throw PartitionFailure.unwrap(e);
        }
        if (merged.length > 0) {
            total.mergeBytes(merged);
        }
        return total.result();
    }

    @Override
    public OnnxClassifierTransformer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** Spark ML's reader, for {@code Pipeline.load} and {@link #load}. */
    public static MLReader<OnnxClassifierTransformer> read() {
        return new DefaultParamsReader<>();
    }

    /** Loads a transformer saved with {@code write().save(path)}. */
    public static OnnxClassifierTransformer load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "OnnxClassifierTransformer[" + uid + (isDefined(modelPath) ? ", " + string(modelPath) : "") + "]";
    }
}
