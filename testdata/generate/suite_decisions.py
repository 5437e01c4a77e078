"""decisions.json: decision rules, float32 comparisons as torch and numpy do them.

| op | params | inputs | expected |
| --- | --- | --- | --- |
| argmax | - | x [N,C] float32 | indices [N] int64 = torch.argmax(x, dim=1) (first index on ties) |
| binary_decision | threshold, comparison (">=" or ">"), input_kind ("logits" or "probabilities") | x [N] float32 | decisions [N] bool: p = torch.sigmoid(x) for logits (float32), then p >= t (or >) in float32 |
| multilabel_threshold | threshold (number or [C]), comparison, input_kind, top_k (int or null), at_least_one (bool) | x [N,C] float32 | decisions [N,C] bool |

multilabel_threshold semantics: p = sigmoid(x) in float32 for logits, else x; pass = p >= t (or >) in float32 with t
broadcast per class; if top_k is set, only the top_k highest p of the row (ties to the lower index) may pass; if
at_least_one and no label passes, the label with the highest p (first index on ties) is set.
Thresholds are compared as float32 (torch casts a Python scalar to the tensor's float32; per-class thresholds are
made float32 tensors), so a threshold written 0.3 means (float) 0.3.

Case ids:
- argmax/{ordinary,ties,inf,nan}: nan shows torch's (and numpy's) rule that NaN counts as the maximum (first NaN).
- binary_decision/{probabilities,logits}/t{0.5,0.3}/{ge,gt}: inputs include values whose p equals t exactly in
  float32 (p == 0.5 from logits 0 and +-1e-8; p == (float) 0.3 from a logit found by search) and their neighbours.
- multilabel_threshold/probabilities/scalar/{ge,gt}, multilabel_threshold/logits/scalar/{ge,gt},
  multilabel_threshold/probabilities/per_class/{ge,gt}, multilabel_threshold/logits/per_class/ge,
  multilabel_threshold/probabilities/top_k2/{ge,gt}, multilabel_threshold/probabilities/at_least_one/{ge,gt},
  multilabel_threshold/probabilities/top_k2_at_least_one/ge, multilabel_threshold/logits/top_k1_at_least_one/gt,
  multilabel_threshold/probabilities/top_k_exceeds_passing/ge (top_k 4 with fewer labels passing).
"""

import numpy as np
import torch

LIBRARIES = ("torch",)

INF = np.inf
NAN = np.nan
CMP = {">=": ("ge", lambda p, t: p >= t), ">": ("gt", lambda p, t: p > t)}


def f32(rows):
    return np.array(rows, dtype=np.float32)


def up(v):
    return np.nextafter(np.float32(v), np.float32(np.inf))


def down(v):
    return np.nextafter(np.float32(v), np.float32(-np.inf))


def sigmoid32(x):
    return torch.sigmoid(torch.from_numpy(np.asarray(x, dtype=np.float32))).numpy()


# ---------------------------------------------------------------------------------------------- argmax

def build_argmax(golden):
    cases = {
        "ordinary": np.random.default_rng(501).normal(0.0, 2.0, size=(6, 5)).astype(np.float32),
        "ties": f32([
            [1.0, 3.0, 3.0, 2.0, 3.0],
            [0.0, 0.0, 0.0, 0.0, 0.0],
            [-1.0, -1.0, -2.0, -0.5, -0.5],
            [0.0, -0.0, -1.0, -0.0, 0.0],
            [-0.0, 0.0, -1.0, 0.0, 0.0],
        ]),
        "inf": f32([
            [0.0, INF, 1.0, INF, 2.0],
            [-INF, -INF, -INF, -INF, -INF],
            [-INF, -3.0, -INF, -3.0, -4.0],
            [1e30, -INF, 3e38, 3e38, INF],
        ]),
        "nan": f32([
            [1.0, NAN, 2.0, NAN, 0.0],
            [INF, 0.0, NAN, 1.0, 2.0],
            [NAN, NAN, NAN, NAN, NAN],
        ]),
    }
    for name, x in cases.items():
        indices = torch.argmax(torch.from_numpy(x), dim=1).numpy().astype(np.int64)
        assert np.array_equal(indices, np.argmax(x, axis=1)), name
        golden.add_case(f"argmax/{name}", "argmax", "torch.argmax(x, dim=1)", {}, {"x": x}, {"indices": indices})


