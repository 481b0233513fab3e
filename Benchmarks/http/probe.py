#!/usr/bin/env python3
"""Probes `scilearn serve` as an attacker and a careless client would (issue: hardening), on
loopback, and prints what Docs/benchmarks.md records. Run by hand after `swift build -c release`:

    python3 Benchmarks/http/probe.py idle      # 21,000 idle connections from two processes
    python3 Benchmarks/http/probe.py uploads   # ten stalled 60 MB /v1/jobs uploads; two stalled /v1/run
    python3 Benchmarks/http/probe.py cancel [NAME]  # long jobs past --timeout: when is the slot free?
    python3 Benchmarks/http/probe.py expect    # curl --data-binary @file-over-1MiB, timed

Each starts its own server (the release binary, default limits unless stated) on a free port
with --api-key, and stops it.
"""
import json, multiprocessing, os, random, signal, socket, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.path.join(ROOT, ".build", "release", "scilearn")
KEY = "probe-key"
SMALL = json.dumps({"task": "linear_regression", "data": {"X": [[1, 2], [2, 1], [3, 5], [4, 3], [5, 7]], "y": [1, 2, 3.5, 4, 5.5]}}).encode()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def start(*flags):
    port = free_port()
    tmp = tempfile.mkdtemp()
    proc = subprocess.Popen([BINARY, "serve", "--port", str(port), "--api-key", KEY, "--log-level", "error",
                             "--queue", f"sqlite:{tmp}/q.db", *flags], stderr=subprocess.DEVNULL)
    for _ in range(500):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.02)
    time.sleep(0.3)
    return proc, port


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def request(port, method, path, body=b"", headers=None, timeout=30):
    """One request on a fresh connection; (status, body, seconds)."""
    t = time.time()
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    h = {"Host": "x", "Content-Length": str(len(body)), **(headers or {})}
    s.sendall((f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items()) + "\r\n").encode() + body)
    data = b""
    while b"\r\n\r\n" not in data:
        c = s.recv(65536)
        if not c:
            break
        data += c
    head, _, rest = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1]) if head else 0
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    while len(rest) < length:
        c = s.recv(65536)
        if not c:
            break
        rest += c
    s.close()
    return status, rest, time.time() - t


