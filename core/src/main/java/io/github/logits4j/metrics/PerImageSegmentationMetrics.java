package io.github.logits4j.metrics;

import io.github.logits4j.DenseScores;
import io.github.logits4j.kernel.State;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Segmentation metrics averaged per image, as torchmetrics 1.9 computes them: {@code MeanIoU} (the IoU of every
 * (image, class) pair whose union is not empty, averaged over those pairs, or per class with {@code per_class}) and
 * {@code DiceScore} (per image and class {@code 2|P∩T| / (|P| + |T|)}, reduced by its {@code average} (micro, macro,
 * weighted, none) per image and then averaged over the images, or with {@code aggregation_level='global'} from the
 * counts summed over all images) and {@code GeneralizedDiceScore} (per image {@code sum_c w_c 2|P∩T|_c /
 * sum_c w_c (|P|_c + |T|_c)} with the weight {@code 1/|T|_c^2}, {@code 1/|T|_c} or 1, a class absent from the image's
 * labels weighing nothing, averaged over the images). These are NOT the dataset-level IoU and Dice of {@link DenseReport} (one confusion
 * matrix for the whole data set): a small image with one wrong pixel weighs as much as a large one here, which is
 * why the two disagree (torchmetrics issue #2747); the report's keys say {@code per_image_}.
 *
 * <pre>{@code
 * PerImageSegmentationMetrics m = PerImageSegmentationMetrics.builder(21).includeBackground(false).build();
 * m.update(logits, labels);                      // [N, 21, H, W], N*H*W labels
 * double miou = m.result().meanIou();            // torchmetrics MeanIoU(num_classes=21, include_background=False)
 * }</pre>
 *
 * <p>Decisions are the argmax along the class axis (as {@link DenseMetrics}); positions labelled with the ignore index
 * count in neither the prediction nor the label of their image (torchmetrics has no ignore index: with none ignored
 * the numbers are its own, within float32 rounding, since torchmetrics accumulates in float32). Streaming and
 * mergeable; not thread-safe.
 */
public final class PerImageSegmentationMetrics {
    private final int classes;
    private final int ignoreIndex;
    private final boolean includeBackground;
    /** Sum and count of the per-(image, class) IoUs with a non-empty union, per class. */
    private final double[] iouSum;
    private final long[] iouCount;
    /** Per image averages of the Dice: sum and count of the non-NaN ones, for micro, macro and weighted. */
    private final double[] diceSum = new double[3];
    private final long[] diceCount = new long[3];
    /** Per class: sum and count of the non-NaN per-image Dice (average "none"). */
    private final double[] diceClassSum;
    private final long[] diceClassCount;
    /** Per image generalized Dice summed over the images, for each {@link DiceWeight}, and per class. */
    private final double[] generalizedSum = new double[3];
    private final double[] generalizedClassSum;
    /** Global counts per class: intersections, label and decision sizes over all images. */
    private final long[] intersection;
    private final long[] labelled;
    private final long[] decided;
    private long images;
    /** Counts one image's confusion matrix (its settings are these; its own counts stay empty). */
    private final DenseMetrics counter;

    private PerImageSegmentationMetrics(Builder b) {
        this.classes = b.classes;
        this.ignoreIndex = b.ignoreIndex;
        this.includeBackground = b.includeBackground;
        this.iouSum = new double[classes];
        this.iouCount = new long[classes];
        this.diceClassSum = new double[classes];
        this.diceClassCount = new long[classes];
        this.generalizedClassSum = new double[classes];
        this.intersection = new long[classes];
        this.labelled = new long[classes];
        this.decided = new long[classes];
        this.counter = DenseMetrics.builder(classes).ignoreIndex(ignoreIndex).build();
    }

    /**
     * A builder for {@code classes} classes (2 to 46,340).
     *
     * @throws IllegalArgumentException for another count
     */
    public static Builder builder(int classes) {
        return new Builder(classes);
    }

    /**
     * Adds each image of {@code scores} (decided by argmax) with its labels ({@code [N, d1..dk]} row-major).
     *
     * @throws IllegalArgumentException as {@link DenseMetrics#update(DenseScores, int[])}; nothing is added then
     */
    public void update(DenseScores scores, int[] labels) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(labels, "labels");
        if (labels.length != scores.rows()) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries; expected " + scores.rows()
                    + ", one per position of " + scores);
        }
        if (scores.classes() != classes) {
            throw new IllegalArgumentException(scores + " has " + scores.classes() + " classes; these metrics count "
                    + classes);
        }
        long[][] counts = new long[scores.samples()][];      // every image counted before any is added
        for (int n = 0; n < scores.samples(); n++) {
            counts[n] = new long[classes * classes];
            counter.countSample(scores, n, labels, counts[n]);
        }
        for (long[] c : counts) {
            addImage(c);
        }
    }

    /**
     * Adds {@code images} decided masks with their labels, each {@code positions} long, row-major.
     *
     * @throws IllegalArgumentException naming the position of a value out of range; nothing is added then
     */
    public void update(int[] predicted, int[] labels, int images, int positions) {
        if (predicted.length != (long) images * positions || labels.length != predicted.length) {
            throw new IllegalArgumentException("predicted has " + predicted.length + " and labels " + labels.length
                    + " entries; expected " + images + " x " + positions + " of each");
        }
        long[][] counts = new long[images][];
        for (int n = 0; n < images; n++) {
            counts[n] = new long[classes * classes];
            counter.countDecided(predicted, labels, n * positions, positions, positions, counts[n]);
        }
        for (long[] c : counts) {
            addImage(c);
        }
    }

    /** One image's confusion matrix into the per-image sums. */
    private void addImage(long[] confusion) {
        long[] tp = new long[classes];
        long[] t = new long[classes];
        long[] pr = new long[classes];
        for (int a = 0; a < classes; a++) {
            for (int b = 0; b < classes; b++) {
                long v = confusion[a * classes + b];
                t[a] += v;
                pr[b] += v;
            }
            tp[a] = confusion[a * classes + a];
        }
        int first = includeBackground ? 0 : 1;
        double num = 0.0;
        double den = 0.0;
        double macro = 0.0;
        int macroCount = 0;
        long support = 0;
        double[] dice = new double[classes];
        for (int c = first; c < classes; c++) {
            long union = t[c] + pr[c] - tp[c];
            if (union > 0) {
                iouSum[c] += (double) tp[c] / union;
                iouCount[c]++;
            }
            intersection[c] += tp[c];
            labelled[c] += t[c];
            decided[c] += pr[c];
            num += 2.0 * tp[c];
            den += t[c] + pr[c];
            dice[c] = t[c] + pr[c] == 0 ? Double.NaN : 2.0 * tp[c] / (t[c] + pr[c]);
            if (!Double.isNaN(dice[c])) {
                macro += dice[c];
                macroCount++;
                diceClassSum[c] += dice[c];
                diceClassCount[c]++;
            }
            support += t[c];
        }
        addDice(0, den == 0.0 ? Double.NaN : num / den);
        addDice(1, macroCount == 0 ? Double.NaN : macro / macroCount);
        // weighted: nansum(dice * support / total support); NaN when every class's dice is NaN
        double weighted = 0.0;
        for (int c = first; c < classes; c++) {
            double w = support == 0 ? Double.NaN : (double) t[c] / support;
            double v = dice[c] * w;
            weighted += Double.isNaN(v) ? 0.0 : v;
        }
        addDice(2, macroCount == 0 ? Double.NaN : weighted);
        for (DiceWeight w : DiceWeight.values()) {
            double gn = 0.0;
            double gd = 0.0;
            for (int c = first; c < classes; c++) {
                double weight = w.of(t[c]);
                gn += 2.0 * tp[c] * weight;
                gd += (t[c] + pr[c]) * weight;
            }
            generalizedSum[w.ordinal()] += gd == 0.0 ? 0.0 : gn / gd;   // torchmetrics' _safe_divide: 0 for 0/0
        }
        for (int c = first; c < classes; c++) {
            generalizedClassSum[c] += t[c] == 0 ? 0.0 : 2.0 * tp[c] / (t[c] + pr[c]);  // the weights cancel
        }
        images++;
    }

    private void addDice(int average, double v) {
        if (!Double.isNaN(v)) {
            diceSum[average] += v;
            diceCount[average]++;
        }
    }

    /**
     * Adds what {@code other} holds.
     *
     * @throws IllegalArgumentException if the two were built with different settings
     */
    public void merge(PerImageSegmentationMetrics other) {
        if (!settings().equals(other.settings())) {
            throw new IllegalArgumentException("cannot merge per-image segmentation metrics built with different"
                    + " settings: " + settings() + " vs " + other.settings());
        }
        mergeBytes(other.toBytes());
    }

    /** The sums in a compact binary form, for {@link #mergeBytes} in another JVM. */
    public byte[] toBytes() {
        return State.write("per-image segmentation metrics", settings(), this::exchange);
    }

    /**
     * Adds what {@link #toBytes} wrote, from metrics built with the same settings.
     *
     * @throws IllegalArgumentException if the bytes are not such a state, or come from other settings
     */
    public void mergeBytes(byte[] state) {
        State.merge(state, "per-image segmentation metrics", settings(), this::exchange);
    }

    private void exchange(State s) {
        s.add(iouSum);
        s.add(diceSum);
        s.add(diceClassSum);
        s.add(generalizedSum);
        s.add(generalizedClassSum);
        for (long[] a : new long[][] {iouCount, diceCount, diceClassCount, intersection, labelled, decided}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = s.add(a[i]);
            }
        }
        images = s.add(images);
    }

    private String settings() {
        return "classes=" + classes + ", ignoreIndex=" + ignoreIndex + ", includeBackground=" + includeBackground;
    }

    /** The metrics of the images added so far. */
    public Report result() {
        return new Report(this);
    }

    /**
     * The per-image metrics, immutable: torchmetrics' {@code MeanIoU} and {@code DiceScore} forms.
     *
     * <pre>{@code
     * PerImageSegmentationMetrics.Report r = m.result();
     * double dice = r.dice(PerImageSegmentationMetrics.Average.MACRO);
     * }</pre>
     */
    public static final class Report {
        private final int classes;
        private final int first;
        private final double[] iou;
        private final double meanIou;
        private final double[] dice = new double[3];
        private final double[] diceNone;
        private final double[] globalDice = new double[3];
        private final double[] globalDiceNone;
        private final double[] generalized = new double[3];
        private final double[] generalizedClass;
        private final long images;

        private Report(PerImageSegmentationMetrics m) {
            this.classes = m.classes;
            this.first = m.includeBackground ? 0 : 1;
            this.images = m.images;
            this.iou = new double[classes];
            double sum = 0.0;
            long count = 0;
            for (int c = 0; c < classes; c++) {
                iou[c] = c < first || m.iouCount[c] == 0 ? Double.NaN : m.iouSum[c] / m.iouCount[c];
                sum += m.iouSum[c];
                count += m.iouCount[c];
            }
            this.meanIou = count == 0 ? Double.NaN : sum / count;
            for (int a = 0; a < 3; a++) {
                dice[a] = m.diceCount[a] == 0 ? Double.NaN : m.diceSum[a] / m.diceCount[a];
            }
            this.diceNone = new double[classes];
            this.globalDiceNone = new double[classes];
            double num = 0.0;
            double den = 0.0;
            double macro = 0.0;
            int macroCount = 0;
            long support = 0;
            for (int c = 0; c < classes; c++) {
                diceNone[c] = c < first || m.diceClassCount[c] == 0 ? Double.NaN
                        : m.diceClassSum[c] / m.diceClassCount[c];
                long d = m.labelled[c] + m.decided[c];
                globalDiceNone[c] = c < first || d == 0 ? Double.NaN : 2.0 * m.intersection[c] / d;
                if (c >= first) {
                    num += 2.0 * m.intersection[c];
                    den += d;
                    support += m.labelled[c];
                    if (!Double.isNaN(globalDiceNone[c])) {
                        macro += globalDiceNone[c];
                        macroCount++;
                    }
                }
            }
            globalDice[0] = den == 0.0 ? Double.NaN : num / den;
            globalDice[1] = macroCount == 0 ? Double.NaN : macro / macroCount;
            double weighted = 0.0;
            for (int c = first; c < classes; c++) {
                double v = globalDiceNone[c] * (support == 0 ? Double.NaN : (double) m.labelled[c] / support);
                weighted += Double.isNaN(v) ? 0.0 : v;
            }
            globalDice[2] = macroCount == 0 ? Double.NaN : weighted;
            for (int w = 0; w < 3; w++) {
                generalized[w] = m.generalizedSum[w] / images;
            }
            this.generalizedClass = new double[classes];
            for (int c = 0; c < classes; c++) {
                generalizedClass[c] = c < first ? Double.NaN : m.generalizedClassSum[c] / images;
            }
        }

        /** The images added. */
        public long images() {
            return images;
        }

        /** torchmetrics {@code MeanIoU}: the IoU of every (image, class) pair with a non-empty union, averaged. */
        public double meanIou() {
            return meanIou;
        }

        /**
         * torchmetrics {@code MeanIoU(per_class=True)}: per class, its per-image IoUs averaged over the images where
         * its union is not empty; NaN for a class with none (torchmetrics writes -1) or left out as background.
         */
        public double[] perClassIou() {
            return iou.clone();
        }

        /**
         * torchmetrics {@code DiceScore(average=...)} (aggregation per image): each image's Dice reduced by the
         * average, then the mean over the images where it is a number.
         */
        public double dice(Average average) {
            return dice[average.ordinal()];
        }

        /** torchmetrics {@code DiceScore(average='none')}: per class, the mean over images of its Dice. */
        public double[] perClassDice() {
            return diceNone.clone();
        }

        /** torchmetrics {@code DiceScore(average=..., aggregation_level='global')}: from the summed counts. */
        public double globalDice(Average average) {
            return globalDice[average.ordinal()];
        }

        /** torchmetrics {@code DiceScore(average='none', aggregation_level='global')}. */
        public double[] globalPerClassDice() {
            return globalDiceNone.clone();
        }

        /**
         * torchmetrics {@code GeneralizedDiceScore(weight_type=...)} updated one image at a time: each image's
         * weighted Dice over its classes ({@code 0} where no class has a weight), averaged over the images; NaN
         * before any image. (Given several images in one update, torchmetrics takes a class absent from an image's
         * labels a weight from the batch's other images, so its number depends on the batching; this one does not.)
         */
        public double generalizedDice(DiceWeight weight) {
            return generalized[weight.ordinal()];
        }

        /**
         * torchmetrics {@code GeneralizedDiceScore(per_class=True)} one image at a time: per class, its Dice in each
         * image (0 where the image's labels lack the class) averaged over the images; the same for every weight.
         */
        public double[] perClassGeneralizedDice() {
            return generalizedClass.clone();
        }

        /**
         * The report as a map: {@code per_image_mean_iou}, {@code per_image_per_class_iou},
         * {@code per_image_dice_micro}, {@code _macro}, {@code _weighted}, {@code per_image_per_class_dice},
         * {@code global_dice_micro}, {@code _macro}, {@code _weighted}, {@code per_image_generalized_dice} (square
         * weights), {@code _simple}, {@code _linear}, {@code per_image_per_class_generalized_dice} and
         * {@code images} (NaN, which JSON writes as
         * null, for a class without a value).
         */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("per_image_mean_iou", meanIou);
            m.put("per_image_per_class_iou", ReportMaps.list(iou));
            for (Average a : Average.values()) {
                m.put("per_image_dice_" + a.id(), dice(a));
            }
            m.put("per_image_per_class_dice", ReportMaps.list(diceNone));
            for (Average a : Average.values()) {
                m.put("global_dice_" + a.id(), globalDice(a));
            }
            for (DiceWeight w : DiceWeight.values()) {
                m.put("per_image_generalized_dice" + (w == DiceWeight.SQUARE ? "" : "_" + w.id()), generalizedDice(w));
            }
            m.put("per_image_per_class_generalized_dice", ReportMaps.list(generalizedClass));
            m.put("images", images);
            return Collections.unmodifiableMap(m);
        }

        @Override
        public String toString() {
            return "PerImageSegmentationMetrics.Report[" + images + " images, mean_iou=" + meanIou + "]";
        }
    }

    /** torchmetrics {@code DiceScore}'s reductions over the classes. */
    public enum Average {
        /** The summed intersections over the summed sizes. */
        MICRO("micro"),
        /** The mean of the classes' Dice (those that are numbers). */
        MACRO("macro"),
        /** The classes' Dice weighted by their labelled positions. */
        WEIGHTED("weighted");

        private final String id;

        Average(String id) {
            this.id = id;
        }

        /** {@code micro}, {@code macro} or {@code weighted}, as torchmetrics writes it. */
        public String id() {
            return id;
        }
    }

    /**
     * Configures {@link PerImageSegmentationMetrics}.
     *
     * <pre>{@code
     * PerImageSegmentationMetrics m = PerImageSegmentationMetrics.builder(21).includeBackground(false).build();
     * }</pre>
     */
    public static final class Builder {
        private final int classes;
        private int ignoreIndex = -100;
        private boolean includeBackground = true;

        private Builder(int classes) {
            if (classes < 2 || classes > 46_340) {
                throw new IllegalArgumentException("segmentation metrics need 2 to 46,340 classes; found " + classes);
            }
            this.classes = classes;
        }

        /**
         * The label of positions not to count (default -100).
         *
         * @throws IllegalArgumentException if it is a class index
         */
        public Builder ignoreIndex(int index) {
            DenseMetrics.builder(classes).ignoreIndex(index);
            this.ignoreIndex = index;
            return this;
        }

        /** Whether class 0 counts (torchmetrics' {@code include_background}; default true, as its constructors). */
        public Builder includeBackground(boolean include) {
            this.includeBackground = include;
            return this;
        }

        /** An empty accumulator. */
        public PerImageSegmentationMetrics build() {
            return new PerImageSegmentationMetrics(this);
        }
    }
}
