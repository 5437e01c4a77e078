"""models.json: small ONNX classifiers, their test data, and what onnxruntime, torch and sklearn make of their outputs.

build(golden) trains every model (torch or Keras 3 on the torch backend, fixed seeds, CPU, deterministic, one
thread), writes ../models/NAME.onnx and ../data/NAME.npy (C order, little endian), and adds one case per model file to
golden/models.json. See CATALOG.md, "Test models, data and adapter goldens (issue 4)", and ../README.md, "Test models".

Data (scikit-learn's bundled data sets; split = train_test_split(test_size=0.2, random_state=0, stratify=y)):
- digits: 1797 x 64, x = data / 16 (exact in float32, in [0, 1]), 10 classes; attributes [even, greater_than_4, prime,
  closed_loop] from the class (prime = {2, 3, 5, 7}, closed_loop = {0, 4, 6, 8, 9}). The train split (1437 rows) is
  cut into the rows the models are fitted on (the first 1150) and the validation split (the last 287 = 1437 // 5),
  which no model sees: digits_val_*.npy, for threshold tuning and calibration. Test split: 360 rows.
- breast cancer: 569 x 30, standardised with the mean and (population) std of the whole train split (455 rows),
  float32; fitted on the first 364 train rows (the same 80 / 20 cut; no validation file is written). Test: 114 rows.
  Target 1 = benign (sklearn's target_names ['malignant', 'benign']).
- tokens (synthetic): T = 12 positions, vocabulary 50, id 0 = padding (attention_mask 0). A row holds 4..12 real
  tokens: 0..4 copies each of tokens 5, 6 and 7 with a unique most frequent one, the rest fillers drawn from 1..49
  without 5, 6, 7, in random order; class = 0, 1 or 2 for 5, 6 or 7 most frequent. 600 train rows (all fitted),
  150 test rows.

| op | params | inputs | expected |
| --- | --- | --- | --- |
| model | model, task, output, output_kind, evidence_op, evidence, class_names, inputs, data; and the metric params of the task (multiclass: zero_division, top_k, n_bins; multilabel: zero_division, threshold; binary: zero_division, threshold, n_bins) | one array per model input (params["inputs"], in order): the first 64 test rows, float32 or int64 | raw, probabilities, loss, the metric keys of the task; label for ZipMap models |

params: model = file name in ../models; task = "multiclass" | "binary" | "multilabel"; output = the output name read;
output_kind = "logits" | "probabilities" | "log_probabilities"; evidence_op = the op that says so ("Gemm" for logits,
"Softmax", "LogSoftmax", "Sigmoid", "ZipMap"; null where model metadata, not an op, decides); evidence = short text;
class_names = the class names the model itself carries (metadata, ZipMap string keys, id2label, output name), null if
none; inputs = the model's input names in order; data = the .npy files in ../data the rows came from ("x" for a
single-input model, else one key per input name, and "y" for the targets).
expected:
- raw [64, C] float32: onnxruntime (Python, CPUExecutionProvider, one thread) output for the first 64 test rows (binary:
  [64, 1]); for ZipMap models the sequence of maps as a dense matrix, columns in class order (keys 0..9, or the string
  labels in classlabels_strings order); digits_fixed_batch1 is run one row at a time.
- probabilities [64, C] float64: the head applied in float64 to raw: torch.softmax(raw.double(), 1) for logits
  (multiclass), torch.sigmoid for logits (binary / multilabel), torch.exp for log-probabilities, raw.double() for
  probabilities (a float32 softmax row sums to 1 only to about 1e-7: not renormalised).
- loss [] over the WHOLE test split (float64 from the float32 outputs): multiclass F.cross_entropy(logits) /
  F.nll_loss(log_probabilities) / F.nll_loss(torch.log(p).clamp(min=-100)) for probabilities (logits4j's PyTorch
  semantics: ls = max(log p, -100)); binary and multilabel F.binary_cross_entropy_with_logits(logits, y) /
  F.binary_cross_entropy(p, y).
- metric keys over the whole test split, computed by suite_metrics' own functions on the float64 probabilities of the
  whole test split (multiclass: multiclass_metrics keys with top_k [1, 3, 5] incl. top_k_accuracy_5 (for the
  3-class tokens model k = 5 > C: sklearn returns 1.0), ECE with 15 bins; multilabel: multilabel_metrics keys,
  threshold 0.5; binary: binary_metrics keys on p[:, 0], threshold 0.5), no sample weights, zero_division 0. ECE is
  torchmetrics' _ce_compute on the float64 confidences, as in metrics.json; the public (float32) class gives values
  up to about 3e-5 away for logits models, whose float64 softmax puts confidences within a float32 ulp of 1 (see
  multiclass_ece_float64); each case's reference records the public values.
- label [64] int64 (ZipMap models only): the model's "label" output (ArgMax over the probabilities).

Case ids: the model file name without ".onnx" (digits_logits, ..., tokens_two_input).

Reproducibility: every model is built from fixed seeds with torch.use_deterministic_algorithms and one thread; exported
graphs are stripped of the exporter's per-node / per-value metadata_props and doc strings (torch's dynamo exporter
records source paths and stack traces there); producer name and version stay (pinned). Model-level metadata_props are
only the ones this suite sets. Regenerating gives byte-identical .onnx, .npy and .json on the same machine (floating
point training and onnxruntime's kernels may differ in the last bits on another CPU type).
"""

