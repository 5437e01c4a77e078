"""curves.json: ROC, precision-recall and calibration curves (scikit-learn 1.9.1).

| op | params | inputs | expected |
| --- | --- | --- | --- |
| roc_curve | drop_intermediate (bool) | y_true [N] int64 0/1; y_score [N] float64; sample_weight [N] float64 (absent: none) | fpr, tpr, thresholds [M] float64 = sklearn.metrics.roc_curve(...) (thresholds[0] = inf; NaN rates without negatives/positives); auc [] = sklearn.metrics.auc(fpr, tpr) |
| precision_recall_curve | drop_intermediate (bool) | as roc_curve | precision, recall [M] float64, thresholds [M-1] = sklearn.metrics.precision_recall_curve(...); average_precision [] = average_precision_score(...) (only without drop_intermediate) |
| calibration_curve | n_bins (int), strategy ("uniform", "quantile") | y_true [N] int64 0/1; y_prob [N] float64 in [0, 1] | prob_true, prob_pred [K] float64 = sklearn.calibration.calibration_curve(...) (the K non-empty bins); counts [K] int64 (samples per non-empty bin, numpy.bincount of the same bin ids) |

| ovr_curves | task ("multiclass", "multilabel") | y_true [N] int64 classes, or [N,L] int64 0/1; y_score [N,C] float64 (softmax rows, or sigmoids); sample_weight [N] (absent: none) | for each class c: roc_fpr_c, roc_tpr_c, roc_thresholds_c = roc_curve(Y[:, c], P[:, c], sample_weight) (drop_intermediate); pr_precision_c, pr_recall_c, pr_thresholds_c = precision_recall_curve(Y[:, c], P[:, c], sample_weight); micro: the same of (Y.ravel(), P.ravel(), repeat(sample_weight, C)) as roc_*_micro, pr_*_micro; macro: roc_fpr_macro = linspace(0, 1, 1000), roc_tpr_macro = mean over c of numpy.interp(roc_fpr_macro, roc_fpr_c, roc_tpr_c), roc_auc_macro = auc(...) (scikit-learn's ROC example); cal_prob_true_c, cal_prob_pred_c = calibration_curve(Y[:, c], P[:, c], n_bins=5, strategy="quantile"); cal_*_micro = calibration_curve(Y.ravel(), P.ravel(), n_bins=10) |

Cases: random (continuous scores), ties (scores on a 0.1 grid: many equal scores), weighted (random weights, a
quarter of them 0: scikit-learn leaves those samples out), no_negatives / no_positives (the NaN and recall-one
branches), tiny (3 samples); calibration: uniform and quantile with 4, 5 and 10 bins, edges (probabilities exactly on
uniform bin edges, 0 and 1), quantile ties (many equal probabilities, so equal quantile edges); ovr_curves:
multiclass random (4 classes) and weighted with ties (3 classes, probabilities on a 0.05 grid), multilabel random
(3 labels) and weighted.
"""

import numpy as np
from sklearn import metrics as skm
from sklearn.calibration import calibration_curve

LIBRARIES = ("sklearn",)


def _data(seed, n, ties=False, positives=None):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.4).astype(np.int64) if positives is None else np.full(n, positives, dtype=np.int64)
    s = rng.normal(size=n) + 1.2 * y
    if ties:
        s = np.round(1 / (1 + np.exp(-s)), 1)
    return y, s.astype(np.float64)


def _weights(seed, n):
    rng = np.random.default_rng(seed)
    w = rng.uniform(0.1, 3.0, size=n)
    w[rng.random(n) < 0.25] = 0.0
    return w


