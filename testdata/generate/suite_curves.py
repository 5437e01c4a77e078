"""curves.json: ROC, precision-recall and calibration curves (scikit-learn 1.9.1).

| op | params | inputs | expected |
| --- | --- | --- | --- |
| roc_curve | drop_intermediate (bool) | y_true [N] int64 0/1; y_score [N] float64; sample_weight [N] float64 (absent: none) | fpr, tpr, thresholds [M] float64 = sklearn.metrics.roc_curve(...) (thresholds[0] = inf; NaN rates without negatives/positives); auc [] = sklearn.metrics.auc(fpr, tpr) |
| precision_recall_curve | drop_intermediate (bool) | as roc_curve | precision, recall [M] float64, thresholds [M-1] = sklearn.metrics.precision_recall_curve(...); average_precision [] = average_precision_score(...) (only without drop_intermediate) |
| calibration_curve | n_bins (int), strategy ("uniform", "quantile") | y_true [N] int64 0/1; y_prob [N] float64 in [0, 1] | prob_true, prob_pred [K] float64 = sklearn.calibration.calibration_curve(...) (the K non-empty bins); counts [K] int64 (samples per non-empty bin, numpy.bincount of the same bin ids) |

Cases: random (continuous scores), ties (scores on a 0.1 grid: many equal scores), weighted (random weights, a
quarter of them 0: scikit-learn leaves those samples out), no_negatives / no_positives (the NaN and recall-one
branches), tiny (3 samples); calibration: uniform and quantile with 4, 5 and 10 bins, edges (probabilities exactly on
uniform bin edges, 0 and 1), quantile ties (many equal probabilities, so equal quantile edges).
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
