package io.github.logits4j.conformal;

import io.github.logits4j.kernel.MapFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Prediction sets at a miscoverage level, from a calibration's conformal quantile ({@link ConformalCalibrator}):
 * {@link #predict} marks the classes of one row's set, without allocating. Marginal sets follow MAPIE 1.5's rule for
 * their score (LAC: {@code 1 - p <= q}; APS: the classes down to the one whose cumulative mass reaches {@code q}, with
 * {@code include_last_label}; top-k: the {@code q + 1} best classes), within MAPIE's tolerance of 1e-8; class-conditional
 * sets hold the classes whose score is within their own class's quantile (TorchCP's rule). An infinite quantile (too
 * few calibration rows) puts every class in the set, and {@link #warning()} says so. Immutable and thread-safe;
 * {@link #toMap()} and {@link #fromMap} are the file a service loads.
 *
 * <pre>{@code
 * boolean[] members = new boolean[classes];
 * int size = sets.predict(probabilities, row * classes, ConformalCalibrator.uniform(seed, row), members);
 * }</pre>
 */
public final class ConformalPredictor {
    private final int classes;
    private final ConformityScore score;
    private final double alpha;
    private final long calibrationRows;
    private final double[] quantiles;
    private final long @Nullable [] classRows;
    private final @Nullable String warning;
    private final ThreadLocal<Rows> rows;

    ConformalPredictor(int classes, ConformityScore score, double alpha, long calibrationRows, double[] quantiles,
            long @Nullable [] classRows, @Nullable String warning) {
        this.classes = classes;
        this.score = score;
        this.alpha = alpha;
        this.calibrationRows = calibrationRows;
        this.quantiles = quantiles;
        this.classRows = classRows;
        this.warning = warning;
        this.rows = ThreadLocal.withInitial(() -> new Rows(classes));
    }

    /** The number of classes. */
    public int classes() {
        return classes;
    }

    /** The conformity score. */
    public ConformityScore score() {
        return score;
    }

    /** The miscoverage level: sets hold the true class with probability at least {@code 1 - alpha}. */
    public double alpha() {
        return alpha;
    }

    /** The calibration rows the quantile came from. */
    public long calibrationRows() {
        return calibrationRows;
    }

    /** Whether the quantile is per class (class-conditional calibration). */
    public boolean classConditional() {
        return classRows != null;
    }

    /** The conformal quantile (marginal), or the largest class quantile (class-conditional). */
    public double quantile() {
        double q = quantiles[0];
        for (double v : quantiles) {
            q = Math.max(q, v);
        }
        return q;
    }

    /** The quantile of class {@code c} (the one quantile when marginal). */
    public double quantile(int c) {
        return classRows == null ? quantiles[0] : quantiles[c];
    }

    /** Why some or all sets hold every class (too few calibration rows for alpha), or null. */
    public @Nullable String warning() {
        return warning;
    }

    /**
     * Marks in {@code inSet[0..C)} the classes of the set of one row of probabilities ({@code probabilities[off ..
     * off + C)}), and returns its size. {@code u}, uniform in [0, 1), is read by randomized APS sets only (for
     * reproducible sets, {@code ConformalCalibrator.uniform(seed, row)}).
     *
     * @throws IllegalArgumentException if the row or {@code inSet} is too short, or {@code u} is not in [0, 1)
     */
    public int predict(double[] probabilities, int off, double u, boolean[] inSet) {
        if (off < 0 || off + classes > probabilities.length || inSet.length < classes) {
            throw new IllegalArgumentException("a row of " + classes + " probabilities at " + off + " of "
                    + probabilities.length + ", into " + inSet.length + " marks; expected room for " + classes);
        }
        if (!(u >= 0.0 && u < 1.0)) {
            throw new IllegalArgumentException("u is " + u + "; expected a uniform number in [0, 1)");
        }
        if (classRows == null && Double.isInfinite(quantiles[0])) {
            java.util.Arrays.fill(inSet, 0, classes, true);
            return classes;
        }
        Rows r = rows.get();
        if (classRows == null) {
            return r.fastSet(score, probabilities, off, quantiles[0], u, inSet);
        }
        if (Rows.sorts(score)) {
            r.sort(probabilities, off);
        }
        return r.thresholdSet(score, probabilities, off, quantiles, u, inSet);
    }

    /** The classes marked in {@code inSet[0..C)}, ascending, into {@code out}; returns how many. */
    public int members(boolean[] inSet, int[] out) {
        int n = 0;
        for (int c = 0; c < classes; c++) {
            if (inSet[c]) {
                out[n++] = c;
            }
        }
        return n;
    }

    /**
     * The predictor as a map: {@code alpha}, {@code score} (and its settings), {@code class_conditional},
     * {@code calibration_rows}, {@code quantile} (or {@code quantiles} and {@code class_rows}; an infinite quantile
     * as the string {@code "inf"}, JSON having no infinity) and {@code warning} when there is one.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alpha", alpha);
        m.putAll(score.toMap());
        m.put("classes", classes);
        m.put("class_conditional", classRows != null);
        m.put("calibration_rows", calibrationRows);
        if (classRows == null) {
            m.put("quantile", number(quantiles[0]));
        } else {
            List<Object> q = new ArrayList<>();
            List<Long> n = new ArrayList<>();
            for (int c = 0; c < classes; c++) {
                q.add(number(quantiles[c]));
                n.add(classRows[c]);
            }
            m.put("quantiles", Collections.unmodifiableList(q));
            m.put("class_rows", Collections.unmodifiableList(n));
        }
        if (warning != null) {
            m.put("warning", warning);
        }
        return m;
    }

    private static Object number(double v) {
        return Double.isInfinite(v) ? "inf" : v;
    }

    /**
     * A predictor from {@link #toMap()}'s form.
     *
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    public static ConformalPredictor fromMap(Map<String, ?> map) {
        MapFields f = new MapFields(map, "conformal predictor");
        double alpha = ConformalQuantile.checkAlpha(f.number("alpha"));
        ConformityScore score = ConformityScore.fromMap(map);
        int classes = (int) f.number("classes", 2, Integer.MAX_VALUE, false);
        long n = (long) f.number("calibration_rows", 1, Long.MAX_VALUE, false);
        boolean perClass = Boolean.TRUE.equals(map.get("class_conditional"));
        if (!perClass) {
            return new ConformalPredictor(classes, score, alpha, n, new double[] {quantile(map.get("quantile"),
                    "quantile")}, null, warning(map));
        }
        if (!(map.get("quantiles") instanceof List<?> q) || q.size() != classes
                || !(map.get("class_rows") instanceof List<?> counts) || counts.size() != classes) {
            throw new IllegalArgumentException("a class-conditional predictor needs 'quantiles' and 'class_rows', "
                    + classes + " of each");
        }
        double[] quantiles = new double[classes];
        long[] classRows = new long[classes];
        for (int c = 0; c < classes; c++) {
            quantiles[c] = quantile(q.get(c), "quantiles[" + c + "]");
            if (!(counts.get(c) instanceof Number count) || count.doubleValue() < 0) {
                throw new IllegalArgumentException("class_rows[" + c + "] is " + counts.get(c)
                        + "; expected a count");
            }
            classRows[c] = count.longValue();
        }
        return new ConformalPredictor(classes, score, alpha, n, quantiles, classRows, warning(map));
    }

    private static double quantile(Object v, String what) {
        if ("inf".equals(v)) {
            return Double.POSITIVE_INFINITY;
        }
        if (v instanceof Number x && !Double.isNaN(x.doubleValue())) {
            return x.doubleValue();
        }
        throw new IllegalArgumentException("'" + what + "' is " + v + "; expected a number or \"inf\"");
    }

    private static @Nullable String warning(Map<String, ?> map) {
        return map.get("warning") instanceof String w ? w : null;
    }

    @Override
    public String toString() {
        return "ConformalPredictor[" + score.id() + ", alpha=" + alpha + ", " + calibrationRows + " rows"
                + (classRows != null ? ", class-conditional" : ", quantile=" + quantiles[0]) + "]";
    }

    /** Equal settings and quantiles. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ConformalPredictor p && p.classes == classes && p.score.equals(score) && p.alpha == alpha
                && p.calibrationRows == calibrationRows && java.util.Arrays.equals(p.quantiles, quantiles)
                && java.util.Arrays.equals(p.classRows, classRows) && Objects.equals(p.warning, warning);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classes, score, alpha, calibrationRows, java.util.Arrays.hashCode(quantiles));
    }
}
