package io.github.logits4j.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A precision-recall curve as scikit-learn's {@code precision_recall_curve} returns it: precision and recall at
 * increasing thresholds, ending at (recall 0, precision 1) with no threshold; precision 0 where nothing is predicted
 * positive, recall 1 everywhere when the data has no positive sample. {@link Curves#precisionRecall} makes one.
 *
 * <pre>{@code
 * PrecisionRecallCurve pr = Curves.precisionRecall(scores, labels, weights, false);
 * double ap = pr.averagePrecision();   // scikit-learn's average_precision_score
 * }</pre>
 *
 * <p>Immutable; the accessors return copies.
 */
public final class PrecisionRecallCurve {
    private final double[] precision;
    private final double[] recall;
    private final double[] thresholds;
    private final double areaBound;

    PrecisionRecallCurve(double[] precision, double[] recall, double[] thresholds, double areaBound) {
        this.precision = precision;
        this.recall = recall;
        this.thresholds = thresholds;
        this.areaBound = areaBound;
    }

    /** The precisions, one per threshold and the final 1. */
    public double[] precision() {
        return precision.clone();
    }

    /** The recalls, decreasing, one per threshold and the final 0. */
    public double[] recall() {
        return recall.clone();
    }

    /** The thresholds, increasing (one fewer than the points). */
    public double[] thresholds() {
        return thresholds.clone();
    }

    /** The number of points. */
    public int points() {
        return precision.length;
    }

    /**
     * The step-wise area scikit-learn's {@code average_precision_score} gives from this curve:
     * {@code -sum(diff(recall) * precision[:-1])}.
     */
    public double averagePrecision() {
        double ap = 0.0;
        for (int i = 0; i + 1 < recall.length; i++) {
            ap -= (recall[i + 1] - recall[i]) * precision[i];
        }
        return ap;
    }

    /**
     * How far {@link #averagePrecision()} may lie from that of the exact curve: 0 for a curve of every score; for a
     * curve from binned scores or a {@link #downsample}d one, the sum over its segments of the recall each spans times
     * the spread of precision within it.
     */
    public double areaBound() {
        return areaBound;
    }

    /**
     * This curve with at most {@code maxPoints} points (the first and the last always kept, the others spread evenly
     * along the curve's length), its {@link #areaBound()} grown by what the dropped points could change; this curve
     * when it has no more points.
     *
     * @throws IllegalArgumentException if {@code maxPoints < 2}
     */
    public PrecisionRecallCurve downsample(int maxPoints) {
        int[] keep = Curves.downsample(recall, precision, maxPoints);
        if (keep == null) {
            return this;
        }
        int[] thresholdKeep = java.util.Arrays.stream(keep).filter(i -> i < thresholds.length).toArray();
        return new PrecisionRecallCurve(Curves.pick(precision, keep), Curves.pick(recall, keep),
                Curves.pick(thresholds, thresholdKeep), areaBound + Curves.droppedArea(recall, precision, keep));
    }

    /**
     * {@code precision}, {@code recall}, {@code thresholds} (lists), {@code average_precision} and
     * {@code area_bound}, for reports.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("precision", Curves.list(precision));
        m.put("recall", Curves.list(recall));
        m.put("thresholds", Curves.list(thresholds));
        m.put("average_precision", averagePrecision());
        m.put("area_bound", areaBound);
        return m;
    }

    @Override
    public String toString() {
        return "PrecisionRecallCurve[" + points() + " points, average precision=" + averagePrecision() + "]";
    }
}
