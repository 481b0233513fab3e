#!/usr/bin/env python3
"""Data by reference, side by side: SciLearn's CSV and .npy readers against pandas.read_csv and
pyarrow.csv.read_csv on the same 1,000,000 x 50 file (the protocol's W1 X with y as a 51st
column, written by numpy with 17 significant digits: about 900 MB), in one run.

    /work/.venv-bench/bin/python Benchmarks/data/read_bench.py [--rows 1000000] [--rounds 3]

Needs: the release binary (`swift build -c release --product scilearn`), numpy, pandas and
pyarrow in the benchmark's own venv (never in CI). The data (written once, then reused) goes to
/tmp/scilearn-perf-data/D1/.

What is timed:
- SciLearn: `scilearn bench read --data-root DIR file://...` (the file opened, its header read,
  and the named columns parsed into the column-major matrix, exactly as a job's data field is
  read; its `elapsed_ms`, the process's start excluded): the issue's "parse into the matrix".
  Also `scilearn run` of a `describe` request whose X is the file by reference (its
  `elapsed_ms`: the request read, the same read, and describe's one pass over the matrix).
- pandas: `pd.read_csv(path)` then `.to_numpy()` (a float64 matrix, as ours), default C engine.
- pyarrow: `pyarrow.csv.read_csv(path)` then each column `to_numpy()` into one float64 matrix.
- .npy: SciLearn's read against `np.load` and against the bytes at the measured read bandwidth.
Medians of --rounds, the CSV readers alternating round by round; the page cache is warm for
every reader (each file is read once untimed).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
DATA = "/tmp/scilearn-perf-data"
BINARY = os.path.join(ROOT, ".build", "release", "scilearn")


def ensure_data(rows):
    folder = os.path.join(DATA, "D1" if rows == 1_000_000 else f"D1-{rows}")
    os.makedirs(folder, exist_ok=True)
    csv, npy = os.path.join(folder, "X.csv"), os.path.join(folder, "X.npy")
    if not (os.path.exists(csv) and os.path.exists(npy)):
        w1 = os.path.join(DATA, "W1")
        if not os.path.exists(os.path.join(w1, "X.npy")):
            subprocess.run([sys.executable, os.path.join(ROOT, "..", "shared", "bench", "workloads.py"), "--save", "--only", "W1"], check=True)
        X = np.load(os.path.join(w1, "X.npy"))[:rows]
        y = np.load(os.path.join(w1, "y.npy"))[:rows]
        M = np.column_stack([X, y])
        np.save(npy, np.ascontiguousarray(X))
        header = ",".join([f"x{j}" for j in range(X.shape[1])] + ["y"])
        t = time.perf_counter()
        np.savetxt(csv, M, delimiter=",", fmt="%.17g", header=header, comments="")
        print(f"wrote {csv} ({os.path.getsize(csv) / 1e6:.0f} MB) in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return folder, csv, npy


def median_time(f, rounds):
    f()  # warm: the page cache, the libraries
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def scilearn(folder, request, rounds):
    body = json.dumps(request)
    def once():
        out = subprocess.run([BINARY, "run", "--data-root", folder, "--max-cells", "60000000", "--max-job-memory", "8e9", "-"], input=body.encode(), capture_output=True, check=True)
        response = json.loads(out.stdout)
        assert response["status"] == "ok", response
        return response["elapsed_ms"] / 1000
    once()
    return statistics.median([once() for _ in range(rounds)])


def scilearn_read(folder, url, columns, rounds):
    """`scilearn bench read`'s elapsed seconds: one run when rounds is 0, else the median of
    `rounds` after one untimed run."""
    args = [BINARY, "bench", "read", "--data-root", folder, "--max-cells", "60000000", url]
    if columns:
        args += ["--columns", ",".join(columns)]
    def once():
        out = subprocess.run(args, capture_output=True, check=True)
        return json.loads(out.stdout)["elapsed_ms"] / 1000
    if rounds == 0:
        return once()
    once()
    return statistics.median([once() for _ in range(rounds)])


def read_bandwidth(path):
    """GB/s of reading the file from the page cache into memory (numpy.fromfile, warm)."""
    np.fromfile(path, dtype=np.uint8)
    t = time.perf_counter()
    a = np.fromfile(path, dtype=np.uint8)
    return a.size / (time.perf_counter() - t) / 1e9


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    if not os.path.exists(BINARY):
        sys.exit(f"build the release binary first: swift build -c release --product scilearn ({BINARY})")
    import pandas as pd
    import pyarrow
    import pyarrow.csv as pacsv
    folder, csv, npy = ensure_data(a.rows)
    p = 50
    columns = [f"x{j}" for j in range(p)]
    print(f"rows {a.rows}, CSV {os.path.getsize(csv) / 1e6:.0f} MB, .npy {os.path.getsize(npy) / 1e6:.0f} MB; "
          f"numpy {np.__version__}, pandas {pd.__version__}, pyarrow {pyarrow.__version__}; {os.cpu_count()} cores")

    # The CSV readers alternate round by round (ours, pandas, pyarrow, ...), so that a phase of
    # the host (a shared machine's speed changes by tens of percent over minutes) weighs on all
    # of them alike; the ratio is the median of the rounds' ratios.
    def read_csv_once():
        return scilearn_read(folder, "file://" + csv, columns, 0)
    def timed(f):
        t = time.perf_counter()
        f()
        return time.perf_counter() - t
    read_csv_once()
    pd.read_csv(csv)
    ours_rounds, pandas_rounds, arrow_rounds = [], [], []
    for _ in range(a.rounds):
        ours_rounds.append(read_csv_once())
        pandas_rounds.append(timed(lambda: pd.read_csv(csv).to_numpy()))
        arrow_rounds.append(timed(lambda: np.column_stack([c.to_numpy() for c in pacsv.read_csv(csv).columns])))
    read_csv = statistics.median(ours_rounds)
    pandas_t = statistics.median(pandas_rounds)
    arrow_t = statistics.median(arrow_rounds)
    pandas_ratio = statistics.median([o / p for o, p in zip(ours_rounds, pandas_rounds)])
    arrow_ratio = statistics.median([o / p for o, p in zip(ours_rounds, arrow_rounds)])
    read_npy = scilearn_read(folder, "file://" + npy, None, a.rounds)
    ours_csv = scilearn(folder, {"task": "describe", "data": {"X": {"url": "file://" + csv, "columns": columns}}}, a.rounds)
    ours_npy = scilearn(folder, {"task": "describe", "data": {"X": {"url": "file://" + npy}}}, a.rounds)
    np_load = median_time(lambda: np.load(npy), a.rounds)
    bandwidth = read_bandwidth(npy)
    bound = os.path.getsize(npy) / 1e9 / bandwidth

    print(f"CSV  SciLearn read {read_csv * 1e3:9.1f} ms   pandas {pandas_t * 1e3:9.1f} ms  ratio {pandas_ratio:.3f} (target <= 0.3)"
          f"   pyarrow {arrow_t * 1e3:9.1f} ms  ratio {arrow_ratio:.3f} (target <= 1)   (medians; ratios: medians of the alternated rounds')")
    print(f"     (a describe job of it, request to response: {ours_csv * 1e3:.1f} ms)")
    print(f".npy SciLearn read {read_npy * 1e3:9.1f} ms   np.load {np_load * 1e3:9.1f} ms"
          f"   bytes at the measured read rate ({bandwidth:.1f} GB/s): {bound * 1e3:.1f} ms")
    print(f"     (a describe job of it, request to response: {ours_npy * 1e3:.1f} ms)")


if __name__ == "__main__":
    main()
