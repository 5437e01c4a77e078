"""activations.json: PyTorch activations along the class axis, float64 from float32 inputs.

| op | params | inputs | expected |
| --- | --- | --- | --- |
| softmax | temperature | x [N,C] float32 | y [N,C] float64 = torch.softmax(x.double()/T, dim=1) |
| log_softmax | temperature | x [N,C] | y [N,C] = torch.log_softmax(x.double()/T, dim=1) |
| sigmoid | temperature | x [N,C] | y [N,C] = torch.sigmoid(x.double()/T) |
| logsigmoid | temperature | x [N,C] | y [N,C] = F.logsigmoid(x.double()/T) |

Cases for each op (id OP/NAME): ordinary (random rows), extreme (|x| up to 1e4), neg_inf (rows with one or more
-inf, and a row of all -inf), pos_inf (rows with +inf), ties (equal maxima), single_column (C=1), wide (C=1000,
N=3), temperature_0.5, temperature_2 and temperature_10 (the ordinary input at T = 0.5, 2, 10); sigmoid and
logsigmoid also nan (NaN entries) and saturation (-1000, 1000, +-inf and other large values).
"""

import numpy as np
import torch
import torch.nn.functional as F

LIBRARIES = ("torch",)

INF = np.inf
NAN = np.nan


def f32(rows):
    return np.array(rows, dtype=np.float32)


def ordinary():
    return np.random.default_rng(101).normal(0.0, 2.0, size=(4, 5)).astype(np.float32)


def extreme():
    rng = np.random.default_rng(102)
    rows = [
        [1e4, -1e4, 0.0, 9999.5, -3.0],
        [-1e4, -9999.0, -9998.0, -1e4, -9999.5],
        [1e4, 1e4, 9990.0, -1e4, 5000.0],
        [-5000.0, 0.0, 3.0, -1e4, 2.5],
    ]
    rows.append(rng.uniform(-1e4, 1e4, size=5).tolist())
    return f32(rows)


def neg_inf():
    return f32([
        [-INF, 1.0, 2.0, 0.5, -1.0],
        [-INF, -INF, 3.0, -INF, 0.0],
        [-INF, 0.0, 0.0, 0.0, -INF],
        [-INF, -INF, -INF, -INF, 7.5],
        [-INF, -INF, -INF, -INF, -INF],
    ])


def pos_inf():
    return f32([
        [INF, 1.0, 2.0, 3.0, 4.0],
        [INF, INF, 0.0, 1.0, 2.0],
        [INF, -INF, 0.0, 1.0, 2.0],
        [1.0, 2.0, 3.0, 4.0, INF],
    ])


def ties():
    return f32([
        [2.0, 2.0, 1.0, 0.0, -1.0],
        [0.0, 0.0, 0.0, 0.0, 0.0],
        [3.0, 1.0, 3.0, 3.0, -2.0],
        [-1.0, -1.0, -5.0, -1.0, -1.0],
    ])


def single_column():
    return f32([[-3.5], [0.0], [2.25], [1e4]])


def wide():
    return np.random.default_rng(107).normal(0.0, 3.0, size=(3, 1000)).astype(np.float32)


def nan_case():
    return f32([
        [NAN, 0.0, 1.0, -1.0, NAN],
        [2.0, NAN, -2.0, 0.5, -0.5],
    ])


def saturation():
    return f32([
        [-1000.0, 1000.0, -INF, INF, 0.0],
        [-100.0, 100.0, -40.0, 40.0, -17.0],
        [-1e4, 1e4, -88.0, 88.0, 37.0],
    ])


OPS = {
    "softmax": ("torch.softmax(x.double() / temperature, dim=1)",
                lambda t: torch.softmax(t, dim=1)),
    "log_softmax": ("torch.log_softmax(x.double() / temperature, dim=1)",
                    lambda t: torch.log_softmax(t, dim=1)),
    "sigmoid": ("torch.sigmoid(x.double() / temperature)",
                lambda t: torch.sigmoid(t)),
    "logsigmoid": ("torch.nn.functional.logsigmoid(x.double() / temperature)",
                   lambda t: F.logsigmoid(t)),
}

COMMON_CASES = [
    ("ordinary", ordinary, 1.0),
    ("extreme", extreme, 1.0),
    ("neg_inf", neg_inf, 1.0),
    ("pos_inf", pos_inf, 1.0),
    ("ties", ties, 1.0),
    ("single_column", single_column, 1.0),
    ("wide", wide, 1.0),
    ("temperature_0.5", ordinary, 0.5),
    ("temperature_2", ordinary, 2.0),
    ("temperature_10", ordinary, 10.0),
]

ELEMENTWISE_CASES = [
    ("nan", nan_case, 1.0),
    ("saturation", saturation, 1.0),
]


def build(golden):
    for op, (reference, fn) in OPS.items():
        cases = COMMON_CASES + (ELEMENTWISE_CASES if op in ("sigmoid", "logsigmoid") else [])
        for name, make, temperature in cases:
            x = make()
            assert x.dtype == np.float32
            y = fn(torch.from_numpy(x).double() / temperature).numpy()
            assert y.dtype == np.float64 and y.shape == x.shape
            golden.add_case(f"{op}/{name}", op, reference, {"temperature": temperature}, {"x": x}, {"y": y})
