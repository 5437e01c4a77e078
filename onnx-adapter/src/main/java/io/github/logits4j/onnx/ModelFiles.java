package io.github.logits4j.onnx;

import io.github.logits4j.LoadException;
import io.github.logits4j.SafeText;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON files made for one model ({@link ModelThresholds}, {@link ModelTemperature}): reading one, recording the
 * model it was made for ({@code task}, {@code class_names}), and refusing it for another model; package-private.
 *
 * <pre>{@code
 * Map<String, Object> map = ModelFiles.read(Path.of("thresholds.json"));
 * ModelFiles.checkMadeFor(map, "thresholds.json", model);      // LoadException for another task or class names
 * }</pre>
 */
final class ModelFiles {
    /** The largest file read: these files hold a few numbers per class. */
    private static final long MAX_BYTES = 64L << 20;

    private ModelFiles() {
    }

    /**
     * The JSON object in {@code file}.
     *
     * @throws LoadException naming the file: missing, not a regular file, unreadable, or not one JSON object (with the
     *     line and column)
     */
    static Map<String, Object> read(Path file) throws LoadException {
        if (Files.isDirectory(file)) {
            throw new LoadException(file + ": is a directory; expected a JSON file");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new LoadException(file + ": is not a regular file (a device, a FIFO or a socket); expected a JSON"
                    + " file");
        }
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new LoadException(file + ": is " + Files.size(file) + " bytes; a thresholds or temperature file"
                        + " holds a few numbers per class (at most " + MAX_BYTES + " bytes)");
            }
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (NoSuchFileException e) {
            throw new LoadException(file + ": file not found", e);
        } catch (CharacterCodingException e) {
            throw new LoadException(file + ": not a JSON object: not UTF-8 text", e);
        } catch (IOException e) {
            throw new LoadException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /**
     * The bytes of a classpath resource (a model packaged in a jar).
     *
     * @throws LoadException if the resource does not exist or cannot be read
     */
    static byte[] resource(String resource, ClassLoader loader) throws LoadException {
        java.util.Objects.requireNonNull(resource, "resource");
        try (java.io.InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new LoadException("classpath:" + resource + ": resource not found");
            }
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new LoadException("classpath:" + resource + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * The JSON object in {@code text}, read from {@code source} (a file, a Hadoop path).
     *
     * @throws LoadException naming {@code source}, the line and column, what was expected and what was found
     */
    static Map<String, Object> parse(String text, String source) throws LoadException {
        try {
            return MiniJson.object(text);
        } catch (IllegalArgumentException e) {
            String why = e.getMessage().replaceFirst("^malformed JSON at (line \\d+, column \\d+): ", "($1): ");
            throw new LoadException(source + ": not a JSON object " + SafeText.of(why, 200), e);
        }
    }

    /**
     * Checks that a file's {@code task} and {@code class_names}, when it has them, are {@code model}'s.
     *
     * @throws LoadException naming the file, what it was made for, and what the model is
     */
    static void checkMadeFor(Map<String, ?> map, String source, OnnxClassifier model) throws LoadException {
        Object task = map.get("task");
        if (task instanceof String t && !t.equals(model.task().id())) {
            throw new LoadException(source + ": was made for a " + SafeText.of(t, 40) + " model; "
                    + model.inspection().source() + " is " + model.task().id());
        }
        if (task != null && !(task instanceof String)) {
            throw new LoadException(source + ": 'task' is " + SafeText.of(String.valueOf(task), 40)
                    + "; expected multiclass, multilabel or binary");
        }
        Object names = map.get("class_names");
        if (names instanceof List<?> list && !list.equals(model.classNames())) {
            throw new LoadException(source + ": was made for a model with " + list.size() + " class"
                    + (list.size() == 1 ? "" : "es") + " " + SafeText.of(String.valueOf(list), 120) + "; "
                    + model.inspection().source() + " has " + model.classes() + " "
                    + SafeText.of(String.valueOf(model.classNames()), 120));
        }
    }

    /** {@code values} with the model it is made for: {@code task} first, {@code class_names} last. Unmodifiable. */
    static Map<String, Object> madeFor(String task, List<String> classNames, Map<String, Object> values) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", task);
        m.putAll(values);
        m.put("class_names", List.copyOf(classNames));
        return java.util.Collections.unmodifiableMap(m);
    }
}
