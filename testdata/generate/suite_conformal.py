"""conformal.json: split conformal prediction sets (issue 24) against MAPIE and TorchCP.

Neither library is on the package mirror; both come as source (github, commits below) on PYTHONPATH, with a stand-in
for torchsort (stubs/, imported by TorchCP's training losses only) and TorchCP's graph, llm and regression packages
left out (they need torch_geometric and transformers; the suite does not use them):

    PYTHONPATH=<MAPIE>:<TorchCP>:stubs .venv/bin/python generate.py conformal

Fixtures: float64 probability rows of C classes (softmax of seeded Gaussian logits with a class signal), true classes
drawn from those probabilities (a calibrated model), split into a calibration and a test part.

| op | params | inputs | expected |
| --- | --- | --- | --- |
| mapie_split | score, include_last_label, alpha, seed | p_cal, y_cal, p_test, y_test, u_cal, u_test | quantile (MAPIE's), exact_quantile (the ceil((n+1)(1-alpha))-th smallest score), sets (MAPIE's, at the exact quantile), mapie_sets (at MAPIE's own quantile), coverage, mean_width, ssc |
| torchcp_split | score, alpha | p_cal, y_cal, p_test, y_test | q_hat, sets, coverage, average_size, covgap, vio_classes, sscv, singleton_hit, macro_coverage |
| torchcp_class_conditional | score, alpha | p_cal, y_cal, p_test, y_test | q_hat [C] (TorchCP keeps these in float32), sets, coverage, average_size, covgap, vio_classes, macro_coverage |
| quantile_rule | alphas | n [N] | exact_k, mapie_k, torchcp_k [N x alphas] |

MAPIE: SplitConformalClassifier(prefit=True, confidence_level=1-alpha, random_state=seed) over an estimator whose
predict_proba returns the fixture rows; its APS calibration scores subtract u * p_y with u =
RandomState(seed).uniform(size=n_cal) (recorded as u_cal), and include_last_label="randomized" draws u_test =
RandomState(seed).uniform(size=(n_test, 1)). "sets" re-runs MAPIE's own set function with its quantile replaced by the
exact order statistic, so the set rule is compared apart from the quantile rule. TorchCP: SplitPredictor and
ClassConditionalPredictor (scores non-randomized) on float64 logits log(p), whose softmax is p to ~1e-16.
"""

import math
import sys
import types
from fractions import Fraction

import numpy as np

LIBRARIES = ("sklearn", "torch")

SOURCES = {
    "mapie": ("scikit-learn-contrib/MAPIE", "60031ac78aa6b46142c29d6ed6bad33dc081802e", "1.5.0"),
    "torchcp": ("ml-stat-Sustech/TorchCP", "627455f07cb1ab9ef39e403ae51534b6fbdf200c", "1.2.1"),
}
SOURCE_NOTE = "; ".join(f"{k} {v[2]} (github {v[0]} @ {v[1]})" for k, v in SOURCES.items())


def _torchcp():
    for name in ("torchcp.graph", "torchcp.llm", "torchcp.regression"):
        sys.modules.setdefault(name, types.ModuleType(name))
    import torchcp  # noqa: F401
    from torchcp.classification.predictor import ClassConditionalPredictor, SplitPredictor
    from torchcp.classification.score import APS, LAC, TOPK
    from torchcp.classification.utils import metrics
    return SplitPredictor, ClassConditionalPredictor, {"lac": LAC, "aps": APS, "top_k": TOPK}, metrics


def fixture(seed, classes, n_cal, n_test, signal):
    rng = np.random.default_rng(seed)
    n = n_cal + n_test
    centers = rng.integers(0, classes, n)
    logits = rng.normal(size=(n, classes))
    logits[np.arange(n), centers] += signal
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    y = np.array([rng.choice(classes, p=row) for row in p], dtype=np.int64)
    return p[:n_cal], y[:n_cal], p[n_cal:], y[n_cal:]


class _Prefit:
    """A fitted scikit-learn classifier whose predict_proba returns the fixture rows indexed by X[:, 0]."""

    def __new__(cls, probabilities):
        from sklearn.base import BaseEstimator, ClassifierMixin

        class Prefit(ClassifierMixin, BaseEstimator):
            def __init__(self, probabilities=None):
                self.probabilities = probabilities

            def fit(self, X, y=None):
                self.classes_ = np.arange(self.probabilities.shape[1])
                self.n_features_in_ = 1
                return self

            def predict_proba(self, X):
                return self.probabilities[np.asarray(X)[:, 0].astype(int)]

            def predict(self, X):
                return np.argmax(self.predict_proba(X), axis=1)

        return Prefit(probabilities).fit(np.zeros((1, 1)))


