"""parity.json: corners an independent differential test found wrong (issue 12), each with the reference value.

| op | params | inputs | expected |
| --- | --- | --- | --- |
| cross_entropy | (none) | x [N,C] float32 logits, target [N] int64 | loss [] = F.cross_entropy(x.double(), target) (mean), each [N] = reduction='none' |
| log_softmax | (none) | x [N,C] float32 | y [N,C] = torch.log_softmax(x.double(), dim=1) |
| softmax | (none) | x [N,C] float32 | y [N,C] = torch.softmax(x.double(), dim=1) |
| cross_entropy_smoothing | weight, label_smoothing | x [N,C] float32, target [N] int64 | loss [] = F.cross_entropy(x.double(), target, weight, label_smoothing=ls) (mean) |
| matthews_corrcoef | (none) | y_true [N] int64, y_score [N,C] float64 (argmax the prediction), weight [N] | mcc [] = sklearn.metrics.matthews_corrcoef(y_true, argmax, sample_weight=weight) |
| weighted_roc_auc | task | y_true [N] int64 or [N,L], y_score [N,C] float64, weight [N] | auc [] = sklearn.metrics.roc_auc_score(y_true, y_score, average='weighted', multi_class='ovr' (multiclass), sample_weight=weight) |
| samples_roc_auc | (none) | y_true [N,L] int64, y_score [N,L] float64, weight [N] | auc [] = sklearn.metrics.roc_auc_score(y_true, y_score, average='samples', sample_weight=weight) |
| two_class_roc_auc | (none) | y_true [N] int64, y_score [N,2] float64 | auc [] = sklearn.metrics.roc_auc_score(y_true, y_score[:, 1]) |
| top_k_accuracy | k | y_true [N] int64, y_score [N,2] float64 | score [] = sklearn.metrics.top_k_accuracy_score(y_true, y_score[:, 1], k=k, labels=[0, 1]) |
| samples_prf | zero_division ("0", "1" or "nan") | y_true [N,L] int64, y_pred [N,L] int64, weight [N] | precision, recall, f1 [] = sklearn.metrics.precision_recall_fscore_support(y_true, y_pred, average='samples', sample_weight=weight, zero_division=zd) |
| ndcg_at_k | k | y_true [N,L] int64, y_score [N,L] float64, weight [N] | ndcg [], dcg [] = sklearn.metrics.ndcg_score / dcg_score(y_true, y_score, k=k, sample_weight=weight) |
| calibration_error | n_bins | preds [N] float64 (confidences on and beside every bin edge), target [N] int64 | edges [n_bins+1] = torch.linspace(0, 1, n_bins + 1, dtype=float64); l1 [], l2 [], max [] = torchmetrics.functional.classification.binary_calibration_error(preds, target, n_bins, norm) |

Also (bug 2) a mean cross-entropy with label smoothing whose targets all have class weight 0 (PyTorch: NaN, not
+inf), and (bug 3) two-class top-k accuracy, where scikit-learn predicts class 1 only when p1 > 0.5, so a tie
[0.5, 0.5] counts for class 0, and (bug 4) a weighted Matthews correlation whose predictions are all one class
(scikit-learn: exactly 0), and (bug 6) a weighted ROC AUC whose total positive weight is within np.isclose of 0
(scikit-learn returns 0.0), and (bug 5) calibration errors with confidences exactly on every bin edge, where the
edges are torch.linspace's as its CPU kernel computes them with FMA (the second half as one rounding of
1 - step * k), not i / n_bins.

Cases (id OP/NAME): large_1e8, large_1e12, large_1e16, large_3e38 (rows of logits at that magnitude, equal and
nearly equal maxima, so that log(sum(exp(x - max))) is what a log-probability adds; x - (max + logsum) loses it once
|max| is about 1e11), mixed_inf (rows with +inf, -inf, and both: PyTorch gives NaN where any +inf is, and a single
-inf entry probability 0).
"""

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.metrics import (dcg_score, matthews_corrcoef, ndcg_score, precision_recall_fscore_support,
                             roc_auc_score, top_k_accuracy_score)
from suite_metrics import load_torchmetrics

LIBRARIES = ("torch", "sklearn", "torchmetrics")

INF = np.inf


def rows_at(scale):
    s = np.float32(scale)
    return np.array([
        [s, s, 0.0],
        [s, np.float32(s * 0.5), -s],
        [-s, s, s],
        [s, np.nextafter(s, np.float32(0)), np.float32(s * 0.25)],
    ], dtype=np.float32)


