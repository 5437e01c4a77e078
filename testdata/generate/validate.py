"""Checks ../golden/*.json against the format (../README.md) and the op catalog (CATALOG.md).

    .venv/bin/python validate.py        # or plain python3: needs only numpy

Checks: format 1 header, unique ids, every array's len(data) == prod(shape), dtypes, bool data 0/1, int64 data
integral, float32 data exactly representable as float32, params plain JSON values, and each op's params /
inputs / expected keys.
"""

import glob
import json
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN_DIR = os.path.normpath(os.path.join(HERE, "..", "golden"))

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
}


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
        if c["op"] not in OPS:
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
