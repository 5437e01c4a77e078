package io.github.logits4j.decision;

import static io.github.logits4j.golden.Tolerance.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.FloatMatrix;
import io.github.logits4j.OutputKind;
import io.github.logits4j.golden.Golden;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Top-k ({@code topk.json}: numpy's stable sort, values cross-checked with torch.topk) and the decision rules
 * ({@code decisions.json}: torch.argmax, float32 threshold comparisons in torch and numpy), matched exactly.
 */
class DecisionGoldenTest {
    private static final Golden TOPK = Golden.load("topk");
    private static final Golden DECISIONS = Golden.load("decisions");

    @TestFactory
    Stream<DynamicTest> topK() {
        return TOPK.cases("top_k").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            FloatMatrix x = c.input("x").matrix();
            int k = c.paramInt("k");
            int[] indices = new int[x.rows() * k];
            float[] values = new float[x.rows() * k];
            TopK.into(x, k, indices, values);
            assertArrayEquals(c.expected("indices").ints(), indices, c.id() + " indices");
            assertAllClose(c.expected("values").doubles(), values, c.id() + " values");
            assertArrayEquals(c.expected("indices").ints(), TopK.of(x, k), c.id() + " indices()");
        }));
    }

    @TestFactory
    Stream<DynamicTest> argmax() {
        return DECISIONS.cases("argmax").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            FloatMatrix x = c.input("x").matrix();
            if (c.id().endsWith("/nan")) {
                // torch.argmax silently ranks NaN highest; logits4j refuses to decide on NaN and says where it is.
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Argmax.of(x));
                assertTrue(e.getMessage().contains("is NaN"), e.getMessage());
                return;
            }
            assertArrayEquals(c.expected("indices").ints(), Argmax.of(x), c.id());
        }));
    }

    private static OutputKind kind(Golden.Case c) {
        return OutputKind.valueOf(c.paramString("input_kind").toUpperCase(Locale.ROOT));
    }

    @TestFactory
    Stream<DynamicTest> binaryDecision() {
        return DECISIONS.cases("binary_decision").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            BinaryDecision rule = BinaryDecision.builder()
                    .input(kind(c))
                    .threshold(c.paramDouble("threshold"))
                    .comparison(Comparison.of(c.paramString("comparison")))
                    .build();
            assertArrayEquals(c.expected("decisions").booleans(), rule.decide(c.input("x").matrix()), c.id());
        }));
    }

    @TestFactory
    Stream<DynamicTest> multiLabelThreshold() {
        return DECISIONS.cases("multilabel_threshold").stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            MultilabelDecision.Builder b = MultilabelDecision.builder()
                    .input(kind(c))
                    .comparison(Comparison.of(c.paramString("comparison")))
                    .atLeastOne(c.paramBoolean("at_least_one"));
            if (c.paramIsList("threshold")) {
                b.thresholds(c.paramDoubles("threshold"));
            } else {
                b.threshold(c.paramDouble("threshold"));
            }
            if (c.hasParam("top_k")) {
                b.topK(c.paramInt("top_k"));
            }
            assertArrayEquals(c.expected("decisions").booleans(), b.build().decide(c.input("x").matrix()), c.id());
        }));
    }
}
