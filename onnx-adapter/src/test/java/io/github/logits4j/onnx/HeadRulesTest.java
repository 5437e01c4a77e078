package io.github.logits4j.onnx;

import static io.github.logits4j.onnx.ProtoWriter.FLOAT;
import static io.github.logits4j.onnx.ProtoWriter.attrFloats;
import static io.github.logits4j.onnx.ProtoWriter.attrInt;
import static io.github.logits4j.onnx.ProtoWriter.attrInts;
import static io.github.logits4j.onnx.ProtoWriter.attrString;
import static io.github.logits4j.onnx.ProtoWriter.graph;
import static io.github.logits4j.onnx.ProtoWriter.node;
import static io.github.logits4j.onnx.ProtoWriter.tensor;
import static io.github.logits4j.onnx.ProtoWriter.tensorProto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.LoadException;
import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The head rules that keep logits4j from guessing "logits" (issue 8): ai.onnx.ml classifiers by post_transform,
 * Normalizer, range-keeping reductions, arithmetic with constants, Log/Exp, Concat, [N, C, 1, 1] softmax, and the
 * ops that prove nothing.
 */
class HeadRulesTest {

    /** x [batch, 64] -> Gemm 'fc' -> "logits" [batch, 10] (initializers w, b, k = 0), then {@code nodes}. */
    private static HeadEvidence head(List<ProtoWriter> nodes, Out out) throws LoadException {
        return headWith("logits4j-test", nodes, out, "k", 0);
    }

    /**
     * Like {@link #head}, with the model's producer and scalar float constants ({@code "name", value, ...}) and the
     * int64 constant "axis1" = [1].
     */
    private static HeadEvidence headWith(String producer, List<ProtoWriter> nodes, Out out, Object... constants)
            throws LoadException {
        List<ProtoWriter> all = new ArrayList<>();
        all.add(node("Gemm", "fc", List.of("x", "w", "b"), List.of("logits")));
        all.addAll(nodes);
        ProtoWriter g = graph(all, List.of(tensor("x", FLOAT, "batch", 64)), List.of(out.value()));
        g.message(5, tensorProto("w", FLOAT, new byte[4 * 640], 10, 64));
        g.message(5, tensorProto("b", FLOAT, new byte[40], 10));
        g.message(5, tensorProto("axis1", ProtoWriter.INT64, ProtoWriter.longs(1), 1));
        for (int i = 0; i < constants.length; i += 2) {
            g.message(5, tensorProto((String) constants[i], FLOAT,
                    ProtoWriter.floats(((Number) constants[i + 1]).floatValue()), 1));
        }
        return OnnxGraph.read(ProtoWriter.modelBy(producer, 17, g), "facts.onnx").detectHead(out.name());
    }

    /** The graph output: a float tensor named {@code name}, [batch, 10] unless {@code dims} are given. */
    private record Out(String name, ProtoWriter value) {
    }

    private static Out out(String name, Object... dims) {
        return new Out(name, tensor(name, FLOAT, dims.length == 0 ? new Object[] {"batch", 10} : dims));
    }

    private static ProtoWriter classifier(String op, String postTransform, ProtoWriter... extra) {
        List<ProtoWriter> attrs = new ArrayList<>(List.of(attrString("post_transform", postTransform),
                attrInts(op.equals("TreeEnsembleClassifier") ? "classlabels_int64s" : "classlabels_ints", true, 0,
                        1, 2)));
        attrs.addAll(List.of(extra));
        return node("ai.onnx.ml", op, "clf", List.of("x"), List.of("label", "scores"),
                attrs.toArray(new ProtoWriter[0]));
    }

