package io.github.logits4j.spark;

import io.github.logits4j.LoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a whole (small) file from any file system Hadoop knows ({@code hdfs://}, {@code s3a://}, {@code file:}, a
 * local path) with the session's Hadoop configuration: the model, and the thresholds, temperature and prediction-set
 * files the jobs take.
 *
 * <pre>{@code
 * String json = HadoopFiles.readText(spark, "hdfs:///models/conformal.json");
 * }</pre>
 */
public final class HadoopFiles {
    private HadoopFiles() {
    }

    /**
     * The file's bytes.
     *
     * @throws LoadException naming the path if it cannot be read
     */
    public static byte[] read(SparkSession spark, String path) throws LoadException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        try {
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (InputStream in = fs.open(p)) {
                return in.readAllBytes();
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new LoadException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The file's text, UTF-8.
     *
     * @throws LoadException naming the path if it cannot be read
     */
    public static String readText(SparkSession spark, String path) throws LoadException {
        return new String(read(spark, path), StandardCharsets.UTF_8);
    }
}
