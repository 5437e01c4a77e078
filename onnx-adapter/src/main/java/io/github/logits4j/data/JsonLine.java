package io.github.logits4j.data;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Writes one JSON value on one line, as the prediction files hold them: maps (in their order), lists, strings,
 * integers, and floats and doubles in their shortest exact form ({@code Float.toString}), a non-finite number as
 * {@code null}; strings escape quotes, backslashes and control characters; package-private.
 *
 * <pre>{@code
 * JsonLine.write(out, Map.of("row", 0L, "probability", 0.97f));      // {"row":0,"probability":0.97}
 * }</pre>
 */
final class JsonLine {
    private JsonLine() {
    }

    static void write(Appendable out, Object value) throws IOException {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Float f) {
            out.append(Float.isFinite(f) ? Float.toString(f) : "null");
        } else if (value instanceof Double d) {
            out.append(Double.isFinite(d) ? Double.toString(d) : "null");
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value.toString());
        } else if (value instanceof Map<?, ?> m) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, String.valueOf(e.getKey()));
                out.append(':');
                write(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> l) {
            out.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(out, l.get(i));
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    private static void string(Appendable out, String s) throws IOException {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
