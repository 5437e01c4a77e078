"""Writes ../data/digits_test.parquet: the digits test set as a table, for the Spark jobs' example in README.md.

    .venv/bin/python tables.py

Columns: features (list<float32>, the 64 pixels of digits_test_x.npy) and label (int64, digits_test_y.npy), one
row per sample, in the order of the .npy files. The bytes depend only on the pinned pyarrow and the .npy files.
"""

import os

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "data"))


def main():
    x = np.load(os.path.join(DATA, "digits_test_x.npy")).astype(np.float32)
    y = np.load(os.path.join(DATA, "digits_test_y.npy")).astype(np.int64)
    features = pa.array(list(x), type=pa.list_(pa.float32()))
    table = pa.table({"features": features, "label": pa.array(y, type=pa.int64())})
    path = os.path.join(DATA, "digits_test.parquet")
    pq.write_table(table, path, compression="snappy")
    print(f"{os.path.relpath(path, HERE)}: {table.num_rows} rows, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
