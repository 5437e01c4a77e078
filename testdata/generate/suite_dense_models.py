"""dense_models.json: small real dense models (issue 25), exported from PyTorch 2.13 with both exporters, the data
they are evaluated on, and what onnxruntime, PyTorch, scikit-learn, torchmetrics and seqeval make of their outputs.

Models (random weights from fixed seeds; labels made from each model's own decisions with 15 % of the positions
changed and the rest left, so that the metrics mean something):
- seg_fcn_tiny.onnx (torch.export exporter) and seg_fcn_tiny_legacy.onnx (TorchScript exporter, opset 17): a
  torchvision-style FCN, a two-conv backbone at stride 4, torchvision's FCNHead (3x3 conv, batch norm, ReLU, dropout,
  1x1 conv to 21 classes) and a bilinear resize back to the input, output "out" [N, 21, 64, 64] logits as torchvision
  segmentation models return it; data seg_test_x.npy [8, 3, 64, 64] float32, seg_test_y.npy [8, 64, 64] int64 with
  VOC's 255 on a 2-pixel border and on 3 % of the pixels.
- seg_segformer_tiny.onnx (torch.export): a SegFormer-style model, a 4x4 stride-4 patch embedding, two 1x1 "MLP"
  layers with GELU and a 1x1 classifier, output "logits" [N, 150, 16, 16] at a quarter of the input's side, as
  SegformerForSemanticSegmentation returns it; labels seg_test_y4.npy [8, 16, 16] at that resolution (no ignored).
- ner_bert_tiny.onnx (torch.export) and ner_bert_tiny_legacy.onnx (TorchScript, opset 17): a BERT-style token
  classifier, token and position embeddings, one self-attention block with the attention mask, a feed-forward block,
  and a linear layer to 9 IOB2 tags, output "logits" [N, 24, 9] (the class axis last, as transformers emit); inputs
  input_ids and attention_mask int64 [N, 24]; metadata id2label (JSON) as transformers' config holds it; data
  ner_test_ids.npy, ner_test_mask.npy [16, 24] and ner_test_y.npy [16, 24] with -100 on [CLS], [SEP], padding and
  the later sub-words of a word.

| op | params | inputs | expected |
| --- | --- | --- | --- |
| dense_model | model, output, class_axis ("first" or "last"), evidence_op (the last op before the output that fixes the class axis), ignore_index, data (input name to a file in ../data, "y" to the labels), tags (token models: the tag names) | none | raw_head (onnxruntime's first sample, float32, its first 4 positions of every class), loss (F.cross_entropy over all samples in float64, ignore_index, mean), ece (torchmetrics' _ce_compute, 15 bins, l1, on the float64 softmax's highest probability and whether its class is the label, over the labelled positions), accuracy, mean_iou, per_class_iou, frequency_weighted_iou, mean_dice (scikit-learn on the labelled positions, as dense.json), and for token models entity_precision, entity_recall, entity_f1 (seqeval micro) |
"""

import json
import os

import numpy as np
import onnx
import onnxruntime as ort
import torch
import torch.nn as nn
import torch.nn.functional as F

import suite_metrics  # noqa: F401 - loads torchmetrics without torchvision's extension, before its version is read
import suite_models as smod

LIBRARIES = ("torch", "sklearn", "torchmetrics", "onnx", "onnxruntime")

SEQEVAL = "seqeval 1.2.2 (github chakki-works/seqeval @ cd01b5210eaa65e691c22320aba56f2be9e9fc43)"
TAGS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]


