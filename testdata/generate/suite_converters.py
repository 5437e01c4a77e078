"""converters.json: models exported by today's converters themselves (issue 21, "Real exports, round two").

suite_exports builds the ai.onnx.ml layouts with onnx.helper; this suite runs the real converters, as a user would:
- skl2onnx (sklearn-onnx) for scikit-learn 1.9.1 estimators, zipmap=False unless the case says otherwise;
- onnxmltools (with onnxconverter-common) for LightGBM, zipmap=False;
- hummingbird-ml for a scikit-learn LogisticRegression, through the legacy torch.onnx exporter (torch 2.13's dynamo
  exporter rejects hummingbird's dynamic_axes); its scores output is then declared [8, 10], the fixed shape the
  traced batch of 8 leaves in some exports, while the input batch stays symbolic (onnxruntime runs any batch and
  warns).
None of the converters is on the package mirror; they come as source (github, commits below) put on PYTHONPATH:

    PYTHONPATH=<sklearn-onnx>:<onnxconverter-common>:<onnxmltools>:<hummingbird> .venv/bin/python generate.py converters

Each case records what the graph shows (output_kind: logits, probabilities, log_probabilities, decision_values, or
unknown), the op that decided (evidence_op), the settings a user must give (option_output_kind, option_task,
option_row_sum_tolerance), and the references: raw = onnxruntime 1.30 (CPU, one thread) on the first 64 test rows;
sklearn_scores = the estimator's own predict_proba (or decision_function for decision values) on those rows;
probabilities = the head for the kind used applied to raw in float64; loss and metrics over the whole test split on
the probabilities clipped to [0, 1], by suite_models' functions (torch losses, scikit-learn metrics); log_loss is
scikit-learn's (clipped to [eps, 1 - eps]) and loss PyTorch's (log clamped at -100), which differ when a true class has
probability 0 (k-nearest neighbours).
"""

import os

import numpy as np
import onnx
import onnxruntime as ort
import torch

import suite_exports as sex
import suite_models as smod

LIBRARIES = ("torch", "sklearn", "torchmetrics", "onnx", "onnxruntime")

MODELS_DIR = os.path.join(smod.MODELS_DIR, "converters")
SUBDIR = "converters"

# The converter sources this suite was run with (git commits of the fetched repositories).
SOURCES = {
    "skl2onnx": ("onnx/sklearn-onnx", "33c9f268ab8b8bcb7e1ff07525d73f2e9e790361"),
    "onnxconverter_common": ("microsoft/onnxconverter-common", "28b00d4c0617ae181b06dfe16272fca44988fe5c"),
    "onnxmltools": ("onnx/onnxmltools", "0934091aefca7cbd00d64d3cc207a66fae1e4d02"),
    "hummingbird": ("microsoft/hummingbird", "4f280ab705e72bf9319ae53f0cca3b703710977a"),
}
TARGET_OPSET = {"": 17, "ai.onnx.ml": 3}


def converter_versions():
    import hummingbird
    import lightgbm
    import onnxconverter_common
    import onnxmltools
    import skl2onnx
    versions = {"skl2onnx": skl2onnx.__version__, "onnxconverter_common": onnxconverter_common.__version__,
                "onnxmltools": onnxmltools.__version__, "hummingbird": hummingbird.__version__,
                "lightgbm": lightgbm.__version__}
    return ", ".join(f"{k} {v} (github {SOURCES[k][0]} @ {SOURCES[k][1]})" if k in SOURCES else f"{k} {v}"
                     for k, v in versions.items())


def skl(model, x, zipmap=False):
    from skl2onnx import to_onnx
    try:
        onx = to_onnx(model, x[:1], options={id(model): {"zipmap": zipmap}}, target_opset=TARGET_OPSET)
    except NameError:  # estimators with no probability output take no zipmap option
        onx = to_onnx(model, x[:1], target_opset=TARGET_OPSET)
    return onx


