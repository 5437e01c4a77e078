package io.github.logits4j.conformal;

import io.github.logits4j.kernel.Checks;

/**
 * One row of probabilities, as the scores and sets read it: the classes in descending order of probability (ties:
 * the higher class index first, as MAPIE's {@code fliplr(argsort(p))} orders a row), the cumulative mass along that
 * order, each score, and MAPIE's set rules with its tolerance {@value #EPSILON}; package-private. Not thread-safe:
 * one per thread, reused across rows.
 *
 * <pre>{@code
 * Rows r = new Rows(classes);
 * double s = r.trueScore(ConformityScore.lac(), p, off, y, 0.0);
 * }</pre>
 */
final class Rows {
    /** MAPIE's tolerance in set membership ({@code mapie._machine_precision.EPSILON}). */
    static final double EPSILON = 1e-8;

    private final int classes;
    /** {@code order[j]}: the class at rank j (0: the most probable). */
    final int[] order;
    /** {@code rank[c]}: the rank of class c. */
    final int[] rank;
    /** {@code cum[c]}: the mass of the classes ranked at or above class c, in rank order of addition. */
    final double[] cum;
    private final int[] tmp;
    /** Classes taken by {@link #fastSet}'s extraction of maxima (cleared after each row). */
    private final boolean[] taken;
    /** The most maxima {@link #fastSet} extracts before it orders the whole row instead. */
    private static final int FAST_STEPS = 8;

    Rows(int classes) {
        this.classes = classes;
        this.order = new int[classes];
        this.rank = new int[classes];
        this.cum = new double[classes];
        this.tmp = new int[classes];
        this.taken = new boolean[classes];
    }

    /**
     * MAPIE's set of a row at quantile {@code q} (LAC, APS, top-k), as {@link #mapieSet} after {@link #sort}, but
     * without ordering the whole row when the set is reached within a few of the most probable classes (most rows of
     * a useful model): the maxima are taken one by one (ties: the higher index first, as the sort orders them). A row
     * with a zero probability, or whose set needs more than {@value #FAST_STEPS} classes, is ordered in full.
     */
    int fastSet(ConformityScore score, double[] p, int off, double q, double u, boolean[] inSet) {
        if (score instanceof ConformityScore.Lac) {
            return mapieSet(score, p, off, q, u, inSet);
        }
        boolean zero = false;
        for (int c = 0; c < classes && !zero; c++) {
            zero = p[off + c] == 0.0;
        }
        int found = zero ? -1 : extract(score, p, off, q);
        if (found < 0) {
            sort(p, off);
            return mapieSet(score, p, off, q, u, inSet);
        }
        int steps = found >>> 16;
        int lastClass = found & 0xFFFF;
        double cumLast = 0.0;
        for (int j = 0; j < steps; j++) {
            int c = order[j];
            cumLast += p[off + c];
            taken[c] = false;
            if (c == lastClass) {
                break;
            }
        }
        for (int j = 0; j < steps; j++) {
            taken[order[j]] = false;
        }
        double pLast = p[off + lastClass];
        if (score instanceof ConformityScore.Aps && pLast <= EPSILON) {
            pLast = smallestPositive(p, off);
        }
        int size = 0;
        for (int c = 0; c < classes; c++) {
            boolean in = p[off + c] - pLast >= -EPSILON;
            inSet[c] = in;
            size += in ? 1 : 0;
        }
        if (score instanceof ConformityScore.Aps aps
                && aps.includeLastLabel() == ConformityScore.IncludeLastLabel.RANDOMIZED) {
            boolean keep = (cumLast - q) / pLast - u <= EPSILON;
            if (keep != inSet[lastClass]) {
                inSet[lastClass] = keep;
                size += keep ? 1 : -1;
            }
        }
        return size;
    }