class FcnTiny(nn.Module):
    """torchvision's FCN layout at toy size: backbone, FCNHead, bilinear resize to the input, {"out": ...}."""

    def __init__(self, classes=21):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
                                      nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU())
        self.head = nn.Sequential(nn.Conv2d(32, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
                                  nn.Dropout(0.1), nn.Conv2d(16, classes, 1))

    def forward(self, x):
        size = x.shape[-2:]
        y = self.head(self.backbone(x))
        return F.interpolate(y, size=size, mode="bilinear", align_corners=False)


class SegformerTiny(nn.Module):
    def __init__(self, classes=150):
        super().__init__()
        self.embed = nn.Conv2d(3, 32, 4, stride=4)
        self.mlp = nn.Sequential(nn.Conv2d(32, 64, 1), nn.GELU(), nn.Conv2d(64, 32, 1), nn.GELU())
        self.classifier = nn.Conv2d(32, classes, 1)

    def forward(self, x):
        e = self.embed(x)
        return self.classifier(e + self.mlp(e))


class BertTiny(nn.Module):
    def __init__(self, vocab=64, t=24, d=32, classes=9):
        super().__init__()
        self.tokens = nn.Embedding(vocab, d)
        self.positions = nn.Embedding(t, d)
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)
        self.v = nn.Linear(d, d)
        self.o = nn.Linear(d, d)
        self.norm1 = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 64), nn.GELU(), nn.Linear(64, d))
        self.norm2 = nn.LayerNorm(d)
        self.classifier = nn.Linear(d, classes)
        self.d = d

    def forward(self, input_ids, attention_mask):
        t = input_ids.shape[1]
        h = self.tokens(input_ids) + self.positions(torch.arange(t).unsqueeze(0))
        scores = self.q(h) @ self.k(h).transpose(1, 2) / (self.d ** 0.5)
        scores = scores + (1.0 - attention_mask[:, None, :].to(scores.dtype)) * -10000.0
        h = self.norm1(h + self.o(torch.softmax(scores, dim=-1) @ self.v(h)))
        h = self.norm2(h + self.ff(h))
        return self.classifier(h)


def export_legacy(module, examples, input_names, output_names):
    import io as _io
    module.eval()
    buf = _io.BytesIO()
    axes = {n: {0: "batch"} for n in input_names + output_names}
    with smod.quiet():
        torch.onnx.export(module, tuple(examples), buf, dynamo=False, opset_version=17, input_names=input_names,
                          output_names=output_names, dynamic_axes=axes)
    return smod.strip(onnx.load_from_string(buf.getvalue()))


def run(path, feeds):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    return session.run(None, feeds)[0]


def noisy_labels(rng, decided, classes, share=0.15):
    y = decided.copy()
    change = rng.random(y.shape) < share
    y[change] = rng.integers(0, classes, size=int(change.sum()))
    return y


def segmentation_expected(raw, y, ignore, class_axis_first=True):
    from sklearn.metrics import accuracy_score, f1_score, jaccard_score
    from torchmetrics.functional.classification.calibration_error import _ce_compute

    x = torch.from_numpy(raw).double()
    if not class_axis_first:
        x = x.movedim(-1, 1)
    loss = float(F.cross_entropy(x, torch.from_numpy(y), ignore_index=ignore))
    conf, decided = torch.softmax(x, dim=1).max(dim=1)
    labelled = torch.from_numpy(y) != ignore
    ece = float(_ce_compute(conf[labelled], (decided[labelled] == torch.from_numpy(y)[labelled]).double(), 15,
                            norm="l1"))
    pred = torch.argmax(torch.from_numpy(raw if class_axis_first else np.moveaxis(raw, -1, 1)), dim=1).numpy()
    keep = y.reshape(-1) != ignore
    yt = y.reshape(-1)[keep]
    yp = pred.reshape(-1)[keep]
    labels = sorted(set(yt.tolist()) | set(yp.tolist()))
    c = x.shape[1]
    iou = np.full(c, np.nan)
    iou[labels] = jaccard_score(yt, yp, labels=labels, average=None, zero_division=0)
    return pred, {
        "loss": loss,
        "ece": ece,
        "accuracy": float(accuracy_score(yt, yp)),
        "mean_iou": float(jaccard_score(yt, yp, labels=labels, average="macro")),
        "per_class_iou": iou,
        "frequency_weighted_iou": float(jaccard_score(yt, yp, labels=labels, average="weighted", zero_division=0)),
        "mean_dice": float(f1_score(yt, yp, labels=labels, average="macro")),
    }


