#!/usr/bin/env python3
"""Side-by-side timing of SciLearn against scikit-learn / statsmodels on the same bytes.

    python3 Benchmarks/compare/compare.py [--cases W1-ols,W2-ridge,W3-logistic] [--rounds 5]
                                          [--data-dir /tmp/scilearn-perf-data]

1. Generates the protocol's workloads deterministically into --data-dir (never into git; skipped
   when the manifest is already there with the same parameters).
2. Builds `scilearn-bench` (release) from Benchmarks/.
3. For each case, alternates in rounds: the Python reference once (timed), then scilearn-bench
   (one untimed warm-up, one timed run), so both see the same machine state.
4. Prints the medians, the ratio SciLearn / reference per case, and the metrics of both so that
   the answers can be seen to agree.
"""
import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH_PACKAGE = os.path.dirname(HERE)

WORKLOADS = {
    # name: (rows, cols, seed)
    "W1": (1_000_000, 50, 1),
    "W3": (200_000, 50, 3),
    "W7": (100_000, 50, 7),
}


def generate(data_dir, name):
    n, p, seed = WORKLOADS[name]
    folder = os.path.join(data_dir, name)
    if name == "W3":
        params = {"n": n, "p": p, "seed": seed, "model": "y ~ Bernoulli(sigmoid(0.5 + X b)), X ~ N(0, 1), b ~ N(0, 0.3^2)"}
    else:
        params = {"n": n, "p": p, "seed": seed, "model": "y = 2 + X b + N(0, 0.5^2), X ~ N(mu_j, s_j^2)"}
    manifest_path = os.path.join(folder, "manifest.json")
    if os.path.exists(manifest_path):
        with open(manifest_path) as f:
            if json.load(f).get("params") == params:
                return folder
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(seed)
    if name == "W3":
        X = rng.standard_normal((n, p))
        b = rng.normal(scale=0.3, size=p)
        y = (rng.uniform(size=n) < 1 / (1 + np.exp(-(0.5 + X @ b)))).astype(float)
    else:
        scales = rng.uniform(0.5, 5.0, size=p)
        means = rng.uniform(-10, 10, size=p)
        X = rng.standard_normal((n, p)) * scales + means
        b = rng.normal(size=p)
        y = 2.0 + X @ b + rng.normal(scale=0.5, size=n)
    arrays = {}
    for key, arr in (("X", X), ("y", y)):
        arr = np.ascontiguousarray(arr, dtype="<f8")
        arr.tofile(os.path.join(folder, f"{key}.f64"))
        np.save(os.path.join(folder, f"{key}.npy"), arr)
        arrays[key] = {"shape": list(arr.shape), "dtype": "float64", "byte_order": "little",
                       "order": "C (row-major)", "files": {"npy": f"{key}.npy", "f64": f"{key}.f64"},
                       "sha256": hashlib.sha256(arr.tobytes()).hexdigest()}
    with open(manifest_path, "w") as f:
        json.dump({"format_version": 1, "name": name, "params": params, "arrays": arrays}, f, indent=1)
    return folder


def load(folder):
    return np.load(os.path.join(folder, "X.npy")), np.load(os.path.join(folder, "y.npy"))


def ref_sklearn_ols(X, y):
    from sklearn.linear_model import LinearRegression
    m = LinearRegression().fit(X, y)
    return {"intercept": float(m.intercept_), "coef0": float(m.coef_[0])}


def ref_statsmodels_inference(X, y):
    import statsmodels.api as sm
    r = sm.OLS(y, sm.add_constant(X)).fit()
    bse, _, _ = r.bse, r.pvalues, r.conf_int()
    return {"intercept": float(r.params[0]), "r_squared": float(r.rsquared), "bse0": float(bse[0]),
            "f_statistic": float(r.fvalue)}


def ref_sklearn_ridge(X, y):
    from sklearn.linear_model import Ridge
    m = Ridge(alpha=1.0).fit(X, y)
    return {"intercept": float(m.intercept_), "coef0": float(m.coef_[0])}


def ref_sklearn_logistic(X, y):
    from sklearn.linear_model import LogisticRegression
    m = LogisticRegression(C=1.0, tol=1e-6).fit(X, y)
    return {"intercept": float(m.intercept_[0]), "coef0": float(m.coef_[0, 0]), "n_iter": int(m.n_iter_[0])}


CASES = {
    "W1-ols": ("W1", "scikit-learn LinearRegression().fit", ref_sklearn_ols),
    "W1-ols-inference": ("W1", "statsmodels OLS(y, add_constant(X)).fit() + bse, pvalues, conf_int", ref_statsmodels_inference),
    "W7-ols-inference": ("W7", "statsmodels OLS(y, add_constant(X)).fit() + bse, pvalues, conf_int", ref_statsmodels_inference),
    "W2-ridge": ("W1", "scikit-learn Ridge(alpha=1).fit", ref_sklearn_ridge),
    "W3-logistic": ("W3", "scikit-learn LogisticRegression(C=1, tol=1e-6).fit (L-BFGS)", ref_sklearn_logistic),
}


def build_bench():
    subprocess.run(["swift", "build", "-c", "release", "--product", "scilearn-bench"], cwd=BENCH_PACKAGE, check=True,
                   stdout=subprocess.DEVNULL)
    out = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=BENCH_PACKAGE, check=True,
                         capture_output=True, text=True).stdout.strip()
    return os.path.join(out, "scilearn-bench")


def run_bench(binary, case, data_dir, warmup, repeats):
    out = subprocess.run([binary, "--case", case, "--data-dir", data_dir, "--warmup", str(warmup),
                          "--repeats", str(repeats)], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--data-dir", default="/tmp/scilearn-perf-data")
    args = ap.parse_args()
    cases = [c for c in args.cases.split(",") if c]
    for c in cases:
        if c not in CASES:
            sys.exit(f"unknown case {c}; known: {', '.join(CASES)}")
    binary = build_bench()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; python {platform.python_version()}")
    rows = []
    for case in cases:
        workload, ref_name, ref = CASES[case]
        folder = generate(args.data_dir, workload)
        X, y = load(folder)
        ref(X, y)  # warm-up
        ref_times, sl_times = [], []
        ref_metrics = sl_metrics = None
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            ref_metrics = ref(X, y)
            ref_times.append(time.perf_counter() - t0)
            r = run_bench(binary, case, args.data_dir, warmup=1, repeats=1)
            sl_times.extend(r["times_s"])
            sl_metrics = r["metrics"]
        rm, sm_ = statistics.median(ref_times), statistics.median(sl_times)
        rows.append((case, ref_name, rm, sm_, sm_ / rm))
        print(f"{case}: reference {rm * 1000:.1f} ms, SciLearn {sm_ * 1000:.1f} ms, ratio {sm_ / rm:.3f}")
        print(f"    reference metrics {json.dumps(ref_metrics)}")
        print(f"    SciLearn  metrics {json.dumps(sl_metrics)}")
    print()
    print("| case | reference | reference median | SciLearn median | ratio SciLearn / reference |")
    print("| --- | --- | --- | --- | --- |")
    for case, name, rm, sm_, ratio in rows:
        print(f"| {case} | {name} | {rm * 1000:.1f} ms | {sm_ * 1000:.1f} ms | {ratio:.3f} |")


if __name__ == "__main__":
    main()