def mixed_inf():
    return np.array([
        [INF, 1.0, 2.0],
        [-INF, 1.0, 2.0],
        [-INF, INF, 0.0],
        [1e16, -INF, 1e16],
    ], dtype=np.float32)


def build(golden):
    cases = [("large_1e8", rows_at(1e8)), ("large_1e12", rows_at(1e12)), ("large_1e16", rows_at(1e16)),
             ("large_3e38", rows_at(3e38)), ("mixed_inf", mixed_inf())]
    for name, x in cases:
        xt = torch.from_numpy(x).double()
        target = np.array([0, 1, 2, 1], dtype=np.int64)[: len(x)]
        tt = torch.from_numpy(target)
        loss = float(F.cross_entropy(xt, tt).item())
        each = F.cross_entropy(xt, tt, reduction="none").numpy()
        golden.add_case(f"cross_entropy/{name}", "cross_entropy",
                        "F.cross_entropy(x.double(), target) and reduction='none'", {},
                        {"x": x, "target": target}, {"loss": np.float64(loss), "each": each})
        golden.add_case(f"log_softmax/{name}", "log_softmax", "torch.log_softmax(x.double(), dim=1)", {},
                        {"x": x}, {"y": torch.log_softmax(xt, dim=1).numpy()})
        golden.add_case(f"softmax/{name}", "softmax", "torch.softmax(x.double(), dim=1)", {},
                        {"x": x}, {"y": torch.softmax(xt, dim=1).numpy()})

    # bug 2: every target has class weight 0, with label smoothing: 0/0 in the mean is NaN
    x = np.array([[1.0, 2.0, 0.5], [0.2, -1.0, 3.0]], dtype=np.float32)
    for name, weight, target in (("zero_weight", [0.0, 1.0, 1.0], [0, 0]), ("some_weight", [0.0, 1.0, 1.0], [0, 2])):
        w = torch.tensor(weight, dtype=torch.float64)
        t = np.array(target, dtype=np.int64)
        loss = float(F.cross_entropy(torch.from_numpy(x).double(), torch.from_numpy(t), weight=w,
                                     label_smoothing=0.1).item())
        golden.add_case(f"cross_entropy_smoothing/{name}", "cross_entropy_smoothing",
                        "F.cross_entropy(x.double(), target, weight=weight, label_smoothing=0.1)",
                        {"weight": weight, "label_smoothing": 0.1}, {"x": x, "target": t}, {"loss": np.float64(loss)})

    # bug 3: two classes, ties and near-ties around 0.5
    y_true = np.array([0, 0, 0, 1, 0, 1, 1, 0, 1], dtype=np.int64)
    y_score = np.array([[0.5, 0.5], [0.5, 0.5], [0.4, 0.6], [0.6, 0.4], [0.50000006, 0.49999997],
                        [0.49999997, 0.50000006], [0.2, 0.8], [0.9, 0.1], [0.49995, 0.5]], dtype=np.float64)
    for k in (1, 2):
        score = float(top_k_accuracy_score(y_true, y_score[:, 1], k=k, labels=[0, 1]))
        golden.add_case(f"top_k_accuracy/two_classes_k{k}", "top_k_accuracy",
                        f"sklearn.metrics.top_k_accuracy_score(y_true, y_score[:, 1], k={k}, labels=[0, 1]) (two classes: the positive column, as scikit-learn takes binary scores)", {"k": k},
                        {"y_true": y_true, "y_score": y_score}, {"score": np.float64(score)})

    # bug 4: every prediction is class 1, with weights that do not sum exactly in floating point
    rng = np.random.default_rng(404)
    y_true = rng.integers(0, 3, 50).astype(np.int64)
    weight = np.round(rng.uniform(0.01, 1.0, 50), 2)
    y_score = np.tile(np.array([0.1, 0.8, 0.1]), (50, 1))
    mcc = float(matthews_corrcoef(y_true, y_score.argmax(axis=1), sample_weight=weight))
    golden.add_case("matthews_corrcoef/one_predicted_class_weighted", "matthews_corrcoef",
                    "sklearn.metrics.matthews_corrcoef(y_true, y_score.argmax(1), sample_weight=weight)", {},
                    {"y_true": y_true, "y_score": y_score, "weight": weight}, {"mcc": np.float64(mcc)})

    # issue 20: every true label is one class, the predictions several, weights that do not sum exactly: scikit-learn's
    # row and column sums of its confusion matrix agree there, so its MCC is exactly 0 (logits4j's was about 1e-9)
    rng = np.random.default_rng(2020)
    for name, k in (("one_true_class_weighted", 3), ("one_true_class_weighted_ten", 10)):
        y_true = np.full(60, 1, dtype=np.int64)
        weight = np.round(rng.uniform(0.01, 1.0, 60), 2)
        y_score = rng.dirichlet(np.ones(k), 60)
        mcc = float(matthews_corrcoef(y_true, y_score.argmax(axis=1), sample_weight=weight))
        golden.add_case(f"matthews_corrcoef/{name}", "matthews_corrcoef",
                        "sklearn.metrics.matthews_corrcoef(y_true, y_score.argmax(1), sample_weight=weight)", {},
                        {"y_true": y_true, "y_score": y_score, "weight": weight}, {"mcc": np.float64(mcc)})

    # bug 6: scikit-learn's _average_binary_score returns 0 when the total positive weight is np.isclose to 0
    rng = np.random.default_rng(606)
    y = np.array([0, 1, 2, 0, 1, 2, 0, 1], dtype=np.int64)
    score = rng.dirichlet(np.ones(3), len(y))
    for name, w in (("tiny_weights", np.full(len(y), 1e-10)), ("ordinary_weights", rng.uniform(0.5, 2.0, len(y)))):
        auc = float(roc_auc_score(y, score, multi_class="ovr", average="weighted", sample_weight=w))
        golden.add_case(f"weighted_roc_auc/multiclass_{name}", "weighted_roc_auc",
                        "sklearn.metrics.roc_auc_score(y_true, y_score, multi_class='ovr', average='weighted', "
                        "sample_weight=weight)", {"task": "multiclass"}, {"y_true": y, "y_score": score, "weight": w},
                        {"auc": np.float64(auc)})
    labels = np.array([[1, 0, 1], [0, 1, 1], [1, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0]], dtype=np.int64)
    lscore = rng.uniform(0, 1, labels.shape)
    for name, w in (("tiny_weights", np.full(len(labels), 1e-10)), ("ordinary_weights",
                                                                   rng.uniform(0.5, 2.0, len(labels)))):
        auc = float(roc_auc_score(labels, lscore, average="weighted", sample_weight=w))
        golden.add_case(f"weighted_roc_auc/multilabel_{name}", "weighted_roc_auc",
                        "sklearn.metrics.roc_auc_score(y_true, y_score, average='weighted', sample_weight=weight)",
                        {"task": "multilabel"}, {"y_true": labels, "y_score": lscore, "weight": w},
                        {"auc": np.float64(auc)})

    # issue 20: a samples-averaged ROC AUC where a row of one class only has weight 0: scikit-learn 1.9.1 scores such
    # a row NaN (with a warning) and forces rows of weight 0 to 0, so the average is finite; with weight, NaN
    labels = np.array([[1, 0, 1], [0, 1, 1], [1, 1, 1], [0, 0, 1], [0, 0, 0], [1, 0, 0]], dtype=np.int64)
    lscore = rng.uniform(0, 1, labels.shape)
    for name, w in (("one_class_rows_weight_zero", np.array([1.0, 2.0, 0.0, 1.5, 0.0, 0.5])),
                    ("one_class_row_weighted", np.array([1.0, 2.0, 0.25, 1.5, 0.0, 0.5]))):
        auc = float(roc_auc_score(labels, lscore, average="samples", sample_weight=w))
        golden.add_case(f"samples_roc_auc/{name}", "samples_roc_auc",
                        "sklearn.metrics.roc_auc_score(y_true, y_score, average='samples', sample_weight=weight)",
                        {}, {"y_true": labels, "y_score": lscore, "weight": w}, {"auc": np.float64(auc)})

    # issue 20: two classes whose float64 probabilities saturate (p0 rounds to 1 where p1 still orders the rows):
    # scikit-learn scores a binary problem on p1 alone; averaging per-class AUCs of p0 and p1 differed by 1e-4
    rng = np.random.default_rng(2021)
    y = rng.integers(0, 2, 200).astype(np.int64)
    z = (rng.normal(0, 1, 200) + 4.0 * (2 * y - 1)) * 9.0
    p1 = 1.0 / (1.0 + np.exp(-z))
    p1 = np.where(rng.uniform(0, 1, 200) < 0.3, np.exp(-np.abs(z) - 30.0), p1)     # tiny p1 that p0 cannot order
    y_score = np.stack([1.0 - p1, p1], axis=1)
    auc = float(roc_auc_score(y, y_score[:, 1]))
    golden.add_case("two_class_roc_auc/saturated", "two_class_roc_auc",
                    "sklearn.metrics.roc_auc_score(y_true, y_score[:, 1]) (a two-class problem is binary)", {},
                    {"y_true": y, "y_score": y_score}, {"auc": np.float64(auc)})

    # bug 5: confidences exactly on every bin edge (as torch.linspace computes them), i / n_bins, and their neighbours
    binary_calibration_error = load_torchmetrics().functional.classification.binary_calibration_error
    rng = np.random.default_rng(505)
    for bins in (15, 10, 7, 20):
        edges = torch.linspace(0, 1, bins + 1, dtype=torch.float64).numpy()
        exact = np.array([i / bins for i in range(bins + 1)])
        preds = np.concatenate([edges, exact, np.nextafter(edges, 0.0), np.nextafter(edges, 1.0)])
        preds = np.clip(preds, 0.0, 1.0)
        target = rng.integers(0, 2, len(preds)).astype(np.int64)
        pt, tt = torch.from_numpy(preds), torch.from_numpy(target)
        out = {"edges": edges}
        for norm in ("l1", "l2", "max"):
            out[norm] = np.float64(binary_calibration_error(pt, tt, n_bins=bins, norm=norm).item())
        golden.add_case(f"calibration_error/edges_{bins}_bins", "calibration_error",
                        f"torch.linspace(0, 1, {bins + 1}, dtype=float64); torchmetrics binary_calibration_error(preds, "
                        f"target, n_bins={bins}, norm=l1|l2|max) on float64 preds",
                        {"n_bins": bins}, {"preds": preds, "target": target}, out)

    # bug 6, second half: the samples average scales each row's counts by its weight, so a zero-weight row is 0/0
    rng = np.random.default_rng(616)
    y_true = (rng.uniform(0, 1, (40, 5)) < 0.4).astype(np.int64)
    y_pred = (rng.uniform(0, 1, (40, 5)) < 0.4).astype(np.int64)
    y_true[3] = 0
    y_pred[3] = 0                                  # a row with nothing true and nothing predicted
    y_pred[7] = 0                                  # nothing predicted
    weights = {"zero_weights": np.where(rng.uniform(0, 1, 40) < 0.3, 0.0, np.round(rng.uniform(0.1, 3.0, 40), 1)),
               "decimal_weights": np.round(rng.uniform(0.1, 1.0, 40), 1)}
    # only zero-weight rows predict anything: with zero_division=nan every row's precision is NaN (0/0 when scaled)
    y_pred_sparse = y_pred.copy()
    w_sparse = np.round(rng.uniform(0.1, 3.0, 40), 1)
    w_sparse[y_pred_sparse.sum(axis=1) > 0] = 0.0
    cases = [(name, y_pred, w) for name, w in weights.items()] + [("only_zero_weight_rows_predict", y_pred_sparse,
                                                                    w_sparse)]
    for name, y_pred, w in cases:
        for zd, zd_param in ((0.0, "0"), (1.0, "1"), (np.nan, "nan")):
            p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, average="samples", sample_weight=w,
                                                         zero_division=zd)
            golden.add_case(f"samples_prf/{name}_zd_{zd_param}", "samples_prf",
                            f"sklearn.metrics.precision_recall_fscore_support(y_true, y_pred, average='samples', "
                            f"sample_weight=weight, zero_division={zd_param})", {"zero_division": zd_param},
                            {"y_true": y_true, "y_pred": y_pred, "weight": w},
                            {"precision": np.float64(p), "recall": np.float64(r), "f1": np.float64(f)})

    # NDCG and DCG at k (issue 12, missing metrics): ties inside rows, rows without a positive, k cutting a tie group
    rng = np.random.default_rng(707)
    y_true = (rng.uniform(0, 1, (50, 8)) < 0.3).astype(np.int64)
    y_true[4] = 0
    y_score = rng.integers(0, 5, (50, 8)) / 4.0
    w = np.round(rng.uniform(0.1, 2.0, 50), 1)
    for k in (1, 3, 8):
        golden.add_case(f"ndcg_at_k/k{k}", "ndcg_at_k",
                        f"sklearn.metrics.ndcg_score and dcg_score(y_true, y_score, k={k}, sample_weight=weight)",
                        {"k": k}, {"y_true": y_true, "y_score": y_score, "weight": w},
                        {"ndcg": np.float64(ndcg_score(y_true, y_score, k=k, sample_weight=w)),
                         "dcg": np.float64(dcg_score(y_true, y_score, k=k, sample_weight=w))})
