"""dense.json: dense outputs (issue 25): heads and losses along the class axis (PyTorch), dataset-level segmentation and
token metrics (scikit-learn on the flattened labelled positions), entity-level metrics (seqeval).

seqeval is not on the package mirror: its source comes from github chakki-works/seqeval @ cd01b52 (v1.2.2 and four
CI commits) on PYTHONPATH:

    PYTHONPATH=<seqeval> .venv/bin/python generate.py dense

| op | params | inputs | expected |
| --- | --- | --- | --- |
| softmax_dense / log_softmax_dense | class_axis ("first": [N, C, d..], "last": [N, d.., C]) | x float32 logits of that shape | y float64 = torch.(log_)softmax(x.double(), dim=class axis) |
| topk_dense | class_axis, k | x float32 logits | indices int64 and values float32 [N, d.., k] = torch.topk(x, k, dim=class axis), moved last |
| cross_entropy_dense | class_axis, weight ([C] or null), ignore_index, label_smoothing, reduction | x float32 logits; target int64 [N, d..] | loss = F.cross_entropy(x.double() with the class axis at 1, target, ...): [N, d..] for none, [] otherwise |
| nll_loss_dense | class_axis, ignore_index, reduction | x float32 log-probabilities (float32 log_softmax); target | loss = F.nll_loss(x.double() ...) |
| bce_with_logits_dense | class_axis, weight, pos_weight ([C] or null, along the class axis), reduction | x float32 logits; target float32 0/1 (one soft) of the same shape | loss = F.binary_cross_entropy_with_logits(x.double(), y.double(), weight/pos_weight viewed [C, 1, ..] (class first) or [C] (last), reduction) |
| segmentation_metrics | class_axis, ignore_index, include_background | x float32 logits; target int64 [N, d..] | predicted (argmax, first maximum), confusion (sklearn confusion_matrix over labels 0..C-1 of the labelled positions), accuracy, per_class_iou (jaccard_score(average=None) over the present labels, NaN for absent classes), mean_iou (jaccard macro), frequency_weighted_iou (jaccard weighted), per_class_dice (f1_score None), mean_dice (f1 macro), macro_precision, macro_recall, per_class_precision, per_class_recall (precision/recall_score, zero_division=0), weighted_f1 |
| per_image_segmentation | include_background | x float32 logits [N, C, H, W]; target int64 [N, H, W] | mean_iou, per_class_iou (MeanIoU per_class; NaN where torchmetrics writes -1 or for the background left out), {samplewise,global}_dice_{micro,macro,weighted,none} (DiceScore), generalized_dice_{square,simple,linear}[_per_class] (GeneralizedDiceScore, one image an update) |
| entity_metrics | tags, ignore_index, types (the entity types seqeval reports, sorted: the rows of per_type) | predicted, labels int64 [S, T] tag ids (-100 where no word) | precision, recall, f1 (seqeval micro), macro_f1, weighted_f1, per_type [types x (precision, recall, f1, support)], support |

The present labels are sorted(set(labels) | set(predictions)) over the labelled positions, minus 0 when the
background is excluded: scikit-learn's own default label set.
"""

import math

import numpy as np
import torch
import torch.nn.functional as F

import suite_metrics  # noqa: F401 - loads torchmetrics without torchvision's extension, before its version is read

LIBRARIES = ("torch", "sklearn", "torchmetrics")

SEQEVAL = ("chakki-works/seqeval", "cd01b5210eaa65e691c22320aba56f2be9e9fc43", "1.2.2")


def _logits(seed, shape, scale=2.0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=shape) * scale).astype(np.float32)


def _to_first(x, axis):
    """The tensor with the class axis at 1 (PyTorch's K-dimensional convention)."""
    t = torch.from_numpy(x)
    if axis == "first":
        return t
    return t.movedim(-1, 1)


def _targets(seed, n_classes, shape, ignore, share):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_classes, size=shape).astype(np.int64)
    mask = rng.random(shape) < share
    y[mask] = ignore
    return y


