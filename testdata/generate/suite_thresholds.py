"""thresholds.json: per-label threshold tuning (selection rule below; objective values from scikit-learn 1.9.1).

| op | params | inputs | expected |
| --- | --- | --- | --- |
| tune_thresholds | objective ("f1", "fbeta", "precision_at_least", "recall_at_least"), beta (for fbeta, else null), target (for the *_at_least objectives, else null), fallback (0.5) | y_true [N,L] int64 0/1; y_score [N,L] float64; sample_weight absent | thresholds [L] float64; objective_values [L] float64 (the sklearn metric at the chosen threshold; NaN for fallback labels); fell_back [L] bool |
| tune_threshold_binary | same params | y_true [N] int64 0/1; y_score [N] float64 | threshold [] float64; objective_value [] float64; fell_back [] bool |

Rule, per label: the candidates are the distinct values of that label's scores; a candidate t predicts
y_pred = (score >= t). f1 / fbeta: maximise sklearn f1_score / fbeta_score(beta=beta) with zero_division=0 over the
candidates. precision_at_least: among the candidates whose precision_score(zero_division=0) >= target, maximise
recall_score; the objective value is that recall. recall_at_least: among the candidates whose recall_score >= target,
maximise precision_score(zero_division=0); the objective value is that precision. Ties in the objective go to the
LOWEST threshold (objective values are compared as the doubles sklearn returns; equal count ratios give equal
doubles). A label with no positive in y_true, or with no candidate meeting the constraint, gets `fallback`,
fell_back true and objective value NaN. Comparisons with target are plain `>=` on sklearn's double (a precision of
exactly 4/5 meets target 0.8).

The rule is evaluated twice, with sklearn and with an independent count-based implementation; they must agree.

Case ids:
- tune_thresholds/f1/{random,ties,no_positives}; tune_thresholds/fbeta/{beta0.5,beta2}/random;
  tune_thresholds/precision_at_least/{random_t0.8,ties_t0.75,unreachable_t0.95};
  tune_thresholds/recall_at_least/{random_t0.9,ties_t0.6,boundary_t0.75}; tune_thresholds/f1/objective_tie.
  ties: scores multiples of 0.1 (many equal scores); no_positives: label 2 has no positive; unreachable: label 1's
  precision never reaches the target at any threshold; objective_tie: equal F1 (2/3) at two thresholds, the lower
  wins; boundary_t0.75: recall exactly 3/4 meets target 0.75 (>=). random_t0.8 also has precision exactly 0.8 at
  some candidates and equal recall at several thresholds of label 3.
- tune_threshold_binary/{f1,fbeta_beta2,precision_at_least_t0.8,recall_at_least_t0.9}/random,
  tune_threshold_binary/f1/no_positives, tune_threshold_binary/precision_at_least/unreachable_t0.95,
  tune_threshold_binary/f1/ties, tune_threshold_binary/f1/objective_tie.
"""

import math
import warnings

import numpy as np
from sklearn import metrics as skm

LIBRARIES = ("sklearn",)

FALLBACK = 0.5


def sk_objectives(y, s, t, objective, beta):
    """(value to maximise, constraint value or None) from sklearn for threshold t."""
    pred = (s >= t).astype(np.int64)
    if objective == "f1":
        return skm.f1_score(y, pred, zero_division=0), None
    if objective == "fbeta":
        return skm.fbeta_score(y, pred, beta=beta, zero_division=0), None
    precision = skm.precision_score(y, pred, zero_division=0)
    recall = skm.recall_score(y, pred, zero_division=0)
    if objective == "precision_at_least":
        return recall, precision
    return precision, recall  # recall_at_least


def count_objectives(y, s, t, objective, beta):
    """The same from counts (independent check)."""
    pred = s >= t
    tp = int(np.sum(pred & (y == 1)))
    pred_sum = int(np.sum(pred))
    true_sum = int(np.sum(y == 1))
    precision = tp / pred_sum if pred_sum else 0.0
    recall = tp / true_sum if true_sum else 0.0
    if objective in ("f1", "fbeta"):
        b2 = 1.0 if objective == "f1" else beta * beta
        denom = b2 * true_sum + pred_sum
        return ((1 + b2) * tp / denom if denom else 0.0), None
    if objective == "precision_at_least":
        return recall, precision
    return precision, recall


