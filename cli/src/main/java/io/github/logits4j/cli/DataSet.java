package io.github.logits4j.cli;

import io.github.logits4j.LoadException;
import io.github.logits4j.data.NpyArray;
import io.github.logits4j.onnx.Inputs;
import io.github.logits4j.onnx.LabelledBatch;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.onnx.Scores;
import io.github.logits4j.onnx.ValueSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data a command runs the model on, read in chunks of consecutive rows: one file per model input ({@code .npy} or
 * CSV) and, for the commands that need them, the labels ({@code .npy}, a CSV file, or the label columns of the inputs
 * CSV). The files are bound to the model when the data set opens, so a file that does not fit the model's inputs or
 * labels fails before anything runs; files whose row counts are known must agree at once, CSV files by the end.
 *
 * <pre>{@code
 * try (DataSet data = DataSet.open(options, model, Path.of("y.npy"))) {
 *     for (Chunk c; (c = data.next()) != null; ) {
 *         Scores s = model.run(c.inputs());
 *     }
 * }
 * }</pre>
 *
 * <p>File kinds are told by content: a file that starts with the {@code .npy} magic string is NumPy, any other is CSV.
 * Not thread-safe; one pass.
 */
final class DataSet implements AutoCloseable {
    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private final List<Source> sources;
    private final List<InputSlot> slots;
    private final LabelSpec labels;
    private final int batchSize;
    private final String inputFiles;
    private final long knownRows;
    private long done;

    private DataSet(List<Source> sources, List<InputSlot> slots, LabelSpec labels, int batchSize, String inputFiles,
            long knownRows) {
        this.sources = sources;
        this.slots = slots;
        this.labels = labels;
        this.batchSize = batchSize;
        this.inputFiles = inputFiles;
        this.knownRows = knownRows;
    }