import contextlib
import io
import json
import os
import random
import warnings
from unittest import mock

import numpy as np
import onnx
import onnxruntime as ort
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.model_selection import train_test_split

import suite_metrics as sm

LIBRARIES = ("torch", "keras", "sklearn", "torchmetrics", "onnx", "onnxruntime")

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS_DIR = os.path.normpath(os.path.join(HERE, "..", "models"))
DATA_DIR = os.path.normpath(os.path.join(HERE, "..", "data"))

ROWS = 64  # rows of each test split written into the golden file
OPSET = 20  # ai.onnx opset of the graphs built with onnx.helper (the torch exporter's default, too)
ML_OPSET = 3  # ai.onnx.ml opset of the ZipMap models (as sklearn-onnx writes)
IR_VERSION = 10  # highest IR version every model may have (onnxruntime 1.29 Java loads up to IR 10 / opset 21)
MAX_OPSET = 21
MAX_MODEL_BYTES = 200_000

DIGIT_NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
JSON_OUTPUT_NAME = json.dumps({str(i): n for i, n in enumerate(DIGIT_NAMES)})  # {"0": "zero", ..., "9": "nine"}
ATTRIBUTES = ["even", "greater_than_4", "prime", "closed_loop"]
PRIME = {2, 3, 5, 7}
CLOSED_LOOP = {0, 4, 6, 8, 9}
TOP_K = [1, 3, 5]
N_BINS = 15
THRESHOLD = 0.5
ZERO_DIVISION = 0

TOKENS_T = 12
TOKENS_VOCAB = 50
TOKENS_CLASSES = (5, 6, 7)


# ------------------------------------------------------------------------------------------------ files

def save_npy(name, arr, dtype):
    arr = np.ascontiguousarray(arr, dtype=np.dtype(dtype).newbyteorder("<"))
    with open(os.path.join(DATA_DIR, name), "wb") as f:
        np.save(f, arr, allow_pickle=False)
    return arr


def strip(model):
    """Removes the exporters' per-node / per-value metadata and doc strings (source paths, stack traces)."""

    def graph(g):
        g.doc_string = ""
        for v in list(g.input) + list(g.output) + list(g.value_info):
            v.doc_string = ""
            del v.metadata_props[:]
        for t in g.initializer:
            t.doc_string = ""
            del t.metadata_props[:]
        for n in g.node:
            n.doc_string = ""
            del n.metadata_props[:]
            for a in n.attribute:
                if a.type == onnx.AttributeProto.GRAPH:
                    graph(a.g)
                for sub in a.graphs:
                    graph(sub)
        del g.metadata_props[:]

    model.doc_string = ""
    graph(model.graph)
    del model.metadata_props[:]
    return model


def save_model(name, model):
    path = os.path.join(MODELS_DIR, name)
    onnx.checker.check_model(model, full_check=True)
    assert model.ir_version <= IR_VERSION, (name, model.ir_version)
    for o in model.opset_import:
        assert o.domain not in ("", "ai.onnx") or o.version <= MAX_OPSET, (name, o.version)
    data = model.SerializeToString(deterministic=True)
    assert len(data) < MAX_MODEL_BYTES, (name, len(data))
    with open(path, "wb") as f:
        f.write(data)
    return path


@contextlib.contextmanager
def quiet():
    """The exporters print progress and warn (legacy exporter, training-mode tracing); none of it matters here."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


@contextlib.contextmanager
def seeded(seed):
    """Seeds python, numpy and torch's global RNGs for the block and restores them afterwards."""
    py, npy = random.getstate(), np.random.get_state()
    with torch.random.fork_rng(devices=[]):
        random.seed(seed)
        np.random.seed(seed)
        torch.manual_seed(seed)
        try:
            yield
        finally:
            random.setstate(py)
            np.random.set_state(npy)


# ------------------------------------------------------------------------------------------------ data

def split(x, y):
    return train_test_split(x, y, test_size=0.2, random_state=0, stratify=y)


def attributes(y):
    columns = [y % 2 == 0, y > 4, np.isin(y, sorted(PRIME)), np.isin(y, sorted(CLOSED_LOOP))]  # ATTRIBUTES order
    assert len(columns) == len(ATTRIBUTES)
    return np.stack(columns, axis=1).astype(np.int64)


def digits_data():
    d = load_digits()
    x = (d.data / 16.0).astype(np.float32)
    y = d.target.astype(np.int64)
    x_train, x_test, y_train, y_test = split(x, y)
    n_fit = len(x_train) - len(x_train) // 5
    data = {
        "fit_x": x_train[:n_fit], "fit_y": y_train[:n_fit],
        "val_x": x_train[n_fit:], "val_y": y_train[n_fit:],
        "test_x": x_test, "test_y": y_test,
    }
    for part in ("fit", "val", "test"):
        data[f"{part}_attributes"] = attributes(data[f"{part}_y"])
    return data


def breast_cancer_data():
    d = load_breast_cancer()
    x_train, x_test, y_train, y_test = split(d.data, d.target.astype(np.int64))
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    assert np.all(std > 0)
    x_train = ((x_train - mean) / std).astype(np.float32)
    x_test = ((x_test - mean) / std).astype(np.float32)
    n_fit = len(x_train) - len(x_train) // 5
    return {"fit_x": x_train[:n_fit], "fit_y": y_train[:n_fit], "test_x": x_test, "test_y": y_test}