def tune_one(y, s, objective, beta, target, evaluate):
    if not np.any(y == 1):
        return FALLBACK, math.nan, True
    best_t, best_v = None, None
    for t in np.unique(s):  # ascending: the first of equal objective values is the lowest threshold
        value, constraint = evaluate(y, s, t, objective, beta)
        if constraint is not None and not constraint >= target:
            continue
        if best_v is None or value > best_v:
            best_t, best_v = float(t), float(value)
    if best_t is None:
        return FALLBACK, math.nan, True
    return best_t, best_v, False


def tune(y_true, y_score, objective, beta, target):
    cols = []
    for j in range(y_true.shape[1]):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a = tune_one(y_true[:, j], y_score[:, j], objective, beta, target, sk_objectives)
        b = tune_one(y_true[:, j], y_score[:, j], objective, beta, target, count_objectives)
        assert a[0] == b[0] and a[2] == b[2] and (a[1] == b[1] or (math.isnan(a[1]) and math.isnan(b[1]))), (a, b)
        cols.append(a)
    thresholds = np.array([c[0] for c in cols], dtype=np.float64)
    values = np.array([c[1] for c in cols], dtype=np.float64)
    fell_back = np.array([c[2] for c in cols], dtype=np.bool_)
    return thresholds, values, fell_back


def reference(objective, beta, target):
    if objective == "f1":
        metric = "f1_score(y, s >= t, zero_division=0)"
    elif objective == "fbeta":
        metric = f"fbeta_score(y, s >= t, beta={beta}, zero_division=0)"
    elif objective == "precision_at_least":
        metric = (f"recall_score(y, s >= t) over t with precision_score(y, s >= t, zero_division=0) >= {target}")
    else:
        metric = (f"precision_score(y, s >= t, zero_division=0) over t with recall_score(y, s >= t) >= {target}")
    return (f"per label: argmax over t in np.unique(s) (lowest t on ties) of sklearn.metrics.{metric}; "
            f"no positive in y or no feasible t -> threshold = fallback, objective NaN, fell_back")


def params(objective, beta=None, target=None):
    return {"objective": objective, "beta": beta, "target": target, "fallback": FALLBACK}


def add(golden, id, y_true, y_score, objective, beta=None, target=None):
    assert y_true.dtype == np.int64 and y_score.dtype == np.float64
    thresholds, values, fell_back = tune(y_true, y_score, objective, beta, target)
    golden.add_case(id, "tune_thresholds", reference(objective, beta, target), params(objective, beta, target),
                    {"y_true": y_true, "y_score": y_score},
                    {"thresholds": thresholds, "objective_values": values, "fell_back": fell_back})
    return thresholds, values, fell_back


def add_binary(golden, id, y_true, y_score, objective, beta=None, target=None):
    assert y_true.ndim == 1
    thresholds, values, fell_back = tune(y_true[:, None], y_score[:, None], objective, beta, target)
    golden.add_case(id, "tune_threshold_binary", reference(objective, beta, target).replace("per label: ", ""),
                    params(objective, beta, target), {"y_true": y_true, "y_score": y_score},
                    {"threshold": float(thresholds[0]), "objective_value": float(values[0]),
                     "fell_back": bool(fell_back[0])})
    return thresholds[0], values[0], fell_back[0]


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def random_data(seed, n, L):
    rng = np.random.default_rng(seed)
    z = rng.normal(0.0, 1.5, size=(n, L))
    y = (rng.random((n, L)) < sigmoid(1.2 * z - 0.3)).astype(np.int64)
    return y, sigmoid(z)


def ties_data(seed, n, L):
    rng = np.random.default_rng(seed)
    s = rng.integers(0, 11, size=(n, L)) / 10.0
    y = (rng.random((n, L)) < 0.1 + 0.8 * s).astype(np.int64)
    return y, s


