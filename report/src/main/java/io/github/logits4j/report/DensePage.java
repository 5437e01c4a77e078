package io.github.logits4j.report;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The HTML page of a dense evaluation ({@code evaluate --format html} of a segmentation or token model): the report's
 * metrics and per-class table, the IoU of every class as a bar chart beside the mean, the confusion matrix, the entity
 * types of a tagger and, for a segmentation, a small grid of the first samples' label masks beside the predicted ones
 * (VOC's colour map; unlabelled positions in VOC's border colour), as {@link HtmlReport} draws its pages.
 *
 * <pre>{@code
 * DensePage.Builder page = DensePage.builder(21, 255);         // the classes, the ignore index
 * page.addMasks(0, 64, 64, predicted, labels, 0);                // the first sample's [64, 64] masks
 * String html = page.render(report);                             // DenseEvaluation.toMap() and the run's keys
 * }</pre>
 *
 * <p>Masks larger than {@value #MASK_SIDE} positions a side are shown at a stride (the nearest position), so the page
 * stays small; at most {@value #MASK_SAMPLES} samples are shown.
 */
public final class DensePage {
    /** The most samples whose masks are shown. */
    public static final int MASK_SAMPLES = 4;
    /** The most positions a side of a shown mask. */
    public static final int MASK_SIDE = 128;
    /** Keys of the dense report that describe the run rather than measure it. */
    private static final List<String> FACTS = List.of("model", "inputs", "labels", "output", "samples", "loss",
            "class_names");

    private DensePage() {
    }

    /**
     * A page for a dense model of {@code classes} classes whose labels mark unlabelled positions with
     * {@code ignoreIndex}.
     *
     * @throws IllegalArgumentException if {@code classes < 2}
     */
    public static Builder builder(int classes, int ignoreIndex) {
        return new Builder(classes, ignoreIndex);
    }

    /**
     * Collects the masks a dense page shows, then renders it; not thread-safe.
     *
     * <pre>{@code
     * String html = DensePage.builder(9, -100).render(report);   // tables and charts, no masks
     * }</pre>
     */
    public static final class Builder {
        private final int ignoreIndex;
        private final int classes;
        private final List<Object> masks = new ArrayList<>();

        private Builder(int classes, int ignoreIndex) {
            if (classes < 2) {
                throw new IllegalArgumentException("a dense page of " + classes + " classes; expected at least 2");
            }
            this.classes = classes;
            this.ignoreIndex = ignoreIndex;
        }

        /** Whether the page takes another sample's masks ({@value #MASK_SAMPLES} at most). */
        public boolean wantsMasks() {
            return masks.size() < MASK_SAMPLES;
        }

        /**
         * Adds sample {@code sample}'s predicted and label masks, {@code height x width} positions each, row-major;
         * ignored once {@value #MASK_SAMPLES} samples are held.
         *
         * @throws IllegalArgumentException if the arrays do not hold {@code height * width} positions from
         *     {@code offset}, or a value is neither a class nor (in the labels) the ignore index
         */
        public Builder addMasks(long sample, int height, int width, int[] predicted, int[] labels, int offset) {
            if (!wantsMasks()) {
                return this;
            }
            if (height < 1 || width < 1) {
                throw new IllegalArgumentException("a mask of " + height + " x " + width + " positions; expected at"
                        + " least 1 x 1");
            }
            Objects.checkFromIndexSize(offset, height * width, predicted.length);
            Objects.checkFromIndexSize(offset, height * width, labels.length);
            int stride = (Math.max(height, width) + MASK_SIDE - 1) / MASK_SIDE;
            int h = (height + stride - 1) / stride;
            int w = (width + stride - 1) / stride;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sample", sample);
            m.put("height", h);
            m.put("width", w);
            m.put("stride", stride);
            m.put("bytes", classes < 255 ? 1 : 2);
            m.put("predicted", encode(predicted, offset, height, width, stride, false));
            m.put("labels", encode(labels, offset, height, width, stride, true));
            masks.add(m);
            return this;
        }

        /**
         * The positions at a stride as base64 bytes (one a class below 255 classes, two little-endian above); the
         * ignore index as the largest value (255 or 65535).
         */
        private String encode(int[] values, int offset, int height, int width, int stride, boolean labels) {
            int wide = classes < 255 ? 1 : 2;
            int h = (height + stride - 1) / stride;
            int w = (width + stride - 1) / stride;
            byte[] out = new byte[h * w * wide];
            int i = 0;
            for (int y = 0; y < height; y += stride) {
                for (int x = 0; x < width; x += stride) {
                    int v = values[offset + y * width + x];
                    int code;
                    if (labels && v == ignoreIndex) {
                        code = wide == 1 ? 255 : 65535;
                    } else if (v >= 0 && v < classes) {
                        code = v;
                    } else {
                        throw new IllegalArgumentException((labels ? "label " : "predicted class ") + v + " at row "
                                + y + ", column " + x + "; expected a class in [0, " + classes + ")"
                                + (labels ? " or the ignore index " + ignoreIndex : ""));
                    }
                    out[i++] = (byte) code;
                    if (wide == 2) {
                        out[i++] = (byte) (code >>> 8);
                    }
                }
            }
            return Base64.getEncoder().encodeToString(out);
        }

        /**
         * The page of {@code report} (as {@code DenseEvaluation.toMap()} with the command's {@code model},
         * {@code inputs}, {@code labels} and {@code output} keys): its tables and charts, and the masks added.
         *
         * @throws IllegalArgumentException if the report's {@code class_names} do not name this page's classes
         */
        public String render(Map<String, Object> report) {
            Objects.requireNonNull(report, "report");
            if (!(report.get("class_names") instanceof List<?> names) || names.size() != classes) {
                throw new IllegalArgumentException("the dense report's class_names are " + report.get("class_names")
                        + "; expected " + classes + " names, one per class of the page");
            }
            Map<String, Object> metrics = new LinkedHashMap<>();
            Map<String, Object> page = new LinkedHashMap<>();
            report.forEach((k, v) -> {
                if (!FACTS.contains(k)) {
                    metrics.put(k, v);
                }
            });
            page.put("kind", "dense");
            page.put("model", report.get("model"));
            page.put("task", "dense");
            page.put("samples", report.get("samples"));
            page.put("classes", classes);
            page.put("output_kind", report.get("output"));
            if (report.get("loss") instanceof Map<?, ?> loss && !loss.isEmpty()) {
                Map.Entry<?, ?> first = loss.entrySet().iterator().next();
                page.put("loss", Map.of("name", String.valueOf(first.getKey()), "value", first.getValue()));
            }
            page.put("metrics", metrics);
            page.put("class_names", report.get("class_names"));
            page.put("inputs", report.get("inputs"));
            page.put("labels", report.get("labels"));
            Map<String, Object> extra = new LinkedHashMap<>();
            if (!masks.isEmpty()) {
                extra.put("masks", masks);
                extra.put("mask_side", MASK_SIDE);
            }
            return HtmlReport.render(page, Map.of(), extra);
        }
    }
}
