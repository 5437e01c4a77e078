package io.github.logits4j.onnx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader: the two shapes model metadata uses, an array of names ({@code ["cat", "dog"]}) and an
 * object of names ({@code {"0": "cat", "1": "dog"}}), whose values may be strings or numbers kept as their text
 * ({@code 7}, {@code -1.5e3}); and whole JSON objects ({@link #object}: the thresholds and temperature files). Duplicate
 * keys, trailing text, a bad escape, NaN and infinities are refused.
 *
 * <pre>{@code
 * MiniJson.stringArray("[\"cat\", \"dog\"]");          // [cat, dog]
 * MiniJson.stringObject("{\"0\": \"cat\", \"1\": 2}");  // {0=cat, 1=2}
 * }</pre>
 *
 * <p>Errors are {@link IllegalArgumentException}s naming the character position (0-based) and what was expected and
 * found there: {@code "malformed JSON at position 7: expected ',' or ']', found 'x'"}.
 */
final class MiniJson {
    private final String text;
    private int pos;
    /** Whether errors give the line and column (documents) rather than the position (one-line metadata). */
    private boolean lines;

    private MiniJson(String text) {
        this.text = text;
    }

    /** The strings (or numbers, as text) of a JSON array, in order. Unmodifiable. */
    static List<String> stringArray(String json) {
        MiniJson p = new MiniJson(requireText(json));
        p.skipSpace();
        p.expect('[');
        List<String> out = new ArrayList<>();
        p.skipSpace();
        if (p.peek() == ']') {
            p.pos++;
        } else {
            while (true) {
                p.skipSpace();
                out.add(p.scalar());
                p.skipSpace();
                char c = p.peek();
                if (c == ',') {
                    p.pos++;
                } else if (c == ']') {
                    p.pos++;
                    break;
                } else {
                    throw p.error("',' or ']'");
                }
            }
        }
        p.end();
        return Collections.unmodifiableList(out);
    }

    /** The keys and string (or number, as text) values of a JSON object, in document order. Unmodifiable. */
    static Map<String, String> stringObject(String json) {
        MiniJson p = new MiniJson(requireText(json));
        p.skipSpace();
        p.expect('{');
        Map<String, String> out = new LinkedHashMap<>();
        p.skipSpace();
        if (p.peek() == '}') {
            p.pos++;
        } else {
            while (true) {
                p.skipSpace();
                int keyAt = p.pos;
                if (p.peek() != '"') {
                    throw p.error("a string key");
                }
                String key = p.string();
                p.skipSpace();
                p.expect(':');
                p.skipSpace();
                String value = p.scalar();
                if (out.putIfAbsent(key, value) != null) {
                    throw new IllegalArgumentException("malformed JSON at position " + keyAt + ": duplicate key \""
                            + key + "\"");
                }
                p.skipSpace();
                char c = p.peek();
                if (c == ',') {
                    p.pos++;
                } else if (c == '}') {
                    p.pos++;
                    break;
                } else {
                    throw p.error("',' or '}'");
                }
            }
        }
        p.end();
        return Collections.unmodifiableMap(out);
    }

    /**
     * A JSON object with any values: objects as {@code Map<String, Object>} in document order, arrays as lists,
     * numbers as {@code Double} (or {@code Long} when written without fraction or exponent and in range), strings,
     * booleans and null. Unmodifiable.
     */
    static Map<String, Object> object(String json) {
        MiniJson p = new MiniJson(requireText(json));
        p.lines = true;
        p.skipSpace();
        if (p.peek() != '{') {
            throw p.error("a JSON object '{'");
        }
        Object v = p.value(0);
        p.end();
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        return m;
    }

    /** Where {@code position} is in the text: {@code "line L, column C"} (both from 1). */
    static String lineAndColumn(String text, int position) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(position, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return "line " + line + ", column " + column;
    }

    private Object value(int depth) {
        if (depth > 64) {
            throw error("at most 64 nested arrays and objects");
        }
        skipSpace();
        char c = peek();
        switch (c) {
            case '{': {
                pos++;
                Map<String, Object> out = new LinkedHashMap<>();
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    return Collections.unmodifiableMap(out);
                }
                while (true) {
                    skipSpace();
                    int keyAt = pos;
                    if (peek() != '"') {
                        throw error("a string key");
                    }
                    String key = string();
                    skipSpace();
                    expect(':');
                    Object v = value(depth + 1);
                    if (out.containsKey(key)) {
                        throw new IllegalArgumentException("malformed JSON at " + where(keyAt) + ": Duplicate field '"
                                + key + "'");
                    }
                    out.put(key, v);
                    skipSpace();
                    char d = peek();
                    if (d == ',') {
                        pos++;
                    } else if (d == '}') {
                        pos++;
                        return Collections.unmodifiableMap(out);
                    } else {
                        throw error("',' or '}'");
                    }
                }
            }
            case '[': {
                pos++;
                List<Object> out = new ArrayList<>();
                skipSpace();
                if (peek() == ']') {
                    pos++;
                    return Collections.unmodifiableList(out);
                }
                while (true) {
                    out.add(value(depth + 1));
                    skipSpace();
                    char d = peek();
                    if (d == ',') {
                        pos++;
                    } else if (d == ']') {
                        pos++;
                        return Collections.unmodifiableList(out);
                    } else {
                        throw error("',' or ']'");
                    }
                }
            }
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || isDigit(c)) {
                    String n = number();
                    if (n.indexOf('.') < 0 && n.indexOf('e') < 0 && n.indexOf('E') < 0 && n.length() < 19) {
                        return Long.parseLong(n);
                    }
                    return Double.parseDouble(n);
                }
                if (c == 'N' || c == 'I') {
                    throw error("a finite number (JSON has no NaN or Infinity)");
                }
                throw error("a JSON value");
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("a JSON value");
        }
        pos += word.length();
        return value;
    }

    private static String requireText(String json) {
        if (json == null) {
            throw new IllegalArgumentException("malformed JSON at position 0: expected a JSON value, found null text");
        }
        return json;
    }

    /** A string or a number at the current position. */
    private String scalar() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        throw error("a string or a number");
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("'\"' to close the string");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("an escaped control character (\\n, \\t, \\u00XX)");
            }
            if (c != '\\') {
                sb.append(c);
                pos++;
                continue;
            }
            pos++;
            if (pos >= text.length()) {
                throw error("an escape character after '\\'");
            }
            char e = text.charAt(pos);
            switch (e) {
                case '"': sb.append('"'); break;
                case '\\': sb.append('\\'); break;
                case '/': sb.append('/'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u': {
                    int v = 0;
                    for (int i = 1; i <= 4; i++) {
                        int at = pos + i;
                        int d = at < text.length() ? Character.digit(text.charAt(at), 16) : -1;
                        if (d < 0) {
                            pos = at;
                            throw error("4 hexadecimal digits after \\u");
                        }
                        v = v * 16 + d;
                    }
                    sb.append((char) v);
                    pos += 4;
                    break;
                }
                default:
                    throw error("one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
            }
            pos++;
        }
    }

    /** A JSON number, checked against the JSON grammar and returned as written. */
    private String number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        char c = peek();
        if (c == '0') {
            pos++;
        } else if (c >= '1' && c <= '9') {
            digits();
        } else {
            throw error("a digit");
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw error("a digit after '.'");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("a digit in the exponent");
            }
            digits();
        }
        return text.substring(start, pos);
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The character at the current position, or {@code '\0'} at the end (never valid where a value is read). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void expect(char c) {
        if (peek() != c || pos >= text.length()) {
            throw error("'" + c + "'");
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private void end() {
        skipSpace();
        if (pos < text.length()) {
            throw error("the end of the text");
        }
    }

    private IllegalArgumentException error(String expected) {
        String found;
        if (pos >= text.length()) {
            found = "the end of the text";
        } else {
            char c = text.charAt(pos);
            found = c < 0x20 ? String.format("control character U+%04X", (int) c) : "'" + c + "'";
        }
        return new IllegalArgumentException("malformed JSON at " + where(pos) + ": expected " + expected + ", found "
                + found);
    }

    /** A position as messages give it: 0-based in one-line metadata, line and column in a document. */
    private String where(int at) {
        return lines ? lineAndColumn(text, at) : "position " + at;
    }
}