    /**
     * Opens the files of {@code options} (and {@code labelFile}, if not null) for {@code model}.
     *
     * @throws DataException if a file is missing or unreadable, does not fit the model's inputs or labels, the
     *     {@code --inputs} do not name the model's inputs, or files disagree on the number of rows
     */
    static DataSet open(DataOptions options, OnnxClassifier model, Path labelFile) {
        Map<String, ValueSpec> specs = new LinkedHashMap<>();
        for (ValueSpec s : model.inspection().inputs()) {
            if (model.inputNames().contains(s.name())) {
                specs.put(s.name(), s);
            }
        }
        Map<String, Path> files = bind(options.inputs, specs, model.inspection().source());
        LabelSpec labelSpec = labelFile == null ? null : LabelSpec.of(model);
        Path labelKey = labelFile == null ? null : key(labelFile);
        boolean labelsAreCsv = labelFile != null && !isNpy(labelFile);
        List<Source> sources = new ArrayList<>();
        List<InputSlot> slots = new ArrayList<>();
        try {
            boolean labelsRead = false;
            Map<String, Integer> axes = model.inspection().batchAxes();
            for (Map.Entry<String, Path> e : files.entrySet()) {
                ValueSpec spec = specs.get(e.getKey());
                int axis = axes.getOrDefault(e.getKey(), 0);
                Path path = e.getValue();
                String file = path.toString();
                boolean alsoLabels = labelKey != null && key(path).equals(labelKey);
                InputSlot slot;
                double[] value = axis == Inputs.NO_BATCH_AXIS && !Files.exists(path) ? Numbers.parseList(file) : null;
                if (value != null) {
                    slot = valueOnCommandLine(spec, value, file);
                } else if (isNpy(path)) {
                    if (alsoLabels) {
                        throw new DataException(file + ": is both --inputs and --labels; a .npy file holds one array,"
                                + " so give the labels in a file of their own");
                    }
                    NpyArray array = openNpy(path);
                    try {
                        String what = "shape " + Arrays.toString(array.shape());
                        if (axis == Inputs.NO_BATCH_AXIS) {
                            slot = constant(spec, array, file);
                            array.close();
                        } else {
                            slot = InputSlot.bind(spec, axis, array.shape(), file, what);
                            sources.add(NpySource.forInput(array, file, slot));
                        }
                    } catch (RuntimeException ex) {
                        array.close();
                        throw ex;
                    }
                } else {
                    CsvReader csv = CsvReader.open(path, options.delimiter(), options.header());
                    try {
                        int[] labelColumns = new int[0];
                        BitSet excluded = new BitSet();
                        if (alsoLabels) {
                            labelColumns = labelColumns(options.labelColumns, csv, labelSpec, true);
                            labelsRead = true;
                        } else if (!labelsAreCsv && options.labelColumns != null) {
                            labelColumns = Columns.resolve(options.labelColumns, csv, "--label-columns");
                        }
                        for (int c : labelColumns) {
                            excluded.set(c);
                        }
                        int[] features = new int[csv.columns() - excluded.cardinality()];
                        for (int c = 0, f = 0; c < csv.columns(); c++) {
                            if (!excluded.get(c)) {
                                features[f++] = c;
                            }
                        }
                        if (features.length == 0) {
                            throw new DataException(file + ": no feature columns" + (csv.columns() == 0
                                    ? " (the file is empty)" : " are left once the label columns are taken"));
                        }
                        slot = InputSlot.bind(spec, axis, new long[] {-1, features.length}, file,
                                features.length + " feature column" + (features.length == 1 ? "" : "s")
                               );
                        sources.add(new CsvSource(csv, slot, features, alsoLabels ? labelSpec : null,
                                alsoLabels ? labelColumns : null));
                    } catch (RuntimeException ex) {
                        csv.close();
                        throw ex;
                    }
                }
                slots.add(slot);
            }
            if (labelFile != null && !labelsRead) {
                String file = labelFile.toString();
                if (!labelsAreCsv) {
                    NpyArray array = openNpy(labelFile);
                    try {
                        sources.add(NpySource.forLabels(array, file, labelSpec));
                    } catch (RuntimeException ex) {
                        array.close();
                        throw ex;
                    }
                } else {
                    CsvReader csv = CsvReader.open(labelFile, options.delimiter(), options.header());
                    try {
                        int[] columns = labelColumns(options.labelColumns, csv, labelSpec, false);
                        sources.add(new CsvSource(csv, null, new int[0], labelSpec, columns));
                    } catch (RuntimeException ex) {
                        csv.close();
                        throw ex;
                    }
                }
            }
            long known = -1;
            Source first = null;
            for (Source s : sources) {
                if (s.rows() >= 0) {
                    if (first == null) {
                        first = s;
                        known = s.rows();
                    } else if (s.rows() != known) {
                        throw mismatch(s, s.rows(), first, known);
                    }
                }
            }
            if (sources.isEmpty()) {
                throw new DataException(model.inspection().source() + ": every --inputs is an input given once;"
                        + " expected at least one file with rows");
            }
            if (known == 0 || (known < 0 && !sources.get(0).hasMore())) {
                throw new DataException(sources.get(0).file() + ": no data rows");
            }
            StringBuilder names = new StringBuilder();
            for (Path p : files.values()) {
                names.append(names.length() == 0 ? "" : ", ").append(p);
            }
            return new DataSet(sources, slots, labelSpec, options.batchSize, names.toString(), known);
        } catch (RuntimeException e) {
            for (Source s : sources) {
                s.close();
            }
            throw e;
        }
    }

