package io.github.logits4j.cli;

import io.github.logits4j.LoadException;
import io.github.logits4j.onnx.ModelTemperature;
import io.github.logits4j.onnx.OnnxClassifier;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The {@code --calibration} option of {@code evaluate}, {@code predict} and {@code tune-thresholds}: a temperature
 * written by {@code calibrate}, which divides the logits before the head.
 *
 * <pre>{@code
 * @Mixin CalibrationOption calibration;
 * ModelTemperature temperature = calibration.open(classifier);    // null without --calibration
 * }</pre>
 */
final class CalibrationOption {
    @Option(names = "--calibration", paramLabel = "FILE",
            description = "A temperature written by calibrate: the logits are divided by it before the head.")
    String file;

    private SettingsFiles files = SettingsFiles.LOCAL;

    /** Reads {@code --calibration} with {@code files}. */
    void readWith(SettingsFiles files) {
        this.files = java.util.Objects.requireNonNull(files, "files");
    }

    /** The file, or null: a file the command reads (for the checks on {@code --output}). */
    @Nullable Path file() {
        return file == null ? null : Path.of(file);
    }

    /**
     * The temperature for {@code model}, or null without {@code --calibration}.
     *
     * @throws LoadException if the file cannot be read or does not fit the model
     * @throws IllegalArgumentException if the model does not emit logits
     */
    @Nullable ModelTemperature open(OnnxClassifier model) throws LoadException {
        return file == null ? null : files.load(file, ModelTemperature::read, ModelTemperature::parse).fitTo(model);
    }
}