    /**
     * Takes the maxima one by one into {@link #order} until the set's last class is known: the class at rank q
     * (top-k), the first whose cumulative mass reaches q (APS that includes it), or the last whose mass stays within
     * {@code max(q, top mass)} (APS that does not). Returns {@code steps << 16 | lastClass}, or -1 to order the row
     * in full (too many steps, or no class reaches q, or more than 65,535 classes).
     */
    private int extract(ConformityScore score, double[] p, int off, double q) {
        if (classes > 0xFFFF) {
            return -1;
        }
        int target = score instanceof ConformityScore.TopK ? (int) Math.min(q, classes - 1) : -1;
        if (target >= FAST_STEPS) {
            return -1;
        }
        boolean include = !(score instanceof ConformityScore.Aps aps)
                || aps.includeLastLabel() != ConformityScore.IncludeLastLabel.FALSE;
        double s = 0.0;
        double threshold = Double.NaN;
        int steps = 0;
        int result = -1;
        while (steps < FAST_STEPS && steps < classes) {
            int best = -1;
            for (int c = classes - 1; c >= 0; c--) {      // the higher index first among equal probabilities
                if (!taken[c] && (best < 0 || p[off + c] > p[off + best])) {
                    best = c;
                }
            }
            taken[best] = true;
            order[steps] = best;
            double next = s + p[off + best];
            if (target >= 0) {
                if (steps == target) {
                    result = best;
                }
            } else if (include) {
                if (!(next - q < -EPSILON)) {
                    result = best;
                }
            } else {
                if (steps == 0) {
                    threshold = Math.max(q, next);
                }
                if (next - threshold > EPSILON) {
                    result = order[steps - 1];               // the class before the one that crosses
                }
            }
            s = next;
            steps++;
            if (result >= 0) {
                return (steps << 16) | result;
            }
        }
        for (int j = 0; j < steps; j++) {
            taken[order[j]] = false;
        }
        return -1;
    }

