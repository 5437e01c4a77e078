package io.github.logits4j.golden;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Parity assertions: a value matches its reference when both are NaN, both are the same infinity, or they differ by
 * at most {@code abs} or {@code rel * |expected|}, whichever is looser.
 */
public final class Tolerance {
    private Tolerance() {
    }

    public static boolean close(double expected, double actual, double abs, double rel) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            return expected == actual;
        }
        return Math.abs(expected - actual) <= Math.max(abs, rel * Math.abs(expected));
    }

    /** Asserts one value at the foundation tolerance (1e-6 absolute or 1e-5 relative). */
    public static void assertClose(double expected, double actual, String where) {
        assertClose(expected, actual, Golden.ABS, Golden.REL, where);
    }

    public static void assertClose(double expected, double actual, double abs, double rel, String where) {
        if (!close(expected, actual, abs, rel)) {
            fail(where + ": expected " + expected + " but was " + actual + " (difference "
                    + Math.abs(expected - actual) + ", tolerance " + abs + " abs / " + rel + " rel)");
        }
    }

    /** Asserts every element; the message names the first index that differs. */
    public static void assertAllClose(double[] expected, double[] actual, String where) {
        assertAllClose(expected, actual, Golden.ABS, Golden.REL, where);
    }

    public static void assertAllClose(double[] expected, double[] actual, double abs, double rel, String where) {
        if (expected.length != actual.length) {
            fail(where + ": expected " + expected.length + " values but was " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], abs, rel, where + "[" + i + "]");
        }
    }

    public static void assertAllClose(double[] expected, float[] actual, String where) {
        double[] a = new double[actual.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = actual[i];
        }
        assertAllClose(expected, a, where);
    }
}
