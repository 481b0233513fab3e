#!/usr/bin/env python3
"""Embedded queue benchmark (issue 4): throughput of worker processes, and end-to-end latency.

The job is the small job of the HTTP benchmark: OLS 1,000 x 10 with inference (fixed seed,
~116 KB of JSON), each copy with its own id. Everything goes through the release binary:

1. Submit: `scilearn serve --worker-concurrency 0` on a fresh queue file; N jobs are POSTed to
   /v1/jobs on one keep-alive connection. Every 202 is a durable commit (synchronous=FULL).
2. Throughput: for each worker layout (1 process x 2 slots, 2 processes x 1 slot, 2 processes x
   2 slots), a copy of the loaded file is drained by `scilearn worker` processes; the time is
   from their start until the queue is empty (read from the file every 5 ms), so it includes
   process start. jobs/s = N / that time.
3. Latency: `scilearn serve` with its embedded worker (2 slots); K jobs one after another: POST
   /v1/jobs, then GET /v1/jobs/{id} every 0.5 ms until it says succeeded. p50 / p99 / max of
   POST-start to the first GET that returned the response; and the same with 4 clients at once.

    python3 Benchmarks/queue/bench.py [--jobs 5000] [--latency-jobs 1000]

Prints a summary; the figures go to Docs/benchmarks.md by hand.
"""
import argparse, http.client, json, os, re, shutil, sqlite3, statistics, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, "..", "http"))
from load import request_body, free_port  # noqa: E402


def start_serve(binary, queue_dir, worker_concurrency):
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--port", str(port), "--queue", f"sqlite:{queue_dir}/queue.db",
                             "--worker-concurrency", str(worker_concurrency), "--log-level", "warning"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(400):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/healthz"); c.getresponse().read(); c.close()
            return proc, port
        except OSError:
            time.sleep(0.025)
    proc.kill(); sys.exit("bench: serve did not start: " + proc.stderr.read().decode())


def stop(proc):
    proc.terminate()
    if proc.wait(timeout=60) != 0:
        sys.exit(f"bench: a process exited {proc.returncode}: {proc.stderr.read().decode() if proc.stderr else ''}")


def small_body():
    """OLS 100 x 3 with inference: the queue's own overhead, with little job in the way."""
    import json as j, random
    rng = random.Random(7)
    X = [[round(rng.gauss(0, 1), 6) for _ in range(3)] for _ in range(100)]
    y = [round(1 + r[0] - 2 * r[1] + 0.5 * r[2] + rng.gauss(0, 0.3), 6) for r in X]
    return j.dumps({"id": "bench-ols-1000x10", "task": "linear_regression", "data": {"X": X, "y": y}})


def bodies(n, prefix, template=None):
    template = template or request_body()
    return [template.replace('"bench-ols-1000x10"', f'"{prefix}-{i:06d}"', 1).encode() for i in range(n)]


def submit(port, payloads):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    t0 = time.perf_counter()
    for b in payloads:
        c.request("POST", "/v1/jobs", body=b, headers={"Content-Type": "application/json"})
        r = c.getresponse(); r.read()
        if r.status != 202:
            sys.exit(f"bench: submit answered {r.status}")
    return time.perf_counter() - t0


def remaining(db):
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return c.execute("SELECT count(*) FROM messages").fetchone()[0]
    finally:
        c.close()


def checkpoint(db):
    c = sqlite3.connect(db)
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    c.close()


def drain(binary, loaded_dir, processes, slots, n):
    work = tempfile.mkdtemp(prefix="scilearn-qbench-")
    checkpoint(os.path.join(loaded_dir, "queue.db"))
    shutil.copy(os.path.join(loaded_dir, "queue.db"), work)
    db = os.path.join(work, "queue.db")
    assert remaining(db) == n
    t0 = time.perf_counter()
    procs = [subprocess.Popen([binary, "worker", "--queue", f"sqlite:{db}", "--concurrency", str(slots), "--log-level", "error"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(processes)]
    while remaining(db) > 0:
        time.sleep(0.005)
    elapsed = time.perf_counter() - t0
    for p in procs:
        stop(p)
    c = sqlite3.connect(db)
    ok = c.execute("SELECT count(*) FROM success_records").fetchone()[0]
    c.close()
    shutil.rmtree(work)
    if ok != n:
        sys.exit(f"bench: {ok} of {n} jobs succeeded")
    return elapsed


def latency(port, payloads, clients):
    out, lock = [], threading.Lock()

    def client(chunk):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for b in chunk:
            jid = re.match(rb'\{"id": "([^"]+)"', b).group(1).decode()
            t0 = time.perf_counter()
            c.request("POST", "/v1/jobs", body=b, headers={"Content-Type": "application/json"})
            r = c.getresponse(); r.read()
            assert r.status == 202, r.status
            while True:
                c.request("GET", f"/v1/jobs/{jid}")
                r = c.getresponse(); doc = r.read()
                if b'"status":"succeeded"' in doc[:80]:
                    break
                if b'"status":"failed"' in doc[:80]:
                    sys.exit(f"bench: job failed: {doc[:300]}")
                time.sleep(0.0005)
            mine.append((time.perf_counter() - t0) * 1000)
        with lock:
            out.extend(mine)

    threads = [threading.Thread(target=client, args=(payloads[i::clients],)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads: t.start()
    for t in threads: t.join()
    wall = time.perf_counter() - t0
    out.sort()
    q = lambda p: out[min(len(out) - 1, int(p * len(out)))]
    return q(0.5), q(0.99), out[-1], len(out) / wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=3000)
    ap.add_argument("--latency-jobs", type=int, default=1000)
    ap.add_argument("--small", action="store_true", help="OLS 100 x 3 (~4 KB) instead of 1,000 x 10")
    args = ap.parse_args()
    template = small_body() if args.small else request_body()
    subprocess.run(["swift", "build", "-c", "release", "--product", "scilearn"], cwd=ROOT, check=True, capture_output=True)
    binary = os.path.join(ROOT, ".build", "release", "scilearn")
    print(f"machine: {os.cpu_count()} cores; job: OLS {'100x3' if args.small else '1000x10'} with inference, {len(template)} bytes of JSON")

    loaded = tempfile.mkdtemp(prefix="scilearn-qbench-loaded-")
    proc, port = start_serve(binary, loaded, 0)
    seconds = submit(port, bodies(args.jobs, "tp", template))
    stop(proc)
    print(f"submit: {args.jobs} jobs POSTed to /v1/jobs (one connection, each a durable commit) in {seconds:.2f} s = {args.jobs / seconds:.0f} jobs/s")

    for processes, slots in [(1, 2), (2, 1), (2, 2)]:
        runs = [drain(binary, loaded, processes, slots, args.jobs) for _ in range(3)]
        med = statistics.median(runs)
        print(f"drain: {processes} worker process(es) x {slots} slot(s): median of 3 {med:.2f} s = {args.jobs / med:.0f} jobs/s"
              f" (runs {', '.join(f'{args.jobs / r:.0f}' for r in runs)} jobs/s)")
    shutil.rmtree(loaded)

    for clients in (1, 4):
        qdir = tempfile.mkdtemp(prefix="scilearn-qbench-lat-")
        proc, port = start_serve(binary, qdir, 2)
        p50, p99, worst, rate = latency(port, bodies(args.latency_jobs, f"lat{clients}", template), clients)
        stop(proc)
        shutil.rmtree(qdir)
        print(f"latency, {clients} client(s), POST /v1/jobs -> response readable: p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {worst:.2f} ms ({rate:.0f} jobs/s)")


if __name__ == "__main__":
    main()
