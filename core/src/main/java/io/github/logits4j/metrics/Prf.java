package io.github.logits4j.metrics;

import io.github.logits4j.kernel.State;

/**
 * Precision, recall and F-beta from confusion counts, and their averages, as scikit-learn's
 * {@code precision_recall_fscore_support}. Package-private.
 */
final class Prf {
    static final int PRECISION = 0;
    static final int RECALL = 1;
    static final int F = 2;

    private Prf() {
    }

    /**
     * scikit-learn's {@code balanced_accuracy_score} from the sum of the recalls of the {@code present} classes:
     * their mean, and {@code adjusted} rescaled so that chance ({@code 1 / present}) scores 0.
     */
    static double balancedAccuracy(double recallSum, int present, boolean adjusted) {
        double score = recallSum / present;
        if (adjusted) {
            double chance = 1.0 / present;
            score -= chance;
            score /= 1.0 - chance;
        }
        return score;
    }

    /**
     * Checks an F-beta {@code beta}: finite and {@code >= 0}.
     *
     * @throws IllegalArgumentException otherwise, naming the value
     */
    static double checkBeta(double beta) {
        if (!(beta >= 0.0 && beta < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("F-beta beta is " + beta + "; expected a finite beta >= 0");
        }
        return beta;
    }

    /** Writes precision, recall and F-beta of counts (tp, fp, fn) into {@code out[0..2]}. */
    static void of(double tp, double fp, double fn, double beta, ZeroDivision zd, double[] out) {
        double beta2 = beta * beta;
        out[PRECISION] = zd.divide(tp, tp + fp);
        out[RECALL] = zd.divide(tp, tp + fn);
        out[F] = zd.divide((1.0 + beta2) * tp, beta2 * (tp + fn) + (tp + fp));
    }

    /**
     * sklearn's {@code _nanaverage}: the (weighted) mean of the non-NaN entries among those {@code included} (null
     * for all); NaN when there are none; the unweighted mean when all their weights are 0.
     */
    static double nanAverage(double[] values, double[] weights, boolean[] included) {
        NanMean mean = new NanMean();
        for (int i = 0; i < values.length; i++) {
            if (included == null || included[i]) {
                mean.add(values[i], weights == null ? 1.0 : weights[i]);
            }
        }
        return mean.value();
    }

    /** sklearn's {@code _nanaverage} over a stream: NaN values are left out with their weights. */
    static final class NanMean {
        private double sum;
        private double weightSum;
        private double plainSum;
        private long count;

        void add(double v, double w) {
            if (Double.isNaN(v)) {
                return;
            }
            sum += w * v;
            weightSum += w;
            plainSum += v;
            count++;
        }

        void merge(NanMean o) {
            sum += o.sum;
            weightSum += o.weightSum;
            plainSum += o.plainSum;
            count += o.count;
        }

        void exchange(State s) {
            sum = s.add(sum);
            weightSum = s.add(weightSum);
            plainSum = s.add(plainSum);
            count = s.add(count);
        }

        /** The weighted mean of the non-NaN values; NaN when there are none; the plain mean if all weights are 0. */
        double value() {
            if (count == 0) {
                return Double.NaN;
            }
            return weightSum == 0.0 ? plainSum / count : sum / weightSum;
        }
    }

    /** The per-label values of one measure ({@link #PRECISION}, {@link #RECALL}, {@link #F}). */
    static double[] perLabel(int measure, double[] tp, double[] fp, double[] fn, double beta, ZeroDivision zd) {
        double[] out = new double[tp.length];
        double[] tmp = new double[3];
        for (int i = 0; i < out.length; i++) {
            of(tp[i], fp[i], fn[i], beta, zd, tmp);
            out[i] = tmp[measure];
        }
        return out;
    }

    /** The micro average of one measure: the counts pooled over the {@code included} labels. */
    static double micro(int measure, double[] tp, double[] fp, double[] fn, boolean[] included, double beta,
            ZeroDivision zd) {
        double t = 0.0;
        double p = 0.0;
        double n = 0.0;
        for (int i = 0; i < tp.length; i++) {
            if (included == null || included[i]) {
                t += tp[i];
                p += fp[i];
                n += fn[i];
            }
        }
        double[] tmp = new double[3];
        of(t, p, n, beta, zd, tmp);
        return tmp[measure];
    }
}