def build(golden):
    y, s = random_data(3401, 80, 4)
    add(golden, "tune_thresholds/f1/random", y, s, "f1")
    add(golden, "tune_thresholds/fbeta/beta0.5/random", y, s, "fbeta", beta=0.5)
    add(golden, "tune_thresholds/fbeta/beta2/random", y, s, "fbeta", beta=2.0)
    add(golden, "tune_thresholds/precision_at_least/random_t0.8", y, s, "precision_at_least", target=0.8)
    add(golden, "tune_thresholds/recall_at_least/random_t0.9", y, s, "recall_at_least", target=0.9)

    yt, st = ties_data(3402, 60, 3)
    add(golden, "tune_thresholds/f1/ties", yt, st, "f1")
    _, values, _ = add(golden, "tune_thresholds/precision_at_least/ties_t0.75", yt, st, "precision_at_least",
                       target=0.75)
    add(golden, "tune_thresholds/recall_at_least/ties_t0.6", yt, st, "recall_at_least", target=0.6)

    y2, s2 = random_data(3403, 50, 3)
    y2[:, 2] = 0
    _, _, fell_back = add(golden, "tune_thresholds/f1/no_positives", y2, s2, "f1")
    assert fell_back.tolist() == [False, False, True]

    # unreachable: label 1's best precision is below 0.95 (its top scores are negatives)
    y3, s3 = random_data(3404, 60, 3)
    top = np.argsort(-s3[:, 1], kind="stable")[:3]
    y3[top, 1] = 0
    s3[:, 1] = np.where(y3[:, 1] == 1, s3[:, 1] * 0.9, s3[:, 1])
    _, _, fell_back = add(golden, "tune_thresholds/precision_at_least/unreachable_t0.95", y3, s3,
                          "precision_at_least", target=0.95)
    assert fell_back[1] and not fell_back[0], fell_back

    # handcrafted: label 0 has equal F1 (2/3) at t = 0.9 (tp 2, pred 2) and t = 0.45 (tp 4, pred 8): the lower
    # wins; label 1 reaches recall 3/4 == 0.75 exactly at t = 0.8 with precision 1.
    sh = np.array([0.95, 0.9, 0.8, 0.7, 0.6, 0.55, 0.5, 0.45, 0.3, 0.2, 0.1])
    yh = np.array([[1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0], [1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0]], dtype=np.int64).T
    sh = np.stack([sh, sh], axis=1)
    thresholds, values, _ = add(golden, "tune_thresholds/f1/objective_tie", yh, sh, "f1")
    assert thresholds[0] == 0.45 and values[0] == 2 / 3, (thresholds, values)
    thresholds, values, _ = add(golden, "tune_thresholds/recall_at_least/boundary_t0.75", yh, sh, "recall_at_least",
                                target=0.75)
    assert thresholds[1] == 0.8 and values[1] == 1.0, (thresholds, values)
    t, v, _ = add_binary(golden, "tune_threshold_binary/f1/objective_tie", yh[:, 0], sh[:, 0], "f1")
    assert t == 0.45

    yb, sb = random_data(3405, 70, 1)
    yb, sb = yb[:, 0], sb[:, 0]
    add_binary(golden, "tune_threshold_binary/f1/random", yb, sb, "f1")
    add_binary(golden, "tune_threshold_binary/fbeta_beta2/random", yb, sb, "fbeta", beta=2.0)
    add_binary(golden, "tune_threshold_binary/precision_at_least_t0.8/random", yb, sb, "precision_at_least",
               target=0.8)
    add_binary(golden, "tune_threshold_binary/recall_at_least_t0.9/random", yb, sb, "recall_at_least", target=0.9)
    _, _, fb = add_binary(golden, "tune_threshold_binary/f1/no_positives", np.zeros(70, dtype=np.int64), sb, "f1")
    assert fb
    _, _, fb = add_binary(golden, "tune_threshold_binary/precision_at_least/unreachable_t0.95", y3[:, 1], s3[:, 1],
                          "precision_at_least", target=0.95)
    assert fb
    add_binary(golden, "tune_threshold_binary/f1/ties", yt[:, 0], st[:, 0], "f1")
