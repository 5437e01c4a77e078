package io.github.logits4j.metrics;

import io.github.logits4j.kernel.State;
import java.util.Arrays;

/**
 * Growable primitive storage of scores, labels and (once any is given) weights; package-private. Scores, the bulk of
 * it (N x C doubles), live in fixed blocks of {@value #BLOCK} doubles, so growing never copies them and the heap never
 * holds two copies at once: a million rows of ten classes take their 80 MB, not the 200 MB a doubling array peaks at.
 */
final class Store {
    private static final int SHIFT = 16;
    static final int BLOCK = 1 << SHIFT;
    private static final int MASK = BLOCK - 1;

    private double[][] blocks = new double[8][];
    int scoreCount;
    int[] labels = new int[64];
    int labelCount;
    double[] weights;
    int rows;

    /** Score {@code i} in the order added. */
    double score(int i) {
        return blocks[i >>> SHIFT][i & MASK];
    }

    /** The first {@code n} scores as one new array (binary and micro-averaged AUCs sort them together). */
    double[] scores(int n) {
        double[] out = new double[n];
        for (int at = 0; at < n; at += BLOCK) {
            System.arraycopy(blocks[at >>> SHIFT], 0, out, at, Math.min(BLOCK, n - at));
        }
        return out;
    }

    void addScores(double[] src, int off, int n) {
        while (n > 0) {
            int k = Math.min(n, room());
            System.arraycopy(src, off, blocks[scoreCount >>> SHIFT], scoreCount & MASK, k);
            scoreCount += k;
            off += k;
            n -= k;
        }
    }

    void addScore(double score) {
        room();
        blocks[scoreCount >>> SHIFT][scoreCount & MASK] = score;
        scoreCount++;
    }

    /** Free places in the current block, starting a new block (and growing the block index) when it is full. */
    private int room() {
        int b = scoreCount >>> SHIFT;
        if (b == blocks.length) {
            if (b == (Integer.MAX_VALUE - 8) >>> SHIFT) {
                throw new IllegalStateException("exact rank metrics hold at most " + ((long) b << SHIFT)
                        + " values; use RankMode.binned(...) for an evaluation this large");
            }
            blocks = Arrays.copyOf(blocks, b * 2);
        }
        if (blocks[b] == null) {
            blocks[b] = new double[BLOCK];
        }
        return BLOCK - (scoreCount & MASK);
    }

    void addLabel(int label) {
        if (labelCount == labels.length) {
            labels = Arrays.copyOf(labels, grow(labels.length, labelCount + 1));
        }
        labels[labelCount++] = label;
    }

    /** Records one row's weight; the first weight other than 1 starts the weight array (earlier rows weigh 1). */
    void addRow(double weight) {
        if (weights == null && weight != 1.0) {
            weights = new double[Math.max(64, rows + 1)];
            Arrays.fill(weights, 0, rows, 1.0);
        }
        if (weights != null) {
            if (rows == weights.length) {
                weights = Arrays.copyOf(weights, grow(weights.length, rows + 1));
            }
            weights[rows] = weight;
        }
        rows++;
    }

    void merge(Store other) {
        for (int at = 0; at < other.scoreCount; at += BLOCK) {
            addScores(other.blocks[at >>> SHIFT], 0, Math.min(BLOCK, other.scoreCount - at));
        }
        for (int i = 0; i < other.labelCount; i++) {
            addLabel(other.labels[i]);
        }
        for (int i = 0; i < other.rows; i++) {
            addRow(other.weights == null ? 1.0 : other.weights[i]);
        }
    }

    /** Writes the scores, labels and weights, or reads another store's and appends them ({@link State}). */
    void exchange(State s) {
        if (s instanceof State.In in) {
            for (int n = in.count(0); n > 0; ) {
                int k = Math.min(n, BLOCK);
                double[] buf = in.scratch(k);
                in.doubles(buf, 0, k);
                addScores(buf, 0, k);
                n -= k;
            }
            int labelsRead = in.count(0);
            int[] chunk = new int[Math.min(labelsRead, BLOCK)];
            for (int n = labelsRead; n > 0; ) {
                int k = Math.min(n, BLOCK);
                in.ints(chunk, 0, k);
                for (int i = 0; i < k; i++) {
                    addLabel(chunk[i]);
                }
                n -= k;
            }
            int rowCount = in.count(0);
            boolean weighted = in.count(0) == 1;
            for (int n = rowCount; n > 0; ) {
                int k = Math.min(n, BLOCK);
                double[] buf = in.scratch(k);
                if (weighted) {
                    in.doubles(buf, 0, k);
                } else {
                    Arrays.fill(buf, 0, k, 1.0);
                }
                for (int i = 0; i < k; i++) {
                    addRow(buf[i]);
                }
                n -= k;
            }
        } else {
            s.count(scoreCount);
            for (int at = 0; at < scoreCount; at += BLOCK) {
                s.doubles(blocks[at >>> SHIFT], 0, Math.min(BLOCK, scoreCount - at));
            }
            s.count(labelCount);
            s.ints(labels, 0, labelCount);
            s.count(rows);
            s.count(weights == null ? 0 : 1);
            if (weights != null) {
                s.doubles(weights, 0, rows);
            }
        }
    }

    double weight(int row) {
        return weights == null ? 1.0 : weights[row];
    }

    private static int grow(int current, int needed) {
        long next = Math.max((long) current * 2, needed);
        if (next > Integer.MAX_VALUE - 8) {
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("exact rank metrics hold at most " + (Integer.MAX_VALUE - 8)
                        + " values; use RankMode.binned(...) for an evaluation this large");
            }
            next = Integer.MAX_VALUE - 8;
        }
        return (int) next;
    }
}
