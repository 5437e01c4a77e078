package io.github.logits4j.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A receiver operating characteristic curve as scikit-learn's {@code roc_curve} returns it: false and true positive
 * rates at decreasing thresholds, starting at (0, 0) with threshold {@code +inf}; NaN rates when the data has no
 * negative (or no positive) sample. {@link Curves#roc} makes one.
 *
 * <pre>{@code
 * RocCurve roc = Curves.roc(scores, labels, null, true);
 * double[] x = roc.fpr();
 * double area = roc.auc();          // the trapezoidal area, scikit-learn's auc(fpr, tpr)
 * }</pre>
 *
 * <p>Immutable; the accessors return copies.
 */
public final class RocCurve {
    private final double[] fpr;
    private final double[] tpr;
    private final double[] thresholds;
    private final double areaBound;

    RocCurve(double[] fpr, double[] tpr, double[] thresholds, double areaBound) {
        this.fpr = fpr;
        this.tpr = tpr;
        this.thresholds = thresholds;
        this.areaBound = areaBound;
    }

    /** The false positive rates, increasing. */
    public double[] fpr() {
        return fpr.clone();
    }

    /** The true positive rates, increasing. */
    public double[] tpr() {
        return tpr.clone();
    }

    /** The thresholds, decreasing: {@code +inf}, then the distinct scores kept. */
    public double[] thresholds() {
        return thresholds.clone();
    }

    /** The number of points. */
    public int points() {
        return fpr.length;
    }

    /** The trapezoidal area under the curve (scikit-learn's {@code auc(fpr, tpr)}); NaN when a rate is NaN. */
    public double auc() {
        return Curves.trapezoid(fpr, tpr);
    }

    /**
     * How far {@link #auc()} may lie from the area of the exact curve: 0 for a curve of every score; for a curve from
     * binned scores or a {@link #downsample}d one, the sum over its segments of the box each spans (the exact curve
     * runs inside it), halved for the monotone ROC.
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
    public RocCurve downsample(int maxPoints) {
        int[] keep = Curves.downsample(fpr, tpr, maxPoints);
        if (keep == null) {
            return this;
        }
        return new RocCurve(Curves.pick(fpr, keep), Curves.pick(tpr, keep), Curves.pick(thresholds, keep),
                areaBound + Curves.droppedArea(fpr, tpr, keep) / 2.0);
    }

    /** {@code fpr}, {@code tpr}, {@code thresholds} (lists), {@code auc} and {@code area_bound}, for reports. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fpr", Curves.list(fpr));
        m.put("tpr", Curves.list(tpr));
        m.put("thresholds", Curves.list(thresholds));
        m.put("auc", auc());
        m.put("area_bound", areaBound);
        return m;
    }

    @Override
    public String toString() {
        return "RocCurve[" + points() + " points, auc=" + auc() + ", fpr=" + Arrays.toString(fpr) + "]";
    }
}
