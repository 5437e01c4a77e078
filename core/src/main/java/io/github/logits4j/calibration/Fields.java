package io.github.logits4j.calibration;

import java.util.List;
import java.util.Map;

/** Reads the fields of a JSON-compatible map, naming the key and what was expected in each error. Package-private. */
final class Fields {
    private final Map<String, ?> map;
    private final String what;

    Fields(Map<String, ?> map, String what) {
        if (map == null) {
            throw new IllegalArgumentException(what + " map is null");
        }
        this.map = map;
        this.what = what;
    }

    Object require(String key) {
        Object v = map.get(key);
        if (v == null) {
            throw new IllegalArgumentException(what + " map has no '" + key + "'" + (map.containsKey(key)
                    ? " (it is null)" : "") + "; expected it, as toMap() writes it");
        }
        return v;
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    /** A number at least {@code min} and at most {@code max}, finite. */
    double number(String key, double min, double max, boolean minExclusive) {
        Object v = require(key);
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException(what + " '" + key + "' is " + describe(v) + "; expected a number");
        }
        return check("'" + key + "'", ((Number) v).doubleValue(), min, max, minExclusive);
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

    int count(String key) {
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

    boolean bool(String key) {
        Object v = require(key);
        if (!(v instanceof Boolean)) {
            throw new IllegalArgumentException(what + " '" + key + "' is " + describe(v) + "; expected true or false");
        }
        return (Boolean) v;
    }

    /** A non-empty list of positive finite numbers. */
    double[] positives(String key) {
        Object v = require(key);
        if (!(v instanceof List) || ((List<?>) v).isEmpty()) {
            throw new IllegalArgumentException(what + " '" + key + "' is " + describe(v)
                    + "; expected a non-empty list of numbers");
        }
        List<?> list = (List<?>) v;
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object e = list.get(i);
            if (!(e instanceof Number)) {
                throw new IllegalArgumentException(what + " '" + key + "'[" + i + "] is " + describe(e)
                        + "; expected a number");
            }
            out[i] = check("'" + key + "'[" + i + "]", ((Number) e).doubleValue(), 0.0, Double.POSITIVE_INFINITY, true);
        }
        return out;
    }

    static String describe(Object v) {
        return v == null ? "null" : v instanceof String ? "'" + v + "'" : v + " (" + v.getClass().getSimpleName() + ")";
    }
}
