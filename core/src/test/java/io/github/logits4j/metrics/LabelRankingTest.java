package io.github.logits4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link LabelRanking}'s one-walk row metrics against their pairwise definitions (scikit-learn's, which
 * MetricsGoldenTest checks against scikit-learn's numbers): label ranking average precision, ranking loss, coverage
 * error, the row's AUC and average precision, bit for bit, on rows with many ties, every label count from 2 to 40
 * (past the insertion sort's 32), every weight.
 */
class LabelRankingTest {

    @Test
    void theGroupWalkEqualsThePairwiseDefinitionsBitForBit() {
        SplittableRandom random = new SplittableRandom(17);
        for (int labels = 2; labels <= 40; labels++) {
            LabelRanking ranking = new LabelRanking(labels, labels);
            double[] expected = new double[5];
            double[] p = new double[labels + 3];
            int[] y = new int[labels + 3];
            for (int row = 0; row < 300; row++) {
                for (int l = 0; l < p.length; l++) {
                    p[l] = random.nextInt(3) == 0 ? random.nextInt(5) / 4.0 : random.nextDouble();   // ties
                    y[l] = random.nextInt(3) == 0 ? 1 : 0;
                }
                int relevant = 0;
                for (int l = 0; l < labels; l++) {
                    relevant += y[2 + l];
                }
                double w = row % 7 == 0 ? 0.0 : 0.25 + random.nextDouble();
                ranking.add(p, 2, y, 2, relevant, w);
                pairwise(p, 2, y, 2, labels, relevant, w, expected);
            }
            String at = labels + " labels";
            assertEquals(Double.doubleToRawLongBits(expected[0]), Double.doubleToRawLongBits(ranking.lrapSum), at);
            assertEquals(Double.doubleToRawLongBits(expected[1]), Double.doubleToRawLongBits(ranking.rankingLossSum),
                    at);
            assertEquals(Double.doubleToRawLongBits(expected[2]), Double.doubleToRawLongBits(ranking.coverageSum), at);
            assertEquals(Double.doubleToRawLongBits(expected[3]), Double.doubleToRawLongBits(ranking.aucSamplesSum),
                    at);
            assertEquals(Double.doubleToRawLongBits(expected[4]), Double.doubleToRawLongBits(ranking.apSamplesSum),
                    at);
        }
    }

    /** The definitions pair by pair, in label order: sums into {@code sums} (LRAP, loss, coverage, AUC, AP). */
    private static void pairwise(double[] p, int off, int[] y, int yOff, int labels, int relevant, double w,
            double[] sums) {
        double lrap;
        double loss;
        double auc;
        if (relevant == 0 || relevant == labels) {
            lrap = 1.0;
            loss = 0.0;
            auc = Double.NaN;
        } else {
            double precisionSum = 0.0;
            double wrongPairs = 0.0;
            double twiceU = 0.0;
            for (int j = 0; j < labels; j++) {
                if (y[yOff + j] != 1) {
                    continue;
                }
                int atLeast = 0;
                int relevantAtLeast = 0;
                for (int k = 0; k < labels; k++) {
                    if (p[off + k] >= p[off + j]) {
                        atLeast++;
                        if (y[yOff + k] == 1) {
                            relevantAtLeast++;
                        } else {
                            wrongPairs++;
                        }
                    }
                    if (y[yOff + k] != 1) {
                        twiceU += p[off + k] < p[off + j] ? 2.0 : p[off + k] == p[off + j] ? 1.0 : 0.0;
                    }
                }
                precisionSum += (double) relevantAtLeast / atLeast;
            }
            lrap = precisionSum / relevant;
            loss = wrongPairs / ((double) relevant * (labels - relevant));
            auc = twiceU / (2.0 * relevant * (labels - relevant));
        }
        double coverage = 0.0;
        if (relevant > 0) {
            double minRelevant = Double.POSITIVE_INFINITY;
            for (int l = 0; l < labels; l++) {
                if (y[yOff + l] == 1) {
                    minRelevant = Math.min(minRelevant, p[off + l]);
                }
            }
            for (int l = 0; l < labels; l++) {
                if (p[off + l] >= minRelevant) {
                    coverage++;
                }
            }
        }
        sums[0] += w * lrap;
        sums[1] += w * loss;
        sums[2] += w * coverage;
        sums[3] += w == 0.0 ? 0.0 : w * auc;
        sums[4] += w * (relevant == 0 ? 0.0 : relevant == labels ? 1.0 : lrap);     // the row's AP: LRAP's terms
    }
}
