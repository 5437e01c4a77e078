"""metrics.json: classification metrics from scikit-learn 1.9.1; calibration error from torchmetrics 1.9.0.

All inputs are float64 / int64, but the float32 decision values of hinge_loss. The input `sample_weight` is absent (not null) in unweighted
cases. Every expected value is what the library returned, NaN included (sklearn's warnings are silenced, never
turned into values). Scalars have shape [].

| op | params | inputs | expected |
| --- | --- | --- | --- |
| multiclass_metrics | zero_division (0, 1 or "nan"), top_k (list of ints), n_bins (15) | y_true [N] int64; y_prob [N,C] float64 rows summing to 1; sample_weight [N] (optional) | see below |
| multilabel_metrics | zero_division, threshold (0.5; y_pred = y_prob >= threshold) | y_true [N,L] int64 0/1; y_prob [N,L] float64; sample_weight [N] (optional) | see below |
| binary_metrics | zero_division, threshold (0.5; y_pred = y_prob >= threshold), n_bins (15) | y_true [N] int64 0/1; y_prob [N] float64 (probability of class 1); sample_weight (optional) | see below |
| hinge_loss | (none) | y_true [N] int64 (0/1 for [N,1], class indices for [N,C]); decision [N,1] or [N,C] float32; sample_weight (optional) | hinge_loss [] float64 = sklearn.metrics.hinge_loss |

zero_division "nan" is passed to sklearn as np.nan. sw below is sample_weight (None when absent), zd zero_division.

multiclass_metrics (y_pred = np.argmax(y_prob, axis=1), first index on ties; labels = range(C)):
  accuracy = accuracy_score(y_true, y_pred, sw); top_k_accuracy_K for K in top_k = top_k_accuracy_score(y_true, y_prob,
  k=K, labels=labels, sw) (sklearn breaks score ties toward the HIGHER class index);
  fbeta_B_{micro,macro,weighted} and fbeta_B_per_class for B in 0.5, 2 = fbeta_score(beta=B, zd, sw);
  {precision,recall,f1}_{micro,macro,weighted} = precision_score/recall_score/f1_score(y_true, y_pred, average=...,
  sw, zd) with sklearn's default label set (sorted union of y_true and y_pred); {precision,recall,f1}_per_class [C]
  = the same with average=None, labels=labels; confusion_matrix [C,C] float64 = confusion_matrix(labels=labels, sw)
  (rows true, columns predicted); log_loss = log_loss(y_true, y_prob, labels=labels, sw); brier =
  brier_score_loss(y_true, y_prob, labels=labels, sw) (multi-class: NOT halved); brier_halved, brier_unscaled
  (scale_by_half=True/False); log_loss_sum (normalize=False); top_k_correct_K (top_k_accuracy_score normalize=False);
  mcc = matthews_corrcoef(sw);
  balanced_accuracy[_adjusted] = balanced_accuracy_score(sw, adjusted); cohen_kappa[_linear|_quadratic] =
  cohen_kappa_score(weights=None|linear|quadratic, sw); jaccard_{micro,macro,weighted} = jaccard_score(average=...,
  sw, zd), jaccard_per_class [C] (average=None, labels=labels), absent when zd is "nan" (jaccard_score refuses it);
  zero_one_loss = zero_one_loss(sw); {precision,recall,f1,jaccard}_{micro,macro,weighted}_labels_{all,01} = the same
  with labels=range(C) (classes that never occur count) and labels=[0, 1] (a subset; jaccard absent when zd is "nan");
  {precision,recall,f1}_binary (C = 2 only) = the same with scikit-learn's default average="binary", pos_label=1;
  cohen_kappa[_linear|_quadratic]_labels_{all,01,201} = cohen_kappa_score(labels=..., weights=..., sw) (201: [2, 0, 1],
  C >= 3 only; the weights follow the list's order);
  average_precision_{macro,weighted} = average_precision_score(y_true, y_prob, average=..., sw) (one-vs-rest; sklearn
  raises when a class is absent from y_true, and the key is absent then);
  roc_auc_{ovr,ovo}_{macro,weighted} = roc_auc_score(y_true, y_prob, multi_class=..., average=..., labels=labels,
  sw); roc_auc_ovr_micro = roc_auc_score(multi_class="ovr", average="micro", labels=labels, sw). sklearn refuses ovo
  with sample weights (ValueError): those keys are absent in weighted cases, and the case's
  reference says so; a key whose computation raised for another reason is absent too and named in the reference.
  ece_l1, ece_l2, ece_max, bin_boundaries [n_bins+1]: unweighted cases only (torchmetrics has no sample weights), see
  "ECE" below.
multilabel_metrics (y_pred = (y_prob >= threshold).astype(int64)):
  hamming_loss; subset_accuracy = accuracy_score; zero_one_loss; jaccard_{micro,macro,weighted,samples} and
  jaccard_per_label [L] (jaccard_score, zd, sw; absent when zd is "nan", which jaccard_score refuses); {precision,recall,f1}_{micro,macro,weighted,samples} and
  {precision,recall,f1}_per_label [L] (average=None) with zd and sw; fbeta_B_{micro,macro,weighted,samples} for B in
  0.5, 2 = fbeta_score(beta=B, average=..., zd, sw); roc_auc_{micro,macro,weighted} =
  roc_auc_score(y_true, y_prob, average=..., sw); average_precision_{micro,macro,weighted,samples} = average_precision_score(...);
  ndcg = ndcg_score(y_true, y_prob, sw), dcg = dcg_score(y_true, y_prob, sw) (k=None, ties averaged); roc_auc_samples (only
  where every row has both classes: sklearn raises otherwise);
  label_ranking_average_precision = label_ranking_average_precision_score(y_true, y_prob, sw); coverage_error;
  label_ranking_loss; confusion_per_label [L,2,2] float64 = multilabel_confusion_matrix(y_true, y_pred, sw)
  ([[tn, fp], [fn, tp]] per label).
binary_metrics (y_pred = (y_prob >= threshold).astype(int64)):
  accuracy; precision, recall, f1 (average="binary", pos_label=1, zd, sw); roc_auc = roc_auc_score(y_true, y_prob,
  sw); roc_auc_max_fpr_{0.05,0.1,0.5,1} = roc_auc_score(y_true, y_prob, max_fpr=..., sw) (standardized partial AUC,
  McClish; absent where sklearn raises: one class present); {precision,recall,f1,fbeta_0.5,fbeta_2,jaccard}_pos_label_0
  = the same with pos_label=0 (class 0 positive; jaccard absent when zd is "nan"); average_precision_pos_label_0 =
  average_precision_score(y_true, 1 - y_prob, pos_label=0, sw); average_precision = average_precision_score(y_true, y_prob, sw); brier = brier_score_loss(y_true, y_prob, sw)
  (binary: halved form, mean (y - p)^2); log_loss = log_loss(y_true, y_prob, labels=[0, 1], sw) (labels given so a
  single-class y_true is accepted); mcc; confusion_matrix [2,2] float64 (labels=[0, 1], sw);
  ece_l1, ece_l2, ece_max, bin_boundaries: unweighted cases only.

ECE (torchmetrics 1.9.0). Binary: BinaryCalibrationError(n_bins, norm) on float64 tensors; confidence = p,
accuracy = y; the computation stays float64. Multi-class: MulticlassCalibrationError casts confidences and
accuracies to float32 (_multiclass_calibration_error_update returns confidences.float()), so its public result is a
float32 number. The expected values here are torchmetrics' own _ce_compute(confidences, accuracies, n_bins, norm)
applied to the float64 confidences (values, indices = y_prob.max(dim=1); accuracies = indices == y_true), i.e. the
same code path without the float32 cast; each case's reference also gives the float32 values the public class
returned (they agree to < 1e-6). bin_boundaries = torch.linspace(0, 1, n_bins + 1, dtype=float64) as _ce_compute
made it (bins [b_k, b_k+1) by torch.bucketize(conf, b, right=True) - 1; conf == 1.0 goes to an extra bin n_bins).
The generator also checks that binning with b_k = k / n_bins gives the same result for every case.

Case ids:
- multiclass/random/{unweighted,weighted}; multiclass/ties/{unweighted,weighted} (probabilities multiples of 0.1:
  argmax and top-k ties); multiclass/never_predicted/{zd0,zd1,zdnan} (class 3 in y_true, never the argmax: precision
  0/0); multiclass/absent_class/{zd0,zd1,zdnan,weighted_zdnan} (class 4 in neither y_true nor y_pred: absent from
  the default label set, 0/0 everywhere in the per-class arrays, NaN ovr-macro AUC);
  multiclass/extreme_probabilities/{unweighted,weighted} (exact 0 and 1, one-hot rows right and wrong: log-loss
  clipping at eps = 2.220446049250313e-16, confidence 1.0 in the extra ECE bin);
  worked/log_loss/{model1,model2} (REFERENCE_SEMANTICS: 1.3783888522474517 and 0.6391075640678003);
  worked/log_loss/target0/{p0.5,p0.7} (one sample, target class 0: -ln 0.5 and -ln 0.7; ovo weighted raises).
- multilabel/random/{unweighted,weighted}; multilabel/ties/unweighted (scores multiples of 0.1, some == 0.5);
  multilabel/absent_label/{zd0,zd1,zdnan,weighted_zdnan} (label 3 all-zero in y_true and never predicted: NaN
  macro AUC, AP 0.0 for it; rows with no true and no predicted label: 0/0 in samples averaging);
  multilabel/never_predicted/zd1 (label 1 present but never predicted).
- binary/random/{unweighted,weighted}; binary/ties/unweighted (p multiples of 0.1, some == 0.5);
  binary/never_predicted/{zd0,zd1,zdnan} (every p < 0.5: precision 0/0); binary/single_class/{all_negative_zdnan,
  all_positive,weighted_negative} (NaN AUC; AP 0.0 / 1.0); binary/extreme_probabilities/{unweighted,weighted}.
"""

