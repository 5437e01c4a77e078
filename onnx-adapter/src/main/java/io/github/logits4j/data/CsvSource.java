package io.github.logits4j.data;

import java.util.List;

/**
 * A CSV file feeding a model input (its feature columns), the labels (its label columns), or both, read as a stream
 * through {@link CsvReader}. A field that is not a number, or a label that does not fit the model, is a
 * {@link DataException} naming the file, line and column.
 *
 * <pre>{@code
 * CsvSource data = new CsvSource(csv, slot, featureColumns, LabelSpec.of(model), labelColumns);
 * int read = data.read(512, chunk);
 * }</pre>
 */
final class CsvSource implements Source {
    private final CsvReader csv;
    private final InputSlot slot;
    private final int[] featureColumns;
    private final LabelSpec labels;
    private final int[] labelColumns;

    /**
     * @param slot the model input the feature columns feed, or null
     * @param featureColumns the feature columns, in order (row-major values of one row of the input)
     * @param labels the labels the label columns hold, or null
     * @param labelColumns the label columns: one for per-row labels, C for a multi-label matrix
     */
    CsvSource(CsvReader csv, InputSlot slot, int[] featureColumns, LabelSpec labels, int[] labelColumns) {
        this.csv = csv;
        this.slot = slot;
        this.featureColumns = featureColumns;
        this.labels = labels;
        this.labelColumns = labelColumns;
    }

    @Override
    public String file() {
        return csv.file();
    }

    @Override
    public long rows() {
        return csv.ended() ? csv.rowsRead() : -1;
    }

    @Override
    public int read(int n, Batch chunk) {
        int r = 0;
        float[] floats = slot != null && !slot.integral() ? chunk.floats(slot.name()) : null;
        long[] longs = slot != null && slot.integral() ? chunk.longs(slot.name()) : null;
        int width = featureColumns.length;
        for (; r < n; r++) {
            String[] row = csv.next();
            if (row == null) {
                break;
            }
            if (floats != null) {
                for (int j = 0; j < width; j++) {
                    String field = row[featureColumns[j]];
                    Float v = Numbers.parseFloat(field);
                    if (v == null) {
                        throw notANumber(field, featureColumns[j]);
                    }
                    floats[r * width + j] = v;
                }
            } else if (longs != null) {
                for (int j = 0; j < width; j++) {
                    String field = row[featureColumns[j]];
                    Double v = Numbers.parse(field);
                    if (v == null || v != Math.rint(v) || Math.abs(v) > 0x1p53) {
                        throw new DataException(file() + ": line " + csv.line() + ", " + column(featureColumns[j])
                                + ": '" + field + "' is not an integer; the model's input '" + slot.name()
                                + "' takes integers");
                    }
                    longs[r * width + j] = v.longValue();
                }
            }
            if (labels != null) {
                readLabels(row, r, chunk);
            }
        }
        return r;
    }

    private void readLabels(String[] row, int r, Batch chunk) {
        if (labels.isMatrix()) {
            float[] y = chunk.labelMatrixBuffer();
            int width = labelColumns.length;
            for (int j = 0; j < width; j++) {
                String field = row[labelColumns[j]];
                Double v = Numbers.parse(field);
                if (v == null || !LabelSpec.isZeroOne(v)) {
                    throw labels.badMatrixValue("'" + field + "'", file(), "line " + csv.line() + ", "
                            + column(labelColumns[j]));
                }
                y[r * width + j] = v.floatValue();
            }
        } else {
            chunk.labelBuffer()[r] = labels.classIndex(row[labelColumns[0]], file(), "line " + csv.line() + ", "
                    + column(labelColumns[0]));
        }
    }

    private DataException notANumber(String field, int column) {
        return new DataException(file() + ": line " + csv.line() + ", " + column(column) + ": "
                + (field.isBlank() ? "the field is empty" : "'" + field + "' is not a number")
                + "; expected a number (or nan, inf)");
    }

    /** {@code column 3 ('petal_width')}, or {@code column 3} without a header. */
    private String column(int index) {
        List<String> header = csv.header();
        return "column " + index + (header == null ? "" : " ('" + header.get(index) + "')");
    }

    @Override
    public boolean hasMore() {
        return csv.hasNext();
    }

    @Override
    public long countRows() {
        while (csv.next() != null) {
            // counting the rest
        }
        return csv.rowsRead();
    }

    @Override
    public double progress() {
        return csv.progress();
    }

    @Override
    public void close() {
        csv.close();
    }
}
