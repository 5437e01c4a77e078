package io.github.logits4j.data;

import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A streaming CSV reader on FastCSV: one row in memory at a time, so a file of any size can be read. UTF-8 (a
 * byte-order mark is skipped), fields separated by one delimiter character, RFC 4180 quotes ({@code "a, b"},
 * {@code ""} for a quote, line breaks inside quotes), blank lines skipped. Every row must have as many fields as the
 * first; a row that has not, a quote that is never closed, or bytes that are not UTF-8 are a {@link DataException}
 * naming the file and the line.
 *
 * <pre>{@code
 * try (CsvReader csv = CsvReader.open(Path.of("data.csv"), ',', null)) {    // null: detect the header
 *     List<String> names = csv.header();                                    // null if there is none
 *     for (String[] row; (row = csv.next()) != null; ) {
 *         long line = csv.line();                                           // where row starts, from 1
 *     }
 * }
 * }</pre>
 *
 * <p>With header detection, the first row is a header when one of its fields is not a number. Not thread-safe.
 */
final class CsvReader implements AutoCloseable {
    private final String file;
    private final char delimiter;
    private final long size;
    private final CountingStream counter;
    private final de.siegmar.fastcsv.reader.CsvReader<CsvRecord> csv;
    private final CloseableIterator<CsvRecord> records;
    private final List<String> header;
    private final int columns;
    private long rowLine;
    private long dataRows;
    private String[] pending;
    private long pendingLine;