def token_rows(rng, n):
    fillers = np.array([t for t in range(1, TOKENS_VOCAB) if t not in TOKENS_CLASSES])
    ids = np.zeros((n, TOKENS_T), dtype=np.int64)
    mask = np.zeros((n, TOKENS_T), dtype=np.int64)
    y = np.zeros(n, dtype=np.int64)
    for i in range(n):
        length = int(rng.integers(4, TOKENS_T + 1))
        while True:
            counts = rng.integers(0, 5, size=3)
            if counts.max() >= 1 and np.sum(counts == counts.max()) == 1 and counts.sum() <= length:
                break
        row = np.concatenate([np.repeat(TOKENS_CLASSES, counts), rng.choice(fillers, size=length - counts.sum())])
        ids[i, :length] = rng.permutation(row)
        mask[i, :length] = 1
        y[i] = int(np.argmax(counts))
    return ids, mask, y


def tokens_data():
    rng = np.random.default_rng(4401)
    train_ids, train_mask, train_y = token_rows(rng, 600)
    test_ids, test_mask, test_y = token_rows(rng, 150)
    return {"fit_ids": train_ids, "fit_mask": train_mask, "fit_y": train_y,
            "test_ids": test_ids, "test_mask": test_mask, "test_y": test_y}


# ------------------------------------------------------------------------------------------------ training (torch)

def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


class MaskedMeanClassifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(TOKENS_VOCAB, 8)
        self.linear = torch.nn.Linear(8, len(TOKENS_CLASSES))

    def forward(self, input_ids, attention_mask):
        m = attention_mask.unsqueeze(-1).to(torch.float32)
        pooled = (self.embedding(input_ids) * m).sum(dim=1) / m.sum(dim=1).clamp(min=1.0)
        return self.linear(pooled)


class WithHead(torch.nn.Module):
    def __init__(self, body, head):
        super().__init__()
        self.body = body
        self.head = head

    def forward(self, x):
        return self.head(self.body(x))


def train(model, inputs, target, loss_fn, seed, epochs, lr, batch):
    """Adam over shuffled mini-batches (torch.Generator(seed) permutations)."""
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    inputs = [torch.from_numpy(a) for a in inputs]
    target = torch.from_numpy(target)
    n = len(target)
    model.train()
    for _ in range(epochs):
        perm = torch.randperm(n, generator=g)
        for s in range(0, n, batch):
            idx = perm[s:s + batch]
            opt.zero_grad()
            loss = loss_fn(model(*[a[idx] for a in inputs]), target[idx])
            loss.backward()
            opt.step()
    model.eval()
    return model


def train_digits(d, seed=4101):
    with seeded(seed):
        model = mlp([64, 32, 10])
    return train(model, [d["fit_x"]], d["fit_y"], F.cross_entropy, seed, epochs=60, lr=0.01, batch=64)


def train_attributes(d, seed=4201):
    with seeded(seed):
        model = mlp([64, 32, 4])
    target = d["fit_attributes"].astype(np.float32)
    return train(model, [d["fit_x"]], target, F.binary_cross_entropy_with_logits, seed, epochs=60, lr=0.01, batch=64)


def train_breast_cancer(d, seed=4301):
    with seeded(seed):
        model = mlp([30, 16, 1])
    target = d["fit_y"].astype(np.float32)[:, None]
    return train(model, [d["fit_x"]], target, F.binary_cross_entropy_with_logits, seed, epochs=60, lr=0.005,
                 batch=32)


def train_tokens(d, seed=4401):
    with seeded(seed):
        model = MaskedMeanClassifier()
    return train(model, [d["fit_ids"], d["fit_mask"]], d["fit_y"], F.cross_entropy, seed, epochs=150, lr=0.03,
                 batch=32)


# ------------------------------------------------------------------------------------------------ export

def export_dynamo(module, examples, input_names, output_names, dynamic=True):
    """torch.onnx.export (the torch.export-based exporter, opset 20); batch dimension "batch" unless static."""
    module.eval()
    shapes = None
    if dynamic:
        batch = torch.export.Dim("batch")
        shapes = tuple({0: batch} for _ in examples)
    with quiet():
        program = torch.onnx.export(module, tuple(examples), None, input_names=input_names,
                                    output_names=output_names, dynamic_shapes=shapes, dynamo=True, verbose=False)
    return strip(program.model_proto)


def export_legacy_opset11(module, example):
    module.eval()
    buf = io.BytesIO()
    with quiet():
        torch.onnx.export(module, (example,), buf, dynamo=False, opset_version=11, input_names=["pixels"],
                          output_names=["probabilities"],
                          dynamic_axes={"pixels": {0: "batch"}, "probabilities": {0: "batch"}})
    return strip(onnx.load_from_string(buf.getvalue()))


def mlp_weights(model):
    """[(W [out, in], b [out])] of the Linear layers, float32."""
    return [(m.weight.detach().numpy().copy(), m.bias.detach().numpy().copy())
            for m in model if isinstance(m, torch.nn.Linear)]