def lightgbm_onnx(model, features):
    from onnxmltools import convert_lightgbm
    from onnxmltools.convert.common.data_types import FloatTensorType
    onx = convert_lightgbm(model, initial_types=[("X", FloatTensorType([None, features]))], zipmap=False,
                           target_opset=15)
    onx.graph.name = "lightgbm"  # onnxmltools names the graph with a random uuid
    return onx


def hummingbird_onnx(model, x):
    import hummingbird.ml
    original = torch.onnx.export

    def legacy(*args, **kwargs):
        return original(*args, **{**kwargs, "dynamo": False})

    torch.onnx.export = legacy
    try:
        with smod.quiet():
            onx = hummingbird.ml.convert(model, "onnx", x[:8]).model
    finally:
        torch.onnx.export = original
    return onx


def fix_output_batch(model, output, rows):
    """Declares output's first dimension as the fixed size rows (the converter artefact of issue 21)."""
    for o in model.graph.output:
        if o.name == output:
            o.type.tensor_type.shape.dim[0].ClearField("dim_param")
            o.type.tensor_type.shape.dim[0].dim_value = rows
    return model


def save(name, model):
    model = smod.strip(model)
    # skl2onnx writes the opset imports in set order, which varies between runs: sort them for a reproducible file
    imports = sorted(((o.domain, o.version) for o in model.opset_import))
    del model.opset_import[:]
    for domain, version in imports:
        model.opset_import.add(domain=domain, version=version)
    model.ir_version = min(model.ir_version, smod.IR_VERSION)
    os.makedirs(MODELS_DIR, exist_ok=True)
    return smod.save_model(os.path.join(SUBDIR, name), model)


def run_all(path, x, output):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.log_severity_level = 3
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    out = dict(zip(names, sess.run(None, {sess.get_inputs()[0].name: x})))[output]
    if isinstance(out, list):  # ZipMap: a list of {class: probability}
        keys = sorted(out[0].keys())
        out = np.array([[m[k] for k in keys] for m in out], dtype=np.float32)
    assert out.dtype == np.float32, out.dtype
    return out


