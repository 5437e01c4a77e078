package io.github.logits4j.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Opt-in parallelism over rows, shared by activations, losses, metrics and evaluation: {@code [0, n)} is cut into at
 * most {@code parallelism} contiguous ranges, the first run on the calling thread and the others on the common
 * {@link ForkJoinPool}. Callers keep their results identical to one thread by writing per-row (or per-class) values
 * that a single thread then combines in order; an exception is rethrown from the first range, in row order, that
 * failed, so the error a caller sees is the one a single thread would have met first.
 *
 * <pre>{@code
 * double[] each = new double[rows];
 * Parallel.forRanges(parallelism, rows, 256, (from, to) -> {
 *     for (int r = from; r < to; r++) {
 *         each[r] = rowLoss(r);
 *     }
 * });
 * }</pre>
 *
 * <p>Part of logits4j's internal numeric layer (see {@link Kernels}).
 */
public final class Parallel {
    private Parallel() {
    }

    /** The work on one range {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        /** Processes {@code [from, to)}. */
        void run(int from, int to);
    }

    /**
     * Checks a parallelism setting: at least 1.
     *
     * @throws IllegalArgumentException otherwise, naming the value
     */
    public static int check(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism is " + parallelism + "; expected at least 1 (1 runs on"
                    + " the calling thread only)");
        }
        return parallelism;
    }

    /**
     * Runs {@code body} over {@code [0, n)} in at most {@code parallelism} contiguous ranges of at least
     * {@code minRange} (so small inputs stay on the calling thread), and waits for all of them.
     *
     * @throws RuntimeException or {@link Error} the first range (in order) threw
     */
    public static void forRanges(int parallelism, int n, int minRange, Range body) {
        int ranges = (int) Math.min(parallelism, Math.max(1, n / (long) Math.max(1, minRange)));
        if (ranges <= 1) {
            body.run(0, n);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[ranges];
        for (int k = 1; k < ranges; k++) {
            int from = bound(n, ranges, k);
            int to = bound(n, ranges, k + 1);
            tasks[k] = ForkJoinPool.commonPool().submit(() -> body.run(from, to));
        }
        Throwable first = null;
        try {
            body.run(0, bound(n, ranges, 1));
        } catch (RuntimeException | Error e) {
            first = e;
        }
        for (int k = 1; k < ranges; k++) {
            try {
                tasks[k].join();
            } catch (RuntimeException | Error e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first instanceof RuntimeException r) {
            throw unwrap(r);
        } else if (first instanceof Error e) {
            throw e;
        }
    }

    /** The start of range {@code k} of {@code ranges} over {@code n}. */
    private static int bound(int n, int ranges, int k) {
        return (int) ((long) n * k / ranges);
    }

    /**
     * A task's exception as it was thrown: {@link ForkJoinTask#join} may rethrow a copy whose cause is the original,
     * so the caller sees the original type and message either way.
     */
    private static RuntimeException unwrap(RuntimeException e) {
        Throwable c = e.getCause();
        if (c instanceof RuntimeException r && c.getClass() == e.getClass()) {
            return r;
        }
        return e;
    }
}