    /** Binds each {@code --inputs} value to a model input: {@code NAME=PATH}, or a plain path for a one-input model. */
    private static Map<String, Path> bind(List<String> values, Map<String, ValueSpec> specs, String model) {
        Map<String, Path> files = new LinkedHashMap<>();
        List<String> plain = new ArrayList<>();
        for (String v : values) {
            int eq = v.indexOf('=');
            if (eq > 0 && specs.containsKey(v.substring(0, eq))) {
                String name = v.substring(0, eq);
                if (files.put(name, Path.of(v.substring(eq + 1))) != null) {
                    throw new DataException(model + ": --inputs names the input '" + name + "' twice");
                }
            } else if (eq > 0 && !Files.exists(Path.of(v))) {
                throw new DataException(model + ": --inputs " + v + " names the input '" + v.substring(0, eq)
                        + "', which the model does not have; its inputs are " + specs.keySet());
            } else {
                plain.add(v);
            }
        }
        if (!plain.isEmpty()) {
            if (specs.size() != 1 || plain.size() > 1 || !files.isEmpty()) {
                throw new DataException(model + ": the model has " + (specs.size() == 1 ? "one input "
                        : specs.size() + " inputs ") + specs.keySet() + "; give " + (specs.size() == 1
                        ? "one --inputs PATH" : "each as --inputs NAME=PATH") + " (found " + values + ")");
            }
            files.put(specs.keySet().iterator().next(), Path.of(plain.get(0)));
        }
        List<String> missing = new ArrayList<>(specs.keySet());
        missing.removeAll(files.keySet());
        if (!missing.isEmpty()) {
            throw new DataException(model + ": no --inputs for the model's input" + (missing.size() == 1 ? " " : "s ")
                    + missing + "; give each as --inputs NAME=PATH");
        }
        Map<String, Path> ordered = new LinkedHashMap<>();
        for (String name : specs.keySet()) {
            ordered.put(name, files.get(name));
        }
        return ordered;
    }

    /** The label columns of a CSV file; the default is its last (last C) columns when it also holds the inputs. */
    private static int[] labelColumns(List<String> option, CsvReader csv, LabelSpec spec, boolean alsoInputs) {
        int width = spec.width();
        int[] columns;
        if (option != null) {
            columns = Columns.resolve(option, csv, "--label-columns");
        } else if (alsoInputs) {
            if (csv.columns() <= width) {
                throw new DataException(csv.file() + ": has " + csv.columns() + " column" + (csv.columns() == 1 ? ""
                        : "s") + "; expected features followed by " + width + " label column" + (width == 1 ? "" : "s")
                        + " (choose them with --label-columns)");
            }
            columns = new int[width];
            for (int j = 0; j < width; j++) {
                columns[j] = csv.columns() - width + j;
            }
        } else {
            columns = new int[csv.columns()];
            for (int j = 0; j < columns.length; j++) {
                columns[j] = j;
            }
        }
        if (columns.length != width) {
            throw new DataException(csv.file() + ": " + columns.length + " label column" + (columns.length == 1 ? ""
                    : "s") + (option != null ? " chosen by --label-columns" : "") + "; a " + spec.task().id()
                    + " model needs " + (width == 1 ? "one" : Integer.toString(width)) + " ("
                    + spec.expected() + ")" + (option == null && !alsoInputs ? "; choose them with --label-columns"
                    : ""));
        }
        return columns;
    }

