package io.github.logits4j.data;

/**
 * One data file of a {@link DataSet}, read front to back in chunks: a {@code .npy} array ({@link NpySource}) or a CSV
 * file ({@link CsvSource}) that fills one model input, the labels, or both.
 *
 * <pre>{@code
 * int read = source.read(512, chunk);   // the next rows, at most 512; 0 at the end
 * }</pre>
 */
interface Source extends AutoCloseable {
    /** The file, as the user named it. */
    String file();

    /** The number of data rows, or -1 while unknown (a CSV file not yet read to the end). */
    long rows();

    /**
     * Reads the next rows, at most {@code n}, into rows 0, 1, ... of {@code batch}.
     *
     * @return the number of rows read; 0 at the end of the file
     * @throws DataException naming the file, line or row, and column of what cannot be read
     */
    int read(int n, Batch chunk);

    /** Whether rows remain. */
    boolean hasMore();

    /** The number of data rows, reading to the end of the file if it is not known yet. */
    long countRows();

    /** The fraction of the file read so far, in [0, 1]. */
    double progress();

    @Override
    void close();
}
