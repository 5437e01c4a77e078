"""Checks ../golden/*.json against the format (../README.md) and the op catalog (CATALOG.md).

    .venv/bin/python validate.py        # or plain python3: needs only numpy

Checks: format 1 header, unique ids, every array's len(data) == prod(shape), dtypes, bool data 0/1, int64 data
integral, float32 data exactly representable as float32, params plain JSON values, and each op's params /
inputs / expected keys. The metrics ops (multiclass_metrics, multilabel_metrics, binary_metrics) have an optional
input sample_weight and expected keys that depend on it and on params (see metric_keys); their array shapes are
checked too. Op "model" (models.json) is checked by check_model_case: params, inputs named as the model's inputs,
expected raw / probabilities / loss / label (ZipMap models) plus the metric keys of its task, shapes, and that the
referenced ../models/*.onnx and ../data/*.npy files exist and the inputs are the first rows of those .npy files.
"""

import glob
import json
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN_DIR = os.path.normpath(os.path.join(HERE, "..", "golden"))
MODELS_DIR = os.path.normpath(os.path.join(HERE, "..", "models"))
DATA_DIR = os.path.normpath(os.path.join(HERE, "..", "data"))

# op -> (params, inputs, expected)
OPS = {
    "softmax": ({"temperature"}, {"x"}, {"y"}),
    "log_softmax": ({"temperature"}, {"x"}, {"y"}),
    "sigmoid": ({"temperature"}, {"x"}, {"y"}),
    "logsigmoid": ({"temperature"}, {"x"}, {"y"}),
    "cross_entropy": ({"weight", "ignore_index", "label_smoothing", "reduction", "target_type"}, {"x", "target"},
                      {"loss"}),
    "nll_loss": ({"weight", "ignore_index", "reduction"}, {"x", "target"}, {"loss"}),
    "bce": ({"weight", "reduction"}, {"x", "target"}, {"loss"}),
    "bce_with_logits": ({"weight", "pos_weight", "reduction"}, {"x", "target"}, {"loss"}),
    "multilabel_soft_margin": ({"weight", "reduction"}, {"x", "target"}, {"loss"}),
    "sigmoid_focal": ({"alpha", "gamma", "reduction"}, {"x", "target"}, {"loss"}),
    "keras_categorical_crossentropy": ({"from_logits", "label_smoothing"}, {"y_true", "y_pred"},
                                       {"per_sample", "mean"}),
    "keras_sparse_categorical_crossentropy": ({"from_logits"}, {"y_true", "y_pred"}, {"per_sample", "mean"}),
    "keras_binary_crossentropy": ({"from_logits", "label_smoothing"}, {"y_true", "y_pred"}, {"per_sample", "mean"}),
    "top_k": ({"k"}, {"x"}, {"indices", "values"}),
    "argmax": (set(), {"x"}, {"indices"}),
    "binary_decision": ({"threshold", "comparison", "input_kind"}, {"x"}, {"decisions"}),
    "multilabel_threshold": ({"threshold", "comparison", "input_kind", "top_k", "at_least_one"}, {"x"},
                             {"decisions"}),
    "tune_thresholds": ({"objective", "beta", "target", "fallback"}, {"y_true", "y_score"},
                        {"thresholds", "objective_values", "fell_back"}),
    "tune_threshold_binary": ({"objective", "beta", "target", "fallback"}, {"y_true", "y_score"},
                              {"threshold", "objective_value", "fell_back"}),
    "temperature_multiclass": ({"n_bins"}, {"logits", "labels"},
                               {"temperature", "nll_before", "nll_after", "ece_before", "ece_after"}),
    "temperature_multilabel": ({"per_class"}, {"logits", "targets"}, {"temperature", "nll_before", "nll_after"}),
    "temperature_separable": ({"task"}, {"logits", "labels"}, {"separable", "nll_at_small_t"}),
}

METRIC_OPS = {"multiclass_metrics", "multilabel_metrics", "binary_metrics"}
ECE_KEYS = {"ece_l1", "ece_l2", "ece_max", "bin_boundaries"}
PRF = ("precision", "recall", "f1")