    /** An input given once as numbers on the command line ({@code --inputs sr=16000}): integers stay exact. */
    private static InputSlot valueOnCommandLine(ValueSpec spec, double[] values, String text) {
        boolean whole = true;
        for (double v : values) {
            whole &= v == Math.rint(v) && Math.abs(v) < 0x1p63;
        }
        long[] shape = values.length == 1 ? new long[0] : new long[] {values.length};
        String where = "--inputs " + spec.name() + "=" + text;
        if (whole) {
            long[] longs = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                longs[i] = (long) values[i];
            }
            return InputSlot.constant(spec, shape, null, longs, where);
        }
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return InputSlot.constant(spec, shape, floats, null, where);
    }

    /** An input given once, read whole from a 0-d or fixed-shape {@code .npy} file. */
    private static InputSlot constant(ValueSpec spec, NpyArray array, String file) {
        long[] shape = array.shape();
        long size = 1;
        for (long d : shape) {
            size = Math.multiplyExact(size, d);
        }
        if (size > 1 << 24) {
            throw new DataException(file + ": the model's input '" + spec.name() + "' is given once; the file has "
                    + size + " values (shape " + Arrays.toString(shape) + "), more than an input given once holds");
        }
        int axis0 = shape.length == 0 ? 1 : (int) shape[0];
        if (array.dtype().isIntegral()) {
            long[] data = new long[(int) size];
            array.readLongs(0, 0, axis0, data, 0);
            return InputSlot.constant(spec, shape, null, data, file);
        }
        float[] data = new float[(int) size];
        array.readFloats(0, 0, axis0, data, 0);
        return InputSlot.constant(spec, shape, data, null, file);
    }

    private static NpyArray openNpy(Path path) {
        try {
            return NpyArray.open(path);
        } catch (LoadException e) {
            throw new DataException(e.getMessage(), e);
        }
    }

    /** Whether {@code path} starts with the {@code .npy} magic string. */
    static boolean isNpy(Path path) {
        if (Files.isDirectory(path)) {
            throw new DataException(path + ": is a directory; expected a .npy or CSV file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            boolean magic = Arrays.equals(in.readNBytes(NPY_MAGIC.length), NPY_MAGIC);
            if (!magic && path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
                throw new DataException(path + ": is named .npy but does not start with the NumPy magic string"
                        + " \\x93NUMPY; expected a file written by numpy.save (a CSV file should not be named .npy)");
            }
            return magic;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new DataException(path + ": file not found");
        } catch (IOException e) {
            throw new DataException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static Path key(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static DataException mismatch(Source a, long aRows, Source b, long bRows) {
        return new DataException(a.file() + " has " + aRows + " rows; " + b.file() + " has " + bRows
                + ": every --inputs and --labels file must have the same number of rows");
    }

    /**
     * The next chunk of at most {@code --batch-size} rows, or null after the last.
     *
     * @throws DataException if a row cannot be read or the files turn out to have different numbers of rows
     */
    Chunk next() {
        try {
            return read();
        } catch (IllegalArgumentException | java.io.UncheckedIOException | IndexOutOfBoundsException e) {
            throw new DataException(e.getMessage(), e);
        }
    }

    private Chunk read() {
        int want = batchSize;
        if (knownRows >= 0) {
            want = (int) Math.min(want, knownRows - done);
            if (want == 0) {
                for (Source s : sources) {
                    if (s.rows() < 0 && s.hasMore()) {
                        throw mismatch(s, s.countRows(), firstKnown(), knownRows);
                    }
                }
                return null;
            }
        }
        Chunk chunk = new Chunk(slots, labels, want);
        int got = -1;
        Source first = null;
        for (Source s : sources) {
            int read = s.read(want, chunk);
            if (first == null) {
                got = read;
                first = s;
            } else if (read != got) {
                Source shorter = read < got ? s : first;
                Source longer = read < got ? first : s;
                throw mismatch(shorter, shorter.countRows(), longer, longer.countRows());
            }
        }
        if (got == 0) {
            return null;
        }
        chunk.seal(done, got);
        done += got;
        return chunk;
    }

    /**
     * Runs {@code model} on {@code chunk}.
     *
     * @throws DataException if the model fails on the chunk, naming the input files and the row in the data set
     *     (the model's output is NaN at row r, an input does not fit)
     */
    Scores run(OnnxClassifier model, Chunk chunk) {
        try {
            return model.run(chunk.inputs());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw failure(e, chunk);
        }
    }

    /** A failure of the model (or the evaluation) on {@code chunk}, with the rows of the data set and its files. */
    DataException failure(RuntimeException e, Chunk chunk) {
        if (e instanceof DataException d) {
            return d;
        }
        return new DataException(Errors.inRows(e.getMessage(), chunk == null ? 0 : chunk.firstRow(), inputFiles), e);
    }

    /**
     * The chunks as labelled batches for {@code OnnxClassifier.evaluate}, one pass; {@code onChunk} sees each chunk
     * as it is handed out (the last one is where a failure of the evaluation happened).
     */
    Iterable<LabelledBatch> labelledBatches(java.util.function.Consumer<Chunk> onChunk) {
        return () -> new java.util.Iterator<>() {
            private Chunk pending;
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
                    throw new java.util.NoSuchElementException();
                }
                Chunk c = pending;
                pending = null;
                onChunk.accept(c);
                return c.labelled();
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
    long rows() {
        return knownRows;
    }

    /** The rows read so far. */
    long rowsRead() {
        return done;
    }

    /** The fraction read so far, in [0, 1]. */
    double progress() {
        return knownRows > 0 ? (double) done / knownRows : sources.get(0).progress();
    }

    /** The input files, comma-separated: where a failure in the model's rows is reported. */
    String inputFiles() {
        return inputFiles;
    }

    @Override
    public void close() {
        for (Source s : sources) {
            s.close();
        }
    }
}
