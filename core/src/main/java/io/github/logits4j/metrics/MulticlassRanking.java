package io.github.logits4j.metrics;

import io.github.logits4j.kernel.Parallel;
import java.util.Arrays;

/**
 * The rank metrics of a {@link MulticlassMetrics}: one-vs-rest and one-vs-one ROC AUC (macro and weighted) and
 * one-vs-rest average precision, exact from the stored scores (Mann-Whitney counts over a radix sort) or from the
 * binned histograms with their error bounds.
 *
 * <pre>{@code
 * double[] auc = new MulticlassRanking(classes, rows, support, store, hist, rankMode, 1).rocAuc();
 * }</pre>
 *
 * <p>Reads the accumulator's state without changing it; one computation per instance.
 */
final class MulticlassRanking {
    private final int classes;
    private final long rows;
    /** The weight of each true class (the confusion counts' row sums). */
    private final double[] support;
    private final Store store;
    private final double[] hist;
    private final RankMode rankMode;
    private final int parallelism;

    MulticlassRanking(int classes, long rows, double[] support, Store store, double[] hist, RankMode rankMode,
            int parallelism) {
        this.classes = classes;
        this.rows = rows;
        this.support = support;
        this.store = store;
        this.hist = hist;
        this.rankMode = rankMode;
        this.parallelism = parallelism;
    }

    // the slots of the values while they are computed; rocAuc() hands them out named, as a MulticlassRanks
    private static final int MACRO_OVR = 0;
    private static final int WEIGHTED_OVR = 1;
    private static final int MACRO_OVO = 2;
    private static final int WEIGHTED_OVO = 3;
    private static final int OVR_BOUND = 4;
    private static final int OVO_BOUND = 5;
    private static final int MACRO_AP = 6;
    private static final int WEIGHTED_AP = 7;
    private static final int AP_BOUND = 8;
    private static final int MICRO_OVR = 9;
    private static final int MICRO_OVR_BOUND = 10;
    private static final int VALUES = 11;

