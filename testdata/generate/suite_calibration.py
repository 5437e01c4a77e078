"""calibration.json: temperature scaling references (scipy 1.17 + Newton, torch float64), ECE from torchmetrics 1.9.0.

| op | params | inputs | expected |
| --- | --- | --- | --- |
| temperature_multiclass | n_bins (15) | logits [N,C] float64; labels [N] int64 | temperature []; nll_before [], nll_after [] (mean F.cross_entropy in float64 of logits and logits/T); ece_before [], ece_after [] (torchmetrics l1 on softmax, float64) |
| temperature_multilabel | per_class (bool) | logits [N,L] float64; targets [N,L] float64 0/1 | temperature [] or [L]; nll_before, nll_after (mean F.binary_cross_entropy_with_logits over all elements, float64) |
| temperature_separable | task ("multiclass") | logits [N,C]; labels [N] | separable [] bool = true; nll_at_small_t [4] = mean F.cross_entropy(logits / T) at T = 1e-1, 1e-2, 1e-3, 1e-4 |

Temperature reference: T minimises the mean NLL over T > 0 (multi-label per_class: each T_l minimises the mean over
all elements; the columns separate). scipy.optimize.minimize_scalar on u = log T (method "bounded", bounds
[log 1e-3, log 1e3], xatol 1e-14), then Newton steps on beta = 1/T with the analytic derivatives of the convex
mean NLL in beta (multi-class: g'(beta) = mean_n(sum_c q_nc z_nc - z_n,y), g'' = mean_n Var_q(z_n), q = softmax(beta z);
multi-label: h'(beta) = mean((sigmoid(beta z) - y) z), h'' = mean(sigmoid(beta z)(1 - sigmoid(beta z)) z^2)) until
the step is below 1e-15 relative. At the optimum |dNLL/dT| < 1e-12 (checked analytically and with torch autograd;
the generator prints it). nll_after is the mean loss of logits / T (division, as a user would apply it).

ECE: torchmetrics' _ce_compute(conf, acc, n_bins, "l1") on float64 conf = softmax(logits).max(dim=1) (see
suite_metrics: the public MulticlassCalibrationError casts to float32; its values are given in the reference).

Logits are written with at most 5 decimals (exact float64 values in the file).

Case ids: temperature_multiclass/{overconfident,underconfident} (N = 300, C = 5; logits = 2.5 z and 0.4 z for
logits z whose softmax generated the labels), temperature_multiclass/c10_n500 (C = 10, N = 500, logits = 1.8 z);
temperature_multilabel/overconfident/{single_t,per_class} (logits = 2 z), temperature_multilabel/mixed_scales/
{single_t,per_class} (column l scaled by 0.5, 1, 2, 3); temperature_separable/multiclass (every label is the strict
argmax, margins from 1e-3 to 0.05: the NLL keeps decreasing as T -> 0).
"""

import math

import numpy as np
import scipy.optimize
import torch
import torch.nn.functional as F

from suite_metrics import multiclass_ece

LIBRARIES = ("torch", "scipy", "torchmetrics")

LOG_BOUNDS = (math.log(1e-3), math.log(1e3))
SMALL_T = (1e-1, 1e-2, 1e-3, 1e-4)


# ------------------------------------------------------------------------------------------------ objectives

def ce_mean(logits, labels, T=1.0):
    z = torch.from_numpy(logits)
    if not (isinstance(T, float) and T == 1.0):
        z = z / (torch.from_numpy(np.asarray(T, dtype=np.float64)) if np.ndim(T) else T)
    return F.cross_entropy(z, torch.from_numpy(labels)).item()


def bce_mean(logits, targets, T=1.0):
    z = torch.from_numpy(logits)
    if np.ndim(T) or T != 1.0:
        z = z / torch.from_numpy(np.asarray(T, dtype=np.float64))
    return F.binary_cross_entropy_with_logits(z, torch.from_numpy(targets)).item()


def mc_derivatives(beta, z, labels):
    """g'(beta), g''(beta) of g(beta) = mean_n [logsumexp(beta z_n) - beta z_n,y]."""
    bz = beta * z
    q = np.exp(bz - bz.max(axis=1, keepdims=True))
    q /= q.sum(axis=1, keepdims=True)
    mean_z = (q * z).sum(axis=1)
    var_z = (q * (z - mean_z[:, None]) ** 2).sum(axis=1)
    return float(np.mean(mean_z - z[np.arange(len(labels)), labels])), float(np.mean(var_z))


def ml_derivatives(beta, z, y):
    """h'(beta), h''(beta) of h(beta) = mean [softplus(beta z) - y beta z] (z, y flattened)."""
    s = 1.0 / (1.0 + np.exp(-beta * z))
    return float(np.mean((s - y) * z)), float(np.mean(s * (1.0 - s) * z * z))


