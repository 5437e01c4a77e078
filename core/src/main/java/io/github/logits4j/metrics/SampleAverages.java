package io.github.logits4j.metrics;

import io.github.logits4j.kernel.State;

/**
 * The samples-averaged metrics of a multi-label evaluation, scikit-learn's {@code average="samples"}: each row's own
 * precision, recall, F1, the F-betas asked for, and Jaccard index from its true positives, false positives and false
 * negatives, then averaged over the rows with their weights; package-private. A row whose value is 0/0 gives the
 * {@link ZeroDivision} value, left out of the average when that is NaN (Jaccard: a NaN row makes it NaN).
 *
 * <pre>{@code
 * SampleAverages s = new SampleAverages(ZeroDivision.ZERO, new double[] {0.5});
 * s.add(rowTp, rowFp, rowFn, w);
 * double samplesF1 = s.values()[Prf.F];
 * }</pre>
 */
final class SampleAverages {
    private final ZeroDivision zeroDivision;
    private final double[] betas;
    private final Prf.NanMean[] prf = {new Prf.NanMean(), new Prf.NanMean(), new Prf.NanMean()};
    private final Prf.NanMean[] fBeta;
    private final double[] scratch = new double[3];
    private double jaccardSum;
    private double jaccardWeight;

    SampleAverages(ZeroDivision zeroDivision, double[] betas) {
        this.zeroDivision = zeroDivision;
        this.betas = betas;
        this.fBeta = new Prf.NanMean[betas.length];
        for (int k = 0; k < betas.length; k++) {
            fBeta[k] = new Prf.NanMean();
        }
    }

    /** Adds one row's weighted counts (each hit adds the row's weight, as scikit-learn's samplewise counts). */
    void add(double tp, double fp, double fn, double w) {
        Prf.of(tp, fp, fn, 1.0, zeroDivision, scratch);
        for (int i = 0; i < 3; i++) {
            prf[i].add(scratch[i], w);
        }
        for (int k = 0; k < betas.length; k++) {
            Prf.of(tp, fp, fn, betas[k], zeroDivision, scratch);
            fBeta[k].add(scratch[Prf.F], w);
        }
        jaccardSum += w * zeroDivision.divide(tp, tp + fp + fn);
        jaccardWeight += w;
    }

    void merge(SampleAverages other) {
        for (int i = 0; i < 3; i++) {
            prf[i].merge(other.prf[i]);
        }
        for (int k = 0; k < betas.length; k++) {
            fBeta[k].merge(other.fBeta[k]);
        }
        jaccardSum += other.jaccardSum;
        jaccardWeight += other.jaccardWeight;
    }

    void exchange(State s) {
        for (Prf.NanMean m : prf) {
            m.exchange(s);
        }
        for (Prf.NanMean m : fBeta) {
            m.exchange(s);
        }
        jaccardSum = s.add(jaccardSum);
        jaccardWeight = s.add(jaccardWeight);
    }

    /** Precision, recall and F1 (at {@link Prf}'s indices). */
    double value(int i) {
        return prf[i].value();
    }

    double jaccard() {
        return jaccardSum / jaccardWeight;
    }

    /** The F-betas, in the order of the betas. */
    double[] fBetas() {
        double[] v = new double[betas.length];
        for (int k = 0; k < v.length; k++) {
            v[k] = fBeta[k].value();
        }
        return v;
    }
}
