package io.github.logits4j.spark;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.Identifiable$;

/**
 * The parameters of {@link OnnxClassifierTransformer}, as Spark ML declares them (each with its doc and default), and
 * the checks of their values; the transformer adds the setters and what it does with them. Not to be extended
 * outside this package.
 *
 * <pre>{@code
 * OnnxClassifierTransformer t = new OnnxClassifierTransformer().setModelPath("model.onnx");
 * String features = t.getOrDefault(t.featuresCol());          // "features"
 * }</pre>
 */
public abstract class OnnxClassifierParams extends Transformer {
    private static final long serialVersionUID = 1L;

    final String uid;
    final Param<String> modelPath;
    final Param<String> featuresCol;
    final StringArrayParam featureCols;
    final StringArrayParam inputCols;
    final Param<String> labelCol;
    final Param<String> keyCol;
    final Param<String> rawPredictionCol;
    final Param<String> probabilityCol;
    final Param<String> predictionCol;
    final IntParam topK;
    final Param<String> topKCol;
    final Param<String> topKNamesCol;
    final DoubleParam threshold;
    final DoubleArrayParam thresholds;
    final Param<String> output;
    final Param<String> task;
    final Param<String> outputKind;
    final StringArrayParam classNames;
    final Param<String> provider;
    final IntParam cudaDevice;
    final IntParam threads;
    final IntParam batchSize;
    final IntParam aggregationDepth;
    final BooleanParam keepInputs;
    final Param<String> conformal;
    final Param<String> predictionSetCol;
    final Param<String> rowIdCol;


    OnnxClassifierParams(String uid) {
        this.uid = Objects.requireNonNull(uid, "uid");
        modelPath = new Param<>(this, "modelPath", "the ONNX model: any path Hadoop reads");
        featuresCol = new Param<>(this, "featuresCol", "the features of a one-input model: a vector or array column");
        featureCols = new StringArrayParam(this, "featureCols", "number columns that make the one input, in order");
        inputCols = new StringArrayParam(this, "inputCols", "INPUT=COLUMN[,COLUMN...] for each model input");
        labelCol = new Param<>(this, "labelCol", "the labels, for evaluate: a number, or 0/1 values per label");
        keyCol = new Param<>(this, "keyCol", "a column that names rows in error messages (empty: none)");
        rawPredictionCol = new Param<>(this, "rawPredictionCol", "the model's output, a vector");
        probabilityCol = new Param<>(this, "probabilityCol", "the probabilities after the head, a vector");
        predictionCol = new Param<>(this, "predictionCol", "the decision: a class, or multi-label label indices");
        topK = new IntParam(this, "topK", "how many top classes to list (0: none)");
        topKCol = new Param<>(this, "topKCol", "the top classes' indices");
        topKNamesCol = new Param<>(this, "topKNamesCol", "the top classes' names");
        threshold = new DoubleParam(this, "threshold", "the decision threshold p >= t of binary and multi-label");
        thresholds = new DoubleArrayParam(this, "thresholds", "per-label thresholds of a multi-label model");
        output = new Param<>(this, "output", "the model output that holds the scores (empty: decided)");
        task = new Param<>(this, "task", "multiclass, multilabel or binary (empty: from the graph)");
        outputKind = new Param<>(this, "outputKind", "logits, probabilities or log_probabilities (empty: decided)");
        classNames = new StringArrayParam(this, "classNames", "the class names (empty: from the model)");
        provider = new Param<>(this, "provider", "cpu, cuda or auto");
        cudaDevice = new IntParam(this, "cudaDevice", "the GPU of the CUDA provider");
        threads = new IntParam(this, "threads", "ONNX Runtime threads per executor (0: spark.task.cpus)");
        batchSize = new IntParam(this, "batchSize", "rows per ONNX Runtime run");
        aggregationDepth = new IntParam(this, "aggregationDepth", "the depth of evaluate's treeAggregate");
        keepInputs = new BooleanParam(this, "keepInputs", "whether transform keeps the input columns");
        conformal = new Param<>(this, "conformal", "prediction sets written by logits4j conformalize: any path Hadoop"
                + " reads (empty: none)");
        predictionSetCol = new Param<>(this, "predictionSetCol", "the prediction set's class indices");
        rowIdCol = new Param<>(this, "rowIdCol", "a whole-number column that identifies each row for randomized"
                + " prediction sets (empty: its partition and place there)");
        setDefault(featuresCol, "features");
        setDefault(featureCols, new String[0]);
        setDefault(inputCols, new String[0]);
        setDefault(labelCol, "label");
        setDefault(keyCol, "");
        setDefault(rawPredictionCol, "rawPrediction");
        setDefault(probabilityCol, "probability");
        setDefault(predictionCol, "prediction");
        setDefault(topK, 0);
        setDefault(topKCol, "topK");
        setDefault(topKNamesCol, "topKNames");
        setDefault(threshold, 0.5);
        setDefault(thresholds, new double[0]);
        setDefault(output, "");
        setDefault(task, "");
        setDefault(outputKind, "");
        setDefault(classNames, new String[0]);
        setDefault(provider, "cpu");
        setDefault(cudaDevice, 0);
        setDefault(threads, 0);
        setDefault(batchSize, 512);
        setDefault(aggregationDepth, 2);
        setDefault(keepInputs, true);
        setDefault(conformal, "");
        setDefault(predictionSetCol, "predictionSet");
        setDefault(rowIdCol, "");
    }

