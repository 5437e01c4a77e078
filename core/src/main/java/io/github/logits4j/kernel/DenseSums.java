package io.github.logits4j.kernel;

/**
 * The log-sum-exp of many positions of class-first dense scores at once (class {@code c} of position {@code t} at
 * {@code x[base + c * stride + t]}), a vector of positions at a time along each class, with each position's sum in
 * the canonical order of a row sum ({@link FloatMath}): so a position's log-sum-exp is, bit for bit, what
 * {@link Kernels#logSumExpShifted} gives its row, without gathering the row. Internal to logits4j; not thread-safe:
 * one per thread (it holds the scratch of a tile of positions).
 *
 * <pre>{@code
 * DenseSums sums = new DenseSums(Kernels.get(), 1024);
 * sums.logSumExp(x, base, positions, classes, count, max, lse);   // max[t] and lse[t] for t in [0, count)
 * }</pre>
 */
public final class DenseSums {
    private final Kernels kernels;
    private final int capacity;
    /** The 16 canonical lanes of each position: lane l of position t at {@code lanes[l * capacity + t]}. */
    private final float[] lanes;
    private final float[] terms;
    private final double[] sums;

    /**
     * Scratch for up to {@code capacity} positions at a time.
     *
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    public DenseSums(Kernels kernels, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity is " + capacity + "; expected at least 1");
        }
        this.kernels = kernels;
        this.capacity = capacity;
        this.lanes = new float[FloatMath.LANES * capacity];
        this.terms = new float[capacity];
        this.sums = new double[capacity];
    }

    /** The most positions one call takes. */
    public int capacity() {
        return capacity;
    }

    /**
     * For each of {@code count} positions: {@code max[t]}, the maximum of its {@code classes} scores (NaN if one is
     * NaN), and {@code lse[t] = log(sum_c exp(x_c - max[t]))}, summed as a row sum is.
     *
     * @throws IllegalArgumentException if {@code count} exceeds the capacity
     */
    public void logSumExp(float[] x, int base, int stride, int classes, int count, float[] max, double[] lse) {
        if (count > capacity) {
            throw new IllegalArgumentException(count + " positions; this scratch holds " + capacity);
        }
        kernels.maxTile(x, base, stride, classes, max, count);
        java.util.Arrays.fill(sums, 0, count, 0.0);
        if (classes < FloatMath.LANES) {
            // a short row: each term added to the double in order
            for (int c = 0; c < classes; c++) {
                java.util.Arrays.fill(terms, 0, count, 0f);        // exp + 0 is exp, bit for bit
                kernels.expShiftedAdd(x, base + c * stride, max, terms, 0, count);
                for (int t = 0; t < count; t++) {
                    sums[t] += terms[t];
                }
            }
        } else {
            int full = classes - classes % FloatMath.LANES;
            int end = classes % FloatMath.LANES == 0 ? classes : full + FloatMath.LANES;
            for (int start = 0; start < end; start += FloatMath.LANES * FloatMath.FOLD) {
                int stop = Math.min(end, start + FloatMath.LANES * FloatMath.FOLD);
                java.util.Arrays.fill(lanes, 0, FloatMath.LANES * capacity, 0f);
                for (int i = start; i < stop; i++) {
                    // index i of the canonical sequence: a whole block's element, or the window of the last 16
                    int c = i < full ? i : i - full + classes - FloatMath.LANES;
                    if (i >= full && c < full) {
                        continue;                       // the window's lanes that an earlier block holds: 0
                    }
                    kernels.expShiftedAdd(x, base + c * stride, max, lanes, (i % FloatMath.LANES) * capacity, count);
                }
                fold(count);
            }
        }
        for (int t = 0; t < count; t++) {
            lse[t] = Math.log(sums[t]);
        }
    }

    /** Adds each position's 16 lanes, by the canonical tree, to its double sum. */
    private void fold(int count) {
        kernels.treeLanes(lanes, capacity, terms, count);
        for (int t = 0; t < count; t++) {
            sums[t] += terms[t];
        }
    }
}