def _roc(golden, id, y, s, w, drop):
    fpr, tpr, thr = skm.roc_curve(y, s, sample_weight=w, drop_intermediate=drop)
    auc = skm.auc(fpr, tpr) if not np.isnan(fpr).any() and not np.isnan(tpr).any() else float("nan")
    inputs = {"y_true": y, "y_score": s}
    if w is not None:
        inputs["sample_weight"] = w
    golden.add_case(f"roc_curve/{id}/drop_{str(drop).lower()}", "roc_curve",
                    "sklearn.metrics.roc_curve(y_true, y_score, sample_weight, drop_intermediate); auc(fpr, tpr)",
                    {"drop_intermediate": drop}, inputs,
                    {"fpr": fpr.astype(np.float64), "tpr": tpr.astype(np.float64),
                     "thresholds": thr.astype(np.float64), "auc": float(auc)})


def _pr(golden, id, y, s, w, drop):
    p, r, thr = skm.precision_recall_curve(y, s, sample_weight=w, drop_intermediate=drop)
    inputs = {"y_true": y, "y_score": s}
    if w is not None:
        inputs["sample_weight"] = w
    expected = {"precision": p.astype(np.float64), "recall": r.astype(np.float64),
                "thresholds": thr.astype(np.float64)}
    if not drop and y.any():
        expected["average_precision"] = float(skm.average_precision_score(y, s, sample_weight=w))
    golden.add_case(f"precision_recall_curve/{id}/drop_{str(drop).lower()}", "precision_recall_curve",
                    "sklearn.metrics.precision_recall_curve(y_true, y_score, sample_weight, drop_intermediate)",
                    {"drop_intermediate": drop}, inputs, expected)


def _calibration(golden, id, y, p, bins, strategy):
    prob_true, prob_pred = calibration_curve(y, p, n_bins=bins, strategy=strategy)
    if strategy == "quantile":
        edges = np.percentile(p, np.linspace(0, 1, bins + 1) * 100)
    else:
        edges = np.linspace(0.0, 1.0, bins + 1)
    ids = np.searchsorted(edges[1:-1], p)
    counts = np.bincount(ids, minlength=bins)
    counts = counts[counts != 0]
    assert len(counts) == len(prob_true)
    golden.add_case(f"calibration_curve/{id}/{strategy}_{bins}", "calibration_curve",
                    "sklearn.calibration.calibration_curve(y_true, y_prob, n_bins, strategy)",
                    {"n_bins": bins, "strategy": strategy}, {"y_true": y, "y_prob": p},
                    {"prob_true": prob_true.astype(np.float64), "prob_pred": prob_pred.astype(np.float64),
                     "counts": counts.astype(np.int64), "edges": np.asarray(edges, dtype=np.float64)})


