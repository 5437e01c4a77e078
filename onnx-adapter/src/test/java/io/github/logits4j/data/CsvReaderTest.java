package io.github.logits4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.onnx.Setting;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming CSV reader: header detection, quotes, blank lines, and errors that name the line. */
class CsvReaderTest {
    @TempDir
    Path dir;

    CsvReader open(String text, Boolean header) throws Exception {
        Path file = dir.resolve("t.csv");
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        return CsvReader.open(file, ',', header);
    }

    @Test
    void detectsAHeaderByItsNonNumericFields() throws Exception {
        try (CsvReader csv = open("\uFEFFa, b ,c\n1,2,3\n", null)) {
            assertEquals(List.of("a", "b", "c"), csv.header());
            assertArrayEquals(new String[] {"1", "2", "3"}, csv.next());
            assertEquals(2, csv.line());
            assertNull(csv.next());
        }
        try (CsvReader csv = open("1,2,nan\n-inf,5e-3,6\n", null)) {
            assertNull(csv.header());
            assertEquals(3, csv.columns());
            assertArrayEquals(new String[] {"1", "2", "nan"}, csv.next());
            assertArrayEquals(new String[] {"-inf", "5e-3", "6"}, csv.next());
        }
        try (CsvReader csv = open("1,2\n3,4\n", true)) {
            assertEquals(List.of("1", "2"), csv.header());
        }
    }

    @Test
    void quotesBlankLinesAndLineBreaksInsideQuotes() throws Exception {
        try (CsvReader csv = open("name,\"x, y\"\n\n\"a \"\"b\"\"\",1\n\"two\nlines\",2\n\nlast,3", null)) {
            assertEquals(List.of("name", "x, y"), csv.header());
            assertArrayEquals(new String[] {"a \"b\"", "1"}, csv.next());
            assertEquals(3, csv.line());
            assertArrayEquals(new String[] {"two\nlines", "2"}, csv.next());
            assertEquals(4, csv.line());
            assertTrue(csv.hasNext());
            assertArrayEquals(new String[] {"last", "3"}, csv.next());
            assertEquals(7, csv.line());
            assertEquals(3, csv.rowsRead());
            assertNull(csv.next());
            assertEquals(1.0, csv.progress());
        }
    }

    @Test
    void aRowWithAnotherNumberOfFieldsNamesItsLine() throws Exception {
        try (CsvReader csv = open("a,b\n1,2\n3\n", null)) {
            csv.next();
            DataException e = assertThrows(DataException.class, csv::next);
            assertTrue(e.getMessage().endsWith("t.csv: line 3 has 1 field; expected 2 like the header"),
                    e.getMessage());
        }
    }

    @Test
    void numbersAsPythonWritesThem() {
        assertEquals(0.0015, Numbers.parse(" 1.5e-3 "));
        assertTrue(Numbers.parse("NaN").isNaN());
        assertEquals(Double.NEGATIVE_INFINITY, Numbers.parse("-inf"));
        assertNull(Numbers.parse("1f"));
        assertNull(Numbers.parse("0x10"));
        assertNull(Numbers.parse(""));
        assertEquals(0.1f, Numbers.parseFloat("0.1"));
    }

    @Test
    void columnsByNameOrIndex() throws Exception {
        try (CsvReader csv = open("a,b,c\n1,2,3\n", null)) {
            assertArrayEquals(new int[] {2, 0}, Columns.resolve(List.of("c", "0"), csv, Setting::option));
            assertArrayEquals(new int[] {2}, Columns.resolve(List.of("-1"), csv, Setting::option));
            assertTrue(assertThrows(DataException.class, () -> Columns.resolve(List.of("d"), csv, Setting::option))
                    .getMessage().contains("'d' is not a column; the header has [a, b, c]"));
            assertTrue(assertThrows(DataException.class, () -> Columns.resolve(List.of("3"), csv, Setting::option))
                    .getMessage().contains("out of range"));
        }
        try (CsvReader csv = open("1,2,3\n", null)) {
            assertTrue(assertThrows(DataException.class, () -> Columns.resolve(List.of("x"), csv, Setting::option))
                    .getMessage().contains("no header row"));
        }
    }
}
