#!/usr/bin/env python3
"""Sync versus async: the transport benchmark suite (issue 24), in one command.

    python3 Benchmarks/transport/suite.py            # the whole suite (11.7 minutes in the documented run)
    python3 Benchmarks/transport/suite.py --quick    # a short run to try it (burst 10 s, 1 s cells)

It (1) makes a venv of its own (Benchmarks/.venv-transport: numpy, matplotlib, moto[server];
never used by CI), (2) builds `scilearn` and `transport-bench` in release, (3) writes the job
mix into /tmp/scilearn-transport-data (request templates; the medium and large jobs' tables as
.npy files read by reference), (4) starts moto_server on a free loopback port, (5) runs
`transport-bench` (in-process, POST /v1/run, POST /v1/jobs on the embedded queue, the SQS
backend, the Lambda adapter fed by a local Runtime API server), (6) prices the measurements with
`scilearn bench cost`, and (7) writes the plots (Docs/figures/transport/*.svg) and the tables
(Docs/transport-results.md) from what it measured. Nothing in it is typed in by hand.
"""
import argparse, json, os, platform, shutil, socket, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
VENV = os.path.join(ROOT, "Benchmarks", ".venv-transport")
DATA = "/tmp/scilearn-transport-data"
RUN = "/tmp/scilearn-transport-run"
FIGURES = os.path.join(ROOT, "Docs", "figures", "transport")
RESULTS_MD = os.path.join(ROOT, "Docs", "transport-results.md")
PATHS = ["inprocess", "http", "queue", "sqs", "lambda"]
LABEL = {"inprocess": "in-process", "http": "POST /v1/run", "queue": "POST /v1/jobs (SQLite)", "sqs": "SQS worker (moto)", "lambda": "Lambda adapter"}


def sh(*cmd, **kw):
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kw)


def venv_python():
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        sh(sys.executable, "-m", "venv", VENV)
        sh(py, "-m", "pip", "install", "-q", "numpy==2.4.6", "matplotlib", "moto[server]")
    return py


def in_venv():
    """Re-run this script inside its venv (numpy and matplotlib live there)."""
    py = venv_python()
    if os.path.realpath(sys.prefix) != os.path.realpath(VENV):
        os.execv(py, [py] + sys.argv)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def machine():
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip(); break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.system()}"


def write_data():
    import numpy as np
    os.makedirs(os.path.join(DATA, "jobs"), exist_ok=True)
    rng = np.random.default_rng(24)
    # small: OLS 1,000 x 10 with inference (inline, ~200 KB), and Welch's t-test on 2 x 1,000.
    X = rng.normal(size=(1000, 10)).round(6)
    y = (X @ rng.normal(size=10) + 1 + rng.normal(scale=0.5, size=1000)).round(6)
    jobs = {
        "small-ols": {"task": "linear_regression", "data": {"X": X.tolist(), "y": y.tolist()}},
        "small-ttest": {"task": "ttest_ind", "params": {"equal_var": False},
                        "data": {"a": rng.normal(10, 3, 1000).round(4).tolist(), "b": rng.normal(10.3, 3, 1000).round(4).tolist()}},
    }
    # medium: k-means 100,000 x 20 (k = 8) and large: PCA 200,000 x 500 (20 components), by reference.
    km = os.path.join(DATA, "kmeans.npy")
    if not os.path.exists(km):
        centres = rng.normal(scale=5, size=(8, 20))
        np.save(km, centres[rng.integers(0, 8, 100_000)] + rng.normal(size=(100_000, 20)))
    pc = os.path.join(DATA, "pca.npy")
    if not os.path.exists(pc):
        n, p, r = 200_000, 500, 20
        Xp = np.lib.format.open_memmap(pc, mode="w+", dtype=np.float64, shape=(n, p))
        basis = rng.normal(size=(r, p))
        for s in range(0, n, 20_000):
            Xp[s:s + 20_000] = rng.normal(size=(20_000, r)) * np.linspace(10, 1, r) @ basis + rng.normal(size=(20_000, p))
        Xp.flush(); del Xp
    jobs["medium-kmeans"] = {"task": "kmeans", "params": {"n_clusters": 8, "n_init": 1, "random_state": 0},
                             "data": {"X": {"url": "file://" + km}}}
    jobs["large-pca"] = {"task": "pca", "params": {"n_components": 20}, "data": {"X": {"url": "file://" + pc}}}
    for name, job in jobs.items():
        text = json.dumps({"id": "@ID@", **job}, separators=(",", ":"))
        with open(os.path.join(DATA, "jobs", name + ".json"), "w") as f:
            f.write(text)


