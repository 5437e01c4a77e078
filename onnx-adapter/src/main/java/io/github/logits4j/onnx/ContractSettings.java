package io.github.logits4j.onnx;

import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What the caller settled about a model's output, for {@link ContractResolver}: the output, task, output kind and class
 * names given (null: decide from the metadata and the graph), and how messages name those settings; package-private
 * and immutable.
 *
 * <pre>{@code
 * ModelContract c = ContractResolver.resolve(graph, OnnxClassifier.builder(path).task(Task.MULTILABEL)
 *         .contractSettings());
 * }</pre>
 */
record ContractSettings(String source, @Nullable String output, @Nullable Task task, @Nullable OutputKind outputKind,
        @Nullable List<String> classNames, Function<Setting, String> settingNames,
        io.github.logits4j.DenseScores.@Nullable ClassAxis classAxis) {
}
