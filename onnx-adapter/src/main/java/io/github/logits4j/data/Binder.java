package io.github.logits4j.data;

import io.github.logits4j.LoadException;
import io.github.logits4j.onnx.Inputs;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.onnx.Setting;
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
import java.util.function.Function;

/**
 * Opens the files of a {@link DataSet.Builder} and binds them to the model: each input setting to one of the model's
 * inputs (by name, or the only one), each file to its input's shape ({@link InputSlot}), the labels to the model's
 * task ({@link LabelSpec}), and CSV label columns by name or index. Files whose row counts are known must agree here;
 * CSV files are checked as they are read.
 *
 * <pre>{@code
 * DataSet data = Binder.open(DataSet.builder(model).input("x.npy").labels(Path.of("y.npy")));
 * }</pre>
 *
 * <p>Stateless; the files it opened are closed again when binding fails.
 */
final class Binder {
    private Binder() {
    }

    /**
     * Opens the files of {@code b} for its model.
     *
     * @throws DataException if a file is missing or unreadable, does not fit the model's inputs or labels, the input
     *     settings do not name the model's inputs, or files disagree on the number of rows
     */
    static DataSet open(DataSet.Builder b) {
        OnnxClassifier model = b.model;
        Path labelFile = b.labels;
        Function<Setting, String> say = b.settingNames;
        String inputsSetting = say.apply(Setting.INPUTS);
        Map<String, ValueSpec> specs = new LinkedHashMap<>();
        for (ValueSpec s : model.inspection().inputs()) {
            if (model.inputNames().contains(s.name())) {
                specs.put(s.name(), s);
            }
        }
        Map<String, Path> files = bind(b.inputs, specs, model.inspection().source(), inputsSetting);
        LabelSpec labelSpec = labelFile == null ? null : LabelSpec.of(model);
        Path labelKey = labelFile == null ? null : key(labelFile);
        if (labelFile != null) {
            requireRegular(labelFile, "labels");
        }
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
                double[] number = Files.exists(path) ? null : Numbers.parseList(file);   // "sr=16000": a value
                double[] value = axis == Inputs.NO_BATCH_AXIS ? number : null;
                if (value == null && number != null) {
                    throw new DataException(file + ": is a value, not a file; the model's input '" + spec.name()
                            + "' " + spec.type() + " takes its rows from a .npy or CSV file (" + inputsSetting + " "
                            + spec.name() + "=FILE); values on the command line are for inputs given once");
                }
                requireRegular(path, "input");
                if (value != null) {
                    slot = valueGiven(spec, value, file, inputsSetting);
                } else if (isNpy(path)) {
                    if (alsoLabels) {
                        throw new DataException(file + ": is both " + inputsSetting + " and "
                                + say.apply(Setting.LABELS) + "; a .npy file holds one array,"
                                + " so give the labels in a file of their own");
                    }
                    NpyArray array = openNpy(path);
                    try {
                        String what = "shape " + Arrays.toString(array.shape());
                        if (axis == Inputs.NO_BATCH_AXIS) {
                            slot = constant(spec, array, file);
                            array.close();
                        } else {
                            slot = InputSlot.bind(spec, axis, array.shape(), file, what, inputsSetting,
                                    b.reshapeInputs ? null : say.apply(Setting.RESHAPE_INPUTS));
                            sources.add(NpySource.forInput(array, file, slot));
                        }
                    } catch (RuntimeException ex) {
                        array.close();
                        throw ex;
                    }
                } else {
                    CsvReader csv = CsvReader.open(path, b.delimiter, b.header);
                    try {
                        int[] labelColumns = new int[0];
                        BitSet excluded = new BitSet();
                        if (alsoLabels) {
                            labelColumns = labelColumns(b.labelColumns, csv, labelSpec, true, say);
                            labelsRead = true;
                        } else if (!labelsAreCsv && b.labelColumns != null) {
                            labelColumns = Columns.resolve(b.labelColumns, csv, say);
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
                                features.length + " feature column" + (features.length == 1 ? "" : "s"),
                                inputsSetting, null);          // a CSV row is flat: reshaped to the input's row
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
                    CsvReader csv = CsvReader.open(labelFile, b.delimiter, b.header);
                    try {
                        int[] columns = labelColumns(b.labelColumns, csv, labelSpec, false, say);
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
                        throw mismatch(s, s.rows(), first, known, say);
                    }
                }
            }
            if (sources.isEmpty()) {
                throw new DataException(model.inspection().source() + ": every " + inputsSetting
                        + " is an input given once;"
                        + " expected at least one file with rows");
            }
            if (known == 0 || (known < 0 && !sources.get(0).hasMore())) {
                throw new DataException(sources.get(0).file() + ": no data rows");
            }
            StringBuilder names = new StringBuilder();
            for (Path p : files.values()) {
                names.append(names.length() == 0 ? "" : ", ").append(p);
            }
            return new DataSet(sources, slots, labelSpec, b.batchSize, names.toString(), known, say);
        } catch (RuntimeException e) {
            for (Source s : sources) {
                s.close();
            }
            throw e;
        }
    }

    /**
     * Binds each input setting to a model input: {@code NAME=PATH} (or {@code NAME=VALUE} for an input given once), or
     * a plain path for a one-input model; {@code option} names the setting in messages.
     */
    private static Map<String, Path> bind(List<String> values, Map<String, ValueSpec> specs, String model,
            String option) {
        Map<String, Path> files = new LinkedHashMap<>();
        List<String> plain = new ArrayList<>();
        for (String v : values) {
            int eq = v.indexOf('=');
            if (eq > 0 && specs.containsKey(v.substring(0, eq))) {
                String name = v.substring(0, eq);
                if (files.put(name, Path.of(v.substring(eq + 1))) != null) {
                    throw new DataException(model + ": " + option + " names the input '" + name + "' twice");
                }
            } else if (eq > 0 && !Files.exists(Path.of(v))) {
                throw new DataException(model + ": " + option + " " + v + " names the input '" + v.substring(0, eq)
                        + "', which the model does not have; its inputs are " + specs.keySet());
            } else {
                plain.add(v);
            }
        }
        if (!plain.isEmpty()) {
            if (specs.size() != 1 || plain.size() > 1 || !files.isEmpty()) {
                throw new DataException(model + ": the model has " + (specs.size() == 1 ? "one input "
                        : specs.size() + " inputs ") + specs.keySet() + "; give " + (specs.size() == 1
                        ? "one " + option + " PATH" : "each as " + option + " NAME=PATH") + " (found " + values
                        + ")");
            }
            files.put(specs.keySet().iterator().next(), Path.of(plain.get(0)));
        }
        List<String> missing = new ArrayList<>(specs.keySet());
        missing.removeAll(files.keySet());
        if (!missing.isEmpty()) {
            throw new DataException(model + ": no " + option + " for the model's input" + (missing.size() == 1 ? " "
                    : "s ") + missing + "; give each as " + option + " NAME=PATH");
        }
        Map<String, Path> ordered = new LinkedHashMap<>();
        for (String name : specs.keySet()) {
            ordered.put(name, files.get(name));
        }
        return ordered;
    }

    /** The label columns of a CSV file; the default is its last (last C) columns when it also holds the inputs. */
    private static int[] labelColumns(List<String> option, CsvReader csv, LabelSpec spec, boolean alsoInputs,
            Function<Setting, String> say) {
        String setting = say.apply(Setting.LABEL_COLUMNS);
        int width = spec.width();
        int[] columns;
        if (option != null) {
            columns = Columns.resolve(option, csv, say);
        } else if (alsoInputs) {
            if (csv.columns() <= width) {
                throw new DataException(csv.file() + ": has " + csv.columns() + " column" + (csv.columns() == 1 ? ""
                        : "s") + "; expected features followed by " + width + " label column" + (width == 1 ? "" : "s")
                        + " (choose them with " + setting + ")");
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
                    : "s") + (option != null ? " chosen by " + setting : "") + "; a " + spec.task().id()
                    + " model needs " + (width == 1 ? "one" : Integer.toString(width)) + " ("
                    + spec.expected() + ")" + (option == null && !alsoInputs ? "; choose them with " + setting
                    : ""));
        }
        return columns;
    }

    /** An input given once as numbers ({@code --inputs sr=16000}, {@code input("sr=16000")}): integers stay exact. */
    private static InputSlot valueGiven(ValueSpec spec, double[] values, String text, String option) {
        boolean whole = true;
        for (double v : values) {
            whole &= v == Math.rint(v) && Math.abs(v) < 0x1p63;
        }
        long[] shape = values.length == 1 ? new long[0] : new long[] {values.length};
        String where = option + " " + spec.name() + "=" + text;
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

    /**
     * Refuses a file that exists but is not a regular file (a device such as /dev/zero, a FIFO, a socket), which
     * would be read forever or block; a missing file is reported where it is opened.
     */
    static void requireRegular(Path path, String what) {
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw new DataException(path + ": is " + (Files.isDirectory(path) ? "a directory" : "not a regular file (a"
                    + " device, a FIFO or a socket)") + "; expected the " + what + " file");
        }
    }

    static boolean isNpy(Path path) {
        if (Files.isDirectory(path)) {
            throw new DataException(path + ": is a directory; expected a .npy or CSV file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            boolean magic = Arrays.equals(in.readNBytes(NpyArray.MAGIC.length), NpyArray.MAGIC);
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

    static DataException mismatch(Source a, long aRows, Source b, long bRows, Function<Setting, String> say) {
        return new DataException(a.file() + " has " + aRows + " rows; " + b.file() + " has " + bRows
                + ": every " + say.apply(Setting.INPUTS) + " and " + say.apply(Setting.LABELS) + " file must have"
                + " the same number of rows");
    }
}
