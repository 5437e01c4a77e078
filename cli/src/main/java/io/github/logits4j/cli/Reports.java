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

    /**
     * Writes {@code text} to {@code output}, or to standard output when it is null, control characters escaped
     * ({@link ReportOutput#open}).
     */
    static void write(Main main, Path output, String text) {
        write(main, output, text, false);
    }

    /** Writes an HTML page ({@link HtmlReport}, which escapes what it embeds) as it is. */
    static void writePage(Main main, Path output, String html) {
        write(main, output, html, true);
    }

    private static void write(Main main, Path output, String text, boolean page) {
        try (ReportOutput report = page ? ReportOutput.openRaw(output, main.out())
                : ReportOutput.open(output, main.out())) {
            report.writer().write(text);
            report.commit();
        } catch (IOException e) {
            throw new UncheckedIOException((output == null ? "standard output" : output.toString())
                    + ": cannot write: " + e.getMessage(), e);
        }
    }
}
