package io.github.logits4j.spark.jobs;

import io.github.logits4j.LoadException;
import io.github.logits4j.Task;
import io.github.logits4j.cli.DecisionOptions;
import io.github.logits4j.cli.Main;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.spark.OnnxClassifierTransformer;
import io.github.logits4j.spark.PartitionFailure;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code logits4j predict} on Spark: scores a table with {@link OnnxClassifierTransformer} and writes the rows with
 * Spark ML's columns ({@code rawPrediction}, {@code probability}, {@code prediction}, and with {@code --top-k} the top
 * classes and their names) as a Parquet or ORC table. Spark commits the output only when every task succeeded, and an
 * existing table is left alone unless {@code --mode overwrite}.
 *
 * <pre>{@code
 * $ spark-submit --class io.github.logits4j.spark.jobs.PredictJob logits4j-spark-jobs-job.jar \
 *     --model hdfs:///models/digits.onnx --table hdfs:///data/digits.parquet --output-table hdfs:///out/scored
 * }</pre>
 */
@Command(name = "PredictJob", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score a table with an ONNX classifier on Spark and write the rows with their predictions.")
public final class PredictJob implements Callable<Integer> {
    @Mixin
    TableOptions table;

    @Option(names = {"-o", "--output-table"}, required = true, paramLabel = "PATH",
            description = "Where to write the scored rows (a directory, any path Spark writes).")
    String output;

    @Option(names = "--output-format", paramLabel = "FORMAT", defaultValue = "parquet",
            description = "parquet or orc (default: ${DEFAULT-VALUE}).")
    String outputFormat;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "errorifexists",
            description = "errorifexists or overwrite (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = {"-k", "--top-k"}, paramLabel = "K", defaultValue = "0",
            description = "Add the top K classes and their names (multiclass; default: none).")
    int topK;

    @Mixin
    DecisionOptions decision;

    @Option(names = "--conformal", paramLabel = "PATH",
            description = "Prediction sets written by logits4j conformalize (any path Hadoop reads): adds the column"
                    + " predictionSet, the class indices of each row's set.")
    String conformal;

    @Option(names = "--drop-inputs", description = "Write only the key column (if any) and the predictions.")
    boolean dropInputs;

    private final Main main;

    private PredictJob(Main main) {
        this.main = main;
    }

    /** Runs the job on the Spark master that {@code spark-submit} set, and exits with its exit code. */
    public static void main(String[] args) {
        TableOptions.exit(execute(System.out, System.err, args));
    }

    /** Runs the job in this JVM's Spark session (created if there is none); returns its exit code, never throws. */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        Main main = new Main(out, err);
        return main.commandLine(new PredictJob(main)).execute(args);
    }

    @Override
    public Integer call() throws LoadException {
        main.stackTraces(table.verbose);
        String format = outputFormat.trim().toLowerCase(Locale.ROOT);
        String m = mode.trim().toLowerCase(Locale.ROOT);
        if (!List.of("parquet", "orc").contains(format)) {
            throw new IllegalArgumentException("--output-format is '" + outputFormat + "'; expected parquet or orc"
                    + " (the vector columns have no CSV form)");
        }
        if (!List.of("errorifexists", "overwrite").contains(m)) {
            throw new IllegalArgumentException("--mode is '" + mode + "'; expected errorifexists or overwrite");
        }
        decision.validate();
        SparkSession spark = table.session("logits4j predict");
        Dataset<Row> rows = table.read(spark);
        OnnxClassifierTransformer transformer = table.transformer().setTopK(topK);
        decision.readWith(TableOptions.settingsFiles(spark));
        if (conformal != null) {
            transformer.setConformal(conformal);
        }
        OnnxClassifier model = transformer.model(spark);
        double[] thresholds = decision.thresholds(model);
        if (model.task() == Task.MULTILABEL) {
            transformer.setThresholds(thresholds);
        } else {
            transformer.setThreshold(thresholds[0]);
        }
        Dataset<Row> scored = transformer.transform(rows);
        if (dropInputs) {
            List<String> keep = new java.util.ArrayList<>();
            if (table.keyCol != null) {
                keep.add(table.keyCol);
            }
            for (String c : scored.columns()) {
                if (!List.of(rows.columns()).contains(c)) {
                    keep.add(c);
                }
            }
            scored = scored.selectExpr(keep.stream().map(c -> "`" + c + "`").toArray(String[]::new));
        }
        try {
            scored.write().mode(m).format(format).save(output);
        } catch (Exception e) {
            throw PartitionFailure.unwrap(e);
        }
        return 0;
    }
}