def fit(nll_of_t, derivatives):
    """argmin over T > 0: bounded Brent on log T, then Newton on beta = 1/T. Returns (T, dNLL/dT)."""
    res = scipy.optimize.minimize_scalar(lambda u: nll_of_t(math.exp(u)), bounds=LOG_BOUNDS, method="bounded",
                                         options={"xatol": 1e-14, "maxiter": 1000})
    beta = math.exp(-res.x)
    for _ in range(50):
        d1, d2 = derivatives(beta)
        step = d1 / d2
        beta -= step
        if abs(step) <= 1e-15 * beta:
            break
    else:
        raise AssertionError("Newton did not converge")
    T = 1.0 / beta
    d1, _ = derivatives(beta)
    grad_T = -d1 / (T * T)  # d/dT g(1/T)
    assert LOG_BOUNDS[0] + 1 < math.log(T) < LOG_BOUNDS[1] - 1, T
    return T, grad_T


def autograd_dT(loss_fn, logits, target, T):
    t = torch.tensor(T, dtype=torch.float64, requires_grad=True)
    loss = loss_fn(torch.from_numpy(logits) / t, torch.from_numpy(target))
    loss.backward()
    return t.grad.numpy().copy()


# ------------------------------------------------------------------------------------------------ data

def softmax_rows(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def multiclass_data(seed, n, c, scale):
    rng = np.random.default_rng(seed)
    z = rng.normal(0.0, 1.2, size=(n, c)) + rng.normal(0.0, 0.5, size=c)
    p = softmax_rows(z)
    u = rng.random(n)
    labels = np.minimum((u[:, None] > np.cumsum(p, axis=1)).sum(axis=1), c - 1).astype(np.int64)
    return np.round(scale * z, 5), labels


def multilabel_data(seed, n, scales):
    rng = np.random.default_rng(seed)
    L = len(scales)
    z = rng.normal(-0.3, 1.5, size=(n, L))
    y = (rng.random((n, L)) < 1.0 / (1.0 + np.exp(-z))).astype(np.float64)
    return np.round(z * np.asarray(scales, dtype=np.float64), 5), y


# ------------------------------------------------------------------------------------------------ cases

def as_float32_values(a):
    """Logits a float32 model would emit: float64 arrays holding exact float32 values, so Java reads the same data."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def add_multiclass(golden, id, logits, labels, n_bins=15):
    logits = as_float32_values(logits)
    T, grad_T = fit(lambda t: ce_mean(logits, labels, t), lambda b: mc_derivatives(b, logits, labels))
    grad_auto = float(autograd_dT(F.cross_entropy, logits, labels, T))
    print(f"  {id}: T = {T!r}, dNLL/dT = {grad_T:.3e} (autograd {grad_auto:.3e})")
    assert abs(grad_T) < 1e-12 and abs(grad_auto) < 1e-12, (grad_T, grad_auto)
    before = ce_mean(logits, labels)
    after = ce_mean(logits, labels, T)
    assert after <= before
    # Brent alone is not enough: the reference must beat nearby temperatures
    for dt in (1e-6, -1e-6):
        assert ce_mean(logits, labels, T * (1 + dt)) >= after
    z = torch.from_numpy(logits)
    p_before = torch.softmax(z, dim=1).numpy()
    p_after = torch.softmax(z / T, dim=1).numpy()
    ece_b, _, pub_b = multiclass_ece(p_before, labels, n_bins)
    ece_a, _, pub_a = multiclass_ece(p_after, labels, n_bins)
    reference = (
        "temperature = argmin_T mean F.cross_entropy(logits / T, labels) (float64; minimize_scalar on log T, "
        "bounded, xatol 1e-14, then Newton on 1/T); nll_* = F.cross_entropy(logits [/ T], labels); ece_* = "
        f"torchmetrics _ce_compute(softmax(logits [/ T]).max(dim=1), n_bins={n_bins}, 'l1') in float64 "
        f"(public MulticlassCalibrationError, float32 internally: before {pub_b['l1']!r}, after {pub_a['l1']!r}); "
        f"|dNLL/dT| at T = {abs(grad_T):.1e}")
    golden.add_case(id, "temperature_multiclass", reference, {"n_bins": n_bins}, {"logits": logits, "labels": labels},
                    {"temperature": T, "nll_before": before, "nll_after": after, "ece_before": ece_b["l1"],
                     "ece_after": ece_a["l1"]})
    return T


def add_multilabel(golden, id, logits, targets, per_class):
    logits = as_float32_values(logits)
    L = logits.shape[1]
    if per_class:
        Ts, grads = [], []
        for j in range(L):
            zj, yj = logits[:, j], targets[:, j]
            T, g = fit(lambda t: bce_mean(zj, yj, t), lambda b: ml_derivatives(b, zj, yj))
            Ts.append(T)
            grads.append(g / L)  # derivative of the mean over all N*L elements
        T = np.array(Ts, dtype=np.float64)
        grad = max(abs(g) for g in grads)
    else:
        zf, yf = logits.reshape(-1), targets.reshape(-1)
        T, g = fit(lambda t: bce_mean(logits, targets, t), lambda b: ml_derivatives(b, zf, yf))
        grad = abs(g)
    grad_auto = np.abs(autograd_dT(F.binary_cross_entropy_with_logits, logits, targets, T)).max()
    print(f"  {id}: T = {T!r}, max |dNLL/dT| = {grad:.3e} (autograd {grad_auto:.3e})")
    assert grad < 1e-12 and grad_auto < 1e-12, (grad, grad_auto)
    before = bce_mean(logits, targets)
    after = bce_mean(logits, targets, T)
    assert after <= before
    reference = (
        "temperature = argmin mean F.binary_cross_entropy_with_logits(logits / T, targets) over all elements "
        f"(float64; {'one T per column, T broadcast along the class axis' if per_class else 'one scalar T'}; "
        "minimize_scalar on log T, bounded, xatol 1e-14, then Newton on 1/T); nll_* = "
        f"F.binary_cross_entropy_with_logits(logits [/ T], targets); max |dNLL/dT| at T = {grad:.1e}")
    golden.add_case(id, "temperature_multilabel", reference, {"per_class": per_class},
                    {"logits": logits, "targets": targets},
                    {"temperature": T, "nll_before": before, "nll_after": after})
    return T


def add_separable(golden, id):
    rng = np.random.default_rng(3603)
    n, c = 40, 4
    labels = rng.integers(0, c, size=n).astype(np.int64)
    logits = np.round(rng.normal(0.0, 1.0, size=(n, c)), 5)
    margins = np.round(np.exp(rng.uniform(math.log(1e-3), math.log(0.05), size=n)), 5)
    margins[0] = 1e-3
    for i in range(n):
        others = np.delete(logits[i], labels[i])
        logits[i, labels[i]] = np.round(others.max() + margins[i], 5)
    logits = as_float32_values(logits)
    order = np.sort(logits, axis=1)
    separable = bool(np.all(np.argmax(logits, axis=1) == labels) and np.all(order[:, -1] > order[:, -2]))
    assert separable
    nll = np.array([ce_mean(logits, labels, t) for t in SMALL_T], dtype=np.float64)
    assert np.all(np.diff(nll) < 0) and np.all(nll > 0), nll
    # the bounded search runs into its lower bound: no interior optimum
    res = scipy.optimize.minimize_scalar(lambda u: ce_mean(logits, labels, math.exp(u)), bounds=LOG_BOUNDS,
                                         method="bounded", options={"xatol": 1e-14})
    assert res.x < LOG_BOUNDS[0] + 1e-3, res.x
    print(f"  {id}: nll at T = {SMALL_T}: {nll.tolist()}")
    golden.add_case(id, "temperature_separable",
                    "separable = every label is the strict argmax of its row (then mean F.cross_entropy(logits / T) "
                    "decreases toward 0 as T -> 0 and has no minimiser); nll_at_small_t = "
                    "[F.cross_entropy(logits / T, labels) for T in (1e-1, 1e-2, 1e-3, 1e-4)] (float64)",
                    {"task": "multiclass"}, {"logits": logits, "labels": labels},
                    {"separable": separable, "nll_at_small_t": nll})


def build(golden):
    logits, labels = multiclass_data(3501, 300, 5, 2.5)
    assert add_multiclass(golden, "temperature_multiclass/overconfident", logits, labels) > 1
    logits, labels = multiclass_data(3502, 300, 5, 0.4)
    assert add_multiclass(golden, "temperature_multiclass/underconfident", logits, labels) < 1
    logits, labels = multiclass_data(3503, 500, 10, 1.8)
    assert add_multiclass(golden, "temperature_multiclass/c10_n500", logits, labels) > 1

    logits, targets = multilabel_data(3504, 200, [2.0, 2.0, 2.0, 2.0])
    assert add_multilabel(golden, "temperature_multilabel/overconfident/single_t", logits, targets, False) > 1
    add_multilabel(golden, "temperature_multilabel/overconfident/per_class", logits, targets, True)
    logits, targets = multilabel_data(3505, 200, [0.5, 1.0, 2.0, 3.0])
    add_multilabel(golden, "temperature_multilabel/mixed_scales/single_t", logits, targets, False)
    T = add_multilabel(golden, "temperature_multilabel/mixed_scales/per_class", logits, targets, True)
    assert np.all(np.diff(T) > 0), T

    add_separable(golden, "temperature_separable/multiclass")