def metric_keys(c):
    """(params, inputs, required expected, optional expected) of a metrics case.

    sample_weight is an optional input. ECE keys (and bin_boundaries) are present exactly when it is absent. The
    multi-class ovo AUC keys are absent when it is present (sklearn refuses ovo with sample weights) and optional
    otherwise (sklearn may raise for degenerate inputs; the case's reference then says so).
    """
    op, weighted = c["op"], "sample_weight" in c["inputs"]
    inputs = {"y_true", "y_prob"} | ({"sample_weight"} if weighted else set())
    optional = set()
    if op == "multiclass_metrics":
        params = {"zero_division", "top_k", "n_bins"}
        top_k = c["params"].get("top_k") or []
        required = {"accuracy", "confusion_matrix", "log_loss", "brier", "mcc", "roc_auc_ovr_macro",
                    "roc_auc_ovr_weighted"} | {f"top_k_accuracy_{k}" for k in top_k}
        required |= {f"{m}_{a}" for m in PRF for a in ("micro", "macro", "weighted", "per_class")}
        if not weighted:
            optional |= {"roc_auc_ovo_macro", "roc_auc_ovo_weighted"}
    elif op == "multilabel_metrics":
        params = {"zero_division", "threshold"}
        required = {"hamming_loss", "subset_accuracy", "roc_auc_micro", "roc_auc_macro", "roc_auc_weighted",
                    "average_precision_micro", "average_precision_macro", "label_ranking_average_precision",
                    "coverage_error", "label_ranking_loss", "confusion_per_label"}
        required |= {f"{m}_{a}" for m in PRF for a in ("micro", "macro", "weighted", "samples", "per_label")}
    else:
        params = {"zero_division", "threshold", "n_bins"}
        required = {"accuracy", "precision", "recall", "f1", "roc_auc", "average_precision", "brier", "log_loss",
                    "mcc", "confusion_matrix"}
    if op != "multilabel_metrics" and not weighted:
        required |= ECE_KEYS
    return params, inputs, required, optional


def check_metric_shapes(where, c, errors):
    shape = {k: tuple(a["shape"]) for k, a in list(c["inputs"].items()) + list(c["expected"].items())}
    y_true = shape.get("y_true", ())
    n = y_true[0] if y_true else -1
    if c["op"] == "multiclass_metrics":
        if len(y_true) != 1 or len(shape.get("y_prob", ())) != 2 or shape["y_prob"][0] != n:
            errors.append(f"{where}: y_true {y_true} / y_prob {shape.get('y_prob')} shapes")
            return
        C = shape["y_prob"][1]
        arrays = {f"{m}_per_class": (C,) for m in PRF}
        arrays.update(y_prob=(n, C), confusion_matrix=(C, C))
    elif c["op"] == "multilabel_metrics":
        if len(y_true) != 2:
            errors.append(f"{where}: y_true shape {y_true}")
            return
        arrays = {f"{m}_per_label": (y_true[1],) for m in PRF}
        arrays.update(y_prob=y_true, confusion_per_label=(y_true[1], 2, 2))
    else:
        if len(y_true) != 1:
            errors.append(f"{where}: y_true shape {y_true}")
            return
        arrays = {"y_prob": y_true, "confusion_matrix": (2, 2)}
    arrays.update(y_true=y_true, sample_weight=(n,))
    if isinstance(c["params"].get("n_bins"), int):
        arrays["bin_boundaries"] = (c["params"]["n_bins"] + 1,)
    for k, s in shape.items():
        want = arrays.get(k, ())  # everything else is a scalar
        if s != want:
            errors.append(f"{where}: {k} shape {list(s)} != {list(want)}")
    if c["params"].get("zero_division") not in (0, 1, "nan"):
        errors.append(f"{where}: zero_division {c['params'].get('zero_division')!r}")


MODEL_PARAMS = {"model", "task", "output", "output_kind", "evidence_op", "evidence", "class_names", "inputs", "data"}
MODEL_TASKS = ("multiclass", "binary", "multilabel")
MODEL_KINDS = ("logits", "probabilities", "log_probabilities")


