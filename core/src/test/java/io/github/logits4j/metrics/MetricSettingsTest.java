package io.github.logits4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.logits4j.FloatMatrix;
import org.junit.jupiter.api.Test;

/**
 * The metrics' shared settings are one value (issue 23): an accumulator built with {@code settings(...)} reports what
 * one built with the shorthand setters reports, settings merge-check alike, and every setting is validated once.
 */
class MetricSettingsTest {
    private static final float[] P = {0.7f, 0.2f, 0.1f, 0.1f, 0.6f, 0.3f, 0.2f, 0.2f, 0.6f, 0.5f, 0.4f, 0.1f};
    private static final int[] Y = {0, 2, 2, 1};

    @Test
    void settingsEqualTheShorthandSetters() {
        MetricSettings s = MetricSettings.builder().zeroDivision(ZeroDivision.NAN).rankMode(RankMode.binned(100))
                .logLossEpsilon(1e-7).calibrationBins(10).parallelism(2).build();
        MulticlassMetrics a = MulticlassMetrics.builder(3).settings(s).build();
        MulticlassMetrics b = MulticlassMetrics.builder(3).zeroDivision(ZeroDivision.NAN)
                .rankMode(RankMode.binned(100)).logLossEpsilon(1e-7).calibrationBins(10).parallelism(2).build();
        a.update(FloatMatrix.wrap(P, 4, 3), Y);
        b.update(FloatMatrix.wrap(P, 4, 3), Y);
        assertEquals(a.result().toMap(), b.result().toMap());
        a.merge(b);                                    // the same settings merge
        assertEquals(s, s.toBuilder().build());
        assertEquals(MetricSettings.DEFAULT, MetricSettings.builder().build());
        MulticlassMetrics other = MulticlassMetrics.builder(3).build();
        assertThrows(IllegalArgumentException.class, () -> a.merge(other));
    }

    @Test
    void eachSettingIsCheckedOnce() {
        assertThrows(IllegalArgumentException.class, () -> MetricSettings.builder().parallelism(0));
        assertThrows(IllegalArgumentException.class, () -> MetricSettings.builder().calibrationBins(0));
        assertThrows(IllegalArgumentException.class, () -> MetricSettings.builder().logLossEpsilon(0.6));
        assertThrows(NullPointerException.class, () -> MetricSettings.builder().rankMode(null));
        // the multi-class builder keeps its own limit on binned one-vs-one histograms
        MetricSettings huge = MetricSettings.builder().rankMode(RankMode.binned(1_000_000)).build();
        assertThrows(IllegalArgumentException.class, () -> MulticlassMetrics.builder(100).settings(huge));
    }
}
