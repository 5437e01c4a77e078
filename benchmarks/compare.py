"""Side-by-side timings: logits4j (JMH, and the ./logits4j command as a whole process) against PyTorch and the Python
pipeline a user would write for `logits4j evaluate`. Prints one line per workload:

    workload=<name> logits4j_ms=<median> reference_ms=<median> speedup=<reference/logits4j>

Run from the repository root with the testdata virtual environment (see benchmarks/README.md):

    testdata/generate/.venv/bin/python benchmarks/compare.py            # everything (about 10 minutes)
    testdata/generate/.venv/bin/python benchmarks/compare.py --quick    # kernels only, shorter JMH runs
    ... compare.py --vector-bits 256     # the vector kernels at 256 bits (at most the CPU's width)
    ... compare.py --post-processing     # only evaluate's post-processing time, vector against LOGITS4J_VECTOR=0
    ... compare.py --whole-process       # only evaluate as a whole process against the Python pipeline

It builds nothing: `mvn -B -DskipTests install` first (benchmarks/target/benchmarks.jar, cli via ./logits4j).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
JAR = os.path.join(ROOT, "benchmarks", "target", "benchmarks.jar")
ROWS, CLASSES, LABELS = 4096, 1000, 100


def line(workload, ours_ms, reference_ms):
    speedup = reference_ms / ours_ms if ours_ms > 0 else float("nan")
    print(f"workload={workload} logits4j_ms={ours_ms:.3f} reference_ms={reference_ms:.3f} speedup={speedup:.2f}",
          flush=True)


VECTOR_BITS = ""   # -Dlogits4j.vectorBits=N, or empty
JVM_ARGS = ""      # --jvm-args


def jmh(pattern, quick, jvm_args=""):
    """{benchmark name (and params): median ms} from one JMH run."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    iterations = ["-wi", "2", "-i", "5", "-w", "1s", "-r", "1s"] if quick else ["-wi", "3", "-i", "10", "-w", "1s",
                                                                                "-r", "1s"]
    if "kernels=scalar" not in jvm_args:
        jvm_args = f"{VECTOR_BITS} {jvm_args}"
    cmd = ["java", "-jar", JAR, pattern, "-f", "1", *iterations, "-rf", "json", "-rff", out,
           # replaces the forks' own jvmArgsAppend: the vector module and the heap are repeated here
           "-jvmArgsAppend", f"--add-modules jdk.incubator.vector -Xmx4g "
                             f"-Dlogits4j.testdata={os.path.join(ROOT, 'testdata')} {JVM_ARGS} {jvm_args}".strip()]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        results = json.load(f)
    os.remove(out)
    medians = {}
    for r in results:
        name = r["benchmark"].rsplit(".", 1)[1]
        params = r.get("params") or {}
        key = name + "".join(f"_{v}" for v in params.values())
        raw = [v for fork in r["primaryMetric"]["rawData"] for v in fork]
        medians[key] = statistics.median(raw)
    return medians


def torch_kernels(threads, repeats=30):
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(20261129)
    x = torch.randn(ROWS, CLASSES, generator=g) * 3
    t = torch.randint(0, CLASSES, (ROWS,), generator=g)
    m = torch.randn(ROWS, LABELS, generator=g) * 3
    y = (torch.rand(ROWS, LABELS, generator=g) > 0.5).float()
    work = {
        "softmax": lambda: torch.softmax(x, dim=1),
        "log_softmax": lambda: torch.log_softmax(x, dim=1),
        "sigmoid": lambda: torch.sigmoid(x),
        "top5": lambda: torch.topk(x, 5, dim=1),
        "cross_entropy": lambda: F.cross_entropy(x, t),
        "bce_with_logits": lambda: F.binary_cross_entropy_with_logits(m, y),
    }
    out = {}
    for name, fn in work.items():
        for _ in range(5):
            fn()
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1e3)
        out[name] = statistics.median(times)
    return out


KERNEL_NAMES = {"softmax": "softmax", "log_softmax": "logSoftmax", "sigmoid": "sigmoid", "top5": "top5",
                "cross_entropy": "crossEntropyFromLogits", "bce_with_logits": "bceWithLogits"}


