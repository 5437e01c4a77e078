package io.github.logits4j.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The names of a model's classes and where they came from.
 *
 * <p>A model may carry its class names, and what its output is, in {@code metadata_props} (ONNX custom metadata,
 * written in Python with {@code onnx.helper.set_model_props(model, {...})}). These keys are read:
 * <ul>
 *   <li>{@value #OUTPUT_KIND}: what the output emits, {@code logits}, {@code probabilities} or
 *       {@code log_probabilities}; it overrides what the graph shows.</li>
 *   <li>{@value #TASK}: {@code multiclass}, {@code multilabel} or {@code binary}.</li>
 *   <li>{@value #LABELS}: the class names as a JSON array, one per class in class-index order:
 *       {@code ["cat", "dog", "bird"]}.</li>
 *   <li>{@value #ID2LABEL}: the class names as a Hugging Face style JSON object from class index (as text) to name:
 *       {@code {"0": "cat", "1": "dog", "2": "bird"}}; a missing index is named by its number.</li>
 * </ul>
 * Without metadata, names come from a ZipMap's class labels, from an output whose name is itself such a JSON object
 * (some converters do this), or are the class indices {@code "0"}, {@code "1"}, ....
 *
 * <pre>{@code
 * ClassNames names = ClassNames.fromMetadata(graph.metadata(), 10);   // null when neither key is present
 * if (names == null) {
 *     names = ClassNames.indices(10);
 * }
 * names.names();    // ["zero", "one", ...]
 * names.source();   // "metadata 'logits4j.labels'"
 * }</pre>
 *
 * <p>Instances are immutable.
 */
final class ClassNames {
    /** Metadata key: what the output emits ({@code logits}, {@code probabilities}, {@code log_probabilities}). */
    static final String OUTPUT_KIND = "logits4j.output_kind";
    /** Metadata key: the task ({@code multiclass}, {@code multilabel}, {@code binary}). */
    static final String TASK = "logits4j.task";
    /** Metadata key: the class names as a JSON array. */
    static final String LABELS = "logits4j.labels";
    /** Metadata key: the class names as a Hugging Face style JSON object from index to name. */
    static final String ID2LABEL = "id2label";

    private final List<String> names;
    private final String source;

    private ClassNames(List<String> names, String source) {
        check(names, source);
        this.names = List.copyOf(names);
        this.source = source;
    }

    /**
     * A copy of names a caller gave, checked: not null, not empty, no null, empty or repeated name.
     *
     * @throws IllegalArgumentException (or NullPointerException for a null) naming {@code what} and the index
     */
    static List<String> checkedCopy(List<String> names, String what) {
        Objects.requireNonNull(names, what);
        if (names.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        for (int i = 0; i < names.size(); i++) {
            Objects.requireNonNull(names.get(i), what + "[" + i + "]");
        }
        check(names, what);
        return List.copyOf(names);
    }

    /**
     * Checks that class names from {@code source} are unique and none is empty or blank: a report keyed by name, a
     * thresholds file matched by name and a prediction shown by name would otherwise mix two classes up.
     *
     * @throws IllegalArgumentException naming the source, the name and the classes that share it
     */
    static void check(List<String> names, String source) {
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (n == null || n.isBlank()) {
                throw new IllegalArgumentException(source + ": the name of class " + i + " is "
                        + (n == null ? "missing" : "empty") + "; class names must be unique and non-empty");
            }
            Integer first = seen.putIfAbsent(n, i);
            if (first != null) {
                throw new IllegalArgumentException(source + ": classes " + first + " and " + i + " are both named '"
                        + io.github.logits4j.SafeText.of(n, 80) + "'; class names must be unique and non-empty");
            }
        }
    }

    /** The class names, one per class in class-index order. Unmodifiable. */
    List<String> names() {
        return names;
    }

    /** Where the names came from, for reports: {@code "metadata 'logits4j.labels'"}, {@code "class indices"}, .... */
    String source() {
        return source;
    }

    /** The number of classes named. */
    int size() {
        return names.size();
    }

    /**
     * The names from metadata key {@value #LABELS} (a JSON array) or, failing that, {@value #ID2LABEL} (a JSON
     * object from index to name); null when neither key is present.
     *
     * @param classes the number of classes the output has
     * @throws IllegalArgumentException if the value is not valid JSON of that shape, or names a different number of
     *                                  classes (the message names the key, the expected and the found counts)
     */
    static ClassNames fromMetadata(Map<String, String> metadata, int classes) {
        checkClasses(classes);
        String labels = metadata.get(LABELS);
        if (labels != null) {
            String where = "metadata '" + LABELS + "'";
            List<String> list;
            try {
                list = MiniJson.stringArray(labels);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + " is not a JSON array of names: " + e.getMessage(), e);
            }
            if (list.size() != classes) {
                throw new IllegalArgumentException(where + " has " + list.size() + " names; expected " + classes
                        + ", one per class of the output");
            }
            return new ClassNames(list, where);
        }
        String id2label = metadata.get(ID2LABEL);
        if (id2label != null) {
            String where = "metadata '" + ID2LABEL + "'";
            Map<String, String> map;
            try {
                map = MiniJson.stringObject(id2label);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + " is not a JSON object from class index to name: "
                        + e.getMessage(), e);
            }
            return fromIndexMap(map, classes, where);
        }
        return null;
    }

    /**
     * The names in an output name that is itself a JSON object from class index to name
     * ({@code {"0": "zero", "1": "one"}}); null when the name is not such an object.
     *
     * @throws IllegalArgumentException if it is such an object but names a different number of classes
     */
    static ClassNames fromOutputName(String outputName, int classes) {
        checkClasses(classes);
        if (outputName == null || !outputName.trim().startsWith("{")) {
            return null;
        }
        Map<String, String> map;
        try {
            map = MiniJson.stringObject(outputName);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return fromIndexMap(map, classes, "output name");
    }

    /** Names the caller gave (a builder setting); the caller checks the count against the output. */
    static ClassNames given(List<String> names) {
        Objects.requireNonNull(names, "names");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("class names must not be empty");
        }
        return new ClassNames(names, "set by the caller");
    }

    /** The class labels a ZipMap or ai.onnx.ml classifier head carries ({@code op}), in its order. */
    static ClassNames fromHead(List<String> labels, String op) {
        Objects.requireNonNull(labels, "labels");
        if (labels.isEmpty()) {
            throw new IllegalArgumentException(op + " has no class labels; expected at least one");
        }
        return new ClassNames(labels, op + " class labels");
    }

    /** The class indices as names: {@code "0"}, {@code "1"}, ..., {@code classes - 1}. */
    static ClassNames indices(int classes) {
        checkClasses(classes);
        List<String> names = new ArrayList<>(classes);
        for (int i = 0; i < classes; i++) {
            names.add(Integer.toString(i));
        }
        return new ClassNames(names, "class indices");
    }

    private static ClassNames fromIndexMap(Map<String, String> map, int classes, String where) {
        String[] names = new String[classes];
        for (Map.Entry<String, String> e : map.entrySet()) {
            int index;
            try {
                index = Integer.parseInt(e.getKey().trim());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(where + " has key \"" + e.getKey() + "\"; expected class indices"
                        + " \"0\" to \"" + (classes - 1) + "\"", ex);
            }
            if (index < 0 || index >= classes) {
                throw new IllegalArgumentException(where + " has " + map.size() + " names, with key \"" + e.getKey()
                        + "\"; expected " + classes + " (class indices \"0\" to \"" + (classes - 1) + "\")");
            }
            if (names[index] != null) {
                throw new IllegalArgumentException(where + " names class " + index + " twice");
            }
            names[index] = e.getValue();
        }
        for (int i = 0; i < classes; i++) {
            if (names[i] == null) {
                names[i] = Integer.toString(i);
            }
        }
        return new ClassNames(List.of(names), where);
    }

    private static void checkClasses(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be at least 1; found " + classes);
        }
    }

    @Override
    public String toString() {
        return names + " (from " + source + ")";
    }
}
