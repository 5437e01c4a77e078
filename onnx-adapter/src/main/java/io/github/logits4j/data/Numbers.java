package io.github.logits4j.data;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Parses numbers written by Python, NumPy, pandas or a spreadsheet: decimal and scientific notation, and
 * {@code nan}, {@code inf}, {@code -inf} in any case; surrounding blanks are ignored. Java's own suffixes
 * ({@code 1f}, {@code 2d}) and hexadecimal floats are not numbers here.
 *
 * <pre>{@code
 * Numbers.parse("1.5e-3");   // 0.0015
 * Numbers.parse("NaN");      // NaN
 * Numbers.parse("cat");      // null
 * }</pre>
 */
final class Numbers {
    private Numbers() {
    }

    /** The number {@code text} holds, or null if it holds none. */
    static @Nullable Double parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return null;
        }
        Double special = special(t);
        if (special != null) {
            return special;
        }
        if (!plain(t)) {
            return null;
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code text} as a float rounded once (not through double), or null if it holds no number. */
    static @Nullable Float parseFloat(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return null;
        }
        Double special = special(t);
        if (special != null) {
            return special.floatValue();
        }
        if (!plain(t)) {
            return null;
        }
        try {
            return Float.parseFloat(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The comma-separated numbers {@code text} holds, or null if any part is not a number. */
    static double @Nullable [] parseList(String text) {
        String[] parts = text.split(",", -1);
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Double d = parse(parts[i]);
            if (d == null) {
                return null;
            }
            out[i] = d;
        }
        return out;
    }

    private static @Nullable Double special(String t) {
        switch (t.toLowerCase(Locale.ROOT)) {
            case "nan":
            case "+nan":
            case "-nan":
                return Double.NaN;
            case "inf":
            case "+inf":
            case "infinity":
            case "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf":
            case "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                return null;
        }
    }

    /** Only digits, one sign, a point and an exponent: what Java's parser accepts beyond that is refused. */
    private static boolean plain(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return false;
            }
        }
        return true;
    }
}