    @Test
    void mlClassifiersAreReadByTheirPostTransform() throws LoadException {
        for (String t : List.of("SOFTMAX", "SOFTMAX_ZERO", "LOGISTIC", "PROBIT")) {
            for (String op : List.of("LinearClassifier", "TreeEnsembleClassifier", "SVMClassifier")) {
                HeadEvidence h = head(List.of(classifier(op, t)), out("scores", "N", 3));
                assertEquals(OutputKind.PROBABILITIES, h.kind(), op + " " + t);
                assertEquals(op, h.op());
                assertEquals(Task.MULTICLASS, h.taskHint());
                assertEquals(List.of("0", "1", "2"), h.classLabels());
                assertEquals(op + " node 'clf' with post_transform " + t + " (probabilities)", h.description());
            }
        }
        HeadEvidence linear = head(List.of(classifier("LinearClassifier", "NONE")), out("scores", "N", 3));
        assertEquals(OutputKind.DECISION_VALUES, linear.kind());
        assertTrue(linear.toString().startsWith("decision_values: LinearClassifier node 'clf' with post_transform NONE"
                + " (raw decision values"), linear.toString());
        HeadEvidence trees = head(List.of(classifier("TreeEnsembleClassifier", "NONE")), out("scores", "N", 3));
        assertEquals(OutputKind.PROBABILITIES, trees.kind());
        assertTrue(trees.description().contains("summed leaf weights"), trees.description());
        HeadEvidence svm = head(List.of(classifier("SVMClassifier", "NONE")), out("scores", "N", 3));
        assertEquals(OutputKind.DECISION_VALUES, svm.kind());
        assertTrue(svm.description().contains("SVM decision values"), svm.description());
        HeadEvidence platt = head(List.of(classifier("SVMClassifier", "NONE", attrFloats("prob_a", -1.5f, -2f),
                attrFloats("prob_b", 0.1f, 0.2f))), out("scores", "N", 3));
        assertEquals(OutputKind.PROBABILITIES, platt.kind());
        assertTrue(platt.description().contains("Platt"), platt.description());
        HeadEvidence label = head(List.of(classifier("LinearClassifier", "SOFTMAX")), out("label", "N"));
        assertNull(label.kind());
        assertTrue(label.description().contains("the label (output 0)"), label.description());
        HeadEvidence odd = head(List.of(classifier("LinearClassifier", "TANH")), out("scores", "N", 3));
        assertNull(odd.kind());
    }

    @Test
    void normalizerL1GivesProbabilitiesWithTheClassifierLabels() throws LoadException {
        HeadEvidence h = head(List.of(classifier("LinearClassifier", "LOGISTIC"),
                node("ai.onnx.ml", "Normalizer", "norm", List.of("scores"), List.of("p"), attrString("norm", "L1"))),
                out("p", "N", 3));
        assertEquals(OutputKind.PROBABILITIES, h.kind());
        assertEquals("Normalizer", h.op());
        assertEquals(List.of("0", "1", "2"), h.classLabels());
        assertEquals(List.of("clf", "norm"), h.nodes());
        assertTrue(h.description().startsWith("Normalizer node 'norm' with norm L1"), h.description());
        HeadEvidence l2 = head(List.of(classifier("LinearClassifier", "LOGISTIC"),
                node("ai.onnx.ml", "Normalizer", "norm", List.of("scores"), List.of("p"), attrString("norm", "L2"))),
                out("p", "N", 3));
        assertNull(l2.kind());
        assertTrue(l2.description().contains("norm L2"), l2.description());
    }

    @Test
    void rangeKeepingReductionsKeepTheHead() throws LoadException {
        HeadEvidence silero = head(List.of(node("Sigmoid", "sig", List.of("logits"), List.of("p")),
                node("ReduceMean", "mean", List.of("p"), List.of("m"), attrInts("axes", true, 1), attrInt("keepdims",
                        1))), out("m", "batch", 1));
        assertEquals(OutputKind.PROBABILITIES, silero.kind());
        assertEquals("Sigmoid", silero.op());
        assertEquals(List.of("sig", "mean"), silero.nodes());
        assertEquals("Sigmoid node 'sig', then ReduceMean node 'mean' (a mean, maximum or minimum of probabilities"
                + " is a probability)", silero.description());
        HeadEvidence pooledLogits = head(List.of(node("ReduceMax", "max", List.of("logits"), List.of("m"))),
                out("m"));
        assertEquals(OutputKind.LOGITS, pooledLogits.kind());
        HeadEvidence logProbs = head(List.of(node("LogSoftmax", "ls", List.of("logits"), List.of("lp")),
                node("ReduceMean", "mean", List.of("lp"), List.of("m"))), out("m"));
        assertNull(logProbs.kind());
        assertTrue(logProbs.description().contains("reduces log-probabilities"), logProbs.description());
        HeadEvidence ensemble = head(List.of(node("Softmax", "a", List.of("logits"), List.of("pa")),
                node("Softmax", "b", List.of("logits"), List.of("pb")),
                node("Mean", "avg", List.of("pa", "pb"), List.of("p"))), out("p"));
        assertEquals(OutputKind.PROBABILITIES, ensemble.kind());
        assertEquals(Task.MULTICLASS, ensemble.taskHint());
        HeadEvidence mixed = head(List.of(node("Softmax", "a", List.of("logits"), List.of("pa")),
                node("Sigmoid", "b", List.of("logits"), List.of("pb")),
                node("Mean", "avg", List.of("pa", "pb"), List.of("p"))), out("p"));
        assertNull(mixed.kind());
        assertTrue(mixed.description().contains("disagree"), mixed.description());
    }