    /**
     * {ovr macro, ovr weighted, ovo macro, ovo weighted, ovr macro bound, ovo macro bound, ovr average precision
     * macro, weighted, macro bound, ovr micro, ovr micro bound}. The micro one-vs-rest AUC is scikit-learn's
     * {@code roc_auc_score(multi_class="ovr", average="micro")}: one AUC over every (row, class) score, positive
     * where the class is the row's label.
     */
    MulticlassRanks rocAuc() {
        double[] out = new double[VALUES];
        Arrays.fill(out, Double.NaN);
        if (rankMode.isNone() || rows == 0) {
            return named(out);
        }
        if (store != null && store.weights == null) {
            return named(exactRocAuc());
        }
        double[] classAuc = new double[classes];
        double[] classAp = new double[classes];
        double[] classBound = new double[classes];
        double[] apBound = new double[classes];
        double[] prevalence = new double[classes];
        double[] slot = new double[4];
        int n = (int) rows;
        boolean[] positive = new boolean[Math.max(n, 1)];
        double[] column = new double[Math.max(n, 1)];
        for (int c = 0; c < classes; c++) {
            prevalence[c] = support[c];
            if (store != null) {
                for (int r = 0; r < n; r++) {
                    column[r] = store.score(r * classes + c);
                    positive[r] = store.labels[r] == c;
                }
                Ranking.exact(column, positive, store.weights, n, slot);
            } else {
                binnedPair(c, -1, slot);
                classBound[c] = slot[Ranking.AUC_BOUND];
                apBound[c] = slot[Ranking.AP_BOUND];
            }
            classAuc[c] = slot[Ranking.AUC];
            classAp[c] = slot[Ranking.AP];
        }
        twoClasses(classAuc);
        twoClasses(classBound);
        out[MACRO_OVR] = Means.mean(classAuc, null);
        out[WEIGHTED_OVR] = Means.supportWeightedMean(classAuc, prevalence);
        out[OVR_BOUND] = store != null ? 0.0 : Means.mean(classBound, null);
        out[MACRO_AP] = Means.mean(classAp, null);
        out[WEIGHTED_AP] = Means.supportWeightedMean(classAp, prevalence);
        out[AP_BOUND] = store != null ? 0.0 : Means.mean(apBound, null);
        // One-vs-one (Hand & Till): every pair of the classes present in the labels, on the rows labelled with one
        // of the two (scikit-learn pairs np.unique(y_true) only).
        boolean[] present = new boolean[classes];
        int presentCount = 0;
        for (int c = 0; c < classes; c++) {
            if (store != null) {
                for (int r = 0; r < n && !present[c]; r++) {
                    present[c] = store.labels[r] == c;
                }
            } else {
                present[c] = prevalence[c] > 0.0;
            }
            presentCount += present[c] ? 1 : 0;
        }
        int pairs = presentCount * (presentCount - 1) / 2;
        double[] pairAuc = new double[pairs];
        double[] pairBound = new double[pairs];
        double[] pairPrevalence = new double[pairs];
        double[] w = store != null && store.weights != null ? new double[n] : null;
        int k = 0;
        for (int a = 0; a < classes; a++) {
            for (int b = a + 1; b < classes; b++) {
                if (!present[a] || !present[b]) {
                    continue;
                }
                pairPrevalence[k] = prevalence[a] + prevalence[b];
                if (store != null) {
                    double aucA = subsetAuc(a, a, b, w, column, positive, slot);
                    double aucB = subsetAuc(b, a, b, w, column, positive, slot);
                    pairAuc[k] = (aucA + aucB) / 2.0;
                } else {
                    binnedPair(a, b, slot);
                    double aucA = slot[Ranking.AUC];
                    double boundA = slot[Ranking.AUC_BOUND];
                    binnedPair(b, a, slot);
                    pairAuc[k] = (aucA + slot[Ranking.AUC]) / 2.0;
                    pairBound[k] = (boundA + slot[Ranking.AUC_BOUND]) / 2.0;
                }
                k++;
            }
        }
        if (classes == 2 && pairs == 1) {
            pairAuc[0] = classAuc[1];
            pairBound[0] = classBound[1];
        }
        out[MACRO_OVO] = Means.mean(pairAuc, null);
        out[WEIGHTED_OVO] = Means.mean(pairAuc, pairPrevalence);
        out[OVO_BOUND] = store != null ? 0.0 : Means.mean(pairBound, null);
        microAuc(out, slot);
        return named(out);
    }

    private static MulticlassRanks named(double[] v) {
        return new MulticlassRanks(v[MACRO_OVR], v[WEIGHTED_OVR], v[MACRO_OVO], v[WEIGHTED_OVO], v[MICRO_OVR],
                v[MACRO_AP], v[WEIGHTED_AP], v[OVR_BOUND], v[OVO_BOUND], v[MICRO_OVR_BOUND], v[AP_BOUND]);
    }

    /**
     * Two classes are one binary problem: scikit-learn scores it with {@code roc_auc_score(y, p[:, 1])}. Class 0's
     * one-vs-rest AUC on {@code p0} equals class 1's on {@code p1} only in exact arithmetic; where the float
     * probabilities saturate ({@code p0} rounds to 1 while {@code p1} still orders the rows) it ties rows that
     * {@code p1} orders, so both classes take class 1's AUC, and the macro, weighted and one-vs-one averages are the
     * binary AUC.
     */
    private void twoClasses(double[] perClass) {
        if (classes == 2) {
            perClass[0] = perClass[1];
        }
    }