def heads(golden):
    for axis, shape in (("first", (2, 5, 3, 4)), ("last", (3, 6, 7)), ("first", (2, 4, 9))):
        x = _logits(11, shape)
        x.flat[3] = 30.0                       # a large logit
        dim = 1 if axis == "first" else -1
        tag = f"{axis}_{'x'.join(map(str, shape))}"
        for op, fn in (("softmax_dense", torch.softmax), ("log_softmax_dense", torch.log_softmax)):
            y = fn(torch.from_numpy(x).double(), dim=dim).numpy()
            golden.add_case(f"{op}/{tag}", op, f"torch.{op.split('_dense')[0]}(x.double(), dim={dim})",
                            {"class_axis": axis}, {"x": x}, {"y": y})


def topk(golden):
    """torch.topk along the class axis, the k classes moved to the last axis ([N, d.., k]); no ties in the data."""
    for axis, shape, k in (("first", (2, 7, 3, 5), 3), ("last", (3, 4, 9), 2), ("first", (1, 30, 40), 5)):
        x = _logits(21, shape)
        dim = 1 if axis == "first" else -1
        values, indices = torch.topk(torch.from_numpy(x), k, dim=dim, largest=True, sorted=True)
        if axis == "first":
            values, indices = values.movedim(1, -1), indices.movedim(1, -1)
        golden.add_case(f"topk_dense/{axis}_{'x'.join(map(str, shape))}_k{k}", "topk_dense",
                        f"torch.topk(x, {k}, dim={dim}) (values and indices moved to the last axis)",
                        {"class_axis": axis, "k": k}, {"x": x},
                        {"indices": indices.numpy().astype(np.int64), "values": values.numpy()})


def losses(golden):
    cases = [("first", (2, 5, 6, 7)), ("last", (3, 8, 6)), ("first", (2, 4, 10))]
    for axis, shape in cases:
        x = _logits(21, shape)
        c = shape[1] if axis == "first" else shape[-1]
        target_shape = (shape[0],) + (shape[2:] if axis == "first" else shape[1:-1])
        tag = f"{axis}_{'x'.join(map(str, shape))}"
        weight = [0.5 + 0.25 * i for i in range(c)]
        for ignore in (-100, 255):
            y = _targets(22, c, target_shape, ignore, 0.2)
            for w in (None, weight):
                for ls in (0.0, 0.1):
                    for reduction in ("mean", "sum", "none"):
                        wt = None if w is None else torch.tensor(w, dtype=torch.float64)
                        loss = F.cross_entropy(_to_first(x, axis).double(), torch.from_numpy(y), weight=wt,
                                               ignore_index=ignore, label_smoothing=ls, reduction=reduction)
                        golden.add_case(f"cross_entropy_dense/{tag}/ignore{ignore}/{'w' if w else 'u'}/ls{ls}/"
                                        f"{reduction}", "cross_entropy_dense",
                                        "F.cross_entropy(x.double() (class axis moved to 1), target, weight,"
                                        " ignore_index, label_smoothing, reduction)",
                                        {"class_axis": axis, "weight": w, "ignore_index": ignore,
                                         "label_smoothing": ls, "reduction": reduction},
                                        {"x": x, "target": y}, {"loss": loss.numpy()})
        lp = torch.log_softmax(torch.from_numpy(x), dim=1 if axis == "first" else -1).numpy()
        y = _targets(23, c, target_shape, -100, 0.1)
        for reduction in ("mean", "none"):
            loss = F.nll_loss(_to_first(lp, axis).double(), torch.from_numpy(y), reduction=reduction)
            golden.add_case(f"nll_loss_dense/{tag}/{reduction}", "nll_loss_dense",
                            "F.nll_loss(x.double() (class axis moved to 1), target, reduction)",
                            {"class_axis": axis, "ignore_index": -100, "reduction": reduction},
                            {"x": lp, "target": y}, {"loss": loss.numpy()})
    # everything ignored: mean NaN, sum 0
    x = _logits(24, (1, 3, 2, 2))
    y = np.full((1, 2, 2), -100, dtype=np.int64)
    for reduction in ("mean", "sum"):
        loss = F.cross_entropy(torch.from_numpy(x).double(), torch.from_numpy(y), reduction=reduction)
        golden.add_case(f"cross_entropy_dense/all_ignored/{reduction}", "cross_entropy_dense",
                        "F.cross_entropy on targets all ignore_index",
                        {"class_axis": "first", "weight": None, "ignore_index": -100, "label_smoothing": 0.0,
                         "reduction": reduction}, {"x": x, "target": y}, {"loss": loss.numpy()})