def exact_rank(n, alpha):
    return math.ceil((n + 1) * (1 - Fraction(repr(alpha))))


def mapie_case(golden, name, seed, classes, n_cal, n_test, signal, score, include_last_label, alpha):
    from mapie.classification import SplitConformalClassifier
    from mapie.metrics.classification import (classification_coverage_score, classification_mean_width_score,
                                              classification_ssc)

    p_cal, y_cal, p_test, y_test = fixture(seed, classes, n_cal, n_test, signal)
    p_all = np.vstack([p_cal, p_test])
    estimator = _Prefit(p_all)
    x_cal = np.arange(n_cal).reshape(-1, 1)
    x_test = np.arange(n_cal, n_cal + n_test).reshape(-1, 1)
    clf = SplitConformalClassifier(estimator=estimator, confidence_level=1 - alpha, conformity_score=score,
                                   prefit=True, random_state=seed)
    clf.conformalize(x_cal, y_cal)
    params = {"include_last_label": include_last_label} if score == "aps" else {}
    _, mapie_sets = clf.predict_set(x_test, conformity_score_params=params)
    mapie_sets = mapie_sets[:, :, 0]
    cs = clf._mapie_classifier.conformity_score_function_
    mapie_q = float(np.asarray(cs.quantiles_).reshape(-1)[0])
    scores = np.asarray(clf._mapie_classifier.conformity_scores_).reshape(-1)
    k = exact_rank(n_cal, alpha)
    exact_q = float(np.sort(scores)[k - 1]) if k <= n_cal else math.inf
    # MAPIE's set rule at the exact quantile: its quantile function replaced where the set modules call it
    import mapie.conformity_scores.sets.aps as aps_module
    import mapie.conformity_scores.sets.lac as lac_module
    import mapie.conformity_scores.sets.topk as topk_module

    def exact_quantiles(conformity_scores, alpha_np):
        flat = np.sort(np.asarray(conformity_scores).reshape(-1))
        return np.array([flat[exact_rank(len(flat), float(a)) - 1] for a in alpha_np])

    saved = [(m, m._compute_classification_quantile) for m in (aps_module, lac_module, topk_module)]
    try:
        for m, _ in saved:
            m._compute_classification_quantile = exact_quantiles
        _, sets = clf.predict_set(x_test, conformity_score_params=params)
    finally:
        for m, original in saved:
            m._compute_classification_quantile = original
    sets = sets[:, :, 0]
    assert float(np.asarray(cs.quantiles_).reshape(-1)[0]) == exact_q, (cs.quantiles_, exact_q)
    u_cal = np.random.RandomState(seed).uniform(size=n_cal)
    u_test = np.random.RandomState(seed).uniform(size=(n_test, 1)).reshape(-1)
    expected = {
        "quantile": mapie_q,
        "exact_quantile": exact_q,
        "scores": scores.astype(np.float64),
        "sets": sets.astype(np.bool_),
        "mapie_sets": mapie_sets.astype(np.bool_),
        "coverage": float(classification_coverage_score(y_test, sets[:, :, None])[0]),
        "mean_width": float(classification_mean_width_score(sets[:, :, None])[0]),
        "ssc": np.asarray(classification_ssc(y_test, sets[:, :, None])[0], dtype=np.float64),
    }
    golden.add_case(name, "mapie_split", f"MAPIE SplitConformalClassifier(conformity_score={score!r}, prefit=True);"
                    f" {SOURCE_NOTE}",
                    {"score": score, "include_last_label": str(include_last_label).lower(), "alpha": alpha,
                     "seed": seed},
                    {"p_cal": p_cal, "y_cal": y_cal, "p_test": p_test, "y_test": y_test, "u_cal": u_cal,
                     "u_test": u_test}, expected)


