package io.github.logits4j.golden;

import static io.github.logits4j.golden.Tolerance.assertAllClose;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.logits4j.metrics.Average;
import io.github.logits4j.metrics.BinaryReport;
import io.github.logits4j.metrics.CalibrationError;
import io.github.logits4j.metrics.MulticlassReport;
import io.github.logits4j.metrics.MultilabelReport;
import io.github.logits4j.metrics.ReportText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Maps the metric keys of the golden files (scikit-learn names, as in {@code metrics.json}) to report values, and
 * checks a case's expected keys against them: every expected key must have a counterpart, so nothing goes unchecked.
 * Shared by the metric and the adapter golden tests.
 */
public final class ReportValues {
    private ReportValues() {
    }

    static double[] one(double v) {
        return new double[] {v};
    }

    /** The golden keys of a multi-class report ({@code top_k_accuracy_K} for each configured k). */
    public static Map<String, Supplier<double[]>> of(MulticlassReport r, int[] topK, int bins) {
        Map<String, Supplier<double[]>> v = new HashMap<>();
        v.put("accuracy", () -> one(r.accuracy()));
        for (int k : topK) {
            v.put("top_k_accuracy_" + k, () -> one(r.topKAccuracy(k)));
        }
        for (Average a : new Average[] {Average.MICRO, Average.MACRO, Average.WEIGHTED}) {
            v.put("precision_" + a.key(), () -> one(r.precision(a)));
            v.put("recall_" + a.key(), () -> one(r.recall(a)));
            v.put("f1_" + a.key(), () -> one(r.f1(a)));
        }
        v.put("precision_per_class", r::precisionPerClass);
        v.put("recall_per_class", r::recallPerClass);
        v.put("f1_per_class", r::f1PerClass);
        v.put("confusion_matrix", r::confusionMatrix);
        v.put("log_loss", () -> one(r.logLoss()));
        v.put("brier", () -> one(r.brier()));
        v.put("brier_halved", () -> one(r.brier(true)));
        v.put("brier_unscaled", () -> one(r.brier(false)));
        v.put("log_loss_sum", () -> one(r.logLossSum()));
        for (int k : topK) {
            v.put("top_k_correct_" + k, () -> one(r.topKCorrect(k)));
        }
        v.put("mcc", () -> one(r.matthewsCorrcoef()));
        v.put("balanced_accuracy", () -> one(r.balancedAccuracy(false)));
        v.put("balanced_accuracy_adjusted", () -> one(r.balancedAccuracy(true)));
        v.put("cohen_kappa", () -> one(r.cohenKappa(MulticlassReport.KappaWeights.NONE)));
        v.put("cohen_kappa_linear", () -> one(r.cohenKappa(MulticlassReport.KappaWeights.LINEAR)));
        v.put("cohen_kappa_quadratic", () -> one(r.cohenKappa(MulticlassReport.KappaWeights.QUADRATIC)));
        for (Average a : new Average[] {Average.MICRO, Average.MACRO, Average.WEIGHTED}) {
            v.put("jaccard_" + a.key(), () -> one(r.jaccard(a)));
        }
        v.put("jaccard_per_class", r::jaccardPerClass);
        v.put("zero_one_loss", () -> one(r.zeroOneLoss()));
        for (double beta : new double[] {0.5, 2.0}) {
            String b = beta == 0.5 ? "0.5" : "2";
            for (Average a : new Average[] {Average.MICRO, Average.MACRO, Average.WEIGHTED}) {
                v.put("fbeta_" + b + "_" + a.key(), () -> one(r.fBeta(beta, a)));
            }
            v.put("fbeta_" + b + "_per_class", () -> r.fBetaPerClass(beta));
        }
        v.put("average_precision_macro", () -> one(r.averagePrecision(Average.MACRO)));
        v.put("average_precision_weighted", () -> one(r.averagePrecision(Average.WEIGHTED)));
        v.put("roc_auc_ovr_macro", () -> one(r.rocAucOvr(Average.MACRO)));
        v.put("roc_auc_ovr_weighted", () -> one(r.rocAucOvr(Average.WEIGHTED)));
        v.put("roc_auc_ovr_micro", () -> one(r.rocAucOvr(Average.MICRO)));
        for (String name : new String[] {"precision", "recall", "f1"}) {
            v.put(name + "_binary", () -> one((Double) r.toMap().get("binary_" + name)));
        }
        int[] all = new int[r.classes()];
        for (int c = 0; c < all.length; c++) {
            all[c] = c;
        }
        for (String tag : new String[] {"all", "01", "201"}) {
            if (tag.equals("201") && r.classes() < 3) {
                continue;
            }
            MulticlassReport fixed = tag.equals("all") ? r.withLabels(all) : tag.equals("01") ? r.withLabels(0, 1)
                    : r.withLabels(2, 0, 1);
            v.put("cohen_kappa_labels_" + tag, () -> one(fixed.cohenKappa(MulticlassReport.KappaWeights.NONE)));
            v.put("cohen_kappa_linear_labels_" + tag,
                    () -> one(fixed.cohenKappa(MulticlassReport.KappaWeights.LINEAR)));
            v.put("cohen_kappa_quadratic_labels_" + tag,
                    () -> one(fixed.cohenKappa(MulticlassReport.KappaWeights.QUADRATIC)));
            for (Average a : new Average[] {Average.MICRO, Average.MACRO, Average.WEIGHTED}) {
                v.put("precision_" + a.key() + "_labels_" + tag, () -> one(fixed.precision(a)));
                v.put("recall_" + a.key() + "_labels_" + tag, () -> one(fixed.recall(a)));
                v.put("f1_" + a.key() + "_labels_" + tag, () -> one(fixed.f1(a)));
                v.put("jaccard_" + a.key() + "_labels_" + tag, () -> one(fixed.jaccard(a)));
            }
        }
        v.put("roc_auc_ovo_macro", () -> one(r.rocAucOvo(Average.MACRO)));
        v.put("roc_auc_ovo_weighted", () -> one(r.rocAucOvo(Average.WEIGHTED)));
        v.put("ece_l1", () -> one(r.expectedCalibrationError()));
        v.put("ece_l2", () -> one(r.calibrationErrorL2()));
        v.put("ece_max", () -> one(r.calibrationErrorMax()));
        v.put("bin_boundaries", () -> CalibrationError.boundaries(bins));
        return v;
    }