def mlp_nodes(weights, x, out):
    """Gemm(transB=1) / Relu nodes and initializers computing the MLP from x into out."""
    nodes, inits = [], []
    h = x
    for i, (w, b) in enumerate(weights):
        inits += [numpy_helper.from_array(w, f"layer{i}.weight"), numpy_helper.from_array(b, f"layer{i}.bias")]
        last = i == len(weights) - 1
        y = out if last else f"layer{i}.gemm"
        nodes.append(helper.make_node("Gemm", [h, f"layer{i}.weight", f"layer{i}.bias"], [y], name=f"layer{i}.gemm",
                                      transB=1))
        if not last:
            nodes.append(helper.make_node("Relu", [y], [f"layer{i}.relu"], name=f"layer{i}.relu"))
            h = f"layer{i}.relu"
    return nodes, inits


def float_info(name, *dims):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, list(dims))


def make_model(graph, ml=False):
    opsets = [helper.make_opsetid("", OPSET)]
    if ml:
        opsets.append(helper.make_opsetid("ai.onnx.ml", ML_OPSET))
    model = helper.make_model(graph, opset_imports=opsets, producer_name="logits4j-testdata",
                              producer_version="1")
    model.ir_version = IR_VERSION
    return model


def if_head_model(weights):
    nodes, inits = mlp_nodes(weights, "pixels", "logits")
    branches = {}
    for branch in ("then", "else"):
        branches[branch] = helper.make_graph(
            [helper.make_node("Softmax", ["logits"], [f"{branch}_probabilities"], name=f"{branch}_softmax", axis=1)],
            f"{branch}_branch", [], [float_info(f"{branch}_probabilities", "batch", 10)])
    nodes.append(helper.make_node("Constant", [], ["use_softmax"], name="use_softmax",
                                  value=helper.make_tensor("use_softmax", TensorProto.BOOL, [], [True])))
    nodes.append(helper.make_node("If", ["use_softmax"], ["probabilities"], name="head",
                                  then_branch=branches["then"], else_branch=branches["else"]))
    graph = helper.make_graph(nodes, "digits_if_head", [float_info("pixels", "batch", 64)],
                              [float_info("probabilities", "batch", 10)], initializer=inits)
    return make_model(graph)


def zipmap_model(weights, name, keys):
    nodes, inits = mlp_nodes(weights, "pixels", "logits")
    nodes.append(helper.make_node("Softmax", ["logits"], ["softmax"], name="softmax", axis=1))
    nodes.append(helper.make_node("ArgMax", ["softmax"], ["label"], name="argmax", axis=1, keepdims=0))
    if isinstance(keys[0], str):
        zipmap = helper.make_node("ZipMap", ["softmax"], ["probabilities"], name="zipmap", domain="ai.onnx.ml",
                                  classlabels_strings=keys)
        key_type = TensorProto.STRING
    else:
        zipmap = helper.make_node("ZipMap", ["softmax"], ["probabilities"], name="zipmap", domain="ai.onnx.ml",
                                  classlabels_int64s=keys)
        key_type = TensorProto.INT64
    nodes.append(zipmap)
    seq_map = helper.make_sequence_type_proto(
        helper.make_map_type_proto(key_type, helper.make_tensor_type_proto(TensorProto.FLOAT, [])))
    outputs = [helper.make_tensor_value_info("label", TensorProto.INT64, ["batch"]),
               helper.make_value_info("probabilities", seq_map)]
    graph = helper.make_graph(nodes, name, [float_info("pixels", "batch", 64)], outputs, initializer=inits)
    return make_model(graph, ml=True)


def rename_output(model, old, new):
    model = onnx.ModelProto.FromString(model.SerializeToString())
    for n in model.graph.node:
        n.output[:] = [new if o == old else o for o in n.output]
    for o in model.graph.output:
        if o.name == old:
            o.name = new
    return model


def with_metadata(model, props):
    model = onnx.ModelProto.FromString(model.SerializeToString())
    helper.set_model_props(model, props)
    return model


def identity_chain_model(softmax_model):
    model = rename_output(softmax_model, "probabilities", "softmax_output")
    g = model.graph
    g.initializer.append(numpy_helper.from_array(np.array([-1, 10], dtype=np.int64), "chain_shape"))
    g.node.extend([
        helper.make_node("Identity", ["softmax_output"], ["chain_identity"], name="chain_identity"),
        helper.make_node("Reshape", ["chain_identity", "chain_shape"], ["chain_reshape"], name="chain_reshape"),
        helper.make_node("Cast", ["chain_reshape"], ["probabilities"], name="chain_cast", to=TensorProto.FLOAT),
    ])
    g.output[0].name = "probabilities"
    return model


# ------------------------------------------------------------------------------------------------ Keras

def keras_digits(d, seed=4501):
    """Dense(32, relu) + Dense(10, softmax), Adam, sparse categorical cross-entropy; model.export(format="onnx")."""
    import keras

    with seeded(seed):
        keras.backend.clear_session()  # resets Keras' name counters: the input is "keras_tensor" in every run
        keras.utils.set_random_seed(seed)
        model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(32, activation="relu"),
                                  keras.layers.Dense(10, activation="softmax")])
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
        model.fit(d["fit_x"], d["fit_y"], epochs=40, batch_size=64, shuffle=True, verbose=0)
        path = os.path.join(MODELS_DIR, "digits_keras_softmax.onnx")
        with quiet():
            model.export(path, format="onnx", verbose=False)
        keras_probs = np.asarray(model.predict(d["test_x"], verbose=0))
        keras.backend.clear_session()
    exported = strip(onnx.load(path))
    os.remove(path)
    return exported, keras_probs


