package io.github.logits4j.cli;

import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.report.Json;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code logits4j inspect}: what logits4j decides about a model and from which evidence: its inputs and outputs, the
 * output read and what it emits, the head applied, the task, the class names and the provider that runs it.
 *
 * <pre>{@code
 * $ ./logits4j inspect --model testdata/models/digits_softmax.onnx
 * output kind  probabilities  (graph: Softmax node ...)
 * head applied none
 * ...
 * }</pre>
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false, footer = Main.EXIT_CODES,
        description = "Show a model's inputs and outputs, what its output emits (with the evidence), the head applied, "
                + "the task, the class names and the provider.")
final class InspectCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the report to FILE (whole or not at all) instead of standard output.")
    Path output;

    @Override
    public Integer call() {
        return Errors.guard(main, this::run);
    }

    private int run() throws Exception {
        model.validate();
        String f = Usage.choice(spec, "--format", format, "text", "json");
        ReportOutput.check(output, java.util.List.of(model.model));
        try (OnnxClassifier classifier = model.openForInspection(DataOptions.DEFAULT_BATCH_SIZE)) {
            String text = f.equals("json") ? Json.pretty(classifier.inspection().toMap())
                    : classifier.inspection().toString() + "\n";
            Reports.write(main, output, text);
        }
        return 0;
    }
}
