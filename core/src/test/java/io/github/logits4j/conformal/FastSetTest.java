package io.github.logits4j.conformal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * A set built from the few most probable classes is the set of the fully ordered row: for every score and rule, over
 * peaked and flat rows, rows with ties, tiny and zero probabilities, and quantiles from 0 to past 1.
 */
class FastSetTest {
    @Property(tries = 400)
    void theFastSetIsTheOrderedRowsSet(@ForAll @IntRange(min = 2, max = 300) int classes,
            @ForAll @DoubleRange(min = 0.0, max = 1.2) double q, @ForAll @IntRange(min = 0, max = 4) int shape,
            @ForAll("seed") long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] p = new double[classes];
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            p[c] = switch (shape) {
                case 0 -> Math.exp(3 * rnd.nextGaussian());                  // peaked
                case 1 -> 1.0;                                               // flat: every class tied
                case 2 -> rnd.nextInt(4);                                    // ties and zeros
                case 4 -> Math.exp(0.3 * rnd.nextGaussian());                // unsure: large sets, by selection
                default -> rnd.nextDouble() < 0.3 ? 1e-12 : rnd.nextDouble(); // tiny probabilities
            };
            sum += p[c];
        }
        if (sum == 0) {
            p[0] = 1;
            sum = 1;
        }
        for (int c = 0; c < classes; c++) {
            p[c] /= sum;
        }
        double u = rnd.nextDouble();
        double quantile = q;
        for (ConformityScore score : new ConformityScore[] {ConformityScore.topK(),
            ConformityScore.aps(true, ConformityScore.IncludeLastLabel.TRUE),
            ConformityScore.aps(true, ConformityScore.IncludeLastLabel.FALSE),
            ConformityScore.aps(true, ConformityScore.IncludeLastLabel.RANDOMIZED),
            ConformityScore.raps(0.01, 3, true, ConformityScore.IncludeLastLabel.TRUE),
            ConformityScore.raps(0.002, 1, true, ConformityScore.IncludeLastLabel.FALSE),
            ConformityScore.raps(0.001, 5, true, ConformityScore.IncludeLastLabel.RANDOMIZED)}) {
            if (score instanceof ConformityScore.TopK) {
                quantile = Math.floor(q * classes);
            }
            boolean[] fast = new boolean[classes];
            boolean[] full = new boolean[classes];
            Rows a = new Rows(classes);
            Rows b = new Rows(classes);
            int fastSize = a.fastSet(score, p, 0, quantile, u, fast);
            b.sort(p, 0);
            int fullSize = b.mapieSet(score, p, 0, quantile, u, full);
            assertArrayEquals(full, fast, score.toMap() + " q " + quantile);
            assertEquals(fullSize, fastSize);
            // the scratch is clean for the next row
            assertArrayEquals(full, fast, "again");
            int again = a.fastSet(score, p, 0, quantile, u, fast);
            assertEquals(fullSize, again, score.toMap() + " a second row on the same scratch");
        }
    }

    /** Unsure rows of many classes take the selection path, and it agrees with the ordered row. */
    @Property(tries = 200)
    void largeSetsBySelection(@ForAll @IntRange(min = 50, max = 2000) int classes,
            @ForAll @DoubleRange(min = 0.05, max = 0.99) double q, @ForAll("seed") long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] p = new double[classes];
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            p[c] = Math.exp(0.5 * rnd.nextGaussian());
            sum += p[c];
        }
        for (int c = 0; c < classes; c++) {
            p[c] /= sum;
        }
        Rows a = new Rows(classes);
        Rows b = new Rows(classes);
        boolean[] fast = new boolean[classes];
        boolean[] full = new boolean[classes];
        for (ConformityScore score : new ConformityScore[] {ConformityScore.topK(), ConformityScore.aps(),
            ConformityScore.aps(true, ConformityScore.IncludeLastLabel.RANDOMIZED),
            ConformityScore.raps(0.001, 2, true, ConformityScore.IncludeLastLabel.RANDOMIZED)}) {
            double quantile = score instanceof ConformityScore.TopK ? Math.floor(q * classes) : q;
            int before = a.selections;
            double u = rnd.nextDouble();
            int fastSize = a.fastSet(score, p, 0, quantile, u, fast);
            b.sort(p, 0);
            int fullSize = b.mapieSet(score, p, 0, quantile, u, full);
            assertArrayEquals(full, fast, score.toMap() + " q " + quantile);
            assertEquals(fullSize, fastSize);
            if (fullSize > 10) {
                assertEquals(before + 1, a.selections, "a set of " + fullSize + " classes is found by selection");
            }
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Long> seed() {
        return net.jqwik.api.Arbitraries.longs();
    }
}