# ------------------------------------------------------------------------------------------------ onnxruntime

def session(path):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.log_severity_level = 3
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def check_signature(sess, name, inputs, outputs, static_batch=False):
    got_in = [i.name for i in sess.get_inputs()]
    got_out = [o.name for o in sess.get_outputs()]
    assert got_in == inputs and all(o in got_out for o in outputs), (name, got_in, got_out)
    for v in sess.get_inputs() + [o for o in sess.get_outputs() if o.type.startswith("tensor")]:
        if static_batch:
            assert v.shape[0] == 1, (name, v.name, v.shape)
        else:
            assert isinstance(v.shape[0], str), (name, v.name, v.shape)  # a dim_param


def run_model(sess, feeds, output, one_row_at_a_time=False, zipmap_keys=None):
    """(raw float32 [N, C], label int64 [N] or None) from onnxruntime."""
    names = [o.name for o in sess.get_outputs()]
    if one_row_at_a_time:
        n = len(next(iter(feeds.values())))
        rows = [run_model(sess, {k: v[i:i + 1] for k, v in feeds.items()}, output)[0] for i in range(n)]
        return np.concatenate(rows, axis=0), None
    outs = dict(zip(names, sess.run(None, feeds)))
    if zipmap_keys is not None:
        maps = outs[output]
        assert all(sorted(m.keys()) == sorted(zipmap_keys) for m in maps)
        raw = np.array([[m[k] for k in zipmap_keys] for m in maps], dtype=np.float32)
        return raw, outs["label"]
    raw = outs[output]
    assert raw.dtype == np.float32, raw.dtype
    return raw, None


# ------------------------------------------------------------------------------------------------ references

HEADS = {
    ("multiclass", "logits"): ("torch.softmax(raw.double(), dim=1)", lambda r: torch.softmax(r, dim=1)),
    ("multiclass", "probabilities"): ("raw.double()", lambda r: r),
    ("multiclass", "log_probabilities"): ("torch.exp(raw.double())", torch.exp),
    ("binary", "logits"): ("torch.sigmoid(raw.double())", torch.sigmoid),
    ("binary", "probabilities"): ("raw.double()", lambda r: r),
    ("multilabel", "logits"): ("torch.sigmoid(raw.double())", torch.sigmoid),
    ("multilabel", "probabilities"): ("raw.double()", lambda r: r),
}

LOSSES = {
    ("multiclass", "logits"): ("F.cross_entropy(raw.double(), y)", lambda r, y: F.cross_entropy(r, y)),
    ("multiclass", "log_probabilities"): ("F.nll_loss(raw.double(), y)", lambda r, y: F.nll_loss(r, y)),
    ("multiclass", "probabilities"): ("F.nll_loss(torch.log(raw.double()).clamp(min=-100), y)",
                                      lambda r, y: F.nll_loss(torch.log(r).clamp(min=-100.0), y)),
    ("binary", "logits"): ("F.binary_cross_entropy_with_logits(raw.double(), y.double()[:, None])",
                           lambda r, y: F.binary_cross_entropy_with_logits(r, y.double()[:, None])),
    ("binary", "probabilities"): ("F.binary_cross_entropy(raw.double(), y.double()[:, None])",
                                  lambda r, y: F.binary_cross_entropy(r, y.double()[:, None])),
    ("multilabel", "logits"): ("F.binary_cross_entropy_with_logits(raw.double(), y.double())",
                               lambda r, y: F.binary_cross_entropy_with_logits(r, y.double())),
    ("multilabel", "probabilities"): ("F.binary_cross_entropy(raw.double(), y.double())",
                                      lambda r, y: F.binary_cross_entropy(r, y.double())),
}


class _Capture:
    """Stands in for a GoldenFile: suite_metrics' add_* functions hand their case to it."""

    def add_case(self, id, op, reference, params, inputs, expected):
        self.reference, self.params, self.expected = reference, params, expected


def multiclass_ece_float64(y_prob, y_true, n_bins):
    """suite_metrics.multiclass_ece without its final check that the public (float32) torchmetrics value agrees to
    1e-6. The expected values are the same float64 _ce_compute values; but a trained model puts many confidences
    within a float32 ulp of 1.0, and MulticlassCalibrationError's float32 cast moves those into the extra bin, so
    the public values differ by up to about 3e-5 here (ece_l2 of the digits logits models). They are recorded in the reference (agreement to 1e-3 is
    checked)."""
    preds, target = torch.from_numpy(y_prob), torch.from_numpy(y_true)
    p, t = sm._multiclass_confusion_matrix_format(preds, target, None, convert_to_labels=False)
    p = sm.normalize_logits_if_needed(p, "softmax")
    assert torch.equal(p, preds)
    conf, pred = p.max(dim=1)
    assert torch.equal(pred, p.argmax(dim=1)) and conf.dtype == torch.float64
    acc = pred.eq(t).to(conf.dtype)
    boundaries = torch.linspace(0, 1, n_bins + 1, dtype=conf.dtype)
    sm._check_plain_bins(conf, boundaries)
    values, public = {}, {}
    for norm in sm.NORMS:
        values[norm] = sm._ce_value(sm._ce_compute(conf, acc, boundaries, norm=norm))
        assert sm._ce_value(sm._ce_compute(conf, acc, n_bins, norm=norm)) == values[norm]
        metric = sm.MulticlassCalibrationError(num_classes=y_prob.shape[1], n_bins=n_bins, norm=norm)
        metric.update(preds, target)
        public[norm] = float(metric.compute().item())
        assert abs(public[norm] - values[norm]) < 1e-3, (norm, public[norm], values[norm])
    return values, boundaries.numpy(), public


