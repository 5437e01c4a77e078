package io.github.logits4j.decision;

import io.github.logits4j.DenseScores;
import io.github.logits4j.FloatMatrix;
import io.github.logits4j.kernel.Kernels;
import io.github.logits4j.kernel.Parallel;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Top-k selection over rows of scores: the {@code k} highest scores of each row with their class indices, in
 * descending order, ties broken toward the LOWER class index (always; {@code torch.topk} leaves tie order unspecified).
 * A bounded heap makes it {@code O(C log k)} per row with no full sort and no allocation.
 *
 * <pre>{@code
 * int[] classes = new int[rows * 5];
 * float[] scores = new float[rows * 5];
 * TopK.into(probabilities, 5, classes, scores);   // row r's best class is classes[r * 5]
 * int[] top3 = TopK.of(probabilities, 3);      // a new [rows x 3] array
 * TopK.into(denseProbabilities, 3, perPosition, perPositionScores);   // [N, d.., 3] along the class axis
 * }</pre>
 *
 * <p>Infinities rank as numbers; a NaN score is an {@link IllegalArgumentException} naming its row and column, since
 * no order can place it. Stateless and safe for concurrent use.
 */
public final class TopK {
    private static final Kernels KERNELS = Kernels.get();
    /** Elements below which a parallel selection stays on one thread. */
    private static final int PARALLEL_MIN_ELEMENTS = 1 << 16;

    private TopK() {
    }

    /** The top-{@code k} class indices of every row, a new row-major {@code [rows × k]} array. */
    public static int[] of(FloatMatrix scores, int k) {
        int[] out = new int[scores.rows() * checkK(k, scores.cols())];
        into(scores, k, out, null);
        return out;
    }

    /**
     * Writes the top-{@code k} class indices (and, if {@code values} is not null, their scores) of every row into
     * row-major {@code [rows × k]} arrays.
     *
     * @throws IllegalArgumentException if {@code k} is not in {@code [1, cols]}, an output array is shorter than
     *     {@code rows * k}, or a score is NaN
     */
    public static void into(FloatMatrix scores, int k, int[] indices, float @Nullable [] values) {
        into(scores, k, indices, values, 1);
    }

    /**
     * {@link #into(FloatMatrix, int, int[], float[])} on up to {@code parallelism} threads (the calling one and the
     * common fork-join pool), each on a contiguous range of rows: the same output as one thread, and the same error
     * (the first NaN in row order).
     *
     * @throws IllegalArgumentException as the four-argument form, or if {@code parallelism < 1}
     */
    public static void into(FloatMatrix scores, int k, int[] indices, float @Nullable [] values,
            int parallelism) {
        Parallel.check(parallelism);
        Objects.requireNonNull(indices, "indices");
        int rows = scores.rows();
        int cols = scores.cols();
        checkK(k, cols);
        long needed = (long) rows * k;
        if (indices.length < needed || (values != null && values.length < needed)) {
            throw new IllegalArgumentException("output arrays hold " + indices.length
                    + (values != null ? " and " + values.length : "") + " elements; expected at least rows * k = "
                    + rows + " * " + k + " = " + needed);
        }
        if (parallelism == 1) {
            selectRows(scores, k, indices, values, 0, rows);          // no task, no lambda: nothing allocated
        } else {
            Parallel.forRanges(parallelism, rows, Math.max(1, PARALLEL_MIN_ELEMENTS / cols),
                    (from, to) -> selectRows(scores, k, indices, values, from, to));
        }
    }

    /** Rows {@code [from, to)} of {@link #into(FloatMatrix, int, int[], float[], int)}. */
    private static void selectRows(FloatMatrix scores, int k, int[] indices, float[] values, int from, int to) {
        int cols = scores.cols();
        float[] scratch = scores.hasArray() ? null : new float[cols];
        for (int r = from; r < to; r++) {
            float[] x = scores.row(r, scratch);
            int off = scores.rowOffset(r);
            selectRow(x, off, cols, k, indices, r * k, r);
            if (values != null) {
                for (int j = 0; j < k; j++) {
                    values[r * k + j] = x[off + indices[r * k + j]];
                }
            }
        }
    }

