package io.github.logits4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Writes a finished report: to standard output, or to a file that appears whole (see {@link ReportOutput}).
 *
 * <pre>{@code
 * Reports.write(main, output, Json.pretty(report));    // output null: standard output
 * }</pre>
 */
final class Reports {
    private Reports() {
    }

    /** Writes {@code text} to {@code output}, or to standard output when it is null. */
    static void write(Main main, Path output, String text) {
        try (ReportOutput report = ReportOutput.open(output, main.out())) {
            report.writer().write(text);
            report.commit();
        } catch (IOException e) {
            throw new UncheckedIOException((output == null ? "standard output" : output.toString())
                    + ": cannot write: " + e.getMessage(), e);
        }
    }
}
