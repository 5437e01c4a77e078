package io.github.logits4j.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dataset-level metrics of dense decisions, from one confusion matrix over every labelled position
 * ({@link DenseMetrics}), as scikit-learn computes them on the flattened positions with its default label set (the
 * classes that occur among the labels or the decisions): per-class IoU ({@code jaccard_score(average=None)}), Dice
 * ({@code f1_score(average=None)}), precision and recall; their means over those classes ({@code average='macro'};
 * class 0 left out when the background is excluded), the frequency-weighted IoU ({@code jaccard_score(average=
 * 'weighted')}: each IoU weighted by its class's labelled positions) and the accuracy over labelled positions. A class
 * that occurs nowhere has NaN in the per-class arrays and no part in the means; a class that occurs only among the
 * labels or only among the decisions has precision or recall 0, as scikit-learn's {@code zero_division} default.
 * Immutable.
 *
 * <pre>{@code
 * DenseReport r = metrics.result();
 * double miou = r.meanIou();
 * double[] iou = r.perClassIou();
 * }</pre>
 *
 * <p>These are not torchmetrics' per-image {@code MeanIoU} (an average of per-sample IoUs), nor its
 * {@code DiceScore}: one matrix for the whole data set, as scikit-learn, mmsegmentation and the Cityscapes benchmark
 * report them.
 */
public final class DenseReport {
    private final int classes;
    private final long[] confusion;
    private final long ignored;
    private final boolean includeBackground;
    private final long[] support;
    private final long[] decided;
    private final long total;

    DenseReport(int classes, long[] confusion, long ignored, boolean includeBackground) {
        this.classes = classes;
        this.confusion = confusion;
        this.ignored = ignored;
        this.includeBackground = includeBackground;
        this.support = new long[classes];
        this.decided = new long[classes];
        long n = 0;
        for (int t = 0; t < classes; t++) {
            for (int p = 0; p < classes; p++) {
                long v = confusion[t * classes + p];
                support[t] += v;
                decided[p] += v;
                n += v;
            }
        }
        this.total = n;
    }

    /** The number of classes. */
    public int classes() {
        return classes;
    }

    /** The labelled positions counted. */
    public long positions() {
        return total;
    }

    /** The positions not counted: their label was the ignore index. */
    public long ignoredPositions() {
        return ignored;
    }

    /** Whether class 0 takes part in the means. */
    public boolean includesBackground() {
        return includeBackground;
    }

    /** The count of true class t decided as p, {@code [C × C]} row-major (a copy). */
    public long[] confusionMatrix() {
        return confusion.clone();
    }

    /** Each class's labelled positions (a copy). */
    public long[] support() {
        return support.clone();
    }

    /** Whether class {@code c} occurs among the labels or the decisions. */
    public boolean present(int c) {
        return support[c] > 0 || decided[c] > 0;
    }

    private boolean averaged(int c) {
        return present(c) && (includeBackground || c != 0);
    }

    private long tp(int c) {
        return confusion[c * classes + c];
    }

    /** The share of labelled positions decided right (NaN when none was counted). */
    public double accuracy() {
        long right = 0;
        for (int c = 0; c < classes; c++) {
            right += tp(c);
        }
        return total == 0 ? Double.NaN : (double) right / total;
    }

    /** Each class's IoU, {@code tp / (tp + fp + fn)}; NaN for a class that occurs nowhere. */
    public double[] perClassIou() {
        double[] v = new double[classes];
        for (int c = 0; c < classes; c++) {
            v[c] = present(c) ? (double) tp(c) / (support[c] + decided[c] - tp(c)) : Double.NaN;
        }
        return v;
    }

    /** Each class's Dice coefficient (its F1), {@code 2 tp / (2 tp + fp + fn)}; NaN for a class that occurs nowhere. */
    public double[] perClassDice() {
        double[] v = new double[classes];
        for (int c = 0; c < classes; c++) {
            v[c] = present(c) ? 2.0 * tp(c) / (support[c] + decided[c]) : Double.NaN;
        }
        return v;
    }

    /** Each class's precision, {@code tp / decided}; 0 for a class never decided but labelled, NaN if neither. */
    public double[] perClassPrecision() {
        double[] v = new double[classes];
        for (int c = 0; c < classes; c++) {
            v[c] = !present(c) ? Double.NaN : decided[c] == 0 ? 0.0 : (double) tp(c) / decided[c];
        }
        return v;
    }

    /** Each class's recall, {@code tp / labelled}; 0 for a class decided but never labelled, NaN if neither. */
    public double[] perClassRecall() {
        double[] v = new double[classes];
        for (int c = 0; c < classes; c++) {
            v[c] = !present(c) ? Double.NaN : support[c] == 0 ? 0.0 : (double) tp(c) / support[c];
        }
        return v;
    }

    /** The mean IoU over the classes that occur (without class 0 when the background is excluded). */
    public double meanIou() {
        return mean(perClassIou());
    }

    /** The mean Dice over the classes that occur (without class 0 when the background is excluded). */
    public double meanDice() {
        return mean(perClassDice());
    }

    /** The macro precision over the classes that occur. */
    public double macroPrecision() {
        return mean(perClassPrecision());
    }

    /** The macro recall over the classes that occur. */
    public double macroRecall() {
        return mean(perClassRecall());
    }

    /** The macro F1 (equal to {@link #meanDice()}). */
    public double macroF1() {
        return meanDice();
    }

    /** The IoUs weighted by each class's labelled positions: the frequency-weighted IoU. */
    public double frequencyWeightedIou() {
        return weighted(perClassIou());
    }

    /** The F1s weighted by each class's labelled positions. */
    public double weightedF1() {
        return weighted(perClassDice());
    }

    private double mean(double[] v) {
        double sum = 0.0;
        int n = 0;
        for (int c = 0; c < classes; c++) {
            if (averaged(c)) {
                sum += v[c];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private double weighted(double[] v) {
        double sum = 0.0;
        long weight = 0;
        for (int c = 0; c < classes; c++) {
            if (averaged(c) && support[c] > 0) {
                sum += support[c] * v[c];
                weight += support[c];
            }
        }
        return weight == 0 ? Double.NaN : sum / weight;
    }

    /**
     * The report as a map: {@code accuracy}, {@code mean_iou}, {@code per_class_iou}, {@code frequency_weighted_iou},
     * {@code mean_dice}, {@code per_class_dice}, {@code macro_precision}, {@code macro_recall}, {@code macro_f1},
     * {@code weighted_f1}, {@code per_class_precision}, {@code per_class_recall}, {@code support}, {@code positions},
     * {@code ignored_positions}, {@code include_background} and {@code confusion_matrix} (a class that occurs nowhere
     * NaN, which JSON writes as null).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accuracy", accuracy());
        m.put("mean_iou", meanIou());
        m.put("per_class_iou", ReportMaps.list(perClassIou()));
        m.put("frequency_weighted_iou", frequencyWeightedIou());
        m.put("mean_dice", meanDice());
        m.put("per_class_dice", ReportMaps.list(perClassDice()));
        m.put("macro_precision", macroPrecision());
        m.put("macro_recall", macroRecall());
        m.put("macro_f1", macroF1());
        m.put("weighted_f1", weightedF1());
        m.put("per_class_precision", ReportMaps.list(perClassPrecision()));
        m.put("per_class_recall", ReportMaps.list(perClassRecall()));
        List<Long> s = new ArrayList<>();
        for (long v : support) {
            s.add(v);
        }
        m.put("support", Collections.unmodifiableList(s));
        m.put("positions", total);
        m.put("ignored_positions", ignored);
        m.put("include_background", includeBackground);
        List<List<Long>> matrix = new ArrayList<>();
        for (int t = 0; t < classes; t++) {
            List<Long> row = new ArrayList<>();
            for (int p = 0; p < classes; p++) {
                row.add(confusion[t * classes + p]);
            }
            matrix.add(Collections.unmodifiableList(row));
        }
        m.put("confusion_matrix", Collections.unmodifiableList(matrix));
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        return "DenseReport[" + classes + " classes, " + total + " positions, accuracy=" + accuracy() + ", mean_iou="
                + meanIou() + "]";
    }
}
