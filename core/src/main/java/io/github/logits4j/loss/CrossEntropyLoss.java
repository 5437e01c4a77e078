package io.github.logits4j.loss;

import io.github.logits4j.DenseScores;
import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;
import io.github.logits4j.kernel.Checks;
import io.github.logits4j.kernel.DenseSums;
import io.github.logits4j.kernel.Kernels;
import io.github.logits4j.kernel.Parallel;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Multi-class cross-entropy, as {@code torch.nn.functional.cross_entropy}: class-index or probability targets, class
 * weights, an ignore index, label smoothing and a reduction, over logits (the default), probabilities or
 * log-probabilities. Keras 3's {@code categorical_crossentropy} / {@code sparse_categorical_crossentropy} are
 * selectable with {@link Semantics#KERAS}.
 *
 * <pre>{@code
 * CrossEntropyLoss ce = CrossEntropyLoss.builder()
 *         .classWeights(new double[] {1.0, 2.0, 0.5})
 *         .labelSmoothing(0.1)
 *         .build();                                   // logits in, mean reduction
 * double loss = ce.compute(logits, new int[] {0, 2, 1});
 * double[] perSample = ce.computeEach(logits, new int[] {0, 2, 1});
 * }</pre>
 *
 * <p><b>Definition</b> (ls = log-probabilities of the input, w = class weights, eps = label smoothing, C = classes).
 * Class-index targets: {@code l_n = -(1-eps) w[y_n] ls[n,y_n] - (eps/C) sum_c w_c ls[n,c]}, 0 where
 * {@code y_n == ignoreIndex}; MEAN divides the sum by {@code sum_n w[y_n]} over the non-ignored rows (their count
 * when unweighted). Probability targets: {@code t' = t(1-eps) + eps/C}, {@code l_n = -sum_c w_c t'[n,c] ls[n,c]};
 * MEAN divides by N. An empty batch, or one whose targets are all ignored, has MEAN NaN and SUM 0.
 *
 * <p><b>Input kinds.</b> Logits: {@code ls = log_softmax(x)}. Log-probabilities: {@code ls = x} (NLL). Probabilities
 * (PyTorch semantics): {@code ls = max(log p, -100)}, the clamp PyTorch's binary cross-entropy uses; probabilities
 * must lie in [0, 1]. Under {@link Semantics#KERAS} probabilities are renormalised per row, clipped to
 * {@code [1e-7, 1 - 1e-7]} in float32, then logged, as Keras 3 does; Keras semantics take neither class weights nor
 * an ignore index. On the same data all input kinds give the same loss wherever no clamp or clip applies.
 *
 * <p>Non-finite logits follow PyTorch (NaN or +inf in a row gives NaN; -inf on the target gives +inf). Instances are
 * immutable and safe to share between threads.
 */
public final class CrossEntropyLoss {
    private static final Kernels KERNELS = Kernels.get();

    private final OutputKind input;
    private final double[] classWeights;
    private final int ignoreIndex;
    private final boolean hasIgnoreIndex;
    private final double labelSmoothing;
    private final Reduction reduction;
    private final Semantics semantics;
    private final int parallelism;
    /** Elements below which a parallel loss stays on one thread. */
    private static final int PARALLEL_MIN_ELEMENTS = 1 << 16;

    private CrossEntropyLoss(Builder b) {
        this.input = b.input;
        this.classWeights = b.classWeights;
        this.ignoreIndex = b.ignoreIndex;
        this.hasIgnoreIndex = b.semantics == Semantics.PYTORCH;
        this.labelSmoothing = b.labelSmoothing;
        this.reduction = b.reduction;
        this.semantics = b.semantics;
        this.parallelism = b.parallelism;
    }

    /** A builder with PyTorch's defaults: logits, no weights, ignore index -100, no smoothing, MEAN. */
    public static Builder builder() {
        return new Builder();
    }

    /** Cross-entropy over logits with PyTorch's defaults. */
    public static CrossEntropyLoss ofLogits() {
        return builder().build();
    }

    /** The kind of input this loss reads. */
    public OutputKind input() {
        return input;
    }

    /** The reduction {@link #compute} applies. */
    public Reduction reduction() {
        return reduction;
    }

    /** The semantics this loss follows. */
    public Semantics semantics() {
        return semantics;
    }

    /** The label smoothing, in [0, 1]. */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    /** The ignore index (PyTorch semantics only). */
    public int ignoreIndex() {
        return ignoreIndex;
    }

    /** A copy of the class weights, or null when unweighted. */
    public double @Nullable [] classWeights() {
        return classWeights == null ? null : classWeights.clone();
    }

    /**
     * The reduced loss for class-index targets.
     *
     * @param scores {@code [N × C]} input of this loss's {@link #input() kind}
     * @param targets N class indices in {@code [0, C)} (or the ignore index)
     * @throws IllegalArgumentException if a target is out of range, the targets do not match the rows, the class
     *     weights do not match the columns, or a probability input lies outside [0, 1] (naming row and column)
     * @throws IllegalStateException if the reduction is {@link Reduction#NONE}
     */
    public double compute(FloatMatrix scores, int[] targets) {
        double[] sums = evaluate(scores, targets, null);
        return LossMath.reduce(reduction, sums[0], sums[1]);
    }

    /** The per-sample losses for class-index targets (0 for ignored rows), whatever the reduction. */
    public double[] computeEach(FloatMatrix scores, int[] targets) {
        double[] out = new double[scores.rows()];
        evaluate(scores, targets, out);
        return out;
    }

    /**
     * The reduced loss for probability targets (soft labels, one-hot rows), {@code [N × C]} like {@code scores}.
     *
     * @throws IllegalArgumentException if the shapes differ, a target is outside [0, 1], or a probability input lies
     *     outside [0, 1]
     * @throws IllegalStateException if the reduction is {@link Reduction#NONE}
     */
    public double compute(FloatMatrix scores, FloatMatrix targets) {
        double[] sums = evaluate(scores, targets, null);
        return LossMath.reduce(reduction, sums[0], sums[1]);
    }

    /** The per-sample losses for probability targets, whatever the reduction. */
    public double[] computeEach(FloatMatrix scores, FloatMatrix targets) {
        double[] out = new double[scores.rows()];
        evaluate(scores, targets, out);
        return out;
    }

    /**
     * The reduced loss over dense scores ({@code [N, C, d1..dk]} or {@code [N, d1..dk, C]}), as
     * {@code F.cross_entropy} on K-dimensional input: one class index per position, {@code targets} row-major
     * {@code [N, d1..dk]} ({@link DenseScores#rows()} of them); MEAN divides by the weight of the non-ignored positions
     * (their count when unweighted), e.g. over a segmentation mask's labelled pixels with 255 ignored.
     *
     * <pre>{@code
     * double loss = CrossEntropyLoss.builder().ignoreIndex(255).build().compute(masks, labels);
     * }</pre>
     *
     * @throws IllegalArgumentException naming the sample and position of a target out of range, or if the targets
     *     do not match the positions or the class weights the classes
     * @throws IllegalStateException if the reduction is {@link Reduction#NONE}
     */
    public double compute(DenseScores scores, int[] targets) {
        double[] sums = evaluate(scores, targets, null);
        return LossMath.reduce(reduction, sums[0], sums[1]);
    }

    /**
     * The loss at every position (0 where ignored), row-major {@code [N, d1..dk]}: PyTorch's
     * {@code reduction='none'}.
     */
    public double[] computeEach(DenseScores scores, int[] targets) {
        double[] out = new double[Math.toIntExact(scores.rows())];
        evaluate(scores, targets, out);
        return out;
    }

    private double[] evaluate(DenseScores scores, int[] targets, double @Nullable [] each) {
        Objects.requireNonNull(targets, "targets");
        int c = scores.classes();
        int p = scores.positions();
        if (targets.length != scores.rows()) {
            throw new IllegalArgumentException("targets has " + targets.length + " entries; expected "
                    + scores.rows() + ", one per position of " + scores);
        }
        if (classWeights != null) {
            Checks.requireLength(classWeights, c, "class weights");
        }
        for (int i = 0; i < targets.length; i++) {
            int t = targets[i];
            if ((t < 0 || t >= c) && !(hasIgnoreIndex && t == ignoreIndex)) {
                throw new IllegalArgumentException("target at sample " + i / p + ", position " + i % p + " is " + t
                        + "; expected a class index in [0, " + (c - 1) + "]" + (hasIgnoreIndex ? " or the ignore index "
                        + ignoreIndex : ""));
            }
        }
        if (input == OutputKind.LOGITS && semantics == Semantics.PYTORCH
                && scores.classAxis() == DenseScores.ClassAxis.FIRST) {
            return classFirstLogits(scores, targets, each);
        }
        int tile = DenseScores.tilePositions(c);
        float[] x = new float[tile * c];
        int[] t = new int[tile];
        double[] part = each == null ? null : new double[tile];
        double[] sums = new double[2];
        double sum = 0.0;
        double divisor = 0.0;
        for (int n = 0; n < scores.samples(); n++) {
            for (int from = 0; from < p; from += tile) {
                int count = Math.min(tile, p - from);
                scores.gather(n, from, count, x);
                FloatMatrix rows = FloatMatrix.wrap(x, 0, count, c);
                if (input == OutputKind.PROBABILITIES
                        && KERNELS.firstNotProbability(x, 0, count * c) < count * c) {
                    Checks.requireProbabilities(scores, "input");       // names the sample, position and class
                }
                System.arraycopy(targets, n * p + from, t, 0, count);
                rowLosses(rows, t, 0, count, part, sums);
                sum += sums[0];
                divisor += sums[1];
                if (each != null) {
                    System.arraycopy(part, 0, each, n * p + from, count);
                }
            }
        }
        return new double[] {sum, divisor};
    }

    /**
     * Cross-entropy of class-first logits without transposing them: a tile of positions at a time, the maxima and
     * log-sum-exps of all its positions together ({@link DenseSums}: each, bit for bit, its row's), then each position's
     * loss by the row formula ({@code -(1-eps) w[y] ls[y] - (eps/C) sum_c w_c ls[c]}, {@code ls[c] = (x_c - max) -
     * lse}). A buffer-backed view is copied a tile at a time, class by class.
     */
    private double[] classFirstLogits(DenseScores scores, int[] targets, double @Nullable [] each) {
        int c = scores.classes();
        int p = scores.positions();
        int tile = Math.min(p, 1024);
        DenseSums sums = new DenseSums(KERNELS, tile);
        float[] max = new float[tile];
        double[] lse = new double[tile];
        double[] smooth = labelSmoothing == 0.0 ? null : new double[tile];
        boolean array = scores.hasArray();
        float[] copy = array ? null : new float[tile * c];
        FloatMatrix samples = scores.sampleMatrix();
        double keep = 1.0 - labelSmoothing;
        double spread = labelSmoothing / c;
        double sum = 0.0;
        double divisor = 0.0;
        for (int n = 0; n < scores.samples(); n++) {
            for (int from = 0; from < p; from += tile) {
                int count = Math.min(tile, p - from);
                float[] x;
                int base;
                int stride;
                if (array) {
                    x = samples.array();
                    base = samples.rowOffset(n) + from;
                    stride = p;
                } else {
                    for (int k = 0; k < c; k++) {
                        samples.copyTo(n, k * p + from, copy, k * count, count);
                    }
                    x = copy;
                    base = 0;
                    stride = count;
                }
                sums.logSumExp(x, base, stride, c, count, max, lse);
                if (smooth != null) {
                    java.util.Arrays.fill(smooth, 0, count, 0.0);
                    for (int k = 0; k < c; k++) {
                        double wk = classWeights == null ? 1.0 : classWeights[k];
                        int off = base + k * stride;
                        for (int t = 0; t < count; t++) {
                            smooth[t] -= wk * ((x[off + t] - (double) max[t]) - lse[t]);
                        }
                    }
                }
                for (int t = 0; t < count; t++) {
                    int at = n * p + from + t;
                    int y = targets[at];
                    if (hasIgnoreIndex && y == ignoreIndex) {
                        if (each != null) {
                            each[at] = 0.0;
                        }
                        continue;
                    }
                    double wt = classWeights == null ? 1.0 : classWeights[y];
                    double loss = -keep * wt * ((x[base + y * stride + t] - (double) max[t]) - lse[t]);
                    if (smooth != null) {
                        loss += spread * smooth[t];
                    }
                    if (each != null) {
                        each[at] = loss;
                    }
                    sum += loss;
                    divisor += wt;
                }
            }
        }
        return new double[] {sum, divisor};
    }

    private void checkScores(FloatMatrix scores) {
        if (classWeights != null) {
            Checks.requireLength(classWeights, scores.cols(), "class weights");
        }
        if (input == OutputKind.PROBABILITIES) {
            Checks.requireProbabilities(scores, "input");
        }
    }

    /** Returns {loss sum, MEAN divisor}; fills {@code each} when not null. */
    private double[] evaluate(FloatMatrix scores, int[] targets, double[] each) {
        Objects.requireNonNull(targets, "targets");
        checkScores(scores);
        int rows = scores.rows();
        int cols = scores.cols();
        Checks.requireClassIndices(targets, rows, cols, ignoreIndex, hasIgnoreIndex);
        double sum = 0.0;
        double divisor = 0.0;
        if (parallelism > 1) {
            // per-row losses on several threads, summed here in row order: the one-thread sums, bit for bit
            double[] per = each != null ? each : new double[rows];
            Parallel.forRanges(parallelism, rows, Math.max(1, PARALLEL_MIN_ELEMENTS / Math.max(1, cols)),
                    (from, to) -> rowLosses(scores, targets, from, to, per, null));
            for (int r = 0; r < rows; r++) {
                int t = targets[r];
                if (!(hasIgnoreIndex && t == ignoreIndex)) {
                    sum += per[r];
                    divisor += classWeights == null ? 1.0 : classWeights[t];
                }
            }
            return new double[] {sum, divisor};
        }
        double[] sums = new double[2];
        rowLosses(scores, targets, 0, rows, each, sums);
        return sums;
    }

    /**
     * The losses of rows {@code [from, to)} (0 for an ignored row) into {@code each} when not null, and their sum and
     * total target weight into {@code sums} when not null.
     */
    private void rowLosses(FloatMatrix scores, int[] targets, int from, int to, double[] each, double[] sums) {
        int cols = scores.cols();
        float[] scratch = scores.hasArray() ? null : new float[cols];
        double keep = 1.0 - labelSmoothing;
        double spread = labelSmoothing / cols;
        double sum = 0.0;
        double divisor = 0.0;
        double[] shift = new double[2];
        for (int r = from; r < to; r++) {
            int t = targets[r];
            if (hasIgnoreIndex && t == ignoreIndex) {
                if (each != null) {
                    each[r] = 0.0;
                }
                continue;
            }
            float[] x = scores.row(r, scratch);
            int off = scores.rowOffset(r);
            rowShift(x, off, cols, shift);
            double wt = classWeights == null ? 1.0 : classWeights[t];
            double loss = -keep * wt * logProb(x, off + t, shift);
            if (labelSmoothing != 0.0) {
                double s = 0.0;
                for (int c = 0; c < cols; c++) {
                    double wc = classWeights == null ? 1.0 : classWeights[c];
                    s -= wc * logProb(x, off + c, shift);
                }
                loss += spread * s;
            }
            if (each != null) {
                each[r] = loss;
            }
            sum += loss;
            divisor += wt;
        }
        if (sums != null) {
            sums[0] = sum;
            sums[1] = divisor;
        }
    }

    private double[] evaluate(FloatMatrix scores, FloatMatrix targets, double[] each) {
        Objects.requireNonNull(targets, "targets");
        scores.requireSameShape(targets, "targets");
        checkScores(scores);
        Checks.requireProbabilities(targets, "targets");
        int rows = scores.rows();
        int cols = scores.cols();
        float[] scratch = scores.hasArray() ? null : new float[cols];
        float[] tScratch = targets.hasArray() ? null : new float[cols];
        double keep = 1.0 - labelSmoothing;
        double spread = labelSmoothing / cols;
        double sum = 0.0;
        double[] shift = new double[2];
        for (int r = 0; r < rows; r++) {
            float[] x = scores.row(r, scratch);
            int off = scores.rowOffset(r);
            float[] t = targets.row(r, tScratch);
            int tOff = targets.rowOffset(r);
            rowShift(x, off, cols, shift);
            double loss = 0.0;
            for (int c = 0; c < cols; c++) {
                double wc = classWeights == null ? 1.0 : classWeights[c];
                double tc = t[tOff + c] * keep + spread;
                loss -= wc * tc * logProb(x, off + c, shift);
            }
            if (each != null) {
                each[r] = loss;
            }
            sum += loss;
        }
        return new double[] {sum, rows};
    }

    /**
     * The per-row quantities {@link #logProb} needs, into {@code shift}: for logits the row's maximum and the log-sum
     * of the exponentials around it (so that a log-probability is {@code (x - max) - logSum}, exact at any magnitude),
     * the row sum for Keras probabilities, nothing otherwise.
     */
    private void rowShift(float[] x, int off, int cols, double[] shift) {
        if (input == OutputKind.LOGITS) {
            float m = KERNELS.max(x, off, cols);
            shift[0] = m;
            shift[1] = KERNELS.logSumExpShifted(x, off, cols, m, 1.0);
        } else if (input == OutputKind.PROBABILITIES && semantics == Semantics.KERAS) {
            double s = 0.0;
            for (int c = 0; c < cols; c++) {
                s += x[off + c];
            }
            shift[1] = s;
        }
    }

    /** The log-probability of element {@code x[i]} of its row, given the row's {@link #rowShift}. */
    private double logProb(float[] x, int i, double[] shift) {
        float v = x[i];
        return switch (input) {
            case LOGITS -> (v - shift[0]) - shift[1];
            case LOG_PROBABILITIES -> v;
            case PROBABILITIES -> semantics == Semantics.KERAS
                    ? Math.log(LossMath.kerasClip((float) (v / shift[1])))
                    : LossMath.clampedLog(v);
            case DECISION_VALUES -> throw new IllegalStateException("refused by the builder");
        };
    }

    @Override
    public String toString() {
        return "CrossEntropyLoss[input=" + input + ", semantics=" + semantics + ", reduction=" + reduction
                + ", labelSmoothing=" + labelSmoothing
                + (hasIgnoreIndex ? ", ignoreIndex=" + ignoreIndex : "")
                + (classWeights != null ? ", classWeights=" + Arrays.toString(classWeights) : "") + "]";
    }

    /**
     * Configures a {@link CrossEntropyLoss}. Each setter validates its value at once; {@link #build()} checks the
     * combination.
     *
     * <pre>{@code
     * CrossEntropyLoss ce = CrossEntropyLoss.builder().input(OutputKind.PROBABILITIES).labelSmoothing(0.1).build();
     * }</pre>
     */
    public static final class Builder {
        private OutputKind input = OutputKind.LOGITS;
        private double[] classWeights;
        private int ignoreIndex = -100;
        private boolean ignoreIndexSet;
        private double labelSmoothing;
        private Reduction reduction = Reduction.MEAN;
        private Semantics semantics = Semantics.PYTORCH;
        private int parallelism = 1;

        private Builder() {
        }

        /**
         * Threads for the losses of class-index targets over large matrices (default 1: the calling thread only): the
         * calling one and the common fork-join pool, each on a contiguous range of rows, the sum taken in row order,
         * so the result equals one thread's bit for bit.
         *
         * @throws IllegalArgumentException if {@code threads < 1}
         */
        public Builder parallelism(int threads) {
            this.parallelism = Parallel.check(threads);
            return this;
        }

        /** What the scores are (default {@link OutputKind#LOGITS}). */
        public Builder input(OutputKind kind) {
            this.input = OutputKind.requireProbabilistic(Objects.requireNonNull(kind, "input kind"), "CrossEntropyLoss");
            return this;
        }

        /** One weight per class, finite and {@code >= 0} (default: all 1). */
        public Builder classWeights(double[] weights) {
            this.classWeights = Checks.nonNegativeFinite(Objects.requireNonNull(weights, "class weights"),
                    "class weights");
            return this;
        }

        /** The target value whose rows contribute nothing (default -100, PyTorch's). */
        public Builder ignoreIndex(int index) {
            this.ignoreIndex = index;
            this.ignoreIndexSet = true;
            return this;
        }

        /** Label smoothing in [0, 1] (default 0). */
        public Builder labelSmoothing(double epsilon) {
            this.labelSmoothing = LossMath.checkSmoothing(epsilon);
            return this;
        }

        /** The reduction of {@link CrossEntropyLoss#compute} (default {@link Reduction#MEAN}). */
        public Builder reduction(Reduction reduction) {
            this.reduction = Objects.requireNonNull(reduction, "reduction");
            return this;
        }

        /** Whose definition to follow (default {@link Semantics#PYTORCH}). */
        public Builder semantics(Semantics semantics) {
            this.semantics = Objects.requireNonNull(semantics, "semantics");
            return this;
        }

        /**
         * Builds the loss.
         *
         * @throws IllegalArgumentException if Keras semantics are combined with class weights or an ignore index
         */
        public CrossEntropyLoss build() {
            if (semantics == Semantics.KERAS && classWeights != null) {
                throw new IllegalArgumentException("Keras semantics take no class weights; found "
                        + classWeights.length + " (use PyTorch semantics for weighted cross-entropy)");
            }
            if (semantics == Semantics.KERAS && ignoreIndexSet) {
                throw new IllegalArgumentException("Keras semantics take no ignore index; found " + ignoreIndex
                        + " (use PyTorch semantics to ignore a target value)");
            }
            return new CrossEntropyLoss(this);
        }
    }
}