def masks(golden):
    """BCE-with-logits on dense masks: weight and pos_weight per class, broadcast along the class axis."""
    for axis, shape in (("first", (2, 3, 5, 4)), ("last", (2, 6, 4))):
        x = _logits(81, shape, scale=3.0)
        x.flat[0] = 60.0
        rng = np.random.default_rng(82)
        y = (rng.random(shape) < 0.4).astype(np.float32)
        y.flat[1] = 0.25                               # a soft target
        c = shape[1] if axis == "first" else shape[-1]
        view = (c,) + (1,) * (len(shape) - 2) if axis == "first" else (c,)
        w = [0.5 + 0.5 * i for i in range(c)]
        pw = [2.0 - 0.25 * i for i in range(c)]
        for weighted in (False, True):
            for reduction in ("mean", "sum", "none"):
                kw = {}
                if weighted:
                    kw = {"weight": torch.tensor(w, dtype=torch.float64).view(view),
                          "pos_weight": torch.tensor(pw, dtype=torch.float64).view(view)}
                loss = F.binary_cross_entropy_with_logits(torch.from_numpy(x).double(), torch.from_numpy(y).double(),
                                                          reduction=reduction, **kw)
                golden.add_case(f"bce_with_logits_dense/{axis}/{'w' if weighted else 'u'}/{reduction}",
                                "bce_with_logits_dense", "F.binary_cross_entropy_with_logits(x.double(), y.double(),"
                                " weight and pos_weight viewed along the class axis, reduction)",
                                {"class_axis": axis, "weight": w if weighted else None,
                                 "pos_weight": pw if weighted else None, "reduction": reduction},
                                {"x": x, "target": y}, {"loss": loss.numpy()})


def segmentation(golden):
    from sklearn.metrics import (accuracy_score, confusion_matrix, f1_score, jaccard_score, precision_score,
                                 recall_score)

    cases = [("first", (3, 6, 9, 11), 255, True, 0.15), ("first", (3, 6, 9, 11), 255, False, 0.15),
             ("last", (4, 12, 7), -100, True, 0.3), ("first", (2, 8, 5, 6), -100, True, 0.0)]
    for k, (axis, shape, ignore, background, share) in enumerate(cases):
        x = _logits(31 + k, shape, scale=1.0)
        c = shape[1] if axis == "first" else shape[-1]
        # a class decided nowhere and labelled nowhere (NaN), one only labelled, ties in the logits
        t = _to_first(x, axis).clone()
        t[:, c - 1] = -9.0
        if k == 3:
            t[:, 2] = t[:, 1]                  # exact ties: the first maximum wins
        x = (t if axis == "first" else t.movedim(1, -1)).contiguous().numpy()
        target_shape = (shape[0],) + (shape[2:] if axis == "first" else shape[1:-1])
        y = _targets(41 + k, c - 1, target_shape, ignore, share)
        y[y == c - 2] = c - 3 if k == 0 else y[y == c - 2]
        pred = torch.argmax(_to_first(x, axis), dim=1).numpy()
        keep = y.reshape(-1) != ignore
        yt = y.reshape(-1)[keep]
        yp = pred.reshape(-1)[keep]
        labels = sorted(set(yt.tolist()) | set(yp.tolist()))
        if not background:
            labels = [l for l in labels if l != 0]
        iou = np.full(c, np.nan)
        iou[labels] = jaccard_score(yt, yp, labels=labels, average=None, zero_division=0)
        dice = np.full(c, np.nan)
        dice[labels] = f1_score(yt, yp, labels=labels, average=None, zero_division=0)
        prec = np.full(c, np.nan)
        prec[labels] = precision_score(yt, yp, labels=labels, average=None, zero_division=0)
        rec = np.full(c, np.nan)
        rec[labels] = recall_score(yt, yp, labels=labels, average=None, zero_division=0)
        present = sorted(set(yt.tolist()) | set(yp.tolist()))
        if not background and 0 in present:    # class 0's own values are reported either way
            iou[0] = jaccard_score(yt, yp, labels=[0], average=None, zero_division=0)[0]
            dice[0] = f1_score(yt, yp, labels=[0], average=None, zero_division=0)[0]
            prec[0] = precision_score(yt, yp, labels=[0], average=None, zero_division=0)[0]
            rec[0] = recall_score(yt, yp, labels=[0], average=None, zero_division=0)[0]
        expected = {
            "predicted": pred.astype(np.int64),
            "confusion": confusion_matrix(yt, yp, labels=list(range(c))).astype(np.int64),
            "accuracy": float(accuracy_score(yt, yp)),
            "per_class_iou": iou, "mean_iou": float(jaccard_score(yt, yp, labels=labels, average="macro")),
            "frequency_weighted_iou": float(jaccard_score(yt, yp, labels=labels, average="weighted",
                                                          zero_division=0)),
            "per_class_dice": dice, "mean_dice": float(f1_score(yt, yp, labels=labels, average="macro")),
            "macro_precision": float(precision_score(yt, yp, labels=labels, average="macro", zero_division=0)),
            "macro_recall": float(recall_score(yt, yp, labels=labels, average="macro", zero_division=0)),
            "per_class_precision": prec, "per_class_recall": rec,
            "weighted_f1": float(f1_score(yt, yp, labels=labels, average="weighted", zero_division=0)),
        }
        golden.add_case(f"segmentation_metrics/{k}_{axis}_ignore{ignore}_{'bg' if background else 'nobg'}",
                        "segmentation_metrics", "scikit-learn on the labelled positions of torch.argmax(x, class axis)"
                        " (jaccard_score, f1_score, precision_score, recall_score, accuracy_score, confusion_matrix)",
                        {"class_axis": axis, "ignore_index": ignore, "include_background": background},
                        {"x": x, "target": y}, expected)


