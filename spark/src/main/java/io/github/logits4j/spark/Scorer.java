package io.github.logits4j.spark;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.data.DataException;
import io.github.logits4j.metrics.MulticlassMetrics;
import io.github.logits4j.onnx.ModelConformal;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.onnx.Scores;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.jspecify.annotations.Nullable;

/**
 * The transformer's work on one partition: reads rows in batches, runs each batch through the executor's classifier,
 * and returns each row with Spark ML's columns added (raw prediction, probability, prediction, top classes).
 * Probabilities are computed in float64 from the model's float32 outputs, as the evaluation computes them.
 *
 * <pre>{@code
 * Dataset<Row> scored = df.mapPartitions(new Scorer(handle, binding, 512, thresholds, 0, true), Encoders.row(out));
 * }</pre>
 */
final class Scorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final ModelHandle handle;
    private final Binding binding;
    private final int batch;
    private final double[] thresholds;
    private final int topK;
    private final boolean keepInputs;
    /** The prediction sets' file form, or null: a map, rebuilt on each executor. */
    private final @Nullable LinkedHashMap<String, Object> conformal;

    Scorer(ModelHandle handle, Binding binding, int batch, double[] thresholds, int topK, boolean keepInputs,
            @Nullable LinkedHashMap<String, Object> conformal) {
        this.handle = handle;
        this.binding = binding;
        this.batch = batch;
        this.thresholds = thresholds.clone();
        this.topK = topK;
        this.keepInputs = keepInputs;
        this.conformal = conformal;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        return new Iterator<>() {
            private final BatchFiller<Row> filler = new BatchFiller<>(binding, RowAccess.ROW, batch);
            private final Row[] rows = new Row[batch];
            private final Row[] out = new Row[batch];
            private double[] probabilities = new double[0];
            private int at;
            private int count;
            private final @Nullable ModelConformal sets = conformal == null ? null : sets(conformal);
            private final boolean[] inSet = new boolean[sets == null ? 0 : sets.classes()];
            private io.github.logits4j.onnx.@Nullable Inputs batchInputs;

            @Override
            public boolean hasNext() {
                if (at < count) {
                    return true;
                }
                if (!input.hasNext()) {
                    return false;
                }
                try {
                    fill();
                } catch (IllegalArgumentException | IllegalStateException | DataException e) {
                    throw PartitionFailure.of(e);
                }
                return at < count;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row r = out[at];
                out[at] = null;
                rows[at++] = null;
                return r;
            }

            private void fill() {
                filler.clear();
                int n = 0;
                while (n < batch && input.hasNext()) {
                    Row r = input.next();
                    filler.add(r);
                    rows[n++] = r;
                }
                OnnxClassifier model = handle.classifier();
                batchInputs = filler.inputs();
                Scores scores = model.run(batchInputs);
                FloatMatrix raw = scores.raw();
                int c = raw.cols();
                if (probabilities.length < n * c) {
                    probabilities = new double[n * c];
                }
                scores.activation().applyToDoubles(raw, probabilities);
                int[] top = topK > 0 ? scores.topK(Math.min(topK, c)) : null;
                for (int r = 0; r < n; r++) {
                    out[r] = row(rows[r], raw, r, c, scores, top);
                }
                at = 0;
                count = n;
            }

            private Row row(Row in, FloatMatrix raw, int r, int c, Scores scores, int[] top) {
                int base = keepInputs ? in.size() : 0;
                Object[] values = new Object[base + 3 + (top == null ? 0 : 2) + (sets == null ? 0 : 1)];
                if (sets != null) {
                    // the set of the head's float32 probabilities, as predict --conformal makes it; a row's uniform
                    // (randomized sets) from its row id: the row-id column's, or its partition and place there
                    int size = sets.predict(scores.probabilities(), r, batchInputs.rowId(r), inSet);
                    int[] members = new int[size];
                    for (int j = 0, i = 0; j < inSet.length; j++) {
                        if (inSet[j]) {
                            members[i++] = j;
                        }
                    }
                    values[values.length - 1] = members;
                }
                for (int i = 0; i < base; i++) {
                    values[i] = in.get(i);
                }
                int off = r * c;
                if (binding.task == Task.BINARY) {
                    double z = raw.get(r, 0);
                    double p = probabilities[off];
                    values[base] = Vectors.dense(rawPair(scores.outputKind(), z, p));
                    values[base + 1] = Vectors.dense(1.0 - p, p);
                    values[base + 2] = p >= thresholds[0] ? 1.0 : 0.0;
                    return RowFactory.create(values);
                }
                double[] rawRow = new double[c];
                double[] probRow = new double[c];
                for (int j = 0; j < c; j++) {
                    rawRow[j] = raw.get(r, j);
                    probRow[j] = probabilities[off + j];
                }
                values[base] = Vectors.dense(rawRow);
                values[base + 1] = Vectors.dense(probRow);
                if (binding.task == Task.MULTILABEL) {
                    int k = 0;
                    for (int j = 0; j < c; j++) {
                        k += probRow[j] >= thresholds[j] ? 1 : 0;
                    }
                    double[] labels = new double[k];
                    for (int j = 0, i = 0; j < c; j++) {
                        if (probRow[j] >= thresholds[j]) {
                            labels[i++] = j;
                        }
                    }
                    values[base + 2] = labels;
                } else {
                    values[base + 2] = (double) MulticlassMetrics.predictedClass(probabilities, off, c);
                }
                if (top != null) {
                    int k = top.length / raw.rows();
                    int[] classes = new int[k];
                    String[] names = new String[k];
                    List<String> all = scores.classNames();
                    for (int i = 0; i < k; i++) {
                        classes[i] = top[r * k + i];
                        names[i] = all.get(classes[i]);
                    }
                    values[base + 3] = classes;
                    values[base + 4] = names;
                }
                return RowFactory.create(values);
            }
        };
    }

    private static ModelConformal sets(LinkedHashMap<String, Object> map) {
        try {
            return ModelConformal.fromMap(map, "the prediction sets");
        } catch (io.github.logits4j.LoadException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Spark's two-column raw prediction of a binary output: the margin's two signs, or the two classes' scores. */
    private static double[] rawPair(OutputKind kind, double raw, double p) {
        return switch (kind) {
            case LOGITS, DECISION_VALUES -> new double[] {-raw, raw};
            case PROBABILITIES -> new double[] {1.0 - p, p};
            case LOG_PROBABILITIES -> new double[] {Math.log1p(-p), raw};
        };
    }
}
