package io.github.logits4j.metrics;

import io.github.logits4j.kernel.State;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Entity-level precision, recall and F1 of a token classifier's tags (IOB2, IOBES or IOB1 names such as
 * {@code B-PER}, {@code I-PER}, {@code E-PER}, {@code S-PER}, {@code O}), as seqeval 1.2.2's default (conlleval)
 * mode computes them: the chunks of each sentence's true tags and of its decided tags, an entity counted right when
 * its type, first and last token all agree. Streaming and mergeable: counts per entity type.
 *
 * <pre>{@code
 * EntityMetrics m = EntityMetrics.builder(List.of("O", "B-PER", "I-PER", "B-LOC", "I-LOC")).build();
 * m.update(predicted, labels, sentences, tokens);   // [sentences x tokens] tag ids, -100 where not a word
 * double f1 = m.result().f1();                     // seqeval's f1_score (micro)
 * }</pre>
 *
 * <p>Positions whose label is the ignore index (default -100: a padding or a word's later sub-word, as the
 * transformers' token classification examples label them) are dropped from both sequences first, so that each
 * sentence is the list of word tags seqeval sees. The chunk rules are seqeval's {@code get_entities} (a tag's first
 * character is its role, the rest after the first hyphen its type): an {@code I-} after {@code O} or after another
 * type starts an entity, as conlleval does. Not thread-safe: one per thread, then {@link #merge}.
 */
public final class EntityMetrics {
    private final List<String> tags;
    private final int ignoreIndex;
    /** Each tag id's role ({@code B}, {@code I}, {@code E}, {@code S}, {@code O}, or another first character). */
    private final char[] role;
    /** Each tag id's entity type index into {@link #types}. */
    private final int[] typeOf;
    private final List<String> types;
    /** The type of a bare {@code O} ({@code _}), or -2 when no tag has it. */
    private final int closingType;
    /** Per type: true positives, decided entities, true entities. */
    private final long[] counts;
    private int[] truePart = new int[16];
    private int[] decidedPart = new int[16];
    private int[] trueChunks = new int[48];
    private int[] decidedChunks = new int[48];

    private EntityMetrics(Builder b) {
        this.tags = b.tags;
        this.ignoreIndex = b.ignoreIndex;
        int n = tags.size();
        this.role = new char[n];
        this.typeOf = new int[n];
        TreeMap<String, Integer> byName = new TreeMap<>();
        String[] typeNames = new String[n];
        for (int i = 0; i < n; i++) {
            String tag = tags.get(i);
            role[i] = tag.isEmpty() ? '\0' : tag.charAt(0);
            String rest = tag.isEmpty() ? "" : tag.substring(1);
            int hyphen = rest.indexOf('-');
            String type = hyphen >= 0 ? rest.substring(hyphen + 1) : rest;     // Python's split('-', 1)[-1]
            typeNames[i] = type.isEmpty() ? "_" : type;
            byName.put(typeNames[i], 0);
        }
        this.types = List.copyOf(byName.keySet());
        for (int i = 0; i < n; i++) {
            typeOf[i] = types.indexOf(typeNames[i]);
        }
        this.counts = new long[3 * types.size()];
        this.closingType = types.contains("_") ? types.indexOf("_") : -2;
    }

    /**
     * A builder for the model's tag names, by tag id (its {@code id2label}).
     *
     * @throws IllegalArgumentException if there are fewer than 2 tags or a name is null
     */
    public static Builder builder(List<String> tags) {
        return new Builder(tags);
    }

    /** The tag names, by id. */
    public List<String> tags() {
        return tags;
    }

    /**
     * Counts the entities of {@code sentences} rows of {@code tokens} tag ids each (row-major), decided against
     * labelled.
     *
     * @throws IllegalArgumentException naming the sentence and token of a tag id out of range, or if the lengths do
     *     not match; nothing is counted then
     */
    public void update(int[] predicted, int[] labels, int sentences, int tokens) {
        Objects.requireNonNull(predicted, "predicted");
        Objects.requireNonNull(labels, "labels");
        if (sentences < 0 || tokens < 0 || predicted.length != (long) sentences * tokens
                || labels.length != predicted.length) {
            throw new IllegalArgumentException("predicted has " + predicted.length + " and labels " + labels.length
                    + " tag ids; expected " + sentences + " x " + tokens + " of each");
        }
        int n = tags.size();
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] < 0 || labels[i] >= n) && labels[i] != ignoreIndex) {
                throw new IllegalArgumentException("label at sentence " + i / tokens + ", token " + i % tokens + " is "
                        + labels[i] + "; expected a tag id in [0, " + (n - 1) + "] or the ignore index " + ignoreIndex);
            }
            if (labels[i] != ignoreIndex && (predicted[i] < 0 || predicted[i] >= n)) {
                throw new IllegalArgumentException("prediction at sentence " + i / tokens + ", token " + i % tokens
                        + " is " + predicted[i] + "; expected a tag id in [0, " + (n - 1) + "]");
            }
        }
        if (truePart.length < tokens) {
            truePart = new int[tokens];
            decidedPart = new int[tokens];
        }
        for (int s = 0; s < sentences; s++) {
            int words = 0;
            for (int t = 0; t < tokens; t++) {
                int i = s * tokens + t;
                if (labels[i] != ignoreIndex) {
                    truePart[words] = labels[i];
                    decidedPart[words++] = predicted[i];
                }
            }
            count(words);
        }
    }

    /** Counts one sentence of {@code words} tags in {@link #truePart} and {@link #decidedPart}. */
    private void count(int words) {
        int nTrue = chunks(truePart, words, true);
        int nDecided = chunks(decidedPart, words, false);
        for (int k = 0; k < nTrue; k++) {
            counts[3 * trueChunks[3 * k] + 2]++;
        }
        for (int k = 0; k < nDecided; k++) {
            counts[3 * decidedChunks[3 * k] + 1]++;
        }
        // both lists are in order of their first token, each first token at most once: walk them together
        int a = 0;
        int b = 0;
        while (a < nTrue && b < nDecided) {
            int sa = trueChunks[3 * a + 1];
            int sb = decidedChunks[3 * b + 1];
            if (sa < sb) {
                a++;
            } else if (sb < sa) {
                b++;
            } else {
                if (trueChunks[3 * a] == decidedChunks[3 * b] && trueChunks[3 * a + 2] == decidedChunks[3 * b + 2]) {
                    counts[3 * trueChunks[3 * a]]++;
                }
                a++;
                b++;
            }
        }
    }

    /**
     * seqeval's {@code get_entities} over {@code seq[0 .. words)} (with the closing {@code O} it appends): the chunks
     * as (type, first, last) triples into {@link #trueChunks} or {@link #decidedChunks}; returns how many.
     */
    private int chunks(int[] seq, int words, boolean truth) {
        int[] out = truth ? trueChunks : decidedChunks;
        int found = 0;
        char prevTag = 'O';
        int prevType = -1;          // seqeval's '' before the first token
        int begin = 0;
        for (int i = 0; i <= words; i++) {
            char tag = i < words ? role[seq[i]] : 'O';
            int type = i < words ? typeOf[seq[i]] : closingType;      // the 'O' seqeval appends: type '_'
            if (endOfChunk(prevTag, tag, prevType, type)) {
                if (3 * found + 3 > out.length) {
                    out = Arrays.copyOf(out, 2 * out.length);
                }
                out[3 * found] = prevType;
                out[3 * found + 1] = begin;
                out[3 * found + 2] = i - 1;
                found++;
            }
            if (startOfChunk(prevTag, tag, prevType, type)) {
                begin = i;
            }
            prevTag = tag;
            prevType = type;
        }
        if (truth) {
            trueChunks = out;
        } else {
            decidedChunks = out;
        }
        return found;
    }

    private static boolean endOfChunk(char prevTag, char tag, int prevType, int type) {
        boolean end = prevTag == 'E' || prevTag == 'S';
        end |= prevTag == 'B' && (tag == 'B' || tag == 'S' || tag == 'O');
        end |= prevTag == 'I' && (tag == 'B' || tag == 'S' || tag == 'O');
        end |= prevTag != 'O' && prevTag != '.' && prevType != type;
        return end;
    }

    private static boolean startOfChunk(char prevTag, char tag, int prevType, int type) {
        boolean start = tag == 'B' || tag == 'S';
        start |= (prevTag == 'E' || prevTag == 'S' || prevTag == 'O') && (tag == 'E' || tag == 'I');
        start |= tag != 'O' && tag != '.' && prevType != type;
        return start;
    }

    /**
     * Adds the counts {@code other} holds.
     *
     * @throws IllegalArgumentException if the two were built for other tags or another ignore index
     */
    public void merge(EntityMetrics other) {
        if (!settings().equals(other.settings())) {
            throw new IllegalArgumentException("cannot merge entity metrics built with different settings: "
                    + settings() + " vs " + other.settings());
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
    }

    /** The counts in a compact binary form, for {@link #mergeBytes} in another JVM. */
    public byte[] toBytes() {
        return State.write("entity metrics", settings(), this::exchange);
    }

    /**
     * Adds what {@link #toBytes} wrote, from metrics built with the same settings.
     *
     * @throws IllegalArgumentException if the bytes are not such a state, or come from other settings
     */
    public void mergeBytes(byte[] state) {
        State.merge(state, "entity metrics", settings(), this::exchange);
    }

    private void exchange(State s) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = s.add(counts[i]);
        }
    }

    private String settings() {
        return "tags=" + tags + ", ignoreIndex=" + ignoreIndex;
    }

    /** The metrics of the sentences counted so far. */
    public Report result() {
        return new Report(types, counts.clone());
    }

    /**
     * Entity-level precision, recall and F1: micro (seqeval's default), macro and weighted over the entity types that
     * occur, and per type, from counts of entities. A ratio over nothing is 0, as seqeval's {@code zero_division}
     * default. Immutable.
     *
     * <pre>{@code
     * EntityMetrics.Report r = m.result();
     * double f1 = r.f1();
     * Map<String, Object> perType = r.toMap();
     * }</pre>
     */
    public static final class Report {
        private final List<String> types;
        private final long[] counts;

        Report(List<String> allTypes, long[] counts) {
            List<String> seen = new ArrayList<>();
            List<Long> kept = new ArrayList<>();
            for (int t = 0; t < allTypes.size(); t++) {
                if (counts[3 * t + 1] > 0 || counts[3 * t + 2] > 0) {       // seqeval's target_names
                    seen.add(allTypes.get(t));
                    kept.add(counts[3 * t]);
                    kept.add(counts[3 * t + 1]);
                    kept.add(counts[3 * t + 2]);
                }
            }
            this.types = List.copyOf(seen);
            this.counts = new long[kept.size()];
            for (int i = 0; i < kept.size(); i++) {
                this.counts[i] = kept.get(i);
            }
        }

        /** The entity types that occur among the labels or the decisions, sorted. */
        public List<String> types() {
            return types;
        }

        private long sum(int field) {
            long s = 0;
            for (int t = 0; t < types.size(); t++) {
                s += counts[3 * t + field];
            }
            return s;
        }

        /** Entities decided right (type and span). */
        public long truePositives() {
            return sum(0);
        }

        /** Entities decided. */
        public long decided() {
            return sum(1);
        }

        /** Labelled entities. */
        public long support() {
            return sum(2);
        }

        /** Micro precision: right entities over decided ones. */
        public double precision() {
            return ratio(truePositives(), decided());
        }

        /** Micro recall: right entities over labelled ones. */
        public double recall() {
            return ratio(truePositives(), support());
        }

        /** Micro F1, seqeval's {@code f1_score}: {@code 2PR / (P + R)}. */
        public double f1() {
            return f1(precision(), recall());
        }

        private static double ratio(long a, long b) {
            return b == 0 ? 0.0 : (double) a / b;
        }

        private static double f1(double p, double r) {
            double denominator = p + r;
            return 2 * p * r / (denominator == 0.0 ? 1.0 : denominator);
        }

        /** Per type {@code {precision, recall, f1, support}}. */
        private double[] perType(int t) {
            double p = ratio(counts[3 * t], counts[3 * t + 1]);
            double r = ratio(counts[3 * t], counts[3 * t + 2]);
            return new double[] {p, r, f1(p, r), counts[3 * t + 2]};
        }

        /** The mean over types of precision (0), recall (1) or F1 (2), unweighted or by support. */
        private double average(int field, boolean weighted) {
            if (types.isEmpty()) {
                return 0.0;
            }
            double sum = 0.0;
            double weight = 0.0;
            for (int t = 0; t < types.size(); t++) {
                double[] v = perType(t);
                double w = weighted ? v[3] : 1.0;
                sum += w * v[field];
                weight += w;
            }
            if (weight == 0.0) {
                return 0.0;
            }
            return sum / weight;
        }

        /** Macro F1 over the types. */
        public double macroF1() {
            return average(2, false);
        }

        /** F1 weighted by each type's labelled entities. */
        public double weightedF1() {
            return average(2, true);
        }

        /**
         * The report as a map: {@code entity_precision}, {@code entity_recall}, {@code entity_f1} (micro),
         * {@code entity_macro_f1}, {@code entity_weighted_f1}, {@code entity_support} and {@code entity_types} (per
         * type {@code precision}, {@code recall}, {@code f1}, {@code support}).
         */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("entity_precision", precision());
            m.put("entity_recall", recall());
            m.put("entity_f1", f1());
            m.put("entity_macro_f1", macroF1());
            m.put("entity_weighted_f1", weightedF1());
            m.put("entity_support", support());
            Map<String, Object> perType = new LinkedHashMap<>();
            for (int t = 0; t < types.size(); t++) {
                double[] v = perType(t);
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("precision", v[0]);
                one.put("recall", v[1]);
                one.put("f1", v[2]);
                one.put("support", counts[3 * t + 2]);
                perType.put(types.get(t), Collections.unmodifiableMap(one));
            }
            m.put("entity_types", Collections.unmodifiableMap(perType));
            return Collections.unmodifiableMap(m);
        }

        @Override
        public String toString() {
            return "EntityMetrics.Report[" + types.size() + " types, precision=" + precision() + ", recall="
                    + recall() + ", f1=" + f1() + "]";
        }
    }

    /**
     * Configures {@link EntityMetrics}.
     *
     * <pre>{@code
     * EntityMetrics m = EntityMetrics.builder(tagNames).ignoreIndex(-100).build();
     * }</pre>
     */
    public static final class Builder {
        private final List<String> tags;
        private int ignoreIndex = -100;

        private Builder(List<String> tags) {
            Objects.requireNonNull(tags, "tags");
            if (tags.size() < 2) {
                throw new IllegalArgumentException("entity metrics need at least 2 tags; found " + tags);
            }
            for (String t : tags) {
                Objects.requireNonNull(t, "a tag name is null");
            }
            this.tags = List.copyOf(tags);
        }

        /**
         * The label of positions that are not words (default -100).
         *
         * @throws IllegalArgumentException if it is a tag id
         */
        public Builder ignoreIndex(int index) {
            if (index >= 0 && index < tags.size()) {
                throw new IllegalArgumentException("ignore index " + index + " is the tag " + tags.get(index)
                        + "; expected a value outside [0, " + (tags.size() - 1) + "]");
            }
            this.ignoreIndex = index;
            return this;
        }

        /** An empty accumulator. */
        public EntityMetrics build() {
            return new EntityMetrics(this);
        }
    }
}