def head_of(raw, first):
    """The first sample's first 4 positions of every class, as [C, 4]."""
    if first:
        flat = raw[0].reshape(raw.shape[1], -1)
        return flat[:, :4].copy()
    flat = raw[0].reshape(-1, raw.shape[-1])
    return flat[:4, :].T.copy()


def segmentation_models(golden):
    rng = np.random.default_rng(2501)
    x = rng.normal(size=(8, 3, 64, 64)).astype(np.float32)
    smod.save_npy("seg_test_x.npy", x, np.float32)
    with smod.seeded(2502):
        fcn = FcnTiny().eval()
        with torch.no_grad():
            fcn.head[1].running_mean.uniform_(-0.2, 0.2)
            fcn.head[1].running_var.uniform_(0.5, 1.5)
    example = torch.from_numpy(x[:2])
    smod.save_model("seg_fcn_tiny.onnx", smod.export_dynamo(fcn, [example], ["pixels"], ["out"]))
    smod.save_model("seg_fcn_tiny_legacy.onnx", export_legacy(fcn, [example], ["pixels"], ["out"]))
    raw = run(os.path.join(smod.MODELS_DIR, "seg_fcn_tiny.onnx"), {"pixels": x})
    legacy = run(os.path.join(smod.MODELS_DIR, "seg_fcn_tiny_legacy.onnx"), {"pixels": x})
    with torch.no_grad():
        reference = fcn(torch.from_numpy(x)).numpy()
    assert np.allclose(raw, reference, atol=1e-4), np.abs(raw - reference).max()
    assert np.allclose(legacy, reference, atol=1e-4), np.abs(legacy - reference).max()
    decided = np.argmax(raw, axis=1)
    y = noisy_labels(rng, decided, 21)
    y[:, :2, :] = 255
    y[:, -2:, :] = 255
    y[:, :, :2] = 255
    y[:, :, -2:] = 255
    y[rng.random(y.shape) < 0.03] = 255
    smod.save_npy("seg_test_y.npy", y, np.int64)
    for name, out in (("seg_fcn_tiny.onnx", raw), ("seg_fcn_tiny_legacy.onnx", legacy)):
        _, expected = segmentation_expected(out, y, 255)
        expected["raw_head"] = head_of(out, True).astype(np.float32)
        golden.add_case(f"dense_model/{name}", "dense_model", "onnxruntime (1 thread) on the model, then"
                        " F.cross_entropy(raw.double(), y, ignore_index=255) and scikit-learn's jaccard_score, f1_score"
                        " and accuracy_score on the labelled pixels of torch.argmax(raw, 1)",
                        {"model": name, "output": "out", "class_axis": "first", "evidence_op": "Resize",
                         "ignore_index": 255, "data": {"pixels": "seg_test_x.npy", "y": "seg_test_y.npy"},
                         "tags": None}, {}, expected)

    with smod.seeded(2503):
        seg = SegformerTiny().eval()
    smod.save_model("seg_segformer_tiny.onnx", smod.export_dynamo(seg, [example], ["pixel_values"], ["logits"]))
    raw = run(os.path.join(smod.MODELS_DIR, "seg_segformer_tiny.onnx"), {"pixel_values": x})
    with torch.no_grad():
        assert np.allclose(raw, seg(torch.from_numpy(x)).numpy(), atol=1e-4)
    y4 = noisy_labels(rng, np.argmax(raw, axis=1), 150)
    smod.save_npy("seg_test_y4.npy", y4, np.int64)
    _, expected = segmentation_expected(raw, y4, -100)
    expected["raw_head"] = head_of(raw, True).astype(np.float32)
    golden.add_case("dense_model/seg_segformer_tiny.onnx", "dense_model", "onnxruntime, then F.cross_entropy and"
                    " scikit-learn as above, at the output's resolution (a quarter of the input's side)",
                    {"model": "seg_segformer_tiny.onnx", "output": "logits", "class_axis": "first",
                     "evidence_op": "Conv", "ignore_index": -100,
                     "data": {"pixel_values": "seg_test_x.npy", "y": "seg_test_y4.npy"}, "tags": None}, {}, expected)


