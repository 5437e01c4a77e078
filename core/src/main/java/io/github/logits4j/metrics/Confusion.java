package io.github.logits4j.metrics;

import io.github.logits4j.kernel.State;
import java.util.Arrays;

/**
 * The (weighted) confusion counts of a multi-class evaluation: a dense {@code C × C} array up to
 * {@value #DENSE_LIMIT} classes (8 MiB), beyond that only the cells that occur, in an open-addressing hash table keyed
 * by {@code true * C + predicted}, so that a vocabulary-sized model (50,000 or 1,000,000 classes) takes memory in
 * proportion to the distinct (true, predicted) pairs it sees (at most one per row), not {@code C²}.
 *
 * <pre>{@code
 * Confusion c = new Confusion(50_000);
 * c.add(7, 7, 1.0);                                 // one row of class 7, predicted 7
 * double[] support = c.rowSums();
 * }</pre>
 *
 * <p>Not thread-safe, as its accumulator.
 */
final class Confusion {
    /** The most classes whose counts are a dense {@code C × C} array. */
    static final int DENSE_LIMIT = 1024;
    private static final long EMPTY = -1L;

    private final int classes;
    private final double[] dense;
    private long[] keys;
    private double[] values;
    private int size;

    Confusion(int classes) {
        this.classes = classes;
        if (classes <= DENSE_LIMIT) {
            dense = new double[classes * classes];
        } else {
            dense = null;
            keys = new long[64];
            Arrays.fill(keys, EMPTY);
            values = new double[64];
        }
    }

    private Confusion(Confusion o) {
        this.classes = o.classes;
        this.dense = o.dense == null ? null : o.dense.clone();
        this.keys = o.keys == null ? null : o.keys.clone();
        this.values = o.values == null ? null : o.values.clone();
        this.size = o.size;
    }

    int classes() {
        return classes;
    }

    /** Whether the counts are a dense array ({@link #dense()}). */
    boolean isDense() {
        return dense != null;
    }

    /** The dense {@code C × C} array itself, row-major (row = true class); only when {@link #isDense()}. */
    double[] dense() {
        return dense;
    }

    Confusion copy() {
        return new Confusion(this);
    }

    /** Adds weight {@code w} to cell (true {@code t}, predicted {@code p}). */
    void add(int t, int p, double w) {
        if (dense != null) {
            dense[t * classes + p] += w;
            return;
        }
        long key = (long) t * classes + p;
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (keys[i] == EMPTY) {
            keys[i] = key;
            if (++size * 2 > keys.length) {
                values[i] += w;
                grow();
                return;
            }
        }
        values[i] += w;
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        double[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        values = new double[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = slot(oldKeys[j], mask);
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    /** One cell of the counts. */
    interface Cell {
        void accept(int t, int p, double v);
    }

    /** Calls {@code cell} for every cell that holds a count (every cell, zeros included, when dense). */
    void forEach(Cell cell) {
        if (dense != null) {
            for (int t = 0; t < classes; t++) {
                for (int p = 0; p < classes; p++) {
                    cell.accept(t, p, dense[t * classes + p]);
                }
            }
            return;
        }
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                cell.accept((int) (keys[i] / classes), (int) (keys[i] % classes), values[i]);
            }
        }
    }

    /** Adds {@code other}'s counts (of as many classes). */
    void merge(Confusion other) {
        if (dense != null) {
            for (int i = 0; i < dense.length; i++) {
                dense[i] += other.dense[i];
            }
        } else {
            other.forEach(this::add);
        }
    }

    /** Writes the counts, or adds another accumulator's ({@link State}). */
    void exchange(State s) {
        if (dense != null) {
            s.add(dense);
            return;
        }
        if (s instanceof State.In in) {
            int n = in.count(0);
            double[] cell = new double[2];
            for (int k = 0; k < n; k++) {
                in.doubles(cell, 0, 2);
                long key = (long) cell[0];
                add((int) (key / classes), (int) (key % classes), cell[1]);
            }
            return;
        }
        s.count(size);
        double[] cell = new double[2];
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                cell[0] = keys[i];
                cell[1] = values[i];
                s.doubles(cell, 0, 2);
            }
        }
    }

    /** The row sums (the weight of each true class). */
    double[] rowSums() {
        double[] r = new double[classes];
        forEach((t, p, v) -> r[t] += v);
        return r;
    }

    /** The column sums (the weight predicted as each class). */
    double[] colSums() {
        double[] c = new double[classes];
        forEach((t, p, v) -> c[p] += v);
        return c;
    }
}