    private CsvReader(Path path, String file, char delimiter, Boolean hasHeader) throws IOException {
        this.file = file;
        this.delimiter = delimiter;
        this.size = Files.size(path);
        this.counter = new CountingStream(Files.newInputStream(path));
        InputStreamReader reader = new InputStreamReader(counter, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        this.csv = de.siegmar.fastcsv.reader.CsvReader.builder().fieldSeparator(delimiter).quoteCharacter('"')
                .skipEmptyLines(true).allowExtraFields(true).allowMissingFields(true).ofCsvRecord(reader);
        this.records = csv.iterator();
        String[] first = readRecord();
        long firstLine = rowLine;
        if (first != null && !first[0].isEmpty() && first[0].charAt(0) == '\uFEFF') {
            first[0] = first[0].substring(1);
        }
        boolean isHeader = first != null && (hasHeader != null ? hasHeader : !allNumbers(first));
        if (isHeader) {
            List<String> names = new ArrayList<>(first.length);
            for (String f : first) {
                names.add(f.trim());
            }
            this.header = List.copyOf(names);
            this.columns = first.length;
        } else {
            this.header = null;
            this.columns = first == null ? 0 : first.length;
            this.pending = first;
            this.pendingLine = firstLine;
        }
    }

    /**
     * Opens {@code path} and reads its first row.
     *
     * @param hasHeader whether the file starts with a header row; null to detect it
     * @throws DataException if the file is missing or unreadable
     */
    static CsvReader open(Path path, char delimiter, Boolean hasHeader) {
        String file = path.toString();
        try {
            return new CsvReader(path, file, delimiter, hasHeader);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": file not found");
        } catch (AccessDeniedException e) {
            throw new DataException(file + ": permission denied");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static boolean allNumbers(String[] fields) {
        for (String f : fields) {
            if (Numbers.parse(f) == null) {
                return false;
            }
        }
        return true;
    }

    /** The file, as the user named it. */
    String file() {
        return file;
    }

    /** The header's column names, or null if the file has no header row. */
    List<String> header() {
        return header;
    }

    /** The number of fields of every row (0 for an empty file). */
    int columns() {
        return columns;
    }

    /**
     * The next data row's fields, or null at the end of the file.
     *
     * @throws DataException if the row has another number of fields than the first, a quote is not closed, or the
     *     file cannot be read
     */
    String @Nullable [] next() {
        String[] row;
        if (pending != null) {
            row = pending;
            rowLine = pendingLine;
            pending = null;
        } else {
            row = readRecord();
            if (row == null) {
                return null;
            }
        }
        if (row.length != columns) {
            throw new DataException(file + ": line " + rowLine + " has " + row.length + " field"
                    + (row.length == 1 ? "" : "s") + "; expected " + columns + " like " + (header != null
                    ? "the header" : "the first row") + (delimiter == ',' ? "" : " (delimiter '"
                    + (delimiter == '\t' ? "tab" : String.valueOf(delimiter)) + "')"));
        }
        dataRows++;
        return row;
    }

    /** Whether another data row follows (reads ahead one row). */
    boolean hasNext() {
        if (pending != null) {
            return true;
        }
        long saved = rowLine;
        String[] row = next();
        if (row == null) {
            rowLine = saved;
            return false;
        }
        dataRows--;
        pending = row;
        pendingLine = rowLine;
        rowLine = saved;
        return true;
    }

    /** The line on which the last row returned by {@link #next()} starts, counting from 1. */
    long line() {
        return rowLine;
    }

    /** The number of data rows returned so far. */
    long rowsRead() {
        return dataRows;
    }

    /** Whether the end of the file was reached. */
    boolean ended() {
        return pending == null && !records.hasNext();
    }

    /** The fraction of the file's bytes read so far. */
    double progress() {
        return size == 0 ? 1.0 : Math.min(1.0, (double) counter.count / size);
    }

    /**
     * The next record that is not blank, or null at the end. FastCSV reads a quote that is never closed to the end of
     * the file as one field; an odd number of quote characters in the whole file tells that case apart, and the
     * record that opened the quote is the last one.
     */
    private String[] readRecord() {
        try {
            while (records.hasNext()) {
                CsvRecord r = records.next();
                rowLine = r.getStartingLineNumber();
                if (!records.hasNext() && counter.quotes % 2 != 0) {
                    throw new DataException(file + ": line " + rowLine + " opens a quote that is never closed");
                }
                if (r.getFieldCount() == 1 && r.getField(0).isBlank()) {
                    continue;
                }
                return r.getFields().toArray(new String[0]);
            }
            return null;
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw new DataException(file + ": not a UTF-8 text file near line " + (rowLine + 1));
            }
            throw new DataException(file + ": cannot read near line " + (rowLine + 1) + ": "
                    + e.getCause().getMessage(), e);
        } catch (CsvParseException e) {
            Throwable why = e.getCause() != null ? e.getCause() : e;
            String m = why.getMessage() == null ? "" : why.getMessage();
            if (m.contains("maximum buffer size")) {
                // FastCSV's limit on one field (16 MiB); its message guesses at an open quote that may not exist
                boolean quote = counter.quotes % 2 != 0;
                throw new DataException(file + ": line " + (rowLine + 1) + " has a field longer than 16 MiB"
                        + (quote ? ", or opens a quote that is never closed" : "") + "; expected numeric fields"
                        + " (a model input or label is a number per field)", e);
            }
            throw new DataException(file + ": line " + (rowLine + 1) + " is not valid CSV (" + why.getMessage()
                    + "); expected RFC 4180 fields: a quoted field ends at its closing quote, then a delimiter or the"
                    + " end of the line", e);
        }
    }

    @Override
    public void close() {
        try {
            csv.close();
        } catch (IOException ignored) {
            // read-only: nothing is lost
        }
    }

    @Override
    public String toString() {
        return "CsvReader[" + file + ", " + columns + " columns" + (header != null ? ", header " + header : "")
                + ", " + dataRows + " rows read]";
    }

    /** Counts the bytes read, for progress, and the quote characters among them, for unclosed quotes. */
    private static final class CountingStream extends FilterInputStream {
        long count;
        long quotes;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
                quotes += b == '"' ? 1 : 0;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            for (int i = off; i < off + n; i++) {
                quotes += b[i] == '"' ? 1 : 0;
            }
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