    @Test
    void arithmeticWithAConstantKeepsLogitsButNotProbabilities() throws LoadException {
        HeadEvidence bias = head(List.of(node("Add", "bias", List.of("logits", "k"), List.of("z"))), out("z"));
        assertEquals(OutputKind.LOGITS, bias.kind());
        assertEquals("Gemm", bias.op());
        assertTrue(bias.description().contains("then Add node 'bias' with a constant (still affine: logits)"),
                bias.description());
        HeadEvidence temperature = head(List.of(node("Constant", "t", List.of(), List.of("temp"),
                ProtoWriter.attrTensor("value", tensorProto("", FLOAT, new byte[4]))),
                node("Div", "scale", List.of("logits", "temp"), List.of("z"))), out("z"));
        assertEquals(OutputKind.LOGITS, temperature.kind());
        HeadEvidence percent = head(List.of(node("Softmax", "sm", List.of("logits"), List.of("p")),
                node("Mul", "pct", List.of("p", "k"), List.of("z"))), out("z"));
        assertNull(percent.kind());
        assertTrue(percent.description().contains("scaled or shifted probabilities are not probabilities"),
                percent.description());
        HeadEvidence sum = head(List.of(node("MatMul", "other", List.of("x", "w"), List.of("o")),
                node("Add", "both", List.of("logits", "o"), List.of("z"))), out("z"));
        assertEquals(OutputKind.LOGITS, sum.kind());
        HeadEvidence product = head(List.of(node("Mul", "gate", List.of("logits", "logits"), List.of("z"))),
                out("z"));
        assertNull(product.kind());
        HeadEvidence ofInput = head(List.of(node("Mul", "scaled", List.of("x", "k"), List.of("z"))), out("z"));
        assertNull(ofInput.kind());
        assertTrue(ofInput.description().contains("graph input 'x'"), ofInput.description());
    }

    @Test
    void opsThatProveNothingAreUnknownAndNamed() throws LoadException {
        HeadEvidence h = head(List.of(node("Tanh", "squash", List.of("logits"), List.of("s"))), out("s"));
        assertNull(h.kind());
        assertFalse(h.known());
        assertEquals("Tanh", h.op());
        assertTrue(h.description().startsWith("no recognisable head: produced by Tanh node 'squash' (neither a head"),
                h.description());
        assertTrue(h.toString().startsWith("unknown: "), h.toString());
        HeadEvidence relu = head(List.of(node("Relu", "r", List.of("logits"), List.of("s"))), out("s"));
        assertEquals("Relu", relu.op());
        assertNull(relu.kind());
    }

    @Test
    void logAndExpConvertBetweenProbabilitiesAndLogProbabilities() throws LoadException {
        HeadEvidence log = head(List.of(node("Softmax", "sm", List.of("logits"), List.of("p")),
                node("Log", "log", List.of("p"), List.of("lp"))), out("lp"));
        assertEquals(OutputKind.LOG_PROBABILITIES, log.kind());
        HeadEvidence exp = head(List.of(node("LogSoftmax", "ls", List.of("logits"), List.of("lp")),
                node("Exp", "exp", List.of("lp"), List.of("p"))), out("p"));
        assertEquals(OutputKind.PROBABILITIES, exp.kind());
        HeadEvidence expOfLogits = head(List.of(node("Exp", "exp", List.of("logits"), List.of("p"))), out("p"));
        assertNull(expOfLogits.kind());
    }

