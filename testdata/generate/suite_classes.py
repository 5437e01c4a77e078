"""classes.json: multi-class metrics over label spaces too large for a C x C confusion array (issue 22).

logits4j keeps the confusion counts dense up to 1,024 classes and sparse beyond; these cases check the sparse path
against scikit-learn. A row's probabilities are built from three integers so that the golden file stays small:
p[pred] = 0.5, p[second] = 0.3, and 0.2 / (C - 2) on every other class (pred != second; the true class is any).

| op | params | inputs | expected |
| --- | --- | --- | --- |
| sparse_multiclass | classes, zero_division, top_k | y_true, pred, second [N] int64 | the scikit-learn metrics below |

References (scikit-learn 1.9.1, float64 probabilities built as above, labels = range(C), no sample weights):
accuracy_score; precision/recall/f1_score(average=micro|macro|weighted, labels=present, zero_division) where present
= the classes in y_true or the argmax; jaccard_score(average=macro, labels=present); matthews_corrcoef;
cohen_kappa_score(weights=None|linear|quadratic); balanced_accuracy_score; top_k_accuracy_score(k, labels=range(C));
log_loss(labels=range(C)).
"""

import numpy as np
from sklearn import metrics as skm

LIBRARIES = ("sklearn",)


def probabilities(classes, pred, second):
    n = len(pred)
    p = np.full((n, classes), 0.2 / (classes - 2), dtype=np.float64)
    p[np.arange(n), pred] = 0.5
    p[np.arange(n), second] = 0.3
    return p


def case(golden, name, classes, n, seed, vocabulary):
    rng = np.random.default_rng(seed)
    # a vocabulary of `vocabulary` classes in use, spread over the label space; most predictions right
    used = rng.choice(classes, size=vocabulary, replace=False)
    y = used[rng.integers(0, vocabulary, n)]
    right = rng.random(n) < 0.7
    pred = np.where(right, y, used[rng.integers(0, vocabulary, n)])
    second = used[rng.integers(0, vocabulary, n)]
    clash = second == pred
    second[clash] = (pred[clash] + 1) % classes
    p = probabilities(classes, pred, second)
    assert np.array_equal(np.argmax(p, axis=1), pred)
    labels = np.arange(classes)
    present = np.union1d(y, pred)
    zd = 0
    expected = {"accuracy": skm.accuracy_score(y, pred)}
    for a in ("micro", "macro", "weighted"):
        expected[f"precision_{a}"] = skm.precision_score(y, pred, labels=present, average=a, zero_division=zd)
        expected[f"recall_{a}"] = skm.recall_score(y, pred, labels=present, average=a, zero_division=zd)
        expected[f"f1_{a}"] = skm.f1_score(y, pred, labels=present, average=a, zero_division=zd)
    expected["jaccard_macro"] = skm.jaccard_score(y, pred, labels=present, average="macro", zero_division=zd)
    expected["mcc"] = skm.matthews_corrcoef(y, pred)
    expected["cohen_kappa"] = skm.cohen_kappa_score(y, pred)
    expected["cohen_kappa_linear"] = skm.cohen_kappa_score(y, pred, weights="linear")
    expected["cohen_kappa_quadratic"] = skm.cohen_kappa_score(y, pred, weights="quadratic")
    expected["balanced_accuracy"] = skm.balanced_accuracy_score(y, pred)
    for k in (1, 5):
        expected[f"top_k_accuracy_{k}"] = skm.top_k_accuracy_score(y, p, k=k, labels=labels)
    expected["log_loss"] = skm.log_loss(y, p, labels=labels)
    golden.add_case(name, "sparse_multiclass", "scikit-learn 1.9.1 metrics of the rows built as the docstring says; "
                    "see suite_classes.py", {"classes": classes, "zero_division": zd, "top_k": [1, 5]},
                    {"y_true": y.astype(np.int64), "pred": pred.astype(np.int64), "second": second.astype(np.int64)},
                    {k: float(v) for k, v in expected.items()})


def build(golden):
    case(golden, "classes_2000", 2000, 400, 2201, 60)
    case(golden, "classes_50000", 50_000, 300, 2202, 120)