def evaluation_data(directory, rows):
    """rows x 64 digits-like inputs (the test split, resampled and jittered) and their labels, as .npy files."""
    x = np.load(os.path.join(ROOT, "testdata", "data", "digits_test_x.npy"))
    y = np.load(os.path.join(ROOT, "testdata", "data", "digits_test_y.npy"))
    rng = np.random.default_rng(rows)
    idx = rng.integers(0, len(x), rows)
    xs = np.clip(x[idx] + rng.normal(0, 0.05, (rows, 64)).astype(np.float32), 0, 1).astype(np.float32)
    xp, yp = os.path.join(directory, f"x_{rows}.npy"), os.path.join(directory, f"y_{rows}.npy")
    np.save(xp, xs)
    np.save(yp, y[idx].astype(np.int64))
    return xp, yp


def wall_ms(cmd, env=None, repeats=3):
    """The median wall time of `repeats` runs of `cmd` after one unmeasured run (caches, class archives)."""
    return statistics.median(wall_times(cmd, env, repeats))


def wall_times(cmd, env=None, repeats=3):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        times.append((time.perf_counter() - t0) * 1e3)
    return times


def whole_process(pipeline, repeats=7):
    """evaluate as a whole process against the Python pipeline: the command's start-up alone (the bundled 360-row
    test split) and 100,000 and 1,000,000 rows, each the minimum and median of `repeats` runs, the two interleaved
    run for run."""
    model = os.path.join(ROOT, "testdata", "models", "digits_logits.onnx")
    env = dict(os.environ, LOGITS4J_JAVA_OPTS=" ".join(f"-Xmx4g {JVM_ARGS} {VECTOR_BITS}".split()))
    env_py = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    with tempfile.TemporaryDirectory() as d:
        sets = [(360, os.path.join(ROOT, "testdata", "data", "digits_test_x.npy"),
                 os.path.join(ROOT, "testdata", "data", "digits_test_y.npy"))]
        sets += [(rows, *evaluation_data(d, rows)) for rows in (100_000, 1_000_000)]
        for rows, xp, yp in sets:
            ours_cmd = [os.path.join(ROOT, "logits4j"), "evaluate", "--model", model, "--inputs", xp, "--labels", yp,
                        "--format", "json", "--batch-size", "1024"]
            ref_cmd = [sys.executable, pipeline, model, xp, yp, "1024", "2"]
            ours, ref = [], []
            for _ in range(repeats):
                ours += wall_times(ours_cmd, env, 1)
                ref += wall_times(ref_cmd, env_py, 1)
            print(f"workload=evaluate_whole_process_{rows} logits4j_ms={statistics.median(ours):.1f}"
                  f" (min {min(ours):.1f}) reference_ms={statistics.median(ref):.1f} (min {min(ref):.1f})"
                  f" speedup={statistics.median(ref) / statistics.median(ours):.2f}"
                  f" (min/min {min(ref) / min(ours):.2f}) runs={repeats}", flush=True)


def post_processing(rows=100_000, repeats=15):
    """evaluate's own post-processing time (timing.post_processing_ms) on `rows` digits rows, with the vector kernels
    and with LOGITS4J_VECTOR=0, runs of the two interleaved: the medians and minima of `repeats` runs each, and
    whether the reports' loss and metrics are equal."""
    model = os.path.join(ROOT, "testdata", "models", "digits_logits.onnx")
    with tempfile.TemporaryDirectory() as d:
        xp, yp = evaluation_data(d, rows)
        times = {"vector": [], "scalar": []}
        reports = {}
        for i in range(repeats + 1):
            for name, vector in (("vector", "1"), ("scalar", "0")):
                opts = f"-Xmx4g {JVM_ARGS} {VECTOR_BITS if vector == '1' else ''}"
                env = dict(os.environ, LOGITS4J_VECTOR=vector, LOGITS4J_JAVA_OPTS=" ".join(opts.split()))
                out = subprocess.run([os.path.join(ROOT, "logits4j"), "evaluate", "--model", model, "--inputs", xp,
                                      "--labels", yp, "--format", "json", "--batch-size", "1024"], env=env,
                                     check=True, capture_output=True, text=True).stdout
                reports[name] = json.loads(out)
                if i > 0:                      # the first run of each writes its class data sharing archive
                    times[name].append(reports[name]["timing"]["post_processing_ms"])
        same = all(reports["vector"][k] == reports["scalar"][k] for k in ("loss", "metrics"))
        v, s = times["vector"], times["scalar"]
        print(f"workload=post_processing_{rows} vector_ms={statistics.median(v):.1f} (min {min(v):.1f})"
              f" scalar_ms={statistics.median(s):.1f} (min {min(s):.1f}) runs={repeats} same_numbers={same}",
              flush=True)


