package io.github.logits4j.cli;

import io.github.logits4j.data.DataException;
import io.github.logits4j.metrics.RankMode;
import io.github.logits4j.onnx.OnnxClassifier;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code --rank-metrics} option, and the check that the exact rank metrics fit the heap before a long run: they
 * keep every probability (8 bytes a score, N x C for multi-class and multi-label, N for binary) and sort them at the
 * end, so a data set can stream through the model in batches and still run out of memory at the end. When the rows
 * are known (.npy files) and the estimate does not fit, the run fails at once with the figure and the options that
 * help.
 *
 * <pre>{@code
 * RankMode mode = RankMemory.parse(spec, "binned:5000");
 * RankMemory.check(mode, 2_000_000, classifier, System.getenv());   // DataException if exact would not fit
 * }</pre>
 */
final class RankMemory {
    /** Environment variable that caps the heap the check assumes (bytes; for containers and tests). */
    static final String HEAP_LIMIT = "LOGITS4J_HEAP_LIMIT";

    private RankMemory() {
    }

    /** {@code exact}, {@code none}, {@code binned} or {@code binned:BINS} ({@link RankMode#parse}); else exit 2. */
    static RankMode parse(CommandSpec spec, String text) {
        try {
            return RankMode.parse(text);
        } catch (IllegalArgumentException e) {
            throw Usage.error(spec, "--rank-metrics is '" + text + "'; expected exact, none, binned or binned:BINS"
                    + " with BINS from 2 to 1000000");
        }
    }

    /** The most classes of a multi-class model whose rank metrics are computed: the library's limit. */
    static final int MAX_RANKED_CLASSES = io.github.logits4j.metrics.MulticlassMetrics.MAX_RANKED_CLASSES;

    /**
     * Fails before the run when rank metrics are asked of a multi-class model of more than
     * {@value #MAX_RANKED_CLASSES} classes, or when {@code mode} is exact, the rows are known, and the estimate exceeds
     * what the heap has left (or {@value #HEAP_LIMIT}).
     *
     * @throws DataException naming the rows, classes, the estimate, the heap, and the options that fit
     */

    static void check(RankMode mode, long rows, OnnxClassifier model, int threads, Map<String, String> env) {
        if (!mode.isNone() && model.task() == io.github.logits4j.Task.MULTICLASS
                && model.classes() > MAX_RANKED_CLASSES
                && model.outputKind() != io.github.logits4j.OutputKind.DECISION_VALUES) {
            throw new DataException(model.inspection().source() + ": " + model.classes() + " classes: ROC AUC and"
                    + " average precision are not computed above " + MAX_RANKED_CLASSES + " classes (one-vs-one AUC"
                    + " pairs every two classes); evaluate with --rank-metrics none, which keeps accuracy, top-k,"
                    + " precision, recall, F1, Matthews, kappa, log loss, Brier and calibration error");
        }
        if (!mode.isExact() || rows <= 0) {
            return;
        }
        long need = mode.heldBytes(rows, model.classes(), model.task(), threads);
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        String limit = env.get(HEAP_LIMIT);
        if (limit != null) {
            try {
                free = Math.min(free, Long.parseLong(limit.trim()));
            } catch (NumberFormatException e) {
                throw new DataException(HEAP_LIMIT + " is '" + limit + "'; expected a number of bytes");
            }
        }
        if (need > free * 0.7) {
            throw new DataException(model.inspection().source() + ": the exact rank metrics (ROC AUC, average"
                    + " precision) of " + rows + " rows x " + model.classes() + " class" + (model.classes() == 1 ? ""
                    : "es") + " keep about " + mib(need) + ", and Java has " + mib(free) + " free; use"
                    + " --rank-metrics binned (fixed memory, each value with its error bound), --rank-metrics none,"
                    + " or give Java more heap (LOGITS4J_JAVA_OPTS=-Xmx" + Math.max(1, (need * 2) >> 30) + "g)");
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
