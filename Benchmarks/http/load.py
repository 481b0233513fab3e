#!/usr/bin/env python3
"""HTTP adapter load benchmark (issue 3): added latency, and overload behaviour.

1. Added latency. One small job (OLS 1,000 x 10 with inference, generated with a fixed seed)
   is timed in-process through `SciLearnService.run(body:)` (service-bench, release), and over
   HTTP on loopback (release `scilearn serve`) two ways:
   - paired (the figure): http-bench, one process, alternates the request in-process
     (`SciLearnService.run(body:)` + serialising the response) and as `POST /v1/run` on one
     keep-alive connection, 2,000 pairs; the added latency is the median of the per-pair
     differences, so the machine's drift (on this VM the same in-process loop runs at 1.45 ms or
     2.3 ms from one second to the next) cancels;
   - unpaired, for comparison: wrk with one connection against service-bench's median.
2. Overload. The server runs with --concurrency 2 while wrk holds 5x that many connections
   (10) for 30 s, every connection sending the next request as soon as it has an answer. The
   script samples the server's resident memory every second, counts 200s and 503s, and checks
   that the server is alive and healthy afterwards.

    python3 Benchmarks/http/load.py [--duration 10] [--overload-seconds 30]

Needs wrk (apt-get install wrk). Prints a summary; the figures go to Docs/benchmarks.md by hand.
"""
import argparse, json, os, re, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw).stdout


def request_body(n=1000, p=10, seed=20261123):
    import random
    rng = random.Random(seed)
    beta = [rng.uniform(-2, 2) for _ in range(p)]
    X, y = [], []
    for _ in range(n):
        row = [round(rng.gauss(0, 1), 6) for _ in range(p)]
        X.append(row)
        y.append(round(1.5 + sum(b * v for b, v in zip(beta, row)) + rng.gauss(0, 0.5), 6))
    return json.dumps({"id": "bench-ols-1000x10", "task": "linear_regression", "data": {"X": X, "y": y}})


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port


def start_server(binary, port, concurrency):
    proc = subprocess.Popen([binary, "serve", "--port", str(port), "--concurrency", str(concurrency), "--log-level", "warning"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read(); return proc
        except Exception:
            time.sleep(0.05)
    proc.kill(); sys.exit("server did not start")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])


def wrk(port, lua, connections, threads, seconds):
    out = run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s", lua, f"http://127.0.0.1:{port}/v1/run"])
    return out


