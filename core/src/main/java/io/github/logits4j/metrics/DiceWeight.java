package io.github.logits4j.metrics;

/**
 * The class weights of torchmetrics' {@code GeneralizedDiceScore}, from a class's labelled positions in an image, for
 * {@link PerImageSegmentationMetrics.Report#generalizedDice(DiceWeight)}.
 *
 * <pre>{@code
 * double gds = perImage.result().generalizedDice(DiceWeight.SQUARE);   // GeneralizedDiceScore(weight_type="square")
 * }</pre>
 */
public enum DiceWeight {
    /** {@code 1 / |T|^2} (torchmetrics' default). */
    SQUARE("square"),
    /** {@code 1 / |T|}. */
    SIMPLE("simple"),
    /** 1 for every class. */
    LINEAR("linear");

    private final String id;

    DiceWeight(String id) {
        this.id = id;
    }

    /** {@code square}, {@code simple} or {@code linear}, as torchmetrics writes it. */
    public String id() {
        return id;
    }

    /** The weight of a class with {@code labelled} positions (0 for an absent class but with LINEAR). */
    double of(long labelled) {
        if (this == LINEAR) {
            return 1.0;
        }
        if (labelled == 0) {
            return 0.0;
        }
        double t = labelled;
        return this == SQUARE ? 1.0 / (t * t) : 1.0 / t;
    }
}
