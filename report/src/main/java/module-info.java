/**
 * logits4j's reports: an evaluation ({@code io.github.logits4j.onnx.EvaluationReport}) as aligned text, JSON, or one
 * self-contained HTML page with its charts; for the library, the command line and the Spark jobs alike.
 *
 * <pre>{@code
 * requires io.github.logits4j.report;
 * }</pre>
 */
module io.github.logits4j.report {
    requires transitive io.github.logits4j.onnx;
    requires com.fasterxml.jackson.core;

    exports io.github.logits4j.report;
}
