package io.github.logits4j.metrics;

import java.util.Arrays;

/** Growable primitive storage of scores, labels and (once any is given) weights; package-private. */
final class Store {
    double[] scores = new double[64];
    int scoreCount;
    int[] labels = new int[64];
    int labelCount;
    double[] weights;
    int rows;

    void addScores(double[] src, int off, int n) {
        if (scoreCount + n > scores.length) {
            scores = Arrays.copyOf(scores, grow(scores.length, scoreCount + n));
        }
        System.arraycopy(src, off, scores, scoreCount, n);
        scoreCount += n;
    }

    void addScore(double score) {
        if (scoreCount == scores.length) {
            scores = Arrays.copyOf(scores, grow(scores.length, scoreCount + 1));
        }
        scores[scoreCount++] = score;
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
        addScores(other.scores, 0, other.scoreCount);
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