    @Test
    void concatOfAgreeingOutputsKeepsTheirKind() throws LoadException {
        HeadEvidence h = head(List.of(node("Softmax", "a", List.of("logits"), List.of("pa")),
                node("Softmax", "b", List.of("logits"), List.of("pb")),
                node("Concat", "cat", List.of("pa", "pb"), List.of("p"), attrInt("axis", 0))), out("p"));
        assertEquals(OutputKind.PROBABILITIES, h.kind());
        assertTrue(h.description().contains("then Concat node 'cat'"), h.description());
        HeadEvidence mixed = head(List.of(node("Softmax", "a", List.of("logits"), List.of("pa")),
                node("Concat", "cat", List.of("pa", "logits"), List.of("p"), attrInt("axis", 0))), out("p"));
        assertNull(mixed.kind());
    }

    @Test
    void softmaxOverAxisOneOfAnNc11TensorIsTheClassAxis() throws LoadException {
        HeadEvidence h = head(List.of(node("Reshape", "r", List.of("logits", "k"), List.of("z4")),
                node("Softmax", "sm", List.of("z4"), List.of("p"), attrInt("axis", 1))),
                out("p", "batch", 10, 1, 1));
        assertEquals(OutputKind.PROBABILITIES, h.kind());
        HeadEvidence notLast = head(List.of(node("Reshape", "r", List.of("logits", "k"), List.of("z4")),
                node("Softmax", "sm", List.of("z4"), List.of("p"), attrInt("axis", 1))),
                out("p", "batch", 10, 2, 1));
        assertNull(notLast.kind());
    }

    @Test
    void sliceGatherAndDropoutAreWalkedThrough() throws LoadException {
        HeadEvidence h = head(List.of(node("Sigmoid", "sig", List.of("logits"), List.of("p")),
                node("Dropout", "drop", List.of("p"), List.of("d")),
                node("Slice", "sl", List.of("d", "k", "k"), List.of("s")),
                node("Gather", "ga", List.of("s", "k"), List.of("g"), attrInt("axis", 1))), out("g", "batch", 1));
        assertEquals(OutputKind.PROBABILITIES, h.kind());
        assertEquals(List.of("sig", "drop", "sl", "ga"), h.nodes());
    }

    @Test
    void tribuoDocumentsLinearClassifierNoneAsLogits() throws LoadException {
        HeadEvidence h = headWith("Tribuo", List.of(classifier("LinearClassifier", "NONE")), out("scores", "N", 3));
        assertEquals(OutputKind.LOGITS, h.kind());
        assertTrue(h.description().contains("from producer 'tribuo'"), h.description());
        HeadEvidence other = headWith("skl2onnx", List.of(classifier("LinearClassifier", "NONE")),
                out("scores", "N", 3));
        assertEquals(OutputKind.DECISION_VALUES, other.kind());
    }

    @Test
    void divisionOfNonNegativeValuesByTheirOwnRowSumGivesProbabilities() throws LoadException {
        List<ProtoWriter> ovr = List.of(node("Sigmoid", "sig", List.of("logits"), List.of("p")),
                node("ReduceSum", "sum", List.of("p", "axis1"), List.of("s"), attrInt("keepdims", 1)),
                node("Div", "norm", List.of("p", "s"), List.of("q")));
        HeadEvidence h = headWith("t", ovr, out("q"));
        assertEquals(OutputKind.PROBABILITIES, h.kind(), h.description());
        assertEquals("Div", h.op());
        assertEquals(Task.MULTICLASS, h.taskHint());
        assertTrue(h.description().contains("by its row sum"), h.description());
        // skl2onnx's guard against an all-zero row: p + m over sum(p) + C * m, m = not(sum(p)) as 0 or 1
        List<ProtoWriter> guarded = List.of(node("Sigmoid", "sig", List.of("logits"), List.of("p")),
                node("ReduceSum", "sum", List.of("p", "axis1"), List.of("s"), attrInt("keepdims", 1)),
                node("Cast", "tobool", List.of("s"), List.of("sb"), attrInt("to", 9)),
                node("Not", "not", List.of("sb"), List.of("nb")),
                node("Cast", "tofloat", List.of("nb"), List.of("m"), attrInt("to", 1)),
                node("Add", "pm", List.of("p", "m"), List.of("p2")),
                node("Mul", "cm", List.of("m", "ten"), List.of("m10")),
                node("Add", "sm", List.of("s", "m10"), List.of("s2")),
                node("Div", "norm", List.of("p2", "s2"), List.of("q")));
        assertEquals(OutputKind.PROBABILITIES, headWith("t", guarded, out("q"), "ten", 10).kind());
        assertNull(headWith("t", guarded, out("q"), "ten", 9).kind(), "C * m must use the class count");
        // logits may be negative: dividing them by their row sum proves nothing
        HeadEvidence signed = headWith("t", List.of(
                node("ReduceSum", "sum", List.of("logits", "axis1"), List.of("s"), attrInt("keepdims", 1)),
                node("Div", "norm", List.of("logits", "s"), List.of("q"))), out("q"));
        assertNull(signed.kind());
        assertTrue(signed.description().contains("may be negative"), signed.description());
        // the row sum of another value
        HeadEvidence other = headWith("t", List.of(node("Sigmoid", "sig", List.of("logits"), List.of("p")),
                node("Exp", "e", List.of("logits"), List.of("ex")),
                node("ReduceSum", "sum", List.of("ex", "axis1"), List.of("s"), attrInt("keepdims", 1)),
                node("Div", "norm", List.of("p", "s"), List.of("q"))), out("q"));
        assertNull(other.kind());
        assertTrue(other.description().contains("not its row sum"), other.description());
    }