def _ovr(golden, id, task, y, P, w):
    C = P.shape[1]
    Y = (y[:, None] == np.arange(C)).astype(np.int64) if task == "multiclass" else y
    expected = {}
    fprs, tprs = [], []
    for c in range(C):
        fpr, tpr, thr = skm.roc_curve(Y[:, c], P[:, c], sample_weight=w)
        fprs.append(fpr)
        tprs.append(tpr)
        expected.update({f"roc_fpr_{c}": fpr, f"roc_tpr_{c}": tpr, f"roc_thresholds_{c}": thr.astype(np.float64)})
        p, r, t = skm.precision_recall_curve(Y[:, c], P[:, c], sample_weight=w)
        expected.update({f"pr_precision_{c}": p, f"pr_recall_{c}": r, f"pr_thresholds_{c}": t.astype(np.float64)})
        pt, pp = calibration_curve(Y[:, c], P[:, c], n_bins=5, strategy="quantile")
        expected.update({f"cal_prob_true_{c}": pt, f"cal_prob_pred_{c}": pp})
    wm = None if w is None else np.repeat(w, C)
    fpr, tpr, thr = skm.roc_curve(Y.ravel(), P.ravel(), sample_weight=wm)
    expected.update({"roc_fpr_micro": fpr, "roc_tpr_micro": tpr, "roc_thresholds_micro": thr.astype(np.float64)})
    p, r, t = skm.precision_recall_curve(Y.ravel(), P.ravel(), sample_weight=wm)
    expected.update({"pr_precision_micro": p, "pr_recall_micro": r, "pr_thresholds_micro": t.astype(np.float64)})
    pt, pp = calibration_curve(Y.ravel(), P.ravel(), n_bins=10, strategy="uniform")
    expected.update({"cal_prob_true_micro": pt, "cal_prob_pred_micro": pp})
    grid = np.linspace(0.0, 1.0, 1000)
    mean = np.zeros_like(grid)
    for c in range(C):
        mean += np.interp(grid, fprs[c], tprs[c])
    mean /= C
    expected.update({"roc_fpr_macro": grid, "roc_tpr_macro": mean, "roc_auc_macro": float(skm.auc(grid, mean))})
    inputs = {"y_true": y, "y_score": P}
    if w is not None:
        inputs["sample_weight"] = w
    golden.add_case(f"ovr_curves/{task}/{id}", "ovr_curves",
                    "one-vs-rest roc_curve / precision_recall_curve per column, of the raveled matrices (micro),"
                    " and the macro ROC of scikit-learn's ROC example", {"task": task}, inputs, expected)


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def build(golden):
    sets = {
        "random": _data(1, 200) + (None,),
        "ties": _data(2, 150, ties=True) + (None,),
        "weighted": _data(3, 180) + (_weights(33, 180),),
        "weighted_ties": _data(4, 160, ties=True) + (_weights(44, 160),),
        "tiny": (np.array([1, 0, 1], dtype=np.int64), np.array([0.3, 0.3, 0.9]), None),
    }
    for id, (y, s, w) in sets.items():
        for drop in (True, False):
            _roc(golden, id, y, s, w, drop)
            _pr(golden, id, y, s, w, drop)
    y, s = _data(5, 50, positives=1)
    _roc(golden, "no_negatives", y, s, None, True)
    y, s = _data(6, 50, positives=0)
    _roc(golden, "no_positives", y, s, None, True)
    _pr(golden, "no_positives", y, s, None, False)

    rng = np.random.default_rng(7)
    y = (rng.random(300) < 0.5).astype(np.int64)
    p = np.clip(1 / (1 + np.exp(-(rng.normal(size=300) + 1.5 * (y - 0.5)))), 0, 1)
    for bins in (5, 10):
        _calibration(golden, "random", y, p, bins, "uniform")
    for bins in (4, 10):
        _calibration(golden, "random", y, p, bins, "quantile")
    edges = np.linspace(0.0, 1.0, 6)
    pe = np.concatenate([edges, edges, [0.1, 0.3, 0.5, 0.7, 0.9, 0.6, 0.2]])
    ye = (np.arange(len(pe)) % 3 == 0).astype(np.int64)
    _calibration(golden, "edges", ye, pe, 5, "uniform")
    pt = np.round(p, 1)
    _calibration(golden, "ties", y, pt, 5, "quantile")
    _calibration(golden, "ties", y, pt, 10, "quantile")

    rng = np.random.default_rng(8)
    y = rng.integers(0, 4, 150).astype(np.int64)
    P = _softmax(rng.normal(size=(150, 4)) + 1.5 * (y[:, None] == np.arange(4)))
    _ovr(golden, "random", "multiclass", y, P, None)
    y = rng.integers(0, 3, 120).astype(np.int64)
    P = np.round(_softmax(rng.normal(size=(120, 3)) + (y[:, None] == np.arange(3))) * 20) / 20
    P[:, 2] = 1.0 - P[:, 0] - P[:, 1]
    P = np.clip(P, 0.0, 1.0)
    _ovr(golden, "weighted_ties", "multiclass", y, P, _weights(88, 120))
    Y = (rng.random((130, 3)) < 0.4).astype(np.int64)
    P = 1 / (1 + np.exp(-(rng.normal(size=(130, 3)) + 1.3 * Y)))
    _ovr(golden, "random", "multilabel", Y, P, None)
    _ovr(golden, "weighted", "multilabel", Y, P, _weights(99, 130))
