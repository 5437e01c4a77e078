package io.github.logits4j.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * JSON as logits4j writes it: the reports, the thresholds and temperature files, and the data of the HTML page. JSON
 * has no NaN or infinity, so a non-finite number is written as {@code null} (a metric that is undefined for the data,
 * such as the ROC AUC of a class with no positive sample).
 *
 * <pre>{@code
 * String report = Json.pretty(Map.of("accuracy", 0.97, "macro_roc_auc", Double.NaN));   // ..."macro_roc_auc": null
 * }</pre>
 *
 * <p>Written through Jackson's streaming generator: maps (keys as strings), lists and other iterables, arrays of
 * numbers or objects, numbers, booleans, strings, enums (by name) and null; another type is refused. (Jackson's
 * object mapper, which would take any bean, loaded about 480 classes for every report: a tenth of a short command's
 * time.)
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"));

    private Json() {
    }

    /** {@code value} as indented JSON followed by a line break; non-finite numbers become null. */
    public static String pretty(Object value) {
        return write(value, PRETTY.createInstance()) + "\n";
    }

    /** {@code value} as JSON on one line, without a line break; non-finite numbers become null. */
    public static String line(Object value) {
        return write(value, null);
    }

    private static String write(Object value, PrettyPrinter printer) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (printer != null) {
                g.setPrettyPrinter(printer);
            }
            value(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON: " + e.getMessage(), e);
        }
        return out.toString();
    }

    private static void value(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Double d) {
            number(g, d);
        } else if (value instanceof Float f) {
            if (Float.isFinite(f)) {
                g.writeNumber(f);
            } else {
                g.writeNull();
            }
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).intValue());
        } else if (value instanceof Long l) {
            g.writeNumber(l);
        } else if (value instanceof BigDecimal b) {
            g.writeNumber(b);
        } else if (value instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof Iterable<?> items) {
            g.writeStartArray();
            for (Object o : items) {
                value(g, o);
            }
            g.writeEndArray();
        } else if (value.getClass().isArray()) {
            array(g, value);
        } else if (value instanceof Enum<?> e) {
            g.writeString(e.name());
        } else if (value instanceof CharSequence s) {
            g.writeString(s.toString());
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON; expected"
                    + " maps, lists, arrays, numbers, booleans, strings, enums or null");
        }
    }

    private static void number(JsonGenerator g, double d) throws IOException {
        if (Double.isFinite(d)) {
            g.writeNumber(d);
        } else {
            g.writeNull();
        }
    }

    private static void array(JsonGenerator g, Object array) throws IOException {
        g.writeStartArray();
        if (array instanceof double[] a) {
            for (double d : a) {
                number(g, d);
            }
        } else if (array instanceof float[] a) {
            for (float f : a) {
                value(g, f);
            }
        } else if (array instanceof long[] a) {
            for (long l : a) {
                g.writeNumber(l);
            }
        } else if (array instanceof int[] a) {
            for (int i : a) {
                g.writeNumber(i);
            }
        } else if (array instanceof boolean[] a) {
            for (boolean b : a) {
                g.writeBoolean(b);
            }
        } else if (array instanceof Object[] a) {
            for (Object o : a) {
                value(g, o);
            }
        } else {
            throw new IllegalArgumentException("cannot write a " + array.getClass().getComponentType()
                    + " array as JSON");
        }
        g.writeEndArray();
    }
}
