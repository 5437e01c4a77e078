package io.github.logits4j.cli;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.Task;
import io.github.logits4j.decision.MultilabelDecision;
import io.github.logits4j.decision.TopK;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes predictions row by row, as CSV (with a header) or JSON lines:
 * <ul>
 *   <li>multi-class: the top-k classes of each row, best first, with their index, name and probability
 *       ({@code row,class,name,probability}; with k > 1 {@code class_1,name_1,probability_1,...});
 *       {@code {"row":0,"top_k":[{"class":7,"name":"seven","probability":0.99}]}};</li>
 *   <li>multi-label: the labels that pass their threshold, by name, and every label's probability
 *       ({@code row,labels,probability_<name>...}, labels separated by {@code ;});
 *       {@code {"row":0,"labels":["even"],"probabilities":{"even":0.93,"prime":0.02}}};</li>
 *   <li>binary: the probability and the decision ({@code row,probability,decision});
 *       {@code {"row":0,"probability":0.97,"decision":1}}.</li>
 * </ul>
 *
 * <pre>{@code
 * PredictionWriter w = PredictionWriter.multiclass(writer, false, classNames, 3);
 * w.header();
 * w.write(firstRow, probabilities);
 * }</pre>
 *
 * <p>Probabilities are the float32 values, written in their shortest exact form.
 */
final class PredictionWriter {
    private final Writer out;
    private final boolean jsonLines;
    private boolean array;
    private long written;
    private final Task task;
    private final List<String> names;
    private final int k;
    private final MultilabelDecision rule;
    private final double threshold;
    private final boolean uniqueNames;
    /** What the multi-class values are: {@code probability}, or {@code score} for decision values. */
    private final String valueName;

    private PredictionWriter(Writer out, boolean jsonLines, Task task, List<String> names, int k,
            MultilabelDecision rule, double threshold, String valueName) {
        this.valueName = valueName;
        this.out = out;
        this.jsonLines = jsonLines;
        this.task = task;
        this.names = names;
        this.k = k;
        this.rule = rule;
        this.threshold = threshold;
        this.uniqueNames = new HashSet<>(names).size() == names.size();
    }

    /**
     * Multi-class predictions: the {@code k} most probable classes of each row, with their probabilities, or (for a
     * model that emits decision values) the {@code k} highest-scoring classes with their scores, in columns named
     * {@code score}.
     */
    static PredictionWriter multiclass(Writer out, boolean jsonLines, List<String> names, int k,
            boolean decisionValues) {
        return new PredictionWriter(out, jsonLines, Task.MULTICLASS, names, k, null, Double.NaN,
                decisionValues ? "score" : "probability");
    }

    /** Multi-label predictions: the labels {@code rule} turns on, and every probability. */
    static PredictionWriter multilabel(Writer out, boolean jsonLines, List<String> names, MultilabelDecision rule) {
        return new PredictionWriter(out, jsonLines, Task.MULTILABEL, names, 0, rule, Double.NaN, "probability");
    }

    /** Binary predictions: the probability and {@code p >= threshold}. */
    static PredictionWriter binary(Writer out, boolean jsonLines, double threshold) {
        return new PredictionWriter(out, jsonLines, Task.BINARY, List.of("positive"), 0, null, threshold,
                "probability");
    }

    /** Writes the CSV header (nothing for JSON lines). */
    void header() throws IOException {
        if (jsonLines) {
            return;
        }
        List<String> columns = new ArrayList<>();
        columns.add("row");
        switch (task) {
            case MULTICLASS -> {
                for (int j = 1; j <= k; j++) {
                    String suffix = k == 1 ? "" : "_" + j;
                    columns.add("class" + suffix);
                    columns.add("name" + suffix);
                    columns.add(valueName + suffix);
                }
            }
            case MULTILABEL -> {
                columns.add("labels");
                for (String n : names) {
                    columns.add("probability_" + n);
                }
            }
            case BINARY -> {
                columns.add("probability");
                columns.add("decision");
            }
        }
        csvLine(columns);
    }

