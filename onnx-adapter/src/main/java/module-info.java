/**
 * logits4j for ONNX: runs ONNX classifiers through ONNX Runtime, applies the head the graph calls for exactly once, and
 * evaluates data sets bound to the model.
 *
 * <pre>{@code
 * requires io.github.logits4j.onnx;
 * }</pre>
 */
module io.github.logits4j.onnx {
    requires transitive io.github.logits4j.core;
    requires transitive com.microsoft.onnxruntime;
    requires com.google.protobuf;
    requires de.siegmar.fastcsv;
    requires org.slf4j;

    exports io.github.logits4j.onnx;
    exports io.github.logits4j.data;
}
