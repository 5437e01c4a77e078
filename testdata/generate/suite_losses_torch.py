"""losses_torch.json: PyTorch and torchvision losses, float64 from float32 inputs (F = torch.nn.functional).

| op | params | inputs | expected |
| --- | --- | --- | --- |
| cross_entropy | weight ([C] or null), ignore_index (int), label_smoothing, reduction ("none","mean","sum"), target_type ("index" or "probabilities") | x [N,C] float32 logits; target [N] int64 (index) or [N,C] float32 (probabilities) | loss: [N] float64 for none, [] otherwise = F.cross_entropy(x.double(), target, weight, ignore_index=..., reduction=..., label_smoothing=...) |
| nll_loss | weight, ignore_index, reduction | x [N,C] float32 log-probabilities (float32 log_softmax of random logits); target [N] int64 | loss = F.nll_loss(x.double(), target, ...) |
| bce | weight ([C] or null, broadcast along the class axis), reduction | x [N,C] float32 probabilities incl. exact 0 and 1; target [N,C] float32 (0/1 and soft) | loss [N,C] or [] = F.binary_cross_entropy(x.double(), target.double(), weight=w.expand(N,C)) |
| bce_with_logits | weight ([C] or null), pos_weight ([C] or null), reduction | x [N,C] float32 logits; target [N,C] float32 | loss [N,C] or [] = F.binary_cross_entropy_with_logits(...) |
| multilabel_soft_margin | weight ([C] or null), reduction | x [N,C] logits; target [N,C] float32 0/1 | loss [N] or [] = F.multilabel_soft_margin_loss(...) |
| sigmoid_focal | alpha, gamma, reduction | x [N,C] logits; target [N,C] float32 | loss [N,C] or [] = torchvision.ops.sigmoid_focal_loss(x.double(), t.double(), alpha, gamma, reduction) |

Weights (weight, pos_weight) are lists of numbers exactly representable in float32, used as float64 tensors.

Case ids:
- cross_entropy/index/{unweighted,weighted}/{no_ignored,ignore1}/{ls0,ls0.1}/{none,mean,sum}: the full product.
  no_ignored has ignore_index -100; ignore1 has ignore_index 1 on the same inputs, where some targets == 1.
- cross_entropy/probabilities/{unweighted,weighted}/{ls0,ls0.1}/{none,mean,sum}.
- cross_entropy/all_ignored/{unweighted/ls0,weighted/ls0.1}/{none,mean,sum}: every target == ignore_index (mean NaN, sum 0).
- cross_entropy/empty/{index,probabilities}/{unweighted/ls0,weighted/ls0.1}/{none,mean,sum}: N = 0
  (none -> shape [0], mean NaN, sum 0; the probability-target sum is -0.0 in torch).
- nll_loss/{unweighted,weighted}/{no_ignored,ignore1}/{none,mean,sum}; nll_loss/all_ignored/{mean,sum}.
- bce/{unweighted,weighted}/{none,mean,sum}: x = 0 with y = 1 (loss 100), x = 1 with y = 0, soft targets.
- bce_with_logits/{unweighted,weighted}/{no_pos_weight,pos_weight}/{none,mean,sum}: logits include +-100;
  bce_with_logits/infinite/{none,mean,sum}: +-inf logits.
- multilabel_soft_margin/{unweighted,weighted}/{none,mean,sum}.
- sigmoid_focal/alpha{0.25,0.5,-1}/gamma{0,1,2,5}/none (full product), and .../{mean,sum} for (0.25, 2), (0.5, 0),
  (-1, 5). Logits include +-40 so that p_t == 1 exactly (0^0 = 1 for gamma 0).
- worked/bce, worked/bce_with_logits, worked/multilabel_soft_margin: REFERENCE_SEMANTICS multi-label worked example
  (mean); for bce the input is torch.sigmoid(z) computed in float32.
- worked/nll_loss/two_models: target class 0, predictions (0.5, 0.2, 0.3) and (0.7, 0.1, 0.2) as float32 log-probabilities.
"""

import importlib
import importlib.util
import os
import sys
import types

import numpy as np
import torch
import torch.nn.functional as F

