package io.github.logits4j.metrics;

import io.github.logits4j.DenseScores;
import io.github.logits4j.kernel.State;
import java.util.Objects;

/**
 * The streaming, mergeable metrics of dense decisions (a class at every pixel or token): one confusion matrix over
 * every labelled position of every sample, from which {@link DenseReport} takes accuracy, IoU, Dice and per-class
 * precision, recall and F1, dataset-level, as scikit-learn computes them on the flattened labelled positions.
 * Positions whose label is the ignore index (default -100, as PyTorch; 255 for VOC masks) are not counted.
 *
 * <pre>{@code
 * DenseMetrics m = DenseMetrics.builder(21).ignoreIndex(255).build();
 * m.update(logits, labels);                // [N, 21, H, W] scores, N*H*W labels: argmax and count in one pass
 * DenseReport r = m.result();              // r.meanIou(), r.perClassIou(), r.accuracy(), ...
 * }</pre>
 *
 * <p>{@link #update(DenseScores, int[])} takes the argmax along the class axis (the first maximum on ties, as
 * {@code torch.argmax}) and counts it in the same pass, with no softmax: any head keeps the order of the scores.
 * Counts are exact ({@code long}); 8 bytes per class pair. Not thread-safe: one per thread, then {@link #merge}.
 */
public final class DenseMetrics {
    private static final io.github.logits4j.kernel.Kernels KERNELS = io.github.logits4j.kernel.Kernels.get();
    /** Positions read at a time by the class-first pass. */
    private static final int TILE = 1024;

    private final int classes;
    private final int ignoreIndex;
    private final boolean includeBackground;
    /** {@code confusion[t * C + p]}: positions of true class t decided as p. */
    private final long[] confusion;
    private long ignored;
    private final float[] best = new float[TILE];
    private final float[] bestClass = new float[TILE];
    private float[] rows = new float[0];
    /**
     * Up to 63 classes: four interleaved {@code (C + 1) x C} int histograms (the last row the ignored positions) that
     * a sample is counted into, so that runs of one (label, decision) pair do not wait on their own increments.
     */
    private final int[] quarters;
    private static final int QUARTER_CLASSES = 63;

    private DenseMetrics(Builder b) {
        this.classes = b.classes;
        this.ignoreIndex = b.ignoreIndex;
        this.includeBackground = b.includeBackground;
        this.confusion = new long[classes * classes];
        this.quarters = classes <= QUARTER_CLASSES ? new int[4 * (classes + 1) * classes] : null;
    }

    /**
     * A builder for {@code classes} classes (at least 2, at most 46,340: a confusion matrix in one array).
     *
     * @throws IllegalArgumentException for another count
     */
    public static Builder builder(int classes) {
        return new Builder(classes);
    }

    /** The number of classes. */
    public int classes() {
        return classes;
    }