def add(golden, spec, estimator_scores, x, y, files):
    name, task = spec["model"], spec["task"]
    path = os.path.join(MODELS_DIR, name)
    raw = run_all(path, x, spec["output"])
    n = len(y)
    use_kind = spec["option_output_kind"] or spec["output_kind"]
    head_ref, head = smod.HEADS[(task, use_kind)]
    raw64 = torch.from_numpy(raw).double()
    prob = head(raw64).numpy()
    sums = prob.sum(axis=1) if use_kind != "logits" and task == "multiclass" else np.ones(n)
    worst = int(np.argmax(np.abs(sums - 1.0)))
    clipped = np.clip(prob, 0.0, 1.0)
    if use_kind == "probabilities":
        excess = max(float(np.max(prob - 1.0)), float(np.max(-prob)), 0.0)
        assert excess <= 1e-5, (name, excess)
        loss_input = torch.from_numpy(clipped)
    else:
        loss_input = raw64
    if spec["output_kind"] == "decision_values":
        # Decision values are no logits: only the decision is a reference (scikit-learn's predict is the argmax of
        # decision_function for these linear models); no loss or probability metric is recorded.
        from sklearn import metrics as skm
        loss = None
        loss_ref = "none (decision values)"
        d = raw.astype(np.float64)
        predicted = np.argmax(d, axis=1)
        labels = np.arange(d.shape[1])
        assert np.mean(np.argmax(estimator_scores, axis=1) == predicted) == 1.0, name
        expected = {"accuracy": skm.accuracy_score(y, predicted),
                    "hinge_loss": skm.hinge_loss(y, d, labels=labels),
                    "top_k_accuracy_3": skm.top_k_accuracy_score(y, d, k=3, labels=labels),
                    "top_k_accuracy_5": skm.top_k_accuracy_score(y, d, k=5, labels=labels),
                    "mcc": skm.matthews_corrcoef(y, predicted),
                    "balanced_accuracy": skm.balanced_accuracy_score(y, predicted),
                    "cohen_kappa": skm.cohen_kappa_score(y, predicted),
                    "confusion_matrix": skm.confusion_matrix(y, predicted, labels=labels).astype(np.float64)}
        for a in ("micro", "macro", "weighted"):
            expected[f"precision_{a}"] = skm.precision_score(y, predicted, average=a, zero_division=smod.ZERO_DIVISION)
            expected[f"recall_{a}"] = skm.recall_score(y, predicted, average=a, zero_division=smod.ZERO_DIVISION)
            expected[f"f1_{a}"] = skm.f1_score(y, predicted, average=a, zero_division=smod.ZERO_DIVISION)
        expected = {k: (v if isinstance(v, np.ndarray) else float(v)) for k, v in expected.items()}
        metrics_ref = ("on the decision values d = raw.astype(float64), predicted = argmax(d, axis=1) (the estimator's "
                       "predict): sklearn.metrics accuracy_score, hinge_loss(y, d, labels), top_k_accuracy_score(y, d, "
                       "k, labels), matthews_corrcoef, balanced_accuracy_score, cohen_kappa_score, confusion_matrix, "
                       "precision/recall/f1_score(average=micro|macro|weighted, zero_division=0)")
        metric_params = {"zero_division": smod.ZERO_DIVISION, "top_k": [3, 5]}
    else:
        loss_ref, loss_fn = smod.LOSSES[(task, use_kind)]
        loss = float(loss_fn(loss_input, torch.from_numpy(y)).item())
        expected, metrics_ref, metric_params = smod.metrics(task, y, clipped)

    # The converter's output against the estimator's own scores.
    if spec["output_kind"] == "decision_values":
        agree = np.max(np.abs(estimator_scores - raw), axis=1) <= 1e-4 * np.maximum(1, np.abs(estimator_scores).max())
        assert agree.mean() == 1.0, (name, agree.mean())
        score_ref = "decision_function"
    else:
        agree = np.max(np.abs(estimator_scores - prob), axis=1) < spec.get("agree_within", 1e-5)
        assert agree.mean() >= spec.get("agree_rows", 1.0), (name, agree.mean())
        score_ref = "predict_proba"

    ordered = {"raw": raw[:smod.ROWS], "sklearn_scores": np.asarray(estimator_scores[:smod.ROWS], dtype=np.float64),
               "probabilities": prob[:smod.ROWS], "worst_row_sum": float(sums[worst]), "worst_row": worst,
               }
    if loss is not None:
        ordered["loss"] = loss
    ordered.update(expected)
    reference = (f"{spec['made_by']}; raw = onnxruntime.InferenceSession(model, providers=['CPUExecutionProvider'])"
                 f".run on the whole test split (N = {n}), first {smod.ROWS} rows kept; sklearn_scores = the "
                 f"estimator's {score_ref} on those rows (onnxruntime agrees on {agree.mean():.4f} of all rows); "
                 f"probabilities = {head_ref}; worst_row_sum = the row sum furthest from 1 (row worst_row); "
                 f"loss = {loss_ref} on the probabilities clipped to [0, 1]; metrics: {metrics_ref}; converters: "
                 f"{converter_versions()}")
    params = {k: spec.get(k) for k in ("model", "task", "output", "output_kind", "evidence_op",
                                       "option_output_kind", "option_task", "option_row_sum_tolerance",
                                       "class_names")}
    params["model"] = f"{SUBDIR}/{name}"
    params["inputs"] = ["X"] if spec.get("input") is None else [spec["input"]]
    params["data"] = {params["inputs"][0]: files["x"], "y": files["y"]}
    params["batch_axes"] = {params["inputs"][0]: "0"}
    params["third_party"] = False
    params["declared_output_shape"] = spec.get("declared_output_shape")
    params.update(metric_params)
    golden.add_case(name[:-len(".onnx")], "export", reference, params, {params["inputs"][0]: x[:smod.ROWS]},
                    ordered)
    print(f"  {name}: {spec['output_kind']} ({spec['evidence_op']}), worst row sum {sums[worst]!r}, accuracy "
          f"{expected.get('accuracy', float('nan')):.4f}")


