package io.github.logits4j.metrics;

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
