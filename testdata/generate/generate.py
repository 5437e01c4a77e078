"""Regenerates ../golden/SUITE.json (format 1, see ../README.md).

    .venv/bin/python generate.py                          # every suite in SUITES
    .venv/bin/python generate.py activations losses_torch  # only those

Each suite is a module suite_NAME.py beside this file with a build(golden) function and a LIBRARIES tuple
(the libraries whose versions go into the file's "versions"). Output is byte-for-byte reproducible with the
pinned requirements: seeds are fixed per case and nothing depends on time, paths or thread count.
"""

import importlib
import os
import sys

# Keras must run on the torch backend; set before anything imports keras.
os.environ["KERAS_BACKEND"] = "torch"

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN_DIR = os.path.normpath(os.path.join(HERE, "..", "golden"))

if HERE not in sys.path:
    sys.path.insert(0, HERE)

SUITES = ["activations", "losses_torch", "losses_keras", "topk", "decisions", "metrics", "thresholds", "calibration",
          "curves", "models", "npy", "exports", "parity", "converters", "classes", "conformal", "dense", "dense_models"]


def _setup_determinism():
    import torch

    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)  # reduction order independent of the machine's core count
    torch.manual_seed(0)  # nothing should draw from torch's RNG; fixed anyway


def run(names):
    from golden import GoldenFile

    _setup_determinism()
    os.makedirs(GOLDEN_DIR, exist_ok=True)
    for name in names:
        if name not in SUITES:
            raise SystemExit(f"unknown suite {name!r}; known: {', '.join(SUITES)}")
        module = importlib.import_module(f"suite_{name}")
        golden = GoldenFile(name, f"testdata/generate/suite_{name}.py", libraries=module.LIBRARIES)
        module.build(golden)
        path = os.path.join(GOLDEN_DIR, f"{name}.json")
        size = golden.write(path)
        print(f"{os.path.relpath(path, HERE)}: {len(golden.cases)} cases, {size} bytes")


if __name__ == "__main__":
    run(sys.argv[1:] or SUITES)
