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
        if (text.length() <= max) {
            return escape(text, false);
        }
        return escape(text.substring(0, max), false) + "... (" + (text.length() - max) + " more characters)";
    }

    /**
     * {@code text} with every control and bidi-override character written as a visible {@code \}{@code uXXXX}
     * escape, whole (not cut); with {@code keepLines}, line feeds and tabs stay as they are (a multi-line report).
     * JSON stays valid JSON: its strings already escape control characters, and an escape of a bidi override is
     * the same string.
     */
    public static String escape(CharSequence text, boolean keepLines) {
        int first = firstUnsafe(text, 0, text.length(), keepLines);
        if (first < 0) {
            return text.toString();
        }
        StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (changes(c, keepLines)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * The index of the first character of {@code text[from, to)} that {@link #escape} would change, or -1: lets a
     * writer pass clean text through without a copy.
     */
    public static int firstUnsafe(CharSequence text, int from, int to, boolean keepLines) {
        for (int i = from; i < to; i++) {
            if (changes(text.charAt(i), keepLines)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean changes(char c, boolean keepLines) {
        return unsafe(c) && !(keepLines && (c == '\n' || c == '\t'));
    }

    /** Whether {@code c} changes what a terminal shows beyond itself. */
    static boolean unsafe(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || (c >= 0x202a && c <= 0x202e)
                || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x2028 || c == 0x2029;
    }
}
