package io.github.logits4j.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

/**
 * Asserts that two reports as maps ({@code toMap()}: numbers, lists and nested maps) hold the same keys and values:
 * doubles within a relative tolerance (NaN equals NaN), everything else exactly. For results that must agree however
 * they were computed: merged parts against one pass, a Spark job against one machine.
 *
 * <pre>{@code
 * SameReport.assertSame(whole.metrics(), merged.metrics(), 1e-12);
 * }</pre>
 */
public final class SameReport {
    private SameReport() {
    }

    /** Every key of {@code expected} in {@code actual}, and no other, each value as the class doc says. */
    public static void assertSame(Map<String, ?> expected, Map<String, ?> actual, double rel) {
        assertSame("", expected, actual, rel);
    }

    private static void assertSame(String where, Object expected, Object actual, double rel) {
        if (expected instanceof Double d) {
            Tolerance.assertClose(d, ((Number) actual).doubleValue(), rel, rel, where);
        } else if (expected instanceof Map<?, ?> m) {
            Map<?, ?> other = (Map<?, ?>) actual;
            assertEquals(m.keySet(), other.keySet(), where);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                assertSame(where + "/" + e.getKey(), e.getValue(), other.get(e.getKey()), rel);
            }
        } else if (expected instanceof List<?> list) {
            List<?> other = (List<?>) actual;
            assertEquals(list.size(), other.size(), where);
            for (int i = 0; i < list.size(); i++) {
                assertSame(where + "[" + i + "]", list.get(i), other.get(i), rel);
            }
        } else {
            assertEquals(expected, actual, where);
        }
    }
}