LIBRARIES = ("torch", "torchvision")

INF = np.inf
C = 5
WEIGHT = [0.5, 2.0, 1.0, 0.25, 3.0]
POS_WEIGHT = [1.0, 3.0, 0.5, 2.0, 0.25]
REDUCTIONS = ("none", "mean", "sum")


def load_sigmoid_focal_loss():
    """torchvision.ops.sigmoid_focal_loss.

    The function is pure Python (torchvision/ops/focal_loss.py). When torchvision imports normally it is used
    directly. The pinned torchvision 0.28.0 wheel on PyPI is the CUDA build (0.28.0+cu130), whose compiled
    extension does not load next to torch 2.13.0+cpu ("operator torchvision::nms does not exist"); then the same
    installed focal_loss.py is executed as torchvision.ops.focal_loss with the package __init__ files (which only
    load the extension) left out, and _log_api_usage_once (usage logging only) stubbed.
    """
    try:
        from torchvision.ops import sigmoid_focal_loss

        return sigmoid_focal_loss
    except Exception:  # noqa: BLE001 - the extension failed to load
        for name in [m for m in sys.modules if m == "torchvision" or m.startswith("torchvision.")]:
            del sys.modules[name]

    spec = importlib.util.find_spec("torchvision")  # locates the package without executing it
    pkg_dir = os.path.dirname(spec.origin)
    stubs = {
        "torchvision": types.ModuleType("torchvision"),
        "torchvision.ops": types.ModuleType("torchvision.ops"),
        "torchvision.utils": types.ModuleType("torchvision.utils"),
    }
    stubs["torchvision"].__path__ = [pkg_dir]
    stubs["torchvision.ops"].__path__ = [os.path.join(pkg_dir, "ops")]
    stubs["torchvision.utils"]._log_api_usage_once = lambda obj: None
    saved = {k: sys.modules.get(k) for k in stubs}
    sys.modules.update(stubs)
    try:
        path = os.path.join(pkg_dir, "ops", "focal_loss.py")
        fspec = importlib.util.spec_from_file_location("torchvision.ops.focal_loss", path)
        module = importlib.util.module_from_spec(fspec)
        fspec.loader.exec_module(module)
    finally:
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v
        sys.modules.pop("torchvision.ops.focal_loss", None)
    return module.sigmoid_focal_loss


def f32(rows):
    return np.array(rows, dtype=np.float32)


def t64(a):
    return torch.from_numpy(np.asarray(a)).double()


def w64(w):
    return None if w is None else torch.tensor(w, dtype=torch.float64)


def to_np(t):
    return t.detach().numpy().astype(np.float64)


def wname(w):
    return "unweighted" if w is None else "weighted"


# ---------------------------------------------------------------------------------------------- cross_entropy

def ce_logits():
    return np.random.default_rng(201).normal(0.0, 2.0, size=(8, C)).astype(np.float32)


CE_TARGET = np.array([0, 1, 4, 1, 2, 3, 1, 0], dtype=np.int64)  # three targets == 1


def ce_prob_target():
    rng = np.random.default_rng(202)
    t = rng.dirichlet(np.ones(C), size=8)
    t[0] = [0.0, 0.0, 1.0, 0.0, 0.0]  # one-hot
    t[1] = [0.2, 0.2, 0.2, 0.2, 0.2]  # uniform
    t[2] = [0.5, 0.5, 0.5, 0.0, 0.0]  # does not sum to 1 (torch does not check)
    return t.astype(np.float32)


def ce_reference(w, ignore_index, ls, reduction, target_type):
    target = "target" if target_type == "index" else "target.double()"
    weight = "None" if w is None else "torch.tensor(weight, dtype=torch.float64)"
    return (f"torch.nn.functional.cross_entropy(x.double(), {target}, weight={weight}, "
            f"ignore_index={ignore_index}, reduction={reduction!r}, label_smoothing={ls})")


