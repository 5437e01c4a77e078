package io.github.logits4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The calibration bin of a confidence is the number of boundaries at or below it, minus one (torch.bucketize with
 * right=True, as torchmetrics bins): the lookup that starts from {@code floor(conf * bins)} gives what a binary search
 * over the boundaries gives, at every boundary, a few ulps either side of each, at 0 and 1, and at random confidences,
 * for 1 to 200 bins.
 */
class CalibrationErrorBinTest {

    @Test
    void theStepwiseLookupEqualsTheBinarySearch() {
        SplittableRandom random = new SplittableRandom(3);
        for (int bins = 1; bins <= 200; bins++) {
            CalibrationError e = new CalibrationError(bins);
            double[] b = CalibrationError.boundaries(bins);
            for (double edge : b) {
                double below = edge;
                double above = edge;
                for (int ulp = 0; ulp < 4; ulp++) {
                    check(e, b, Math.max(0.0, below));
                    check(e, b, Math.min(1.0, above));
                    below = Math.nextDown(below);
                    above = Math.nextUp(above);
                }
            }
            for (int i = 0; i < 2000; i++) {
                check(e, b, random.nextDouble());
                check(e, b, random.nextInt(bins + 1) / (double) bins);
            }
            check(e, b, 0.0);
            check(e, b, 1.0);
        }
    }

    private static void check(CalibrationError e, double[] boundaries, double conf) {
        int lo = 0;
        int hi = boundaries.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (boundaries[mid] <= conf) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        assertEquals(lo - 1, e.bin(conf), () -> "confidence " + conf + " of " + (boundaries.length - 1) + " bins");
    }
}
