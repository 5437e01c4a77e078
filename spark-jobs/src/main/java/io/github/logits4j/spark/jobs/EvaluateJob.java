package io.github.logits4j.spark.jobs;

import io.github.logits4j.LoadException;
import io.github.logits4j.cli.EvaluationSettings;
import io.github.logits4j.cli.Main;
import io.github.logits4j.onnx.EvaluationReport;
import io.github.logits4j.onnx.EvaluationResult;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.spark.OnnxClassifierTransformer;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code logits4j evaluate} on Spark: the same options (but the table in place of {@code --inputs} and
 * {@code --labels}, and binned rank metrics by default) and the same report, computed by the executors.
 *
 * <pre>{@code
 * $ spark-submit --master yarn --class io.github.logits4j.spark.jobs.EvaluateJob logits4j-spark-jobs-job.jar \
 *     --model hdfs:///models/digits.onnx --table hdfs:///data/digits.parquet --label-col label --format json
 * }</pre>
 *
 * <p>Errors are one line on standard error, with {@code logits4j}'s exit codes (2: a wrong command line; 3: a model
 * or table that is missing or does not fit, or a bad row, named by partition, row, key and column).
 */
@Command(name = "EvaluateJob", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate an ONNX classifier on a table with Spark and report the loss and the metrics, as"
                + " logits4j evaluate does.",
            "Labels: one number per row (a class index, or 0/1) for multiclass and binary; a vector or array of 0/1"
                + " per row for multilabel."})
public final class EvaluateJob implements Callable<Integer> {
    @Mixin
    TableOptions table;

    @Option(names = {"-l", "--label-col"}, paramLabel = "COLUMN", defaultValue = "label",
            description = "The labels column (default: ${DEFAULT-VALUE}).")
    String labelCol;

    @Mixin
    EvaluationSettings settings = new EvaluationSettings("binned");

    private final PrintStream out;
    private final Main main;

    private EvaluateJob(PrintStream out, Main main) {
        this.out = out;
        this.main = main;
    }

    /** Runs the job on the Spark master that {@code spark-submit} set, and exits with its exit code. */
    public static void main(String[] args) {
        TableOptions.exit(execute(System.out, System.err, args));
    }

    /**
     * Runs the job in this JVM's Spark session (created if there is none) and returns its exit code; never throws.
     */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        Main main = new Main(out, err);
        return main.commandLine(new EvaluateJob(out, main)).execute(args);
    }

    @Override
    public Integer call() throws LoadException {
        main.stackTraces(table.verbose);
        settings.validate();
        SparkSession spark = table.session("logits4j evaluate");
        settings.readWith(TableOptions.settingsFiles(spark));
        Dataset<Row> rows = table.read(spark);
        OnnxClassifierTransformer transformer = table.transformer().setLabelCol(labelCol);
        OnnxClassifier model = transformer.model(spark);
        EvaluationSettings.Applied applied = settings.apply(model);
        EvaluationResult result = transformer.evaluate(rows, applied.options());
        EvaluationReport report = applied.report(model, result).withModel(table.model)
                .withData(table.inputs(), labelCol);
        settings.write(out, settings.render(report));
        return 0;
    }
}