def build(golden):
    import lightgbm as lgb
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier, StackingClassifier, VotingClassifier
    from sklearn.linear_model import LogisticRegression, Perceptron, RidgeClassifier, SGDClassifier
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.naive_bayes import GaussianNB
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.svm import LinearSVC

    d = smod.digits_data()
    b = smod.breast_cancer_data()
    dx, dy, tx, ty = d["fit_x"], d["fit_y"], d["test_x"], d["test_y"]
    bx, by, btx, bty = b["fit_x"], b["fit_y"], b["test_x"], b["test_y"]
    digits = {"x": "digits_test_x.npy", "y": "digits_test_y.npy"}
    cancer = {"x": "breast_cancer_test_x.npy", "y": "breast_cancer_test_y.npy"}

    def case(model, kind, op, option=None, task="multiclass", output="probabilities", **extra):
        return dict(model=model, task=task, output=output, output_kind=kind, evidence_op=op,
                    option_output_kind=option, option_task=None, class_names=None,
                    **{"option_row_sum_tolerance": None, **extra})

    skl2onnx_ref = "skl2onnx.to_onnx(estimator, X[:1], options={zipmap: False}, target_opset={'': 17, 'ai.onnx.ml': 3})"
    cases = []

    # ---- decision values: LinearClassifier with post_transform NONE
    # (skl2onnx writes LinearSVC and RidgeClassifier as LinearClassifier NONE, Perceptron and hinge SGDClassifier as
    # MatMul + Add)
    for name, est, op in (("sk_linear_svc.onnx", LinearSVC(random_state=9101), "LinearClassifier"),
                          ("sk_ridge.onnx", RidgeClassifier(), "LinearClassifier"),
                          ("sk_perceptron.onnx", Perceptron(random_state=9102), "MatMul"),
                          ("sk_sgd_hinge.onnx", SGDClassifier(loss="hinge", random_state=9103), "MatMul")):
        est.fit(dx, dy)
        save(name, skl(est, dx))
        cases.append((case(name, "decision_values", op, option="logits", made_by=skl2onnx_ref),
                      est.decision_function(tx), tx, ty, digits))

    # ---- probabilities built with arithmetic
    sgd_log = SGDClassifier(loss="log_loss", random_state=9104).fit(dx, dy)
    ovr = OneVsRestClassifier(LogisticRegression(max_iter=2000)).fit(dx, dy)
    knn = KNeighborsClassifier(n_neighbors=5).fit(dx[:400], dy[:400])
    gnb = GaussianNB().fit(dx, dy)
    calibrated = CalibratedClassifierCV(LinearSVC(random_state=9105), cv=3).fit(dx, dy)
    voting = VotingClassifier([("lr", LogisticRegression(max_iter=2000)), ("nb", GaussianNB())], voting="soft",
                              flatten_transform=False).fit(dx, dy)
    stacking = StackingClassifier([("lr", LogisticRegression(max_iter=2000)), ("nb", GaussianNB())],
                                  final_estimator=LogisticRegression(max_iter=2000)).fit(dx, dy)
    forest = RandomForestClassifier(n_estimators=10, max_depth=7, random_state=9106).fit(dx, dy)
    extra = ExtraTreesClassifier(n_estimators=10, max_depth=7, random_state=9107).fit(dx, dy)
    for name, est, op, opts in (
            ("sk_sgd_log_loss.onnx", sgd_log, "Div", {}),
            ("sk_one_vs_rest.onnx", ovr, "LpNormalization", {}),
            ("sk_knn.onnx", knn, "Div", {}),
            ("sk_gaussian_nb.onnx", gnb, "Exp", {"option_row_sum_tolerance": 0.01, "agree_rows": 0.99}),
            ("sk_calibrated_svc.onnx", calibrated, "Div", {}),
            ("sk_voting_soft.onnx", voting, "Sum", {"option_row_sum_tolerance": 0.01, "agree_rows": 0.99}),
            ("sk_stacking.onnx", stacking, "Normalizer", {"agree_rows": 0.99}),
            ("sk_random_forest_nozipmap.onnx", forest, "TreeEnsembleClassifier", {"agree_rows": 0.99}),
            ("sk_extra_trees.onnx", extra, "TreeEnsembleClassifier", {"agree_rows": 0.99})):
        save(name, skl(est, dx))
        cases.append((case(name, "probabilities", op, made_by=skl2onnx_ref, **opts), est.predict_proba(tx), tx, ty,
                      digits))
    save("sk_gaussian_nb_zipmap.onnx", skl(gnb, dx, zipmap=True))
    cases.append((case("sk_gaussian_nb_zipmap.onnx", "probabilities", "ZipMap", output="output_probability",
                       option_row_sum_tolerance=0.01, agree_rows=0.99,
                       made_by=skl2onnx_ref.replace("zipmap: False", "zipmap: True")),
                  gnb.predict_proba(tx), tx, ty, digits))

    # ---- LightGBM through onnxmltools (zipmap=False: a Mul by 1.0 after the TreeEnsembleClassifier head)
    lgbm_ref = ("onnxmltools.convert_lightgbm(model, initial_types=[('X', FloatTensorType([None, F]))], zipmap=False, "
                "target_opset=15)")
    lgbm_multi = lgb.LGBMClassifier(n_estimators=20, num_leaves=8, random_state=9108, verbose=-1,
                                    deterministic=True, force_col_wise=True, n_jobs=1).fit(dx, dy)
    lgbm_binary = lgb.LGBMClassifier(n_estimators=20, num_leaves=8, random_state=9109, verbose=-1,
                                     deterministic=True, force_col_wise=True, n_jobs=1).fit(bx, by)
    save("lgbm_multiclass.onnx", lightgbm_onnx(lgbm_multi, 64))
    save("lgbm_binary.onnx", lightgbm_onnx(lgbm_binary, 30))
    cases.append((case("lgbm_multiclass.onnx", "probabilities", "TreeEnsembleClassifier", made_by=lgbm_ref,
                       agree_rows=0.99), lgbm_multi.predict_proba(tx), tx, ty, digits))
    cases.append((case("lgbm_binary.onnx", "probabilities", "TreeEnsembleClassifier", made_by=lgbm_ref,
                       agree_rows=0.99), lgbm_binary.predict_proba(btx), btx, bty, cancer))

    # ---- hummingbird: Sigmoid / ReduceSum(Sigmoid) of a one-vs-rest LogisticRegression, output declared [8, 10]
    hb_lr = LogisticRegression(max_iter=2000).fit(dx, dy)
    hb = hummingbird_onnx(hb_lr, dx)
    out_name = hb.graph.output[1].name
    save("hb_logreg_fixed_output.onnx", fix_output_batch(hb, out_name, 8))
    cases.append((case("hb_logreg_fixed_output.onnx", "probabilities", "Div", output=out_name, input="input_0",
                       declared_output_shape=[8, 10],
                       made_by="hummingbird.ml.convert(LogisticRegression, 'onnx', X[:8]) with torch.onnx.export("
                               "dynamo=False), output declared [8, 10]"),
                  None, tx, ty, digits))

    for spec, scores, x, y, files in cases:
        if scores is None:  # hummingbird's own probabilities: the estimator's one-vs-rest normalisation
            p = 1.0 / (1.0 + np.exp(-hb_lr.decision_function(x)))
            scores = p / p.sum(axis=1, keepdims=True)
        add(golden, spec, scores, x, y, files)
