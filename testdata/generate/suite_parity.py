"""parity.json: corners an independent differential test found wrong (issue 12), each with the reference value.

| op | params | inputs | expected |
| --- | --- | --- | --- |
| cross_entropy | (none) | x [N,C] float32 logits, target [N] int64 | loss [] = F.cross_entropy(x.double(), target) (mean), each [N] = reduction='none' |
| log_softmax | (none) | x [N,C] float32 | y [N,C] = torch.log_softmax(x.double(), dim=1) |
| softmax | (none) | x [N,C] float32 | y [N,C] = torch.softmax(x.double(), dim=1) |

Cases (id OP/NAME): large_1e8, large_1e12, large_1e16, large_3e38 (rows of logits at that magnitude, equal and
nearly equal maxima, so that log(sum(exp(x - max))) is what a log-probability adds; x - (max + logsum) loses it once
|max| is about 1e11), mixed_inf (rows with +inf, -inf, and both: PyTorch gives NaN where any +inf is, and a single
-inf entry probability 0).
"""

import numpy as np
import torch
import torch.nn.functional as F

LIBRARIES = ("torch",)

INF = np.inf


def rows_at(scale):
    s = np.float32(scale)
    return np.array([
        [s, s, 0.0],
        [s, np.float32(s * 0.5), -s],
        [-s, s, s],
        [s, np.nextafter(s, np.float32(0)), np.float32(s * 0.25)],
    ], dtype=np.float32)


def mixed_inf():
    return np.array([
        [INF, 1.0, 2.0],
        [-INF, 1.0, 2.0],
        [-INF, INF, 0.0],
        [1e16, -INF, 1e16],
    ], dtype=np.float32)


def build(golden):
    cases = [("large_1e8", rows_at(1e8)), ("large_1e12", rows_at(1e12)), ("large_1e16", rows_at(1e16)),
             ("large_3e38", rows_at(3e38)), ("mixed_inf", mixed_inf())]
    for name, x in cases:
        xt = torch.from_numpy(x).double()
        target = np.array([0, 1, 2, 1], dtype=np.int64)[: len(x)]
        tt = torch.from_numpy(target)
        loss = float(F.cross_entropy(xt, tt).item())
        each = F.cross_entropy(xt, tt, reduction="none").numpy()
        golden.add_case(f"cross_entropy/{name}", "cross_entropy",
                        "F.cross_entropy(x.double(), target) and reduction='none'", {},
                        {"x": x, "target": target}, {"loss": np.float64(loss), "each": each})
        golden.add_case(f"log_softmax/{name}", "log_softmax", "torch.log_softmax(x.double(), dim=1)", {},
                        {"x": x}, {"y": torch.log_softmax(xt, dim=1).numpy()})
        golden.add_case(f"softmax/{name}", "softmax", "torch.softmax(x.double(), dim=1)", {},
                        {"x": x}, {"y": torch.softmax(xt, dim=1).numpy()})
