package io.github.logits4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MiniJsonTest {

    @Test
    void arrays() {
        assertEquals(List.of("cat", "dog"), MiniJson.stringArray("[\"cat\", \"dog\"]"));
        assertEquals(List.of(), MiniJson.stringArray(" [ ] "));
        assertEquals(List.of("1", "-2.5e3", "0", "x"), MiniJson.stringArray("\n[1,-2.5e3 ,0,\t\"x\"]\r\n"));
    }

    @Test
    void objectsKeepDocumentOrderAndNumberText() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("1", "one");
        expected.put("0", "zero");
        expected.put("n", "1.50");
        Map<String, String> found = MiniJson.stringObject("{\"1\": \"one\", \"0\":\"zero\", \"n\": 1.50}");
        assertEquals(expected, found);
        assertEquals(List.of("1", "0", "n"), List.copyOf(found.keySet()));
        assertEquals(Map.of(), MiniJson.stringObject("{}"));
    }

    @Test
    void escapes() {
        assertEquals(List.of("a\"b\\c/d\b\f\n\r\t", "\u00e9\u4e2d\ud83d\ude00", "caf\u00e9"),
                MiniJson.stringArray("[\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\", \"\\u00E9\\u4e2d\\ud83d\\ude00\","
                        + " \"caf\u00e9\"]"));
    }

    private static void fails(String json, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            if (json != null && json.trim().startsWith("{")) {
                MiniJson.stringObject(json);
            } else {
                MiniJson.stringArray(json);
            }
        });
        assertEquals(message, e.getMessage());
    }

    @Test
    void malformedInputNamesThePositionAndWhatWasExpected() {
        fails("", "malformed JSON at position 0: expected '[', found the end of the text");
        fails(null, "malformed JSON at position 0: expected a JSON value, found null text");
        fails("[\"a\" \"b\"]", "malformed JSON at position 5: expected ',' or ']', found '\"'");
        fails("[\"a\",]", "malformed JSON at position 5: expected a string or a number, found ']'");
        fails("[\"a\"", "malformed JSON at position 4: expected ',' or ']', found the end of the text");
        fails("[\"a] ", "malformed JSON at position 5: expected '\"' to close the string, found the end of the text");
        fails("[\"a\"] x", "malformed JSON at position 6: expected the end of the text, found 'x'");
        fails("[null]", "malformed JSON at position 1: expected a string or a number, found 'n'");
        fails("[true]", "malformed JSON at position 1: expected a string or a number, found 't'");
        fails("[[\"a\"]]", "malformed JSON at position 1: expected a string or a number, found '['");
        fails("[01]", "malformed JSON at position 2: expected ',' or ']', found '1'");
        fails("[1.]", "malformed JSON at position 3: expected a digit after '.', found ']'");
        fails("[1e]", "malformed JSON at position 3: expected a digit in the exponent, found ']'");
        fails("[-]", "malformed JSON at position 2: expected a digit, found ']'");
        fails("[\"\\x\"]", "malformed JSON at position 3: expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX,"
                + " found 'x'");
        fails("[\"\\u12G4\"]", "malformed JSON at position 6: expected 4 hexadecimal digits after \\u, found 'G'");
        fails("[\"\\u12\"]", "malformed JSON at position 6: expected 4 hexadecimal digits after \\u, found '\"'");
        fails("[\"a\nb\"]", "malformed JSON at position 3: expected an escaped control character (\\n, \\t, \\u00XX),"
                + " found control character U+000A");
        fails("{\"a\" 1}", "malformed JSON at position 5: expected ':', found '1'");
        fails("{a: 1}", "malformed JSON at position 1: expected a string key, found 'a'");
        fails("{\"a\": 1,}", "malformed JSON at position 8: expected a string key, found '}'");
        fails("{\"a\": 1, \"a\": 2}", "malformed JSON at position 9: duplicate key \"a\"");
        fails("{\"a\": {}}", "malformed JSON at position 6: expected a string or a number, found '{'");
    }

    @Test
    void arrayIsNotAnObjectAndBack() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MiniJson.stringObject("[\"a\"]"));
        assertEquals("malformed JSON at position 0: expected '{', found '['", e.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> MiniJson.stringArray("{\"0\": \"a\"}"));
        assertEquals("malformed JSON at position 0: expected '[', found '{'", f.getMessage());
    }
}