    @Test
    void logSumExpArithmeticGivesLogProbabilitiesAndExpProbabilities() throws LoadException {
        List<ProtoWriter> logSoftmax = List.of(
                node("ReduceLogSumExp", "lse", List.of("logits", "axis1"), List.of("l"), attrInt("keepdims", 0)),
                node("Unsqueeze", "u", List.of("l", "axis1"), List.of("l2")),
                node("Sub", "sub", List.of("logits", "l2"), List.of("lp")));
        HeadEvidence lp = headWith("t", logSoftmax, out("lp"));
        assertEquals(OutputKind.LOG_PROBABILITIES, lp.kind(), lp.description());
        List<ProtoWriter> withExp = new ArrayList<>(logSoftmax);
        withExp.add(node("Exp", "exp", List.of("lp"), List.of("p")));
        assertEquals(OutputKind.PROBABILITIES, headWith("t", withExp, out("p")).kind());
        // the stable softmax: exp(x - max) / sum(exp(x - max))
        HeadEvidence stable = headWith("t", List.of(
                node("ReduceMax", "max", List.of("logits", "axis1"), List.of("mx"), attrInt("keepdims", 1)),
                node("Sub", "shift", List.of("logits", "mx"), List.of("z")),
                node("Exp", "exp", List.of("z"), List.of("e")),
                node("ReduceSum", "sum", List.of("e", "axis1"), List.of("s"), attrInt("keepdims", 1)),
                node("Div", "norm", List.of("e", "s"), List.of("p"))), out("p"));
        assertEquals(OutputKind.PROBABILITIES, stable.kind(), stable.description());
        // x minus the log-sum-exp of another value is not normalised
        HeadEvidence wrong = headWith("t", List.of(node("Mul", "twice", List.of("logits", "two"), List.of("y")),
                node("ReduceLogSumExp", "lse", List.of("y", "axis1"), List.of("l"), attrInt("keepdims", 1)),
                node("Sub", "sub", List.of("logits", "l"), List.of("lp"))), out("lp"), "two", 2);
        assertEquals(OutputKind.LOGITS, wrong.kind(), "a shift of each row keeps logits");
    }

