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
| mapie_raps | include_last_label, alpha, seed | p_cal, y_cal (the whole split), tuning_rows, calibration_rows, u_cal, p_test, y_test, u_test | mapie_lambda, mapie_k_reg (MAPIE as released), lambda, k_reg, quantile, scores, sets (exact quantile, tuning fixed), mapie_sets |
| torchcp_weighted | score, alpha | p_cal, y_cal, w_cal, p_test, w_test | q_hat [N_test] (float32 values; float64 max for +inf), sets |
| quantile_rule | alphas | n [N] | exact_k, mapie_k, torchcp_k [N x alphas] |

MAPIE: SplitConformalClassifier(prefit=True, confidence_level=1-alpha, random_state=seed) over an estimator whose
predict_proba returns the fixture rows; its APS calibration scores subtract u * p_y with u =
RandomState(seed).uniform(size=n_cal) (recorded as u_cal), and include_last_label="randomized" draws u_test =
RandomState(seed).uniform(size=(n_test, 1)). torchcp_split and torchcp_class_conditional also run RAPS(penalty, kreg)
(params lambda, k_reg). "sets" re-runs MAPIE's own set function with its quantile replaced by the
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
    from torchcp.classification.score import APS, LAC, RAPS, TOPK
    from torchcp.classification.utils import metrics
    return SplitPredictor, ClassConditionalPredictor, {"lac": LAC, "aps": APS, "top_k": TOPK, "raps": RAPS}, metrics


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


def torchcp_case(golden, name, seed, classes, n_cal, n_test, signal, score, alpha, class_conditional, raps=None):
    import torch

    split, conditional, scores, metrics = _torchcp()
    p_cal, y_cal, p_test, y_test = fixture(seed, classes, n_cal, n_test, signal)
    if score == "raps":
        function = scores[score](randomized=False, penalty=raps[0], kreg=raps[1])
    else:
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
    params = {"score": score, "alpha": alpha}
    if raps is not None:
        params.update({"lambda": raps[0], "k_reg": raps[1]})
    golden.add_case(name, op, f"TorchCP {'ClassConditionalPredictor' if class_conditional else 'SplitPredictor'}"
                    f"({type(function).__name__}) on float64 logits log(p); {SOURCE_NOTE}", params,
                    {"p_cal": p_cal, "y_cal": y_cal, "p_test": p_test, "y_test": y_test}, expected)


