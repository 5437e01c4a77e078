package io.github.logits4j.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as logits4j writes it: the reports, the thresholds and temperature files, and the data of the HTML page. JSON
 * has no NaN or infinity, so a non-finite number is written as {@code null} (a metric that is undefined for the data,
 * such as the ROC AUC of a class with no positive sample).
 *
 * <pre>{@code
 * String report = Json.pretty(Map.of("accuracy", 0.97, "macro_roc_auc", Double.NaN));   // ..."macro_roc_auc": null
 * }</pre>
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n")));
    private static final ObjectWriter COMPACT = MAPPER.writer();

    private Json() {
    }

    /** {@code value} as indented JSON followed by a line break; non-finite numbers become null. */
    public static String pretty(Object value) {
        try {
            return PRETTY.writeValueAsString(finite(value)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** {@code value} as JSON on one line, without a line break; non-finite numbers become null. */
    public static String line(Object value) {
        try {
            return COMPACT.writeValueAsString(finite(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** {@code value} with every NaN or infinite number replaced by null, maps and lists copied in order. */
    static Object finite(Object value) {
        if (value instanceof Double d) {
            return Double.isFinite(d) ? d : null;
        }
        if (value instanceof Float f) {
            return Float.isFinite(f) ? f : null;
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(e.getKey(), finite(e.getValue()));
            }
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(finite(o));
            }
            return out;
        }
        if (value instanceof double[] a) {
            List<Object> out = new ArrayList<>(a.length);
            for (double d : a) {
                out.add(Double.isFinite(d) ? d : null);
            }
            return out;
        }
        return value;
    }
}
