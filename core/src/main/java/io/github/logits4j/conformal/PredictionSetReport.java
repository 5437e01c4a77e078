package io.github.logits4j.conformal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of prediction sets ({@link PredictionSetMetrics}), each as MAPIE 1.5 or TorchCP 1.2.1 computes it.
 * Immutable.
 *
 * <pre>{@code
 * PredictionSetReport r = metrics.result();
 * double coverage = r.coverage();            // MAPIE classification_coverage_score, TorchCP coverage_rate
 * double size = r.meanSize();                // MAPIE classification_mean_width_score, TorchCP average_size
 * }</pre>
 */
public final class PredictionSetReport {
    private final int classes;
    private final double alpha;
    private final long[] sizes;
    private final long[] coveredBySize;
    private final long[] classRows;
    private final long[] classCovered;
    private final long rows;

    PredictionSetReport(int classes, double alpha, long[] sizes, long[] coveredBySize, long[] classRows,
            long[] classCovered) {
        this.classes = classes;
        this.alpha = alpha;
        this.sizes = sizes;
        this.coveredBySize = coveredBySize;
        this.classRows = classRows;
        this.classCovered = classCovered;
        long n = 0;
        for (long s : sizes) {
            n += s;
        }
        this.rows = n;
    }

    /** The rows counted. */
    public long rows() {
        return rows;
    }

    /** The miscoverage level the sets were made at. */
    public double alpha() {
        return alpha;
    }

    /** The share of sets that hold their true class. */
    public double coverage() {
        long covered = 0;
        for (long c : coveredBySize) {
            covered += c;
        }
        return (double) covered / rows;
    }

    /** The mean number of classes in a set. */
    public double meanSize() {
        double total = 0.0;
        for (int s = 0; s < sizes.length; s++) {
            total += (double) s * sizes[s];
        }
        return total / rows;
    }

    /** {@code histogram[s]}: the number of sets of {@code s} classes, for s from 0 to C. A copy. */
    public long[] sizeHistogram() {
        return sizes.clone();
    }

    /** The share of sets with exactly one class. */
    public double singletonRate() {
        return (double) sizes[1] / rows;
    }

    /** The share of empty sets (randomized APS can make them). */
    public double emptySetRate() {
        return (double) sizes[0] / rows;
    }

    /** The share of rows whose set is the true class alone (TorchCP's {@code singleton_hit_ratio}). */
    public double singletonHitRate() {
        return (double) coveredBySize[1] / rows;
    }

    /**
     * Coverage among the sets of each size, s from 0 to C: NaN for a size no set has (MAPIE's
     * {@code classification_ssc} without bins).
     */
    public double[] coverageBySize() {
        double[] c = new double[sizes.length];
        for (int s = 0; s < c.length; s++) {
            c[s] = sizes[s] == 0 ? Double.NaN : (double) coveredBySize[s] / sizes[s];
        }
        return c;
    }

    /** The lowest coverage among the set sizes that occur (MAPIE's {@code classification_ssc_score}). */
    public double sizeStratifiedCoverage() {
        double min = Double.NaN;
        for (double c : coverageBySize()) {
            if (!Double.isNaN(c) && !(c >= min)) {
                min = c;
            }
        }
        return min;
    }

    /**
     * TorchCP's size-stratified coverage violation ({@code SSCV}) over its default strata of sizes
     * [0, 1], [2, 3], [4, 10], [11, 100], [101, 1000]: the largest {@code |1 - alpha - coverage|} of a stratum that
     * holds rows.
     */
    public double sizeStratifiedViolation() {
        int[][] strata = {{0, 1}, {2, 3}, {4, 10}, {11, 100}, {101, 1000}};
        double worst = -1.0;
        for (int[] stratum : strata) {
            long n = 0;
            long covered = 0;
            for (int s = stratum[0]; s <= Math.min(stratum[1], classes); s++) {
                n += sizes[s];
                covered += coveredBySize[s];
            }
            if (n > 0) {
                worst = Math.max(worst, Math.abs(1.0 - alpha - (double) covered / n));
            }
        }
        return worst;
    }

    /** Coverage among the rows of each true class; NaN for a class without rows. */
    public double[] classCoverage() {
        double[] c = new double[classes];
        for (int k = 0; k < classes; k++) {
            c[k] = classRows[k] == 0 ? Double.NaN : (double) classCovered[k] / classRows[k];
        }
        return c;
    }

    /** The mean of the class coverages over the classes with rows (TorchCP's {@code coverage_type="macro"}). */
    public double macroCoverage() {
        double sum = 0.0;
        int n = 0;
        for (double c : classCoverage()) {
            if (!Double.isNaN(c)) {
                sum += c;
                n++;
            }
        }
        return sum / n;
    }

    /**
     * TorchCP's {@code CovGap}: the mean over the classes with rows of {@code |coverage - (1 - alpha)|}, in percent.
     */
    public double covGap() {
        double sum = 0.0;
        int n = 0;
        for (double c : classCoverage()) {
            if (!Double.isNaN(c)) {
                sum += Math.abs((float) c - (float) (1.0 - alpha));
                n++;
            }
        }
        return sum / n * 100.0;
    }

    /** TorchCP's {@code VioClasses}: the classes with rows whose coverage is below {@code 1 - alpha}. */
    public int violatedClasses() {
        int n = 0;
        for (double c : classCoverage()) {
            if (!Double.isNaN(c) && (float) c < (float) (1.0 - alpha)) {
                n++;
            }
        }
        return n;
    }

    /**
     * The report's keys: {@code coverage}, {@code mean_set_size}, {@code empty_set_rate}, {@code singleton_rate},
     * {@code singleton_hit_rate}, {@code size_stratified_coverage}, {@code size_stratified_violation},
     * {@code macro_coverage}, {@code cov_gap}, {@code violated_classes}, {@code set_size_histogram},
     * {@code coverage_by_set_size} and {@code per_class_coverage}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alpha", alpha);
        m.put("coverage", coverage());
        m.put("mean_set_size", meanSize());
        m.put("empty_set_rate", emptySetRate());
        m.put("singleton_rate", singletonRate());
        m.put("singleton_hit_rate", singletonHitRate());
        m.put("size_stratified_coverage", sizeStratifiedCoverage());
        m.put("size_stratified_violation", sizeStratifiedViolation());
        m.put("macro_coverage", macroCoverage());
        m.put("cov_gap", covGap());
        m.put("violated_classes", violatedClasses());
        List<Long> histogram = new ArrayList<>();
        for (long s : sizes) {
            histogram.add(s);
        }
        m.put("set_size_histogram", Collections.unmodifiableList(histogram));
        m.put("coverage_by_set_size", list(coverageBySize()));
        m.put("per_class_coverage", list(classCoverage()));
        return Collections.unmodifiableMap(m);
    }

    private static List<Double> list(double[] values) {
        List<Double> l = new ArrayList<>(values.length);
        for (double v : values) {
            l.add(v);
        }
        return Collections.unmodifiableList(l);
    }
}