    /** The micro one-vs-rest AUC of weighted stored scores (every score, weights repeated) or of the histograms. */
    private void microAuc(double[] out, double[] slot) {
        if (store != null) {
            int n = (int) rows;
            int all = Math.multiplyExact(n, classes);
            double[] scores = store.scores(all);
            boolean[] positive = new boolean[all];
            double[] w = new double[all];
            for (int r = 0; r < n; r++) {
                positive[r * classes + store.labels[r]] = true;
                java.util.Arrays.fill(w, r * classes, (r + 1) * classes, store.weights[r]);
            }
            Ranking.exact(scores, positive, w, all, slot);
            out[MICRO_OVR] = slot[Ranking.AUC];
            out[MICRO_OVR_BOUND] = 0.0;
            return;
        }
        int bins = rankMode.bins();
        double[] pos = new double[bins];
        double[] neg = new double[bins];
        for (int c = 0; c < classes; c++) {
            for (int y = 0; y < classes; y++) {
                int base = (c * classes + y) * bins;
                double[] into = y == c ? pos : neg;
                for (int i = 0; i < bins; i++) {
                    into[i] += hist[base + i];
                }
            }
        }
        Ranking.binned(pos, neg, 0, bins, slot);
        out[MICRO_OVR] = slot[Ranking.AUC];
        out[MICRO_OVR_BOUND] = slot[Ranking.AUC_BOUND];
    }

    /**
     * {@link #rocAuc()} for stored, unweighted scores: each class column is split by true label and each part sorted
     * once (radix, {@link Ranking#sort}); a Mann-Whitney count of the column's own label against each other label
     * ({@link Ranking#twiceMannWhitney}) gives every one-vs-one AUC it takes part in, and their sum the one-vs-rest
     * AUC, with the results of the row-by-row threshold walks to the last bit. Columns run on {@code parallelism}
     * threads.
     */
    private double[] exactRocAuc() {
        double[] out = new double[VALUES];
        int n = (int) rows;
        // Micro: every row's score for its own label against every other score of every column.
        double[] own = new double[n];
        for (int r = 0; r < n; r++) {
            own[r] = store.score(r * classes + store.labels[r]);
        }
        Ranking.sort(own, new double[n]);
        long[] microTwice = new long[classes];
        int[] count = new int[classes];
        for (int r = 0; r < n; r++) {
            count[store.labels[r]]++;
        }
        double[] prevalence = new double[classes];
        boolean[] present = new boolean[classes];
        int presentCount = 0;
        for (int c = 0; c < classes; c++) {
            prevalence[c] = support[c];
            present[c] = count[c] > 0;
            presentCount += present[c] ? 1 : 0;
        }
        double[] classAuc = new double[classes];
        double[] classAp = new double[classes];
        double[] directed = new double[classes * classes];          // AUC of column a, label a against label b
        // Columns are independent: each thread sorts its own, into its own buffers, and writes its own slots.
        Parallel.forRanges(parallelism, classes, 1, (from, to) -> {
            double[][] byLabel = new double[classes][];
            int longest = 0;
            for (int l = 0; l < classes; l++) {
                byLabel[l] = new double[count[l]];
                longest = Math.max(longest, count[l]);
            }
            double[] scratch = new double[longest];
            long[] atOrAbove = new long[longest];
            int[] fill = new int[classes];
            for (int c = from; c < to; c++) {
                java.util.Arrays.fill(fill, 0);
                for (int r = 0; r < n; r++) {
                    int y = store.labels[r];
                    byLabel[y][fill[y]++] = store.score(r * classes + c);
                }
                for (int l = 0; l < classes; l++) {
                    Ranking.sort(byLabel[l], scratch);
                }
                // The one-vs-rest count is the sum of the one-vs-one counts of column c against every other label.
                long rest = 0;
                java.util.Arrays.fill(atOrAbove, 0, count[c], 0L);
                for (int b = 0; b < classes; b++) {
                    if (b != c) {
                        long twiceU = Ranking.twiceMannWhitney(byLabel[c], byLabel[b], atOrAbove);
                        rest += twiceU;
                        if (present[c] && present[b]) {
                            directed[c * classes + b] = Ranking.aucOfCount(twiceU, count[c], count[b]);
                        }
                    }
                }
                classAuc[c] = Ranking.aucOfCount(rest, count[c], n - count[c]);
                long micro = 0;                  // column c's scores of the other labels are micro negatives
                for (int l = 0; l < classes; l++) {
                    if (l != c) {
                        micro += Ranking.twiceMannWhitneyByNegatives(own, byLabel[l]);
                    }
                }
                microTwice[c] = micro;
                classAp[c] = Ranking.averagePrecision(byLabel[c], atOrAbove);   // rode on the walks above
            }
        });
        twoClasses(classAuc);
        out[MACRO_OVR] = Means.mean(classAuc, null);
        out[WEIGHTED_OVR] = Means.supportWeightedMean(classAuc, prevalence);
        out[OVR_BOUND] = 0.0;
        out[MACRO_AP] = Means.mean(classAp, null);
        out[WEIGHTED_AP] = Means.supportWeightedMean(classAp, prevalence);
        out[AP_BOUND] = 0.0;
        int pairs = presentCount * (presentCount - 1) / 2;
        double[] pairAuc = new double[pairs];
        double[] pairPrevalence = new double[pairs];
        int k = 0;
        for (int a = 0; a < classes; a++) {
            for (int b = a + 1; b < classes; b++) {
                if (present[a] && present[b]) {
                    pairPrevalence[k] = prevalence[a] + prevalence[b];
                    pairAuc[k++] = classes == 2 ? classAuc[1]
                            : (directed[a * classes + b] + directed[b * classes + a]) / 2.0;
                }
            }
        }
        out[MACRO_OVO] = Means.mean(pairAuc, null);
        out[WEIGHTED_OVO] = Means.mean(pairAuc, pairPrevalence);
        out[OVO_BOUND] = 0.0;
        long twice = 0;
        for (long t : microTwice) {
            twice += t;
        }
        out[MICRO_OVR] = Ranking.aucOfCount(twice, n, (long) n * (classes - 1));
        out[MICRO_OVR_BOUND] = 0.0;
        return out;
    }