import importlib.util
import math
import os
import sys
import warnings

import numpy as np
import torch
from sklearn import metrics as skm

LIBRARIES = ("sklearn", "torch", "torchmetrics")

NORMS = ("l1", "l2", "max")


# ------------------------------------------------------------------------------------------------ torchmetrics

def load_torchmetrics():
    """Imports torchmetrics.

    torchmetrics imports torchvision whenever the torchvision distribution is installed. The pinned torchvision wheel
    (0.28.0, CUDA build) has a compiled extension that does not load next to torch 2.13.0+cpu ("operator
    torchvision::nms does not exist"; see suite_losses_torch.load_sigmoid_focal_loss). In that case torchmetrics'
    own availability flag for torchvision (torchmetrics.utilities.imports._TORCHVISION_AVAILABLE) is set to False
    before torchmetrics is imported, which is exactly how torchmetrics behaves without torchvision; the
    classification code used here does not touch torchvision either way.
    """
    try:
        import torchmetrics  # noqa: F401

        return sys.modules["torchmetrics"]
    except Exception:  # noqa: BLE001 - torchvision's extension failed to load
        for name in [m for m in sys.modules if m.split(".")[0] in ("torchmetrics", "torchvision")]:
            del sys.modules[name]

    spec = importlib.util.find_spec("torchmetrics")
    path = os.path.join(os.path.dirname(spec.origin), "utilities", "imports.py")
    ispec = importlib.util.spec_from_file_location("torchmetrics.utilities.imports", path)
    imports = importlib.util.module_from_spec(ispec)
    ispec.loader.exec_module(imports)
    imports._TORCHVISION_AVAILABLE.available = False
    imports._TORCHVISION_AVAILABLE.message = "torchvision disabled by the logits4j generator"
    sys.modules["torchmetrics.utilities.imports"] = imports
    import torchmetrics

    assert not any(m.split(".")[0] == "torchvision" for m in sys.modules)
    return torchmetrics


torchmetrics = load_torchmetrics()
from torchmetrics.classification import BinaryCalibrationError, MulticlassCalibrationError  # noqa: E402
from torchmetrics.functional.classification.calibration_error import _ce_compute  # noqa: E402
from torchmetrics.functional.classification.confusion_matrix import (  # noqa: E402
    _multiclass_confusion_matrix_format,
)
from torchmetrics.utilities.compute import normalize_logits_if_needed  # noqa: E402


def _ce_value(ce):
    # _ce_compute's l2 branch returns torch.tensor(0) (int64) when the weighted sum of squares is exactly 0.
    return float(ce.item()) if ce.dtype != torch.float64 else ce.item()


