/**
 * The {@code logits4j} command: inspect, evaluate, predict, tune-thresholds and calibrate. Its classes are the tool,
 * not an API: the module exports nothing.
 *
 * <pre>{@code
 * java -p logits4j-cli.jar:... -m io.github.logits4j.cli/io.github.logits4j.cli.Main evaluate --model m.onnx ...
 * }</pre>
 */
module io.github.logits4j.cli {
    requires io.github.logits4j.report;
    requires info.picocli;
    requires org.slf4j;

    opens io.github.logits4j.cli to info.picocli;
}
