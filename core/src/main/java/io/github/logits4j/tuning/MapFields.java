package io.github.logits4j.tuning;

import java.util.List;
import java.util.Map;

/**
 * Reads the fields of a JSON-compatible map (numbers of any {@link Number} type, lists, booleans, strings), naming the
 * key and what was expected in each error. Package-private.
 */
final class MapFields {
    private final Map<String, ?> map;
    private final String what;

    MapFields(Map<String, ?> map, String what) {
        if (map == null) {
            throw new IllegalArgumentException(what + " map is null");
        }
        this.map = map;
        this.what = what;
    }

    private Object require(String key) {
        if (!map.containsKey(key) || map.get(key) == null) {
            throw new IllegalArgumentException(what + " map has no '" + key + "'" + (map.containsKey(key)
                    ? " (it is null)" : "") + "; expected it, as toMap() writes it");
        }
        return map.get(key);
    }

    String string(String key) {
        Object v = require(key);
        if (!(v instanceof String)) {
            throw new IllegalArgumentException(what + " '" + key + "' is " + describe(v) + "; expected a string");
        }
        return (String) v;
    }

    double number(String key) {
        Object v = require(key);
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException(what + " '" + key + "' is " + describe(v) + "; expected a number");
        }
        return ((Number) v).doubleValue();
    }

    /** A number, or NaN for JSON null or an absent key. */
    double numberOrNaN(String key) {
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

    boolean bool(String key) {
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
    double[] numbers(String key, boolean nullIsNaN) {
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

    boolean[] booleans(String key) {
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

    /** The objective from "objective" with its "beta" or "target". */
    ThresholdObjective objective() {
        String name = string("objective");
        double beta = name.equals("fbeta") ? number("beta") : Double.NaN;
        boolean constrained = name.equals("precision_at_least") || name.equals("recall_at_least");
        double target = constrained ? number("target") : Double.NaN;
        return ThresholdObjective.of(name, beta, target);
    }

    /** Checks that "rule" is {@code ">="}, the only rule the tuner uses. */
    void requireRule() {
        String rule = string("rule");
        if (!rule.equals(">=")) {
            throw new IllegalArgumentException(what + " 'rule' is '" + rule
                    + "'; expected '>=' (thresholds are tuned for score >= threshold)");
        }
    }

    static String describe(Object v) {
        return v == null ? "null" : v instanceof String ? "'" + v + "'" : v + " (" + v.getClass().getSimpleName() + ")";
    }

    /** JSON has no NaN: write null instead. */
    static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