def parse_latency(text, label):
    m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=10, help="seconds of the single-connection latency run")
    ap.add_argument("--overload-seconds", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=3, help="alternating in-process / HTTP rounds")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    print("building release binaries ...", flush=True)
    run(["swift", "build", "-c", "release", "--product", "scilearn"], cwd=ROOT)
    server_bin = os.path.join(run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT).strip(), "scilearn")
    bench_dir = os.path.join(ROOT, "Benchmarks")
    run(["swift", "build", "-c", "release", "--product", "service-bench"], cwd=bench_dir)
    run(["swift", "build", "-c", "release", "--product", "http-bench"], cwd=bench_dir)
    bench_bin_dir = run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=bench_dir).strip()
    bench_bin = os.path.join(bench_bin_dir, "service-bench")
    pair_bin = os.path.join(bench_bin_dir, "http-bench")

    tmp = tempfile.mkdtemp(prefix="scilearn-http-bench-")
    body_path = os.path.join(tmp, "ols-1000x10.json")
    body = request_body()
    with open(body_path, "w") as f:
        f.write(body)
    lua = os.path.join(tmp, "post.lua")
    with open(lua, "w") as f:
        f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                f'local f = io.open("{body_path}", "r")\nwrk.body = f:read("*a")\nf:close()\n')
    print(f"request: OLS 1,000 x 10, {len(body):,} bytes", flush=True)

    # 1. Added latency, alternating rounds.
    port = free_port()
    server = start_server(server_bin, port, 2)
    inproc, http = [], []
    try:
        wrk(port, lua, 1, 1, 2)  # warm-up
        for r in range(args.rounds):
            ip = json.loads(run([bench_bin, body_path, "--warmup", "200", "--repeats", "3000"]).strip().splitlines()[-1])
            assert ip["status"] == "ok", ip
            out = wrk(port, lua, 1, 1, args.duration)
            h50 = parse_latency(out, "50")
            h99 = parse_latency(out, "99")
            rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
            non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            assert non2xx is None, out
            inproc.append(ip["p50_us"] / 1000)
            http.append(h50)
            print(f"round {r + 1}: in-process p50 {ip['p50_us'] / 1000:.3f} ms (p99 {ip['p99_us'] / 1000:.3f}); "
                  f"HTTP p50 {h50:.3f} ms (p99 {h99:.3f}), {rps:.0f} req/s on one connection; "
                  f"added {h50 - ip['p50_us'] / 1000:.3f} ms", flush=True)
    finally:
        server.send_signal(signal.SIGTERM); server.wait(timeout=30)
    inproc.sort(); http.sort()
    mid = len(http) // 2
    print(f"unpaired (median of rounds): wrk HTTP p50 {http[mid]:.3f} ms - in-process p50 {inproc[mid]:.3f} ms = {http[mid] - inproc[mid]:.3f} ms")

    port = free_port()
    server = start_server(server_bin, port, 2)
    results = []
    try:
        for r in range(args.rounds):
            results.append(json.loads(run([pair_bin, body_path, "--port", str(port), "--pairs", "2000", "--warmup", "200"]).strip().splitlines()[-1]))
            d = results[-1]
            print(f"paired round {r + 1}: in-process p50 {d['in_process_p50_ms']:.3f} ms, HTTP p50 {d['http_p50_ms']:.3f} ms; "
                  f"added p50 {d['added_p50_ms']:.3f} ms (p90 {d['added_p90_ms']:.3f}, p99 {d['added_p99_ms']:.3f}); "
                  f"round trip - server's job time (Server-Timing) p50 {d['transport_p50_ms']:.3f} ms", flush=True)
    finally:
        server.send_signal(signal.SIGTERM); server.wait(timeout=30)
    added = sorted(d["added_p50_ms"] for d in results)
    print(f"paired added latency, median of {len(added)} rounds of 2,000 pairs: {added[len(added) // 2]:.3f} ms (target < 0.3 ms)")
    transport = sorted(d["transport_p50_ms"] for d in results)
    print(f"transport alone (round trip - Server-Timing), median of rounds: {transport[len(transport) // 2]:.3f} ms")

    # 2. Overload: 10 connections against a concurrency limit of 2, for 30 s.
    port = free_port()
    server = start_server(server_bin, port, 2)
    samples = []
    try:
        rss0 = rss_kib(server.pid)
        wrk_proc = subprocess.Popen(["wrk", "-t", "2", "-c", "10", "-d", f"{args.overload_seconds}s", "--latency", "-s", lua,
                                     f"http://127.0.0.1:{port}/v1/run"], stdout=subprocess.PIPE, text=True)
        start = time.time()
        while wrk_proc.poll() is None:
            samples.append((round(time.time() - start), rss_kib(server.pid)))
            time.sleep(1)
        out = wrk_proc.stdout.read()
        alive = server.poll() is None
        health = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status if alive else None
        metrics = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2).read().decode() if alive else ""
    finally:
        server.send_signal(signal.SIGTERM); code = server.wait(timeout=30)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1])
    ok = re.search(r'scilearn_http_requests_total\{method="POST",path="/v1/run",status="200"\} (\d+)', metrics)
    busy = re.search(r'scilearn_failures_total\{code="overloaded"\} (\d+)', metrics)
    other = [l for l in metrics.splitlines() if l.startswith("scilearn_http_requests_total") and 'status="200"' not in l and 'status="503"' not in l and "/metrics" not in l and "/healthz" not in l]
    rss = [s[1] for s in samples]
    steady = rss[5:] if len(rss) > 6 else rss
    print(f"overload: {total:,} requests in {args.overload_seconds} s on 10 connections (limit 2): "
          f"{int(ok.group(1)) if ok else '?'} answered 200, {int(busy.group(1)) if busy else '?'} answered 503, "
          f"other statuses: {other or 'none'}; wrk non-2xx {non2xx}")
    print(f"overload: p50 latency {parse_latency(out, '50'):.3f} ms, p99 {parse_latency(out, '99'):.3f} ms")
    print(f"overload: RSS before {rss0 / 1024:.1f} MiB; after 5 s {steady[0] / 1024:.1f} MiB; max {max(steady) / 1024:.1f} MiB; "
          f"end {rss[-1] / 1024:.1f} MiB (samples every 1 s: {[round(r / 1024, 1) for r in rss]})")
    print(f"overload: server alive at the end: {alive}; /healthz {health}; exit status after SIGTERM: {code}")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
