package io.github.logits4j.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The list and matrix values that reports put in their maps ({@link Report#toMap()}): boxed once, unmodifiable.
 *
 * <pre>{@code
 * m.put("per_class_f1", ReportMaps.list(f1PerClass()));
 * m.put("confusion_matrix", ReportMaps.matrix(confusion, classes, classes));
 * }</pre>
 */
final class ReportMaps {
    private ReportMaps() {
    }

    static List<Double> list(double[] values) {
        Double[] boxed = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return List.of(boxed);
    }

    static List<List<Double>> matrix(double[] values, int rows, int cols) {
        List<List<Double>> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            double[] row = new double[cols];
            System.arraycopy(values, r * cols, row, 0, cols);
            out.add(list(row));
        }
        return List.copyOf(out);
    }

    /** {@link MulticlassReport#toMap()}. */
    static Map<String, Object> multiclass(MulticlassReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", r.samples);
        m.put("classes", r.classes);
        m.put("accuracy", r.accuracy());
        m.put("top_k", r.topK[0]);
        m.put("top_k_accuracy", r.topKAccuracy[0]);
        for (int i = 0; i < r.topK.length; i++) {
            m.put("top_" + r.topK[i] + "_accuracy", r.topKAccuracy[i]);
        }
        for (Average a : new Average[] {Average.MICRO, Average.MACRO, Average.WEIGHTED}) {
            m.put(a.key() + "_precision", r.precision(a));
            m.put(a.key() + "_recall", r.recall(a));
            m.put(a.key() + "_f1", r.f1(a));
        }
        if (!r.decisionValues) {
            m.put("log_loss", r.logLoss);
            m.put("brier", r.brier);
        }
        m.put("matthews_corrcoef", r.matthewsCorrcoef());
        m.put("balanced_accuracy", r.balancedAccuracy(false));
        m.put("adjusted_balanced_accuracy", r.balancedAccuracy(true));
        m.put("cohen_kappa", r.cohenKappa(MulticlassReport.KappaWeights.NONE));
        m.put("linear_cohen_kappa", r.cohenKappa(MulticlassReport.KappaWeights.LINEAR));
        m.put("quadratic_cohen_kappa", r.cohenKappa(MulticlassReport.KappaWeights.QUADRATIC));
        for (Average a : new Average[] {Average.MICRO, Average.MACRO, Average.WEIGHTED}) {
            m.put(a.key() + "_jaccard", r.jaccard(a));
        }
        m.put("zero_one_loss", r.zeroOneLoss());
        if (r.classes == 2) {                      // scikit-learn's default average="binary", pos_label=1
            double[] prf = new double[3];
            Prf.of(r.tp[1], r.fp[1], r.fn[1], 1.0, r.zeroDivision, prf);
            m.put("binary_precision", prf[Prf.PRECISION]);
            m.put("binary_recall", prf[Prf.RECALL]);
            m.put("binary_f1", prf[Prf.F]);
        }
        if (!r.decisionValues) {
            m.put("macro_average_precision", r.averagePrecision(Average.MACRO));
            m.put("weighted_average_precision", r.averagePrecision(Average.WEIGHTED));
            m.put("macro_roc_auc_ovr", r.rocAuc.macroOvr());
            m.put("weighted_roc_auc_ovr", r.rocAuc.weightedOvr());
            m.put("macro_roc_auc_ovo", r.rocAuc.macroOvo());
            m.put("weighted_roc_auc_ovo", r.rocAuc.weightedOvo());
            m.put("micro_roc_auc_ovr", r.rocAuc.microOvr());
            if (r.rankMode.isBinned()) {
                m.put("roc_auc_ovr_error_bound", r.rocAuc.ovrBound());
                m.put("micro_roc_auc_ovr_error_bound", r.rocAuc.microOvrBound());
                m.put("roc_auc_ovo_error_bound", r.rocAuc.ovoBound());
                m.put("average_precision_error_bound", r.rocAuc.apBound());
            }
            m.put("ece", r.eceL1);
            m.put("ece_l2", r.eceL2);
            m.put("ece_max", r.eceMax);
            m.put("ece_bins", r.eceBins);
        }
        m.put("per_class_precision", ReportMaps.list(r.precisionPerClass()));
        m.put("per_class_recall", ReportMaps.list(r.recallPerClass()));
        m.put("per_class_f1", ReportMaps.list(r.f1PerClass()));
        m.put("per_class_support", ReportMaps.list(r.supportPerClass()));
        if (r.confusion.isDense()) {                 // above that many r.classes, C x C numbers are no report
            m.put("confusion_matrix", ReportMaps.matrix(r.confusion.dense(), r.classes, r.classes));
        }
        return Collections.unmodifiableMap(m);
    }

    /** {@link BinaryReport#toMap()}. */
    static Map<String, Object> binary(BinaryReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", r.samples);
        m.put("threshold", r.threshold);
        m.put("rule", r.comparison.symbol());
        m.put("accuracy", r.accuracy());
        m.put("precision", r.precision());
        m.put("recall", r.recall());
        m.put("f1", r.f1());
        m.put("balanced_accuracy", r.balancedAccuracy(false));
        m.put("adjusted_balanced_accuracy", r.balancedAccuracy(true));
        m.put("cohen_kappa", r.cohenKappa());
        m.put("jaccard", r.jaccard());
        m.put("zero_one_loss", r.zeroOneLoss());
        m.put("roc_auc", r.rocAuc());
        m.put("average_precision", r.averagePrecision());
        for (int i = 0; i < r.maxFpr.length; i++) {
            m.put("roc_auc_max_fpr_" + ReportText.keyNumber(r.maxFpr[i]), r.partialAuc[i]);
        }
        if (r.rankMode.isBinned()) {
            m.put("roc_auc_error_bound", r.rocAucErrorBound());
            m.put("average_precision_error_bound", r.averagePrecisionErrorBound());
        }
        m.put("brier", r.brier);
        m.put("log_loss", r.logLoss);
        m.put("matthews_corrcoef", r.matthewsCorrcoef());
        m.put("ece", r.eceL1);
        m.put("ece_l2", r.eceL2);
        m.put("ece_max", r.eceMax);
        m.put("ece_bins", r.eceBins);
        m.put("confusion_matrix", ReportMaps.matrix(r.confusionMatrix(), 2, 2));
        return Collections.unmodifiableMap(m);
    }

    /** {@link MultilabelReport#toMap()}. */
    static Map<String, Object> multilabel(MultilabelReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", r.samples);
        m.put("labels", r.labels);
        m.put("hamming_loss", r.hammingLoss);
        m.put("subset_accuracy", r.subsetAccuracy);
        m.put("zero_one_loss", r.zeroOneLoss());
        for (Average a : Average.values()) {
            m.put(a.key() + "_jaccard", r.jaccard(a));
        }
        for (Average a : Average.values()) {
            m.put(a.key() + "_precision", r.precision(a));
            m.put(a.key() + "_recall", r.recall(a));
            m.put(a.key() + "_f1", r.f1(a));
        }
        for (int k = 0; k < r.samplesFBeta.length; k++) {
            m.put("samples_fbeta_" + ReportText.keyNumber(r.samplesFBeta[k]), r.samplesFBetaValues[k]);
        }
        m.put("micro_roc_auc", r.rocAuc(Average.MICRO));
        m.put("macro_roc_auc", r.rocAuc(Average.MACRO));
        m.put("weighted_roc_auc", r.rocAuc(Average.WEIGHTED));
        m.put("micro_average_precision", r.microAp);
        m.put("macro_average_precision", r.averagePrecision(Average.MACRO));
        m.put("weighted_average_precision", r.averagePrecision(Average.WEIGHTED));
        m.put("samples_average_precision", r.averagePrecision(Average.SAMPLES));
        m.put("samples_roc_auc", r.rocAuc(Average.SAMPLES));
        m.put("ndcg", r.ndcg());
        m.put("dcg", r.dcg());
        if (r.rankMode.isBinned()) {
            m.put("macro_roc_auc_error_bound", r.bounds[0]);
            m.put("macro_average_precision_error_bound", r.bounds[1]);
            m.put("micro_roc_auc_error_bound", r.bounds[2]);
            m.put("micro_average_precision_error_bound", r.bounds[3]);
        }
        m.put("label_ranking_average_precision", r.lrap);
        m.put("coverage_error", r.coverageError);
        m.put("label_ranking_loss", r.rankingLoss);
        m.put("per_label_precision", ReportMaps.list(r.precisionPerLabel()));
        m.put("per_label_recall", ReportMaps.list(r.recallPerLabel()));
        m.put("per_label_f1", ReportMaps.list(r.f1PerLabel()));
        m.put("per_label_support", ReportMaps.list(r.supportPerLabel()));
        m.put("per_label_roc_auc", ReportMaps.list(r.labelAuc));
        m.put("per_label_average_precision", ReportMaps.list(r.labelAp));
        m.put("per_label_confusion", ReportMaps.matrix(r.confusionPerLabel(), r.labels, 4));
        return Collections.unmodifiableMap(m);
    }
}
