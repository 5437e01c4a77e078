package io.github.logits4j.onnx;

import static io.github.logits4j.onnx.ProtoWriter.FLOAT;
import static io.github.logits4j.onnx.ProtoWriter.INT64;
import static io.github.logits4j.onnx.ProtoWriter.STRING;
import static io.github.logits4j.onnx.ProtoWriter.attrGraph;
import static io.github.logits4j.onnx.ProtoWriter.attrInt;
import static io.github.logits4j.onnx.ProtoWriter.attrInts;
import static io.github.logits4j.onnx.ProtoWriter.attrStrings;
import static io.github.logits4j.onnx.ProtoWriter.attrTensor;
import static io.github.logits4j.onnx.ProtoWriter.graph;
import static io.github.logits4j.onnx.ProtoWriter.node;
import static io.github.logits4j.onnx.ProtoWriter.seqOfMaps;
import static io.github.logits4j.onnx.ProtoWriter.tensor;
import static io.github.logits4j.onnx.ProtoWriter.tensorNoShape;
import static io.github.logits4j.onnx.ProtoWriter.tensorProto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.LoadException;
import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The head-detection rules, on graphs built here: each rule and each way it must refuse to see a head. */
class HeadDetectionTest {

    /** x [batch, 10] -> Gemm 'fc' -> "logits", then {@code head}; the graph output is {@code out}. */
    private static OnnxGraph model(long opset, List<ProtoWriter> head, ProtoWriter out) throws LoadException {
        List<ProtoWriter> nodes = new ArrayList<>();
        nodes.add(node("Gemm", "fc", List.of("x", "w", "b"), List.of("logits")));
        nodes.addAll(head);
        ProtoWriter g = graph(nodes, List.of(tensor("x", FLOAT, "batch", 64)), List.of(out));
        g.message(5, tensorProto("w", FLOAT, new byte[4 * 640], 10, 64));
        g.message(5, tensorProto("b", FLOAT, new byte[40], 10));
        return OnnxGraph.read(ProtoWriter.model(opset, g), "test.onnx");
    }

    private static ProtoWriter out(String name) {
        return tensor(name, FLOAT, "batch", 10);
    }

    @Test
    void gemmOutputIsLogits() throws LoadException {
        HeadEvidence h = model(17, List.of(), out("logits")).detectHead("logits");
        assertEquals(OutputKind.LOGITS, h.kind());
        assertTrue(h.known());
        assertEquals("Gemm", h.op());
        assertEquals(List.of("fc"), h.nodes());
        assertEquals("Gemm node 'fc' (an affine op: logits)", h.description());
        assertNull(h.taskHint());
        assertTrue(h.classLabels().isEmpty());
    }

    @Test
    void softmaxThroughShapeOnlyOps() throws LoadException {
        HeadEvidence h = model(17, List.of(
                node("Softmax", "sm", List.of("logits"), List.of("p0"), attrInt("axis", -1)),
                node("Identity", "id", List.of("p0"), List.of("p1")),
                node("Reshape", "rs", List.of("p1", "shape"), List.of("p2")),
                node("Flatten", "fl", List.of("p2"), List.of("p3"), attrInt("axis", 1)),
                node("Unsqueeze", "us", List.of("p3", "axes"), List.of("p4")),
                node("Squeeze", "sq", List.of("p4", "axes"), List.of("p5")),
                node("Cast", "cast", List.of("p5"), List.of("p6"), attrInt("to", FLOAT)),
                node("Transpose", "tr", List.of("p6"), List.of("probabilities"), attrInts("perm", true, 0, 1))),
                out("probabilities")).detectHead("probabilities");
        assertEquals(OutputKind.PROBABILITIES, h.kind());
        assertEquals("Softmax", h.op());
        assertEquals(Task.MULTICLASS, h.taskHint());
        assertEquals(List.of("sm", "id", "rs", "fl", "us", "sq", "cast", "tr"), h.nodes());
        assertEquals("Softmax node 'sm' (through Identity 'id', Reshape 'rs', Flatten 'fl', Unsqueeze 'us',"
                + " Squeeze 'sq', Cast 'cast', Transpose 'tr')", h.description());
    }

    @Test
    void logSoftmaxIsLogProbabilities() throws LoadException {
        HeadEvidence h = model(13, List.of(node("LogSoftmax", "lsm", List.of("logits"), List.of("lp"))),
                out("lp")).detectHead("lp");
        assertEquals(OutputKind.LOG_PROBABILITIES, h.kind());
        assertEquals("LogSoftmax", h.op());
        assertEquals(Task.MULTICLASS, h.taskHint());
        assertEquals("LogSoftmax node 'lsm'", h.description());
    }

