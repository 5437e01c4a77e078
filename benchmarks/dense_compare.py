"""Dense outputs side by side (issue 25): PyTorch 2.13 on one thread over the same image as
`DenseBenchmarks` (JMH): [1, 21, 520, 520] float32 logits, 520 x 520 labels with 255 on 5 % of the pixels.

    OMP_NUM_THREADS=1 testdata/generate/.venv/bin/python benchmarks/dense_compare.py

Lines: F.cross_entropy(ignore_index=255) (mean); argmax over the class axis plus the confusion matrix by bincount (what
a torchmetrics-free evaluation loop does); and a tensor copy of the same bytes (the floor). Best of 20, milliseconds.
"""

import time

import numpy as np
import torch
import torch.nn.functional as F


def best_of(fn, repeats=20):
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times) * 1e3


def main():
    torch.set_num_threads(1)
    rng = np.random.default_rng(25)
    classes, side = 21, 520
    p = side * side
    hot = rng.integers(0, classes, p)
    logits = rng.normal(size=(classes, p)).astype(np.float32)
    logits[hot, np.arange(p)] += 4.0
    labels = np.where(rng.random(p) < 0.8, hot, rng.integers(0, classes, p))
    labels[rng.random(p) < 0.05] = 255
    x = torch.from_numpy(logits.reshape(1, classes, side, side)).contiguous()
    y = torch.from_numpy(labels.reshape(1, side, side).astype(np.int64))
    out = torch.empty_like(x)

    def confusion():
        pred = x.argmax(dim=1)
        keep = y != 255
        return torch.bincount(y[keep] * classes + pred[keep], minlength=classes * classes)

    print(f"torch {torch.__version__}, 1 thread; [1, {classes}, {side}, {side}] float32; best of 20, ms")
    print(f"cross_entropy         {best_of(lambda: F.cross_entropy(x, y, ignore_index=255)):8.3f}")
    print(f"argmax + bincount     {best_of(confusion):8.3f}")
    print(f"copy (floor)          {best_of(lambda: out.copy_(x)):8.3f}")


if __name__ == "__main__":
    main()