def torchcp_case(golden, name, seed, classes, n_cal, n_test, signal, score, alpha, class_conditional):
    import torch

    split, conditional, scores, metrics = _torchcp()
    p_cal, y_cal, p_test, y_test = fixture(seed, classes, n_cal, n_test, signal)
    function = scores[score]() if score == "lac" else scores[score](randomized=False)
    predictor = (conditional if class_conditional else split)(score_function=function, model=None)
    logits_cal = torch.tensor(np.log(p_cal), dtype=torch.float64)
    logits_test = torch.tensor(np.log(p_test), dtype=torch.float64)
    labels_cal = torch.tensor(y_cal)
    labels_test = torch.tensor(y_test)
    predictor.calculate_threshold(logits_cal, labels_cal, alpha)
    sets = predictor.predict_with_logits(logits_test)
    sets = torch.as_tensor(sets)
    q = np.asarray(predictor.q_hat, dtype=np.float64).reshape(-1)
    expected = {
        "q_hat": q,
        "sets": sets.numpy().astype(np.bool_),
        "coverage": float(metrics.coverage_rate(sets, labels_test)),
        "average_size": float(metrics.average_size(sets)),
        "covgap": float(metrics.CovGap(sets, labels_test, alpha, classes)),
        "vio_classes": int(metrics.VioClasses(sets, labels_test, alpha, classes)),
        "macro_coverage": float(metrics.coverage_rate(sets, labels_test, "macro", classes)),
    }
    if not class_conditional:
        expected["sscv"] = float(metrics.SSCV(sets, labels_test, alpha))
        expected["singleton_hit"] = float(metrics.singleton_hit_ratio(sets, labels_test))
    op = "torchcp_class_conditional" if class_conditional else "torchcp_split"
    golden.add_case(name, op, f"TorchCP {'ClassConditionalPredictor' if class_conditional else 'SplitPredictor'}"
                    f"({type(function).__name__}) on float64 logits log(p); {SOURCE_NOTE}",
                    {"score": score, "alpha": alpha},
                    {"p_cal": p_cal, "y_cal": y_cal, "p_test": p_test, "y_test": y_test}, expected)


def quantile_rule(golden):
    alphas = [0.01, 0.05, 0.1, 0.2, 0.3]
    ns = np.arange(1, 501, dtype=np.int64)
    exact = np.zeros((len(ns), len(alphas)), dtype=np.int64)
    mapie = np.zeros_like(exact)
    torchcp = np.zeros_like(exact)
    for i, n in enumerate(ns):
        n = int(n)
        for j, alpha in enumerate(alphas):
            exact[i, j] = exact_rank(n, alpha)
            level = ((n + 1) * (1 - alpha)) / n
            # numpy's quantile(method="higher") takes sorted[ceil(level * (n - 1))], 1-based rank that + 1
            mapie[i, j] = math.ceil(level * (n - 1)) + 1 if level <= 1 else n + 1
            torchcp[i, j] = math.ceil((n + 1) * (1 - alpha))
    golden.add_case("quantile_rule", "quantile_rule", "the rank of the conformal quantile: exact (fractions), MAPIE's"
                    " np.quantile((n+1)(1-alpha)/n, method='higher') and TorchCP's math.ceil((n+1)*(1-alpha)) in"
                    " double", {"alphas": alphas}, {"n": ns},
                    {"exact_k": exact, "mapie_k": mapie, "torchcp_k": torchcp})


def build(golden):
    # c5 and c10: MAPIE's quantile is the exact order statistic there; c4 (n = 79): MAPIE takes the 73rd smallest
    # score at alpha 0.1, the conformal quantile is the 72nd
    fixtures = [("c5", 501, 5, 300, 150, 2.0), ("c10", 502, 10, 97, 120, 1.5), ("c4", 503, 4, 79, 100, 1.0)]
    for tag, seed, classes, n_cal, n_test, signal in fixtures:
        alphas = (0.05, 0.1, 0.2) if tag == "c5" else (0.1,)
        for alpha in alphas:
            a = str(alpha).replace("0.", "")
            mapie_case(golden, f"mapie_lac_{tag}_{a}", seed, classes, n_cal, n_test, signal, "lac", True, alpha)
            mapie_case(golden, f"mapie_aps_true_{tag}_{a}", seed, classes, n_cal, n_test, signal, "aps", True, alpha)
            torchcp_case(golden, f"torchcp_lac_{tag}_{a}", seed, classes, n_cal, n_test, signal, "lac", alpha,
                         False)
            if alpha != 0.1:
                continue
            mapie_case(golden, f"mapie_top_k_{tag}_{a}", seed, classes, n_cal, n_test, signal, "top_k", True, alpha)
            for last in (False, "randomized"):
                mapie_case(golden, f"mapie_aps_{str(last).lower()}_{tag}_{a}", seed, classes, n_cal, n_test, signal,
                           "aps", last, alpha)
            for score in ("aps", "top_k"):
                torchcp_case(golden, f"torchcp_{score}_{tag}_{a}", seed, classes, n_cal, n_test, signal, score,
                             alpha, False)
            for score in ("lac", "aps"):
                torchcp_case(golden, f"torchcp_conditional_{score}_{tag}_{a}", seed, classes, n_cal * 2, n_test,
                             signal, score, alpha, True)
    quantile_rule(golden)
