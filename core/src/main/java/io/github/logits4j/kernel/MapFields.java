package io.github.logits4j.kernel;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the fields of a JSON-compatible map (what a {@code toMap()} wrote and a JSON parser read back: numbers of any
 * {@link Number} type, lists, booleans, strings), naming the key and what was expected in each error. The one reader
 * behind every {@code fromMap} of logits4j (temperature fits, tuned thresholds).
 *
 * <pre>{@code
 * MapFields f = new MapFields(map, "temperature fit");
 * double t = f.number("temperature", 0.0, Double.POSITIVE_INFINITY, true);   // finite, > 0
 * int iterations = f.count("iterations");                                      // 0 when absent
 * }</pre>
 *
 * <p>Internal to logits4j (see the package); not thread-safe only in that the map must not change while it is read.
 */
public final class MapFields {
    private final Map<String, ?> map;
    private final String what;

    /**
     * Fields of {@code map}; {@code what} names the map in messages ({@code "temperature fit"}).
     *
     * @throws IllegalArgumentException if {@code map} is null
     */
    public MapFields(@Nullable Map<String, ?> map, String what) {
        if (map == null) {
            throw new IllegalArgumentException(what + " map is null");
        }
        this.map = map;
        this.what = what;
    }

    /** What the map is, for messages of the caller's own checks. */
    public String what() {
        return what;
    }

    /** The value of {@code key}; throws if it is absent or null. */
    public Object require(String key) {
        Object v = map.get(key);
        if (v == null) {
            throw new IllegalArgumentException(what + " map has no '" + key + "'" + (map.containsKey(key)
                    ? " (it is null)" : "") + "; expected it, as toMap() writes it");
        }
        return v;
    }

    /** Whether {@code key} holds a value that is not null. */
    public boolean has(String key) {
        return map.get(key) != null;
    }

    /** A string. */
    public String string(String key) {
        Object v = require(key);
        if (!(v instanceof String)) {
            throw new IllegalArgumentException(what + " '" + key + "' is " + describe(v) + "; expected a string");
        }
        return (String) v;
    }

    /** A number, any value. */
    public double number(String key) {
        Object v = require(key);
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException(what + " '" + key + "' is " + describe(v) + "; expected a number");
        }
        return ((Number) v).doubleValue();
    }

    /** A finite number at least (above, when {@code minExclusive}) {@code min} and at most {@code max}. */
    public double number(String key, double min, double max, boolean minExclusive) {
        return check("'" + key + "'", number(key), min, max, minExclusive);
    }

    /** A number, or NaN for JSON null or an absent key. */
    public double numberOrNaN(String key) {
        Object v = map.get(key);
        if (v == null) {
            return Double.NaN;
        }
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException(what + " '" + key + "' is " + describe(v)
                    + "; expected a number or null");
        }
        return ((Number) v).doubleValue();
    }

    /** A whole number {@code >= 0}; 0 when absent. */
    public int count(String key) {
        if (!has(key)) {
            return 0;
        }
        Object v = map.get(key);
        if (!(v instanceof Number) || ((Number) v).doubleValue() != ((Number) v).intValue()
                || ((Number) v).intValue() < 0) {
            throw new IllegalArgumentException(what + " '" + key + "' is " + describe(v)
                    + "; expected a whole number >= 0");
        }
        return ((Number) v).intValue();
    }

    /** A boolean. */
    public boolean bool(String key) {
        Object v = require(key);
        if (!(v instanceof Boolean)) {
            throw new IllegalArgumentException(what + " '" + key + "' is " + describe(v) + "; expected true or false");
        }
        return (Boolean) v;
    }

    private List<?> list(String key) {
        Object v = require(key);
        if (!(v instanceof List)) {
            throw new IllegalArgumentException(what + " '" + key + "' is " + describe(v) + "; expected a list");
        }
        return (List<?>) v;
    }

    /** A list of numbers; {@code nullIsNaN} lets JSON null stand for NaN. */
    public double[] numbers(String key, boolean nullIsNaN) {
        List<?> list = list(key);
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = list.get(i);
            if (v == null && nullIsNaN) {
                out[i] = Double.NaN;
            } else if (v instanceof Number) {
                out[i] = ((Number) v).doubleValue();
            } else {
                throw new IllegalArgumentException(what + " '" + key + "'[" + i + "] is " + describe(v)
                        + "; expected a number" + (nullIsNaN ? " or null" : ""));
            }
        }
        return out;
    }

    /** A non-empty list of finite numbers {@code > 0}. */
    public double[] positives(String key) {
        Object v = require(key);
        if (!(v instanceof List) || ((List<?>) v).isEmpty()) {
            throw new IllegalArgumentException(what + " '" + key + "' is " + describe(v)
                    + "; expected a non-empty list of numbers");
        }
        double[] out = numbers(key, false);
        for (int i = 0; i < out.length; i++) {
            check("'" + key + "'[" + i + "]", out[i], 0.0, Double.POSITIVE_INFINITY, true);
        }
        return out;
    }

    /** A list of booleans. */
    public boolean[] booleans(String key) {
        List<?> list = list(key);
        boolean[] out = new boolean[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = list.get(i);
            if (!(v instanceof Boolean)) {
                throw new IllegalArgumentException(what + " '" + key + "'[" + i + "] is " + describe(v)
                        + "; expected true or false");
            }
            out[i] = (Boolean) v;
        }
        return out;
    }

    /** Checks one value; {@code label} names it in quotes, as {@code 'temperature'[2]}. */
    private double check(String label, double d, double min, double max, boolean minExclusive) {
        boolean low = minExclusive ? d > min : d >= min;
        if (!(low && d <= max && d < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(what + " " + label + " is " + d + "; expected a finite number "
                    + (minExclusive ? "> " : ">= ") + min + (max < Double.POSITIVE_INFINITY ? " and <= " + max : ""));
        }
        return d;
    }

    /** A value as messages show it: {@code 'text'}, {@code 3 (Integer)}, {@code null}. */
    public static String describe(@Nullable Object v) {
        return v == null ? "null" : v instanceof String ? "'" + v + "'" : v + " (" + v.getClass().getSimpleName() + ")";
    }

    /** JSON has no NaN: null instead. */
    public static @Nullable Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