    @Test
    void weightedSumsOfHeadsAreProbabilitiesOnlyWhenTheWeightsAddToOne() throws LoadException {
        for (float[] w : new float[][] {{0.5f, 0.5f}, {0.25f, 0.75f}, {0.5f, 0.6f}}) {
            HeadEvidence h = headWith("t", List.of(node("Softmax", "a", List.of("logits"), List.of("pa")),
                    node("Softmax", "b", List.of("logits"), List.of("pb"), attrInt("axis", -1)),
                    node("Mul", "wa", List.of("pa", "w0"), List.of("qa")),
                    node("Mul", "wb", List.of("pb", "w1"), List.of("qb")),
                    node("Sum", "vote", List.of("qa", "qb"), List.of("p"))), out("p"), "w0", w[0], "w1", w[1]);
            if (w[0] + w[1] == 1f) {
                assertEquals(OutputKind.PROBABILITIES, h.kind(), h.description());
                assertTrue(h.description().contains("rows sum to 1"), h.description());
            } else {
                assertNull(h.kind(), h.description());
                assertTrue(h.description().contains("rows summing to 1.1"), h.description());
            }
        }
        // three heads summed, then divided by their count (CalibratedClassifierCV)
        List<ProtoWriter> three = List.of(node("Softmax", "a", List.of("logits"), List.of("pa")),
                node("Softmax", "b", List.of("logits"), List.of("pb"), attrInt("axis", -1)),
                node("Softmax", "c", List.of("logits"), List.of("pc"), attrInt("axis", 1)),
                node("Sum", "all", List.of("pa", "pb", "pc"), List.of("s")),
                node("Div", "mean", List.of("s", "n"), List.of("p")));
        assertEquals(OutputKind.PROBABILITIES, headWith("t", three, out("p"), "n", 3).kind());
        assertNull(headWith("t", three, out("p"), "n", 2).kind());
        // a Mul by exactly 1 after a head changes nothing (onnxmltools' LightGBM export)
        HeadEvidence one = headWith("t", List.of(node("Softmax", "sm", List.of("logits"), List.of("p")),
                node("Mul", "one", List.of("p", "k1"), List.of("q"))), out("q"), "k1", 1);
        assertEquals(OutputKind.PROBABILITIES, one.kind());
        assertEquals("Softmax", one.op());
        assertTrue(one.description().contains("by 1 (changes nothing)"), one.description());
    }

    @Test
    void anExpandedColumnIsNotARowThatSumsToOne() throws LoadException {
        // Expand may repeat a column over the classes: its values stay probabilities, but no row sum is proved, so
        // a weighted sum of expanded heads is not read as a distribution (without the Expand it is: see above)
        HeadEvidence e = headWith("t", List.of(node("Softmax", "sm", List.of("logits"), List.of("p")),
                node("Expand", "wide", List.of("p", "shape"), List.of("e")),
                node("Mul", "a", List.of("e", "half"), List.of("qa")),
                node("Mul", "b", List.of("e", "half"), List.of("qb")),
                node("Sum", "vote", List.of("qa", "qb"), List.of("q"))), out("q"), "shape", 10, "half", 0.5f);
        assertNull(e.kind(), e.description());
        HeadEvidence alone = headWith("t", List.of(node("Softmax", "sm", List.of("logits"), List.of("p")),
                node("Expand", "wide", List.of("p", "shape"), List.of("e"))), out("e"), "shape", 10);
        assertEquals(OutputKind.PROBABILITIES, alone.kind(), "each value is still a probability");
    }

    @Test
    void lpNormalizationWithP1OfNonNegativeValuesGivesProbabilities() throws LoadException {
        HeadEvidence h = headWith("t", List.of(node("Sigmoid", "sig", List.of("logits"), List.of("p")),
                node("LpNormalization", "lp", List.of("p"), List.of("q"), attrInt("p", 1), attrInt("axis", 1))),
                out("q"));
        assertEquals(OutputKind.PROBABILITIES, h.kind(), h.description());
        HeadEvidence l2 = headWith("t", List.of(node("Sigmoid", "sig", List.of("logits"), List.of("p")),
                node("LpNormalization", "lp", List.of("p"), List.of("q"))), out("q"));
        assertNull(l2.kind());
        assertTrue(l2.description().contains("with p 2"), l2.description());
    }

    @Test
    void aLogisticWrittenOutIsAProbability() throws LoadException {
        // 1 / (1 + exp(-z)), as skl2onnx writes CalibratedClassifierCV's sigmoid calibration
        HeadEvidence h = headWith("t", List.of(node("Mul", "neg", List.of("logits", "minus"), List.of("nz")),
                node("Exp", "exp", List.of("nz"), List.of("e")),
                node("Add", "plus", List.of("unity", "e"), List.of("d")),
                node("Div", "logistic", List.of("unity", "d"), List.of("p"))), out("p"), "minus", -1, "unity", 1);
        assertEquals(OutputKind.PROBABILITIES, h.kind(), h.description());
        assertTrue(h.description().contains("a logistic"), h.description());
    }
}
