package io.github.logits4j.data;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.Task;
import io.github.logits4j.OutputKind;
import io.github.logits4j.decision.DecisionThresholds;
import io.github.logits4j.decision.MultilabelDecision;
import io.github.logits4j.onnx.ModelConformal;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.decision.TopK;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes predictions row by row, as CSV (with a header), JSON lines, or one JSON array ({@link Format}):
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
 * PredictionWriter w = PredictionWriter.builder(model).format(PredictionWriter.Format.CSV).topK(3).build(writer);
 * dataSet.predict(model, null, w, batch -> true);           // header, every row, finish
 * }</pre>
 *
 * <p>Probabilities are the float32 values, written in their shortest exact form.
 */
public final class PredictionWriter {
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
    /** Each row's prediction set, when asked for: its members' names and its size. */
    private @Nullable ModelConformal sets;
    private List<String> setNames = List.of();
    private boolean[] inSet = new boolean[0];

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
    private static PredictionWriter multiclass(Writer out, boolean jsonLines, List<String> names, int k,
            boolean decisionValues) {
        return new PredictionWriter(out, jsonLines, Task.MULTICLASS, names, k, null, Double.NaN,
                decisionValues ? "score" : "probability");
    }

    /** Multi-label predictions: the labels {@code rule} turns on, and every probability. */
    private static PredictionWriter multilabel(Writer out, boolean jsonLines, List<String> names, MultilabelDecision rule) {
        return new PredictionWriter(out, jsonLines, Task.MULTILABEL, names, 0, rule, Double.NaN, "probability");
    }

    /** Binary predictions: the probability and {@code p >= threshold}. */
    private static PredictionWriter binary(Writer out, boolean jsonLines, double threshold) {
        return new PredictionWriter(out, jsonLines, Task.BINARY, List.of("positive"), 0, null, threshold,
                "probability");
    }

    /** The forms predictions are written in. */
    public enum Format {
        /** Comma-separated values with a header row. */
        CSV,
        /** One JSON object per line. */
        JSON_LINES,
        /** One JSON array of the rows' objects. */
        JSON;

        /** {@code csv}, {@code jsonl} or {@code json}, as the command line names them. */
        public static Format parse(String name) {
            return switch (Objects.requireNonNull(name, "name")) {
                case "csv" -> CSV;
                case "jsonl" -> JSON_LINES;
                case "json" -> JSON;
                default -> throw new IllegalArgumentException("prediction format is '" + name
                        + "'; expected csv, jsonl or json");
            };
        }
    }

    /** A builder of the writer of {@code model}'s predictions: its task and class names. */
    public static Builder builder(OnnxClassifier model) {
        return new Builder(model);
    }

    /**
     * Configures a {@link PredictionWriter} for one model; setters validate at once, {@link #build} against the
     * model's task.
     *
     * <pre>{@code
     * PredictionWriter w = PredictionWriter.builder(model).format(Format.JSON_LINES).thresholds(t).build(out);
     * }</pre>
     */
    public static final class Builder {
        private final OnnxClassifier model;
        private Format format = Format.CSV;
        private int topK;
        private DecisionThresholds thresholds = DecisionThresholds.DEFAULT;
        private boolean atLeastOne;
        private boolean spreadsheetSafe = true;
        private @Nullable ModelConformal sets;

