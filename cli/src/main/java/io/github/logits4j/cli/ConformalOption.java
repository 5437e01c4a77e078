package io.github.logits4j.cli;

import io.github.logits4j.LoadException;
import io.github.logits4j.onnx.ModelConformal;
import io.github.logits4j.onnx.OnnxClassifier;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The {@code --conformal} option of {@code predict} and {@code evaluate}: prediction sets written by
 * {@code conformalize}.
 *
 * <pre>{@code
 * @Mixin ConformalOption conformal;
 * ModelConformal sets = conformal.open(classifier);      // null without --conformal
 * }</pre>
 */
final class ConformalOption {
    @Option(names = "--conformal", paramLabel = "FILE",
            description = "Prediction sets written by conformalize: predict adds each row's set (and its size),"
                    + " evaluate their coverage, sizes and per-class coverage.")
    String file;

    private SettingsFiles files = SettingsFiles.LOCAL;

    /** The file, or null: a file the command reads (for the checks on {@code --output}). */
    @Nullable Path file() {
        return file == null ? null : Path.of(file);
    }

    /** Reads {@code --conformal} with {@code files}. */
    void readWith(SettingsFiles files) {
        this.files = java.util.Objects.requireNonNull(files, "files");
    }

    /**
     * The sets for {@code model}, or null without {@code --conformal}.
     *
     * @throws LoadException if the file cannot be read or was made for another model
     */
    @Nullable ModelConformal open(OnnxClassifier model) throws LoadException {
        return file == null ? null : files.load(file, ModelConformal::read, ModelConformal::parse).fitTo(model);
    }
}
