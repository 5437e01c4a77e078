package io.github.logits4j.onnx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny strict JSON reader for the two shapes model metadata uses: an array of names ({@code ["cat", "dog"]}) and an
 * object of names ({@code {"0": "cat", "1": "dog"}}). Values may be strings or numbers; a number is kept as its text
 * ({@code 7}, {@code -1.5e3}). Anything else (null, booleans, nested arrays or objects, duplicate keys, trailing
 * text, a bad escape) is refused.
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
        return new IllegalArgumentException("malformed JSON at position " + pos + ": expected " + expected + ", found "
                + found);
    }
}