    /** Orders row {@code p[off..off+C)} and fills {@link #order}, {@link #rank} and {@link #cum}. */
    void sort(double[] p, int off) {
        for (int c = 0; c < classes; c++) {
            order[c] = c;
        }
        // stable ascending merge sort of the indices by probability, read backwards: descending, ties higher first
        mergeSort(p, off, 0, classes);
        for (int i = 0, j = classes - 1; i < j; i++, j--) {
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double s = 0.0;
        for (int j = 0; j < classes; j++) {
            int c = order[j];
            rank[c] = j;
            s += p[off + c];
            cum[c] = s;
        }
    }

    private void mergeSort(double[] p, int off, int from, int to) {
        if (to - from < 2) {
            return;
        }
        if (to - from <= 16) {
            for (int i = from + 1; i < to; i++) {
                int v = order[i];
                double key = p[off + v];
                int j = i - 1;
                while (j >= from && p[off + order[j]] > key) {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = v;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(p, off, from, mid);
        mergeSort(p, off, mid, to);
        System.arraycopy(order, from, tmp, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            if (i < mid && (j >= to || p[off + tmp[i]] <= p[off + tmp[j]])) {
                order[k] = tmp[i++];
            } else {
                order[k] = tmp[j++];
            }
        }
    }

    /**
     * The conformity score of the true class {@code y}, without ordering the whole row: the classes ranked above it
     * (a higher probability, or an equal one and a higher index) are gathered, and for APS summed in rank order, as
     * the cumulative sum of the sorted row adds them; so a row whose true class ranks near the top (most rows of a
     * useful model) costs one pass over its probabilities, which also checks each is a probability.
     *
     * @throws IllegalArgumentException naming {@code row} and the column of a value that is not a probability
     */
    double trueScore(ConformityScore score, double[] p, int off, int y, double u, int row) {
        double py = p[off + y];
        boolean lac = score instanceof ConformityScore.Lac;
        int above = 0;
        for (int c = 0; c < classes; c++) {              // one pass: each probability checked, the classes above y
            double v = p[off + c];
            if (!(v >= 0.0 && v <= 1.0)) {
                Checks.probabilityAt(v, row, c);
            }
            if (!lac && (v > py || (v == py && c > y))) {
                order[above++] = c;
            }
        }
        if (lac) {
            return 1.0 - py;
        }
        if (score instanceof ConformityScore.TopK) {
            return above;
        }
        mergeSort(p, off, 0, above);                     // ascending; read backwards: descending, ties higher first
        double s = 0.0;
        for (int j = above - 1; j >= 0; j--) {
            s += p[off + order[j]];
        }
        s += py;
        return ((ConformityScore.Aps) score).randomized() ? s - u * py : s;
    }

    /** The conformity score of class {@code y} in the row ({@link #sort} done for APS and top-k). */
    double score(ConformityScore score, double[] p, int off, int y, double u) {
        if (score instanceof ConformityScore.Lac) {
            return 1.0 - p[off + y];
        }
        if (score instanceof ConformityScore.Aps aps) {
            return aps.randomized() ? cum[y] - u * p[off + y] : cum[y];
        }
        return rank[y];
    }

    /** The set of scores at or below each class's quantile (class-conditional sets, TorchCP's rule). */
    int thresholdSet(ConformityScore score, double[] p, int off, double[] q, double u, boolean[] inSet) {
        int size = 0;
        for (int c = 0; c < classes; c++) {
            boolean in = score(score, p, off, c, u) <= q[c];
            inSet[c] = in;
            size += in ? 1 : 0;
        }
        return size;
    }

    /** Whether the score needs the row sorted. */
    static boolean sorts(ConformityScore score) {
        return !(score instanceof ConformityScore.Lac);
    }

    /**
     * MAPIE's set of a row at quantile {@code q} for one score (the row sorted for APS and top-k): marks
     * {@code inSet[0..C)} and returns the size.
     */
    int mapieSet(ConformityScore score, double[] p, int off, double q, double u, boolean[] inSet) {
        if (score instanceof ConformityScore.Lac) {
            int size = 0;
            for (int c = 0; c < classes; c++) {
                boolean in = (1.0 - p[off + c]) - q <= EPSILON;
                inSet[c] = in;
                size += in ? 1 : 0;
            }
            return size;
        }
        if (score instanceof ConformityScore.TopK) {
            double last = p[off + order[(int) Math.min(q, classes - 1)]];
            return atLeast(p, off, last, inSet);
        }
        ConformityScore.IncludeLastLabel rule = ((ConformityScore.Aps) score).includeLastLabel();
        int lastClass = rule == ConformityScore.IncludeLastLabel.FALSE ? lastWithin(q) : firstReaching(q);
        double pLast = p[off + lastClass];
        if (pLast <= EPSILON) {
            pLast = smallestPositive(p, off);
        }
        int size = atLeast(p, off, pLast, inSet);
        if (rule == ConformityScore.IncludeLastLabel.RANDOMIZED) {
            boolean keep = (cum[lastClass] - q) / pLast - u <= EPSILON;      // MAPIE sets the last class to this
            if (keep != inSet[lastClass]) {
                inSet[lastClass] = keep;
                size += keep ? 1 : -1;
            }
        }
        return size;
    }

    /** The class with the smallest cumulative mass at or above {@code q} (within EPSILON); the lowest index on ties. */
    private int firstReaching(double q) {
        int best = 0;
        double bestGap = Double.POSITIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double gap = cum[c] - q;
            if (!(gap < -EPSILON) && gap < bestGap) {
                bestGap = gap;
                best = c;
            }
        }
        return best;
    }

    /** The class with the largest cumulative mass within {@code max(q, top mass)} (within EPSILON). */
    private int lastWithin(double q) {
        double threshold = Math.max(q, cum[order[0]]);
        int best = 0;
        double bestGap = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double gap = cum[c] - threshold;
            if (!(gap > EPSILON) && gap > bestGap) {
                bestGap = gap;
                best = c;
            }
        }
        return best;
    }

    private double smallestPositive(double[] p, int off) {
        double min = Double.POSITIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double v = p[off + c];
            if (v >= EPSILON && v < min) {
                min = v;
            }
        }
        return min;
    }

    /** Marks the classes with {@code p >= last - EPSILON}. */
    private int atLeast(double[] p, int off, double last, boolean[] inSet) {
        int size = 0;
        for (int c = 0; c < classes; c++) {
            boolean in = p[off + c] - last >= -EPSILON;
            inSet[c] = in;
            size += in ? 1 : 0;
        }
        return size;
    }
}
