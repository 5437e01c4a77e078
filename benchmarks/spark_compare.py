"""Distributed evaluation on Spark (local[2]) against single-JVM `logits4j evaluate` on the same rows. Prints one line
per size:

    workload=spark_evaluate_<rows> spark_ms=<job> single_jvm_ms=<evaluate> rows_per_s=<spark> single_rows_per_s=<jvm>
        ratio=<spark throughput / single-JVM throughput> ...

and the transformer's overhead over bare ONNX Runtime per partition: the tasks' run time (Spark's own task metrics,
from its event log) against the ONNX Runtime time the partitions report.

Run from the repository root after `mvn -B -DskipTests install`, with the testdata virtual environment:

    testdata/generate/.venv/bin/python benchmarks/spark_compare.py                   # 1,000,000 and 10,000,000 rows
    testdata/generate/.venv/bin/python benchmarks/spark_compare.py --rows 1000000    # one size
    testdata/generate/.venv/bin/python benchmarks/spark_compare.py --layout columns  # 64 float columns, not a list

The rows are the digits test split resampled with jitter (as compare.py's), written once per size to a directory
(default: the temporary directory) as .npy for the single JVM and as Parquet (features list<float>, label int64, row
groups of 500,000 rows) for Spark. Both run binned rank metrics (the Spark job's default) and the digits logits model;
the times are of the evaluation itself (the report's total_ms: reading the rows, the model, the metrics), with the JVM
and Spark start-up reported apart as the whole-process wall time.
"""

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
MODEL = os.path.join(ROOT, "testdata", "models", "digits_logits.onnx")
CHUNK = 500_000


def data(directory, rows, layout="list"):
    """x_<rows>.npy, y_<rows>.npy and digits_<rows>.parquet (or digits_columns_<rows>.parquet) under directory, reused
    when present."""
    xp, yp = os.path.join(directory, f"x_{rows}.npy"), os.path.join(directory, f"y_{rows}.npy")
    table = os.path.join(directory, f"digits_{rows}.parquet")
    if layout == "columns":
        xp, yp, lists = data(directory, rows)
        table = os.path.join(directory, f"digits_columns_{rows}.parquet")
        if not os.path.exists(table):
            x = np.load(xp, mmap_mode="r")
            y = np.load(yp)
            schema = pa.schema([(f"f{j}", pa.float32()) for j in range(64)] + [("label", pa.int64())])
            with pq.ParquetWriter(table, schema, compression="snappy") as writer:
                for start in range(0, rows, CHUNK):
                    chunk = np.asarray(x[start:start + CHUNK])
                    columns = {f"f{j}": pa.array(np.ascontiguousarray(chunk[:, j])) for j in range(64)}
                    columns["label"] = pa.array(y[start:start + CHUNK])
                    writer.write_table(pa.table(columns, schema=schema))
        return xp, yp, table
    if os.path.exists(xp) and os.path.exists(yp) and os.path.exists(table):
        return xp, yp, table
    x = np.load(os.path.join(ROOT, "testdata", "data", "digits_test_x.npy"))
    y = np.load(os.path.join(ROOT, "testdata", "data", "digits_test_y.npy"))
    rng = np.random.default_rng(rows)
    xs = np.lib.format.open_memmap(xp, mode="w+", dtype=np.float32, shape=(rows, 64))
    ys = np.empty(rows, dtype=np.int64)
    schema = pa.schema([("features", pa.list_(pa.float32())), ("label", pa.int64())])
    with pq.ParquetWriter(table, schema, compression="snappy") as writer:
        for start in range(0, rows, CHUNK):
            n = min(CHUNK, rows - start)
            idx = rng.integers(0, len(x), n)
            chunk = np.clip(x[idx] + rng.normal(0, 0.05, (n, 64)).astype(np.float32), 0, 1).astype(np.float32)
            xs[start:start + n] = chunk
            ys[start:start + n] = y[idx]
            features = pa.ListArray.from_arrays(pa.array(np.arange(0, 64 * n + 1, 64, dtype=np.int32)),
                                                pa.array(chunk.reshape(-1)))
            writer.write_table(pa.table({"features": features, "label": pa.array(ys[start:start + n])},
                                        schema=schema))
    xs.flush()
    del xs
    np.save(yp, ys)
    return xp, yp, table