def _check_plain_bins(conf, boundaries):
    """Binning with the torch.linspace boundaries equals binning with b_k = k / n_bins (correctly rounded)."""
    n_bins = len(boundaries) - 1
    plain = torch.tensor([k / n_bins for k in range(n_bins + 1)], dtype=torch.float64)
    a = torch.bucketize(conf, boundaries, right=True)
    b = torch.bucketize(conf, plain, right=True)
    assert torch.equal(a, b), "binning depends on the 1-ulp differences of torch.linspace"


def multiclass_ece(y_prob, y_true, n_bins):
    """(float64 values via _ce_compute, bin_boundaries, public float32 values)."""
    preds = torch.from_numpy(y_prob)
    target = torch.from_numpy(y_true)
    p, t = _multiclass_confusion_matrix_format(preds, target, None, convert_to_labels=False)
    p = normalize_logits_if_needed(p, "softmax")
    assert torch.equal(p, preds)  # probabilities: torchmetrics leaves them alone
    conf, pred = p.max(dim=1)
    assert torch.equal(pred, p.argmax(dim=1))  # first index on ties
    acc = pred.eq(t).to(conf.dtype)
    assert conf.dtype == torch.float64
    boundaries = torch.linspace(0, 1, n_bins + 1, dtype=conf.dtype)
    _check_plain_bins(conf, boundaries)
    values, public = {}, {}
    for norm in NORMS:
        ce = _ce_compute(conf, acc, boundaries, norm=norm)
        assert ce.dtype == torch.float64 or (norm == "l2" and ce.item() == 0)
        values[norm] = _ce_value(ce)
        # the same with the int n_bins (torchmetrics makes the linspace itself): identical
        assert _ce_value(_ce_compute(conf, acc, n_bins, norm=norm)) == values[norm]
        metric = MulticlassCalibrationError(num_classes=y_prob.shape[1], n_bins=n_bins, norm=norm)
        metric.update(preds, target)
        out = metric.compute()
        assert out.dtype == torch.float32 or (norm == "l2" and out.item() == 0)
        public[norm] = float(out.item())
        assert abs(public[norm] - values[norm]) < 1e-6, (norm, public[norm], values[norm])
    return values, boundaries.numpy(), public


def binary_ece(y_prob, y_true, n_bins):
    preds = torch.from_numpy(y_prob)
    target = torch.from_numpy(y_true)
    boundaries = torch.linspace(0, 1, n_bins + 1, dtype=torch.float64)
    _check_plain_bins(preds, boundaries)
    values = {}
    for norm in NORMS:
        metric = BinaryCalibrationError(n_bins=n_bins, norm=norm)
        metric.update(preds, target)
        out = metric.compute()
        assert out.dtype == torch.float64 or (norm == "l2" and out.item() == 0)
        values[norm] = _ce_value(out)
        # the functional path on the same float64 values
        assert _ce_value(_ce_compute(preds, target.to(torch.float64), boundaries, norm=norm)) == values[norm]
    return values, boundaries.numpy()


# ------------------------------------------------------------------------------------------------ helpers

def zd_value(zero_division):
    return np.nan if zero_division == "nan" else float(zero_division)


def zd_name(zero_division):
    return f"zd{zero_division}"


def f(value):
    """sklearn scalar -> Python float (some paths return int 0 or numpy scalars)."""
    return float(value)


class Recorder:
    """Runs sklearn calls with warnings silenced; a call that raises leaves its key out and is noted."""

    def __init__(self):
        self.expected = {}
        self.notes = []

    def put(self, key, fn, cast=f):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with np.errstate(all="ignore"):
                try:
                    value = fn()
                except (ValueError, ZeroDivisionError) as e:
                    self.notes.append(f"{key} absent: sklearn raised {type(e).__name__}: {str(e).splitlines()[0]}")
                    return
        self.expected[key] = cast(value)