def mapie_raps_case(golden, name, seed, classes, n_cal, n_test, signal, include_last_label, alpha, size_raps):
    """MAPIE's RAPS: its own tuning split (StratifiedShuffleSplit), k_star and lambda_star; then the same with the
    exact quantile and MAPIE's tuning-set regularization fixed (k_star, not lambda_), whose sets are the reference."""
    from mapie.classification import SplitConformalClassifier
    from mapie.conformity_scores import RAPSConformityScore
    import mapie.conformity_scores.sets.raps as raps_module
    import mapie.conformity_scores.sets.aps as aps_module
    import mapie.conformity_scores.sets.naive as naive_module
    from sklearn.model_selection import StratifiedShuffleSplit

    p_cal, y_cal, p_test, y_test = fixture(seed, classes, n_cal, n_test, signal)
    estimator = _Prefit(np.vstack([p_cal, p_test]))
    x_cal = np.arange(n_cal).reshape(-1, 1)
    x_test = np.arange(n_cal, n_cal + n_test).reshape(-1, 1)
    params = {"include_last_label": include_last_label}

    def run():
        clf = SplitConformalClassifier(estimator=estimator, confidence_level=1 - alpha,
                                       conformity_score=RAPSConformityScore(size_raps=size_raps), prefit=True,
                                       random_state=seed)
        clf.conformalize(x_cal, y_cal)
        _, sets = clf.predict_set(x_test, conformity_score_params=params)
        return clf, sets[:, :, 0]

    clf, mapie_sets = run()
    cs = clf._mapie_classifier.conformity_score_function_
    mapie_lambda = float(np.asarray(cs.lambda_star).reshape(-1)[0])
    mapie_k = int(np.asarray(cs.k_star).reshape(-1)[0])
    # MAPIE 1.5's set_external_attributes resets size_raps to None, so StratifiedShuffleSplit takes its default
    # test_size (0.1) whatever size_raps was given
    assert cs.size_raps is None
    train, tune = next(StratifiedShuffleSplit(n_splits=1, test_size=cs.size_raps, random_state=seed)
                       .split(x_cal, y_cal))
    assert np.array_equal(np.asarray(cs.X_raps)[:, 0], tune)

    def exact_quantiles(conformity_scores, alpha_np):
        flat = np.sort(np.asarray(conformity_scores, dtype=np.float64).reshape(-1))
        return np.array([flat[exact_rank(len(flat), float(a)) - 1] for a in alpha_np])

    original_add = RAPSConformityScore._add_regularization

    def fixed_add(self, cumsum, lambda_=None, k_star=None, prediction_phase=False, **kwargs):
        if prediction_phase:
            lambda_, k_star = self.lambda_star, self.k_star
        return cumsum + lambda_ * np.maximum(0, np.cumsum(np.ones(cumsum.shape), axis=1) - k_star)

    saved = [(m, m._compute_classification_quantile) for m in (raps_module, aps_module)]
    try:
        for m, _ in saved:
            m._compute_classification_quantile = exact_quantiles
        RAPSConformityScore._add_regularization = fixed_add
        clf_fixed, sets = run()
    finally:
        for m, original in saved:
            m._compute_classification_quantile = original
        RAPSConformityScore._add_regularization = original_add
    fixed = clf_fixed._mapie_classifier.conformity_score_function_
    scores = np.asarray(clf_fixed._mapie_classifier.conformity_scores_, dtype=np.float64).reshape(-1)
    assert len(scores) == len(train)
    u_cal = np.random.RandomState(seed).uniform(size=len(train))
    u_test = np.random.RandomState(seed).uniform(size=(n_test, 1)).reshape(-1)
    expected = {
        "mapie_lambda": mapie_lambda, "mapie_k_reg": mapie_k,
        "lambda": float(np.asarray(fixed.lambda_star).reshape(-1)[0]),
        "k_reg": int(np.asarray(fixed.k_star).reshape(-1)[0]),
        "quantile": float(np.asarray(fixed.quantiles_).reshape(-1)[0]),
        "scores": scores, "sets": sets.astype(np.bool_), "mapie_sets": mapie_sets.astype(np.bool_),
    }
    golden.add_case(name, "mapie_raps", "MAPIE SplitConformalClassifier(RAPSConformityScore(size_raps="
                    f"{size_raps}), prefit=True) as released (mapie_*) and with the exact quantile and the tuning"
                    f" sets regularized by k_star (MAPIE 1.5 passes lambda_ as k_star there); the tuning split is"
                    f" StratifiedShuffleSplit's default 10 % (MAPIE 1.5 drops size_raps); {SOURCE_NOTE}",
                    {"include_last_label": str(include_last_label).lower(), "alpha": alpha, "seed": seed},
                    {"p_cal": p_cal, "y_cal": y_cal, "p_test": p_test, "y_test": y_test,
                     "tuning_rows": tune.astype(np.int64), "calibration_rows": train.astype(np.int64),
                     "u_cal": u_cal, "u_test": u_test}, expected)