def main():
    global VECTOR_BITS, JVM_ARGS
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="kernels only, shorter JMH runs")
    ap.add_argument("--vector-bits", choices=["128", "256", "512"],
                    help="the vector kernels' width (logits4j.vectorBits); default: the CPU's widest")
    ap.add_argument("--jvm-args", default="",
                    help="more options for every JVM (JMH forks, the command), e.g. -XX:UseAVX=2 for an AVX2 machine")
    ap.add_argument("--post-processing", action="store_true",
                    help="only evaluate's post-processing time, vector kernels against LOGITS4J_VECTOR=0")
    ap.add_argument("--whole-process", action="store_true",
                    help="only evaluate as a whole process against the Python pipeline (start-up alone, 100,000 and"
                         " 1,000,000 rows; minimum and median of 7 interleaved runs)")
    ap.add_argument("--memory", action="store_true",
                    help="also the heap targets: 1,000,000 rows exact and 10,000,000 rows binned in -Xmx256m"
                         " (writes a 2.6 GB input file to the temporary directory)")
    ap.add_argument("--pipeline", default=os.path.join(ROOT, "..", "shared", "bench", "python_pipeline.py"),
                    help="the Python pipeline script (default: ../shared/bench/python_pipeline.py)")
    args = ap.parse_args()
    if args.vector_bits:
        VECTOR_BITS = f"-Dlogits4j.vectorBits={args.vector_bits}"
    JVM_ARGS = args.jvm_args
    probe = subprocess.run(["java", "--add-modules", "jdk.incubator.vector", *VECTOR_BITS.split(), *JVM_ARGS.split(),
                            "-cp", JAR,
                            "io.github.logits4j.benchmarks.KernelWidth"], capture_output=True, text=True)
    print(f"# kernels: {probe.stdout.strip() or probe.stderr.strip().splitlines()[-1]}", flush=True)
    if args.post_processing:
        post_processing()
        return
    if args.whole_process:
        whole_process(args.pipeline)
        return
    if not os.path.exists(JAR):
        sys.exit(f"{JAR} is missing: run mvn -B -DskipTests install first")

    vector = jmh("KernelBenchmarks", args.quick)
    scalar = jmh("KernelBenchmarks", args.quick, "-Dlogits4j.kernels=scalar")
    floor = vector["arraycopy"]
    for threads in (1, 2):
        ref = torch_kernels(threads)
        for name, bench in KERNEL_NAMES.items():
            if threads == 1:
                line(f"{name}_vector_1thread", vector[bench], ref[name])
                line(f"{name}_scalar_1thread", scalar[bench], ref[name])
            else:
                line(f"{name}_vector_2threads_vs_torch_2threads", vector[bench + "2Threads"], ref[name])
    line("softmax_vs_arraycopy_floor", vector["softmax"], floor)
    if args.quick:
        return

    metrics = jmh("MetricsBenchmarks", True)
    for key, ms in sorted(metrics.items()):
        print(f"workload=metrics_{key} logits4j_ms={ms:.3f}", flush=True)
    evaluation = jmh("EvaluationBenchmarks", True)
    for key, ms in sorted(evaluation.items()):
        print(f"workload=evaluation_library_{key} logits4j_ms={ms:.3f}", flush=True)

    if not os.path.exists(args.pipeline):
        print(f"# {args.pipeline} not found: the whole-process comparison is skipped", flush=True)
        return
    model = os.path.join(ROOT, "testdata", "models", "digits_logits.onnx")
    with tempfile.TemporaryDirectory() as d:
        for rows in (100_000, 1_000_000):
            xp, yp = evaluation_data(d, rows)
            env = dict(os.environ, LOGITS4J_JAVA_OPTS=" ".join(f"-Xmx4g {JVM_ARGS} {VECTOR_BITS}".split()))
            ours = wall_ms([os.path.join(ROOT, "logits4j"), "evaluate", "--model", model, "--inputs", xp, "--labels",
                            yp, "--format", "json", "--batch-size", "1024"], env=env)
            env_py = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
            # ONNX Runtime on its default threads in both (the command line sets none; the pipeline is given 2)
            ref = wall_ms([sys.executable, args.pipeline, model, xp, yp, "1024", "2"], env=env_py)
            line(f"evaluate_whole_process_{rows}", ours, ref)   # see --whole-process for minima too
        heavy_model_share(d)
        post_processing()
        if args.memory:
            for rows, mode in ((1_000_000, "exact"), (10_000_000, "binned")):
                xp, yp = evaluation_data(d, rows)
                env = dict(os.environ, LOGITS4J_JAVA_OPTS="-Xmx256m")
                t0 = time.perf_counter()
                done = subprocess.run([os.path.join(ROOT, "logits4j"), "evaluate", "--model", model, "--inputs", xp,
                                       "--labels", yp, "--format", "json", "--rank-metrics", mode], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                ms = (time.perf_counter() - t0) * 1e3
                outcome = "ok" if done.returncode == 0 else "failed:" + done.stderr.strip().splitlines()[-1]
                print(f"workload=memory_{rows}_{mode}_xmx256m logits4j_ms={ms:.3f} result={outcome}", flush=True)
                os.remove(xp)


def heavy_model_share(directory):
    """A model where ONNX Runtime dominates (an MLP 64-1024-1024-10, built here with onnx.helper): what evaluate's
    post-processing without rank metrics adds to the time in ONNX Runtime, from the command's own timing."""
    import onnx
    from onnx import helper, numpy_helper, TensorProto

    rng = np.random.default_rng(7)
    widths = [64, 1024, 1024, 10]
    nodes, inits, prev = [], [], "x"
    for i in range(3):
        w = numpy_helper.from_array((rng.normal(0, 1 / np.sqrt(widths[i]), (widths[i], widths[i + 1]))
                                     .astype(np.float32)), f"w{i}")
        b = numpy_helper.from_array(np.zeros(widths[i + 1], np.float32), f"b{i}")
        inits += [w, b]
        nodes.append(helper.make_node("Gemm", [prev, f"w{i}", f"b{i}"], [f"h{i}" if i < 2 else "logits"]))
        if i < 2:
            nodes.append(helper.make_node("Relu", [f"h{i}"], [f"r{i}"]))
            prev = f"r{i}"
    graph = helper.make_graph(nodes, "heavy", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 64])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 10])], inits)
    path = os.path.join(directory, "heavy.onnx")
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8), path)
    xp, yp = evaluation_data(directory, 200_000)
    out = subprocess.run([os.path.join(ROOT, "logits4j"), "evaluate", "--model", path, "--inputs", xp, "--labels", yp,
                          "--format", "json", "--rank-metrics", "none", "--batch-size", "1024"],
                         env=dict(os.environ, LOGITS4J_JAVA_OPTS="-Xmx4g"), capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"evaluate of the heavy model failed: {out.stderr.strip()}")
    out = out.stdout
    timing = json.loads(out)["timing"]
    ort, post = timing["onnx_runtime_ms"], timing["post_processing_ms"]
    print(f"workload=heavy_model_postprocessing_200000 logits4j_ms={post:.3f} reference_ms={ort:.3f} "
          f"share={post / ort:.3f}", flush=True)


if __name__ == "__main__":
    main()