    /** The golden keys of a multi-label report. */
    public static Map<String, Supplier<double[]>> of(MultilabelReport r) {
        Map<String, Supplier<double[]>> v = new HashMap<>();
        v.put("hamming_loss", () -> one(r.hammingLoss()));
        v.put("subset_accuracy", () -> one(r.subsetAccuracy()));
        v.put("zero_one_loss", () -> one(r.zeroOneLoss()));
        for (Average a : Average.values()) {
            v.put("jaccard_" + a.key(), () -> one(r.jaccard(a)));
        }
        v.put("jaccard_per_label", r::jaccardPerLabel);
        for (double beta : new double[] {0.5, 2.0}) {
            String b = beta == 0.5 ? "0.5" : "2";
            for (Average a : Average.values()) {            // samples: kept for the betas the metrics were given
                v.put("fbeta_" + b + "_" + a.key(), () -> one(r.fBeta(beta, a)));
            }
        }
        for (Average a : Average.values()) {
            v.put("precision_" + a.key(), () -> one(r.precision(a)));
            v.put("recall_" + a.key(), () -> one(r.recall(a)));
            v.put("f1_" + a.key(), () -> one(r.f1(a)));
        }
        v.put("precision_per_label", r::precisionPerLabel);
        v.put("recall_per_label", r::recallPerLabel);
        v.put("f1_per_label", r::f1PerLabel);
        v.put("roc_auc_micro", () -> one(r.rocAuc(Average.MICRO)));
        v.put("roc_auc_macro", () -> one(r.rocAuc(Average.MACRO)));
        v.put("roc_auc_weighted", () -> one(r.rocAuc(Average.WEIGHTED)));
        v.put("average_precision_micro", () -> one(r.averagePrecision(Average.MICRO)));
        v.put("average_precision_macro", () -> one(r.averagePrecision(Average.MACRO)));
        v.put("average_precision_weighted", () -> one(r.averagePrecision(Average.WEIGHTED)));
        v.put("average_precision_samples", () -> one(r.averagePrecision(Average.SAMPLES)));
        v.put("roc_auc_samples", () -> one(r.rocAuc(Average.SAMPLES)));
        v.put("ndcg", () -> one(r.ndcg()));
        v.put("dcg", () -> one(r.dcg()));
        v.put("label_ranking_average_precision", () -> one(r.labelRankingAveragePrecision()));
        v.put("coverage_error", () -> one(r.coverageError()));
        v.put("label_ranking_loss", () -> one(r.labelRankingLoss()));
        v.put("confusion_per_label", r::confusionPerLabel);
        return v;
    }