def check_model_case(where, c, errors):
    """op "model": one case per ONNX model (suite_models.py)."""
    p = c["params"]
    task = p.get("task")
    if task not in MODEL_TASKS:
        errors.append(f"{where}: task {task!r}")
        return
    metric_case = {"op": f"{task}_metrics", "params": p, "inputs": {}}
    metric_params, _, metric_required, metric_optional = metric_keys(metric_case)
    metric_required |= metric_optional  # the whole test split of a trained model: every key is computed
    if set(p) != MODEL_PARAMS | metric_params:
        errors.append(f"{where}: params {sorted(p)} != {sorted(MODEL_PARAMS | metric_params)}")
        return
    if p["output_kind"] not in MODEL_KINDS:
        errors.append(f"{where}: output_kind {p['output_kind']!r}")
    if not (p["evidence_op"] is None or isinstance(p["evidence_op"], str)):
        errors.append(f"{where}: evidence_op {p['evidence_op']!r}")
    names = p["inputs"]
    if not (isinstance(names, list) and names and all(isinstance(n, str) for n in names)):
        errors.append(f"{where}: params inputs {names!r}")
        return
    if list(c["inputs"]) != names:
        errors.append(f"{where}: inputs {list(c['inputs'])} != params inputs {names}")
    if not (p["class_names"] is None or (isinstance(p["class_names"], list)
                                         and all(isinstance(n, str) for n in p["class_names"]))):
        errors.append(f"{where}: class_names {p['class_names']!r}")

    zipmap = p["evidence_op"] == "ZipMap"
    required = {"raw", "probabilities", "loss"} | metric_required | ({"label"} if zipmap else set())
    if set(c["expected"]) != required:
        errors.append(f"{where}: expected missing {sorted(required - set(c['expected']))}, "
                      f"unexpected {sorted(set(c['expected']) - required)}")
        return

    # files
    if not os.path.isfile(os.path.join(MODELS_DIR, p["model"])):
        errors.append(f"{where}: model file {p['model']} missing in {MODELS_DIR}")
    data = p["data"]
    want_keys = {"y"} | ({"x"} if len(names) == 1 else set(names))
    if not isinstance(data, dict) or set(data) != want_keys:
        errors.append(f"{where}: data {data!r} should have keys {sorted(want_keys)}")
        return
    arrays = {}
    for key, file in data.items():
        path = os.path.join(DATA_DIR, file)
        if not os.path.isfile(path):
            errors.append(f"{where}: data file {file} missing in {DATA_DIR}")
            continue
        arrays[key] = np.load(path, allow_pickle=False)
    if len(arrays) != len(data):
        return

    # shapes, and the golden inputs are the first rows of the data files
    raw = c["expected"]["raw"]
    rows = raw["shape"][0] if len(raw["shape"]) == 2 else -1
    n = len(arrays["y"])
    for i, name in enumerate(names):
        src = arrays["x" if len(names) == 1 else name]
        a = c["inputs"][name]
        if len(src) != n:
            errors.append(f"{where}: {data['x' if len(names) == 1 else name]} has {len(src)} rows, y has {n}")
        if a["dtype"] != str(src.dtype) or list(src.shape[1:]) != a["shape"][1:] or a["shape"][0] != rows:
            errors.append(f"{where}: inputs[{name}] {a['dtype']} {a['shape']} vs data file {src.dtype} "
                          f"{list(src.shape)} and {rows} rows")
        elif not np.array_equal(np.asarray(a["data"], dtype=src.dtype).reshape(a["shape"]), src[:rows]):
            errors.append(f"{where}: inputs[{name}] are not the first {rows} rows of its data file")
    shape = {k: a["shape"] for k, a in c["expected"].items()}
    if len(raw["shape"]) != 2 or raw["dtype"] != "float32" or shape["probabilities"] != raw["shape"]:
        errors.append(f"{where}: raw {raw['dtype']} {raw['shape']} / probabilities {shape['probabilities']}")
        return
    if shape["loss"] != [] or (zipmap and shape["label"] != [rows]):
        errors.append(f"{where}: loss {shape['loss']} / label {shape.get('label')}")
    C = raw["shape"][1]
    y_prob = [n] if task == "binary" else [n, C]
    if task == "binary" and C != 1:
        errors.append(f"{where}: binary raw has {C} columns")
    metric_shapes = {
        "op": f"{task}_metrics", "params": p,
        "inputs": {"y_true": {"shape": list(arrays["y"].shape)}, "y_prob": {"shape": y_prob}},
        "expected": {k: a for k, a in c["expected"].items() if k in metric_required},
    }
    check_metric_shapes(where, metric_shapes, errors)


def check_array(where, a, errors):
    if set(a) != {"dtype", "shape", "data"}:
        errors.append(f"{where}: keys {sorted(a)}")
        return
    dtype, shape, data = a["dtype"], a["shape"], a["data"]
    if dtype not in ("float32", "float64", "int64", "bool"):
        errors.append(f"{where}: dtype {dtype}")
    if not all(isinstance(d, int) and d >= 0 for d in shape):
        errors.append(f"{where}: shape {shape}")
        return
    if len(data) != math.prod(shape):
        errors.append(f"{where}: {len(data)} values for shape {shape}")
    for v in data:
        if dtype == "bool" and not (type(v) is int and v in (0, 1)):
            errors.append(f"{where}: bool value {v!r}")
            break
        if dtype == "int64" and type(v) is not int:
            errors.append(f"{where}: int64 value {v!r}")
            break
        if dtype in ("float32", "float64") and type(v) is not float:
            errors.append(f"{where}: float value written as {v!r}")
            break
        if dtype == "float32" and not math.isnan(v) and float(np.float32(v)) != v:
            errors.append(f"{where}: {v!r} is not a float32 value")
            break


