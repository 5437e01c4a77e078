package io.github.logits4j.loss;

import static io.github.logits4j.golden.Tolerance.assertAllClose;
import static io.github.logits4j.golden.Tolerance.assertClose;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;
import io.github.logits4j.golden.Golden;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Every loss against PyTorch and torchvision ({@code testdata/golden/losses_torch.json}) at 1e-6 absolute or 1e-5
 * relative: reduction none compares each value, mean and sum the scalar.
 */
class TorchLossGoldenTest {
    private static final Golden GOLDEN = Golden.load("losses_torch");

    @TestFactory
    Stream<DynamicTest> crossEntropy() {
        return cases("cross_entropy", c -> {
            CrossEntropyLoss.Builder b = CrossEntropyLoss.builder()
                    .ignoreIndex(c.paramInt("ignore_index"))
                    .labelSmoothing(c.paramDouble("label_smoothing"))
                    .reduction(reduction(c));
            if (c.hasParam("weight")) {
                b.classWeights(c.paramDoubles("weight"));
            }
            CrossEntropyLoss loss = b.build();
            FloatMatrix x = c.input("x").matrix();
            boolean index = c.paramString("target_type").equals("index");
            if (loss.reduction() == Reduction.NONE) {
                double[] each = index ? loss.computeEach(x, c.input("target").ints())
                        : loss.computeEach(x, c.input("target").matrix());
                assertAllClose(c.expected("loss").doubles(), each, c.id());
            } else {
                double v = index ? loss.compute(x, c.input("target").ints())
                        : loss.compute(x, c.input("target").matrix());
                assertClose(c.expected("loss").scalar(), v, c.id());
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> nllLoss() {
        return cases("nll_loss", c -> {
            NllLoss.Builder b = NllLoss.builder().ignoreIndex(c.paramInt("ignore_index")).reduction(reduction(c));
            if (c.hasParam("weight")) {
                b.classWeights(c.paramDoubles("weight"));
            }
            NllLoss loss = b.build();
            FloatMatrix x = c.input("x").matrix();
            int[] target = c.input("target").ints();
            if (loss.reduction() == Reduction.NONE) {
                assertAllClose(c.expected("loss").doubles(), loss.computeEach(x, target), c.id());
            } else {
                assertClose(c.expected("loss").scalar(), loss.compute(x, target), c.id());
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> binaryCrossEntropy() {
        return cases("bce", c -> checkBce(c, OutputKind.PROBABILITIES));
    }

    @TestFactory
    Stream<DynamicTest> binaryCrossEntropyWithLogits() {
        return cases("bce_with_logits", c -> checkBce(c, OutputKind.LOGITS));
    }

    private static void checkBce(Golden.Case c, OutputKind kind) {
        BinaryCrossEntropyLoss.Builder b = BinaryCrossEntropyLoss.builder().input(kind).reduction(reduction(c));
        if (c.hasParam("weight")) {
            b.classWeights(c.paramDoubles("weight"));
        }
        if (kind == OutputKind.LOGITS && c.hasParam("pos_weight")) {
            b.posWeight(c.paramDoubles("pos_weight"));
        }
        BinaryCrossEntropyLoss loss = b.build();
        FloatMatrix x = c.input("x").matrix();
        FloatMatrix y = c.input("target").matrix();
        if (loss.reduction() == Reduction.NONE) {
            assertAllClose(c.expected("loss").doubles(), loss.computeEach(x, y), c.id());
        } else {
            assertClose(c.expected("loss").scalar(), loss.compute(x, y), c.id());
        }
    }

    @TestFactory
    Stream<DynamicTest> multiLabelSoftMargin() {
        return cases("multilabel_soft_margin", c -> {
            MultiLabelSoftMarginLoss.Builder b = MultiLabelSoftMarginLoss.builder().reduction(reduction(c));
            if (c.hasParam("weight")) {
                b.classWeights(c.paramDoubles("weight"));
            }
            MultiLabelSoftMarginLoss loss = b.build();
            FloatMatrix x = c.input("x").matrix();
            FloatMatrix y = c.input("target").matrix();
            if (loss.reduction() == Reduction.NONE) {
                assertAllClose(c.expected("loss").doubles(), loss.computeEach(x, y), c.id());
            } else {
                assertClose(c.expected("loss").scalar(), loss.compute(x, y), c.id());
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> sigmoidFocal() {
        return cases("sigmoid_focal", c -> {
            SigmoidFocalLoss loss = SigmoidFocalLoss.builder()
                    .alpha(c.paramDouble("alpha"))
                    .gamma(c.paramDouble("gamma"))
                    .reduction(reduction(c))
                    .build();
            FloatMatrix x = c.input("x").matrix();
            FloatMatrix y = c.input("target").matrix();
            if (loss.reduction() == Reduction.NONE) {
                assertAllClose(c.expected("loss").doubles(), loss.computeEach(x, y), c.id());
            } else {
                assertClose(c.expected("loss").scalar(), loss.compute(x, y), c.id());
            }
        });
    }

    static Reduction reduction(Golden.Case c) {
        return Reduction.valueOf(c.paramString("reduction").toUpperCase(Locale.ROOT));
    }

    interface CaseCheck {
        void check(Golden.Case c) throws Throwable;
    }

    private static Stream<DynamicTest> cases(String op, CaseCheck check) {
        return GOLDEN.cases(op).stream().map(c -> {
            Executable e = () -> check.check(c);
            return DynamicTest.dynamicTest(c.id(), e);
        });
    }
}
