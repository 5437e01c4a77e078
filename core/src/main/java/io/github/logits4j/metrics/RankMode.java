package io.github.logits4j.metrics;

/**
 * How the accumulators compute the rank metrics (ROC AUC, average precision), which need every score rather than
 * counts.
 *
 * <ul>
 *   <li>{@link #exact()} (the default) keeps every score: 8 bytes per score (N for binary, N·C for multi-class and
 *       multi-label), plus the label (4 bytes a row; 4 bytes a label for multi-label) and, once any weight is
 *       given, 8 bytes a row; results equal scikit-learn's.</li>
 *   <li>{@link #binned(int)} keeps a histogram of B equal-width bins of [0, 1] per class (per class pair for
 *       multi-class, C·C·B doubles; 2·L·B for multi-label; 2·B for binary), whatever the number of samples. Samples in
 *       one bin count as tied. The reports give, beside each value, a bound on its distance from the exact value,
 *       computed from the histogram: for AUC half the share of (positive, negative) pairs that fall in one bin; for
 *       AP the spread of precision any order inside a bin could give. Use it for evaluations too large to keep.</li>
 *   <li>{@link #none()} skips the rank metrics (they are NaN in the report).</li>
 * </ul>
 *
 * <pre>{@code
 * BinaryMetrics huge = BinaryMetrics.builder().rankMode(RankMode.binned(10_000)).build();
 * }</pre>
 */
public final class RankMode implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private static final RankMode EXACT = new RankMode(0);
    private static final RankMode NONE = new RankMode(-1);

    private final int bins;

    private RankMode(int bins) {
        this.bins = bins;
    }

    /** Keep every score; exact results. */
    public static RankMode exact() {
        return EXACT;
    }

    /** Skip ROC AUC and average precision. */
    public static RankMode none() {
        return NONE;
    }

    /**
     * Fixed-bin histograms with {@code bins} equal-width bins of [0, 1].
     *
     * @throws IllegalArgumentException if {@code bins < 2}
     */
    public static RankMode binned(int bins) {
        if (bins < 2) {
            throw new IllegalArgumentException("rank bins must be at least 2; found " + bins);
        }
        return new RankMode(bins);
    }

    /** The bins of {@code binned} without a count in {@link #parse}. */
    public static final int DEFAULT_BINS = 10_000;

    /**
     * The mode named {@code text}: {@code exact}, {@code none}, {@code binned} ({@value #DEFAULT_BINS} bins) or
     * {@code binned:BINS} with BINS from 2 to 1,000,000, in any case; the form the command line and settings files use.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static RankMode parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
        switch (t) {
            case "exact":
                return EXACT;
            case "none":
                return NONE;
            case "binned":
                return binned(DEFAULT_BINS);
            default:
                break;
        }
        if (t.startsWith("binned:")) {
            try {
                int b = Integer.parseInt(t.substring(7));
                if (b >= 2 && b <= 1_000_000) {
                    return binned(b);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("rank metrics mode is '" + text + "'; expected exact, none, binned or"
                + " binned:BINS with BINS from 2 to 1000000");
    }

    /**
     * The bytes the rank metrics of this mode hold at the end of an evaluation of {@code rows} rows of
     * {@code classes} scores ({@code task}), with the final sort on {@code threads} threads: exact mode keeps 8 bytes a
     * score (N for binary, N x C otherwise) and the labels, and each sorting thread two buffers of 8 bytes a row (a
     * multi-class model's micro one-vs-rest AUC adds the sorted true-class scores and their buffer); binned mode its
     * histograms; none nothing. What a caller checks against the heap before a long run.
     */
    public long heldBytes(long rows, int classes, io.github.logits4j.Task task, int threads) {
        if (isNone()) {
            return 0;
        }
        if (isBinned()) {
            long c = classes;
            return 8L * bins * switch (task) {
                case MULTICLASS -> c * c;
                case MULTILABEL -> 2 * c;
                case BINARY -> 2;
            };
        }
        long scores = task == io.github.logits4j.Task.BINARY ? rows : rows * classes;
        long micro = task == io.github.logits4j.Task.MULTICLASS ? 16 * rows : 0;
        return 8 * scores + 4 * (task == io.github.logits4j.Task.MULTILABEL ? scores : rows) + 24 * rows
                + 16 * rows * (threads - 1L) + micro;
    }

    /** Whether every score is kept. */
    public boolean isExact() {
        return bins == 0;
    }

    /** Whether histograms are kept. */
    public boolean isBinned() {
        return bins > 0;
    }

    /** Whether rank metrics are skipped. */
    public boolean isNone() {
        return bins < 0;
    }

    /** The number of bins (binned mode), else 0. */
    public int bins() {
        return Math.max(bins, 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RankMode r && r.bins == bins;
    }

    @Override
    public int hashCode() {
        return bins;
    }

    @Override
    public String toString() {
        return isExact() ? "exact" : isNone() ? "none" : "binned(" + bins + ")";
    }
}
