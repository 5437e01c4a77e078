package io.github.logits4j.conformal;

import io.github.logits4j.kernel.Checks;
import java.util.Arrays;
import java.util.Objects;

/**
 * Chooses RAPS's {@code k_reg} and {@code lambda} on a tuning split (rows kept apart from the calibration rows), as
 * MAPIE 1.5's {@code RAPSConformityScore} does after Angelopoulos et al. (2021): {@code k_reg} is one more than the
 * conformal quantile ({@link ConformalQuantile}) of the true classes' 0-based ranks, and {@code lambda} the value of
 * {@link #LAMBDAS} whose sets on the tuning rows (non-randomized scores, the conformal quantile of the regularized
 * scores at the same alpha) are smallest on average; a later value must beat an earlier by more than 1e-8. Immutable.
 *
 * <pre>{@code
 * int[] tuning = RapsTuning.tuningRows(rows, 0.2, seed);      // 20 % of the split, chosen by the seed
 * RapsTuning t = RapsTuning.tune(probabilities, rows, labels, tuning, 0.1, true, IncludeLastLabel.TRUE);
 * ConformalCalibrator cal = ConformalCalibrator.builder(classes).score(t.score()).build();
 * }</pre>
 *
 * <p>One difference from MAPIE, on purpose: MAPIE 1.5 regularizes the tuning rows' sets with {@code k_reg} replaced by
 * {@code lambda} ({@code _add_regularization} assigns {@code k_star = lambda_} outside the prediction phase), so the
 * lambda it picks can differ from the paper's; here the tuning sets use the {@code k_reg} just chosen. MAPIE's
 * {@code k_reg} also takes its own quantile index (see {@link ConformalQuantile}).
 */
public final class RapsTuning {
    /** The penalties tried, MAPIE's (from the paper): 0.001, 0.01, 0.1, 0.2, 0.5. */
    public static final double[] LAMBDAS = {0.001, 0.01, 0.1, 0.2, 0.5};

    private final ConformityScore.Raps score;
    private final int tuningRows;
    private final double[] meanSizes;

    private RapsTuning(ConformityScore.Raps score, int tuningRows, double[] meanSizes) {
        this.score = score;
        this.tuningRows = tuningRows;
        this.meanSizes = meanSizes;
    }

    /** The tuned score: its {@code lambda} and {@code k_reg}, with the randomization and rule asked for. */
    public ConformityScore.Raps score() {
        return score;
    }

    /** The number of tuning rows. */
    public int tuningRows() {
        return tuningRows;
    }

    /** The mean set size on the tuning rows for each of {@link #LAMBDAS}, in that order (a copy). */
    public double[] meanSizes() {
        return meanSizes.clone();
    }

    /**
     * {@code ceil(fraction * rows)} distinct row indices in ascending order, drawn by the seed (a partial
     * Fisher-Yates shuffle driven by {@link ConformalCalibrator#uniform}): the same on every machine.
     *
     * @throws IllegalArgumentException unless {@code 0 < fraction < 1} and the draw leaves rows on both sides
     */
    public static int[] tuningRows(int rows, double fraction, long seed) {
        if (!(fraction > 0.0 && fraction < 1.0)) {
            throw new IllegalArgumentException("the RAPS tuning fraction is " + fraction + "; expected a number in"
                    + " (0, 1)");
        }
        int m = (int) Math.ceil(fraction * rows);
        if (m < 1 || m >= rows) {
            throw new IllegalArgumentException("a RAPS tuning fraction of " + fraction + " of " + rows + " rows"
                    + " leaves " + m + " tuning and " + (rows - m) + " calibration rows; both need at least one");
        }
        int[] index = new int[rows];
        for (int i = 0; i < rows; i++) {
            index[i] = i;
        }
        long stream = seed ^ 0x5241505354554E45L;     // "RAPSTUNE": apart from the randomized scores' draws
        for (int i = 0; i < m; i++) {
            int j = i + (int) (ConformalCalibrator.uniform(stream, i) * (rows - i));
            int t = index[i];
            index[i] = index[j];
            index[j] = t;
        }
        int[] chosen = Arrays.copyOf(index, m);
        Arrays.sort(chosen);
        return chosen;
    }