    @Override
    public String uid() {
        return uid;
    }

    // ---- parameters (Spark ML finds them by these accessors) ----

    /** The ONNX model: any path Hadoop reads. */
    public Param<String> modelPath() {
        return modelPath;
    }

    /** The features column of a one-input model (default {@code features}). */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** Several number columns that make the one input, in order. */
    public StringArrayParam featureCols() {
        return featureCols;
    }

    /** {@code INPUT=COLUMN[,COLUMN...]} for each model input. */
    public StringArrayParam inputCols() {
        return inputCols;
    }

    /** The labels column of {@link OnnxClassifierTransformer#evaluate} (default {@code label}). */
    public Param<String> labelCol() {
        return labelCol;
    }

    /** A column that names rows in error messages. */
    public Param<String> keyCol() {
        return keyCol;
    }

    /** The raw output column (default {@code rawPrediction}). */
    public Param<String> rawPredictionCol() {
        return rawPredictionCol;
    }

    /** The probabilities column (default {@code probability}). */
    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    /** The decision column (default {@code prediction}). */
    public Param<String> predictionCol() {
        return predictionCol;
    }

    /** How many top classes to list (default 0: none). */
    public IntParam topK() {
        return topK;
    }

    /** The top classes' indices column (default {@code topK}). */
    public Param<String> topKCol() {
        return topKCol;
    }

    /** The top classes' names column (default {@code topKNames}). */
    public Param<String> topKNamesCol() {
        return topKNamesCol;
    }

    /** The decision threshold of binary and multi-label models (default 0.5). */
    public DoubleParam threshold() {
        return threshold;
    }

    /** Per-label thresholds of a multi-label model (default: none, {@link #threshold} for every label). */
    public DoubleArrayParam thresholds() {
        return thresholds;
    }

    /** The model output that holds the scores (default: decided from the graph). */
    public Param<String> output() {
        return output;
    }

    /** The task (default: from the graph and metadata). */
    public Param<String> task() {
        return task;
    }

    /** What the output holds (default: from the graph and metadata). */
    public Param<String> outputKind() {
        return outputKind;
    }

    /** The class names (default: from the model). */
    public StringArrayParam classNames() {
        return classNames;
    }

    /** The execution provider: {@code cpu} (default), {@code cuda} or {@code auto}. */
    public Param<String> provider() {
        return provider;
    }

    /** The GPU of the CUDA provider (default 0). */
    public IntParam cudaDevice() {
        return cudaDevice;
    }

    /** ONNX Runtime threads per executor (default 0: {@code spark.task.cpus}). */
    public IntParam threads() {
        return threads;
    }

    /** Rows per ONNX Runtime run (default 512). */
    public IntParam batchSize() {
        return batchSize;
    }

    /** The depth of {@link OnnxClassifierTransformer#evaluate}'s {@code treeAggregate} (default 2). */
    public IntParam aggregationDepth() {
        return aggregationDepth;
    }

    /** Prediction sets written by {@code logits4j conformalize} (default empty: no set column). */
    public Param<String> conformal() {
        return conformal;
    }

    /** The prediction set's column: the class indices in the set, ascending (default {@code predictionSet}). */
    public Param<String> predictionSetCol() {
        return predictionSetCol;
    }

    /**
     * A whole-number column (long, int, short, byte) that identifies each row, from which randomized prediction sets
     * (APS or RAPS with {@code include_last_label} randomized) draw their uniform: with it a row's set does not
     * depend on the partitioning, and equals {@code logits4j predict --conformal}'s for the row whose number it holds.
     * Default empty: the row's partition and place there.
     */
    public Param<String> rowIdCol() {
        return rowIdCol;
    }

    /** Whether {@link OnnxClassifierTransformer#transform} keeps the input columns (default true). */
    public BooleanParam keepInputs() {
        return keepInputs;
    }

    // ---- setters: each checks its value at once ----

    static String nonBlank(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what + " is empty; expected a name");
        }
        return s;
    }

    static double probability(double t, String what) {
        if (!(t >= 0.0 && t <= 1.0)) {
            throw new IllegalArgumentException(what + " is " + t + "; expected a probability in [0, 1]");
        }
        return t;
    }

    static int atLeast(int v, int min, String what) {
        if (v < min) {
            throw new IllegalArgumentException(what + " is " + v + "; expected at least " + min);
        }
        return v;
    }

    static Map<String, List<String>> parseInputCols(String[] entries) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String e : entries) {
            int eq = e == null ? -1 : e.indexOf('=');
            if (eq <= 0 || eq == e.length() - 1) {
                throw new IllegalArgumentException("inputCols entry '" + e + "'; expected INPUT=COLUMN or"
                        + " INPUT=COLUMN1,COLUMN2,...");
            }
            List<String> columns = Arrays.stream(e.substring(eq + 1).split(",")).map(String::trim).toList();
            if (m.put(e.substring(0, eq).trim(), columns) != null) {
                throw new IllegalArgumentException("inputCols names input '" + e.substring(0, eq) + "' twice");
            }
        }
        return m;
    }

    String string(Param<String> p) {
        return getOrDefault(p);
    }

    int integer(IntParam p) {
        return (Integer) getOrDefault(p);
    }

}