    /** Writes one line per row of {@code probabilities}, numbered from {@code firstRow}. */
    void write(long firstRow, FloatMatrix probabilities) throws IOException {
        int rows = probabilities.rows();
        int c = probabilities.cols();
        switch (task) {
            case MULTICLASS -> {
                int[] top = new int[rows * k];
                float[] p = new float[rows * k];
                TopK.into(probabilities, k, top, p);
                for (int r = 0; r < rows; r++) {
                    if (jsonLines) {
                        List<Map<String, Object>> list = new ArrayList<>(k);
                        for (int j = 0; j < k; j++) {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("class", top[r * k + j]);
                            m.put("name", names.get(top[r * k + j]));
                            m.put(valueName, p[r * k + j]);
                            list.add(m);
                        }
                        Map<String, Object> line = new LinkedHashMap<>();
                        line.put("row", firstRow + r);
                        line.put("top_k", list);
                        jsonLine(line);
                    } else {
                        List<String> fields = new ArrayList<>(1 + 3 * k);
                        fields.add(Long.toString(firstRow + r));
                        for (int j = 0; j < k; j++) {
                            fields.add(Integer.toString(top[r * k + j]));
                            fields.add(names.get(top[r * k + j]));
                            fields.add(Float.toString(p[r * k + j]));
                        }
                        csvLine(fields);
                    }
                }
            }
            case MULTILABEL -> {
                boolean[] on = rule.decide(probabilities);
                float[] row = new float[c];
                for (int r = 0; r < rows; r++) {
                    probabilities.copyRowTo(r, row, 0);
                    List<String> passed = new ArrayList<>();
                    for (int j = 0; j < c; j++) {
                        if (on[r * c + j]) {
                            passed.add(names.get(j));
                        }
                    }
                    if (jsonLines) {
                        Map<String, Object> line = new LinkedHashMap<>();
                        line.put("row", firstRow + r);
                        line.put("labels", passed);
                        Map<String, Object> probs = new LinkedHashMap<>();
                        for (int j = 0; j < c; j++) {
                            probs.put(uniqueNames ? names.get(j) : Integer.toString(j), row[j]);
                        }
                        line.put("probabilities", probs);
                        jsonLine(line);
                    } else {
                        List<String> fields = new ArrayList<>(2 + c);
                        fields.add(Long.toString(firstRow + r));
                        fields.add(String.join(";", passed));
                        for (int j = 0; j < c; j++) {
                            fields.add(Float.toString(row[j]));
                        }
                        csvLine(fields);
                    }
                }
            }
            case BINARY -> {
                float t = (float) threshold;
                for (int r = 0; r < rows; r++) {
                    float p = probabilities.get(r, 0);
                    int decision = p >= t ? 1 : 0;
                    if (jsonLines) {
                        Map<String, Object> line = new LinkedHashMap<>();
                        line.put("row", firstRow + r);
                        line.put("probability", p);
                        line.put("decision", decision);
                        jsonLine(line);
                    } else {
                        csvLine(List.of(Long.toString(firstRow + r), Float.toString(p), Integer.toString(decision)));
                    }
                }
            }
        }
    }

    private void jsonLine(Map<String, Object> line) throws IOException {
        if (array) {
            out.write(written++ == 0 ? "[\n" : ",\n");
        }
        out.write(Json.line(line));
        if (!array) {
            out.write('\n');
        }
    }

    /**
     * Writes the rows as one JSON array ({@code --format json}) instead of JSON lines: {@code [} before the first row,
     * {@code ,} between rows, and {@link #finish()} closes it ({@code []} for no rows).
     */
    PredictionWriter asArray() {
        this.array = true;
        return this;
    }

    /** Ends the output: the closing bracket of a JSON array; nothing for CSV and JSON lines. */
    void finish() throws IOException {
        if (array) {
            out.write(written == 0 ? "[]\n" : "\n]\n");
        }
    }

    private void csvLine(List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(quote(fields.get(i)));
        }
        out.write('\n');
    }

    /**
     * Class names made safe for a spreadsheet that opens the CSV file: a name that starts with {@code =}, {@code +},
     * {@code -}, {@code @}, a tab or a carriage return (which Excel, LibreOffice and Google Sheets would run as a
     * formula) gets a leading apostrophe, which the spreadsheet shows as text.
     */
    static List<String> spreadsheetSafe(List<String> names) {
        List<String> out = new ArrayList<>(names.size());
        for (String n : names) {
            boolean formula = !n.isEmpty() && "=+-@\t\r".indexOf(n.charAt(0)) >= 0;
            out.add(formula ? "'" + n : n);
        }
        return out;
    }

    /** A CSV field, quoted when it holds a comma, a quote or a line break. */
    static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0
                && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