    /**
     * Tunes on the rows {@code tuning} (indices into {@code rows} rows of row-major probabilities, as
     * {@link #tuningRows} gives) at miscoverage {@code alpha}.
     *
     * @throws IllegalArgumentException naming the row and column of a value that is not a probability, a class out
     *     of range, or an index out of range
     */
    public static RapsTuning tune(double[] probabilities, int rows, int[] labels, int[] tuning, double alpha,
            boolean randomized, ConformityScore.IncludeLastLabel includeLastLabel) {
        Objects.requireNonNull(probabilities, "probabilities");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(tuning, "tuning");
        Objects.requireNonNull(includeLastLabel, "includeLastLabel");
        ConformalQuantile.checkAlpha(alpha);
        Checks.requireRows(labels.length, rows, "labels");
        if (rows < 1 || probabilities.length % rows != 0 || probabilities.length / rows < 2) {
            throw new IllegalArgumentException(probabilities.length + " probabilities are not rows of at least 2"
                    + " classes for " + rows + " rows");
        }
        int classes = probabilities.length / rows;
        int n = tuning.length;
        if (n == 0) {
            throw new IllegalArgumentException("RAPS tuning needs at least one tuning row");
        }
        Rows r = new Rows(classes);
        ConformityScore mass = ConformityScore.aps(false, ConformityScore.IncludeLastLabel.TRUE);
        ConformityScore rank = ConformityScore.topK();
        double[] ranks = new double[n];
        double[] cums = new double[n];           // the true class's cumulative mass, non-randomized
        for (int i = 0; i < n; i++) {
            int row = tuning[i];
            if (row < 0 || row >= rows) {
                throw new IllegalArgumentException("tuning row " + row + " is outside the " + rows + " rows");
            }
            Checks.classLabel(labels[row], row, classes);
            cums[i] = r.trueScore(mass, probabilities, row * classes, labels[row], 0.0, row);
            ranks[i] = r.trueScore(rank, probabilities, row * classes, labels[row], 0.0, row);
        }
        double rankQuantile = ConformalQuantile.of(ranks, n, alpha);
        int kReg = (int) Math.min(classes, Double.isInfinite(rankQuantile) ? classes : rankQuantile + 1);
        double[] sizes = new double[LAMBDAS.length];
        double[] regularized = new double[n];
        boolean[] inSet = new boolean[classes];
        double bestLambda = 0.0;
        double bestSize = Double.MAX_VALUE;
        for (int l = 0; l < LAMBDAS.length; l++) {
            ConformityScore.Raps candidate = ConformityScore.raps(LAMBDAS[l], kReg, false,
                    includeLastLabel == ConformityScore.IncludeLastLabel.FALSE ? ConformityScore.IncludeLastLabel.FALSE
                            : ConformityScore.IncludeLastLabel.TRUE);
            for (int i = 0; i < n; i++) {
                regularized[i] = cums[i] + Math.max(LAMBDAS[l] * (ranks[i] + 1 - kReg), 0.0);
            }
            double q = ConformalQuantile.of(regularized, n, alpha);
            long total = 0;
            for (int i = 0; i < n; i++) {
                int off = tuning[i] * classes;
                if (Double.isInfinite(q)) {
                    total += classes;
                } else {
                    r.sort(probabilities, off);
                    total += r.mapieSet(candidate, probabilities, off, q, 0.0, inSet);
                }
            }
            sizes[l] = (double) total / n;
            if (sizes[l] < bestSize - Rows.EPSILON) {
                bestSize = sizes[l];
                bestLambda = LAMBDAS[l];
            }
        }
        return new RapsTuning(ConformityScore.raps(bestLambda, kReg, randomized, includeLastLabel), n, sizes);
    }

    @Override
    public String toString() {
        return "RapsTuning[lambda=" + score.lambda() + ", k_reg=" + score.kReg() + ", " + tuningRows + " rows, mean"
                + " sizes " + Arrays.toString(meanSizes) + "]";
    }
}
