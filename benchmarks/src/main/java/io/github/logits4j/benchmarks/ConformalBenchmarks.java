package io.github.logits4j.benchmarks;

import io.github.logits4j.conformal.ConformalCalibrator;
import io.github.logits4j.conformal.ConformalPredictor;
import io.github.logits4j.conformal.ConformityScore;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Split conformal prediction at scale (issue 24): calibrating 1,000,000 rows of 1,000-class probabilities (streamed
 * in batches of 1,000 rows, as a data set arrives; the scores of one batch reused, so that the time is the
 * calibration's and not the reading's) and taking the quantile, and building one row's set, per score function, on
 * one core.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar ConformalBenchmarks
 * }</pre>
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ConformalBenchmarks {
    static final int CLASSES = 1000;
    static final int BATCH = 1000;
    static final int ROWS = 1_000_000;

    /** The score: {@code raps} is RAPS with lambda 0.01 and k_reg 5 (randomized scores, the crossing class kept). */
    @Param({"lac", "aps", "raps", "top-k"})
    public String score;

    private ConformityScore function() {
        return score.equals("raps") ? ConformityScore.raps(0.01, 5, true, ConformityScore.IncludeLastLabel.TRUE)
                : ConformityScore.parse(score);
    }

    /**
     * The true class's logit lead over 1,000 standard normal logits: 6 leaves it about 0.2 of the mass (sets of
     * hundreds of classes at alpha 0.1), 12 about 0.99 (a confident model: sets of one or a few).
     */
    @Param({"6", "12"})
    public double peak;

    private double[] probabilities;
    private int[] labels;
    private ConformalPredictor predictor;
    private boolean[] inSet;
    private int row;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(24);
        probabilities = new double[BATCH * CLASSES];
        labels = new int[BATCH];
        for (int r = 0; r < BATCH; r++) {
            double sum = 0;
            int hot = rnd.nextInt(CLASSES);
            for (int c = 0; c < CLASSES; c++) {
                double v = Math.exp(rnd.nextGaussian() + (c == hot ? peak : 0));
                probabilities[r * CLASSES + c] = v;
                sum += v;
            }
            for (int c = 0; c < CLASSES; c++) {
                probabilities[r * CLASSES + c] /= sum;
            }
            labels[r] = rnd.nextDouble() < 0.97 ? hot : rnd.nextInt(CLASSES);
        }
        ConformalCalibrator cal = ConformalCalibrator.builder(CLASSES).score(function()).build();
        cal.update(probabilities, BATCH, labels, null);
        predictor = cal.predictor(0.1);
        inSet = new boolean[CLASSES];
    }

    /** Calibrating a million rows of 1,000 classes and taking the quantile at alpha 0.1. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2)
    @Measurement(iterations = 5)
    public double calibrateMillionRows() {
        ConformalCalibrator cal = ConformalCalibrator.builder(CLASSES).score(function()).build();
        for (int done = 0; done < ROWS; done += BATCH) {
            cal.update(probabilities, BATCH, labels, null);
        }
        return cal.predictor(0.1).quantile();
    }

    /**
     * The floor of {@link #calibrateMillionRows}: reading the same million rows once (a sum in four lanes, no
     * checks), what any calibration pays before scoring.
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2)
    @Measurement(iterations = 5)
    public double readMillionRows() {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int done = 0; done < ROWS; done += BATCH) {
            for (int i = 0; i < probabilities.length; i += 4) {
                s0 += probabilities[i];
                s1 += probabilities[i + 1];
                s2 += probabilities[i + 2];
                s3 += probabilities[i + 3];
            }
        }
        return s0 + s1 + s2 + s3;
    }

    /** One row's set of 1,000 classes. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    public int predictOneRow() {
        int r = row++ % BATCH;
        return predictor.predict(probabilities, r * CLASSES, 0.5, inSet);
    }
}
