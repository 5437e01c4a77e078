package io.github.logits4j.cli;

import io.github.logits4j.DenseScores;
import io.github.logits4j.LoadException;
import io.github.logits4j.data.DataException;
import io.github.logits4j.data.NpyArray;
import io.github.logits4j.onnx.DenseEvaluation;
import io.github.logits4j.onnx.Inputs;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.report.DensePage;
import io.github.logits4j.report.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code evaluate} of a model with a dense output (a segmentation, a token classifier): the inputs and the labels
 * ({@code [N, d..]} class indices, the ignore index where not labelled) read from {@code .npy} files a batch of
 * samples at a time, run by {@code OnnxClassifier.runDense}, and the library's {@link DenseEvaluation} printed as text
 * or JSON.
 *
 * <pre>{@code
 * $ ./logits4j evaluate --model seg.onnx --inputs x.npy --labels masks.npy --ignore-index 255 --format json
 * }</pre>
 */
final class DenseEvaluate {
    private DenseEvaluate() {
    }

    /**
     * Evaluates {@code model} over the {@code .npy} inputs and labels, {@code batch} samples at a time, and returns
     * the report in {@code format} (text, json, or html: {@link DensePage}, with the first samples' masks of a
     * two-dimensional output).
     *
     * @throws LoadException if a file cannot be read or does not fit the model (naming the file, what was expected
     *     and what was found)
     */
    static String run(OnnxClassifier model, List<String> inputs, Path labels, int ignoreIndex, int batch,
            String format) throws LoadException {
        try (NpyArray y = NpyArray.open(labels)) {
            if (!y.dtype().isIntegral()) {
                throw new DataException(labels + ": labels of a dense model are class indices (int); found "
                        + y.dtype());
            }
            DenseEvaluation evaluation = DenseEvaluation.of(model, ignoreIndex);
            DensePage.Builder page = format.equals("html") ? DensePage.builder(model.classes(), ignoreIndex) : null;
            batches(model, inputs, batch, y.rows(), labels.toString(), (start, rows, total, scores) -> {
                if (y.rowSize() != scores.positions()) {
                    throw new DataException(labels + ": each sample has " + y.rowSize() + " labels "
                            + java.util.Arrays.toString(y.shape()) + "; the output has " + scores.positions()
                            + " positions " + java.util.Arrays.toString(scores.dims()) + " a sample");
                }
                long[] raw = new long[rows * y.rowSize()];
                y.readLongs(start, rows, raw, 0);
                int[] labelled = new int[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    labelled[i] = Math.toIntExact(raw[i]);
                }
                if (page != null && scores.dims().length == 2 && page.wantsMasks()) {
                    int[] decided = decide(scores);
                    int p = scores.positions();
                    for (int s = 0; s < rows && page.wantsMasks(); s++) {
                        page.addMasks(start + s, (int) scores.dims()[0], (int) scores.dims()[1], decided, labelled,
                                s * p);
                    }
                }
                try {
                    evaluation.add(scores, labelled);
                } catch (IllegalArgumentException e) {
                    throw new DataException(labels + ": " + e.getMessage().replaceFirst("at sample (\\d+)",
                            "at sample " + "$1 of the batch from row " + start) + " (set the label of unlabelled"
                            + " positions with --ignore-index)", e);
                }
            });
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", model.inspection().source());
            report.put("inputs", String.join(", ", inputs));
            report.put("labels", labels.toString());
            report.put("output", model.inspection().outputShapeNote());
            report.putAll(evaluation.toMap());
            if (format.equals("html")) {
                return page.render(report);
            }
            return format.equals("json") ? Json.pretty(report) + "\n" : text(report);
        }
    }