    /**
     * Counts the argmax of every position of {@code scores} (logits, probabilities or log-probabilities: the order is
     * the same) against its label.
     *
     * @param labels row-major {@code [N, d1..dk]}: one class index (or the ignore index) per position
     * @throws IllegalArgumentException naming the sample and position of a label out of range or of a NaN score, or
     *     if the labels do not match the positions or the scores' classes this accumulator's; nothing is counted then
     */
    public void update(DenseScores scores, int[] labels) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(labels, "labels");
        if (scores.classes() != classes) {
            throw new IllegalArgumentException(scores + " has " + scores.classes() + " classes; these metrics count "
                    + classes);
        }
        if (labels.length != scores.rows()) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries; expected " + scores.rows()
                    + ", one per position of " + scores);
        }
        long[] counts = new long[confusion.length];       // counted apart, added only when every score is a number
        long skipped = 0;
        for (int n = 0; n < scores.samples(); n++) {
            skipped += countSample(scores, n, labels, counts);
        }
        add(counts, skipped);
    }

    /**
     * Counts sample {@code n}'s decisions against its labels ({@code labels[n * P ..]}) into {@code counts} (a
     * {@code C x C} confusion matrix); returns the ignored positions. The per-image metrics count each image with it.
     *
     * @throws IllegalArgumentException naming the sample and position of a label out of range or of a NaN score
     */
    long countSample(DenseScores scores, int n, int[] labels, long[] counts) {
        int p = scores.positions();
        return scores.classAxis() == DenseScores.ClassAxis.FIRST && scores.hasArray()
                ? classFirst(scores, n, labels, n * p, counts) : byRows(scores, n, labels, n * p, counts);
    }

    /**
     * Counts the decided classes of positions {@code [from, from + count)} against their labels into {@code counts};
     * returns the ignored positions. Messages number positions within blocks of {@code positions} (an image).
     *
     * @throws IllegalArgumentException naming the position of a label or decision out of range
     */
    long countDecided(int[] predicted, int[] labels, int from, int count, int positions, long[] counts) {
        long skipped = 0;
        for (int i = from; i < from + count; i++) {
            int t = labels[i];
            if (t == ignoreIndex) {
                skipped++;
                continue;
            }
            int d = predicted[i];
            if (d < 0 || d >= classes) {
                throw new IllegalArgumentException("prediction at position " + i + " is " + d
                        + "; expected a class index in [0, " + (classes - 1) + "]");
            }
            counts[checked(t, i, positions) * classes + d]++;
        }
        return skipped;
    }

    private void add(long[] counts, long skipped) {
        for (int i = 0; i < counts.length; i++) {
            confusion[i] += counts[i];
        }
        ignored += skipped;
    }

    /**
     * Counts decided classes (a predicted mask's, say) against labels, position by position.
     *
     * @throws IllegalArgumentException naming the index of a label or prediction out of range, or if the lengths
     *     differ; nothing is counted then
     */
    public void update(int[] predicted, int[] labels) {
        Objects.requireNonNull(predicted, "predicted");
        Objects.requireNonNull(labels, "labels");
        if (predicted.length != labels.length) {
            throw new IllegalArgumentException("predicted has " + predicted.length + " entries and labels "
                    + labels.length + "; expected one of each per position");
        }
        long[] counts = new long[confusion.length];
        long skipped = countDecided(predicted, labels, 0, predicted.length, predicted.length, counts);
        add(counts, skipped);
    }

    /** The label, checked to be a class (the ignore index handled before). */
    private int checked(int label, int index, int positions) {
        if (label < 0 || label >= classes) {
            throw new IllegalArgumentException("label at sample " + index / positions + ", position "
                    + index % positions + " is " + label + "; expected a class index in [0, " + (classes - 1)
                    + "] or the ignore index " + ignoreIndex);
        }
        return label;
    }

    /**
     * The class-first pass over sample {@code n} read in place: a tile of positions at a time, the argmax of each
     * position over the classes ({@code Kernels.argmaxTile}: a vector of positions through every class in registers,
     * branch-free), then the tile counted. Returns the ignored positions.
     */
    private long classFirst(DenseScores scores, int n, int[] labels, int labelBase, long[] counts) {
        try {
            return classFirstCounted(scores, n, labels, labelBase, counts);
        } catch (RuntimeException e) {
            if (quarters != null) {
                java.util.Arrays.fill(quarters, 0);        // nothing of a refused sample stays behind
            }
            throw e;
        }
    }

    private long classFirstCounted(DenseScores scores, int n, int[] labels, int labelBase, long[] counts) {
        float[] a = scores.sampleMatrix().array();
        int base = scores.sampleMatrix().rowOffset(n);
        int p = scores.positions();
        long skipped = 0;
        for (int from = 0; from < p; from += TILE) {
            int count = Math.min(TILE, p - from);
            // a NaN takes the maximum, and keeps it: the maxima hold a NaN (or an infinity) then, looked at closer
            if (!KERNELS.argmaxTile(a, base + from, p, classes, best, bestClass, count)) {
                checkNumbers(scores, n, from, count);
            }
            if (quarters != null) {
                countQuarters(labels, labelBase + from, count, p);
                continue;
            }
            for (int t = 0; t < count; t++) {
                int label = labels[labelBase + from + t];
                if (label == ignoreIndex) {
                    skipped++;
                } else {
                    counts[checked(label, labelBase + from + t, p) * classes + (int) bestClass[t]]++;
                }
            }
        }
        return quarters != null ? foldQuarters(counts) : skipped;
    }

    /** Counts a tile's decisions into the four histograms, position {@code t} into histogram {@code t % 4}. */
    private void countQuarters(int[] labels, int from, int count, int positions) {
        int size = (classes + 1) * classes;
        for (int t = 0; t < count; t++) {
            int label = labels[from + t];
            boolean ignore = label == ignoreIndex;
            if (!ignore && (label < 0 || label >= classes)) {
                checked(label, from + t, positions);
            }
            int row = ignore ? classes : label;
            quarters[(t & 3) * size + row * classes + (int) bestClass[t]]++;
        }
    }

    /** Adds the four histograms into {@code counts}, empties them and returns the ignored positions they held. */
    private long foldQuarters(long[] counts) {
        int size = (classes + 1) * classes;
        int square = classes * classes;
        long skipped = 0;
        for (int q = 0; q < 4; q++) {
            int at = q * size;
            for (int i = 0; i < square; i++) {
                counts[i] += quarters[at + i];
            }
            for (int i = square; i < size; i++) {
                skipped += quarters[at + i];
            }
        }
        java.util.Arrays.fill(quarters, 0);
        return skipped;
    }

    /** Throws for a NaN score among positions {@code [from, from + count)} of sample {@code n}. */
    private void checkNumbers(DenseScores scores, int n, int from, int count) {
        for (int t = from; t < from + count; t++) {
            for (int c = 0; c < classes; c++) {
                if (Float.isNaN(scores.get(n, c, t))) {
                    throw nanAt(n, t, c);
                }
            }
        }
    }

    private static IllegalArgumentException nanAt(int n, int position, int c) {
        return new IllegalArgumentException("score at sample " + n + ", position " + position + ", class " + c
                + " is NaN; expected a number (argmax cannot rank NaN)");
    }

    /** Rows of class scores (class last, or gathered a tile at a time). Returns the ignored positions. */
    private long byRows(DenseScores scores, int n, int[] labels, int labelBase, long[] counts) {
        int p = scores.positions();
        int tile = DenseScores.tilePositions(classes);
        if (rows.length < tile * classes) {
            rows = new float[tile * classes];
        }
        long skipped = 0;
        for (int from = 0; from < p; from += tile) {
            int count = Math.min(tile, p - from);
            scores.gather(n, from, count, rows);
            for (int t = 0; t < count; t++) {
                int off = t * classes;
                int bestC = 0;
                float bestV = rows[off];
                for (int c = 0; c < classes; c++) {
                    float v = rows[off + c];
                    if (Float.isNaN(v)) {
                        throw nanAt(n, from + t, c);
                    }
                    if (v > bestV) {
                        bestV = v;
                        bestC = c;
                    }
                }
                int label = labels[labelBase + from + t];
                if (label == ignoreIndex) {
                    skipped++;
                } else {
                    counts[checked(label, labelBase + from + t, p) * classes + bestC]++;
                }
            }
        }
        return skipped;
    }

    /**
     * Adds the counts {@code other} holds.
     *
     * @throws IllegalArgumentException if the two were built with different settings
     */
    public void merge(DenseMetrics other) {
        if (!settings().equals(other.settings())) {
            throw new IllegalArgumentException("cannot merge dense metrics built with different settings: "
                    + settings() + " vs " + other.settings());
        }
        for (int i = 0; i < confusion.length; i++) {
            confusion[i] += other.confusion[i];
        }
        ignored += other.ignored;
    }

    /** The counts in a compact binary form, for {@link #mergeBytes} in another JVM (a Spark partition's). */
    public byte[] toBytes() {
        return State.write("dense metrics", settings(), this::exchange);
    }

    /**
     * Adds what {@link #toBytes} wrote, from metrics built with the same settings.
     *
     * @throws IllegalArgumentException if the bytes are not such a state, or come from other settings
     */
    public void mergeBytes(byte[] state) {
        State.merge(state, "dense metrics", settings(), this::exchange);
    }

    private void exchange(State s) {
        for (int i = 0; i < confusion.length; i++) {
            confusion[i] = s.add(confusion[i]);
        }
        ignored = s.add(ignored);
    }

    private String settings() {
        return "classes=" + classes + ", ignoreIndex=" + ignoreIndex + ", includeBackground=" + includeBackground;
    }

    /** The metrics of the positions counted so far. */
    public DenseReport result() {
        return new DenseReport(classes, confusion.clone(), ignored, includeBackground);
    }

    /**
     * Configures {@link DenseMetrics}; setters validate at once.
     *
     * <pre>{@code
     * DenseMetrics m = DenseMetrics.builder(21).ignoreIndex(255).includeBackground(false).build();
     * }</pre>
     */
    public static final class Builder {
        private final int classes;
        private int ignoreIndex = -100;
        private boolean includeBackground = true;

        private Builder(int classes) {
            if (classes < 2 || classes > 46_340) {
                throw new IllegalArgumentException("dense metrics need 2 to 46,340 classes; found " + classes);
            }
            this.classes = classes;
        }

        /**
         * The label of positions not to count (default -100, as PyTorch's losses; 255 for VOC-style masks).
         *
         * @throws IllegalArgumentException if it is a class index in {@code [0, classes)}
         */
        public Builder ignoreIndex(int index) {
            if (index >= 0 && index < classes) {
                throw new IllegalArgumentException("ignore index " + index + " is a class of the " + classes
                        + "; expected a value outside [0, " + (classes - 1) + "]");
            }
            this.ignoreIndex = index;
            return this;
        }

        /**
         * Whether class 0 (the background of a segmentation) counts in the means over classes (default true; its
         * own IoU and Dice are reported either way).
         */
        public Builder includeBackground(boolean include) {
            this.includeBackground = include;
            return this;
        }

        /** An empty accumulator. */
        public DenseMetrics build() {
            return new DenseMetrics(this);
        }
    }
}
