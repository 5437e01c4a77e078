"""losses_keras.json: Keras 3 cross-entropies on the torch backend (KERAS_BACKEND=torch), computed in float32.

| op | params | inputs | expected |
| --- | --- | --- | --- |
| keras_categorical_crossentropy | from_logits, label_smoothing | y_true [N,C] float32; y_pred [N,C] float32 | per_sample [N] = keras.losses.categorical_crossentropy(...); mean [] = keras.losses.CategoricalCrossentropy(...)(y_true, y_pred) |
| keras_sparse_categorical_crossentropy | from_logits | y_true [N] int64; y_pred [N,C] float32 | per_sample [N]; mean [] |
| keras_binary_crossentropy | from_logits, label_smoothing | y_true [N,C] float32; y_pred [N,C] float32 | per_sample [N] (mean over the last axis); mean [] |

Expected values are float32 (the dtype Keras returned). mean is the loss class with its default reduction
"sum_over_batch_size" (sum of per_sample / N) and no sample weights.

Case ids:
- categorical/probabilities/{ls0,ls0.1}: exact 0 and 1, p = 0 on the true class, rows that do not sum to 1 (one
  summing to 3e-8: Keras normalises, then clips), a soft y_true row.
- categorical/logits/{ls0,ls0.1}: includes logits +-100.
- sparse_categorical/probabilities (same y_pred as categorical/probabilities), sparse_categorical/logits.
- binary/probabilities/{ls0,ls0.1}: exact 0 and 1, soft targets; binary/probabilities/saturated: (y=1, p=0) and
  (y=0, p=1), expected 16.118096 / 15.942385; binary/logits/{ls0,ls0.1}: includes +-100.
- worked/categorical/model1, worked/categorical/model2: REFERENCE_SEMANTICS three-class example (sklearn log_loss
  1.3783888522474517 and 0.6391075640678003 in float64).
- worked/sparse_categorical/two_models: target class 0, predictions (0.5, 0.2, 0.3) and (0.7, 0.1, 0.2).
- worked/binary/logits and worked/binary/probabilities: REFERENCE_SEMANTICS multi-label example (y_pred = torch.sigmoid(z)
  in float32 for the probability case).
"""

import os

os.environ["KERAS_BACKEND"] = "torch"  # before keras is imported

import keras  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

LIBRARIES = ("torch", "keras")

assert keras.backend.backend() == "torch", keras.backend.backend()
assert keras.backend.floatx() == "float32"
assert keras.backend.epsilon() == 1e-7

FUNCS = {
    "keras_categorical_crossentropy": ("categorical_crossentropy", "CategoricalCrossentropy", True),
    "keras_sparse_categorical_crossentropy": ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy",
                                              False),
    "keras_binary_crossentropy": ("binary_crossentropy", "BinaryCrossentropy", True),
}


def f32(rows):
    return np.array(rows, dtype=np.float32)


def as_f32(value):
    arr = value.detach().cpu().numpy() if isinstance(value, torch.Tensor) else np.asarray(value)
    assert arr.dtype == np.float32, arr.dtype
    return arr


def add(golden, id, op, y_true, y_pred, from_logits, label_smoothing=None):
    fn_name, cls_name, has_ls = FUNCS[op]
    kwargs = {"from_logits": from_logits}
    if has_ls:
        kwargs["label_smoothing"] = label_smoothing
    else:
        assert label_smoothing is None
    per_sample = as_f32(getattr(keras.losses, fn_name)(y_true, y_pred, **kwargs))
    mean = as_f32(getattr(keras.losses, cls_name)(**kwargs)(y_true, y_pred))
    assert per_sample.shape == (y_pred.shape[0],) and mean.shape == ()
    # sum_over_batch_size: sum / N (float32), so it agrees with the per-sample values
    assert abs(float(mean) - float(per_sample.astype(np.float64).mean())) <= 1e-6 * max(1.0, abs(float(mean)))

    args = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    reference = (f"per_sample = keras.losses.{fn_name}(y_true, y_pred, {args}); "
                 f"mean = keras.losses.{cls_name}({args})(y_true, y_pred); "
                 f"float32 numpy inputs, KERAS_BACKEND=torch, computed in float32")
    golden.add_case(id, op, reference, dict(kwargs), {"y_true": y_true, "y_pred": y_pred},
                    {"per_sample": per_sample, "mean": mean})
    return per_sample, mean


