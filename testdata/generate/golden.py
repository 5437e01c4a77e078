"""Writer for golden files (format 1, see ../README.md).

    golden = GoldenFile("activations", "testdata/generate/suite_activations.py", libraries=("torch",))
    golden.add_case("softmax/ordinary", "softmax", "torch.softmax(x.double() / temperature, dim=1)",
                    {"temperature": 1.0}, {"x": x_f32}, {"y": y_f64})
    golden.write(path)

Inputs and expected values are numpy arrays (or numpy / Python scalars). Each becomes
{"dtype", "shape", "data"} with data flat in C order:
- float32: every element written as float(np.float32(v)), the double it widens to, so (float) v in Java is exact;
- float64: written as the double itself;
- int (any numpy integer dtype): written as int64;
- bool: written as 0/1.
Python scalars: float -> float64, int -> int64, bool -> bool; shape [].
Numbers are written with Python's repr (json's float repr), non-finite values as NaN / Infinity / -Infinity.
The output is deterministic: cases in insertion order, one case per line, newline at the end.
"""

import importlib.metadata
import json
import math
import numbers
import platform

import numpy as np

FORMAT = 1

# library name in "versions" -> how to read its version
_VERSION_READERS = {
    "torch": lambda: __import__("torch").__version__,
    # torchvision.__version__ needs the compiled extension (torchvision/version.py imports it); read the
    # installed distribution's version instead.
    "torchvision": lambda: importlib.metadata.version("torchvision"),
    "keras": lambda: __import__("keras").__version__,
    "sklearn": lambda: __import__("sklearn").__version__,
    "scipy": lambda: __import__("scipy").__version__,
    "torchmetrics": lambda: __import__("torchmetrics").__version__,
    "onnx": lambda: __import__("onnx").__version__,
    "onnxruntime": lambda: __import__("onnxruntime").__version__,
}


def _versions(libraries):
    versions = {"python": platform.python_version(), "numpy": np.__version__}
    for lib in libraries:
        if lib in versions:
            continue
        if lib not in _VERSION_READERS:
            raise ValueError(f"unknown library {lib!r}; known: {sorted(_VERSION_READERS)}")
        versions[lib] = _VERSION_READERS[lib]()
    return versions


def encode_array(value):
    """numpy array / numpy scalar / Python scalar -> {"dtype", "shape", "data"}."""
    if isinstance(value, (bool, np.bool_)):
        arr = np.asarray(value, dtype=np.bool_)
    elif isinstance(value, (np.ndarray, np.generic)):
        arr = np.asarray(value)
    elif isinstance(value, numbers.Integral):
        arr = np.asarray(value, dtype=np.int64)
    elif isinstance(value, numbers.Real):
        arr = np.asarray(value, dtype=np.float64)
    else:
        raise TypeError(f"cannot encode {type(value).__name__}; pass a numpy array or a Python scalar")

    flat = arr.reshape(-1)  # C order
    if arr.dtype == np.float32:
        dtype, data = "float32", [float(v) for v in flat]  # float(np.float32) widens exactly
    elif arr.dtype == np.float64:
        dtype, data = "float64", [float(v) for v in flat]
    elif arr.dtype == np.bool_:
        dtype, data = "bool", [1 if v else 0 for v in flat]
    elif np.issubdtype(arr.dtype, np.integer):
        dtype, data = "int64", [int(v) for v in flat]
    else:
        raise TypeError(f"unsupported dtype {arr.dtype}")
    return {"dtype": dtype, "shape": [int(d) for d in arr.shape], "data": data}


def _plain_param(value, where):
    """params hold plain JSON values: numbers, strings, booleans, null, lists of numbers, lists of strings, and
    objects whose keys and values are strings."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, dict):
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise TypeError(f"{where}: objects in params must map strings to strings, got {value!r}")
        return dict(value)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return list(value)
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
                raise TypeError(f"{where}: lists in params must hold numbers only (or strings only), got {v!r}")
            out.append(int(v) if isinstance(v, numbers.Integral) else float(v))
        return out
    raise TypeError(f"{where}: not a plain JSON value: {value!r}")


class GoldenFile:
    def __init__(self, suite, generator_path, libraries=()):
        self.suite = suite
        self.generator = generator_path
        self.versions = _versions(libraries)
        self.cases = []
        self._ids = set()

    def add_case(self, id, op, reference, params, inputs, expected):
        if not isinstance(id, str) or not id:
            raise ValueError("case id must be a non-empty string")
        if id in self._ids:
            raise ValueError(f"duplicate case id {id!r} in suite {self.suite!r}")
        self._ids.add(id)
        case = {
            "id": id,
            "op": op,
            "reference": reference,
            "params": {k: _plain_param(v, f"{id}: params[{k!r}]") for k, v in params.items()},
            "inputs": {k: encode_array(v) for k, v in inputs.items()},
            "expected": {k: encode_array(v) for k, v in expected.items()},
        }
        self.cases.append(case)
        return case

    def to_text(self):
        def dump(obj):
            return json.dumps(obj, allow_nan=True, ensure_ascii=True, separators=(", ", ": "))

        lines = [
            "{",
            f'"format": {FORMAT},',
            f'"suite": {dump(self.suite)},',
            f'"generator": {dump(self.generator)},',
            f'"versions": {dump(self.versions)},',
            '"cases": [',
        ]
        body = ",\n".join(dump(case) for case in self.cases)
        text = "\n".join(lines) + "\n" + body + ("\n" if body else "") + "]\n}\n"
        # Self-check: the text parses back to the same structure.
        parsed = json.loads(text)
        assert parsed["suite"] == self.suite and len(parsed["cases"]) == len(self.cases)
        return text

    def write(self, path):
        text = self.to_text()
        with open(path, "w", encoding="ascii", newline="\n") as f:
            f.write(text)
        return len(text)


def isclose_or_both_nan(a, b, rel=1e-12):
    """Helper for suites' own sanity checks."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or math.isclose(a, b, rel_tol=rel)