# ---------------------------------------------------------------------------------------------- binary_decision

def logit_with_sigmoid_equal(t):
    """A float32 x with torch.sigmoid(x) == (float32) t exactly, searched around logit(t)."""
    t32 = np.float32(t)
    x = np.float32(np.log(t / (1.0 - t)))
    lo = x
    for _ in range(64):
        lo = down(lo)
    candidates = []
    v = lo
    for _ in range(129):
        candidates.append(v)
        v = up(v)
    candidates = np.array(candidates, dtype=np.float32)
    p = sigmoid32(candidates)
    hits = candidates[p == t32]
    assert len(hits) > 0, f"no float32 logit gives sigmoid == {t}"
    return hits[len(hits) // 2], candidates[p < t32].max(), candidates[p > t32].min()


def build_binary(golden):
    xp = f32([0.5, down(0.5), up(0.5), 0.3, down(0.3), up(0.3), 0.0, 1.0, 0.9, 0.1, 0.7])
    eq03, below03, above03 = logit_with_sigmoid_equal(0.3)
    xl = f32([0.0, 1e-8, -1e-8, -1e-3, 1e-3, eq03, below03, above03, -5.0, 5.0, 20.0, -20.0, 0.1])
    p_l = sigmoid32(xl)
    assert p_l[0] == 0.5 and p_l[1] == 0.5 and p_l[2] == 0.5 and p_l[5] == np.float32(0.3)
    for kind, x in (("probabilities", xp), ("logits", xl)):
        p = sigmoid32(x) if kind == "logits" else x
        for t in (0.5, 0.3):
            for comparison, (cname, cmp) in CMP.items():
                decisions = cmp(torch.from_numpy(p), torch.tensor(t, dtype=torch.float32)).numpy()
                assert decisions.dtype == np.bool_
                pexpr = "torch.sigmoid(x)" if kind == "logits" else "x"
                golden.add_case(
                    f"binary_decision/{kind}/t{t:g}/{cname}", "binary_decision",
                    f"{pexpr} {comparison} torch.tensor({t}, dtype=torch.float32)  (x float32)",
                    {"threshold": t, "comparison": comparison, "input_kind": kind}, {"x": x},
                    {"decisions": decisions})


# ---------------------------------------------------------------------------------------------- multilabel_threshold

ML_REFERENCE = (
    "p = torch.sigmoid(x) if logits else x (float32); passed = p {cmp} torch.tensor(threshold, dtype=torch.float32) "
    "(broadcast per class); if top_k: passed &= mask of np.argsort(-p, axis=1, kind='stable')[:, :top_k]; "
    "if at_least_one: rows with no passed label get passed[n, torch.argmax(p[n])] = True"
)


def multilabel(x, threshold, comparison, input_kind, top_k, at_least_one):
    xt = torch.from_numpy(x)
    p = torch.sigmoid(xt) if input_kind == "logits" else xt
    t = torch.tensor(threshold, dtype=torch.float32)
    passed = CMP[comparison][1](p, t).numpy().copy()
    pn = p.numpy()
    if top_k is not None:
        order = np.argsort(-pn, axis=1, kind="stable")[:, :top_k]
        mask = np.zeros_like(passed)
        np.put_along_axis(mask, order, True, axis=1)
        passed &= mask
    if at_least_one:
        best = torch.argmax(p, dim=1).numpy()
        for n in range(passed.shape[0]):
            if not passed[n].any():
                passed[n, best[n]] = True
    return passed


def build_multilabel(golden):
    def add(id, x, threshold, comparison, input_kind, top_k=None, at_least_one=False):
        decisions = multilabel(x, threshold, comparison, input_kind, top_k, at_least_one)
        golden.add_case(
            id, "multilabel_threshold", ML_REFERENCE.format(cmp=comparison),
            {"threshold": threshold, "comparison": comparison, "input_kind": input_kind, "top_k": top_k,
             "at_least_one": at_least_one},
            {"x": x}, {"decisions": decisions})

    rng = np.random.default_rng(511)
    probs = np.vstack([
        f32([[0.5, down(0.5), up(0.5), 0.0, 1.0]]),
        f32([[0.1, 0.2, 0.3, 0.4, 0.45]]),
        f32([[0.9, 0.8, 0.5, 0.5, 0.6]]),
        rng.uniform(0.0, 1.0, size=(3, 5)).astype(np.float32),
    ])
    logits = np.vstack([
        f32([[0.0, 1e-8, -1e-8, -1e-3, 1e-3]]),
        f32([[-3.0, -2.0, -1.0, -0.5, -0.25]]),
        f32([[2.0, 0.0, 0.0, 1.0, -INF]]),
        f32([[INF, 40.0, -40.0, 0.0, 3.0]]),
        rng.normal(0.0, 2.0, size=(2, 5)).astype(np.float32),
    ])
    for comparison, (cname, _) in CMP.items():
        add(f"multilabel_threshold/probabilities/scalar/{cname}", probs, 0.5, comparison, "probabilities")
    for comparison, (cname, _) in CMP.items():
        add(f"multilabel_threshold/logits/scalar/{cname}", logits, 0.5, comparison, "logits")

    per_class = [0.3, 0.5, 0.7, 0.25, 0.9]
    pc = np.vstack([
        f32([per_class]),  # p == t exactly for every class
        f32([[down(0.3), down(0.5), down(0.7), down(0.25), down(0.9)]]),
        f32([[up(0.3), up(0.5), up(0.7), up(0.25), up(0.9)]]),
        f32([[0.1, 0.4, 0.8, 0.2, 0.95]]),
        rng.uniform(0.0, 1.0, size=(2, 5)).astype(np.float32),
    ])
    for comparison, (cname, _) in CMP.items():
        add(f"multilabel_threshold/probabilities/per_class/{cname}", pc, per_class, comparison, "probabilities")
    add("multilabel_threshold/logits/per_class/ge", logits, per_class, ">=", "logits")

    topk = f32([
        [0.6, 0.9, 0.6, 0.6, 0.1],  # ties at the top-2 boundary: index 0 wins over 2 and 3
        [0.7, 0.7, 0.7, 0.7, 0.7],  # all equal: indices 0 and 1
        [0.2, 0.35, 0.1, 0.05, 0.3],  # two pass, both kept
        [0.31, 0.0, 0.0, 0.0, 0.0],  # one passes
        [0.3, 0.3, 0.29, 1.0, 0.3],  # p == t: passes with >=, not with >
        [0.1, 0.2, 0.1, 0.2, 0.0],  # none pass
    ])
    for comparison, (cname, _) in CMP.items():
        add(f"multilabel_threshold/probabilities/top_k2/{cname}", topk, 0.3, comparison, "probabilities", top_k=2)

    alo = f32([
        [0.1, 0.5, 0.5, 0.2, 0.0],  # none pass at 0.8; max tied at 1 and 2 -> 1
        [0.8, 0.1, 0.9, 0.0, 0.8],  # pass
        [0.0, 0.0, 0.0, 0.0, 0.0],  # all zero -> index 0
        [0.79, 0.8, 0.3, 0.8, 0.1],  # p == t at 1 and 3: >= passes both; > passes none -> argmax 1
        [0.4, 0.6, 0.7, 0.7, 0.2],
    ])
    for comparison, (cname, _) in CMP.items():
        add(f"multilabel_threshold/probabilities/at_least_one/{cname}", alo, 0.8, comparison, "probabilities",
            at_least_one=True)
    add("multilabel_threshold/probabilities/top_k2_at_least_one/ge", np.vstack([topk, alo]), 0.3, ">=",
        "probabilities", top_k=2, at_least_one=True)
    add("multilabel_threshold/logits/top_k1_at_least_one/gt", logits, 0.5, ">", "logits", top_k=1,
        at_least_one=True)
    add("multilabel_threshold/probabilities/top_k_exceeds_passing/ge", topk, 0.3, ">=", "probabilities", top_k=4)


def build(golden):
    build_argmax(golden)
    build_binary(golden)
    build_multilabel(golden)
