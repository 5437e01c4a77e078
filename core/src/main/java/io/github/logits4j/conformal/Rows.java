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
    /** {@link #select}'s classes within its bracket. */
    private final double[] values;
    private final int[] ids;
    /** The regularized cumulative mass of the class {@link #select} found. */
    private double selectedMass;
    /** How many sets {@link #select} found (for the tests). */
    int selections;
    /** {@link #select}'s buckets, and its walk's classes and mass above the current bucket. */
    private final int[] bucketCount = new int[Math.max(TOP_BUCKETS, 64)];
    private final double[] bucketMass = new double[Math.max(TOP_BUCKETS, 64)];
    private int walkAbove;
    private double walkMass;
    /** The most maxima {@link #fastSet} extracts before it orders the whole row instead. */
    private static final int FAST_STEPS = 3;

    Rows(int classes) {
        this.classes = classes;
        this.order = new int[classes];
        this.rank = new int[classes];
        this.cum = new double[classes];
        this.tmp = new int[classes];
        this.taken = new boolean[classes];
        this.values = new double[classes];
        this.ids = new int[classes];
    }

    /**
     * MAPIE's set of a row at quantile {@code q} (LAC, APS, top-k), as {@link #mapieSet} after {@link #sort}, but
     * without ordering the whole row when the set is reached within a few of the most probable classes (most rows of
     * a useful model): the maxima are taken one by one (ties: the higher index first, as the sort orders them). A set
     * of more than {@value #FAST_STEPS} classes (a model unsure of a row) is found by selection instead
     * ({@link #select}). A row with a zero probability, or whose set's edge is too close to call without MAPIE's own
     * order of summation, is ordered in full.
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
        int lastClass;
        double cumLast = 0.0;
        boolean selected = found < 0;
        if (!selected) {
            int steps = found >>> 16;
            lastClass = found & 0xFFFF;
            for (int j = 0; j < steps; j++) {
                int c = order[j];
                cumLast += p[off + c];
                if (c == lastClass) {
                    cumLast += penalty(score, j);
                    break;
                }
            }
            for (int j = 0; j < steps; j++) {
                taken[order[j]] = false;
            }
        } else {
            found = zero ? -1 : select(score, p, off, q);
            if (found < 0) {
                sort(p, off);
                return mapieSet(score, p, off, q, u, inSet);
            }
            lastClass = found & 0xFFFF;
            cumLast = selectedMass;
            selections++;
        }
        double pLast = p[off + lastClass];
        if (cumulative(score) && pLast <= EPSILON) {
            pLast = smallestPositive(p, off);
        }
        int size = atLeast(p, off, pLast, inSet);
        if (!cumulative(score) || rule(score) != ConformityScore.IncludeLastLabel.RANDOMIZED) {
            return size;
        }
        if (selected) {
            // the selection summed in another order than MAPIE's cumulative sum: draw only when that error cannot
            // change the outcome, else order the row and sum as MAPIE does
            int low = randomizeLast(score, p, off, q, u, lastClass, cumLast - margin(), pLast, size, inSet);
            atLeast(p, off, pLast, inSet);
            int high = randomizeLast(score, p, off, q, u, lastClass, cumLast + margin(), pLast, size, inSet);
            if (low != high) {
                sort(p, off);
                return mapieSet(score, p, off, q, u, inSet);
            }
            return high;
        }
        return randomizeLast(score, p, off, q, u, lastClass, cumLast, pLast, size, inSet);
    }

    /**
     * A bound on the difference between two sums of one row's probabilities taken in different orders (each at most
     * {@code (C - 1) * 2^-53} of a total of about 1), doubled, plus room: the selection's sums are trusted only
     * farther than this from a decision's edge.
     */
    private double margin() {
        return 1e-12 + classes * 1e-15;
    }

    /**
     * Finds the set's last class of a cumulative score (APS, RAPS; rule TRUE or RANDOMIZED: the first class, in
     * descending order of probability, whose regularized cumulative mass reaches {@code q - EPSILON}) or of top-k (the
     * class at rank {@code q}) without ordering the row, by radix selection on the bits of the probabilities (whose
     * order is the order of the values): one pass counts and sums the row into buckets of its exponent and 3
     * mantissa bits, a walk down the buckets finds the one that holds the edge, and its classes are split again on
     * the next 6 bits until at most {@value #CANDIDATES} remain, which are ordered and walked. Returns
     * {@code rank << 16 | class} with the class's regularized cumulative mass in {@link #selectedMass}, or -1 for the
     * exact path: the rule FALSE, more than 65,535 classes, no class reaching q, the edge among probabilities below
     * 2^-40 or among equal ones, a cumulative mass within {@link #margin()} of the edge (the buckets sum in another
     * order than MAPIE's cumulative sum), or for randomized sets, equal probabilities at the edge.
     */
    private int select(ConformityScore score, double[] p, int off, double q) {
        boolean topK = score instanceof ConformityScore.TopK;
        if (classes > 0xFFFF || (!topK && rule(score) == ConformityScore.IncludeLastLabel.FALSE)) {
            return -1;
        }
        boolean randomized = !topK && rule(score) == ConformityScore.IncludeLastLabel.RANDOMIZED;
        int k = topK ? (int) Math.min(q, classes - 1) : -1;
        double target = q - EPSILON;
        // level 1: the whole row, buckets of (exponent, 3 mantissa bits) from 2^-40 (bucket 0 holds all below) to 1
        java.util.Arrays.fill(bucketCount, 0);
        java.util.Arrays.fill(bucketMass, 0.0);
        boolean valid = true;
        for (int c = 0; c < classes; c++) {
            double v = p[off + c];
            valid &= v >= 0.0 && v <= 1.0;
            int b = (int) Math.min(TOP_BUCKETS - 1, Math.max(0L, (Double.doubleToRawLongBits(v) >>> 49) - TINY_KEY + 1));
            bucketCount[b]++;
            bucketMass[b] += v;
        }
        if (!valid) {
            return -1;
        }
        walkAbove = 0;
        walkMass = 0.0;
        int edge = walk(score, topK, k, target, TOP_BUCKETS);
        if (edge <= 0) {
            return -1;
        }
        int m = 0;
        for (int c = 0; c < classes; c++) {
            double v = p[off + c];
            if ((Double.doubleToRawLongBits(v) >>> 49) - TINY_KEY + 1 == edge) {
                values[m] = v;
                ids[m++] = c;
            }
        }
        // further levels: 6 more bits at a time, among the classes of the edge's bucket
        int shift = 49;
        while (m > CANDIDATES) {
            if (shift < 6) {
                return -1;
            }
            long prefix = Double.doubleToRawLongBits(values[0]) >>> shift;
            shift -= 6;
            java.util.Arrays.fill(bucketCount, 0, 64, 0);
            java.util.Arrays.fill(bucketMass, 0, 64, 0.0);
            for (int i = 0; i < m; i++) {
                int b = (int) ((Double.doubleToRawLongBits(values[i]) >>> shift) - (prefix << 6));
                bucketCount[b]++;
                bucketMass[b] += values[i];
            }
            edge = walk(score, topK, k, target, 64);
            if (edge < 0) {
                return -1;
            }
            int w = 0;
            for (int i = 0; i < m; i++) {
                if ((int) ((Double.doubleToRawLongBits(values[i]) >>> shift) - (prefix << 6)) == edge) {
                    values[w] = values[i];
                    ids[w++] = ids[i];
                }
            }
            m = w;
        }
        // descending, the higher class first among equal values (as the full order)
        for (int i = 1; i < m; i++) {
            double v = values[i];
            int id = ids[i];
            int j = i - 1;
            while (j >= 0 && (values[j] < v || (values[j] == v && ids[j] < id))) {
                values[j + 1] = values[j];
                ids[j + 1] = ids[j];
                j--;
            }
            values[j + 1] = v;
            ids[j + 1] = id;
        }
        double margin = margin();
        double mass = walkMass;
        int above = walkAbove;
        for (int t = 0; t < m; t++) {
            double before = mass + penalty(score, Math.max(above - 1, 0));
            mass += values[t];
            double at = mass + penalty(score, above);
            if (topK ? above >= k : at >= target) {
                boolean tied = (t > 0 && values[t - 1] == values[t]) || (t + 1 < m && values[t + 1] == values[t]);
                if (!topK && (at - target < margin || (above > 0 && target - before < margin)
                        || (randomized && tied))) {
                    return -1;
                }
                selectedMass = at;
                return (above << 16) | ids[t];
            }
            above++;
        }
        return -1;
    }

    /**
     * Walks the buckets {@code [0, n)} from the highest, adding each one's count and mass to {@link #walkAbove} and
     * {@link #walkMass} (kept from the levels before), and returns the bucket that holds the edge, or -1.
     */
    private int walk(ConformityScore score, boolean topK, int k, double target, int n) {
        for (int b = n - 1; b >= 0; b--) {
            int count = bucketCount[b];
            if (count == 0) {
                continue;
            }
            boolean reached = topK ? walkAbove + count >= k + 1
                    : walkMass + bucketMass[b] + penalty(score, walkAbove + count - 1) >= target;
            if (reached) {
                return b;
            }
            walkAbove += count;
            walkMass += bucketMass[b];
        }
        return -1;
    }

    /** The most classes {@link #select} orders once its bucket holds no more. */
    private static final int CANDIDATES = 16;
    /** The bucket key ({@code bits >>> 49}) of 2^-40, the lowest bucket apart from the one below it. */
    private static final long TINY_KEY = Double.doubleToRawLongBits(0x1.0p-40) >>> 49;
    /** The first level's buckets: below 2^-40, then 8 for each power of 2 up to 1 (and 1 itself). */
    private static final int TOP_BUCKETS = (int) ((Double.doubleToRawLongBits(1.0) >>> 49) - TINY_KEY + 2);

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
        boolean include = !cumulative(score) || rule(score) != ConformityScore.IncludeLastLabel.FALSE;
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
            double sum = s + p[off + best];
            double next = sum + penalty(score, steps);      // RAPS: the regularized mass MAPIE compares
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
            s = sum;
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
     * The conformity score of the true class {@code y}, without ordering the row: the classes ranked above it (a
     * higher probability, or an equal one and a higher index) are counted (top-k) or gathered and summed in class
     * order (APS, RAPS: within {@code (C - 1) * 2^-53} of MAPIE's sum in descending order, and equal to it when at
     * most one class ranks above y, as in most rows of a useful model); one branch-free pass over the probabilities,
     * which also checks each is a probability.
     *
     * @throws IllegalArgumentException naming {@code row} and the column of a value that is not a probability
     */
    double trueScore(ConformityScore score, double[] p, int off, int y, double u, int row) {
        double py = p[off + y];
        long bad = 0;
        if (score instanceof ConformityScore.Lac) {
            for (int c = 0; c < classes; c++) {
                // negative (the sign bit) or above 1 (or NaN) when either term is negative
                long bits = Double.doubleToRawLongBits(p[off + c]);
                bad |= bits | (ONE_BITS - bits);
            }
            if (bad < 0) {
                invalid(p, off, row);      // throws for a value out of [0, 1]; -0.0 passes
            }
            return 1.0 - py;
        }
        // one pass, branch-free: each value checked, and the classes ranked above y gathered (a higher probability,
        // or an equal one and a higher index)
        int above = 0;
        if (score instanceof ConformityScore.TopK) {
            for (int c = 0; c < y; c++) {
                double v = p[off + c];
                long bits = Double.doubleToRawLongBits(v);
                bad |= bits | (ONE_BITS - bits);
                above += v > py ? 1 : 0;
            }
            for (int c = y + 1; c < classes; c++) {
                double v = p[off + c];
                long bits = Double.doubleToRawLongBits(v);
                bad |= bits | (ONE_BITS - bits);
                above += v >= py ? 1 : 0;
            }
        } else {
            for (int c = 0; c < y; c++) {
                double v = p[off + c];
                long bits = Double.doubleToRawLongBits(v);
                bad |= bits | (ONE_BITS - bits);
                values[above] = v;
                above += v > py ? 1 : 0;
            }
            for (int c = y + 1; c < classes; c++) {
                double v = p[off + c];
                long bits = Double.doubleToRawLongBits(v);
                bad |= bits | (ONE_BITS - bits);
                values[above] = v;
                above += v >= py ? 1 : 0;
            }
        }
        long pyBits = Double.doubleToRawLongBits(py);
        bad |= pyBits | (ONE_BITS - pyBits);
        if (bad < 0) {
            invalid(p, off, row);      // throws for a value out of [0, 1]; -0.0 passes
        }
        if (score instanceof ConformityScore.TopK) {
            return above;
        }
        // the mass above y in class order (MAPIE's cumulative sum adds it in descending order: the two differ by at
        // most (C - 1) * 2^-53), then p_y
        double s = 0.0;
        for (int j = 0; j < above; j++) {
            s += values[j];
        }
        s += py;
        return (randomized(score) ? s - u * py : s) + penalty(score, above);
    }

    private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);

    private void invalid(double[] p, int off, int row) {
        for (int c = 0; c < classes; c++) {
            double v = p[off + c];
            if (!(v >= 0.0 && v <= 1.0)) {
                Checks.probabilityAt(v, row, c);
            }
        }
    }

    /** The conformity score of class {@code y} in the row ({@link #sort} done for APS and top-k). */
    double score(ConformityScore score, double[] p, int off, int y, double u) {
        if (score instanceof ConformityScore.Lac) {
            return 1.0 - p[off + y];
        }
        if (cumulative(score)) {
            return (randomized(score) ? cum[y] - u * p[off + y] : cum[y]) + penalty(score, rank[y]);
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
        int lastClass = rule(score) == ConformityScore.IncludeLastLabel.FALSE ? lastWithin(score, q)
                : firstReaching(score, q);
        double pLast = p[off + lastClass];
        if (pLast <= EPSILON) {
            pLast = smallestPositive(p, off);
        }
        int size = atLeast(p, off, pLast, inSet);
        return randomizeLast(score, p, off, q, u, lastClass, regularized(score, lastClass), pLast, size, inSet);
    }

    /**
     * MAPIE's randomized last class: kept when {@code V - u <= EPSILON}, {@code V = (mass of the last class - q) /
     * d}, {@code d = pLast} for APS and {@code pLast - lambda * max(0, L - kReg) + lambda * [L > kReg]} for RAPS
     * ({@code L} the set's size before; MAPIE's {@code _compute_v_parameter}). Other rules leave the set as it is.
     */
    private static int randomizeLast(ConformityScore score, double[] p, int off, double q, double u, int lastClass,
            double cumLast, double pLast, int size, boolean[] inSet) {
        if (rule(score) != ConformityScore.IncludeLastLabel.RANDOMIZED) {
            return size;
        }
        double denominator = pLast;
        if (score instanceof ConformityScore.Raps raps) {
            denominator = pLast - raps.lambda() * Math.max(0, size - raps.kReg())
                    + raps.lambda() * (size > raps.kReg() ? 1 : 0);
        }
        boolean keep = (cumLast - q) / denominator - u <= EPSILON;        // MAPIE sets the last class to this
        if (keep != inSet[lastClass]) {
            inSet[lastClass] = keep;
            return size + (keep ? 1 : -1);
        }
        return size;
    }

    /** Whether the score is a cumulative mass (APS, RAPS). */
    static boolean cumulative(ConformityScore score) {
        return score instanceof ConformityScore.Aps || score instanceof ConformityScore.Raps;
    }

    private static boolean randomized(ConformityScore score) {
        return score instanceof ConformityScore.Aps aps ? aps.randomized()
                : score instanceof ConformityScore.Raps raps && raps.randomized();
    }

    private static ConformityScore.IncludeLastLabel rule(ConformityScore score) {
        if (score instanceof ConformityScore.Aps aps) {
            return aps.includeLastLabel();
        }
        return score instanceof ConformityScore.Raps raps ? raps.includeLastLabel()
                : ConformityScore.IncludeLastLabel.TRUE;
    }

    /** RAPS's penalty at 0-based rank {@code rank}; 0 for the other scores. */
    static double penalty(ConformityScore score, int rank) {
        return score instanceof ConformityScore.Raps raps ? raps.penalty(rank) : 0.0;
    }

    /** The (regularized) cumulative mass of class {@code c} after {@link #sort}. */
    private double regularized(ConformityScore score, int c) {
        return cum[c] + penalty(score, rank[c]);
    }

    /** The class with the smallest cumulative mass at or above {@code q} (within EPSILON); the lowest index on ties. */
    private int firstReaching(ConformityScore score, double q) {
        int best = 0;
        double bestGap = Double.POSITIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double gap = regularized(score, c) - q;
            if (!(gap < -EPSILON) && gap < bestGap) {
                bestGap = gap;
                best = c;
            }
        }
        return best;
    }

    /** The class with the largest cumulative mass within {@code max(q, top mass)} (within EPSILON). */
    private int lastWithin(ConformityScore score, double q) {
        double threshold = Math.max(q, regularized(score, order[0]));
        int best = 0;
        double bestGap = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double gap = regularized(score, c) - threshold;
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