def add_ce(golden, id, x, target, w, ignore_index, ls, reduction, target_type):
    tgt = torch.from_numpy(target) if target_type == "index" else t64(target)
    loss = F.cross_entropy(t64(x), tgt, weight=w64(w), ignore_index=ignore_index, reduction=reduction,
                           label_smoothing=ls)
    golden.add_case(
        id, "cross_entropy", ce_reference(w, ignore_index, ls, reduction, target_type),
        {"weight": w, "ignore_index": ignore_index, "label_smoothing": ls, "reduction": reduction,
         "target_type": target_type},
        {"x": x, "target": target}, {"loss": to_np(loss)})


def build_cross_entropy(golden):
    x = ce_logits()
    for w in (None, WEIGHT):
        for ii_name, ii in (("no_ignored", -100), ("ignore1", 1)):
            for ls in (0.0, 0.1):
                for r in REDUCTIONS:
                    add_ce(golden, f"cross_entropy/index/{wname(w)}/{ii_name}/ls{ls:g}/{r}",
                           x, CE_TARGET, w, ii, ls, r, "index")
    tp = ce_prob_target()
    for w in (None, WEIGHT):
        for ls in (0.0, 0.1):
            for r in REDUCTIONS:
                add_ce(golden, f"cross_entropy/probabilities/{wname(w)}/ls{ls:g}/{r}", x, tp, w, -100, ls, r,
                       "probabilities")

    xa = np.random.default_rng(203).normal(0.0, 2.0, size=(4, C)).astype(np.float32)
    ta = np.ones(4, dtype=np.int64)
    for w, ls in ((None, 0.0), (WEIGHT, 0.1)):
        for r in REDUCTIONS:
            add_ce(golden, f"cross_entropy/all_ignored/{wname(w)}/ls{ls:g}/{r}", xa, ta, w, 1, ls, r, "index")

    xe = np.zeros((0, C), dtype=np.float32)
    for target_type, te in (("index", np.zeros(0, dtype=np.int64)), ("probabilities", np.zeros((0, C), np.float32))):
        for w, ls in ((None, 0.0), (WEIGHT, 0.1)):
            for r in REDUCTIONS:
                add_ce(golden, f"cross_entropy/empty/{target_type}/{wname(w)}/ls{ls:g}/{r}", xe, te, w, -100, ls,
                       r, target_type)


# ---------------------------------------------------------------------------------------------- nll_loss

def add_nll(golden, id, x, target, w, ignore_index, reduction):
    loss = F.nll_loss(t64(x), torch.from_numpy(target), weight=w64(w), ignore_index=ignore_index,
                      reduction=reduction)
    weight = "None" if w is None else "torch.tensor(weight, dtype=torch.float64)"
    golden.add_case(
        id, "nll_loss",
        f"torch.nn.functional.nll_loss(x.double(), target, weight={weight}, ignore_index={ignore_index}, "
        f"reduction={reduction!r})",
        {"weight": w, "ignore_index": ignore_index, "reduction": reduction},
        {"x": x, "target": target}, {"loss": to_np(loss)})


def build_nll(golden):
    logits = np.random.default_rng(211).normal(0.0, 2.0, size=(8, C)).astype(np.float32)
    x = torch.log_softmax(torch.from_numpy(logits), dim=1).numpy()  # float32 log-probabilities
    assert x.dtype == np.float32
    for w in (None, WEIGHT):
        for ii_name, ii in (("no_ignored", -100), ("ignore1", 1)):
            for r in REDUCTIONS:
                add_nll(golden, f"nll_loss/{wname(w)}/{ii_name}/{r}", x, CE_TARGET, w, ii, r)
    for r in ("mean", "sum"):
        add_nll(golden, f"nll_loss/all_ignored/{r}", x[:4], np.ones(4, dtype=np.int64), None, 1, r)


# ---------------------------------------------------------------------------------------------- bce

def add_bce(golden, id, x, target, w, reduction):
    xt, tt = t64(x), t64(target)
    weight = None if w is None else w64(w).expand_as(xt)
    loss = F.binary_cross_entropy(xt, tt, weight=weight, reduction=reduction)
    wref = "None" if w is None else "torch.tensor(weight, dtype=torch.float64).expand(N, C)"
    golden.add_case(
        id, "bce",
        f"torch.nn.functional.binary_cross_entropy(x.double(), target.double(), weight={wref}, "
        f"reduction={reduction!r})",
        {"weight": w, "reduction": reduction}, {"x": x, "target": target}, {"loss": to_np(loss)})


