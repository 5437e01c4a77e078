"""topk.json: top-k with ties toward the LOWER index (numpy stable sort; values cross-checked against torch.topk).

| op | params | inputs | expected |
| --- | --- | --- | --- |
| top_k | k | x [N,C] float32 | indices [N,k] int64 = np.argsort(-x, axis=1, kind="stable")[:, :k]; values [N,k] float64 |

values are x at those indices, widened to float64. Every case is checked against torch.topk(x.double(), k): the
values must be equal, and the indices too where the row's top k has no ties.

Case ids: top_k/{distinct,ties,inf}/{k1,k5,kC} with C = 8 (kC is k = 8).
distinct: random rows without ties; ties: equal values (including a row of all equal values and 0.0 vs -0.0);
inf: rows with +inf and -inf (several +inf in a row, all -inf row).
"""

import numpy as np
import torch

LIBRARIES = ("torch",)

INF = np.inf
C = 8


def distinct():
    rng = np.random.default_rng(401)
    while True:
        x = rng.normal(0.0, 2.0, size=(5, C)).astype(np.float32)
        if all(len(set(row.tolist())) == C for row in x):
            return x


def ties():
    return np.array([
        [1.0, 3.0, 3.0, 2.0, 3.0, 0.0, 2.0, 1.0],
        [5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0],
        [-1.0, 0.5, -1.0, 0.5, 0.25, 0.25, -2.0, 0.5],
        [0.0, -0.0, 1.0, -0.0, 0.0, -1.0, 1.0, 0.0],
        [2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0],
    ], dtype=np.float32)


def with_inf():
    return np.array([
        [0.5, INF, 1.0, -INF, 2.0, INF, -1.0, 3.0],
        [-INF, -INF, -INF, -INF, -INF, -INF, -INF, -INF],
        [1.0, -INF, 2.0, -INF, 0.0, 3.0, -INF, -1.0],
        [INF, INF, INF, 0.0, INF, -INF, INF, INF],
        [-2.0, -1.0, -INF, 4.0, INF, 1.0, 0.5, -INF],
    ], dtype=np.float32)


def top_k(x, k):
    indices = np.argsort(-x, axis=1, kind="stable")[:, :k].astype(np.int64)
    values = np.take_along_axis(x, indices, axis=1).astype(np.float64)
    return indices, values


def cross_check(x, k, indices, values):
    tv, ti = torch.topk(torch.from_numpy(x).double(), k, dim=1)
    assert np.array_equal(tv.numpy(), values), (tv, values)
    for n, row in enumerate(x):
        kth = values[n, k - 1]
        tied = np.sum(row == kth) > 1 or len(set(values[n].tolist())) < k
        if not tied:
            assert np.array_equal(ti[n].numpy(), indices[n]), (ti[n], indices[n])


def build(golden):
    for name, make in (("distinct", distinct), ("ties", ties), ("inf", with_inf)):
        x = make()
        for k_name, k in (("k1", 1), ("k5", 5), ("kC", C)):
            indices, values = top_k(x, k)
            cross_check(x, k, indices, values)
            golden.add_case(
                f"top_k/{name}/{k_name}", "top_k",
                f'indices = np.argsort(-x, axis=1, kind="stable")[:, :{k}]; '
                f"values = np.take_along_axis(x, indices, axis=1).astype(np.float64)",
                {"k": k}, {"x": x}, {"indices": indices, "values": values})
