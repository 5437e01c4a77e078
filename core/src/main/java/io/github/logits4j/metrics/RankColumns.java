package io.github.logits4j.metrics;

import io.github.logits4j.kernel.Parallel;
import io.github.logits4j.kernel.State;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The rank part every metric accumulator shares: what its {@link RankMode} keeps of the scores, and the curves drawn
 * from it; package-private. Rows have {@code columns} scores: the classes of a multi-class row (one true class per
 * row), or the labels of a multi-label row and the one probability of a binary row (a 0/1 truth per entry).
 *
 * <ul>
 *   <li>exact: every score, label and weight in a {@link Store};</li>
 *   <li>binned: the weight of each (column, truth group, bin): the groups are the true classes of a multi-class row
 *       (so that one-vs-one AUCs can pair them) and 0/1 per entry otherwise;</li>
 *   <li>none: nothing.</li>
 * </ul>
 *
 * <pre>{@code
 * RankColumns rank = new RankColumns(RankMode.exact(), 10, false);
 * rank.addClassRow(p, 0, y, 1.0);
 * RocCurve roc = rank.roc(3, true);
 * }</pre>
 */
final class RankColumns {
    private final RankMode mode;
    private final int columns;
    private final boolean perEntryLabels;
    private final int groups;
    private final String noun;
    final @Nullable Store store;
    /** Binned weights, {@code [column][group][bin]}; null unless the mode is binned. */
    final double @Nullable [] hist;

    /**
     * @param perEntryLabels false: one class per row (multi-class); true: a 0/1 truth per entry (multi-label, binary)
     */
    RankColumns(RankMode mode, int columns, boolean perEntryLabels) {
        this.mode = mode;
        this.columns = columns;
        this.perEntryLabels = perEntryLabels;
        this.groups = perEntryLabels ? 2 : columns;
        this.noun = perEntryLabels ? "label" : "class";
        this.store = mode.isExact() ? new Store() : null;
        this.hist = mode.isBinned() ? new double[columns * groups * mode.bins()] : null;
    }

    RankMode mode() {
        return mode;
    }

    /** Adds a multi-class row: {@code columns} scores from {@code off} and its true class. */
    void addClassRow(double[] p, int off, int y, double w) {
        if (store != null) {
            store.addScores(p, off, columns);
            store.addLabel(y);
            store.addRow(w);
        } else if (hist != null) {
            int bins = mode.bins();
            for (int c = 0; c < columns; c++) {
                hist[(c * groups + y) * bins + Ranking.bin(p[off + c], bins)] += w;
            }
        }
    }

    /** Adds a row of entries each with its own 0/1 truth: {@code columns} scores from {@code off}, labels from {@code yOff}. */
    void addEntryRow(double[] p, int off, int[] y, int yOff, double w) {
        if (store != null) {
            store.addScores(p, off, columns);
            for (int l = 0; l < columns; l++) {
                store.addLabel(y[yOff + l]);
            }
            store.addRow(w);
        } else if (hist != null) {
            int bins = mode.bins();
            for (int l = 0; l < columns; l++) {
                hist[(l * 2 + (y[yOff + l] == 1 ? 1 : 0)) * bins + Ranking.bin(p[off + l], bins)] += w;
            }
        }
    }

    /** Adds one binary row: a score and its 0/1 truth. */
    void addEntry(double p, int y, double w) {
        if (store != null) {
            store.addScore(p);
            store.addLabel(y);
            store.addRow(w);
        } else if (hist != null) {
            hist[(y == 1 ? 1 : 0) * mode.bins() + Ranking.bin(p, mode.bins())] += w;
        }
    }

    /** Adds what {@code other} (built alike) keeps. */
    void merge(RankColumns other) {
        if (store != null) {
            store.merge(other.store);
        }
        if (hist != null) {
            for (int i = 0; i < hist.length; i++) {
                hist[i] += other.hist[i];
            }
        }
    }

    /** Writes what is kept, or adds another's ({@link State}). */
    void exchange(State s) {
        if (store != null) {
            store.exchange(s);
        }
        if (hist != null) {
            s.add(hist);
        }
    }

    /** Whether ROC and precision-recall curves can be drawn (exact or binned). */
    boolean hasCurves() {
        return store != null || hist != null;
    }

    /** The binned weights of column {@code c}'s scores: {positive rows, the others}. */
    double[][] binnedColumn(int c) {
        int bins = mode.bins();
        double[][] pn = new double[2][bins];
        int positive = perEntryLabels ? 1 : c;
        for (int g = 0; g < groups; g++) {
            int base = (c * groups + g) * bins;
            double[] into = pn[g == positive ? 0 : 1];
            for (int i = 0; i < bins; i++) {
                into[i] += hist[base + i];
            }
        }
        return pn;
    }