    /** The golden keys of a binary report. */
    public static Map<String, Supplier<double[]>> of(BinaryReport r, int bins) {
        Map<String, Supplier<double[]>> v = new HashMap<>();
        v.put("balanced_accuracy", () -> one(r.balancedAccuracy(false)));
        v.put("balanced_accuracy_adjusted", () -> one(r.balancedAccuracy(true)));
        v.put("cohen_kappa", () -> one(r.cohenKappa()));
        v.put("cohen_kappa_linear", () -> one(r.cohenKappa()));
        v.put("cohen_kappa_quadratic", () -> one(r.cohenKappa()));
        v.put("jaccard", () -> one(r.jaccard()));
        v.put("fbeta_0.5", () -> one(r.fBeta(0.5)));
        v.put("precision_pos_label_0", () -> one(r.precision(0)));
        v.put("recall_pos_label_0", () -> one(r.recall(0)));
        v.put("f1_pos_label_0", () -> one(r.f1(0)));
        v.put("fbeta_0.5_pos_label_0", () -> one(r.fBeta(0.5, 0)));
        v.put("fbeta_2_pos_label_0", () -> one(r.fBeta(2.0, 0)));
        v.put("jaccard_pos_label_0", () -> one(r.jaccard(0)));
        v.put("average_precision_pos_label_0", () -> one(r.averagePrecision(0)));
        v.put("log_loss_sum", () -> one(r.logLossSum()));
        v.put("brier_unscaled", () -> one(r.brier(false)));
        v.put("fbeta_2", () -> one(r.fBeta(2.0)));
        v.put("zero_one_loss", () -> one(r.zeroOneLoss()));
        v.put("accuracy", () -> one(r.accuracy()));
        v.put("precision", () -> one(r.precision()));
        v.put("recall", () -> one(r.recall()));
        v.put("f1", () -> one(r.f1()));
        v.put("roc_auc", () -> one(r.rocAuc()));
        for (double m : r.maxFpr()) {
            v.put("roc_auc_max_fpr_" + ReportText.keyNumber(m), () -> one(r.partialRocAuc(m)));
        }
        v.put("average_precision", () -> one(r.averagePrecision()));
        v.put("brier", () -> one(r.brier()));
        v.put("log_loss", () -> one(r.logLoss()));
        v.put("mcc", () -> one(r.matthewsCorrcoef()));
        v.put("confusion_matrix", r::confusionMatrix);
        v.put("ece_l1", () -> one(r.expectedCalibrationError()));
        v.put("ece_l2", () -> one(r.calibrationErrorL2()));
        v.put("ece_max", () -> one(r.calibrationErrorMax()));
        v.put("bin_boundaries", () -> CalibrationError.boundaries(bins));
        return v;
    }

    /**
     * Checks the expected keys of {@code c} named in {@code keys} (all of the case's expected keys when null) against
     * {@code values} at {@code tol} (absolute or relative, whichever is looser); reports every mismatch at once.
     */
    public static void check(Golden.Case c, List<String> keys, Map<String, Supplier<double[]>> values, double tol) {
        List<String> failures = new ArrayList<>();
        for (String key : keys != null ? keys : c.expectedNames()) {
            Supplier<double[]> actual = values.get(key);
            if (actual == null) {
                fail(c.id() + ": expected key '" + key + "' has no Java counterpart");
            }
            try {
                assertAllClose(c.expected(key).doubles(), actual.get(), tol, tol, c.id() + " " + key);
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
    }
}