def token_model(golden):
    from seqeval.metrics import f1_score, precision_score, recall_score

    rng = np.random.default_rng(2511)
    n, t = 16, 24
    ids = np.zeros((n, t), dtype=np.int64)
    mask = np.zeros((n, t), dtype=np.int64)
    words = np.full((n, t), -1, dtype=np.int64)      # the word of each position, -1 for none
    for i in range(n):
        length = int(rng.integers(8, t + 1))
        ids[i, 0] = 1                                # [CLS]
        ids[i, length - 1] = 2                       # [SEP]
        ids[i, 1:length - 1] = rng.integers(3, 64, size=length - 2)
        mask[i, :length] = 1
        w = -1
        for j in range(1, length - 1):
            if j == 1 or rng.random() > 0.25:        # a quarter of the tokens continue a word
                w += 1
            words[i, j] = w
    smod.save_npy("ner_test_ids.npy", ids, np.int64)
    smod.save_npy("ner_test_mask.npy", mask, np.int64)
    with smod.seeded(2512):
        bert = BertTiny().eval()
    examples = [torch.from_numpy(ids[:2]), torch.from_numpy(mask[:2])]
    id2label = json.dumps({str(i): tag for i, tag in enumerate(TAGS)})
    for name, model in (("ner_bert_tiny.onnx",
                         smod.export_dynamo(bert, examples, ["input_ids", "attention_mask"], ["logits"])),
                        ("ner_bert_tiny_legacy.onnx",
                         export_legacy(bert, examples, ["input_ids", "attention_mask"], ["logits"]))):
        smod.save_model(name, smod.with_metadata(model, {"id2label": id2label}))
    raw = run(os.path.join(smod.MODELS_DIR, "ner_bert_tiny.onnx"), {"input_ids": ids, "attention_mask": mask})
    legacy = run(os.path.join(smod.MODELS_DIR, "ner_bert_tiny_legacy.onnx"),
                 {"input_ids": ids, "attention_mask": mask})
    with torch.no_grad():
        reference = bert(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
    assert np.allclose(raw, reference, atol=1e-4) and np.allclose(legacy, reference, atol=1e-4)
    # labels: the first sub-word of each word labelled (the model's tag, 15 % changed), the rest -100
    decided = np.argmax(raw, axis=-1)
    y = np.full((n, t), -100, dtype=np.int64)
    for i in range(n):
        for j in range(t):
            if words[i, j] >= 0 and (j == 1 or words[i, j] != words[i, j - 1]):
                y[i, j] = decided[i, j] if rng.random() > 0.15 else int(rng.integers(0, len(TAGS)))
    smod.save_npy("ner_test_y.npy", y, np.int64)
    for name, out in (("ner_bert_tiny.onnx", raw), ("ner_bert_tiny_legacy.onnx", legacy)):
        pred, expected = segmentation_expected(out, y, -100, class_axis_first=False)
        y_true, y_pred = [], []
        for i in range(n):
            keep = y[i] != -100
            y_true.append([TAGS[k] for k in y[i][keep]])
            y_pred.append([TAGS[k] for k in pred[i][keep]])
        expected["entity_precision"] = float(precision_score(y_true, y_pred))
        expected["entity_recall"] = float(recall_score(y_true, y_pred))
        expected["entity_f1"] = float(f1_score(y_true, y_pred))
        expected["raw_head"] = head_of(out, False).astype(np.float32)
        golden.add_case(f"dense_model/{name}", "dense_model", "onnxruntime, then F.cross_entropy(raw.movedim(-1, 1)"
                        ".double(), y, ignore_index=-100), scikit-learn on the labelled tokens and " + SEQEVAL
                        + " on each sentence's labelled tokens",
                        {"model": name, "output": "logits", "class_axis": "last", "evidence_op": "MatMul",
                         "ignore_index": -100, "data": {"input_ids": "ner_test_ids.npy",
                                                        "attention_mask": "ner_test_mask.npy", "y": "ner_test_y.npy"},
                         "tags": TAGS}, {}, expected)


def build(golden):
    segmentation_models(golden)
    token_model(golden)