def hold_idle(port, count, ready, report):
    """Opens `count` connections that send nothing, then reports how many the server closed and when."""
    socks, failed = [], 0
    for _ in range(count):
        try:
            s = socket.socket()
            s.settimeout(5)
            s.connect(("127.0.0.1", port))
            s.setblocking(False)
            socks.append(s)
        except OSError:
            failed += 1
    opened_at = time.time()
    ready.put((len(socks), failed))
    closed_at = {}
    deadline = time.time() + 60
    import selectors
    sel = selectors.DefaultSelector()
    for i, s in enumerate(socks):
        sel.register(s, selectors.EVENT_READ, i)
    while len(closed_at) < len(socks) and time.time() < deadline:
        for key, _ in sel.select(timeout=1):
            try:
                d = key.fileobj.recv(1024)
            except OSError:
                d = b""
            if not d:
                closed_at[key.data] = time.time() - opened_at
                sel.unregister(key.fileobj)
    times = sorted(closed_at.values())
    report.put((len(socks), len(closed_at), times[len(times) // 2] if times else None, times[-1] if times else None))
    for s in socks:
        s.close()


def probe_idle():
    proc, port = start()
    # The idle figure after a warm-up: the first requests allocate what every later one reuses
    # (the job pool's threads, the metrics' series, buffers).
    for _ in range(50):
        request(port, "GET", "/healthz")
        request(port, "POST", "/v1/run", SMALL, {"Authorization": f"Bearer {KEY}"})
    time.sleep(1)
    idle = rss_mib(proc.pid)
    ready, report = multiprocessing.Queue(), multiprocessing.Queue()
    holders = [multiprocessing.Process(target=hold_idle, args=(port, 10_500, ready, report)) for _ in range(2)]
    t0 = time.time()
    for h in holders:
        h.start()
    opened = [ready.get() for _ in holders]
    print(f"server RSS idle {idle:.1f} MiB; opened {sum(o[0] for o in opened)} idle connections "
          f"({sum(o[1] for o in opened)} connects failed) in {time.time() - t0:.1f} s; RSS {rss_mib(proc.pid):.1f} MiB")
    worst = 0.0
    peak = rss_mib(proc.pid)
    for i in range(12):
        st, _, dt = request(port, "GET", "/healthz")
        sr, body, dr = request(port, "POST", "/v1/run", SMALL, {"Authorization": f"Bearer {KEY}"})
        worst = max(worst, dt, dr)
        peak = max(peak, rss_mib(proc.pid))
        print(f"  t+{time.time() - t0:5.1f} s  /healthz {st} in {dt * 1000:.1f} ms, /v1/run {sr} in {dr * 1000:.1f} ms, RSS {rss_mib(proc.pid):.1f} MiB")
        time.sleep(1)
    results = [report.get() for _ in holders]
    for h in holders:
        h.join()
    print(f"slowest /healthz or /v1/run answer while held: {worst * 1000:.1f} ms (limit: header timeout 10 s + 1 s)")
    for held, closed, median, last in results:
        print(f"  holder: {held} held, {closed} closed by the server, median at {median:.1f} s, last at {last:.1f} s")
    for _ in range(5):
        time.sleep(1)
        print(f"  RSS {rss_mib(proc.pid):.1f} MiB")
    after = rss_mib(proc.pid)
    print(f"RSS peak {peak:.1f} MiB; after the connections closed {after:.1f} MiB "
          f"({(after / idle - 1) * 100:+.0f}% of idle; target within 20%)")
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)


def stalled_upload(port, path, declared, send, result):
    t = time.time()
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=120)
        s.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Length: {declared}\r\n\r\n".encode())
        chunk = b" " * 65536
        sent = 0
        s.settimeout(0.5)
        answer = b""
        while sent < send:
            n = min(len(chunk), send - sent)
            try:
                s.sendall(chunk[:n])
            except (BrokenPipeError, ConnectionResetError, socket.timeout):
                break
            sent += n
            try:
                s.setblocking(False)
                answer += s.recv(65536)
            except (BlockingIOError, OSError):
                pass
            finally:
                s.setblocking(True)
                s.settimeout(0.5)
            if answer:
                break
        s.settimeout(120)
        while b"\r\n\r\n" not in answer:
            c = s.recv(65536)
            if not c:
                break
            answer += c
        status = int(answer.split(b" ")[1]) if answer else 0
        code = answer.split(b'"code":"')[1].split(b'"')[0].decode() if b'"code":"' in answer else "-"
        result.put((status, code, time.time() - t, sent))
    except Exception as e:
        result.put((0, repr(e), time.time() - t, 0))


def probe_uploads():
    proc, port = start()
    idle = rss_mib(proc.pid)
    result = multiprocessing.Queue()
    declared = 60_000_010
    ups = [multiprocessing.Process(target=stalled_upload, args=(port, "/v1/jobs", declared, 60_000_000, result)) for _ in range(10)]
    for u in ups:
        u.start()
    peak = idle
    answers = []
    t0 = time.time()
    while len(answers) < 10 and time.time() - t0 < 120:
        peak = max(peak, rss_mib(proc.pid))
        while not result.empty():
            answers.append(result.get())
        time.sleep(0.2)
    for u in ups:
        u.join()
    print(f"ten stalled 60 MB /v1/jobs uploads: RSS idle {idle:.1f} MiB, peak {peak:.1f} MiB (+{peak - idle:.1f}; budget 256 MiB)")
    for status, code, dt, sent in sorted(answers, key=lambda a: a[2]):
        print(f"  {status} {code} after {dt:.2f} s ({sent / 1e6:.1f} MB sent)")
    # Two stalled /v1/run uploads, then other clients.
    stalls = []
    for _ in range(2):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(f"POST /v1/run HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Length: 1000\r\n\r\n{{".encode())
        stalls.append(s)
    time.sleep(0.2)
    statuses = [request(port, "POST", "/v1/run", SMALL, {"Authorization": f"Bearer {KEY}"})[0] for _ in range(20)]
    print(f"with two /v1/run uploads stalled: 20 other requests answered {sorted(set(statuses))} ({statuses.count(200)} × 200)")
    for s in stalls:
        s.close()
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)