    /** The binned weights of every column's scores, pooled (micro-averaging). */
    double[][] binnedMicro() {
        int bins = mode.bins();
        double[][] all = new double[2][bins];
        for (int c = 0; c < columns; c++) {
            double[][] pn = binnedColumn(c);
            for (int i = 0; i < bins; i++) {
                all[0][i] += pn[0][i];
                all[1][i] += pn[1][i];
            }
        }
        return all;
    }

    /** The one-vs-rest ROC curve of column {@code c} (of the bins in binned mode). */
    RocCurve roc(int c, boolean dropIntermediate) {
        int j = checkColumn(c, columns, noun);
        if (hist != null) {
            double[][] pn = binnedColumn(j);
            return BinnedCurves.roc(pn[0], pn[1], mode.bins());
        }
        Column col = column(scores(), columns, j, perEntryLabels);
        return Curves.roc(col.scores(), col.labels(), col.weights(), dropIntermediate);
    }

    /** The micro-averaged ROC curve. */
    RocCurve microRoc(boolean dropIntermediate) {
        if (hist != null) {
            double[][] pn = binnedMicro();
            return BinnedCurves.roc(pn[0], pn[1], mode.bins());
        }
        Column col = micro(scores(), columns, perEntryLabels);
        return Curves.roc(col.scores(), col.labels(), col.weights(), dropIntermediate);
    }

    /** The macro-averaged ROC curve over the columns. */
    RocCurve macroRoc() {
        List<RocCurve> curves = new ArrayList<>(columns);
        for (int j = 0; j < columns; j++) {
            curves.add(roc(j, true));
        }
        return Curves.macroRoc(curves);
    }

    /** The one-vs-rest precision-recall curve of column {@code c}. */
    PrecisionRecallCurve precisionRecall(int c, boolean dropIntermediate) {
        int j = checkColumn(c, columns, noun);
        if (hist != null) {
            double[][] pn = binnedColumn(j);
            return BinnedCurves.precisionRecall(pn[0], pn[1], mode.bins());
        }
        Column col = column(scores(), columns, j, perEntryLabels);
        return Curves.precisionRecall(col.scores(), col.labels(), col.weights(), dropIntermediate);
    }

    /** The micro-averaged precision-recall curve. */
    PrecisionRecallCurve microPrecisionRecall(boolean dropIntermediate) {
        if (hist != null) {
            double[][] pn = binnedMicro();
            return BinnedCurves.precisionRecall(pn[0], pn[1], mode.bins());
        }
        Column col = micro(scores(), columns, perEntryLabels);
        return Curves.precisionRecall(col.scores(), col.labels(), col.weights(), dropIntermediate);
    }

    /** The calibration curve of column {@code c} one-vs-rest (exact mode only). */
    CalibrationCurve calibration(int c, int bins, CalibrationCurve.Strategy strategy) {
        Column col = column(scores(), columns, checkColumn(c, columns, noun), perEntryLabels);
        return Curves.calibration(col.scores(), col.labels(), bins, strategy);
    }

    /** The calibration curve of every score against its 0/1 truth (exact mode only). */
    CalibrationCurve microCalibration(int bins, CalibrationCurve.Strategy strategy) {
        Column col = micro(scores(), columns, perEntryLabels);
        return Curves.calibration(col.scores(), col.labels(), bins, strategy);
    }

    /** The stored scores, or a refusal naming the rank mode that keeps them, or saying that nothing was added. */
    Store scores() {
        return requireScores(store, mode);
    }

    /**
     * The per-column ROC AUC and average precision of rows with a 0/1 truth per entry, and the micro-averaged pair
     * ({@link Ranking#AUC}, {@link Ranking#AP} of {@code micro}); {@code bounds}: the binned error bounds of {macro AUC,
     * macro AP, micro AUC, micro AP}. Exact columns are sorted on {@code parallelism} threads, each with its own
     * buffers, the result the same as one thread's.
     */
    void entryRanks(long rows, int parallelism, double[] auc, double[] ap, double[] micro, double[] bounds) {
        if (store != null) {
            int n = (int) rows;
            Store st = store;
            // the micro average sorts every entry, about as much work as all the labels: with 2+ threads (and no
            // weights, whose micro arrays are the heaviest) it runs on a thread of its own beside the labels
            int split = st.weights == null ? Math.min(parallelism, 2) : 1;
            int labelThreads = split == 2 ? parallelism - 1 : parallelism;
            Parallel.forRanges(split, 2, 1, (from, to) -> {       // part 0 the labels, part 1 the micro average
                for (int part = from; part < to; part++) {
                    if (part == 0) {
                        labelRanks(st, n, labelThreads, auc, ap);
                    } else {
                        entryRank(st, columns, n, -1, micro);
                    }
                }
            });
        } else if (hist != null) {
            double[] slot = new double[4];
            for (int l = 0; l < columns; l++) {
                double[][] pn = binnedColumn(l);
                Ranking.binned(pn[0], pn[1], 0, mode.bins(), slot);
                auc[l] = slot[Ranking.AUC];
                ap[l] = slot[Ranking.AP];
                bounds[0] += slot[Ranking.AUC_BOUND] / columns;
                bounds[1] += slot[Ranking.AP_BOUND] / columns;
            }
            double[][] pooled = binnedMicro();
            Ranking.binned(pooled[0], pooled[1], 0, mode.bins(), micro);
            bounds[2] = micro[Ranking.AUC_BOUND];
            bounds[3] = micro[Ranking.AP_BOUND];
        }
    }