    /**
     * Writes the top-{@code k} classes along the class axis of every position of {@code scores} (and, if
     * {@code values} is not null, their scores) into row-major {@code [N, d1..dk, k]} arrays: position by position
     * the rows {@link #into(FloatMatrix, int, int[], float[])} would give, without transposing the tensor.
     *
     * @throws IllegalArgumentException if {@code k} is not in {@code [1, C]}, an output array is shorter than
     *     {@code N * positions * k}, or a score is NaN (naming its sample, position and class)
     */
    public static void into(DenseScores scores, int k, int[] indices, float @Nullable [] values) {
        Objects.requireNonNull(indices, "indices");
        int c = scores.classes();
        int p = scores.positions();
        checkK(k, c);
        long needed = scores.rows() * k;
        if (indices.length < needed || (values != null && values.length < needed)) {
            throw new IllegalArgumentException("output arrays hold " + indices.length
                    + (values != null ? " and " + values.length : "") + " elements; expected at least N * positions"
                    + " * k = " + scores.rows() + " * " + k + " = " + needed);
        }
        int tile = DenseScores.tilePositions(c);
        float[] rows = new float[tile * c];
        for (int n = 0; n < scores.samples(); n++) {
            for (int from = 0; from < p; from += tile) {
                int count = Math.min(tile, p - from);
                scores.gather(n, from, count, rows);
                for (int t = 0; t < count; t++) {
                    int h = (n * p + from + t) * k;
                    try {
                        selectRow(rows, t * c, c, k, indices, h, -1);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("sample " + n + ", position " + (from + t) + ": "
                                + e.getMessage().replace("column", "class"), e);
                    }
                    if (values != null) {
                        for (int j = 0; j < k; j++) {
                            values[h + j] = rows[t * c + indices[h + j]];
                        }
                    }
                }
            }
        }
    }

    /**
     * Writes the top-{@code k} class indices of one row {@code x[off .. off+n)} into
     * {@code out[outOff .. outOff+k)}, best first.
     *
     * @throws IllegalArgumentException if {@code k} is not in {@code [1, n]} or a score is NaN
     */
    public static void ofRow(float[] x, int off, int n, int k, int[] out, int outOff) {
        checkK(k, n);
        selectRow(x, off, n, k, out, outOff, -1);
    }

    static int checkK(int k, int cols) {
        if (k < 1 || k > cols) {
            throw new IllegalArgumentException("k is " + k + "; expected 1 <= k <= " + cols + " (the number of classes)");
        }
        return k;
    }

    /** Bounded min-heap of the k best in out[h .. h+k): the worst kept candidate sits at the root. */
    private static void selectRow(float[] x, int off, int n, int k, int[] out, int h, int row) {
        for (int i = 0; i < k; i++) {
            checkNotNaN(x[off + i], row, i);
            out[h + i] = i;
        }
        for (int i = k / 2 - 1; i >= 0; i--) {
            siftDown(x, off, out, h, i, k);
        }
        // Indices arrive in increasing order, so an equal score never displaces a kept lower index: only a value
        // above the worst kept one (or NaN, which is refused) stops the scan. A value below the kernels' bound (that
        // k values of the row reach) cannot be kept, so the scan passes over it too: it stops at values >= bound.
        float atLeast = Math.nextDown(KERNELS.topKBound(x, off, n, k));
        for (int i = off + k, end = off + n;
                (i = KERNELS.firstAboveOrNaN(x, i, end, Math.max(x[off + out[h]], atLeast))) < end; i++) {
            checkNotNaN(x[i], row, i - off);
            out[h] = i - off;
            siftDown(x, off, out, h, 0, k);
        }
        // Heap sort in place: moving the worst to the end leaves the best first.
        for (int end = k - 1; end > 0; end--) {
            int t = out[h];
            out[h] = out[h + end];
            out[h + end] = t;
            siftDown(x, off, out, h, 0, end);
        }
    }

    /** Whether class a ranks below class b: a lower score, or an equal score and a higher index. */
    private static boolean worse(float[] x, int off, int a, int b) {
        float va = x[off + a];
        float vb = x[off + b];
        return va < vb || (va == vb && a > b);
    }

    private static void siftDown(float[] x, int off, int[] heap, int h, int i, int size) {
        int item = heap[h + i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && worse(x, off, heap[h + child + 1], heap[h + child])) {
                child++;
            }
            if (!worse(x, off, heap[h + child], item)) {
                break;
            }
            heap[h + i] = heap[h + child];
            i = child;
        }
        heap[h + i] = item;
    }

    private static void checkNotNaN(float v, int row, int col) {
        if (Float.isNaN(v)) {
            throw new IllegalArgumentException("score at " + (row >= 0 ? "row " + row + ", " : "") + "column " + col
                    + " is NaN; expected a number (top-k cannot rank NaN)");
        }
    }
}
