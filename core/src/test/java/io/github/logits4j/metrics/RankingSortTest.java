package io.github.logits4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The unweighted exact ROC AUC and average precision (positives and negatives sorted apart as primitive arrays) equal
 * the indirect stable sort's to the last bit, with ties, signed zeros, one class, and every size up to 2,000.
 */
class RankingSortTest {

    @Test
    void primitiveSortsGiveTheIndirectSortsResultsBitForBit() {
        Random r = new Random(8);
        for (int t = 0; t < 400; t++) {
            int n = 1 + r.nextInt(t < 200 ? 20 : 2000);
            double[] score = new double[n];
            boolean[] positive = new boolean[n];
            int levels = 1 + r.nextInt(t % 3 == 0 ? 4 : 1000);          // few levels: many ties
            double share = r.nextDouble();
            for (int i = 0; i < n; i++) {
                score[i] = r.nextInt(levels) / (double) levels;
                if (score[i] == 0.0 && r.nextBoolean()) {
                    score[i] = -0.0;
                }
                positive[i] = r.nextDouble() < share;
            }
            double[] ones = new double[n];
            Arrays.fill(ones, 1.0);
            double[] fast = new double[4];
            double[] indirect = new double[4];
            Ranking.exact(score, positive, null, n, fast);
            Ranking.exact(score, positive, ones, n, indirect);
            assertEquals(Double.doubleToLongBits(indirect[Ranking.AUC]), Double.doubleToLongBits(fast[Ranking.AUC]),
                    "AUC, case " + t);
            assertEquals(Double.doubleToLongBits(indirect[Ranking.AP]), Double.doubleToLongBits(fast[Ranking.AP]),
                    "AP, case " + t);
        }
    }

    @Test
    void oneSortPerClassGivesTheRowByRowOneVsRestAndOneVsOneAucs() {
        Random r = new Random(31);
        for (int t = 0; t < 60; t++) {
            int classes = 2 + r.nextInt(t < 50 ? 6 : 80);
            int n = 1 + r.nextInt(600);
            int levels = 1 + r.nextInt(t % 2 == 0 ? 5 : 200);
            float[] p = new float[n * classes];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = r.nextInt(t % 5 == 0 ? Math.max(1, classes - 1) : classes);      // sometimes a class is absent
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    p[i * classes + c] = 1 + r.nextInt(levels);
                    sum += p[i * classes + c];
                }
                for (int c = 0; c < classes; c++) {
                    p[i * classes + c] = (float) (p[i * classes + c] / sum);
                }
            }
            double[] ones = new double[n];
            Arrays.fill(ones, 1.0);
            MulticlassMetrics fast = MulticlassMetrics.builder(classes).build();
            MulticlassMetrics rowByRow = MulticlassMetrics.builder(classes).build();
            io.github.logits4j.FloatMatrix m = io.github.logits4j.FloatMatrix.wrap(p, n, classes);
            fast.update(m, y);
            rowByRow.update(m, y, ones);
            MulticlassReport a = fast.result();
            MulticlassReport b = rowByRow.result();
            for (Average avg : new Average[] {Average.MACRO, Average.WEIGHTED}) {
                assertEquals(Double.doubleToLongBits(b.rocAucOvr(avg)), Double.doubleToLongBits(a.rocAucOvr(avg)),
                        "ovr " + avg + ", case " + t);
                assertEquals(Double.doubleToLongBits(b.rocAucOvo(avg)), Double.doubleToLongBits(a.rocAucOvo(avg)),
                        "ovo " + avg + ", case " + t);
            }
        }
    }

    @Test
    void radixSortOrdersAsArraysSortBitForBit() {
        Random r = new Random(77);
        double[] specials = {0.0, -0.0, 1.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, 1e-300, 0.5};
        for (int t = 0; t < 50; t++) {
            int n = Ranking.RADIX_MIN + r.nextInt(t < 30 ? 3000 : 200_000);
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = switch (t % 5) {
                    case 0 -> r.nextDouble();                                   // probabilities
                    case 1 -> r.nextInt(7) / 6.0;                               // a few levels: ties
                    case 2 -> specials[r.nextInt(specials.length)];
                    case 3 -> r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20);
                    // values sharing their top 33 bits in runs short and long: ordered by their low bits
                    default -> (r.nextBoolean() ? 0.5 : -0.25) + r.nextInt(t < 30 ? 3 : 40) * 1e-6
                            + r.nextInt(1000) * 1e-13;
                };
            }
            double[] expected = a.clone();
            Arrays.sort(expected);
            Ranking.sort(a, t % 2 == 0 ? null : new double[n + 3]);
            for (int i = 0; i < n; i++) {
                assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(a[i]),
                        "case " + t + ", index " + i + " of " + n);
            }
        }
    }

    @Test
    void averagePrecisionFromSortedListsEqualsTheWalkBitForBit() {
        Random r = new Random(55);
        for (int t = 0; t < 300; t++) {
            int lists = 1 + r.nextInt(6);
            int levels = 1 + r.nextInt(t % 2 == 0 ? 4 : 500);
            double[][] byLabel = new double[lists][];
            for (int l = 0; l < lists; l++) {
                byLabel[l] = new double[r.nextInt(t < 100 ? 8 : 400)];
                for (int i = 0; i < byLabel[l].length; i++) {
                    byLabel[l][i] = r.nextInt(levels) / (double) levels;
                }
                Arrays.sort(byLabel[l]);
            }
            int c = r.nextInt(lists);
            int n = 0;
            for (double[] list : byLabel) {
                n += list.length;
            }
            double[] score = new double[n];
            boolean[] positive = new boolean[n];
            for (int l = 0, at = 0; l < lists; l++) {
                for (double v : byLabel[l]) {
                    score[at] = v;
                    positive[at++] = l == c;
                }
            }
            double[] walk = new double[4];
            Ranking.exact(score, positive, null, n, walk);
            long[] atOrAbove = new long[byLabel[c].length];
            for (int l = 0; l < lists; l++) {
                if (l != c) {
                    Ranking.twiceMannWhitney(byLabel[c], byLabel[l], atOrAbove);
                }
            }
            assertEquals(Double.doubleToLongBits(walk[Ranking.AP]),
                    Double.doubleToLongBits(Ranking.averagePrecision(byLabel[c], atOrAbove)), "riding, case " + t);
        }
    }
}