def per_image(golden):
    """torchmetrics 1.9's per-image forms on decided masks (no ignored positions: torchmetrics has no ignore index)."""
    tm = suite_metrics.torchmetrics
    from torchmetrics.segmentation import DiceScore, GeneralizedDiceScore, MeanIoU

    for k, (classes, shape, background) in enumerate(((5, (4, 12, 10), True), (5, (4, 12, 10), False),
                                                        (3, (6, 7, 9), True))):
        rng = np.random.default_rng(61 + k)
        target = rng.integers(0, classes, size=shape)
        target[0][target[0] == classes - 1] = 0          # a class absent from one image's labels
        logits = _logits(71 + k, (shape[0], classes) + shape[1:], scale=1.0)
        # the decisions lean to the labels
        onehot = np.moveaxis(np.eye(classes, dtype=np.float32)[target], -1, 1)
        logits = logits + 1.5 * onehot
        logits[1, 2] = -9.0                              # a class decided nowhere in image 1
        pred = torch.argmax(torch.from_numpy(logits), dim=1)
        t = torch.from_numpy(target)
        expected = {}
        for per_class in (False, True):
            m = MeanIoU(num_classes=classes, include_background=background, per_class=per_class,
                        input_format="index").double()
            m.update(pred, t)
            v = m.compute().double().numpy()
            if per_class:
                full = np.full(classes, np.nan)
                full[0 if background else 1:] = np.where(v == -1.0, np.nan, v)
                expected["per_class_iou"] = full
            else:
                expected["mean_iou"] = float(v)
        for level in ("samplewise", "global"):
            for average in ("micro", "macro", "weighted", "none"):
                d = DiceScore(num_classes=classes, include_background=background, average=average,
                              input_format="index", aggregation_level=level)
                d.update(pred, t)
                v = d.compute().double().numpy()
                if average == "none":
                    full = np.full(classes, np.nan)
                    full[0 if background else 1:] = v
                    expected[f"{level}_dice_none"] = full
                else:
                    expected[f"{level}_dice_{average}"] = float(v)
        # GeneralizedDiceScore one image an update: with several images in one update, torchmetrics gives a class
        # absent from an image's labels (an infinite weight) a weight taken from the batch's other images through a
        # transposed index, so its result depends on how the images are batched; one at a time it is per image
        for weight in ("square", "simple", "linear"):
            for per_class in (False, True):
                g = GeneralizedDiceScore(num_classes=classes, include_background=background, per_class=per_class,
                                         weight_type=weight, input_format="index")
                for i in range(shape[0]):
                    g.update(pred[i:i + 1], t[i:i + 1])
                v = g.compute().double().numpy()
                if per_class:
                    full = np.full(classes, np.nan)
                    full[0 if background else 1:] = v
                    expected[f"generalized_dice_{weight}_per_class"] = full
                else:
                    expected[f"generalized_dice_{weight}"] = float(v)
        golden.add_case(f"per_image_segmentation/{k}_{'bg' if background else 'nobg'}", "per_image_segmentation",
                        f"torchmetrics {tm.__version__} segmentation.MeanIoU(per_class False/True), DiceScore"
                        "(average micro/macro/weighted/none, aggregation_level samplewise/global) and"
                        " GeneralizedDiceScore(weight_type square/simple/linear, per_class False/True; updated one"
                        " image at a time), input_format='index', on torch.argmax(logits, 1)",
                        {"include_background": background},
                        {"x": logits, "target": target.astype(np.int64)}, expected)