# C = 4 probability rows: a normal row, p = 0 on the true class, exact 1 on the true class, rows not summing to 1
# (one summing to 3e-8, which tells normalise-then-clip from clip-then-normalise)
CAT_PROBS = f32([
    [0.7, 0.1, 0.1, 0.1],
    [0.0, 0.5, 0.5, 0.0],
    [1.0, 0.0, 0.0, 0.0],
    [0.2, 0.4, 0.6, 0.8],
    [0.1, 0.1, 0.05, 0.05],
    [1e-8, 2e-8, 0.0, 0.0],  # tiny row: normalise-then-clip gives -log(1/3), clip-then-normalise would give -log(1/2)
])
CAT_LABELS = np.array([0, 0, 0, 3, 2, 0], dtype=np.int64)


def cat_true(labels, soft_row=None):
    y = np.eye(4, dtype=np.float32)[labels]
    if soft_row is not None:
        y[soft_row] = [0.25, 0.25, 0.5, 0.0]
    return y


def cat_logits():
    x = np.random.default_rng(301).normal(0.0, 2.0, size=(6, 4))
    x[0] = [100.0, -100.0, 0.0, 50.0]
    x[1] = [-100.0, 100.0, 0.0, 50.0]
    return x.astype(np.float32)


def build(golden):
    cat = "keras_categorical_crossentropy"
    sparse = "keras_sparse_categorical_crossentropy"
    binary = "keras_binary_crossentropy"

    y_cat = cat_true(CAT_LABELS, soft_row=4)
    for ls in (0.0, 0.1):
        add(golden, f"categorical/probabilities/ls{ls:g}", cat, y_cat, CAT_PROBS, False, ls)
    logits = cat_logits()
    for ls in (0.0, 0.1):
        add(golden, f"categorical/logits/ls{ls:g}", cat, y_cat, logits, True, ls)

    add(golden, "sparse_categorical/probabilities", sparse, CAT_LABELS, CAT_PROBS, False)
    add(golden, "sparse_categorical/logits", sparse, CAT_LABELS, logits, True)

    rng = np.random.default_rng(311)
    bp = np.empty((4, 3))
    bt = np.empty((4, 3))
    bp[0], bt[0] = [0.0, 1.0, 0.5], [1.0, 0.0, 1.0]  # y=1,p=0 and y=0,p=1
    bp[1], bt[1] = [1.0, 0.0, 0.3], [1.0, 0.0, 0.5]  # exact and right
    bp[2], bt[2] = rng.uniform(0.0, 1.0, size=3), rng.integers(0, 2, size=3)
    bp[3], bt[3] = rng.uniform(0.0, 1.0, size=3), rng.uniform(0.0, 1.0, size=3)
    bp, bt = bp.astype(np.float32), bt.astype(np.float32)
    for ls in (0.0, 0.1):
        add(golden, f"binary/probabilities/ls{ls:g}", binary, bt, bp, False, ls)

    per_sample, _ = add(golden, "binary/probabilities/saturated", binary, f32([[1.0], [0.0]]), f32([[0.0], [1.0]]),
                        False, 0.0)
    saturated = [float(v) for v in per_sample]

    bl = rng.normal(0.0, 3.0, size=(4, 3))
    bl[0] = [100.0, -100.0, 0.0]
    bl = bl.astype(np.float32)
    for ls in (0.0, 0.1):
        add(golden, f"binary/logits/ls{ls:g}", binary, bt, bl, True, ls)

    # worked examples
    y3 = f32([[0, 0, 1], [0, 1, 0], [1, 0, 0]])
    add(golden, "worked/categorical/model1", cat, y3, f32([[.3, .3, .4], [.3, .4, .3], [.1, .2, .7]]), False, 0.0)
    add(golden, "worked/categorical/model2", cat, y3, f32([[.1, .2, .7], [.1, .7, .2], [.3, .4, .3]]), False, 0.0)
    add(golden, "worked/sparse_categorical/two_models", sparse, np.array([0, 0], dtype=np.int64),
        f32([[0.5, 0.2, 0.3], [0.7, 0.1, 0.2]]), False)
    z = f32([[-0.8858, 0.3241, 0.9456], [1.4887, 1.8076, -0.0565], [-1.6529, -1.8539, 0.6756]])
    yz = f32([[0, 1, 1], [1, 1, 1], [0, 0, 0]])
    add(golden, "worked/binary/logits", binary, yz, z, True, 0.0)
    add(golden, "worked/binary/probabilities", binary, yz, torch.sigmoid(torch.from_numpy(z)).numpy(), False, 0.0)

    # REFERENCE_SEMANTICS: Keras 3 float32 (y=1, p=0) / (y=0, p=1) = 16.118096 / 15.942385
    if not (abs(saturated[0] - 16.118096) < 5e-6 and abs(saturated[1] - 15.942385) < 5e-6):
        print(f"NOTE losses_keras: saturated binary cross-entropy is {saturated}, "
              f"REFERENCE_SEMANTICS says [16.118096, 15.942385]")
