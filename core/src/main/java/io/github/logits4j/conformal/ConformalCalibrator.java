package io.github.logits4j.conformal;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.kernel.Checks;
import io.github.logits4j.kernel.State;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The calibration split of split conformal prediction, streamed and mergeable: each row's probabilities and true
 * class give its conformity score ({@link ConformityScore}), which is kept (8 bytes, and 4 for its class: 12 bytes a
 * row, exact whatever the split's size); {@link #predictor(double)} takes the conformal quantile of the scores kept,
 * over all rows or per class (class-conditional, "Mondrian" calibration).
 *
 * <pre>{@code
 * ConformalCalibrator cal = ConformalCalibrator.builder(10).score(ConformityScore.aps()).seed(7).build();
 * cal.update(probabilities, rows, labels, null);             // [rows x 10] softmax rows, class indices
 * ConformalPredictor sets = cal.predictor(0.1);              // 90 % coverage
 * }</pre>
 *
 * <p>Randomized APS subtracts {@code u * p_y} from each score, with {@code u} uniform in [0, 1): given per row, or
 * drawn as {@link #uniform}{@code (seed, row)} for the rows in the order they are added (for parts of a split
 * calibrated apart, pass each row's own {@code uniform(seed, globalRow)} so the result does not depend on the
 * partitioning). Not thread-safe: one per thread, then {@link #merge}.
 */
public final class ConformalCalibrator {
    private final int classes;
    private final ConformityScore score;
    private final boolean classConditional;
    private final long seed;
    private final Rows rowScratch;
    private double[] scores = new double[64];
    private int[] labels = new int[64];
    /** Each row's weight, once a weighted row was added (the rows before weigh 1); null while unweighted. */
    private double @Nullable [] weights;
    private int rows;
    /** One batch's scores, until every row of it is known valid. */
    private double[] pending = new double[0];

    private ConformalCalibrator(Builder b) {
        this.classes = b.classes;
        this.score = b.score;
        this.classConditional = b.classConditional;
        this.seed = b.seed;
        this.rowScratch = new Rows(classes);
    }

    /**
     * A builder for {@code classes} classes (at least 2).
     *
     * @throws IllegalArgumentException if {@code classes < 2}
     */
    public static Builder builder(int classes) {
        return new Builder(classes);
    }

    /**
     * A uniform number in [0, 1) for row {@code row} under {@code seed}: the same for the same pair on every machine
     * and thread (SplitMix64), so randomized scores do not depend on how rows are split or ordered.
     */
    public static double uniform(long seed, long row) {
        long z = seed + (row + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }

    /** The number of calibration rows added. */
    public long rows() {
        return rows;
    }

    /** The score function. */
    public ConformityScore score() {
        return score;
    }

    /**
     * Adds {@code rows} rows of row-major probabilities with their true classes; {@code uniforms} (one per row, in
     * [0, 1)) for randomized APS, or null to draw them from the seed.
     *
     * @throws IllegalArgumentException naming the row (and column) of the first invalid value; nothing is added then
     */
    public void update(double[] probabilities, int rows, int[] labels, double @Nullable [] uniforms) {
        update(probabilities, rows, labels, uniforms, null);
    }

    /**
     * As {@link #update(double[], int, int[], double[])}, each row with a weight ({@code null}: 1 each) for weighted
     * conformal prediction ({@link ConformalQuantile#weighted}): e.g. decaying weights on older rows under drift
     * (Barber et al. 2023), or likelihood ratios under covariate shift (Tibshirani et al. 2019). Weights cost 8
     * bytes a row more, from the first weighted row on.
     *
     * @throws IllegalArgumentException naming the row of the first invalid value or weight; nothing is added then
     */
    public void update(double[] probabilities, int rows, int[] labels, double @Nullable [] uniforms,
            double @Nullable [] rowWeights) {
        Objects.requireNonNull(probabilities, "probabilities");
        if (rowWeights != null) {
            Checks.requireRows(rowWeights.length, rows, "weights");
            for (int r = 0; r < rows; r++) {
                if (!(rowWeights[r] >= 0.0 && rowWeights[r] < Double.POSITIVE_INFINITY)) {
                    throw new IllegalArgumentException("weight at row " + r + " is " + rowWeights[r]
                            + "; expected a finite number >= 0");
                }
            }
        }
        Objects.requireNonNull(labels, "labels");
        Checks.requireLength(probabilities, rows, classes, "probabilities");
        Checks.requireRows(labels.length, rows, "labels");
        if (uniforms != null) {
            Checks.requireRows(uniforms.length, rows, "uniforms");
        }
        // each row checked and scored in one pass over its probabilities; kept only when every row is valid
        if (pending.length < rows) {
            pending = new double[rows];
        }
        for (int r = 0; r < rows; r++) {
            Checks.classLabel(labels[r], r, classes);
            if (uniforms != null && !(uniforms[r] >= 0.0 && uniforms[r] < 1.0)) {
                throw new IllegalArgumentException("uniform at row " + r + " is " + uniforms[r]
                        + "; expected a number in [0, 1)");
            }
            double u = uniforms != null ? uniforms[r] : uniform(seed, this.rows + r);
            pending[r] = rowScratch.trueScore(score, probabilities, r * classes, labels[r], u, r);
        }
        grow(this.rows + rows);
        System.arraycopy(pending, 0, scores, this.rows, rows);
        System.arraycopy(labels, 0, this.labels, this.rows, rows);
        if (rowWeights != null || weights != null) {
            double[] w = weighted();
            for (int r = 0; r < rows; r++) {
                w[this.rows + r] = rowWeights == null ? 1.0 : rowWeights[r];
            }
        }
        this.rows += rows;
    }

    /** The weights, made (1 for every row so far) on first use, as long as the scores. */
    private double[] weighted() {
        double[] w = weights;
        if (w == null) {
            w = new double[scores.length];
            Arrays.fill(w, 0, rows, 1.0);
            weights = w;
        }
        return w;
    }

    /** Whether some row was added with a weight. */
    public boolean isWeighted() {
        return weights != null;
    }

    /** Adds a batch of {@code [N x C]} probabilities (a model's head output) with their true classes. */
    public void update(FloatMatrix probabilities, int[] labels) {
        Checks.requireCols(probabilities.cols(), classes, "probabilities");
        int n = probabilities.rows();
        double[] p = new double[n * classes];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < classes; c++) {
                p[r * classes + c] = probabilities.get(r, c);
            }
        }
        update(p, n, labels, null);
    }

    private void grow(int needed) {
        if (needed > scores.length) {
            int capacity = (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(needed, 2L * scores.length));
            if (needed > capacity) {
                throw new IllegalStateException("a calibration split holds at most " + capacity + " rows");
            }
            scores = Arrays.copyOf(scores, capacity);
            labels = Arrays.copyOf(labels, capacity);
            if (weights != null) {
                weights = Arrays.copyOf(weights, capacity);
            }
        }
    }

    /**
     * Adds the rows {@code other} holds.
     *
     * @throws IllegalArgumentException if the two were built with different settings
     */
    public void merge(ConformalCalibrator other) {
        if (!settings().equals(other.settings())) {
            throw new IllegalArgumentException("cannot merge calibrations built with different settings: "
                    + settings() + " vs " + other.settings());
        }
        grow(rows + other.rows);
        System.arraycopy(other.scores, 0, scores, rows, other.rows);
        System.arraycopy(other.labels, 0, labels, rows, other.rows);
        if (other.weights != null || weights != null) {
            double[] w = weighted();
            if (other.weights != null) {
                System.arraycopy(other.weights, 0, w, rows, other.rows);
            } else {
                Arrays.fill(w, rows, rows + other.rows, 1.0);
            }
        }
        rows += other.rows;
    }

    /** What this calibration holds in a compact binary form, for {@link #mergeBytes} in another JVM. */
    public byte[] toBytes() {
        return State.write("conformal calibration", settings(), s -> {
            int n = s.count(rows);
            s.doubles(scores, 0, n);
            s.ints(labels, 0, n);
            double[] w = weights;
            if (s.count(w == null ? 0 : rows) > 0 && w != null) {
                s.doubles(w, 0, n);
            }
        });
    }

    /**
     * Adds what {@link #toBytes} wrote, from a calibrator built with the same settings.
     *
     * @throws IllegalArgumentException if the bytes are not such a state, or come from other settings
     */
    public void mergeBytes(byte[] state) {
        State.merge(state, "conformal calibration", settings(), s -> {
            int n = s.count(0);
            grow(rows + n);
            s.doubles(scores, rows, n);
            s.ints(labels, rows, n);
            int weighted = s.count(0);
            if (weighted > 0 || weights != null) {
                double[] w = weighted();
                if (weighted > 0) {
                    if (weighted != n) {
                        throw new IllegalArgumentException("a conformal calibration state with " + n + " rows and "
                                + weighted + " weights");
                    }
                    s.doubles(w, rows, n);
                } else {
                    Arrays.fill(w, rows, rows + n, 1.0);
                }
            }
            rows += n;
        });
    }

    private String settings() {
        return "classes=" + classes + ", score=" + score.toMap() + ", classConditional=" + classConditional
                + ", seed=" + seed;
    }

    /**
     * The predictor at miscoverage {@code alpha}: the conformal quantile of the scores ({@link ConformalQuantile}),
     * over all rows, or per class when class-conditional. When a quantile's rank exceeds its rows, every class
     * passes it (full sets) and the predictor carries a warning that names the rows and alpha.
     *
     * @throws IllegalArgumentException unless {@code 0 < alpha < 1}
     * @throws IllegalStateException if no row was added
     */
    public ConformalPredictor predictor(double alpha) {
        return predictor(alpha, 1.0);
    }

    /**
     * The predictor at miscoverage {@code alpha} for a new row of weight {@code testWeight}: with weighted rows, the
     * weighted conformal quantile ({@link ConformalQuantile#weighted}); without, the test weight is ignored and this is
     * {@link #predictor(double)}. Under covariate shift each new row has its own weight (its likelihood ratio) and so
     * its own quantile: call this per row, or per group of rows of one weight.
     *
     * @throws IllegalArgumentException unless {@code 0 < alpha < 1} and {@code testWeight} is positive and finite
     * @throws IllegalStateException if no row was added
     */
    public ConformalPredictor predictor(double alpha, double testWeight) {
        ConformalQuantile.checkAlpha(alpha);
        if (!(testWeight > 0.0 && testWeight < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("the test weight is " + testWeight + "; expected a finite number > 0");
        }
        if (rows == 0) {
            throw new IllegalStateException("no calibration rows added; a conformal quantile needs at least one");
        }
        double[] w = weights;
        if (!classConditional) {
            double q = w == null ? ConformalQuantile.of(scores, rows, alpha)
                    : ConformalQuantile.weighted(scores, w, rows, testWeight, alpha);
            String warning = !Double.isInfinite(q) ? null : w == null ? fullSetWarning(rows, alpha, "")
                    : "the " + rows + " weighted calibration rows weigh too little against the test weight "
                    + testWeight + " for alpha " + alpha + ": every set holds every class";
            return new ConformalPredictor(classes, score, alpha, rows, new double[] {q}, null, warning);
        }
        long[] counts = new long[classes];
        for (int i = 0; i < rows; i++) {
            counts[labels[i]]++;
        }
        double[][] byClass = new double[classes][];
        for (int c = 0; c < classes; c++) {
            byClass[c] = new double[(int) counts[c]];
        }
        double[][] weightByClass = new double[w == null ? 0 : classes][];
        for (int c = 0; c < weightByClass.length; c++) {
            weightByClass[c] = new double[(int) counts[c]];
        }
        int[] fill = new int[classes];
        for (int i = 0; i < rows; i++) {
            int c = labels[i];
            if (w != null) {
                weightByClass[c][fill[c]] = w[i];
            }
            byClass[c][fill[c]++] = scores[i];
        }
        double[] q = new double[classes];
        StringBuilder warnings = new StringBuilder();
        for (int c = 0; c < classes; c++) {
            q[c] = counts[c] == 0 ? Double.POSITIVE_INFINITY : w == null
                    ? ConformalQuantile.of(byClass[c], byClass[c].length, alpha)
                    : ConformalQuantile.weighted(byClass[c], weightByClass[c], byClass[c].length, testWeight, alpha);
            if (Double.isInfinite(q[c])) {
                warnings.append(warnings.length() == 0 ? "" : "; ").append(fullSetWarning(counts[c], alpha,
                        " of class " + c));
            }
        }
        return new ConformalPredictor(classes, score, alpha, rows, q, counts,
                warnings.length() == 0 ? null : warnings.toString());
    }

    private static String fullSetWarning(long n, double alpha, String which) {
        long k = ConformalQuantile.rank(Math.max(n, 1), alpha);
        return n + " calibration row" + (n == 1 ? "" : "s") + which + " are too few for alpha " + alpha
                + ": the conformal quantile is the " + k + "th smallest score (ceil((n + 1)(1 - alpha))), so every"
                + " set holds every class; calibrate with at least " + minimumRows(alpha) + " rows"
                + (which.isEmpty() ? "" : " per class") + ", or a larger alpha";
    }

    /** The fewest calibration rows whose quantile at {@code alpha} is finite: the least n with rank(n) <= n. */
    static long minimumRows(double alpha) {
        long n = 1;
        while (ConformalQuantile.rank(n, alpha) > n) {
            n++;
        }
        return n;
    }

    /**
     * Configures a {@link ConformalCalibrator}; setters validate at once.
     *
     * <pre>{@code
     * ConformalCalibrator cal = ConformalCalibrator.builder(10).score(ConformityScore.lac()).classConditional(true)
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private final int classes;
        private ConformityScore score = ConformityScore.lac();
        private boolean classConditional;
        private long seed;

        private Builder(int classes) {
            if (classes < 2) {
                throw new IllegalArgumentException("prediction sets need at least 2 classes; found " + classes);
            }
            this.classes = classes;
        }

        /** The conformity score (default {@link ConformityScore#lac()}). */
        public Builder score(ConformityScore score) {
            this.score = Objects.requireNonNull(score, "score");
            return this;
        }

        /**
         * Whether the quantile is taken per true class (class-conditional, "Mondrian" conformal prediction: each
         * class covered at {@code 1 - alpha}; sets hold the classes whose score is within their class's quantile, as
         * TorchCP's {@code ClassConditionalPredictor}); default false.
         */
        public Builder classConditional(boolean perClass) {
            this.classConditional = perClass;
            return this;
        }

        /** The seed of the uniforms of randomized APS (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Builds an empty calibrator. */
        public ConformalCalibrator build() {
            return new ConformalCalibrator(this);
        }
    }
}
