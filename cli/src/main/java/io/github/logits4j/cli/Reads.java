package io.github.logits4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files a command reads, gathered for the check that {@code --output} overwrites none of them.
 *
 * <pre>{@code
 * ReportOutput.check(output, Reads.of(model, data.files(), labels, thresholds));
 * }</pre>
 */
final class Reads {
    private Reads() {
    }

    /**
     * The model and its class-names file, the input files and the other files given (null entries are options not
     * given).
     */
    static List<Path> of(ModelOptions model, List<Path> inputs, Path... others) {
        List<Path> all = new ArrayList<>();
        all.add(model.model);
        if (model.classNamesFile != null) {
            all.add(model.classNamesFile);
        }
        all.addAll(inputs);
        for (Path p : others) {
            if (p != null) {
                all.add(p);
            }
        }
        return all;
    }
}