    /**
     * Writes the argmax masks of {@code model} over the {@code .npy} inputs to {@code output} ({@code .npy}, int64,
     * {@code [N, d1..dk]}), or with {@code topK} the {@code topK} most probable classes of every position with their
     * probabilities (records {@code (class int64, probability float32)}, {@code [N, d1..dk, k]}), whole or not at all.
     *
     * @throws LoadException if an input cannot be read or does not fit the model
     * @throws IOException if the file cannot be written
     */
    static void predict(OnnxClassifier model, List<String> inputs, int batch, Path output, Integer topK)
            throws LoadException, IOException {
        NpyOutput[] file = new NpyOutput[1];
        try {
            batches(model, inputs, batch, -1, null, (start, rows, total, scores) -> {
                try {
                    if (file[0] == null) {
                        file[0] = topK == null ? NpyOutput.masks(output, total, scores.dims())
                                : NpyOutput.topK(output, total, scores.dims(), topK);
                    }
                    if (topK == null) {
                        file[0].writeClasses(decide(scores), rows * scores.positions());
                    } else {
                        DenseScores probabilities = scores.allocateLike();
                        model.activation().apply(scores, probabilities, 1.0);
                        int[] classes = new int[rows * scores.positions() * topK];
                        float[] values = new float[classes.length];
                        io.github.logits4j.decision.TopK.into(probabilities, topK, classes, values);
                        file[0].writeRecords(classes, values, classes.length);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(output + ": cannot write: " + e.getMessage(), e);
                }
            });
            file[0].commit();
        } finally {
            if (file[0] != null) {
                file[0].close();
            }
        }
    }

    /** Each position's class: the first maximum along the class axis. */
    static int[] decide(DenseScores scores) {
        int[] out = new int[scores.samples() * scores.positions()];
        io.github.logits4j.decision.Argmax.into(scores, out);
        return out;
    }

    /** What a batch of dense scores is handed to. */
    @FunctionalInterface
    interface Batch {
        void accept(long start, int rows, long total, DenseScores scores) throws LoadException;
    }

    /**
     * Runs the model over the {@code .npy} inputs {@code batch} samples at a time ({@code rows}: the labels' count to
     * check the inputs against, or -1).
     */
    private static void batches(OnnxClassifier model, List<String> inputs, int batch, long rows, String rowsOf,
            Batch visitor) throws LoadException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        try {
            for (String in : inputs) {
                int eq = in.indexOf('=');
                String name = eq > 0 ? in.substring(0, eq) : single(model, in);
                Path file = Path.of(eq > 0 ? in.substring(eq + 1) : in);
                if (!file.toString().endsWith(".npy")) {
                    throw new DataException(file + ": the inputs of a dense model are read from .npy files");
                }
                arrays.put(name, NpyArray.open(file));
            }
            long n = rows >= 0 ? rows : arrays.values().iterator().next().rows();
            for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
                if (e.getValue().rows() != n) {
                    throw new DataException(e.getValue().file() + ": " + e.getValue().rows() + " rows for input '"
                            + e.getKey() + "'; " + (rowsOf != null ? "the labels " + rowsOf + " have " + n
                            : "the first input has " + n));
                }
            }
            for (long start = 0; start < n; start += batch) {
                int count = (int) Math.min(batch, n - start);
                Inputs.Builder b = Inputs.builder().firstRow(start);
                for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
                    NpyArray a = e.getValue();
                    long[] shape = a.shape();
                    shape[0] = count;
                    if (a.dtype().isIntegral()) {
                        long[] v = new long[count * a.rowSize()];
                        a.readLongs(start, count, v, 0);
                        b.add(e.getKey(), v, shape);
                    } else {
                        float[] v = new float[count * a.rowSize()];
                        a.readFloats(start, count, v, 0);
                        b.add(e.getKey(), v, shape);
                    }
                }
                visitor.accept(start, count, n, model.runDense(b.build()));
            }
        } finally {
            for (NpyArray a : arrays.values()) {
                a.close();
            }
        }
    }

    private static String single(OnnxClassifier model, String path) {
        if (model.inputNames().size() != 1) {
            throw new DataException("--inputs " + path + ": the model has inputs " + model.inputNames()
                    + "; name each as NAME=PATH");
        }
        return model.inputNames().iterator().next();
    }

    /** Key and value a line; lists of numbers on one line, nested maps indented; the confusion matrix in JSON only. */
    private static String text(Map<String, Object> report) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : report.entrySet()) {
            if (!e.getKey().equals("confusion_matrix")) {        // in the JSON report
                append(sb, "", e.getKey(), e.getValue());
            }
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, String indent, String key, Object value) {
        if (value instanceof Map<?, ?> m) {
            sb.append(indent).append(key).append('\n');
            for (Map.Entry<?, ?> e : m.entrySet()) {
                append(sb, indent + "  ", String.valueOf(e.getKey()), e.getValue());
            }
            return;
        }
        String v;
        if (value instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object o : list) {
                parts.add(o instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : String.valueOf(o));
            }
            v = String.join(", ", parts);
        } else if (value instanceof Double d) {
            v = String.format(Locale.ROOT, "%.6f", d);
        } else {
            v = String.valueOf(value);
        }
        sb.append(indent).append(String.format(Locale.ROOT, "%-24s %s%n", key, v));
    }
}