    /** AUC of column {@code c} separating label {@code c} from the other of {a, b}, on rows labelled a or b. */
    private double subsetAuc(int c, int a, int b, double[] w, double[] column, boolean[] positive, double[] slot) {
        int m = 0;
        for (int r = 0; r < (int) rows; r++) {
            int y = store.labels[r];
            if (y == a || y == b) {
                column[m] = store.score(r * classes + c);
                positive[m] = y == c;
                if (w != null) {
                    w[m] = store.weights[r];
                }
                m++;
            }
        }
        Ranking.exact(column, positive, w, m, slot);
        return slot[Ranking.AUC];
    }

    /**
     * Binned AUC of column c: positives are rows labelled c; negatives rows labelled {@code other}, or every other
     * label when {@code other < 0}.
     */
    private void binnedPair(int c, int other, double[] slot) {
        int bins = rankMode.bins();
        double[] pos = new double[bins];
        double[] neg = new double[bins];
        for (int y = 0; y < classes; y++) {
            if (y != c && other >= 0 && y != other) {
                continue;
            }
            int base = (c * classes + y) * bins;
            double[] into = y == c ? pos : neg;
            for (int i = 0; i < bins; i++) {
                into[i] += hist[base + i];
            }
        }
        Ranking.binned(pos, neg, 0, bins, slot);
    }

    /**
     * Why rank metrics are refused for {@code classes}: above {@value Confusion#DENSE_LIMIT} classes ROC AUC and
     * average precision are refused up front, naming what works.
     */
    static String limit(int classes) {
        return "ROC AUC and average precision over " + classes + " classes are not computed: one-vs-one AUC pairs"
                + " every two classes (" + (long) classes * (classes - 1) / 2 + " pairs), and scikit-learn defines"
                + " multi-class AUC only when every class occurs in the labels; above " + Confusion.DENSE_LIMIT
                + " classes build with rankMode(RankMode.none()) (on the command line --rank-metrics none). Accuracy,"
                + " top-k accuracy, precision, recall, F1, Matthews, kappa, log loss, Brier and calibration error work at"
                + " any class count";
    }
}