def build_bce(golden):
    rng = np.random.default_rng(221)
    x = np.empty((4, C))
    t = np.empty((4, C))
    x[0], t[0] = [0.0, 1.0, 0.0, 1.0, 0.5], [1.0, 0.0, 0.0, 1.0, 0.3]  # 0 with y=1 -> 100, 1 with y=0 -> 100
    x[1], t[1] = [0.0, 0.9, 0.1, 0.75, 1.0], [0.3, 1.0, 0.25, 0.0, 0.6]  # x=0 with soft y: 0.3 * 100
    x[2], t[2] = rng.uniform(0.0, 1.0, size=C), rng.integers(0, 2, size=C)
    x[3], t[3] = rng.uniform(0.0, 1.0, size=C), rng.uniform(0.0, 1.0, size=C)
    x, t = x.astype(np.float32), t.astype(np.float32)
    for w in (None, WEIGHT):
        for r in REDUCTIONS:
            add_bce(golden, f"bce/{wname(w)}/{r}", x, t, w, r)


# ---------------------------------------------------------------------------------------------- bce_with_logits

def add_bcel(golden, id, x, target, w, pw, reduction):
    xt, tt = t64(x), t64(target)
    loss = F.binary_cross_entropy_with_logits(xt, tt, weight=w64(w), reduction=reduction, pos_weight=w64(pw))
    wref = "None" if w is None else "torch.tensor(weight, dtype=torch.float64)"
    pref = "None" if pw is None else "torch.tensor(pos_weight, dtype=torch.float64)"
    golden.add_case(
        id, "bce_with_logits",
        f"torch.nn.functional.binary_cross_entropy_with_logits(x.double(), target.double(), weight={wref}, "
        f"reduction={reduction!r}, pos_weight={pref})",
        {"weight": w, "pos_weight": pw, "reduction": reduction}, {"x": x, "target": target},
        {"loss": to_np(loss)})


def build_bce_with_logits(golden):
    rng = np.random.default_rng(231)
    x = np.empty((4, C))
    t = np.empty((4, C))
    x[0], t[0] = [-100.0, 100.0, -100.0, 100.0, 0.0], [1.0, 0.0, 0.0, 1.0, 0.5]
    x[1], t[1] = rng.normal(0.0, 3.0, size=C), [0.0, 1.0, 1.0, 0.0, 1.0]
    x[2], t[2] = rng.normal(0.0, 3.0, size=C), rng.integers(0, 2, size=C)
    x[3], t[3] = rng.normal(0.0, 3.0, size=C), rng.uniform(0.0, 1.0, size=C)
    x, t = x.astype(np.float32), t.astype(np.float32)
    for w in (None, WEIGHT):
        for pname, pw in (("no_pos_weight", None), ("pos_weight", POS_WEIGHT)):
            for r in REDUCTIONS:
                add_bcel(golden, f"bce_with_logits/{wname(w)}/{pname}/{r}", x, t, w, pw, r)

    xi = f32([[INF, INF, -INF, -INF, INF], [-INF, 0.0, INF, 1.0, -INF]])
    ti = f32([[1.0, 0.0, 1.0, 0.0, 0.5], [0.5, 1.0, 0.0, 0.0, 1.0]])
    for r in REDUCTIONS:
        add_bcel(golden, f"bce_with_logits/infinite/{r}", xi, ti, None, None, r)


# ---------------------------------------------------------------------------------------------- multilabel_soft_margin

def add_mlsm(golden, id, x, target, w, reduction):
    loss = F.multilabel_soft_margin_loss(t64(x), t64(target), weight=w64(w), reduction=reduction)
    wref = "None" if w is None else "torch.tensor(weight, dtype=torch.float64)"
    golden.add_case(
        id, "multilabel_soft_margin",
        f"torch.nn.functional.multilabel_soft_margin_loss(x.double(), target.double(), weight={wref}, "
        f"reduction={reduction!r})",
        {"weight": w, "reduction": reduction}, {"x": x, "target": target}, {"loss": to_np(loss)})