    @Test
    void sigmoidIsProbabilitiesWithoutTaskHint() throws LoadException {
        HeadEvidence h = model(17, List.of(node("Sigmoid", "sig", List.of("logits"), List.of("p"))), out("p"))
                .detectHead("p");
        assertEquals(OutputKind.PROBABILITIES, h.kind());
        assertEquals("Sigmoid", h.op());
        assertNull(h.taskHint());
    }

    @Test
    void transposeThatMovesTheLastAxisStopsTheWalk() throws LoadException {
        HeadEvidence swapped = model(17, List.of(
                node("Softmax", "sm", List.of("logits"), List.of("p")),
                node("Transpose", "tr", List.of("p"), List.of("t"), attrInts("perm", false, 1, 0))),
                out("t")).detectHead("t");
        assertNull(swapped.kind());
        assertEquals("Transpose", swapped.op());
        HeadEvidence noPerm = model(17, List.of(
                node("Softmax", "sm", List.of("logits"), List.of("p")),
                node("Transpose", "tr", List.of("p"), List.of("t"))),
                out("t")).detectHead("t");
        assertNull(noPerm.kind());
        assertEquals("Transpose", noPerm.op());
        HeadEvidence kept = model(17, List.of(
                node("Softmax", "sm", List.of("logits"), List.of("p")),
                node("Transpose", "tr", List.of("p"), List.of("t"), attrInts("perm", false, 0, 1))),
                out("t")).detectHead("t");
        assertEquals(OutputKind.PROBABILITIES, kept.kind());
    }

    @Test
    void softmaxOverTheBatchAxisIsNotAHead() throws LoadException {
        HeadEvidence h = model(13, List.of(node("Softmax", "sm", List.of("logits"), List.of("p"),
                attrInt("axis", 0))), out("p")).detectHead("p");
        assertNull(h.kind());
        assertEquals("Softmax", h.op());
        assertTrue(h.description().contains("not the class axis"), h.description());
        assertNull(h.taskHint());
    }

    @Test
    void softmaxAxisOneOfRankTwoIsTheClassAxis() throws LoadException {
        HeadEvidence h = model(13, List.of(node("Softmax", "sm", List.of("logits"), List.of("p"),
                attrInt("axis", 1))), out("p")).detectHead("p");
        assertEquals(OutputKind.PROBABILITIES, h.kind());
    }

    @Test
    void oldSoftmaxCountsAndNamesItsOpset() throws LoadException {
        HeadEvidence h = model(11, List.of(node("Softmax", "sm", List.of("logits"), List.of("p"))), out("p"))
                .detectHead("p");
        assertEquals(OutputKind.PROBABILITIES, h.kind());
        assertEquals("Softmax", h.op());
        assertTrue(h.description().contains("Softmax-11") && h.description().contains("opset 11"), h.description());
        HeadEvidence v1 = model(9, List.of(node("LogSoftmax", "lsm", List.of("logits"), List.of("p"))),
                tensorNoShape("p", FLOAT)).detectHead("p");
        assertEquals(OutputKind.LOG_PROBABILITIES, v1.kind());
        assertTrue(v1.description().contains("LogSoftmax-1 of opset 9"), v1.description());
    }

    @Test
    void softmaxOfUnknownRankWithDefaultAxisCounts() throws LoadException {
        HeadEvidence h = model(13, List.of(node("Softmax", "sm", List.of("logits"), List.of("p"))),
                tensorNoShape("p", FLOAT)).detectHead("p");
        assertEquals(OutputKind.PROBABILITIES, h.kind());
    }

    @Test
    void opsOfOtherDomainsAreNotHeads() throws LoadException {
        HeadEvidence h = model(17, List.of(node("com.example", "Softmax", "custom", List.of("logits"),
                List.of("p"))), out("p")).detectHead("p");
        assertNull(h.kind());
        assertEquals("com.example.Softmax", h.op());
        assertTrue(h.description().contains("of domain 'com.example'"), h.description());
        HeadEvidence qualified = model(17, List.of(node("ai.onnx", "Softmax", "sm", List.of("logits"),
                List.of("p"))), out("p")).detectHead("p");
        assertEquals(OutputKind.PROBABILITIES, qualified.kind());
        HeadEvidence otherIdentity = model(17, List.of(
                node("Softmax", "sm", List.of("logits"), List.of("p")),
                node("com.example", "Identity", "id", List.of("p"), List.of("q"))), out("q")).detectHead("q");
        assertNull(otherIdentity.kind());
    }

    @Test
    void unnamedNodesAreNamedByTheirIndex() throws LoadException {
        HeadEvidence h = model(17, List.of(node("Softmax", "", List.of("logits"), List.of("p")),
                node("Identity", "", List.of("p"), List.of("q"))), out("q")).detectHead("q");
        assertEquals(List.of("#1", "#2"), h.nodes());
        assertEquals("Softmax node #1 (unnamed) (through Identity #2 (unnamed))", h.description());
    }