def run_json(cmd, env=None):
    """(wall ms, the JSON report) of one command."""
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = (time.perf_counter() - t0) * 1e3
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd[:4])}... failed ({done.returncode}):\n{done.stderr[-3000:]}")
    report, _ = json.JSONDecoder().raw_decode(done.stdout.lstrip())     # the report; anything after it is not
    return wall, report


def task_run_ms(event_dir):
    """The summed run time of the tasks of the job's evaluation stages (Spark's executorRunTime) in the event log."""
    total = 0
    for log in glob.glob(os.path.join(event_dir, "**", "*"), recursive=True):   # Spark 4 rolls logs into folders
        if not os.path.isfile(log):
            continue
        with open(log) as f:
            for raw in f:
                event = json.loads(raw)
                if event.get("Event") == "SparkListenerTaskEnd" and event.get("Task End Reason", {}).get(
                        "Reason") == "Success":
                    total += event["Task Metrics"]["Executor Run Time"]
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--dir", default=os.path.join(tempfile.gettempdir(), "logits4j-spark-bench"),
                    help="where the generated tables stay between runs")
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--layout", choices=["list", "columns"], default="list",
                    help="the features as one list<float> column (default) or as 64 float columns")
    args = ap.parse_args()
    jars = glob.glob(os.path.join(ROOT, "spark-jobs", "target", "logits4j-spark-jobs-*-job.jar"))
    if not jars:
        sys.exit("spark-jobs/target/logits4j-spark-jobs-*-job.jar is missing: run mvn -B -DskipTests install first")
    os.makedirs(args.dir, exist_ok=True)
    for rows in args.rows:
        xp, yp, table = data(args.dir, rows, args.layout)
        columns = ["--feature-cols", ",".join(f"f{j}" for j in range(64))] if args.layout == "columns" else []
        single, spark, tasks, ort = [], [], [], []
        wall_single, wall_spark = [], []
        for _ in range(args.repeats):
            env = dict(os.environ, LOGITS4J_JAVA_OPTS="-Xmx4g")
            wall, report = run_json([os.path.join(ROOT, "logits4j"), "evaluate", "--model", MODEL, "--inputs", xp,
                                     "--labels", yp, "--format", "json", "--rank-metrics", "binned",
                                     "--batch-size", "512"], env=env)
            single.append(report["timing"]["total_ms"])
            wall_single.append(wall)
            events = tempfile.mkdtemp(prefix="spark-events-")
            wall, report = run_json([os.path.join(ROOT, "spark-jobs", "submit"), "--master", "local[2]",
                                     "--driver-memory", "4g", "--conf", "spark.ui.enabled=false",
                                     "--conf", "spark.log.level=WARN", "--conf", "spark.eventLog.enabled=true",
                                     "--conf", f"spark.eventLog.dir=file://{events}", "--conf", "spark.eventLog.compress=false",
                                     "--class", "io.github.logits4j.spark.jobs.EvaluateJob", jars[0],
                                     "--model", MODEL, "--table", table, "--format", "json", "--rank-metrics",
                                     "binned", "--batch-size", "512", *columns])
            spark.append(report["timing"]["total_ms"])
            wall_spark.append(wall)
            tasks.append(task_run_ms(events))
            ort.append(report["timing"]["onnx_runtime_ms"])
            shutil.rmtree(events, ignore_errors=True)
        s, j = min(spark), min(single)
        i = spark.index(s)
        overhead = (tasks[i] - ort[i]) / ort[i]
        name = f"spark_evaluate_{rows}" + ("_columns" if args.layout == "columns" else "")
        print(f"workload={name} spark_ms={s:.0f} single_jvm_ms={j:.0f} rows_per_s={rows / s * 1e3:.0f}"
              f" single_rows_per_s={rows / j * 1e3:.0f} ratio={j / s:.2f} spark_wall_ms={min(wall_spark):.0f}"
              f" single_wall_ms={min(wall_single):.0f} task_run_ms={tasks[i]:.0f} onnx_runtime_ms={ort[i]:.0f}"
              f" transformer_overhead_over_ort={overhead:.2f}", flush=True)


if __name__ == "__main__":
    main()
