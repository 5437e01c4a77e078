package io.github.logits4j;

import java.util.Locale;

/**
 * The classification task a model's output serves; it decides the head (softmax or sigmoid), the loss and the
 * metrics.
 *
 * <pre>{@code
 * Task t = Task.parse("multilabel");     // Task.MULTILABEL
 * String id = Task.BINARY.id();          // "binary"
 * }</pre>
 */
public enum Task {
    /** One class of C per sample: softmax head, cross-entropy, multi-class metrics. */
    MULTICLASS,
    /** Any subset of C labels per sample: sigmoid per label, binary cross-entropy, multi-label metrics. */
    MULTILABEL,
    /** One positive/negative decision per sample from one output: sigmoid, binary cross-entropy, binary metrics. */
    BINARY;

    /** The lowercase name used in reports, metadata and the command line ({@code "multiclass"}, ...). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The task named {@code text} ({@code multiclass}, {@code multilabel} or {@code binary}, any case; {@code -} and
     * {@code _} ignored).
     *
     * @throws IllegalArgumentException naming the text and the accepted names
     */
    public static Task parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (Task task : values()) {
            if (task.id().equals(t)) {
                return task;
            }
        }
        throw new IllegalArgumentException("task is '" + text + "'; expected multiclass, multilabel or binary");
    }
}
