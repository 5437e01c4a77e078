"""npy.json and ../data/npy/*.npy: NumPy files in every layout the Java reader must handle, written by numpy itself.

| op | params | inputs | expected |
| --- | --- | --- | --- |
| npy_file | file (under testdata/data/npy/), error (null, or a word the Java error message must contain) | - | values [shape] float64 (the array as float64), shape [rank] int64 (absent for error files) |

Cases: float32, float64, int32, int64 and bool, little and big endian, a 0-d array, a 3-d array, format version 2.0;
error files: Fortran order, an object array, a truncated file, a file that is not .npy, a float16 array.
"""

import io
import os

import numpy as np

LIBRARIES = ()

HERE = os.path.dirname(os.path.abspath(__file__))
NPY_DIR = os.path.normpath(os.path.join(HERE, "..", "data", "npy"))


def _save(name, array, version=None):
    path = os.path.join(NPY_DIR, name)
    with open(path, "wb") as f:
        if version is None:
            np.save(f, array, allow_pickle=True)
        else:
            np.lib.format.write_array(f, array, version=version, allow_pickle=True)
    return name


def build(golden):
    os.makedirs(NPY_DIR, exist_ok=True)
    rng = np.random.default_rng(4242)
    base = rng.normal(size=(5, 3)) * 10
    ok = [
        ("float32_le.npy", base.astype("<f4")),
        ("float32_be.npy", base.astype(">f4")),
        ("float64_le.npy", base.astype("<f8")),
        ("float64_be.npy", base.astype(">f8")),
        ("int32_le.npy", np.round(base).astype("<i4")),
        ("int32_be.npy", np.round(base).astype(">i4")),
        ("int64_le.npy", np.round(base).astype("<i8")),
        ("int64_be.npy", np.round(base).astype(">i8")),
        ("bool.npy", base > 0),
        ("labels_int64.npy", np.array([3, 1, 4, 1, 5], dtype="<i8")),
        ("scalar_0d.npy", np.array(2.5, dtype="<f8")),
        ("rank3_float32.npy", rng.normal(size=(2, 3, 4)).astype("<f4")),
    ]
    for name, array in ok:
        _save(name, array)
        golden.add_case(f"npy_file/{name[:-4]}", "npy_file", f"numpy.save of a {array.dtype.str} array",
                        {"file": name, "error": None}, {},
                        {"values": np.asarray(array, dtype=np.float64), "shape": np.array(array.shape, dtype=np.int64)})
    v2 = base.astype("<f4")
    _save("version2.npy", v2, version=(2, 0))
    golden.add_case("npy_file/version2", "npy_file", "numpy.lib.format.write_array(version=(2, 0))",
                    {"file": "version2.npy", "error": None}, {},
                    {"values": v2.astype(np.float64), "shape": np.array(v2.shape, dtype=np.int64)})

    errors = []
    errors.append((_save("fortran_order.npy", np.asfortranarray(base.astype("<f4"))), "Fortran"))
    errors.append((_save("object_array.npy", np.array(["a", 1, None], dtype=object)), "object"))
    errors.append((_save("float16.npy", base.astype("<f2")), "not supported"))
    buf = io.BytesIO()
    np.save(buf, base.astype("<f8"))
    with open(os.path.join(NPY_DIR, "truncated.npy"), "wb") as f:
        f.write(buf.getvalue()[:-17])
    errors.append(("truncated.npy", "truncated"))
    with open(os.path.join(NPY_DIR, "not_npy.npy"), "wb") as f:
        f.write(b"label,value\n1,2\n")
    errors.append(("not_npy.npy", "not a NumPy"))
    for name, word in errors:
        golden.add_case(f"npy_error/{name[:-4]}", "npy_file", "a file the reader must refuse",
                        {"file": name, "error": word}, {}, {})