def softmax_rows(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def sample_labels(rng, prob):
    """One label per row drawn from the row's probabilities (cumulative sum + uniform)."""
    u = rng.random(prob.shape[0])
    c = np.cumsum(prob, axis=1)
    return np.minimum((u[:, None] > c).sum(axis=1), prob.shape[1] - 1).astype(np.int64)


def weights(rng, n):
    return rng.uniform(0.1, 3.0, size=n).round(3)  # short decimals: exact in the file, positive


def tenths(rng, n, c):
    """Rows of multiples of 0.1 summing to 1 (as k / 10.0): many ties."""
    rows = []
    for _ in range(n):
        cuts = np.sort(rng.integers(0, 11, size=c - 1))
        counts = np.diff(np.concatenate(([0], cuts, [10])))
        rows.append(counts / 10.0)
    return np.array(rows, dtype=np.float64)


# ------------------------------------------------------------------------------------------------ multiclass

MC_REFERENCE = (
    "y_pred = np.argmax(y_prob, axis=1); labels = range(C); sklearn.metrics: accuracy_score, "
    "top_k_accuracy_score(k=K, labels=labels), precision/recall/f1_score(average=micro|macro|weighted, default "
    "labels; average=None, labels=labels for *_per_class), confusion_matrix(labels=labels).astype(float64), "
    "log_loss(labels=labels), brier_score_loss(labels=labels), matthews_corrcoef, balanced_accuracy_score(adjusted), "
    "cohen_kappa_score(weights=None|linear|quadratic), jaccard_score(average=micro|macro|weighted|None), zero_one_loss, "
    "roc_auc_score(multi_class=ovr|ovo, "
    "average=macro|weighted, labels=labels), all with sample_weight and zero_division; ece_*: torchmetrics "
    "_ce_compute(conf, acc, n_bins, norm) on float64 conf, pred = y_prob.max(dim=1), acc = (pred == y_true)"
)


def put_agreement(r, y_true, y_pred, sw):
    """mcc, balanced_accuracy[_adjusted] and cohen_kappa[_linear|_quadratic] of single-label decisions."""
    r.put("mcc", lambda: skm.matthews_corrcoef(y_true, y_pred, sample_weight=sw))
    for adjusted in (False, True):
        r.put("balanced_accuracy" + ("_adjusted" if adjusted else ""),
              lambda adjusted=adjusted: skm.balanced_accuracy_score(y_true, y_pred, sample_weight=sw,
                                                                    adjusted=adjusted))
    for weighting in (None, "linear", "quadratic"):
        r.put("cohen_kappa" + (f"_{weighting}" if weighting else ""),
              lambda weighting=weighting: skm.cohen_kappa_score(y_true, y_pred, weights=weighting, sample_weight=sw))


def multiclass_expected(y_true, y_prob, sw, zero_division, top_k, n_bins):
    C = y_prob.shape[1]
    labels = list(range(C))
    y_pred = np.argmax(y_prob, axis=1)
    zd = zd_value(zero_division)
    r = Recorder()
    r.put("accuracy", lambda: skm.accuracy_score(y_true, y_pred, sample_weight=sw))
    for k in top_k:
        r.put(f"top_k_accuracy_{k}",
              lambda k=k: skm.top_k_accuracy_score(y_true, y_prob, k=k, labels=labels, sample_weight=sw))
    for name, fn in (("precision", skm.precision_score), ("recall", skm.recall_score), ("f1", skm.f1_score)):
        for avg in ("micro", "macro", "weighted"):
            r.put(f"{name}_{avg}", lambda fn=fn, avg=avg: fn(y_true, y_pred, average=avg, sample_weight=sw,
                                                           zero_division=zd))
        r.put(f"{name}_per_class", lambda fn=fn: fn(y_true, y_pred, average=None, labels=labels, sample_weight=sw,
                                                    zero_division=zd), cast=lambda v: np.asarray(v, np.float64))
    for beta in (0.5, 2.0):
        for avg in ("micro", "macro", "weighted"):
            r.put(f"fbeta_{beta:g}_{avg}", lambda beta=beta, avg=avg: skm.fbeta_score(
                y_true, y_pred, beta=beta, average=avg, sample_weight=sw, zero_division=zd))
        r.put(f"fbeta_{beta:g}_per_class", lambda beta=beta: skm.fbeta_score(
            y_true, y_pred, beta=beta, average=None, labels=labels, sample_weight=sw, zero_division=zd),
            cast=lambda v: np.asarray(v, np.float64))
    r.put("confusion_matrix", lambda: skm.confusion_matrix(y_true, y_pred, labels=labels, sample_weight=sw),
          cast=lambda v: np.asarray(v).astype(np.float64))
    r.put("log_loss", lambda: skm.log_loss(y_true, y_prob, labels=labels, sample_weight=sw))
    r.put("brier", lambda: skm.brier_score_loss(y_true, y_prob, labels=labels, sample_weight=sw))
    r.put("log_loss_sum", lambda: skm.log_loss(y_true, y_prob, labels=labels, sample_weight=sw, normalize=False))
    for half in (True, False):
        r.put("brier_halved" if half else "brier_unscaled", lambda half=half: skm.brier_score_loss(
            y_true, y_prob, labels=labels, sample_weight=sw, scale_by_half=half))
    for k in top_k:
        r.put(f"top_k_correct_{k}", lambda k=k: skm.top_k_accuracy_score(y_true, y_prob, k=k, labels=labels,
                                                                        sample_weight=sw, normalize=False))
    put_agreement(r, y_true, y_pred, sw)
    if zero_division != "nan":          # jaccard_score accepts zero_division 0 or 1 only
        for avg in ("micro", "macro", "weighted"):
            r.put(f"jaccard_{avg}", lambda avg=avg: skm.jaccard_score(y_true, y_pred, average=avg, sample_weight=sw,
                                                                     zero_division=zd))
        r.put("jaccard_per_class", lambda: skm.jaccard_score(y_true, y_pred, average=None, labels=labels,
                                                             sample_weight=sw, zero_division=zd),
              cast=lambda v: np.asarray(v, np.float64))
    r.put("zero_one_loss", lambda: skm.zero_one_loss(y_true, y_pred, sample_weight=sw))
    if C == 2:      # a two-class softmax model: scikit-learn's default average="binary" (pos_label=1) applies
        for name, fn in (("precision", skm.precision_score), ("recall", skm.recall_score), ("f1", skm.f1_score)):
            r.put(f"{name}_binary", lambda fn=fn: fn(y_true, y_pred, sample_weight=sw, zero_division=zd))
    # labels=: every class (those that never occur count with their 0/0 value), and a subset (the first two)
    for tag, subset in (("all", labels), ("01", [0, 1])):
        for name, fn in (("precision", skm.precision_score), ("recall", skm.recall_score), ("f1", skm.f1_score)):
            for avg in ("micro", "macro", "weighted"):
                r.put(f"{name}_{avg}_labels_{tag}", lambda fn=fn, avg=avg, subset=subset: fn(
                    y_true, y_pred, labels=subset, average=avg, sample_weight=sw, zero_division=zd))
        if zero_division != "nan":
            for avg in ("micro", "macro", "weighted"):
                r.put(f"jaccard_{avg}_labels_{tag}", lambda avg=avg, subset=subset: skm.jaccard_score(
                    y_true, y_pred, labels=subset, average=avg, sample_weight=sw, zero_division=zd))
    # Cohen's kappa over a label list: its confusion matrix only, weights by positions in the list (order matters)
    kappa_sets = [("all", labels), ("01", [0, 1])] + ([("201", [2, 0, 1])] if C >= 3 else [])
    for tag, subset in kappa_sets:
        for weighting in (None, "linear", "quadratic"):
            r.put("cohen_kappa" + (f"_{weighting}" if weighting else "") + f"_labels_{tag}",
                  lambda weighting=weighting, subset=subset: skm.cohen_kappa_score(
                      y_true, y_pred, labels=subset, weights=weighting, sample_weight=sw))
    for avg in ("macro", "weighted"):
        r.put(f"average_precision_{avg}", lambda avg=avg: skm.average_precision_score(
            y_true, y_prob, average=avg, sample_weight=sw))
    for mc in ("ovr", "ovo"):
        for avg in ("macro", "weighted"):
            r.put(f"roc_auc_{mc}_{avg}", lambda mc=mc, avg=avg: skm.roc_auc_score(
                y_true, y_prob, multi_class=mc, average=avg, labels=labels, sample_weight=sw))
    r.put("roc_auc_ovr_micro", lambda: skm.roc_auc_score(y_true, y_prob, multi_class="ovr", average="micro",
                                                         labels=labels, sample_weight=sw))
    public = None
    if sw is None:
        values, boundaries, public = multiclass_ece(y_prob, y_true, n_bins)
        for norm in NORMS:
            r.expected[f"ece_{norm}"] = values[norm]
        r.expected["bin_boundaries"] = boundaries
    else:
        r.notes.append("ece_* and bin_boundaries absent: weighted case")
    for key, arr in r.expected.items():
        if key.endswith("_per_class"):
            assert arr.shape == (C,), key
    return r, public


def add_multiclass(golden, id, y_true, y_prob, sw=None, zero_division=0, top_k=(1, 2, 3), n_bins=15):
    assert y_true.dtype == np.int64 and y_prob.dtype == np.float64
    assert np.all(np.abs(y_prob.sum(axis=1) - 1) < 1e-12), id
    r, public = multiclass_expected(y_true, y_prob, sw, zero_division, top_k, n_bins)
    reference = MC_REFERENCE
    if public is not None:
        reference += ("; torchmetrics MulticlassCalibrationError (float32 internally) returned "
                      + ", ".join(f"{n} {public[n]!r}" for n in NORMS))
    if r.notes:
        reference += "; " + "; ".join(r.notes)
    inputs = {"y_true": y_true, "y_prob": y_prob}
    if sw is not None:
        inputs["sample_weight"] = sw
    golden.add_case(id, "multiclass_metrics", reference,
                    {"zero_division": zero_division, "top_k": list(top_k), "n_bins": n_bins}, inputs, r.expected)
    return r.expected


def build_multiclass(golden):
    # random: N = 150, C = 5, labels drawn from a smoothed version of the predicted distribution
    rng = np.random.default_rng(3101)
    z = rng.normal(0.0, 1.5, size=(150, 5))
    y_prob = softmax_rows(z)
    y_true = sample_labels(rng, softmax_rows(0.6 * z))
    sw = weights(rng, 150)
    add_multiclass(golden, "multiclass/random/unweighted", y_true, y_prob)
    e = add_multiclass(golden, "multiclass/random/weighted", y_true, y_prob, sw=sw)
    assert "roc_auc_ovo_macro" not in e and "ece_l1" not in e

    # ties: multiples of 0.1 (argmax ties -> first index; top-k ties -> sklearn's higher index)
    rng = np.random.default_rng(3102)
    y_prob = tenths(rng, 120, 4)
    y_true = rng.integers(0, 4, size=120).astype(np.int64)
    sw = weights(rng, 120)
    add_multiclass(golden, "multiclass/ties/unweighted", y_true, y_prob)
    add_multiclass(golden, "multiclass/ties/weighted", y_true, y_prob, sw=sw)
    sw = sw.copy()
    sw[::5] = 0.0                                   # zero weights: rows that count for nothing
    add_multiclass(golden, "multiclass/ties/zero_weights", y_true, y_prob, sw=sw)

    # never_predicted: class 3 appears in y_true but is never the argmax (precision 0/0)
    rng = np.random.default_rng(3103)
    z = rng.normal(0.0, 1.0, size=(80, 4))
    z[:, 3] -= 4.0
    y_prob = softmax_rows(z)
    assert not np.any(np.argmax(y_prob, axis=1) == 3)
    y_true = sample_labels(rng, softmax_rows(0.5 * z + np.array([0, 0, 0, 3.0])))
    assert np.any(y_true == 3)
    for zd in (0, 1, "nan"):
        add_multiclass(golden, f"multiclass/never_predicted/{zd_name(zd)}", y_true, y_prob, zero_division=zd)

    # absent_class: class 4 in neither y_true nor y_pred
    rng = np.random.default_rng(3104)
    z = rng.normal(0.0, 1.0, size=(70, 5))
    z[:, 4] -= 3.0
    y_prob = softmax_rows(z)
    y_true = sample_labels(rng, softmax_rows(z[:, :4]))
    assert not np.any(y_true == 4) and not np.any(np.argmax(y_prob, axis=1) == 4)
    assert len(set(y_true.tolist()) | set(np.argmax(y_prob, axis=1).tolist())) == 4
    sw = weights(rng, 70)
    for zd in (0, 1, "nan"):
        e = add_multiclass(golden, f"multiclass/absent_class/{zd_name(zd)}", y_true, y_prob, zero_division=zd,
                           top_k=(1, 2, 4))
        assert math.isnan(e["roc_auc_ovr_macro"])
    add_multiclass(golden, "multiclass/absent_class/weighted_zdnan", y_true, y_prob, sw=sw, zero_division="nan",
                   top_k=(1, 2, 4))

    # extreme probabilities: exact 0 and 1, one-hot rows (right and wrong), plus ordinary rows
    rng = np.random.default_rng(3105)
    y_prob = softmax_rows(rng.normal(0.0, 2.0, size=(40, 3)))
    y_true = sample_labels(rng, y_prob)
    onehot_rows = [(0, 0), (1, 1), (2, 2), (0, 1), (1, 2), (2, 0)]  # (true, predicted one-hot)
    for i, (t, p) in enumerate(onehot_rows):
        y_prob[i] = 0.0
        y_prob[i, p] = 1.0
        y_true[i] = t
    y_prob[6] = [0.0, 0.25, 0.75]
    y_true[6] = 2
    y_prob[7] = [0.5, 0.5, 0.0]
    y_true[7] = 2
    sw = weights(rng, 40)
    add_multiclass(golden, "multiclass/extreme_probabilities/unweighted", y_true, y_prob, top_k=(1, 2))
    add_multiclass(golden, "multiclass/extreme_probabilities/weighted", y_true, y_prob, sw=sw, top_k=(1, 2))

    # two classes (a two-class softmax model): average="binary" beside the multi-class averages
    rng = np.random.default_rng(2202)
    y_prob = softmax_rows(rng.normal(0.0, 1.5, size=(80, 2)))
    y_true = sample_labels(rng, y_prob)
    sw = weights(rng, 80)
    add_multiclass(golden, "multiclass/two_classes/unweighted", y_true, y_prob, top_k=(1, 2))
    add_multiclass(golden, "multiclass/two_classes/weighted", y_true, y_prob, sw=sw, top_k=(1, 2))

    # REFERENCE_SEMANTICS worked examples
    y_true = np.array([2, 1, 0], dtype=np.int64)  # one-hot [[0,0,1],[0,1,0],[1,0,0]]
    m1 = np.array([[.3, .3, .4], [.3, .4, .3], [.1, .2, .7]])
    m2 = np.array([[.1, .2, .7], [.1, .7, .2], [.3, .4, .3]])
    e1 = add_multiclass(golden, "worked/log_loss/model1", y_true, m1, top_k=(1, 2))
    e2 = add_multiclass(golden, "worked/log_loss/model2", y_true, m2, top_k=(1, 2))
    assert e1["log_loss"] == 1.3783888522474517 and e2["log_loss"] == 0.6391075640678003, (e1, e2)
    for name, row in (("p0.5", [0.5, 0.2, 0.3]), ("p0.7", [0.7, 0.1, 0.2])):
        e = add_multiclass(golden, f"worked/log_loss/target0/{name}", np.array([0], dtype=np.int64),
                           np.array([row]), top_k=(1, 2))
        assert e["log_loss"] == -math.log(row[0])


# ------------------------------------------------------------------------------------------------ multilabel

ML_REFERENCE = (
    "y_pred = (y_prob >= threshold).astype(int64); sklearn.metrics with sample_weight: hamming_loss, zero_one_loss, "
    "jaccard_score(average=micro|macro|weighted|samples|None, zero_division), "
    "accuracy_score (subset accuracy), precision/recall/f1_score(average=micro|macro|weighted|samples|None, "
    "zero_division), roc_auc_score(average=micro|macro|weighted), average_precision_score(average=micro|macro), "
    "label_ranking_average_precision_score, coverage_error, label_ranking_loss, "
    "multilabel_confusion_matrix(...).astype(float64)"
)


def add_multilabel(golden, id, y_true, y_prob, sw=None, zero_division=0, threshold=0.5):
    assert y_true.dtype == np.int64 and y_prob.dtype == np.float64
    L = y_true.shape[1]
    y_pred = (y_prob >= threshold).astype(np.int64)
    zd = zd_value(zero_division)
    r = Recorder()
    r.put("hamming_loss", lambda: skm.hamming_loss(y_true, y_pred, sample_weight=sw))
    r.put("subset_accuracy", lambda: skm.accuracy_score(y_true, y_pred, sample_weight=sw))
    r.put("zero_one_loss", lambda: skm.zero_one_loss(y_true, y_pred, sample_weight=sw))
    if zero_division != "nan":          # jaccard_score accepts zero_division 0 or 1 only
        for avg in ("micro", "macro", "weighted", "samples"):
            r.put(f"jaccard_{avg}", lambda avg=avg: skm.jaccard_score(y_true, y_pred, average=avg, sample_weight=sw,
                                                                     zero_division=zd))
        r.put("jaccard_per_label", lambda: skm.jaccard_score(y_true, y_pred, average=None, sample_weight=sw,
                                                             zero_division=zd),
              cast=lambda v: np.asarray(v, np.float64))
    for name, fn in (("precision", skm.precision_score), ("recall", skm.recall_score), ("f1", skm.f1_score)):
        for avg in ("micro", "macro", "weighted", "samples"):
            r.put(f"{name}_{avg}", lambda fn=fn, avg=avg: fn(y_true, y_pred, average=avg, sample_weight=sw,
                                                           zero_division=zd))
        r.put(f"{name}_per_label", lambda fn=fn: fn(y_true, y_pred, average=None, sample_weight=sw, zero_division=zd),
              cast=lambda v: np.asarray(v, np.float64))
    for beta in (0.5, 2.0):
        for avg in ("micro", "macro", "weighted", "samples"):
            r.put(f"fbeta_{beta:g}_{avg}", lambda beta=beta, avg=avg: skm.fbeta_score(
                y_true, y_pred, beta=beta, average=avg, sample_weight=sw, zero_division=zd))
    for avg in ("micro", "macro", "weighted"):
        r.put(f"roc_auc_{avg}", lambda avg=avg: skm.roc_auc_score(y_true, y_prob, average=avg, sample_weight=sw))
    r.put("ndcg", lambda: skm.ndcg_score(y_true, y_prob, sample_weight=sw))
    r.put("dcg", lambda: skm.dcg_score(y_true, y_prob, sample_weight=sw))
    r.put("average_precision_samples", lambda: skm.average_precision_score(y_true, y_prob, average="samples",
                                                                          sample_weight=sw))
    positives = y_true.sum(axis=1)
    if np.all((positives > 0) & (positives < y_true.shape[1])):    # sklearn raises on a row of one class
        r.put("roc_auc_samples", lambda: skm.roc_auc_score(y_true, y_prob, average="samples", sample_weight=sw))
    for avg in ("micro", "macro", "weighted"):
        r.put(f"average_precision_{avg}",
              lambda avg=avg: skm.average_precision_score(y_true, y_prob, average=avg, sample_weight=sw))
    r.put("label_ranking_average_precision",
          lambda: skm.label_ranking_average_precision_score(y_true, y_prob, sample_weight=sw))
    r.put("coverage_error", lambda: skm.coverage_error(y_true, y_prob, sample_weight=sw))
    r.put("label_ranking_loss", lambda: skm.label_ranking_loss(y_true, y_prob, sample_weight=sw))
    r.put("confusion_per_label", lambda: skm.multilabel_confusion_matrix(y_true, y_pred, sample_weight=sw),
          cast=lambda v: np.asarray(v).astype(np.float64))
    assert not r.notes, r.notes
    assert r.expected["confusion_per_label"].shape == (L, 2, 2)
    inputs = {"y_true": y_true, "y_prob": y_prob}
    if sw is not None:
        inputs["sample_weight"] = sw
    golden.add_case(id, "multilabel_metrics", ML_REFERENCE, {"zero_division": zero_division, "threshold": threshold},
                    inputs, r.expected)
    return r.expected


def bernoulli(rng, p):
    return (rng.random(p.shape) < p).astype(np.int64)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def build_multilabel(golden):
    rng = np.random.default_rng(3201)
    z = rng.normal(0.0, 1.5, size=(120, 5)) + np.array([-1.0, 0.0, 0.5, -0.5, 1.0])
    y_prob = sigmoid(z)
    y_true = bernoulli(rng, sigmoid(0.7 * z))
    sw = weights(rng, 120)
    add_multilabel(golden, "multilabel/random/unweighted", y_true, y_prob)
    add_multilabel(golden, "multilabel/random/weighted", y_true, y_prob, sw=sw)

    rng = np.random.default_rng(3202)
    y_prob = rng.integers(0, 11, size=(100, 4)) / 10.0
    y_true = bernoulli(rng, 0.2 + 0.6 * y_prob)
    assert np.any(y_prob == 0.5)
    add_multilabel(golden, "multilabel/ties/unweighted", y_true, y_prob)

    # absent label 3 (all-zero column, never predicted); some rows with no true and no predicted label
    rng = np.random.default_rng(3203)
    z = rng.normal(-0.5, 1.5, size=(90, 4))
    z[:, 3] = rng.normal(-3.0, 0.5, size=90)
    y_prob = sigmoid(z)
    y_true = bernoulli(rng, sigmoid(0.8 * z))
    y_true[:, 3] = 0
    y_true[:6] = 0
    y_prob[:6] = np.minimum(y_prob[:6], 0.3)
    y_pred = y_prob >= 0.5
    assert not np.any(y_pred[:, 3]) and np.all(y_pred.sum(axis=1)[:6] == 0)
    sw = weights(rng, 90)
    for zd in (0, 1, "nan"):
        e = add_multilabel(golden, f"multilabel/absent_label/{zd_name(zd)}", y_true, y_prob, zero_division=zd)
        assert math.isnan(e["roc_auc_macro"])
    add_multilabel(golden, "multilabel/absent_label/weighted_zdnan", y_true, y_prob, sw=sw, zero_division="nan")

    # never predicted: label 1 present in y_true, every score < 0.5
    rng = np.random.default_rng(3204)
    z = rng.normal(0.0, 1.5, size=(60, 3))
    y_prob = sigmoid(z)
    y_prob[:, 1] *= 0.45
    y_true = bernoulli(rng, sigmoid(z))
    assert y_true[:, 1].sum() > 0 and not np.any(y_prob[:, 1] >= 0.5)
    add_multilabel(golden, "multilabel/never_predicted/zd1", y_true, y_prob, zero_division=1)

    # every row has a positive and a negative label, so the samples ROC AUC is defined; score ties inside rows
    rng = np.random.default_rng(3207)
    y_true = np.zeros((60, 6), dtype=np.int64)
    for row in y_true:
        row[rng.choice(6, size=rng.integers(1, 6), replace=False)] = 1
    y_prob = rng.integers(0, 6, size=(60, 6)) / 5.0
    add_multilabel(golden, "multilabel/both_classes_every_row/unweighted", y_true, y_prob)
    add_multilabel(golden, "multilabel/both_classes_every_row/weighted", y_true, y_prob, sw=weights(rng, 60))


# ------------------------------------------------------------------------------------------------ binary

BIN_REFERENCE = (
    "y_pred = (y_prob >= threshold).astype(int64); sklearn.metrics with sample_weight: accuracy_score, "
    "precision/recall/f1_score(average='binary', zero_division), roc_auc_score(y_true, y_prob[, max_fpr]), "
    "average_precision_score(y_true, y_prob), brier_score_loss(y_true, y_prob), log_loss(y_true, y_prob, "
    "labels=[0, 1]), matthews_corrcoef, confusion_matrix(labels=[0, 1]).astype(float64); ece_*: torchmetrics "
    "BinaryCalibrationError(n_bins, norm) on float64 tensors (confidence = p, accuracy = y)"
)



# The false positive rates of the standardized partial ROC AUC (roc_auc_score(max_fpr=...)) in binary cases.
MAX_FPR = (0.05, 0.1, 0.5, 1.0)


def add_binary(golden, id, y_true, y_prob, sw=None, zero_division=0, threshold=0.5, n_bins=15):
    assert y_true.dtype == np.int64 and y_prob.dtype == np.float64 and y_prob.ndim == 1
    y_pred = (y_prob >= threshold).astype(np.int64)
    zd = zd_value(zero_division)
    r = Recorder()
    r.put("accuracy", lambda: skm.accuracy_score(y_true, y_pred, sample_weight=sw))
    for name, fn in (("precision", skm.precision_score), ("recall", skm.recall_score), ("f1", skm.f1_score)):
        r.put(name, lambda fn=fn: fn(y_true, y_pred, sample_weight=sw, zero_division=zd))
    for beta in (0.5, 2.0):
        r.put(f"fbeta_{beta:g}", lambda beta=beta: skm.fbeta_score(y_true, y_pred, beta=beta, sample_weight=sw,
                                                                 zero_division=zd))
    # pos_label=0: class 0 as the positive class (average="binary")
    for name, fn in (("precision", skm.precision_score), ("recall", skm.recall_score), ("f1", skm.f1_score)):
        r.put(f"{name}_pos_label_0", lambda fn=fn: fn(y_true, y_pred, pos_label=0, sample_weight=sw,
                                                      zero_division=zd))
    for beta in (0.5, 2.0):
        r.put(f"fbeta_{beta:g}_pos_label_0", lambda beta=beta: skm.fbeta_score(
            y_true, y_pred, beta=beta, pos_label=0, sample_weight=sw, zero_division=zd))
    r.put("average_precision_pos_label_0", lambda: skm.average_precision_score(y_true, 1.0 - y_prob, pos_label=0,
                                                                               sample_weight=sw))
    if zero_division != "nan":
        r.put("jaccard_pos_label_0", lambda: skm.jaccard_score(y_true, y_pred, pos_label=0, sample_weight=sw,
                                                               zero_division=zd))
    r.put("roc_auc", lambda: skm.roc_auc_score(y_true, y_prob, sample_weight=sw))
    for max_fpr in MAX_FPR:
        r.put(f"roc_auc_max_fpr_{max_fpr:g}", lambda max_fpr=max_fpr: skm.roc_auc_score(
            y_true, y_prob, max_fpr=max_fpr, sample_weight=sw))
    r.put("average_precision", lambda: skm.average_precision_score(y_true, y_prob, sample_weight=sw))
    r.put("brier", lambda: skm.brier_score_loss(y_true, y_prob, sample_weight=sw))
    r.put("log_loss", lambda: skm.log_loss(y_true, y_prob, labels=[0, 1], sample_weight=sw))
    r.put("log_loss_sum", lambda: skm.log_loss(y_true, y_prob, labels=[0, 1], sample_weight=sw, normalize=False))
    r.put("brier_unscaled", lambda: skm.brier_score_loss(y_true, y_prob, sample_weight=sw, scale_by_half=False))
    put_agreement(r, y_true, y_pred, sw)
    if zero_division != "nan":          # jaccard_score accepts zero_division 0 or 1 only
        r.put("jaccard", lambda: skm.jaccard_score(y_true, y_pred, sample_weight=sw, zero_division=zd))
    r.put("zero_one_loss", lambda: skm.zero_one_loss(y_true, y_pred, sample_weight=sw))
    r.put("confusion_matrix", lambda: skm.confusion_matrix(y_true, y_pred, labels=[0, 1], sample_weight=sw),
          cast=lambda v: np.asarray(v).astype(np.float64))
    assert not r.notes, r.notes
    reference = BIN_REFERENCE
    if sw is None:
        values, boundaries = binary_ece(y_prob, y_true, n_bins)
        for norm in NORMS:
            r.expected[f"ece_{norm}"] = values[norm]
        r.expected["bin_boundaries"] = boundaries
    else:
        reference += "; ece_* and bin_boundaries absent: weighted case"
    inputs = {"y_true": y_true, "y_prob": y_prob}
    if sw is not None:
        inputs["sample_weight"] = sw
    golden.add_case(id, "binary_metrics", reference,
                    {"zero_division": zero_division, "threshold": threshold, "n_bins": n_bins}, inputs, r.expected)
    return r.expected


def build_binary(golden):
    rng = np.random.default_rng(3301)
    z = rng.normal(0.3, 2.0, size=150)
    y_prob = sigmoid(z)
    y_true = bernoulli(rng, sigmoid(0.6 * z))
    sw = weights(rng, 150)
    add_binary(golden, "binary/random/unweighted", y_true, y_prob)
    add_binary(golden, "binary/random/weighted", y_true, y_prob, sw=sw)

    rng = np.random.default_rng(3302)
    y_prob = rng.integers(0, 11, size=100) / 10.0
    y_true = bernoulli(rng, 0.1 + 0.8 * y_prob)
    assert np.any(y_prob == 0.5) and np.any(y_prob == 1.0) and np.any(y_prob == 0.0)
    add_binary(golden, "binary/ties/unweighted", y_true, y_prob)
    sw = weights(rng, 100)
    sw[::7] = 0.0                                   # zero weights: rows that count for nothing
    add_binary(golden, "binary/ties/zero_weights", y_true, y_prob, sw=sw)

    rng = np.random.default_rng(3303)
    y_prob = rng.uniform(0.0, 0.49, size=60)
    y_true = bernoulli(rng, y_prob)
    assert y_true.sum() > 0
    for zd in (0, 1, "nan"):
        add_binary(golden, f"binary/never_predicted/{zd_name(zd)}", y_true, y_prob, zero_division=zd)

    rng = np.random.default_rng(3304)
    y_prob = sigmoid(rng.normal(-1.0, 1.5, size=60))
    y_neg = np.zeros(60, dtype=np.int64)
    e = add_binary(golden, "binary/single_class/all_negative_zdnan", y_neg, y_prob, zero_division="nan")
    assert math.isnan(e["roc_auc"]) and e["average_precision"] == 0.0
    e = add_binary(golden, "binary/single_class/all_positive", np.ones(60, dtype=np.int64), y_prob)
    assert math.isnan(e["roc_auc"])
    add_binary(golden, "binary/single_class/weighted_negative", y_neg, y_prob, sw=weights(rng, 60))

    rng = np.random.default_rng(3305)
    y_prob = sigmoid(rng.normal(0.0, 2.0, size=50))
    y_true = bernoulli(rng, y_prob)
    y_prob[:8] = [0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.5, 1.0]
    y_true[:8] = [0, 1, 1, 0, 0, 1, 1, 1]
    sw = weights(rng, 50)
    add_binary(golden, "binary/extreme_probabilities/unweighted", y_true, y_prob)
    add_binary(golden, "binary/extreme_probabilities/weighted", y_true, y_prob, sw=sw)


HINGE_REFERENCE = (
    "sklearn.metrics.hinge_loss(y_true, pred_decision, labels=range(C) for multi-class, sample_weight): the weighted "
    "mean of max(0, 1 - margin); binary margin y * d with y in {-1, +1} (both classes present in every binary case: "
    "with one class, sklearn's LabelBinarizer reads it as -1), multi-class margin d[y] - max of the others; decision "
    "values float32 (widened to float64 for sklearn)"
)


def add_hinge(golden, id, y_true, decision, sw=None):
    assert decision.dtype == np.float32 and y_true.dtype == np.int64
    wide = decision.astype(np.float64)
    if decision.shape[1] == 1:
        assert set(np.unique(y_true)) == {0, 1}, id
        value = skm.hinge_loss(y_true, wide[:, 0], sample_weight=sw)
    else:
        value = skm.hinge_loss(y_true, wide, labels=list(range(decision.shape[1])), sample_weight=sw)
    inputs = {"y_true": y_true, "decision": decision}
    if sw is not None:
        inputs["sample_weight"] = sw
    golden.add_case(id, "hinge_loss", HINGE_REFERENCE, {}, inputs, {"hinge_loss": np.float64(value)})


def build_hinge(golden):
    rng = np.random.default_rng(20261129)
    n = 120
    y = rng.integers(0, 2, n).astype(np.int64)
    add_hinge(golden, "hinge_binary", y, rng.normal(0, 2, (n, 1)).astype(np.float32))
    add_hinge(golden, "hinge_binary_weighted", y, rng.normal(0, 2, (n, 1)).astype(np.float32), weights(rng, n))
    # decisions exactly on the margins: -1, 0, +1 (loss 0, 1, 2), and a zero weight
    on = np.array([[-1.0], [0.0], [1.0], [1.0], [-1.0], [2.5]], np.float32)
    add_hinge(golden, "hinge_binary_on_margin", np.array([1, 1, 1, 0, 0, 0], np.int64), on,
              np.array([1.0, 2.0, 0.0, 1.5, 1.0, 0.5]))
    c = 5
    y = rng.integers(0, c, n).astype(np.int64)
    add_hinge(golden, "hinge_multiclass", y, rng.normal(0, 2, (n, c)).astype(np.float32))
    add_hinge(golden, "hinge_multiclass_weighted", y, rng.normal(0, 2, (n, c)).astype(np.float32), weights(rng, n))
    # ties: several classes share the largest value; class 4 never the label
    ties = rng.integers(-2, 3, (n, c)).astype(np.float32)
    add_hinge(golden, "hinge_multiclass_ties", rng.integers(0, c - 1, n).astype(np.int64), ties)


def build(golden):
    build_multiclass(golden)
    build_multilabel(golden)
    build_binary(golden)
    build_hinge(golden)
