package io.github.logits4j.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A progress bar on standard error for runs longer than a second, drawn only when standard error is a terminal; the
 * report on standard output is never touched. Java cannot ask whether standard error alone is a terminal, so it is
 * taken to be one when the JVM has a console and {@code TERM} is not {@code dumb}; {@code LOGITS4J_PROGRESS=1} or
 * {@code 0} overrides that.
 *
 * <pre>{@code
 * try (Progress progress = Progress.start(main, "evaluate")) {
 *     for (Batch c; (c = data.next()) != null; ) {
 *         ...
 *         progress.update(data.progress(), data.rowsRead());
 *     }
 * }
 * }</pre>
 */
final class Progress implements AutoCloseable {
    private static final long DELAY_NANOS = 1_000_000_000L;
    private static final long INTERVAL_NANOS = 100_000_000L;
    private static final int BAR = 30;

    private final PrintStream err;
    private final String label;
    private final boolean enabled;
    private final LongSupplier clock;
    private final long started;
    private long lastDrawn = Long.MIN_VALUE;
    private int drawnWidth;

    Progress(PrintStream err, String label, boolean enabled, LongSupplier clock) {
        this.err = err;
        this.label = label;
        this.enabled = enabled;
        this.clock = clock;
        this.started = clock.getAsLong();
    }

    /** A progress bar for {@code label}, drawn if standard error is a terminal (or the environment says so). */
    static Progress start(Main main, String label) {
        return new Progress(main.err(), label, enabled(main.environment(), main.console()), System::nanoTime);
    }

    /** Whether to draw: {@code LOGITS4J_PROGRESS} 1 or 0 if set, else a console and {@code TERM} other than dumb. */
    static boolean enabled(Map<String, String> env, boolean console) {
        String override = env.get("LOGITS4J_PROGRESS");
        if (override != null && !override.isBlank()) {
            return !override.trim().equals("0") && !override.trim().equalsIgnoreCase("false");
        }
        return console && !"dumb".equals(env.get("TERM"));
    }

    /** Redraws the bar at {@code fraction} done after {@code rows} rows, at most ten times a second. */
    void update(double fraction, long rows) {
        if (!enabled) {
            return;
        }
        long now = clock.getAsLong();
        if (now - started < DELAY_NANOS || (lastDrawn != Long.MIN_VALUE && now - lastDrawn < INTERVAL_NANOS)) {
            return;
        }
        lastDrawn = now;
        double f = Math.max(0.0, Math.min(1.0, fraction));
        int filled = (int) Math.round(f * BAR);
        long seconds = (now - started) / 1_000_000_000L;
        String line = String.format(Locale.ROOT, "%s [%s%s] %3d%%  %,d rows  %d:%02d", label, "#".repeat(filled),
                ".".repeat(BAR - filled), (int) Math.floor(f * 100), rows, seconds / 60, seconds % 60);
        err.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
        err.flush();
        drawnWidth = line.length();
    }

    /** Clears the bar, if one was drawn, before the report is written; drawing may resume on the next update. */
    void clear() {
        if (drawnWidth > 0) {
            err.print("\r" + " ".repeat(drawnWidth) + "\r");
            err.flush();
            drawnWidth = 0;
        }
    }

    /** Clears the bar, if one was drawn. */
    @Override
    public void close() {
        clear();
    }
}
