package io.github.logits4j.data;

/**
 * Data that cannot be used with the model it is bound to, found while a {@link DataSet} is read: a field that is not
 * a number, a label out of range, a CSV row with another number of fields, files that turn out to disagree on their
 * number of rows, a model that fails on a row. (What is wrong when the data set opens, a missing file or a shape that
 * does not fit the model, is the checked {@link io.github.logits4j.LoadException}.) The message names the file, the row or line and column, what was expected and what was found; rows are rows of
 * the data set, counted from 0, and lines are lines of a CSV file, counted from 1.
 *
 * <pre>{@code
 * try (DataSet data = DataSet.builder(model).input(Path.of("x.npy")).labels(Path.of("y.npy")).open()) {
 *     EvaluationResult r = data.evaluate(model, EvaluationOptions.defaults());
 * } catch (LoadException | DataException e) {
 *     System.err.println(e.getMessage());   // y.npy: label 10 at row 17 is out of range; the model has 10 classes ...
 * }
 * }</pre>
 *
 * <p>Unchecked, so that it can leave the iterators that stream the data; the files a data set opened are closed
 * before it is thrown.
 */
public final class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}, which names the file and the problem. */
    public DataException(String message) {
        super(message);
    }

    /** A failure with its cause. */
    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
