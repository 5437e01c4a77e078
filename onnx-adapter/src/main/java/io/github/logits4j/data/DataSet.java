package io.github.logits4j.data;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.LoadException;
import io.github.logits4j.OutputKind;
import io.github.logits4j.onnx.EvaluationOptions;
import io.github.logits4j.onnx.EvaluationResult;
import io.github.logits4j.onnx.LabelledBatch;
import io.github.logits4j.onnx.ModelTemperature;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.onnx.Scores;
import io.github.logits4j.onnx.Setting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The data a model runs on, bound to that model and read in batches of consecutive rows: one file per model input
 * ({@code .npy}, read through a memory map, or CSV, read as a stream) or a value for an input the model takes once, and
 * optionally the labels ({@code .npy}, a CSV file, or the label columns of the inputs' CSV file). The files are bound
 * to the model when the data set opens, so a file that does not fit the model's inputs or labels fails before
 * anything runs; files whose row counts are known must agree at once, CSV files by the end. Every error is a
 * {@link DataException} naming the file, the row of the data set (or the CSV line) and column, what was expected and
 * what was found; the command-line tool reads its data through this class too.
 *
 * <pre>{@code
 * try (DataSet data = DataSet.builder(model)
 *         .input("x.npy")                          // the model's only input; "NAME=PATH" for several
 *         .labels(Path.of("y.npy"))
 *         .batchSize(512)
 *         .open()) {
 *     EvaluationResult r = data.evaluate(model, EvaluationOptions.defaults());
 * }
 * }</pre>
 *
 * <p>File kinds are told by content: a file that starts with the {@code .npy} magic string is NumPy, any other is CSV.
 * Not thread-safe; one pass.
 */
public final class DataSet implements Iterable<LabelledBatch>, AutoCloseable {
    /** Rows per batch unless {@link Builder#batchSize} says otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 512;

    private final List<Source> sources;
    private final List<InputSlot> slots;
    private final LabelSpec labels;
    private final int batchSize;
    private final String inputFiles;
    private final long knownRows;
    private final Function<Setting, String> say;
    private long done;
    private boolean iterated;

    DataSet(List<Source> sources, List<InputSlot> slots, LabelSpec labels, int batchSize, String inputFiles,
            long knownRows, Function<Setting, String> say) {
        this.sources = sources;
        this.slots = slots;
        this.labels = labels;
        this.batchSize = batchSize;
        this.inputFiles = inputFiles;
        this.knownRows = knownRows;
        this.say = say;
    }

    /** A builder of a data set for {@code model}. */
    public static Builder builder(OnnxClassifier model) {
        return new Builder(Objects.requireNonNull(model, "model"));
    }

    /**
     * The next batch of at most the batch size rows, or null after the last.
     *
     * @throws DataException if a row cannot be read or the files turn out to have different numbers of rows
     */
    public @Nullable Batch next() {
        try {
            return read();
        } catch (IllegalArgumentException | UncheckedIOException | IndexOutOfBoundsException e) {
            throw new DataException(e.getMessage(), e);
        }
    }

    private Batch read() {
        int want = batchSize;
        if (knownRows >= 0) {
            want = (int) Math.min(want, knownRows - done);
            if (want == 0) {
                for (Source s : sources) {
                    if (s.rows() < 0 && s.hasMore()) {
                        throw Binder.mismatch(s, s.countRows(), firstKnown(), knownRows, say);
                    }
                }
                return null;
            }
        }
        Batch batch = new Batch(slots, labels, want);
        int got = -1;
        Source first = null;
        for (Source s : sources) {
            int read = s.read(want, batch);
            if (first == null) {
                got = read;
                first = s;
            } else if (read != got) {
                Source shorter = read < got ? s : first;
                Source longer = read < got ? first : s;
                throw Binder.mismatch(shorter, shorter.countRows(), longer, longer.countRows(), say);
            }
        }
        if (got == 0) {
            return null;
        }
        batch.seal(done, got);
        done += got;
        return batch;
    }

    /**
     * Runs {@code model} on {@code batch}.
     *
     * @throws DataException if the model fails on the batch, naming the input files and the row of the data set (the
     *     model's output is NaN at row r, an input does not fit)
     */
    public Scores run(OnnxClassifier model, Batch batch) {
        try {
            return model.run(batch.inputs());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw failure(e);
        }
    }

    /**
     * Evaluates {@code model} on every remaining row: {@link OnnxClassifier#evaluate} over this data set's labelled
     * batches, its failures as {@link DataException}s naming the input files and the row of the data set.
     *
     * @throws IllegalStateException if the data set has no labels
     */
    public EvaluationResult evaluate(OnnxClassifier model, EvaluationOptions options) {
        return evaluate(model, options, b -> { });
    }

    /**
     * {@link #evaluate(OnnxClassifier, EvaluationOptions)}, calling {@code onBatch} with each batch as it is handed
     * to the model (for progress). With 2 or more threads in the options the model runs one batch ahead
     * ({@link OnnxClassifier#evaluatePipelined}): the rows are read, and {@code onBatch} called, on a thread of the
     * evaluation's own, which has ended when this method returns.
     */
    public EvaluationResult evaluate(OnnxClassifier model, EvaluationOptions options, Consumer<Batch> onBatch) {
        Objects.requireNonNull(onBatch, "onBatch");
        requireLabels();
        try {
            return model.evaluatePipelined(batches(onBatch), options);
        } catch (DataException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw failure(e);
        }
    }

    /**
     * Runs {@code model} over every remaining row and keeps its outputs and the labels in memory, for threshold
     * tuning and temperature fitting ({@link CollectedScores}); probabilities are calibrated when
     * {@code temperature} is not null. {@code onBatch} sees each batch after it ran (for progress).
     *
     * @throws IllegalStateException if the data set has no labels
     * @throws DataException if a file cannot be read, the rows do not fit in one array, or the model fails on a row
     */
    public CollectedScores collect(OnnxClassifier model, @Nullable ModelTemperature temperature,
            Consumer<Batch> onBatch) {
        Objects.requireNonNull(onBatch, "onBatch");
        requireLabels();
        return CollectedScores.of(model, this, temperature, onBatch);
    }

    /**
     * Predicts every remaining row with {@code model} and writes the predictions to {@code out}: its header, each
     * batch's rows (the probabilities of the model's head, or {@code softmax(z / T)} / {@code sigmoid(z / T)} with a
     * temperature; a decision-value model's scores as they are), then its end. After each batch {@code afterBatch}
     * is called; when it returns false the run stops there, without the end (a reader went away). Labels, if the
     * data set has any, are not read.
     *
     * @return the rows written
     * @throws IOException if {@code out} cannot be written
     * @throws DataException if a file cannot be read or the model fails on a row, naming the row
     */
    public long predict(OnnxClassifier model, @Nullable ModelTemperature temperature, PredictionWriter out,
            Predicate<Batch> afterBatch) throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(afterBatch, "afterBatch");
        boolean decisionValues = model.outputKind() == OutputKind.DECISION_VALUES;
        long written = 0;
        out.header();
        for (Batch b; (b = next()) != null; ) {
            Scores scores = run(model, b);
            FloatMatrix p = temperature != null ? temperature.probabilities(scores.raw())
                    : decisionValues ? scores.raw() : scores.probabilities();
            out.write(b.firstRow(), p);
            written += b.rows();
            if (!afterBatch.test(b)) {
                return written;
            }
        }
        out.finish();
        return written;
    }

    private DataException failure(RuntimeException e) {
        return e instanceof DataException d ? d : new DataException(inputFiles + ": " + e.getMessage(), e);
    }

    private void requireLabels() {
        if (labels == null) {
            throw new IllegalStateException("the data set has no labels; open it with " + say.apply(Setting.LABELS)
                    + " to evaluate");
        }
    }

    /**
     * The remaining rows as labelled batches, for {@link OnnxClassifier#evaluate}; one pass.
     *
     * @throws IllegalStateException if the data set has no labels, or was already iterated
     */
    @Override
    public Iterator<LabelledBatch> iterator() {
        requireLabels();
        return batches(b -> { }).iterator();
    }

    private Iterable<LabelledBatch> batches(Consumer<Batch> onBatch) {
        if (iterated) {
            throw new IllegalStateException("a data set is read once; open it again to read it again");
        }
        iterated = true;
        return () -> new Iterator<>() {
            private Batch pending;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (pending == null && !ended) {
                    pending = DataSet.this.next();
                    ended = pending == null;
                }
                return pending != null;
            }

            @Override
            public LabelledBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Batch b = pending;
                pending = null;
                onBatch.accept(b);
                return b.labelled();
            }
        };
    }

    private Source firstKnown() {
        for (Source s : sources) {
            if (s.rows() >= 0) {
                return s;
            }
        }
        return sources.get(0);
    }

    /** The number of rows, or -1 if only CSV files are read and not yet to the end. */
    public long rows() {
        return knownRows;
    }

    /** The rows read so far. */
    public long rowsRead() {
        return done;
    }

    /** The fraction read so far, in [0, 1]. */
    public double progress() {
        return knownRows > 0 ? (double) done / knownRows : sources.get(0).progress();
    }

    /** The input files, comma-separated: where a failure in the model's rows is reported. */
    public String inputFiles() {
        return inputFiles;
    }

    /** Closes the files (their memory maps and streams). Idempotent. */
    @Override
    public void close() {
        for (Source s : sources) {
            s.close();
        }
    }

    @Override
    public String toString() {
        return "DataSet[" + inputFiles + ", " + (knownRows >= 0 ? knownRows + " rows" : "rows unknown") + ", "
                + done + " read, batch size " + batchSize + (labels == null ? "" : ", labelled") + "]";
    }

    /**
     * Configures a {@link DataSet}. Each setter validates its value at once; {@link #open()} opens the files, binds
     * them to the model and checks the combination.
     *
     * <pre>{@code
     * DataSet data = DataSet.builder(model)
     *         .input("input_ids=ids.npy").input("attention_mask=mask.npy")
     *         .labels(Path.of("labels.csv")).labelColumns(List.of("label"))
     *         .open();
     * }</pre>
     */
    public static final class Builder {
        final OnnxClassifier model;
        final List<String> inputs = new ArrayList<>();
        Path labels;
        List<String> labelColumns;
        Boolean header;
        char delimiter = ',';
        boolean reshapeInputs;
        int batchSize = DEFAULT_BATCH_SIZE;
        Function<Setting, String> settingNames = Setting::method;

        private Builder(OnnxClassifier model) {
            this.model = model;
        }

        /**
         * One model input's data: {@code PATH} (a {@code .npy} or CSV file) for a model with one input,
         * {@code NAME=PATH} for a named input, or {@code NAME=VALUE[,VALUE...]} for an input the model takes once (no
         * batch axis: a sample rate {@code sr=16000}). Repeat for a model with several inputs.
         */
        public Builder input(String spec) {
            Objects.requireNonNull(spec, "spec");
            if (spec.isBlank() || spec.endsWith("=")) {
                throw new IllegalArgumentException("input '" + spec + "' names no file; expected PATH, NAME=PATH or"
                        + " NAME=VALUE");
            }
            inputs.add(spec);
            return this;
        }

        /** The data of the model input {@code name}, in {@code file}. */
        public Builder input(String name, Path file) {
            Objects.requireNonNull(name, "name");
            return input(name + "=" + Objects.requireNonNull(file, "file"));
        }

        /** The model's only input, in {@code file}. */
        public Builder input(Path file) {
            return input(Objects.requireNonNull(file, "file").toString());
        }

        /**
         * The labels: a {@code .npy} file (class indices, 0/1, or a 0/1 matrix for multi-label), a CSV file, or the
         * same CSV file as the inputs (its last column, or last C columns, unless {@link #labelColumns} says).
         */
        public Builder labels(Path file) {
            this.labels = Objects.requireNonNull(file, "labels");
            return this;
        }

        /**
         * The CSV columns holding the labels, by header name or index (from 0; -1 is the last). Without a CSV labels
         * file, these columns of the inputs' CSV file are left out of the features.
         */
        public Builder labelColumns(List<String> columns) {
            Objects.requireNonNull(columns, "columns");
            for (String c : columns) {
                if (c == null || c.isBlank()) {
                    throw new IllegalArgumentException("label columns have an empty entry; expected names or"
                            + " indices");
                }
            }
            this.labelColumns = List.copyOf(columns);
            return this;
        }

        /** Whether CSV files start with a header row (default: detected: a first row with a field not a number). */
        public Builder header(boolean hasHeader) {
            this.header = hasHeader;
            return this;
        }

        /**
         * Whether the rows of a {@code .npy} input file may be reshaped to the model input's row shape when they hold
         * as many values in another layout (a [N, 8, 8] file for a [batch, 64] input), read in row-major order
         * (default false: refused, naming both shapes). CSV rows are flat and are always reshaped.
         */
        public Builder reshapeInputs(boolean allow) {
            this.reshapeInputs = allow;
            return this;
        }

        /** The CSV field delimiter (default {@code ','}). */
        public Builder delimiter(char delimiter) {
            if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
                throw new IllegalArgumentException("the delimiter must not be a quote or a line break");
            }
            this.delimiter = delimiter;
            return this;
        }

        /** Rows read and run at a time (default {@value DataSet#DEFAULT_BATCH_SIZE}); memory grows with it. */
        public Builder batchSize(int rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("batch size must be at least 1; found " + rows);
            }
            this.batchSize = rows;
            return this;
        }

        /**
         * How messages name the data settings (default {@link Setting#method()}: builder methods; a command-line
         * tool passes {@code Setting::option}).
         */
        public Builder settingNames(Function<Setting, String> names) {
            this.settingNames = Objects.requireNonNull(names, "names");
            return this;
        }

        /**
         * Opens the files and binds them to the model. Loading fails with the checked {@link LoadException}, as a
         * model's does; rows that turn out bad while the data set is read are {@link DataException}s.
         *
         * @throws LoadException if no input was given, a file is missing or unreadable, does not fit the model's
         *     inputs or labels, the inputs do not name the model's inputs, or files disagree on the number of rows
         *     (the message names the file, what was expected and what was found)
         * @throws IllegalStateException if the model does not tell its task (labels cannot be checked)
         */
        public DataSet open() throws LoadException {
            if (inputs.isEmpty()) {
                throw new LoadException(model.inspection().source() + ": no input data; give the model's inputs with "
                        + settingNames.apply(Setting.INPUTS));
            }
            try {
                return Binder.open(this);
            } catch (DataException e) {
                throw new LoadException(e.getMessage(), e);
            }
        }
    }
}