def plain(v):
    if v is None or isinstance(v, (bool, int, float, str)):
        return True
    if isinstance(v, dict):
        return all(isinstance(k, str) and isinstance(x, str) for k, x in v.items())
    if isinstance(v, list) and v and all(isinstance(x, str) for x in v):
        return True
    return isinstance(v, list) and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v)


def check_file(path):
    errors = []
    with open(path, encoding="ascii") as f:
        text = f.read()
    if not text.endswith("}\n"):
        errors.append("does not end with a newline")
    d = json.loads(text)
    if d.get("format") != 1 or list(d)[:5] != ["format", "suite", "generator", "versions", "cases"]:
        errors.append(f"header keys {list(d)}")
    if d["suite"] != os.path.basename(path)[:-5]:
        errors.append(f"suite {d['suite']!r} does not match the file name")
    ids = [c["id"] for c in d["cases"]]
    if len(ids) != len(set(ids)):
        errors.append(f"duplicate ids: {sorted({i for i in ids if ids.count(i) > 1})}")
    for c in d["cases"]:
        where = f"{c.get('id')}"
        if list(c) != ["id", "op", "reference", "params", "inputs", "expected"]:
            errors.append(f"{where}: keys {list(c)}")
            continue
        if c["op"] in METRIC_OPS:
            params, inputs, required, optional = metric_keys(c)
            if set(c["params"]) != params:
                errors.append(f"{where}: params {sorted(c['params'])} != {sorted(params)}")
            if set(c["inputs"]) != inputs:
                errors.append(f"{where}: inputs {sorted(c['inputs'])} != {sorted(inputs)}")
            got = set(c["expected"])
            if not required <= got or not got <= required | optional:
                errors.append(f"{where}: expected missing {sorted(required - got)}, "
                              f"unexpected {sorted(got - required - optional)}")
            check_metric_shapes(where, c, errors)
        elif c["op"] == "model":
            check_model_case(where, c, errors)
        elif c["op"] == "npy_file":
            want = set() if c["params"].get("error") else {"values", "shape"}
            if set(c["params"]) != {"file", "error"} or c["inputs"] or set(c["expected"]) != want:
                errors.append(f"{where}: npy_file case needs params file and error, no inputs, expected {sorted(want)}")
            if not os.path.isfile(os.path.join(HERE, "..", "data", "npy", c["params"]["file"])):
                errors.append(f"{where}: file {c['params']['file']} missing")
        elif c["op"] not in OPS:
            errors.append(f"{where}: unknown op {c['op']}")
        else:
            params, inputs, expected = OPS[c["op"]]
            if set(c["params"]) != params:
                errors.append(f"{where}: params {sorted(c['params'])} != {sorted(params)}")
            if set(c["inputs"]) != inputs:
                errors.append(f"{where}: inputs {sorted(c['inputs'])} != {sorted(inputs)}")
            if set(c["expected"]) != expected:
                errors.append(f"{where}: expected {sorted(c['expected'])} != {sorted(expected)}")
        for k, v in c["params"].items():
            if not plain(v):
                errors.append(f"{where}: params[{k}] = {v!r}")
        for group in ("inputs", "expected"):
            for k, a in c[group].items():
                check_array(f"{where}: {group}[{k}]", a, errors)
    return d, errors


def main():
    paths = sorted(glob.glob(os.path.join(GOLDEN_DIR, "*.json")))
    if not paths:
        sys.exit(f"no golden files in {GOLDEN_DIR}")
    failed = False
    total = 0
    for path in paths:
        d, errors = check_file(path)
        arrays = sum(len(c["inputs"]) + len(c["expected"]) for c in d["cases"])
        total += os.path.getsize(path)
        print(f"{os.path.basename(path)}: {len(d['cases'])} cases, {arrays} arrays, "
              f"{os.path.getsize(path)} bytes, {'OK' if not errors else f'{len(errors)} ERRORS'}")
        for e in errors:
            print("  " + e)
        failed |= bool(errors)
    print(f"total {total} bytes")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
