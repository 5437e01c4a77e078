package io.github.logits4j.conformal;

import io.github.logits4j.kernel.Checks;
import io.github.logits4j.kernel.State;
import java.util.Objects;

/**
 * Streaming, mergeable metrics of prediction sets against the true classes, as MAPIE 1.5 and TorchCP 1.2.1 define
 * them: coverage (the share of sets that hold their true class), mean set size, the histogram of sizes, coverage by
 * set size, by class (with TorchCP's {@code CovGap} and {@code VioClasses}, and the macro coverage), the singleton and
 * empty-set rates. Counts only: {@code O(C)} memory. Not thread-safe: one per thread, then {@link #merge}.
 *
 * <pre>{@code
 * PredictionSetMetrics m = new PredictionSetMetrics(classes, 0.1);
 * m.add(members, label);                                   // one row's set and true class
 * PredictionSetReport r = m.result();
 * }</pre>
 */
public final class PredictionSetMetrics {
    private final int classes;
    private final double alpha;
    /** {@code sizes[s]}: rows whose set has s classes; {@code coveredBySize[s]}: those that hold the true class. */
    private final long[] sizes;
    private final long[] coveredBySize;
    private final long[] classRows;
    private final long[] classCovered;

    /**
     * Metrics of sets over {@code classes} classes made at miscoverage {@code alpha} (the target of the gap metrics).
     *
     * @throws IllegalArgumentException if {@code classes < 2} or {@code alpha} is not in (0, 1)
     */
    public PredictionSetMetrics(int classes, double alpha) {
        if (classes < 2) {
            throw new IllegalArgumentException("prediction sets need at least 2 classes; found " + classes);
        }
        this.classes = classes;
        this.alpha = ConformalQuantile.checkAlpha(alpha);
        this.sizes = new long[classes + 1];
        this.coveredBySize = new long[classes + 1];
        this.classRows = new long[classes];
        this.classCovered = new long[classes];
    }

    /**
     * Adds one row: its set ({@code inSet[0..C)}) and its true class.
     *
     * @throws IllegalArgumentException if the class is out of range
     */
    public void add(boolean[] inSet, int label) {
        Checks.classLabel(label, 0, classes);
        int size = 0;
        for (int c = 0; c < classes; c++) {
            size += inSet[c] ? 1 : 0;
        }
        boolean covered = inSet[label];
        sizes[size]++;
        classRows[label]++;
        if (covered) {
            coveredBySize[size]++;
            classCovered[label]++;
        }
    }

    /**
     * Adds what {@code other} has counted.
     *
     * @throws IllegalArgumentException if it counts another number of classes or another alpha
     */
    public void merge(PredictionSetMetrics other) {
        Objects.requireNonNull(other, "other");
        if (other.classes != classes || other.alpha != alpha) {
            throw new IllegalArgumentException("cannot merge prediction-set metrics of " + other.classes
                    + " classes at alpha " + other.alpha + " into " + classes + " at " + alpha);
        }
        for (int s = 0; s <= classes; s++) {
            sizes[s] += other.sizes[s];
            coveredBySize[s] += other.coveredBySize[s];
        }
        for (int c = 0; c < classes; c++) {
            classRows[c] += other.classRows[c];
            classCovered[c] += other.classCovered[c];
        }
    }

    /** The counts in a compact binary form, for {@link #mergeBytes} in another JVM. */
    public byte[] toBytes() {
        return State.write("prediction-set metrics", settings(), this::exchange);
    }

    /** Adds what {@link #toBytes} wrote (same classes and alpha). */
    public void mergeBytes(byte[] state) {
        State.merge(state, "prediction-set metrics", settings(), this::exchange);
    }

    private void exchange(State s) {
        for (long[] counts : new long[][] {sizes, coveredBySize, classRows, classCovered}) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = s.add(counts[i]);
            }
        }
    }

    private String settings() {
        return "classes=" + classes + ", alpha=" + alpha;
    }

    /** The metrics of the rows added so far; NaN where a rate has no row. */
    public PredictionSetReport result() {
        return new PredictionSetReport(classes, alpha, sizes.clone(), coveredBySize.clone(), classRows.clone(),
                classCovered.clone());
    }
}