        private Builder(OnnxClassifier model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** The form (default {@link Format#CSV}). */
        public Builder format(Format format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * The classes listed per row: the {@code k} best of a multi-class model (default 1), at most {@code k} labels
         * of a multi-label model (default: every label that passes); capped at the class count.
         *
         * @throws IllegalArgumentException if {@code k < 1}
         */
        public Builder topK(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("top-k is " + k + "; expected at least 1");
            }
            this.topK = k;
            return this;
        }

        /** The decision thresholds of a binary or multi-label model (default 0.5, {@code >=}). */
        public Builder thresholds(DecisionThresholds thresholds) {
            this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
            return this;
        }

        /** Whether a multi-label row with no label passing gets its most probable label (default false). */
        public Builder atLeastOne(boolean atLeastOne) {
            this.atLeastOne = atLeastOne;
            return this;
        }

        /**
         * Whether class names that a spreadsheet would run as a formula get a leading apostrophe in CSV (default
         * true; see {@link PredictionWriter#spreadsheetSafe}).
         */
        public Builder spreadsheetSafe(boolean safe) {
            this.spreadsheetSafe = safe;
            return this;
        }

        /**
         * Also write each row's prediction set ({@code set}: its classes' names, {@code set_size}), from sets fitted
         * to the model ({@link ModelConformal#fitTo}); multi-class and binary models.
         */
        public Builder conformal(ModelConformal sets) {
            this.sets = Objects.requireNonNull(sets, "sets");
            return this;
        }

        /**
         * The writer, writing to {@code out} (which it does not close).
         *
         * @throws IllegalArgumentException naming the model when a setting does not apply to its task: at-least-one
         *     for a model that is not multi-label, top-k for a binary model, per-label thresholds of another count
         */
        public PredictionWriter build(Writer out) {
            Objects.requireNonNull(out, "out");
            Task task = model.task();
            String source = model.inspection().source();
            if (task != Task.MULTILABEL && atLeastOne) {
                throw new IllegalArgumentException(source + ": is " + task.id() + "; at-least-one (--at-least-one)"
                        + " applies to multilabel models");
            }
            boolean jsonLines = format != Format.CSV;
            List<String> names = spreadsheetSafe && !jsonLines ? PredictionWriter.spreadsheetSafe(model.classNames())
                    : model.classNames();
            PredictionWriter w = switch (task) {
                case MULTICLASS -> multiclass(out, jsonLines, names,
                        Math.min(topK == 0 ? 1 : topK, model.classes()),
                        model.outputKind() == OutputKind.DECISION_VALUES);
                case MULTILABEL -> {
                    MultilabelDecision.Builder rule = MultilabelDecision.builder().input(OutputKind.PROBABILITIES)
                            .thresholds(thresholds.requireLabels(model.classes())).atLeastOne(atLeastOne);
                    if (topK > 0) {
                        rule.topK(Math.min(topK, model.classes()));
                    }
                    yield multilabel(out, jsonLines, names, rule.build());
                }
                case BINARY -> {
                    if (topK > 0) {
                        throw new IllegalArgumentException(source + ": is binary; top-k (--top-k) applies to"
                                + " multiclass and multilabel models");
                    }
                    yield binary(out, jsonLines, thresholds.threshold(0));
                }
            };
            if (sets != null) {
                ModelConformal.requireSetTask(model, "prediction sets");
                w.sets = sets;
                w.setNames = jsonLines ? ModelConformal.setClassNames(model)
                        : spreadsheetSafe ? PredictionWriter.spreadsheetSafe(ModelConformal.setClassNames(model))
                        : ModelConformal.setClassNames(model);
                w.inSet = new boolean[sets.classes()];
            }
            return format == Format.JSON ? w.asArray() : w;
        }
    }

    /** Writes the CSV header (nothing for JSON lines). */
    public void header() throws IOException {
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
        if (sets != null) {
            columns.add("set");
            columns.add("set_size");
        }
        csvLine(columns);
    }

    /** Writes one line per row of {@code probabilities}, numbered from {@code firstRow}. */
    public void write(long firstRow, FloatMatrix probabilities) throws IOException {
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
                        addSet(line, null, probabilities, r, firstRow + r);
                        jsonLine(line);
                    } else {
                        List<String> fields = new ArrayList<>(1 + 3 * k);
                        fields.add(Long.toString(firstRow + r));
                        for (int j = 0; j < k; j++) {
                            fields.add(Integer.toString(top[r * k + j]));
                            fields.add(names.get(top[r * k + j]));
                            fields.add(Float.toString(p[r * k + j]));
                        }
                        addSet(null, fields, probabilities, r, firstRow + r);
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
                        addSet(line, null, probabilities, r, firstRow + r);
                        jsonLine(line);
                    } else {
                        List<String> fields = new ArrayList<>(List.of(Long.toString(firstRow + r), Float.toString(p),
                                Integer.toString(decision)));
                        addSet(null, fields, probabilities, r, firstRow + r);
                        csvLine(fields);
                    }
                }
            }
        }
    }

    /** Adds row r's prediction set to a JSON line or to CSV fields, when sets are asked for. */
    private void addSet(@Nullable Map<String, Object> line, @Nullable List<String> fields, FloatMatrix probabilities,
            int r, long row) {
        if (sets == null) {
            return;
        }
        int size = sets.predict(probabilities, r, row, inSet);
        List<String> members = new ArrayList<>(size);
        for (int c = 0; c < inSet.length; c++) {
            if (inSet[c]) {
                members.add(setNames.get(c));
            }
        }
        if (line != null) {
            line.put("set", members);
            line.put("set_size", size);
        } else {
            fields.add(String.join(";", members));
            fields.add(Integer.toString(size));
        }
    }

    private void jsonLine(Map<String, Object> line) throws IOException {
        if (array) {
            out.write(written++ == 0 ? "[\n" : ",\n");
        }
        JsonLine.write(out, line);
        if (!array) {
            out.write('\n');
        }
    }

    /**
     * Writes the rows as one JSON array ({@code --format json}) instead of JSON lines: {@code [} before the first row,
     * {@code ,} between rows, and {@link #finish()} closes it ({@code []} for no rows).
     */
    private PredictionWriter asArray() {
        this.array = true;
        return this;
    }

    /** Ends the output: the closing bracket of a JSON array; nothing for CSV and JSON lines. */
    public void finish() throws IOException {
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
    public static List<String> spreadsheetSafe(List<String> names) {
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