    /** Each label's exact ROC AUC and average precision, the labels split among {@code threads} threads. */
    private void labelRanks(Store st, int n, int threads, double[] auc, double[] ap) {
        Parallel.forRanges(threads, columns, 1, (from, to) -> {
            double[] own = new double[4];
            for (int l = from; l < to; l++) {
                entryRank(st, columns, n, l, own);
                auc[l] = own[Ranking.AUC];
                ap[l] = own[Ranking.AP];
            }
        });
    }

    /**
     * The exact ROC AUC and average precision ({@link Ranking#exact}) of the stored 0/1-labelled entries of rows of
     * {@code width}: those of column {@code column}, or every entry (the micro average) for -1. Unweighted, the scores
     * go straight from the store into the positives' and the negatives' arrays that {@link Ranking} sorts.
     */
    static void entryRank(Store st, int width, int n, int column, double[] out) {
        int first = Math.max(column, 0);
        int step = column < 0 ? 1 : width;
        int end = n * width;
        int count = column < 0 ? end : n;
        if (st.weights != null) {
            double[] scores = new double[count];
            boolean[] positive = new boolean[count];
            double[] weights = new double[count];
            for (int i = first, k = 0; i < end; i += step, k++) {
                scores[k] = st.score(i);
                positive[k] = st.labels[i] == 1;
                weights[k] = st.weights[i / width];
            }
            Ranking.exact(scores, positive, weights, count, out);
            return;
        }
        int[] labels = st.labels;
        double[] both = new double[count];        // positives from the front, negatives from the back: no branch
        int a = 0;
        int b = count;
        for (int i = first; i < end; i += step) {
            int positive = labels[i] == 1 ? 1 : 0;
            both[positive != 0 ? a : b - 1] = st.score(i);
            a += positive;
            b -= 1 - positive;
        }
        double[] pos = Arrays.copyOfRange(both, 0, a);
        double[] neg = Arrays.copyOfRange(both, a, count);
        Ranking.sort(pos, both);                  // then the same array is the sorts' scratch
        Ranking.sort(neg, both);
        Ranking.exactSorted(pos, neg, out);
    }

    /** One column of stored scores as a binary problem: its scores, 0/1 labels and the rows' weights (or null). */
    record Column(double[] scores, int[] labels, double @Nullable [] weights) {
    }

    /**
     * Column {@code j} of a store of rows of {@code width} scores: positive where the row's class is {@code j}
     * ({@code perEntryLabels} false: one label per row, multi-class) or where the row's label {@code j} is 1 (true:
     * one label per entry, multi-label; also binary, with width 1 and j 0).
     */
    static Column column(Store store, int width, int j, boolean perEntryLabels) {
        int n = store.rows;
        double[] scores = new double[n];
        int[] labels = new int[n];
        for (int r = 0; r < n; r++) {
            scores[r] = store.score(r * width + j);
            labels[r] = perEntryLabels ? (store.labels[r * width + j] == 1 ? 1 : 0) : (store.labels[r] == j ? 1 : 0);
        }
        return new Column(scores, labels, store.weights == null ? null : Arrays.copyOf(store.weights, n));
    }

    /** Every stored score as one binary problem (micro-averaging), each row's weight repeated for its entries. */
    static Column micro(Store store, int width, boolean perEntryLabels) {
        int n = store.rows;
        int total = n * width;
        double[] scores = store.scores(total);
        int[] labels = new int[total];
        double[] weights = store.weights == null ? null : new double[total];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < width; j++) {
                int i = r * width + j;
                labels[i] = perEntryLabels ? (store.labels[i] == 1 ? 1 : 0) : (store.labels[r] == j ? 1 : 0);
                if (weights != null) {
                    weights[i] = store.weights[r];
                }
            }
        }
        return new Column(scores, labels, weights);
    }

    /** The stored scores, or a refusal naming the rank mode that keeps them, or saying that nothing was added. */
    static Store requireScores(@Nullable Store store, RankMode mode) {
        if (store == null) {
            throw new IllegalStateException("curves need the scores: build the accumulator with RankMode.exact() (or"
                    + " RankMode.binned(...) for ROC and precision-recall curves); this one is " + mode);
        }
        if (store.rows == 0) {
            throw new IllegalStateException("no rows added; a curve needs at least one");
        }
        return store;
    }

    /** {@code j} if it is a column of {@code count} ({@code what}: "class", "label"); else a refusal. */
    static int checkColumn(int j, int count, String what) {
        if (j < 0 || j >= count) {
            throw new IllegalArgumentException(what + " " + j + " is out of range; expected 0 to " + (count - 1));
        }
        return j;
    }
}
