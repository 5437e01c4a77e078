package io.github.logits4j.onnx;

import static io.github.logits4j.onnx.ProtoWriter.FLOAT;
import static io.github.logits4j.onnx.ProtoWriter.graph;
import static io.github.logits4j.onnx.ProtoWriter.node;
import static io.github.logits4j.onnx.ProtoWriter.tensor;
import static io.github.logits4j.onnx.ProtoWriter.tensorProto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.LoadException;
import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.activation.Activation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract (output, kind, task, classes, names, refusal) is decided from the graph, the metadata and the settings
 * alone: these tests build graphs in memory and never open an ONNX Runtime session.
 */
class ContractResolverTest {

    /** x [batch, 64] -> Gemm 'fc' -> "logits" [batch, classes], then an optional head op named "out". */
    private static byte[] model(int classes, String head, String... metadata) {
        List<ProtoWriter> nodes = new ArrayList<>();
        nodes.add(node("Gemm", "fc", List.of("x", "w", "b"), List.of(head == null ? "out" : "logits")));
        if (head != null) {
            nodes.add(node(head, "head", List.of("logits"), List.of("out")));
        }
        ProtoWriter g = graph(nodes, List.of(tensor("x", FLOAT, "batch", 64)),
                List.of(tensor("out", FLOAT, "batch", classes)));
        g.message(5, tensorProto("w", FLOAT, new byte[4 * 64 * classes], classes, 64));
        g.message(5, tensorProto("b", FLOAT, new byte[4 * classes], classes));
        return ProtoWriter.model(17, g, metadata);
    }

    private static ModelContract resolve(byte[] bytes, OnnxClassifier.Builder b) throws LoadException {
        return ContractResolver.resolve(OnnxGraph.read(bytes, "m.onnx"), b.contractSettings());
    }

    private static OnnxClassifier.Builder builder(byte[] bytes) {
        return OnnxClassifier.builder(bytes, "m.onnx");
    }

    @Test
    void softmaxHeadGivesProbabilitiesAndMulticlass() throws LoadException {
        byte[] m = model(3, "Softmax");
        ModelContract c = resolve(m, builder(m));
        assertTrue(c.resolved());
        assertEquals(OutputKind.PROBABILITIES, c.outputKind());
        assertEquals(Task.MULTICLASS, c.task());
        assertEquals(Activation.NONE, c.activation());
        assertEquals(List.of("0", "1", "2"), c.classNames());
        assertEquals("graph: Softmax node 'head'", c.kindEvidence());
    }

    @Test
    void affineOutputIsLogitsAndGetsSoftmax() throws LoadException {
        byte[] m = model(4, null);
        ModelContract c = resolve(m, builder(m));
        assertEquals(OutputKind.LOGITS, c.outputKind());
        assertEquals(Activation.SOFTMAX, c.activation());
        assertTrue(c.taskEvidence().contains("4 outputs without a sigmoid head"), c.taskEvidence());
    }

    @Test
    void sigmoidHeadDecidesBinaryOrMultilabelByColumns() throws LoadException {
        byte[] one = model(1, "Sigmoid");
        assertEquals(Task.BINARY, resolve(one, builder(one)).task());
        byte[] five = model(5, "Sigmoid");
        assertEquals(Task.MULTILABEL, resolve(five, builder(five)).task());
    }

    @Test
    void metadataOverridesTheGraphAndTheCallerOverridesBoth() throws LoadException {
        byte[] m = model(3, null, OnnxClassifier.META_OUTPUT_KIND, "log-probabilities",
                OnnxClassifier.META_LABELS, "[\"a\", \"b\", \"c\"]");
        ModelContract meta = resolve(m, builder(m));
        assertEquals(OutputKind.LOG_PROBABILITIES, meta.outputKind());
        assertEquals(List.of("a", "b", "c"), meta.classNames());
        ModelContract caller = resolve(m, builder(m).outputKind(OutputKind.LOGITS).classNames(List.of("x", "y", "z")));
        assertEquals(OutputKind.LOGITS, caller.outputKind());
        assertEquals("set by the caller", caller.kindEvidence());
        assertEquals(List.of("x", "y", "z"), caller.classNames());
    }

    @Test
    void oneUndecidedColumnIsRefusedNamingTheSetting() throws LoadException {
        byte[] m = model(1, null);
        ModelContract c = resolve(m, builder(m).settingNames(Setting::option));
        assertFalse(c.resolved());
        assertNull(c.taskOrNull());
        assertTrue(c.refusal().contains("say so with --task binary"), c.refusal());
        IllegalStateException e = assertThrows(IllegalStateException.class, c::activation);
        assertEquals(c.refusal(), e.getMessage());
        assertEquals(Task.BINARY, resolve(m, builder(m).task(Task.BINARY)).task());
    }

    @Test
    void badMetadataKindIsALoadErrorNamingTheKey() {
        byte[] m = model(3, null, OnnxClassifier.META_OUTPUT_KIND, "scores");
        LoadException e = assertThrows(LoadException.class, () -> resolve(m, builder(m)));
        assertEquals("m.onnx: metadata logits4j.output_kind is 'scores'; expected logits, probabilities or"
                + " log_probabilities", e.getMessage());
    }

    @Test
    void theInputsAreDescribedOnceFromTheGraph() throws LoadException {
        byte[] m = model(3, "Softmax");
        OnnxGraph graph = OnnxGraph.read(m, "m.onnx");
        java.util.Map<String, InputSpec> inputs = ContractResolver.inputs(graph, graph.output("out"));
        assertEquals(List.of("x"), List.copyOf(inputs.keySet()));
        assertEquals("float[?, 64]", inputs.get("x").describe());
        assertEquals(0, inputs.get("x").batchAxis);

        ProtoWriter g = graph(List.of(node("Identity", "id", List.of("x"), List.of("out"))),
                List.of(ProtoWriter.seqOfMaps("x", 7)), List.of(tensor("out", FLOAT, "batch", 3)));
        OnnxGraph mapInput = OnnxGraph.read(ProtoWriter.model(17, g), "maps.onnx");
        LoadException e = assertThrows(LoadException.class,
                () -> ContractResolver.inputs(mapInput, mapInput.output("out")));
        assertEquals("maps.onnx: input 'x' is not a tensor; expected tensor inputs", e.getMessage());
    }

    @Test
    void outputKindParsingIsOneMethodForLibraryAndCommandLine() {
        assertEquals(OutputKind.PROBABILITIES, OutputKind.parse("probs"));
        assertEquals(OutputKind.LOG_PROBABILITIES, OutputKind.parse("Log-Probabilities"));
        assertEquals(OutputKind.LOG_PROBABILITIES, OutputKind.parse("log_probs"));
        assertEquals("log_probabilities", OutputKind.LOG_PROBABILITIES.id());
        assertThrows(IllegalArgumentException.class, () -> OutputKind.parse("auto"));
    }
}
