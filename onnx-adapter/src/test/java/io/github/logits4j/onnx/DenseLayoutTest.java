package io.github.logits4j.onnx;

import static io.github.logits4j.onnx.ProtoWriter.FLOAT;
import static io.github.logits4j.onnx.ProtoWriter.graph;
import static io.github.logits4j.onnx.ProtoWriter.node;
import static io.github.logits4j.onnx.ProtoWriter.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.DenseScores;
import io.github.logits4j.golden.Golden;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The class axis of the bundled dense models from their graphs alone ({@code testdata/golden/dense_models.json}: a
 * torchvision-style FCN and a SegFormer-style model, whose classes are a Conv's output channels on axis 1, the FCN's
 * behind a bilinear Resize; a BERT-style token classifier, whose classes are its last MatMul's columns, behind the bias
 * Add), with both exporters, the legacy ones leaving every dimension symbolic (the class count then comes from the
 * deciding op's weight); and a graph that ends in a Transpose, which decides nothing.
 */
class DenseLayoutTest {
    private static final Golden GOLDEN = Golden.load("dense_models");

    @TestFactory
    Stream<DynamicTest> theBundledDenseModels() {
        return GOLDEN.cases("dense_model").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            OnnxGraph g = OnnxGraph.read(Golden.testdata().resolve("models").resolve(c.paramString("model")));
            String output = c.paramString("output");
            DenseLayout layout = DenseLayout.of(graphOf(g), output, g.output(output).shape());
            DenseScores.ClassAxis expected = c.paramString("class_axis").equals("first")
                    ? DenseScores.ClassAxis.FIRST : DenseScores.ClassAxis.LAST;
            assertEquals(expected, layout.axis(), layout.evidence());
            String shown = c.paramString("evidence_op");           // the op nearest the output that tells
            assertEquals(shown.equals("Resize") ? "Conv" : shown, layout.op(), layout.evidence());
            assertTrue(layout.evidence().contains(shown), layout.evidence());
            long classes = c.expected("raw_head").dim(0);
            assertEquals(classes, layout.classes(), layout.evidence());
            System.out.println(c.paramString("model") + ": " + layout);
        }));
    }

    private static GraphModel.Graph graphOf(OnnxGraph g) {
        return g.graph();
    }

    @Test
    void aTransposeDecidesNothing() throws Exception {
        ProtoWriter gr = graph(List.of(node("Transpose", "t", List.of("x"), List.of("out"))),
                List.of(tensor("x", FLOAT, "batch", 5, 7)), List.of(tensor("out", FLOAT, "batch", 7, 5)));
        OnnxGraph g = OnnxGraph.read(ProtoWriter.model(17, gr), "t.onnx");
        DenseLayout layout = DenseLayout.of(graphOf(g), "out", g.output("out").shape());
        assertNull(layout.axis());
        assertTrue(layout.evidence().contains("Transpose 't'"), layout.evidence());
    }
}