def metrics(task, y_true, prob):
    """(expected metric keys, reference, metric params) from suite_metrics' functions, no sample weights."""
    if task == "multiclass":
        # suite_metrics.add_multiclass asserts rows summing to 1 within 1e-12, which float32 softmax outputs do not
        # (about 1e-7); multiclass_expected is the same computation without that check.
        with mock.patch.object(sm, "multiclass_ece", multiclass_ece_float64):
            r, public = sm.multiclass_expected(y_true, prob, None, ZERO_DIVISION, TOP_K, N_BINS)
        reference = sm.MC_REFERENCE + ("; torchmetrics MulticlassCalibrationError (float32 internally: confidences "
                                       "within a float32 ulp of 1 land in the extra bin) returned "
                                       + ", ".join(f"{n} {public[n]!r}" for n in sm.NORMS))
        if r.notes:
            reference += "; " + "; ".join(r.notes)
        return r.expected, reference, {"zero_division": ZERO_DIVISION, "top_k": TOP_K, "n_bins": N_BINS}
    capture = _Capture()
    if task == "multilabel":
        sm.add_multilabel(capture, "", y_true, prob, zero_division=ZERO_DIVISION, threshold=THRESHOLD)
    else:
        sm.add_binary(capture, "", y_true, prob[:, 0], zero_division=ZERO_DIVISION, threshold=THRESHOLD,
                      n_bins=N_BINS)
    return capture.expected, capture.reference, capture.params


def add_model_case(golden, spec, feeds_all, y_all):
    """Runs spec's model on the whole test split and adds its case."""
    name, task, kind = spec["model"], spec["task"], spec["output_kind"]
    path = os.path.join(MODELS_DIR, name)
    sess = session(path)
    check_signature(sess, name, spec["inputs"], [spec["output"]], static_batch=spec.get("static_batch", False))
    raw_all, label_all = run_model(sess, feeds_all, spec["output"], one_row_at_a_time=spec.get("static_batch", False),
                                   zipmap_keys=spec.get("zipmap_keys"))
    head_ref, head = HEADS[(task, kind)]
    loss_ref, loss_fn = LOSSES[(task, kind)]
    raw64 = torch.from_numpy(raw_all).double()
    prob_all = head(raw64).numpy()
    loss = float(loss_fn(raw64, torch.from_numpy(y_all)).item())
    expected, metrics_ref, metric_params = metrics(task, y_all, prob_all)
    if "check_prob" in spec:  # the framework's own probabilities agree with onnxruntime's
        assert np.max(np.abs(spec["check_prob"] - prob_all)) < 1e-5, name

    n = len(y_all)
    ordered = {"raw": raw_all[:ROWS], "probabilities": prob_all[:ROWS], "loss": loss}
    if label_all is not None:
        assert np.array_equal(label_all, np.argmax(raw_all, axis=1))
        ordered["label"] = label_all[:ROWS].astype(np.int64)
    ordered.update(expected)

    run_ref = ("raw = onnxruntime.InferenceSession(model, providers=['CPUExecutionProvider']).run on the first "
               f"{ROWS} test rows")
    if spec.get("static_batch"):
        run_ref += " (one row at a time: the batch dimension is fixed to 1)"
    if spec.get("zipmap_keys") is not None:
        run_ref += ("; the ZipMap output (a sequence of maps) as a dense matrix, columns in key order "
                    f"{json.dumps(list(spec['zipmap_keys']))}; label = the model's 'label' output")
    reference = (f"{run_ref}; probabilities = {head_ref}; over the whole test split (N = {n}, float64 from the "
                 f"float32 onnxruntime outputs, no sample_weight): loss = {loss_ref}; metrics on probabilities"
                 f"{'[:, 0]' if task == 'binary' else ''}: {metrics_ref}")

    params = {k: spec[k] for k in ("model", "task", "output", "output_kind", "evidence_op", "evidence",
                                   "class_names", "inputs", "data")}
    params.update(metric_params)
    inputs = {k: feeds_all[k][:ROWS] for k in spec["inputs"]}
    golden.add_case(name[:-len(".onnx")], "model", reference, params, inputs, ordered)
    return expected


# ------------------------------------------------------------------------------------------------ build

