package io.github.logits4j.metrics;

/**
 * The agreement metrics of a multi-class confusion matrix, as scikit-learn computes them: Matthews correlation,
 * balanced accuracy, Cohen's kappa (with a label list and weights) and the Jaccard index. {@link MulticlassReport}
 * holds the counts and calls these.
 *
 * <pre>{@code
 * double kappa = ConfusionMetrics.cohenKappa(confusion, classes, present, null, KappaWeights.LINEAR);
 * }</pre>
 *
 * <p>Stateless.
 */
final class ConfusionMetrics {
    private ConfusionMetrics() {
    }

    /** Matthews correlation coefficient of the per-class counts; 0 when undefined. */
    static double matthewsCorrcoef(double[] tp, double[] fp, double[] fn) {
        int classes = tp.length;
        double s = 0.0;
        double c = 0.0;
        double pp = 0.0;
        double tt = 0.0;
        double tpSum = 0.0;
        for (int k = 0; k < classes; k++) {
            double t = tp[k] + fn[k];
            double p = tp[k] + fp[k];
            s += p;
            c += tp[k];
            tt += t * t;
            pp += p * p;
            tpSum += t * p;
        }
        double denom = Math.sqrt((s * s - pp) * (s * s - tt));
        return denom == 0.0 || Double.isNaN(denom) ? 0.0 : (c * s - tpSum) / denom;
    }

    /** The mean recall over the {@code present} classes that have samples ({@code adjusted}: chance 0, perfect 1). */
    static double balancedAccuracy(double[] tp, double[] fn, boolean[] present, boolean adjusted) {
        int classes = tp.length;
        double sum = 0.0;
        int counted = 0;
        for (int c = 0; c < classes; c++) {
            double support = tp[c] + fn[c];
            if (present[c] && support != 0.0) {
                sum += tp[c] / support;
                counted++;
            }
        }
        return Prf.balancedAccuracy(sum, counted, adjusted);
    }

    /**
     * Cohen's kappa over the classes of {@code labelOrder} in that order (null: the {@code present} classes in index
     * order): the confusion matrix of those classes only, disagreements weighed by their positions.
     */
    static double cohenKappa(double[] confusion, int classes, boolean[] present, int[] labelOrder,
            MulticlassReport.KappaWeights weights) {
        int[] at = new int[classes];
        java.util.Arrays.fill(at, -1);
        if (labelOrder != null) {
            for (int k = 0; k < labelOrder.length; k++) {
                at[labelOrder[k]] = k;
            }
        } else {
            int n = 0;
            for (int c = 0; c < classes; c++) {
                at[c] = present[c] ? n++ : -1;
            }
        }
        double[] predicted = new double[classes];
        double[] truth = new double[classes];
        double total = 0.0;
        for (int t = 0; t < classes; t++) {
            for (int p = 0; p < classes; p++) {
                if (at[t] >= 0 && at[p] >= 0) {          // the confusion matrix of the classes counted
                    double v = confusion[t * classes + p];
                    truth[t] += v;
                    predicted[p] += v;
                }
            }
        }
        for (int c = 0; c < classes; c++) {
            total += predicted[c];
        }
        if (total == 0.0) {
            return Double.NaN;
        }
        double observed = 0.0;
        double expected = 0.0;
        for (int i = 0; i < classes; i++) {
            for (int j = 0; j < classes; j++) {
                if (at[i] < 0 || at[j] < 0 || i == j && weights == MulticlassReport.KappaWeights.NONE) {
                    continue;
                }
                int d = Math.abs(at[i] - at[j]);
                double w = weights == MulticlassReport.KappaWeights.NONE ? 1.0 : weights == MulticlassReport.KappaWeights.LINEAR ? d : (double) d * d;
                observed += w * confusion[i * classes + j];
                expected += w * (truth[i] * predicted[j] / total);
            }
        }
        return expected == 0.0 ? Double.NaN : 1.0 - observed / expected;
    }

    /** The Jaccard index averaged over the classes of {@code labelSet}. */
    static double jaccard(Average average, double[] tp, double[] fp, double[] fn, boolean[] labelSet,
            ZeroDivision zeroDivision) {
        int classes = tp.length;
        double num = 0.0;
        double den = 0.0;
        double sum = 0.0;
        double weightSum = 0.0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            if (!labelSet[c]) {
                continue;
            }
            double j = zeroDivision.divide(tp[c], tp[c] + fp[c] + fn[c]);
            num += tp[c];
            den += tp[c] + fp[c] + fn[c];
            double w = average == Average.WEIGHTED ? tp[c] + fn[c] : 1.0;
            sum += w * j;
            weightSum += w;
            present++;
        }
        return switch (average) {
            case MICRO -> zeroDivision.divide(num, den);
            case MACRO -> sum / present;
            case WEIGHTED -> weightSum == 0.0 ? jaccard(Average.MACRO, tp, fp, fn, labelSet, zeroDivision) : sum / weightSum;
            case SAMPLES -> throw new IllegalArgumentException("jaccard averages of multi-class data are MICRO, MACRO"
                    + " or WEIGHTED");
        };
    }
}
