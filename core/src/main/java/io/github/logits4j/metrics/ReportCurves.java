package io.github.logits4j.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The curves of an evaluation, ready to draw or export: ROC and precision-recall curves (per class or label, micro and
 * macro), the reliability diagram of the expected calibration error's bins, the binary operating point, and for
 * multi-label models F1 against the threshold of each label with the threshold in use. Each curve is downsampled to at
 * most a given number of points, with the bound on the area that changes ({@code area_bound}); with binned rank
 * metrics the ROC and PR curves are those of the bins, with the binned metrics' bounds; with none, they are left out.
 *
 * <pre>{@code
 * ReportCurves curves = ReportCurves.of(multiclassMetrics, 500, 20);   // at most 500 points, 20 classes drawn
 * Map<String, Object> data = curves.toMap();                          // numbers, lists and maps: JSON as it is
 * }</pre>
 *
 * <p>Immutable.
 */
public final class ReportCurves {
    private final Map<String, Object> data;

    private ReportCurves(Map<String, Object> data) {
        this.data = Collections.unmodifiableMap(data);
    }

    /**
     * The curves of a binary accumulator: ROC and precision-recall curves, the reliability diagram, and the operating
     * point of its threshold.
     *
     * @throws IllegalArgumentException if {@code maxPoints < 2}
     */
    public static ReportCurves of(BinaryMetrics m, int maxPoints) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("task", "binary");
        if (m.rows() > 0 && m.hasRankCurves()) {
            d.put("roc", m.rocCurve(true).downsample(maxPoints).toMap());
            d.put("pr", m.precisionRecallCurve(false).downsample(maxPoints).toMap());
        }
        d.put("reliability", m.reliabilityCurve().toMap());
        d.put("operating_point", m.operatingPoint());
        return new ReportCurves(d);
    }

    /**
     * The curves of a multi-class accumulator: one-vs-rest ROC and precision-recall curves of the {@code maxClasses}
     * classes of most support (all of them when there are no more), micro and macro; and the reliability diagram of
     * the top-label confidence.
     *
     * @throws IllegalArgumentException if {@code maxPoints < 2} or {@code maxClasses < 1}
     */
    public static ReportCurves of(MulticlassMetrics m, int maxPoints, int maxClasses) {
        checkMaxClasses(maxClasses);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("task", "multiclass");
        int classes = m.classes();
        if (m.rows() > 0 && m.hasRankCurves()) {
            int[] shown = mostSupported(m.result().supportPerClass(), maxClasses);
            List<Object> roc = new ArrayList<>();
            List<Object> pr = new ArrayList<>();
            for (int c : shown) {
                roc.add(entry("class", c, m.rocCurve(c, true).downsample(maxPoints).toMap()));
                pr.add(entry("class", c, m.precisionRecallCurve(c, false).downsample(maxPoints).toMap()));
            }
            d.put("roc", curves(roc, m.microRocCurve(true).downsample(maxPoints).toMap(),
                    m.macroRocCurve().downsample(maxPoints).toMap(), shown.length, classes));
            d.put("pr", curves(pr, m.microPrecisionRecallCurve(false).downsample(maxPoints).toMap(), null,
                    shown.length, classes));
        }
        d.put("reliability", m.reliabilityCurve().toMap());
        return new ReportCurves(d);
    }

    /**
     * The curves of a multi-label accumulator: per-label (the {@code maxClasses} labels of most support) and micro ROC
     * and precision-recall curves, macro ROC, and each shown label's F1 against the decision threshold, with the
     * threshold the accumulator decides at.
     *
     * @throws IllegalArgumentException if {@code maxPoints < 2} or {@code maxClasses < 1}
     */
    public static ReportCurves of(MultilabelMetrics m, int maxPoints, int maxClasses) {
        checkMaxClasses(maxClasses);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("task", "multilabel");
        int labels = m.labels();
        if (m.rows() > 0 && m.hasRankCurves()) {
            int[] shown = mostSupported(m.result().supportPerLabel(), maxClasses);
            List<Object> roc = new ArrayList<>();
            List<Object> pr = new ArrayList<>();
            List<Object> f1 = new ArrayList<>();
            for (int l : shown) {
                roc.add(entry("label", l, m.rocCurve(l, true).downsample(maxPoints).toMap()));
                PrecisionRecallCurve full = m.precisionRecallCurve(l, false);
                pr.add(entry("label", l, full.downsample(maxPoints).toMap()));
                Map<String, Object> f = f1AgainstThreshold(full, maxPoints);
                f.put("threshold_in_use", m.threshold(l));
                f1.add(entry("label", l, f));
            }
            d.put("roc", curves(roc, m.microRocCurve(true).downsample(maxPoints).toMap(),
                    m.macroRocCurve().downsample(maxPoints).toMap(), shown.length, labels));
            d.put("pr", curves(pr, m.microPrecisionRecallCurve(false).downsample(maxPoints).toMap(), null,
                    shown.length, labels));
            d.put("f1_threshold", f1);
        }
        return new ReportCurves(d);
    }

    /** F1 = 2PR / (P + R) at each threshold of a precision-recall curve, downsampled; 0 where P + R is 0. */
    static Map<String, Object> f1AgainstThreshold(PrecisionRecallCurve pr, int maxPoints) {
        double[] t = pr.thresholds();
        double[] p = pr.precision();
        double[] r = pr.recall();
        double[] f1 = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            f1[i] = p[i] + r[i] == 0.0 ? 0.0 : 2.0 * p[i] * r[i] / (p[i] + r[i]);
        }
        int[] keep = Curves.downsample(t, f1, maxPoints);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("thresholds", Curves.list(keep == null ? t : Curves.pick(t, keep)));
        m.put("f1", Curves.list(keep == null ? f1 : Curves.pick(f1, keep)));
        return m;
    }

    private static void checkMaxClasses(int maxClasses) {
        if (maxClasses < 1) {
            throw new IllegalArgumentException("classes to draw is " + maxClasses + "; expected at least 1");
        }
    }

    /**
     * The classes a report draws when it cannot draw all: the indices of the {@code k} largest supports (ties to the
     * lower index), in index order; every index when there are no more than {@code k}.
     */
    public static int[] mostSupported(double[] support, int k) {
        int n = support.length;
        if (n <= k) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[] idx = new int[n];
        Arrays.setAll(idx, i -> i);
        Ranking.sortIndicesDescending(support, 0, idx, new int[n], n);
        int[] top = Arrays.copyOf(idx, k);
        Arrays.sort(top);
        return top;
    }

    private static Map<String, Object> entry(String kind, int index, Map<String, Object> curve) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(kind, index);
        m.putAll(curve);
        return m;
    }

    private static Map<String, Object> curves(List<Object> each, Map<String, Object> micro,
            Map<String, Object> macro, int shown, int total) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("micro", micro);
        if (macro != null) {
            m.put("macro", macro);
        }
        m.put("each", each);
        m.put("shown", shown);
        m.put("total", total);
        return m;
    }

    /** The curves as numbers, lists and maps (JSON as it is); non-finite numbers stay doubles. */
    public Map<String, Object> toMap() {
        return data;
    }

    @Override
    public String toString() {
        return "ReportCurves" + data.keySet();
    }
}
