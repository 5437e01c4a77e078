package io.github.logits4j.conformal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a calibration row's nonconformity is measured from its probabilities and true class, and so how prediction
 * sets are built: {@link Lac} ({@code 1 - p_y}, the smallest sets on average), {@link Aps} (the probability mass of the
 * classes ranked at or above the true one, sets that adapt to how sure the model is), {@link TopK} (the true class's
 * rank, a fixed number of classes). Definitions are MAPIE 1.5's ({@code lac}, {@code aps}, {@code top_k}); immutable.
 *
 * <pre>{@code
 * ConformityScore lac = ConformityScore.lac();
 * ConformityScore aps = ConformityScore.aps(true, ConformityScore.IncludeLastLabel.RANDOMIZED);
 * ConformityScore raps = ConformityScore.raps(0.01, 2, true, ConformityScore.IncludeLastLabel.TRUE);
 * }</pre>
 */
public sealed interface ConformityScore permits ConformityScore.Lac, ConformityScore.Aps, ConformityScore.Raps,
        ConformityScore.TopK {

    /** The score's name in files and reports: {@code lac}, {@code aps}, {@code raps} or {@code top_k}. */
    String id();

    /**
     * The score and its settings as a map ({@code score}; for APS and RAPS {@code randomized} and
     * {@code include_last_label}; for RAPS {@code lambda} and {@code k_reg}).
     */
    Map<String, Object> toMap();

    /** LAC (least ambiguous set-valued classifier): {@code 1 - p_y}; a set holds the classes with {@code p >= 1 - q}. */
    static Lac lac() {
        return new Lac();
    }

    /**
     * APS as MAPIE's default: randomized calibration scores, and sets that include the class that crosses the quantile
     * ({@link IncludeLastLabel#TRUE}).
     */
    static Aps aps() {
        return new Aps(true, IncludeLastLabel.TRUE);
    }

    /** APS with the randomized term or without, and MAPIE's {@code include_last_label} rule. */
    static Aps aps(boolean randomized, IncludeLastLabel includeLastLabel) {
        return new Aps(randomized, includeLastLabel);
    }

    /**
     * RAPS (regularized APS, Angelopoulos et al. 2021) with penalty {@code lambda} per class ranked beyond
     * {@code kReg}; {@link RapsTuning} chooses both on a tuning split as MAPIE does.
     *
     * @throws IllegalArgumentException unless {@code lambda} is finite and non-negative and {@code kReg >= 0}
     */
    static Raps raps(double lambda, int kReg, boolean randomized, IncludeLastLabel includeLastLabel) {
        return new Raps(lambda, kReg, randomized, includeLastLabel);
    }

    /** Top-k: the rank of the true class (0 for the most probable); a set holds a fixed number of the best classes. */
    static TopK topK() {
        return new TopK();
    }

    /**
     * The score a map of {@link #toMap()}'s form names.
     *
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    static ConformityScore fromMap(Map<String, ?> map) {
        Object id = map.get("score");
        if ("lac".equals(id)) {
            return lac();
        }
        if ("top_k".equals(id)) {
            return topK();
        }
        if ("aps".equals(id) || "raps".equals(id)) {
            if (!(map.get("randomized") instanceof Boolean randomized)) {
                throw new IllegalArgumentException("'randomized' is " + map.get("randomized") + "; expected true or"
                        + " false");
            }
            IncludeLastLabel rule = IncludeLastLabel.parse(String.valueOf(map.get("include_last_label")));
            if ("aps".equals(id)) {
                return aps(randomized, rule);
            }
            if (!(map.get("lambda") instanceof Number lambda) || !(map.get("k_reg") instanceof Number k)
                    || k.doubleValue() != Math.rint(k.doubleValue()) || Math.abs(k.doubleValue()) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("RAPS needs a number 'lambda' and an integer 'k_reg'; found "
                        + map.get("lambda") + " and " + map.get("k_reg"));
            }
            return raps(lambda.doubleValue(), k.intValue(), randomized, rule);
        }
        throw new IllegalArgumentException("'score' is " + id + "; expected lac, aps, raps or top_k");
    }

    /**
     * The name given on the command line: {@code lac}, {@code aps} (MAPIE's default), {@code aps-deterministic}
     * (no randomized term, include the last class), {@code aps-randomized}, {@code top-k}. RAPS needs its penalty:
     * {@link #raps}, or {@link RapsTuning}.
     *
     * @throws IllegalArgumentException for any other name
     */
    static ConformityScore parse(String name) {
        return switch (Objects.requireNonNull(name, "name")) {
            case "lac" -> lac();
            case "aps" -> aps();
            case "aps-deterministic" -> aps(false, IncludeLastLabel.TRUE);
            case "aps-randomized" -> aps(true, IncludeLastLabel.RANDOMIZED);
            case "top-k", "top_k", "topk" -> topK();
            case "raps", "raps-randomized" -> throw new IllegalArgumentException("conformity score '" + name
                    + "' needs its lambda and k_reg: give them (ConformityScore.raps) or tune them (RapsTuning)");
            default -> throw new IllegalArgumentException("conformity score is '" + name + "'; expected lac, aps,"
                    + " aps-deterministic, aps-randomized, raps, raps-randomized or top-k");
        };
    }

    /** LAC: {@code 1 - p_y}. */
    record Lac() implements ConformityScore {
        @Override
        public String id() {
            return "lac";
        }

        @Override
        public Map<String, Object> toMap() {
            return Map.of("score", id());
        }
    }

    /**
     * APS (adaptive prediction sets, Romano et al. 2020): the cumulative probability of the classes ranked at or above
     * the true one, minus {@code u * p_y} when randomized ({@code u} uniform in [0, 1)); sets follow MAPIE's
     * {@code include_last_label}.
     *
     * @param randomized whether calibration scores subtract {@code u * p_y} (MAPIE always does; TorchCP by default)
     * @param includeLastLabel how a set treats the class whose cumulative mass crosses the quantile
     */
    record Aps(boolean randomized, IncludeLastLabel includeLastLabel) implements ConformityScore {
        /** Checks the rule is given. */
        public Aps {
            Objects.requireNonNull(includeLastLabel, "includeLastLabel");
        }

        @Override
        public String id() {
            return "aps";
        }

        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("score", id());
            m.put("randomized", randomized);
            m.put("include_last_label", includeLastLabel.id());
            return m;
        }
    }

    /**
     * RAPS (regularized adaptive prediction sets, Angelopoulos et al. 2021): the APS score plus
     * {@code lambda * max(0, r - kReg)}, {@code r} the 1-based rank of the true class, so classes ranked beyond
     * {@code kReg} cost {@code lambda} each; sets follow MAPIE's RAPS rule (its regularized cumulative mass, and its
     * {@code V} for the randomized last class). {@code lambda = 0} is APS.
     *
     * @param lambda the penalty per class beyond {@code kReg}, finite and {@code >= 0}
     * @param kReg the number of classes free of penalty, {@code >= 0}
     * @param randomized whether calibration scores subtract {@code u * p_y}
     * @param includeLastLabel how a set treats the class whose regularized mass crosses the quantile
     */
    record Raps(double lambda, int kReg, boolean randomized, IncludeLastLabel includeLastLabel)
            implements ConformityScore {
        /** Checks the settings. */
        public Raps {
            Objects.requireNonNull(includeLastLabel, "includeLastLabel");
            if (!(lambda >= 0.0 && lambda < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("RAPS lambda is " + lambda + "; expected a finite number >= 0");
            }
            if (kReg < 0) {
                throw new IllegalArgumentException("RAPS k_reg is " + kReg + "; expected an integer >= 0");
            }
        }

        @Override
        public String id() {
            return "raps";
        }

        /** The penalty of the class at 0-based rank {@code rank}: {@code lambda * max(0, rank + 1 - kReg)}. */
        public double penalty(int rank) {
            return lambda * Math.max(0, rank + 1 - kReg);
        }

        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("score", id());
            m.put("lambda", lambda);
            m.put("k_reg", kReg);
            m.put("randomized", randomized);
            m.put("include_last_label", includeLastLabel.id());
            return m;
        }
    }

    /** Top-k: the 0-based rank of the true class among the probabilities, highest first. */
    record TopK() implements ConformityScore {
        @Override
        public String id() {
            return "top_k";
        }

        @Override
        public Map<String, Object> toMap() {
            return Map.of("score", id());
        }
    }

    /** MAPIE's {@code include_last_label} for APS sets. */
    enum IncludeLastLabel {
        /** Include the class whose cumulative mass first reaches the quantile (never an empty set). */
        TRUE("true"),
        /** Stop before it: the classes whose cumulative mass stays within the quantile, at least the top one. */
        FALSE("false"),
        /** Include it with the probability that makes coverage exact (sets may be empty). */
        RANDOMIZED("randomized");

        private final String id;

        IncludeLastLabel(String id) {
            this.id = id;
        }

        /** {@code true}, {@code false} or {@code randomized}, as MAPIE writes it. */
        public String id() {
            return id;
        }

        /**
         * The rule named {@code true}, {@code false} or {@code randomized}.
         *
         * @throws IllegalArgumentException for any other name
         */
        public static IncludeLastLabel parse(String name) {
            for (IncludeLastLabel l : values()) {
                if (l.id.equals(name)) {
                    return l;
                }
            }
            throw new IllegalArgumentException("include_last_label is '" + name + "'; expected true, false or"
                    + " randomized");
        }
    }
}