def torchcp_weighted_case(golden, name, seed, classes, n_cal, n_test, signal, score, alpha):
    """TorchCP's WeightedPredictor.predict (Tibshirani et al. 2019) with known weights: the calibration weights put
    in the order of the sorted scores (TorchCP's own evaluate() sorts them apart from the scores), each test row's
    weight from IW; scores and sets in TorchCP's float32."""
    import torch

    for mod in ("torchcp.graph", "torchcp.llm", "torchcp.regression"):
        sys.modules.setdefault(mod, types.ModuleType(mod))
    from torchcp.classification.predictor.weight import WeightedPredictor

    _, _, scores_by_name, _ = _torchcp()
    p_cal, y_cal, p_test, y_test = fixture(seed, classes, n_cal, n_test, signal)
    rng = np.random.default_rng(seed + 1)
    w_cal = rng.uniform(0.2, 2.0, n_cal)
    w_test = rng.uniform(0.2, 2.0, n_test)
    logits_all = torch.tensor(np.log(np.vstack([p_cal, p_test])), dtype=torch.float64)

    class Rows(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.unused = torch.nn.Parameter(torch.zeros(1))      # TorchCP reads the device from a parameter

        def forward(self, x):
            return logits_all[x[:, 0].long()]

    class Index(torch.nn.Module):
        def forward(self, x):
            return x.double()

    function = scores_by_name[score]() if score == "lac" else scores_by_name[score](randomized=False)
    predictor = WeightedPredictor(function, model=Rows(), image_encoder=Index())
    predictor.calculate_threshold(logits_all[:n_cal], torch.tensor(y_cal), alpha)
    order = torch.argsort(predictor.scores[:n_cal])
    predictor.w_sorted = torch.tensor(w_cal, dtype=torch.float64)[order]
    w_test_t = torch.tensor(w_test, dtype=torch.float64)
    predictor.IW = lambda features: w_test_t[features[:, 0].long() - n_cal]
    x_test = torch.arange(n_cal, n_cal + n_test).reshape(-1, 1)
    sets = torch.as_tensor(predictor.predict(x_test)).numpy().astype(np.bool_)
    # the per-row threshold, by the lines of WeightedPredictor.predict
    w_sorted = torch.cat([predictor.w_sorted.expand([n_test, -1]), w_test_t.unsqueeze(1)], 1)
    acc = (w_sorted / w_sorted.sum(1, keepdim=True)).cumsum(1)
    index = torch.argmax((acc >= 1.0 - alpha).int(), dim=1, keepdim=True)
    q_hat = predictor.scores_sorted.expand([n_test, -1]).gather(1, index).reshape(-1).double().numpy()
    golden.add_case(name, "torchcp_weighted", f"TorchCP WeightedPredictor({type(function).__name__}).predict with"
                    f" known weights (scores float32, +inf for the test point); {SOURCE_NOTE}",
                    {"score": score, "alpha": alpha},
                    {"p_cal": p_cal, "y_cal": y_cal, "w_cal": w_cal, "p_test": p_test, "w_test": w_test},
                    {"q_hat": np.where(np.isinf(q_hat), np.finfo(np.float64).max, q_hat), "sets": sets})


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
            torchcp_case(golden, f"torchcp_raps_{tag}_{a}", seed, classes, n_cal, n_test, signal, "raps", alpha,
                         False, raps=(0.05, 2))
            torchcp_case(golden, f"torchcp_conditional_raps_{tag}_{a}", seed, classes, n_cal * 2, n_test, signal,
                         "raps", alpha, True, raps=(0.02, 1))
            for score in ("lac", "aps"):
                torchcp_weighted_case(golden, f"torchcp_weighted_{score}_{tag}_{a}", seed, classes, n_cal, n_test,
                                      signal, score, alpha)
    # RAPS: 20 classes and a clear signal, so that the tuned k_reg is below the class count and lambda matters
    for alpha, last in ((0.1, True), (0.1, False), (0.1, "randomized"), (0.2, True)):
        a = str(alpha).replace("0.", "")
        mapie_raps_case(golden, f"mapie_raps_{str(last).lower()}_c20_{a}", 504, 20, 700, 100, 2.5, last, alpha, 0.25)
    quantile_rule(golden)