def start_moto(py):
    port = free_port()
    moto = subprocess.Popen([os.path.join(VENV, "bin", "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return moto, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    moto.kill(); sys.exit("suite: moto_server did not start")


def fmt(v, digits=3):
    if v is None:
        return "-"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.{digits}g}"


def plots(results):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    os.makedirs(FIGURES, exist_ok=True)
    out = []
    sweep = results["sweep"]
    # Latency distributions, small OLS at concurrency 1 and 16.
    for level in (1, 16):
        fig, ax = plt.subplots(figsize=(7, 4))
        for path in PATHS:
            cell = next((c for c in sweep if c["path"] == path and c["job"] == "small-ols" and c["concurrency"] == level), None)
            if cell and cell["distribution"]:
                xs, ys = zip(*cell["distribution"])
                ax.step(xs, ys, where="post", label=LABEL[path])
        ax.set_xscale("log"); ax.set_xlabel("latency (ms, log)"); ax.set_ylabel("fraction of jobs")
        ax.set_title(f"small OLS job, concurrency {level}: latency distribution"); ax.grid(alpha=0.3); ax.legend()
        name = f"latency-small-ols-c{level}.svg"; fig.tight_layout(); fig.savefig(os.path.join(FIGURES, name)); plt.close(fig); out.append(name)
    # Throughput against concurrency, per job.
    jobs = sorted({c["job"] for c in sweep}, key=lambda j: ["small-ols", "small-ttest", "medium-kmeans", "large-pca"].index(j))
    fig, axes = plt.subplots(1, len(jobs), figsize=(4 * len(jobs), 3.6))
    for ax, job in zip(axes if len(jobs) > 1 else [axes], jobs):
        for path in PATHS:
            cells = sorted((c for c in sweep if c["path"] == path and c["job"] == job), key=lambda c: c["concurrency"])
            if cells:
                ax.plot([c["concurrency"] for c in cells], [c["jobsPerSecond"] for c in cells], marker="o", label=LABEL[path])
        ax.set_xscale("log", base=2); ax.set_yscale("log"); ax.set_title(job); ax.set_xlabel("concurrency"); ax.grid(alpha=0.3)
    (axes[0] if len(jobs) > 1 else axes).set_ylabel("jobs / s"); (axes[-1] if len(jobs) > 1 else axes).legend(fontsize=7)
    name = "throughput.svg"; fig.tight_layout(); fig.savefig(os.path.join(FIGURES, name)); plt.close(fig); out.append(name)
    # Outstanding jobs over time in the burst profile.
    if results["traffic"]:
        fig, ax = plt.subplots(figsize=(8, 4))
        for run in results["traffic"]:
            xs, ys = zip(*run["outstanding"])
            ax.plot(xs, ys, label=LABEL[run["path"]])
        t = 0
        for ph in results["traffic"][0]["phases"]:
            ax.axvspan(t, t + ph["seconds"], alpha=0.08 if ph["name"] == "burst" else 0.0, color="red")
            t += ph["seconds"]
        ax.set_xlabel("seconds"); ax.set_ylabel("jobs submitted, not yet answered"); ax.set_yscale("symlog")
        ax.set_title("10x burst (shaded): backlog over time, small OLS job"); ax.grid(alpha=0.3); ax.legend()
        name = "burst-backlog.svg"; fig.tight_layout(); fig.savefig(os.path.join(FIGURES, name)); plt.close(fig); out.append(name)
    return out


def tables(results, costs, cost_text, figures, seconds, command):
    sweep = results["sweep"]
    base = {(c["job"], c["concurrency"]): c for c in sweep if c["path"] == "inprocess"}
    L = []
    L.append("# Transport suite results (generated)")
    L.append("")
    L.append(f"Written by `{command}` on {results['date']}; do not edit by hand. Machine: {results['machine']}. "
             f"The suite ran {seconds / 60:.1f} minutes. Discussion: [benchmarks.md](benchmarks.md), \"Sync versus async\".")
    L.append("")
    L.append("## The jobs, in process (the cost model's inputs)")
    L.append("")
    L.append("| job | wall per job | CPU per job | peak RSS of `scilearn run` | request | success record |")
    L.append("| --- | --- | --- | --- | --- | --- |")
    for p in results["profiles"]:
        L.append(f"| {p['name']} | {fmt(p['wallSeconds'] * 1e3)} ms | {fmt(p['cpuSeconds'] * 1e3)} ms | {fmt(p['peakMemoryMiB'])} MiB | "
                 f"{p['requestBytes']:,} B | {p['resultBytes']:,} B |")
    st = results["startup"]
    fi = sorted(st["firstInvocationSeconds"]); rest = sorted(st["restMiB"])
    L.append("")
    L.append(f"Lambda adapter start-up (process start to the first answered invocation, the init a cold start pays; "
             f"{len(fi)} runs): median {fmt(fi[len(fi) // 2] * 1e3)} ms (min {fmt(fi[0] * 1e3)}, max {fmt(fi[-1] * 1e3)}); "
             f"memory at rest {fmt(rest[len(rest) // 2])} MiB.")
    ms = results["motoSend"]
    L.append("")
    L.append(f"moto_server's `SendMessage` of a {results['profiles'][0]['resultBytes']:,}-byte record (the small OLS job's success record), "
             f"50 calls: p50 {fmt(ms['p50'])} ms, p99 {fmt(ms['p99'])} ms. The SQS and Lambda paths pay this hop (and the SQS path "
             "its receives) at moto's speed, not at SQS's.")
    L.append("")
    L.append("## Throughput and latency by path and concurrency (closed loop)")
    L.append("")
    L.append("Latency from the call to a readable result, of the jobs that succeeded; jobs/s counts successes only; "
             "`× in-process` is the path's median over the in-process median at the same job and concurrency.")
    for job in ["small-ols", "small-ttest", "medium-kmeans", "large-pca"]:
        cells = [c for c in sweep if c["job"] == job]
        if not cells:
            continue
        L.append("")
        L.append(f"### {job}")
        L.append("")
        L.append("| path | concurrency | jobs/s | p50 | p95 | p99 | × in-process (p50) | failed | 503s |")
        L.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for path in PATHS:
            for c in sorted((c for c in cells if c["path"] == path), key=lambda c: c["concurrency"]):
                b = base.get((job, c["concurrency"]))
                ratio = c["latency"]["p50"] / b["latency"]["p50"] if b and b["latency"]["p50"] > 0 else None
                L.append(f"| {LABEL[path]} | {c['concurrency']} | {fmt(c['jobsPerSecond'])} | {fmt(c['latency']['p50'])} ms | "
                         f"{fmt(c['latency']['p95'])} ms | {fmt(c['latency']['p99'])} ms | {fmt(ratio)} | {c['failed']} | {c['refusals']} |")
    if results["traffic"]:
        L.append("")
        L.append("## Traffic profile: steady, a 10× burst, recovery, idle (small OLS job, open loop)")
        L.append("")
        ph = results["traffic"][0]["phases"]
        L.append("Phases: " + ", ".join(f"{p['name']} {fmt(p['seconds'])} s at {fmt(p['rate'])}/s" for p in ph if True) +
                 " (per path: the steady rate is 0.15 of the path's measured throughput, so the burst is 1.5× it).")
        L.append("")
        L.append("Latencies are of the jobs that succeeded (`-`: none did in that phase); `unanswered` jobs had no answer "
                 "when the drain limit (30 s after the last phase) ran out and are not in them. `POST /v1/run` tries each "
                 "arrival once here: a 503 is the job refused (counted in `failed` too).")
        L.append("")
        L.append("| path | steady rate | steady p50 / p99 | burst p50 / p99 | after idle p50 | peak backlog | drained after the burst | 503s | failed | unanswered |")
        L.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for run in results["traffic"]:
            lat = run["latency"]
            g = lambda name, q: lat.get(name, {}).get(q) if lat.get(name, {}).get("count", 0) > 0 else None
            rate = run["phases"][0]["rate"]
            L.append(f"| {LABEL[run['path']]} | {fmt(rate)}/s | {fmt(g('steady', 'p50'))} / {fmt(g('steady', 'p99'))} ms | "
                     f"{fmt(g('burst', 'p50'))} / {fmt(g('burst', 'p99'))} ms | {fmt(g('after-idle', 'p50'))} ms | "
                     f"{run['peakOutstanding']:,} | {fmt(run.get('drainSeconds'))} s | {run['refusals']:,} | {run['failed']:,} | {run['unanswered']:,} |")
    L.append("")
    L.append("## Cost: always-on against SQS + Lambda (`scilearn bench cost`)")
    L.append("")
    L.append("```")
    L.append(cost_text.strip())
    L.append("```")
    L.append("")
    L.append("## Plots")
    L.append("")
    for f in figures:
        L.append(f"![{f}](figures/transport/{f})")
    L.append("")
    with open(RESULTS_MD, "w") as f:
        f.write("\n".join(L))
    print("wrote", os.path.relpath(RESULTS_MD, ROOT))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="a short run: 10 s burst, 1 s cells, concurrency 1 and 4")
    ap.add_argument("--skip-build", action="store_true")
    args = ap.parse_args()
    in_venv()
    t0 = time.time()
    if not args.skip_build:
        for product in ("scilearn", "transport-bench"):
            sh("swift", "build", "-c", "release", "--product", product, cwd=ROOT)
    binary = os.path.join(ROOT, ".build", "release", "scilearn")
    bench = os.path.join(ROOT, ".build", "release", "transport-bench")
    write_data()
    shutil.rmtree(RUN, ignore_errors=True); os.makedirs(RUN)
    moto, endpoint = start_moto(sys.executable)
    results_path, costs_path = os.path.join(RUN, "results.json"), os.path.join(RUN, "costs-input.json")
    try:
        cmd = [bench, "--scilearn", binary, "--data-dir", DATA, "--run-dir", RUN, "--sqs-endpoint", endpoint,
               "--out", results_path, "--costs-out", costs_path, "--machine", machine()]
        if args.quick:
            cmd += ["--burst-seconds", "10", "--cell-seconds", "1", "--concurrency", "1,4"]
        sh(*cmd)
    finally:
        moto.terminate(); moto.wait(timeout=30)
    results = json.load(open(results_path))
    cost_text = subprocess.run([binary, "bench", "cost", "--measurements", costs_path], check=True, capture_output=True, text=True).stdout
    cost_text += "\nWith one always-on instance allowed (--minimum-instances 1):\n" + subprocess.run(
        [binary, "bench", "cost", "--measurements", costs_path, "--minimum-instances", "1"], check=True, capture_output=True, text=True).stdout
    costs = json.loads(subprocess.run([binary, "bench", "cost", "--measurements", costs_path, "--json"], check=True, capture_output=True, text=True).stdout)
    print(cost_text)
    shutil.copy(results_path, os.path.join(ROOT, "Docs", "figures", "transport", "results.json")) if os.path.isdir(FIGURES) else None
    figures = plots(results)
    shutil.copy(results_path, os.path.join(FIGURES, "results.json"))
    shutil.copy(costs_path, os.path.join(FIGURES, "costs-input.json"))
    tables(results, costs, cost_text, figures, time.time() - t0, "python3 Benchmarks/transport/suite.py" + (" --quick" if args.quick else ""))
    print(f"suite: {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