def build(golden):
    os.makedirs(MODELS_DIR, exist_ok=True)
    os.makedirs(DATA_DIR, exist_ok=True)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)

    d = digits_data()
    b = breast_cancer_data()
    t = tokens_data()
    for part in ("test", "val"):
        save_npy(f"digits_{part}_x.npy", d[f"{part}_x"], np.float32)
        save_npy(f"digits_{part}_y.npy", d[f"{part}_y"], np.int64)
        save_npy(f"digits_{part}_attributes.npy", d[f"{part}_attributes"], np.int64)
    save_npy("breast_cancer_test_x.npy", b["test_x"], np.float32)
    save_npy("breast_cancer_test_y.npy", b["test_y"], np.int64)
    save_npy("tokens_test_ids.npy", t["test_ids"], np.int64)
    save_npy("tokens_test_mask.npy", t["test_mask"], np.int64)
    save_npy("tokens_test_y.npy", t["test_y"], np.int64)

    # ---- train
    digits = train_digits(d)
    attrs = train_attributes(d)
    cancer = train_breast_cancer(b)
    tokens = train_tokens(t)
    keras_model, keras_probs = keras_digits(d)

    px = torch.from_numpy(d["test_x"][:2])
    with torch.no_grad():
        torch_logits = digits(torch.from_numpy(d["test_x"])).double()

    # ---- models
    softmax = WithHead(digits, torch.nn.Softmax(dim=1))
    log_softmax = WithHead(digits, torch.nn.LogSoftmax(dim=1))
    m_logits = export_dynamo(digits, [px], ["pixels"], ["logits"])
    m_softmax = export_dynamo(softmax, [px], ["pixels"], ["probabilities"])
    models = {
        "digits_logits.onnx": m_logits,
        "digits_softmax.onnx": m_softmax,
        "digits_log_softmax.onnx": export_dynamo(log_softmax, [px], ["pixels"], ["log_probabilities"]),
        "digits_keras_softmax.onnx": keras_model,
        "digits_fixed_batch1.onnx": export_dynamo(digits, [px[:1]], ["pixels"], ["logits"], dynamic=False),
        "digits_softmax_opset11.onnx": export_legacy_opset11(softmax, px),
        "digits_if_head.onnx": if_head_model(mlp_weights(digits)),
        "digits_identity_chain.onnx": identity_chain_model(m_softmax),
        "digits_zipmap_int64.onnx": zipmap_model(mlp_weights(digits), "digits_zipmap_int64", list(range(10))),
        "digits_zipmap_string.onnx": zipmap_model(mlp_weights(digits), "digits_zipmap_string", DIGIT_NAMES),
        "digits_metadata_labels.onnx": with_metadata(m_logits, {"logits4j.labels": json.dumps(DIGIT_NAMES),
                                                                "logits4j.task": "multiclass"}),
        "digits_id2label.onnx": with_metadata(m_logits, {"id2label": json.dumps(
            {str(i): n for i, n in enumerate(DIGIT_NAMES)})}),
        "digits_metadata_kind.onnx": with_metadata(rename_output(m_softmax, "probabilities", "scores"),
                                                   {"logits4j.output_kind": "probabilities"}),
        "digits_json_output_name.onnx": rename_output(m_logits, "logits", JSON_OUTPUT_NAME),
        "breast_cancer_logit.onnx": export_dynamo(cancer, [torch.from_numpy(b["test_x"][:2])], ["features"],
                                                  ["logit"]),
        "breast_cancer_sigmoid.onnx": export_dynamo(WithHead(cancer, torch.nn.Sigmoid()),
                                                    [torch.from_numpy(b["test_x"][:2])], ["features"],
                                                    ["probability"]),
        "digits_attributes_logits.onnx": export_dynamo(attrs, [px], ["pixels"], ["logits"]),
        "digits_attributes_sigmoid.onnx": export_dynamo(WithHead(attrs, torch.nn.Sigmoid()), [px], ["pixels"],
                                                        ["probabilities"]),
        "tokens_two_input.onnx": export_dynamo(tokens, [torch.from_numpy(t["test_ids"][:2]),
                                                        torch.from_numpy(t["test_mask"][:2])],
                                               ["input_ids", "attention_mask"], ["logits"]),
    }
    for name, model in models.items():
        save_model(name, model)
    keras_in = keras_model.graph.input[0].name
    keras_out = keras_model.graph.output[0].name

    # ---- cases
    digits_feeds = {"pixels": d["test_x"]}
    digits_data_files = {"x": "digits_test_x.npy", "y": "digits_test_y.npy"}
    torch_probs = torch.softmax(torch_logits, dim=1).numpy()

    def digits_case(model, output, kind, evidence_op, evidence, class_names=None, **extra):
        return dict(model=model, task="multiclass", output=output, output_kind=kind, evidence_op=evidence_op,
                    evidence=evidence, class_names=class_names, inputs=["pixels"], data=digits_data_files, **extra)

    specs = [
        (digits_case("digits_logits.onnx", "logits", "logits", "Gemm",
                     "output produced by Gemm (torch Linear): logits", check_prob=torch_probs), digits_feeds),
        (digits_case("digits_softmax.onnx", "probabilities", "probabilities", "Softmax",
                     "output produced by Softmax(axis=1)", check_prob=torch_probs), digits_feeds),
        (digits_case("digits_log_softmax.onnx", "log_probabilities", "log_probabilities", "LogSoftmax",
                     "output produced by LogSoftmax(axis=1)", check_prob=torch_probs), digits_feeds),
        (dict(model="digits_keras_softmax.onnx", task="multiclass", output=keras_out, output_kind="probabilities",
              evidence_op="Softmax", evidence="Keras Dense(10, softmax) exported by model.export(format='onnx'): "
              "output produced by Softmax", class_names=None, inputs=[keras_in], data=digits_data_files,
              check_prob=keras_probs.astype(np.float64)), {keras_in: d["test_x"]}),
        (digits_case("digits_fixed_batch1.onnx", "logits", "logits", "Gemm",
                     "static batch dimension 1; output produced by Gemm: logits", static_batch=True,
                     check_prob=torch_probs), digits_feeds),
        (digits_case("digits_softmax_opset11.onnx", "probabilities", "probabilities", "Softmax",
                     "opset 11 (Softmax-11 coerces to 2-D at axis 1); output produced by Softmax",
                     check_prob=torch_probs), digits_feeds),
        (digits_case("digits_if_head.onnx", "probabilities", "probabilities", "Softmax",
                     "output produced by an If on a constant bool; both branches end in Softmax(axis=1)",
                     check_prob=torch_probs), digits_feeds),
        (digits_case("digits_identity_chain.onnx", "probabilities", "probabilities", "Softmax",
                     "Softmax followed by Identity, Reshape([-1, 10]) and Cast(float): shape-only ops",
                     check_prob=torch_probs), digits_feeds),
        (digits_case("digits_zipmap_int64.onnx", "probabilities", "probabilities", "ZipMap",
                     "ZipMap(classlabels_int64s = 0..9) over Softmax, as sklearn-onnx writes; label = ArgMax",
                     zipmap_keys=list(range(10)), check_prob=torch_probs), digits_feeds),
        (digits_case("digits_zipmap_string.onnx", "probabilities", "probabilities", "ZipMap",
                     "ZipMap(classlabels_strings) over Softmax; class names from the keys; label = ArgMax (int64)",
                     class_names=DIGIT_NAMES, zipmap_keys=DIGIT_NAMES, check_prob=torch_probs), digits_feeds),
        (digits_case("digits_metadata_labels.onnx", "logits", "logits", "Gemm",
                     "output produced by Gemm; class names from metadata_props logits4j.labels (JSON array), "
                     "logits4j.task = multiclass", class_names=DIGIT_NAMES, check_prob=torch_probs), digits_feeds),
        (digits_case("digits_id2label.onnx", "logits", "logits", "Gemm",
                     "output produced by Gemm; class names from metadata_props id2label (Hugging Face JSON object)",
                     class_names=DIGIT_NAMES, check_prob=torch_probs), digits_feeds),
        (digits_case("digits_metadata_kind.onnx", "scores", "probabilities", None,
                     "metadata_props logits4j.output_kind = probabilities (the graph ends in Softmax; output "
                     "renamed scores)", check_prob=torch_probs), digits_feeds),
        (digits_case("digits_json_output_name.onnx", JSON_OUTPUT_NAME, "logits", "Gemm",
                     "output produced by Gemm; class names from the output name, a JSON object",
                     class_names=DIGIT_NAMES, check_prob=torch_probs), digits_feeds),
        (dict(model="breast_cancer_logit.onnx", task="binary", output="logit", output_kind="logits",
              evidence_op="Gemm", evidence="one output column produced by Gemm: a binary logit", class_names=None,
              inputs=["features"], data={"x": "breast_cancer_test_x.npy", "y": "breast_cancer_test_y.npy"}),
         {"features": b["test_x"]}),
        (dict(model="breast_cancer_sigmoid.onnx", task="binary", output="probability", output_kind="probabilities",
              evidence_op="Sigmoid", evidence="one output column produced by Sigmoid: probability of class 1",
              class_names=None, inputs=["features"],
              data={"x": "breast_cancer_test_x.npy", "y": "breast_cancer_test_y.npy"}), {"features": b["test_x"]}),
        (dict(model="digits_attributes_logits.onnx", task="multilabel", output="logits", output_kind="logits",
              evidence_op="Gemm", evidence="output produced by Gemm; trained with BCEWithLogits: multi-label logits",
              class_names=None, inputs=["pixels"],
              data={"x": "digits_test_x.npy", "y": "digits_test_attributes.npy"}), digits_feeds),
        (dict(model="digits_attributes_sigmoid.onnx", task="multilabel", output="probabilities",
              output_kind="probabilities", evidence_op="Sigmoid", evidence="output produced by Sigmoid",
              class_names=None, inputs=["pixels"],
              data={"x": "digits_test_x.npy", "y": "digits_test_attributes.npy"}), digits_feeds),
        (dict(model="tokens_two_input.onnx", task="multiclass", output="logits", output_kind="logits",
              evidence_op="Gemm", evidence="two int64 inputs; output produced by Gemm: logits", class_names=None,
              inputs=["input_ids", "attention_mask"],
              data={"input_ids": "tokens_test_ids.npy", "attention_mask": "tokens_test_mask.npy",
                    "y": "tokens_test_y.npy"}),
         {"input_ids": t["test_ids"], "attention_mask": t["test_mask"]}),
    ]
    assert [s["model"] for s, _ in specs] == list(models)
    targets = {"digits_test_y.npy": d["test_y"], "digits_test_attributes.npy": d["test_attributes"],
               "breast_cancer_test_y.npy": b["test_y"], "tokens_test_y.npy": t["test_y"]}
    for spec, feeds in specs:
        e = add_model_case(golden, spec, feeds, targets[spec["data"]["y"]])
        accuracy = e.get("accuracy", e.get("subset_accuracy"))
        print(f"  {spec['model']}: accuracy {accuracy:.4f}")
        if spec["model"].startswith("digits_") and spec["task"] == "multiclass":
            assert accuracy > 0.9, (spec["model"], accuracy)
        assert accuracy > 0.85, (spec["model"], accuracy)