    @Test
    void graphInputConstantAndInitializerOutputsHaveNoOp() throws LoadException {
        ProtoWriter g = graph(List.of(node("Constant", "c", List.of(), List.of("k"),
                attrTensor("value", tensorProto("", FLOAT, new byte[40], 1, 10))),
                node("Identity", "id", List.of("x"), List.of("y"))),
                List.of(tensor("x", FLOAT, "batch", 10)),
                List.of(out("x"), out("y"), out("k"), out("w")));
        g.message(5, tensorProto("w", FLOAT, new byte[40], 1, 10));
        OnnxGraph graph = OnnxGraph.read(ProtoWriter.model(17, g), "consts.onnx");
        HeadEvidence input = graph.detectHead("x");
        assertNull(input.kind());
        assertNull(input.op());
        assertTrue(input.description().contains("graph input 'x'"), input.description());
        HeadEvidence viaIdentity = graph.detectHead("y");
        assertNull(viaIdentity.op());
        assertEquals(List.of("id"), viaIdentity.nodes());
        HeadEvidence constant = graph.detectHead("k");
        assertNull(constant.op());
        assertTrue(constant.description().contains("Constant node 'c'"), constant.description());
        HeadEvidence initializer = graph.detectHead("w");
        assertNull(initializer.op());
        assertTrue(initializer.description().contains("initializer 'w'"), initializer.description());
    }

