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

    /**
     * Matthews correlation coefficient as scikit-learn 1.9 computes it from the confusion matrix of the
     * {@code present} classes (row = true class): true and predicted totals as its row sums (numpy's pairwise sum)
     * and column sums (rows added in order), the sample total as the sum of the column sums, the covariances
     * {@code n_correct * n - t.p}, {@code n^2 - p.p}, {@code n^2 - t.t}, and exactly 0 when the product of the last
     * two is 0. Summing in scikit-learn's order matters where a covariance should vanish: every true label of one
     * class with weights that do not add exactly gave about 1e-9 from per-class counts, where scikit-learn gives 0.
     */
    static double matthewsCorrcoef(double[] confusion, int classes, boolean[] present) {
        int m = 0;
        int[] at = new int[classes];
        for (int c = 0; c < classes; c++) {
            if (present[c]) {
                at[m++] = c;
            }
        }
        double[] t = new double[m];
        double[] p = new double[m];
        double[] scratch = new double[m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                scratch[j] = confusion[at[i] * classes + at[j]];
            }
            t[i] = numpySum(scratch, 0, m);
        }
        for (int j = 0; j < m; j++) {
            double sum = confusion[at[0] * classes + at[j]];
            for (int i = 1; i < m; i++) {
                sum += confusion[at[i] * classes + at[j]];
            }
            p[j] = sum;
        }
        for (int i = 0; i < m; i++) {
            scratch[i] = confusion[at[i] * classes + at[i]];
        }
        double correct = numpySum(scratch, 0, m);
        double n = numpySum(p, 0, m);
        double covTp = correct * n - dot(t, p);
        double covPp = n * n - dot(p, p);
        double covTt = n * n - dot(t, t);
        double product = covPp * covTt;
        return product == 0.0 ? 0.0 : covTp / Math.sqrt(product);
    }

    /**
     * Matthews correlation coefficient of sparse counts ({@link Confusion} above its dense limit), by the same formula
     * over the {@code present} classes: sums in the order the cells are visited, so equal to the dense form within
     * rounding (exactly, for unweighted counts).
     */
    static double matthewsCorrcoef(Confusion confusion, boolean[] present) {
        int classes = confusion.classes();
        double[] t = new double[classes];
        double[] p = new double[classes];
        double[] correct = new double[1];
        confusion.forEach((i, j, v) -> {
            if (present[i] && present[j]) {
                t[i] += v;
                p[j] += v;
                if (i == j) {
                    correct[0] += v;
                }
            }
        });
        double n = 0.0;
        for (double v : p) {
            n += v;
        }
        double covTp = correct[0] * n - dot(t, p);
        double covPp = n * n - dot(p, p);
        double covTt = n * n - dot(t, t);
        double product = covPp * covTt;
        return product == 0.0 ? 0.0 : covTp / Math.sqrt(product);
    }

    /**
     * Cohen's kappa of sparse counts, as {@link #cohenKappa(double[], int, boolean[], int[],
     * MulticlassReport.KappaWeights)} computes it, in O(C + cells): the observed disagreement over the cells that
     * occur, the expected one from the marginals in closed form (for linear weights by prefix sums over positions,
     * for quadratic ones by moments).
     */
    static double cohenKappa(Confusion confusion, boolean[] present, int[] labelOrder,
            MulticlassReport.KappaWeights weights) {
        int classes = confusion.classes();
        int[] at = new int[classes];
        java.util.Arrays.fill(at, -1);
        int m;
        if (labelOrder != null) {
            for (int k = 0; k < labelOrder.length; k++) {
                at[labelOrder[k]] = k;
            }
            m = labelOrder.length;
        } else {
            int n = 0;
            for (int c = 0; c < classes; c++) {
                at[c] = present[c] ? n++ : -1;
            }
            m = n;
        }
        double[] truth = new double[m];          // by position
        double[] predicted = new double[m];
        double[] observed = new double[1];
        confusion.forEach((i, j, v) -> {
            if (at[i] >= 0 && at[j] >= 0) {
                truth[at[i]] += v;
                predicted[at[j]] += v;
                int d = Math.abs(at[i] - at[j]);
                double w = weights == MulticlassReport.KappaWeights.NONE ? (d == 0 ? 0 : 1)
                        : weights == MulticlassReport.KappaWeights.LINEAR ? d : (double) d * d;
                observed[0] += w * v;
            }
        });
        double total = 0.0;
        for (double v : predicted) {
            total += v;
        }
        if (total == 0.0) {
            return Double.NaN;
        }
        double expected;
        switch (weights) {
            case NONE -> {
                double st = 0.0;
                double diag = 0.0;
                for (int k = 0; k < m; k++) {
                    st += truth[k];
                    diag += truth[k] * predicted[k];
                }
                expected = (st * total - diag) / total;
            }
            case LINEAR -> {
                // sum_i T_i sum_j |i - j| P_j, with prefix sums of P_j and j P_j
                double below = 0.0;
                double belowMoment = 0.0;
                double allMoment = 0.0;
                for (int k = 0; k < m; k++) {
                    allMoment += k * predicted[k];
                }
                double sum = 0.0;
                for (int k = 0; k < m; k++) {
                    double aboveP = total - below - predicted[k];
                    double aboveMoment = allMoment - belowMoment - k * predicted[k];
                    sum += truth[k] * ((k * below - belowMoment) + (aboveMoment - k * aboveP));
                    below += predicted[k];
                    belowMoment += k * predicted[k];
                }
                expected = sum / total;
            }
            default -> {
                double t0 = 0.0;
                double t1 = 0.0;
                double t2 = 0.0;
                double p1 = 0.0;
                double p2 = 0.0;
                for (int k = 0; k < m; k++) {
                    t0 += truth[k];
                    t1 += k * truth[k];
                    t2 += (double) k * k * truth[k];
                    p1 += k * predicted[k];
                    p2 += (double) k * k * predicted[k];
                }
                expected = (t2 * total + t0 * p2 - 2 * t1 * p1) / total;
            }
        }
        return expected == 0.0 ? Double.NaN : 1.0 - observed[0] / expected;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0.0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /**
     * numpy's {@code sum} of {@code a[from .. from+n)}: the first element, plus the pairwise sum of the rest (below 8
     * elements in order; up to 128 in eight interleaved partial sums; above, the two halves at a multiple of 8).
     */
    static double numpySum(double[] a, int from, int n) {
        return n == 0 ? 0.0 : a[from] + pairwise(a, from + 1, n - 1);
    }

    private static double pairwise(double[] a, int from, int n) {
        if (n < 8) {
            double res = 0.0;
            for (int i = 0; i < n; i++) {
                res += a[from + i];
            }
            return res;
        }
        if (n <= 128) {
            double[] r = new double[8];
            System.arraycopy(a, from, r, 0, 8);
            int i = 8;
            for (; i < n - n % 8; i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[from + i + j];
                }
            }
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                res += a[from + i];
            }
            return res;
        }
        int half = n / 2;
        half -= half % 8;
        return pairwise(a, from, half) + pairwise(a, from + half, n - half);
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
