package io.github.logits4j.spark.jobs;

import io.github.logits4j.spark.OnnxClassifierTransformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * The options the Spark jobs share: the model (as {@code logits4j}'s {@code --model}, {@code --task},
 * {@code --output-kind}, {@code --model-output}, {@code --class-names}, {@code --provider}, {@code --batch-size}, any
 * path Hadoop reads) and the table (a path read by Spark's Parquet, ORC or CSV reader) with the columns that feed the
 * model. A picocli mixin.
 *
 * <pre>{@code
 * @Mixin TableOptions table;
 * Dataset<Row> rows = table.read(spark);
 * OnnxClassifierTransformer model = table.transformer();
 * }</pre>
 */
final class TableOptions {
    @Option(names = "--verbose",
            description = "Keep Spark's own logging (task failures with their stack traces) and print the stack"
                    + " trace of an error; by default a job prints one line for a bad row or table.")
    boolean verbose;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "PATH",
            description = "The ONNX model: any path Hadoop reads (file:, hdfs:, s3a:, ...); read once and broadcast.")
    String model;

    @Option(names = "--task", paramLabel = "TASK", defaultValue = "auto",
            description = "multiclass, multilabel, binary or auto (from the graph; default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--output-kind", paramLabel = "KIND", defaultValue = "auto",
            description = "logits, probabilities, log_probabilities or auto (from the graph; default: ${DEFAULT-VALUE}).")
    String outputKind;

    @Option(names = "--model-output", paramLabel = "NAME", description = "The output that holds the scores.")
    String modelOutput;

    @Option(names = "--class-names", paramLabel = "NAME", split = ",", description = "The class names, in order.")
    List<String> classNames;

    @Option(names = "--provider", paramLabel = "PROVIDER", defaultValue = "cpu",
            description = "cpu, cuda or auto, on every executor (default: ${DEFAULT-VALUE}).")
    String provider;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", defaultValue = "512",
            description = "Rows per ONNX Runtime run (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--ort-threads", paramLabel = "N", defaultValue = "0",
            description = "ONNX Runtime threads per executor (default: spark.task.cpus).")
    int ortThreads;

    @Option(names = {"-t", "--table"}, required = true, paramLabel = "PATH",
            description = "The rows: a Parquet, ORC or CSV file or directory, any path Spark reads.")
    String table;

    @Option(names = "--table-format", paramLabel = "FORMAT",
            description = "parquet, orc or csv (default: from the path's extension, else parquet).")
    String tableFormat;

    @Option(names = "--features-col", paramLabel = "COLUMN", defaultValue = "features",
            description = "The features of a one-input model: a vector or array column (default: ${DEFAULT-VALUE}).")
    String featuresCol;

    @Option(names = "--feature-cols", paramLabel = "COLUMN", split = ",",
            description = "Number columns that make the one input, in order (CSV tables).")
    List<String> featureCols;

    @Option(names = "--input-col", paramLabel = "INPUT=COLUMN",
            description = "The column(s) of one model input (INPUT=COLUMN or INPUT=C1,C2,...); repeat for each input.")
    List<String> inputCols;

    @Option(names = "--key-col", paramLabel = "COLUMN", description = "A column that names rows in error messages.")
    String keyCol;

    @Option(names = "--row-id-col", paramLabel = "COLUMN",
            description = "A whole-number column that identifies each row: randomized prediction sets draw from it,"
                    + " so that they do not depend on the partitioning (default: the row's partition and place).")
    String rowIdCol;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Repartition the table into N partitions first (default: as Spark reads it).")
    Integer partitions;

    /**
     * The job's Spark session (this JVM's, or a new one), with Spark's logging kept out of the way of the job's
     * one-line errors unless {@code --verbose}: warnings and errors only ({@code spark.log.level}, unless the
     * submitter set it), and nothing from the executor's and the scheduler's task-failure reports (an exception and
     * its stack trace per failed task, which the job reports as one line naming the partition, row and column), nor
     * Hadoop's and Parquet's warnings. log4j 2 is Spark's logging backend.
     */
    SparkSession session(String appName) {
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        if (!verbose && SparkSession.getActiveSession().isEmpty()) {
            b.config("spark.log.level", System.getProperty("spark.log.level", "WARN"));
        }
        SparkSession spark = b.getOrCreate();
        if (!verbose) {
            for (String logger : new String[] {"org.apache.spark.executor.Executor",
                "org.apache.spark.scheduler.TaskSetManager", "org.apache.spark.scheduler.TaskSchedulerImpl",
                "org.apache.spark.scheduler.DAGScheduler", "org.apache.spark.util.Utils"}) {
                org.apache.logging.log4j.core.config.Configurator.setLevel(logger, org.apache.logging.log4j.Level.OFF);
            }
            for (String logger : new String[] {"org.apache.hadoop", "org.apache.parquet"}) {
                org.apache.logging.log4j.core.config.Configurator.setLevel(logger,
                        org.apache.logging.log4j.Level.ERROR);
            }
        }
        return spark;
    }

    /** Stops this JVM's Spark session, if any, and exits with {@code code}: the end of a job's {@code main}. */
    static void exit(int code) {
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
        System.exit(code);
    }

    /** The table's format, from {@code --table-format} or the path. */
    String format() {
        String f = tableFormat != null ? tableFormat.trim().toLowerCase(Locale.ROOT) : null;
        if (f == null) {
            String p = table.toLowerCase(Locale.ROOT);
            f = p.endsWith(".orc") ? "orc" : p.endsWith(".csv") ? "csv" : "parquet";
        }
        if (!List.of("parquet", "orc", "csv").contains(f)) {
            throw new IllegalArgumentException("--table-format is '" + tableFormat + "'; expected parquet, orc or csv");
        }
        return f;
    }

    /** The table, read by Spark (CSV with a header row and inferred column types). */
    Dataset<Row> read(SparkSession spark) {
        String f = format();
        DataFrameReader reader = spark.read();
        Dataset<Row> rows;
        try {
            rows = switch (f) {
                case "orc" -> reader.orc(table);
                case "csv" -> reader.option("header", "true").option("inferSchema", "true").csv(table);
                default -> reader.parquet(table);
            };
        } catch (Exception e) {           // Spark's AnalysisException: no such path, not a table of that format
            throw new IllegalArgumentException(table + ": cannot read it as " + f + ": " + e.getMessage(), e);
        }
        return partitions == null ? rows : rows.repartition(partitions);
    }

    /**
     * How a job reads the settings files ({@code --thresholds}, {@code --calibration}, {@code --conformal}): a location
     * with a scheme through Hadoop (a job in cluster mode has its driver on the cluster), a plain path as a local file.
     */
    static io.github.logits4j.cli.SettingsFiles settingsFiles(SparkSession spark) {
        return location -> io.github.logits4j.cli.SettingsFiles.hasScheme(location)
                ? io.github.logits4j.spark.HadoopFiles.readText(spark, location) : null;
    }

    /** The transformer these options describe. */
    OnnxClassifierTransformer transformer() {
        OnnxClassifierTransformer t = new OnnxClassifierTransformer().setModelPath(model)
                .setFeaturesCol(featuresCol).setProvider(provider).setBatchSize(batchSize).setThreads(ortThreads);
        if (!"auto".equalsIgnoreCase(task)) {
            t.setTask(task);
        }
        if (!"auto".equalsIgnoreCase(outputKind)) {
            t.setOutputKind(outputKind);
        }
        if (modelOutput != null) {
            t.setOutput(modelOutput);
        }
        if (classNames != null) {
            t.setClassNames(classNames.toArray(new String[0]));
        }
        if (featureCols != null) {
            t.setFeatureCols(featureCols.toArray(new String[0]));
        }
        if (inputCols != null) {
            t.setInputCols(inputCols.toArray(new String[0]));
        }
        if (keyCol != null) {
            t.setKeyCol(keyCol);
        }
        if (rowIdCol != null) {
            t.setRowIdCol(rowIdCol);
        }
        return t;
    }

    /** The columns that feed the model, for the report. */
    String inputs() {
        List<String> parts = new ArrayList<>();
        if (inputCols != null) {
            parts.addAll(inputCols);
        } else if (featureCols != null) {
            parts.add(String.join(",", featureCols));
        } else {
            parts.add(featuresCol);
        }
        return table + ": " + String.join(", ", parts);
    }
}
