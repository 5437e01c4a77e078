package io.github.logits4j.metrics;

/**
 * The rank metrics of a multi-class report, named: ROC AUC one-vs-rest (macro, weighted by prevalence, micro) and
 * one-vs-one (Hand and Till; macro, weighted), average precision one-vs-rest (macro, weighted), and in binned rank
 * mode the error bound of each (0 when exact; every value NaN when the rank mode is none); package-private.
 *
 * <pre>{@code
 * MulticlassRanks r = new MulticlassRanking(classes, rows, support, store, hist, mode, 1).rocAuc();
 * double auc = r.macroOvr();
 * }</pre>
 */
record MulticlassRanks(double macroOvr, double weightedOvr, double macroOvo, double weightedOvo, double microOvr,
        double macroAp, double weightedAp, double ovrBound, double ovoBound, double microOvrBound, double apBound) {
}