    @Test
    void unknownOutputNameIsRefusedWithTheOutputs() throws LoadException {
        OnnxGraph g = model(17, List.of(), out("logits"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.detectHead("scores"));
        assertEquals("test.onnx has no output 'scores'; its outputs are [logits]", e.getMessage());
    }

    @Test
    void cyclesDoNotHang() throws LoadException {
        HeadEvidence h = model(17, List.of(node("Identity", "a", List.of("q"), List.of("p")),
                node("Identity", "b", List.of("p"), List.of("q"))), out("q")).detectHead("q");
        assertNull(h.kind());
        assertTrue(h.description().contains("cycle"), h.description());
    }

    // ------------------------------------------------------------------------------------------------ If

    private static ProtoWriter branch(String op, String nodeName, String out) {
        return graph(List.of(node(op, nodeName, List.of("logits"), List.of(out))), List.of(),
                List.of(tensor(out, FLOAT, "batch", 10)));
    }

    private static ProtoWriter ifNode(ProtoWriter thenBranch, ProtoWriter elseBranch) {
        return node("If", "head_if", List.of("cond"), List.of("probabilities"),
                attrGraph("then_branch", thenBranch), attrGraph("else_branch", elseBranch));
    }

    @Test
    void ifWithSoftmaxInBothBranches() throws LoadException {
        HeadEvidence h = model(17, List.of(ifNode(branch("Softmax", "sm_then", "a"), branch("Softmax", "sm_else",
                "b"))), out("probabilities")).detectHead("probabilities");
        assertEquals(OutputKind.PROBABILITIES, h.kind());
        assertEquals("Softmax", h.op());
        assertEquals(Task.MULTICLASS, h.taskHint());
        assertEquals("Softmax in both branches of If node 'head_if' (then_branch: Softmax node 'sm_then'; the"
                + " else_branch agrees)", h.description());
        assertEquals(List.of("sm_then", "sm_else", "head_if"), h.nodes());
    }

    @Test
    void ifWhoseBranchesDisagreeIsUnknown() throws LoadException {
        HeadEvidence h = model(17, List.of(ifNode(branch("Softmax", "sm_then", "a"), branch("Sigmoid", "sig_else",
                "b"))), out("probabilities")).detectHead("probabilities");
        assertNull(h.kind());
        assertEquals("If", h.op());
        assertNull(h.taskHint());
        assertTrue(h.description().contains("disagree") && h.description().contains("Softmax node 'sm_then'")
                && h.description().contains("Sigmoid node 'sig_else'"), h.description());
        HeadEvidence oneHead = model(17, List.of(ifNode(branch("Softmax", "sm_then", "a"), branch("Relu", "r",
                "b"))), out("probabilities")).detectHead("probabilities");
        assertNull(oneHead.kind());
        assertTrue(oneHead.description().contains("disagree") && oneHead.description().contains("Relu"),
                oneHead.description());
        HeadEvidence neither = model(17, List.of(ifNode(branch("Relu", "r1", "a"), branch("Relu", "r2", "b"))),
                out("probabilities")).detectHead("probabilities");
        assertNull(neither.kind());
        assertEquals("If", neither.op());
    }

    @Test
    void ifBranchesCanUseTheOuterScopeAndNest() throws LoadException {
        // then: Identity of an outer Softmax; else: a nested If with Softmax in both of its branches
        ProtoWriter thenBranch = graph(List.of(node("Identity", "pass", List.of("outer_p"), List.of("a"))),
                List.of(), List.of(tensor("a", FLOAT, "batch", 10)));
        ProtoWriter inner = node("If", "inner_if", List.of("cond"), List.of("b"),
                attrGraph("then_branch", branch("Softmax", "sm1", "c")),
                attrGraph("else_branch", branch("Softmax", "sm2", "d")));
        ProtoWriter elseBranch = graph(List.of(inner), List.of(), List.of(tensor("b", FLOAT, "batch", 10)));
        HeadEvidence h = model(17, List.of(node("Softmax", "outer_sm", List.of("logits"), List.of("outer_p")),
                ifNode(thenBranch, elseBranch),
                node("Identity", "after", List.of("probabilities"), List.of("final"))), out("final"))
                .detectHead("final");
        assertEquals(OutputKind.PROBABILITIES, h.kind());
        assertEquals(List.of("outer_sm", "pass", "sm1", "sm2", "inner_if", "head_if", "after"), h.nodes());
        assertTrue(h.description().endsWith("(through Identity 'after')"), h.description());
    }

    @Test
    void ifOutputIndexSelectsTheBranchOutput() throws LoadException {
        ProtoWriter thenBranch = graph(List.of(node("Relu", "r1", List.of("logits"), List.of("t0")),
                node("Softmax", "s1", List.of("logits"), List.of("t1"))), List.of(),
                List.of(tensor("t0", FLOAT, "batch", 10), tensor("t1", FLOAT, "batch", 10)));
        ProtoWriter elseBranch = graph(List.of(node("Relu", "r2", List.of("logits"), List.of("e0")),
                node("Softmax", "s2", List.of("logits"), List.of("e1"))), List.of(),
                List.of(tensor("e0", FLOAT, "batch", 10), tensor("e1", FLOAT, "batch", 10)));
        OnnxGraph g = model(17, List.of(node("If", "two", List.of("cond"), List.of("first", "second"),
                attrGraph("then_branch", thenBranch), attrGraph("else_branch", elseBranch))), out("second"));
        assertEquals(OutputKind.PROBABILITIES, g.detectHead("second").kind());
    }

    @Test
    void ifWithoutBranchesIsUnknown() throws LoadException {
        HeadEvidence h = model(17, List.of(node("If", "broken", List.of("cond"), List.of("p"))), out("p"))
                .detectHead("p");
        assertNull(h.kind());
        assertEquals("If", h.op());
    }

    // ------------------------------------------------------------------------------------------------ ZipMap

    @Test
    void zipMapWithInt64LabelsPackedOrNot() throws LoadException {
        for (boolean packed : new boolean[] {true, false}) {
            OnnxGraph g = model(17, List.of(
                    node("Softmax", "sm", List.of("logits"), List.of("p")),
                    node("ai.onnx.ml", "ZipMap", "zm", List.of("p"), List.of("probabilities"),
                            attrInts("classlabels_int64s", packed, 3, 1, 2))),
                    seqOfMaps("probabilities", INT64));
            HeadEvidence h = g.detectHead("probabilities");
            assertEquals(OutputKind.PROBABILITIES, h.kind());
            assertEquals("ZipMap", h.op());
            assertEquals(Task.MULTICLASS, h.taskHint());
            assertEquals(List.of("3", "1", "2"), h.classLabels());
            assertEquals("ZipMap node 'zm'", h.description());
            ValueSpec spec = g.outputs().get(0);
            assertTrue(spec.isSequenceOfMaps());
            assertEquals("seq(map(int64,tensor(float)))", spec.type());
        }
    }

    @Test
    void zipMapWithStringLabels() throws LoadException {
        OnnxGraph g = model(17, List.of(
                node("Softmax", "sm", List.of("logits"), List.of("p")),
                node("ai.onnx.ml", "ZipMap", "zm", List.of("p"), List.of("probabilities"),
                        attrStrings("classlabels_strings", "cat", "dög", "bird"))),
                seqOfMaps("probabilities", STRING));
        HeadEvidence h = g.detectHead("probabilities");
        assertEquals(List.of("cat", "dög", "bird"), h.classLabels());
        assertEquals("seq(map(string,tensor(float)))", g.outputs().get(0).type());
    }

    @Test
    void zipMapOutsideTheMlDomainIsNotAHead() throws LoadException {
        HeadEvidence h = model(17, List.of(node("ZipMap", "zm", List.of("logits"), List.of("probabilities"),
                attrInts("classlabels_int64s", true, 0, 1))), seqOfMaps("probabilities", INT64))
                .detectHead("probabilities");
        assertNull(h.kind());
        assertTrue(h.classLabels().isEmpty());
    }
}
