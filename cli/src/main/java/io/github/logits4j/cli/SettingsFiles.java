package io.github.logits4j.cli;

import io.github.logits4j.LoadException;
import org.jspecify.annotations.Nullable;

/**
 * How the settings files named on a command line ({@code --thresholds}, {@code --calibration}, {@code --conformal})
 * are read: the command reads local files; a Spark job reads a location with a scheme ({@code hdfs://},
 * {@code s3a://}, ...) through Hadoop, so that a job submitted in cluster mode finds them on its driver. Public for the
 * jobs of {@code logits4j-spark}, not a stable API.
 *
 * <pre>{@code
 * settings.readWith(location -> SettingsFiles.hasScheme(location) ? hadoopText(location) : null);
 * }</pre>
 */
@FunctionalInterface
public interface SettingsFiles {
    /** Local files only. */
    SettingsFiles LOCAL = location -> null;

    /**
     * The text of the file at {@code location}, or null to read it as a local file.
     *
     * @throws LoadException naming the location if it cannot be read
     */
    @Nullable String read(String location) throws LoadException;

    /**
     * The value of the file at {@code location}: {@code local} reads a local file, {@code parse} the text this reader
     * gives (named by the location in its messages).
     *
     * @throws LoadException naming the location if it cannot be read or is not such a file
     */
    default <T> T load(String location, Local<T> local, Parse<T> parse) throws LoadException {
        String text = read(location);
        return text == null ? local.read(java.nio.file.Path.of(location)) : parse.parse(text, location);
    }

    /** Reads a local settings file ({@code ModelConformal::read}, ...). */
    @FunctionalInterface
    interface Local<T> {
        /**
         * The file's value.
         *
         * @throws LoadException naming the file
         */
        T read(java.nio.file.Path file) throws LoadException;
    }

    /** Parses a settings file's text ({@code ModelConformal::parse}, ...). */
    @FunctionalInterface
    interface Parse<T> {
        /**
         * The text's value.
         *
         * @throws LoadException naming {@code source}
         */
        T parse(String text, String source) throws LoadException;
    }

    /** Whether {@code location} names a scheme ({@code hdfs:}, {@code s3a:}, {@code file:}; not a drive letter). */
    static boolean hasScheme(String location) {
        return location.matches("(?s)[A-Za-z][A-Za-z0-9+.-]+:.*");
    }
}
