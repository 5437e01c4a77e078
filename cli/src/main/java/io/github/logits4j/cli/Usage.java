package io.github.logits4j.cli;

import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks of option values that picocli cannot make itself; each failure is a {@link ParameterException}, which
 * the command line reports in one line with exit code 2.
 *
 * <pre>{@code
 * String format = Usage.choice(spec, "--format", format, "text", "json");
 * Usage.exclusive(spec, "--threshold", threshold, "--thresholds", thresholdsFile);
 * }</pre>
 */
final class Usage {
    private Usage() {
    }

    /** {@code value} in lower case if it is one of {@code allowed}. */
    static String choice(CommandSpec spec, String option, String value, String... allowed) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (Arrays.asList(allowed).contains(v)) {
            return v;
        }
        throw error(spec, option + " is '" + value + "'; expected " + String.join(", ", allowed));
    }

    /** Fails if both options were given. */
    static void exclusive(CommandSpec spec, String a, Object aValue, String b, Object bValue) {
        if (aValue != null && bValue != null) {
            throw error(spec, a + " and " + b + " cannot be used together; give one");
        }
    }

    /** Fails unless {@code value} (if given) is a probability. */
    static void probability(CommandSpec spec, String option, Double value) {
        if (value != null && !(value >= 0.0 && value <= 1.0)) {
            throw error(spec, option + " is " + value + "; expected a probability in [0, 1]");
        }
    }

    /** A wrong command line, reported with exit code 2. */
    static ParameterException error(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
