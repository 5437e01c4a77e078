package io.github.logits4j.spark;

import io.github.logits4j.LoadException;
import io.github.logits4j.data.NpyArray;
import io.github.logits4j.golden.Golden;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The tests' one local Spark ({@code local[2]}, no UI), shared by every test class of the module, and the bundled
 * data sets as DataFrames.
 */
public final class SparkSessions {
    public static final Path DATA = Golden.testdata().resolve("data");
    public static final Path MODELS = Golden.testdata().resolve("models");

    private static SparkSession spark;

    private SparkSessions() {
    }

    public static synchronized SparkSession local() {
        if (spark == null) {
            spark = SparkSession.builder().master("local[2]").appName("logits4j-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.sql.adaptive.enabled", "false")
                    .getOrCreate();
            spark.sparkContext().setLogLevel("ERROR");
        }
        return spark;
    }

    public static String model(String file) {
        return MODELS.resolve(file).toString();
    }

    /** The rows of an {@code .npy} file, each as floats. */
    public static float[][] floats(String file) throws LoadException {
        try (NpyArray a = NpyArray.open(DATA.resolve(file))) {
            int n = (int) a.rows();
            int w = a.rowSize();
            float[] all = new float[n * w];
            a.readFloats(0, n, all, 0);
            float[][] rows = new float[n][w];
            for (int r = 0; r < n; r++) {
                System.arraycopy(all, r * w, rows[r], 0, w);
            }
            return rows;
        }
    }

    /**
     * A DataFrame of {@code columns} (name, .npy file, form: "array" for array&lt;float&gt;, "longs" for
     * array&lt;bigint&gt;, "vector", "int" for one integer, "double" for one double), row by row.
     */
    public static Dataset<Row> frame(String... columns) throws LoadException {
        int k = columns.length / 3;
        List<float[][]> data = new ArrayList<>();
        StructField[] fields = new StructField[k];
        for (int i = 0; i < k; i++) {
            String form = columns[3 * i + 2];
            data.add(form.equals("row") ? null : floats(columns[3 * i + 1]));
            DataType t = switch (form) {
                case "array" -> DataTypes.createArrayType(DataTypes.FloatType, false);
                case "longs" -> DataTypes.createArrayType(DataTypes.LongType, false);
                case "vector" -> SQLDataTypes.VectorType();
                case "int" -> DataTypes.IntegerType;
                case "double" -> DataTypes.DoubleType;
                case "row" -> DataTypes.LongType;
                default -> throw new IllegalArgumentException(form);
            };
            fields[i] = DataTypes.createStructField(columns[3 * i], t, false);
        }
        int n = data.get(0) != null ? data.get(0).length : data.get(1).length;
        List<Row> rows = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            Object[] values = new Object[k];
            for (int i = 0; i < k; i++) {
                if (data.get(i) == null) {
                    values[i] = (long) r;      // "row": the row's number
                    continue;
                }
                float[] v = data.get(i)[r];
                values[i] = switch (columns[3 * i + 2]) {
                    case "array" -> v;
                    case "longs" -> {
                        long[] l = new long[v.length];
                        for (int j = 0; j < v.length; j++) {
                            l[j] = (long) v[j];
                        }
                        yield l;
                    }
                    case "vector" -> {
                        double[] d = new double[v.length];
                        for (int j = 0; j < v.length; j++) {
                            d[j] = v[j];
                        }
                        yield Vectors.dense(d);
                    }
                    case "int" -> (int) v[0];
                    default -> (double) v[0];
                };
            }
            rows.add(RowFactory.create(values));
        }
        return local().createDataFrame(rows, new StructType(fields));
    }

    /** {@code df} written to Parquet under {@code dir} and read back (as the tests' users read their tables). */
    public static Dataset<Row> parquet(Dataset<Row> df, Path dir, String name) {
        String path = dir.resolve(name).toString();
        df.write().mode("overwrite").parquet(path);
        return local().read().parquet(path);
    }
}