def build_mlsm(golden):
    rng = np.random.default_rng(241)
    x = rng.normal(0.0, 2.0, size=(4, C)).astype(np.float32)
    t = rng.integers(0, 2, size=(4, C)).astype(np.float32)
    t[0] = 0.0
    t[1] = 1.0
    for w in (None, WEIGHT):
        for r in REDUCTIONS:
            add_mlsm(golden, f"multilabel_soft_margin/{wname(w)}/{r}", x, t, w, r)


# ---------------------------------------------------------------------------------------------- sigmoid_focal

def build_focal(golden):
    focal = load_sigmoid_focal_loss()
    rng = np.random.default_rng(251)
    x = np.empty((4, C))
    t = np.empty((4, C))
    x[0], t[0] = [40.0, -40.0, 0.0, 40.0, -40.0], [1.0, 0.0, 1.0, 0.0, 1.0]  # p_t == 1 exactly for the first two
    x[1], t[1] = rng.normal(0.0, 2.0, size=C), [1.0, 0.0, 0.0, 1.0, 1.0]
    x[2], t[2] = rng.normal(0.0, 2.0, size=C), rng.integers(0, 2, size=C)
    x[3], t[3] = rng.normal(0.0, 2.0, size=C), [0.2, 0.8, 0.5, 0.0, 1.0]  # soft targets
    x, t = x.astype(np.float32), t.astype(np.float32)

    def add(alpha, gamma, r):
        loss = focal(t64(x), t64(t), alpha=alpha, gamma=gamma, reduction=r)
        golden.add_case(
            f"sigmoid_focal/alpha{alpha:g}/gamma{gamma:g}/{r}", "sigmoid_focal",
            f"torchvision.ops.sigmoid_focal_loss(x.double(), target.double(), alpha={alpha}, gamma={gamma}, "
            f"reduction={r!r})",
            {"alpha": alpha, "gamma": gamma, "reduction": r}, {"x": x, "target": t}, {"loss": to_np(loss)})

    for alpha in (0.25, 0.5, -1.0):
        for gamma in (0.0, 1.0, 2.0, 5.0):
            add(alpha, gamma, "none")
    for alpha, gamma in ((0.25, 2.0), (0.5, 0.0), (-1.0, 5.0)):
        for r in ("mean", "sum"):
            add(alpha, gamma, r)


# ---------------------------------------------------------------------------------------------- worked examples

WORKED_Z = [[-0.8858, 0.3241, 0.9456], [1.4887, 1.8076, -0.0565], [-1.6529, -1.8539, 0.6756]]
WORKED_Y = [[0, 1, 1], [1, 1, 1], [0, 0, 0]]


def build_worked(golden):
    z = f32(WORKED_Z)
    y = f32(WORKED_Y)
    p = torch.sigmoid(torch.from_numpy(z)).numpy()  # float32 probabilities
    assert p.dtype == np.float32
    golden.add_case(
        "worked/bce", "bce",
        "torch.nn.functional.binary_cross_entropy(x.double(), target.double(), weight=None, reduction='mean') "
        "with x = torch.sigmoid(z) in float32, z the worked-example logits",
        {"weight": None, "reduction": "mean"}, {"x": p, "target": y},
        {"loss": to_np(F.binary_cross_entropy(t64(p), t64(y), reduction="mean"))})
    add_bcel(golden, "worked/bce_with_logits", z, y, None, None, "mean")
    add_mlsm(golden, "worked/multilabel_soft_margin", z, y, None, "mean")

    logp = np.log(f32([[0.5, 0.2, 0.3], [0.7, 0.1, 0.2]]))  # float32 log-probabilities
    assert logp.dtype == np.float32
    add_nll(golden, "worked/nll_loss/two_models", logp, np.array([0, 0], dtype=np.int64), None, -100, "none")


def build(golden):
    build_cross_entropy(golden)
    build_nll(golden)
    build_bce(golden)
    build_bce_with_logits(golden)
    build_mlsm(golden)
    build_focal(golden)
    build_worked(golden)