def long_body(n, p, top=999, distinct_rows=None, repeat_first_column=False):
    """An OLS request of n × p random integers in 0...top; with `distinct_rows`, rows repeat
    from that one on, and with `repeat_first_column` the last column equals the first (either
    way a rank-deficient design)."""
    random.seed(2)

    def row():
        values = [random.randint(0, top) for _ in range(p)]
        if repeat_first_column:
            values[-1] = values[0]
        return ",".join(map(str, values))
    made = [row() for _ in range(distinct_rows or n)]
    rows = ",".join("[" + made[i % len(made)] + "]" for i in range(n))
    ys = ",".join(str(random.randint(0, top)) for _ in range(n))
    return f'{{"task":"linear_regression","data":{{"X":[{rows}],"y":[{ys}]}}}}'.encode()


def probe_cancel():
    """For three long jobs, the deadline at 30-90% of the job's uncut time: when is the slot free?"""
    auth = {"Authorization": f"Bearer {KEY}"}
    shapes = [("tall OLS 60,000 x 250", lambda: long_body(60_000, 250, 99)),
              ("tall OLS 3,000 x 1,400", lambda: long_body(3_000, 1_400)),
              ("wide OLS 1,000 x 19,000", lambda: long_body(1_000, 19_000, 9)),
              ("wide OLS 1,400 x 11,800 (estimated 2.0e11 flops, at the limit)", lambda: long_body(1_400, 11_800, 9)),
              ("wide OLS 1,400 x 11,800, rank 1,000 (rows repeated)", lambda: long_body(1_400, 11_800, 9, 1_000)),
              ("tall OLS 3,000 x 1,700, a column repeated (the q x q SVD; estimated 1.8e11 flops)",
               lambda: long_body(3_000, 1_700, 999, None, True))]
    only = sys.argv[2] if len(sys.argv) > 2 else ""
    for name, make in shapes:
        if only not in name:
            continue
        body = make()
        proc, port = start("--concurrency", "1")
        runs = sorted(request(port, "POST", "/v1/run", body, auth, timeout=120)[2] for _ in range(3))
        full = runs[1]
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        print(f"{name} ({len(body) / 1e6:.1f} MB): uncut {full:.2f} s (median of 3)")
        gaps = []
        for fraction in (0.3, 0.5, 0.7, 0.9):
            timeout = round(full * fraction, 2)
            proc, port = start("--concurrency", "1", "--timeout", str(timeout))
            st, _, dt = request(port, "POST", "/v1/run", body, auth, timeout=120)
            answered = time.time()
            while request(port, "POST", "/v1/run", SMALL, auth)[0] != 200:
                pass
            gap = (time.time() - answered) * 1000
            gaps.append(gap)
            print(f"  --timeout {timeout} ({fraction:.0%}): {st} after {dt:.2f} s; slot free again {gap:.1f} ms after it")
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
        gaps.sort()
        print(f"  median {(gaps[1] + gaps[2]) / 2:.1f} ms, worst {gaps[-1]:.1f} ms")


def probe_expect():
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        random.seed(1)
        X = [[random.random() for _ in range(5)] for _ in range(25000)]
        y = [sum(r) + random.random() for r in X]
        f.write(json.dumps({"task": "linear_regression", "data": {"X": X, "y": y}}).encode())
    proc, port = start()
    times = []
    for _ in range(5):
        out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", "-X", "POST",
                              f"http://127.0.0.1:{port}/v1/run", "-H", f"Authorization: Bearer {KEY}",
                              "--data-binary", f"@{f.name}"], capture_output=True, text=True).stdout.split()
        times.append(float(out[1]))
        print(f"  curl --data-binary @{os.path.getsize(f.name) / 1e6:.1f}MB: {out[0]} in {float(out[1]) * 1000:.0f} ms")
    times.sort()
    print(f"median {times[2] * 1000:.0f} ms (was 1 s more: curl's Expect wait)")
    os.unlink(f.name)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    for name, fn in [("idle", probe_idle), ("uploads", probe_uploads), ("cancel", probe_cancel), ("expect", probe_expect)]:
        if what in (name, "all"):
            print(f"== {name}")
            fn()
