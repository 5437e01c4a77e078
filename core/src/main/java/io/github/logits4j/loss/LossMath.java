package io.github.logits4j.loss;

import io.github.logits4j.OutputKind;
import io.github.logits4j.kernel.Kernels;

/** The per-element formulas the losses share; package-private. */
final class LossMath {
    /** Keras' epsilon, 1e-7, as a float32. */
    static final float KERAS_EPSILON = 1e-7f;
    /** {@code 1 - 1e-7} rounded to float32 (0.99999988), Keras' upper clip. */
    static final float KERAS_ONE_MINUS_EPSILON = (float) (1.0 - 1e-7);
    /** PyTorch's lower clamp of {@code log p} in binary cross-entropy. */
    static final double TORCH_LOG_CLAMP = -100.0;

    private LossMath() {
    }

    /** {@code max(log p, -100)}: PyTorch's clamped log for probabilities. */
    static double clampedLog(double p) {
        return Math.max(Math.log(p), TORCH_LOG_CLAMP);
    }

    /** {@code max(log(1 - p), -100)}. */
    static double clampedLog1m(double p) {
        return Math.max(Math.log1p(-p), TORCH_LOG_CLAMP);
    }

    /** Keras' float32 clip to {@code [1e-7, 1 - 1e-7]}; NaN stays NaN. */
    static float kerasClip(float p) {
        return Math.min(Math.max(p, KERAS_EPSILON), KERAS_ONE_MINUS_EPSILON);
    }

    /** {@code log(1 - exp(lp))} for a log-probability {@code lp <= 0}, accurate near 0 and near -inf. */
    static double log1mExp(double lp) {
        return lp > -0.6931471805599453 ? Math.log(-Math.expm1(lp)) : Math.log1p(-Math.exp(lp));
    }

    /**
     * The two log-likelihood terms of a binary output, {@code log p} and {@code log(1 - p)}, for input {@code v} of
     * kind {@code kind}, written to {@code out[0]} and {@code out[1]}. Logits use log-sigmoid (no clamp);
     * probabilities clamp at -100 (PyTorch) or clip to [1e-7, 1-1e-7] first (Keras); log-probabilities clamp at -100.
     */
    static void binaryLogTerms(OutputKind kind, Semantics semantics, float v, double[] out) {
        switch (kind) {
            case LOGITS -> {
                out[0] = Kernels.logSigmoid(v);
                out[1] = Kernels.logSigmoid(-(double) v);
            }
            case PROBABILITIES -> {
                if (semantics == Semantics.KERAS) {
                    float q = kerasClip(v);
                    out[0] = clampedLog(q);
                    out[1] = clampedLog1m(q);
                } else {
                    out[0] = clampedLog(v);
                    out[1] = clampedLog1m(v);
                }
            }
            case LOG_PROBABILITIES -> {
                out[0] = Math.max(v, TORCH_LOG_CLAMP);
                out[1] = Math.max(log1mExp(v), TORCH_LOG_CLAMP);
            }
            case DECISION_VALUES -> throw new IllegalStateException("refused by the builder");
        }
    }

    /**
     * Binary cross-entropy of logit {@code x} against target {@code y} with positive weight {@code pw}, in the form
     * PyTorch computes it: {@code (1-y) x - (1 + (pw-1) y) logsigmoid(x)} (no clamping; infinities as PyTorch).
     */
    static double bceWithLogits(double x, double y, double pw) {
        return (1.0 - y) * x - (1.0 + (pw - 1.0) * y) * Kernels.logSigmoid(x);
    }

    /** The probability {@code p} of a binary output {@code v} of kind {@code kind}. */
    static double probability(OutputKind kind, float v) {
        return switch (kind) {
            case LOGITS -> Kernels.sigmoid(v);
            case PROBABILITIES -> v;
            case LOG_PROBABILITIES -> Math.exp(v);
            case DECISION_VALUES -> throw new IllegalStateException("refused by the builder");
        };
    }

    /**
     * Reduces a sum with {@code divisor} under {@code reduction} (MEAN or SUM). A MEAN over a divisor of 0 (no rows,
     * every row ignored, or every target's class weight 0) is NaN, as in PyTorch, even when label smoothing made the
     * sum positive.
     */
    static double reduce(Reduction reduction, double sum, double divisor) {
        return switch (reduction) {
            case MEAN -> divisor == 0.0 ? Double.NaN : sum / divisor;
            case SUM -> sum;
            case NONE -> throw new IllegalStateException(
                    "reduction is NONE: call computeEach for the unreduced values, or build the loss with MEAN or SUM");
        };
    }

    static double checkSmoothing(double labelSmoothing) {
        if (!(labelSmoothing >= 0.0 && labelSmoothing <= 1.0)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1]; found " + labelSmoothing);
        }
        return labelSmoothing;
    }
}