def entities(golden):
    from seqeval.metrics import classification_report, f1_score, precision_score, recall_score

    schemes = {
        "iob2": ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-MISC", "I-MISC"],
        "iobes": ["O", "B-PER", "I-PER", "E-PER", "S-PER", "B-ORG", "I-ORG", "E-ORG", "S-ORG"],
    }
    for k, (name, tags) in enumerate(schemes.items()):
        rng = np.random.default_rng(51 + k)
        sentences, tokens = 40, 16
        labels = np.full((sentences, tokens), -100, dtype=np.int64)
        predicted = np.zeros((sentences, tokens), dtype=np.int64)
        for s in range(sentences):
            length = int(rng.integers(3, tokens + 1))
            for t in range(length):
                labels[s, t] = rng.integers(0, len(tags)) if rng.random() < 0.5 else 0
            predicted[s] = np.where(rng.random(tokens) < 0.7, np.maximum(labels[s], 0),
                                    rng.integers(0, len(tags), tokens))
            # sub-word positions inside a sentence, ignored like the transformers examples
            labels[s, rng.random(tokens) < 0.1] = -100
        y_true, y_pred = [], []
        for s in range(sentences):
            keep = labels[s] != -100
            y_true.append([tags[i] for i in labels[s][keep]])
            y_pred.append([tags[i] for i in predicted[s][keep]])
        report = classification_report(y_true, y_pred, output_dict=True, zero_division=0)
        per_type = {t: {"precision": float(v["precision"]), "recall": float(v["recall"]),
                        "f1": float(v["f1-score"]), "support": int(v["support"])}
                    for t, v in report.items() if t not in ("micro avg", "macro avg", "weighted avg")}
        expected = {
            "precision": float(precision_score(y_true, y_pred)),
            "recall": float(recall_score(y_true, y_pred)),
            "f1": float(f1_score(y_true, y_pred)),
            "macro_f1": float(f1_score(y_true, y_pred, average="macro")),
            "weighted_f1": float(f1_score(y_true, y_pred, average="weighted")),
            "support": int(report["micro avg"]["support"]),
            "per_type": np.array([[per_type[t]["precision"], per_type[t]["recall"], per_type[t]["f1"], per_type[t]["support"]]
                         for t in sorted(per_type)], dtype=np.float64),
        }
        golden.add_case(f"entity_metrics/{name}", "entity_metrics",
                        f"seqeval {SEQEVAL[2]} (github {SEQEVAL[0]} @ {SEQEVAL[1]}): precision_score, recall_score,"
                        " f1_score (micro, macro, weighted), classification_report, default (conlleval) mode, on each"
                        " sentence's word tags (positions labelled -100 dropped)",
                        {"tags": tags, "ignore_index": -100, "types": sorted(per_type)},
                        {"predicted": predicted, "labels": labels}, expected)


def build(golden):
    heads(golden)
    topk(golden)
    losses(golden)
    masks(golden)
    segmentation(golden)
    per_image(golden)
    entities(golden)
