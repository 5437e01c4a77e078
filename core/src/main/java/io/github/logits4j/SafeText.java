package io.github.logits4j;

/**
 * Text from a file (model metadata, class names, output names, a {@code .npy} header) made safe to print on one line
 * of a terminal or a log: control characters (escape sequences that clear the screen or set the title, line breaks
 * that forge extra lines, the bell) and bidirectional overrides become visible {@code \}{@code uXXXX} escapes, and text
 * longer than a limit is cut, saying how much was left out.
 *
 * <pre>{@code
 * SafeText.of("cat\u001b]0;pwned\u0007", 80);   // "cat\u001b]0;pwned\u0007" with the escapes written out
 * SafeText.of(twoHundredKilobytes, 80);         // the first 80 characters, then "... (204720 more characters)"
 * }</pre>
 */
public final class SafeText {
    private SafeText() {
    }

    /** {@code text} with control and bidi-override characters escaped, cut after {@code max} characters. */
    public static String of(String text, int max) {
        if (text == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), max) + 16);
        int n = Math.min(text.length(), max);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (unsafe(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (text.length() > max) {
            sb.append("... (").append(text.length() - max).append(" more characters)");
        }
        return sb.toString();
    }

    /**
     * {@code text} with every control and bidi-override character written as a visible {@code \}{@code uXXXX}
     * escape, whole (not cut); with {@code keepLines}, line feeds and tabs stay as they are (a multi-line report).
     * JSON stays valid JSON: its strings already escape control characters, and an escape of a bidi override is
     * the same string.
     */
    public static String escape(CharSequence text, boolean keepLines) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean keep = !unsafe(c) || (keepLines && (c == '\n' || c == '\t'));
            if (!keep && sb == null) {
                sb = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (sb != null) {
                if (keep) {
                    sb.append(c);
                } else {
                    sb.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        return sb == null ? text.toString() : sb.toString();
    }

    /** Whether {@code c} changes what a terminal shows beyond itself. */
    static boolean unsafe(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || (c >= 0x202a && c <= 0x202e)
                || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x2028 || c == 0x2029;
    }
}
