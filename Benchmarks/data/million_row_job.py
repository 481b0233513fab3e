#!/usr/bin/env python3
"""The issue's end-to-end check at full size, run by hand (not in CI: it moves a gigabyte):
a 1,000,000 x 50 OLS fit whose data is a CSV object in S3 (moto_server on loopback), submitted
through `scilearn serve`'s POST /v1/jobs to the SQS backend in a message of a few hundred bytes,
gives the same result, to the last bit, as the same data sent inline (`scilearn run` of a 1 GB
JSON request); and the same with the .npy and with the gzip-compressed CSV.

    /work/.venv-bench/bin/python Benchmarks/data/million_row_job.py

Needs the release binary, moto[server] and boto3 (Scripts/setup), and the D1 files of
read_bench.py (/tmp/scilearn-perf-data/D1).
"""
import gzip
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3
import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BINARY = os.path.join(ROOT, ".build", "release", "scilearn")
D1 = "/tmp/scilearn-perf-data/D1"
ENV = {"AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "x", "AWS_REGION": "us-east-1"}
LIMITS = ["--max-cells", "60000000", "--max-job-memory", "8e9", "--max-body", "2000000000"]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    moto_port = free_port()
    endpoint = f"http://127.0.0.1:{moto_port}"
    moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(moto_port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    serve = None
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(endpoint, timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="AKIDTEST", aws_secret_access_key="x")
        sqs = boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="AKIDTEST", aws_secret_access_key="x")
        s3.create_bucket(Bucket="campaign-data")
        t = time.perf_counter()
        s3.upload_file(os.path.join(D1, "X.csv"), "campaign-data", "w1/X.csv")
        with open(os.path.join(D1, "X.csv"), "rb") as f:
            s3.put_object(Bucket="campaign-data", Key="w1/X.csv.gz", Body=gzip.compress(f.read(), compresslevel=1))
        X = np.load(os.path.join(D1, "X.npy"))
        y = np.load("/tmp/scilearn-perf-data/W1/y.npy")[: X.shape[0]]
        for name, a in [("X.npy", X), ("y.npy", y)]:
            path = os.path.join(tempfile.gettempdir(), name)
            np.save(path, a)
            s3.upload_file(path, "campaign-data", "w1/" + name)
        print(f"uploaded the objects in {time.perf_counter() - t:.0f} s", flush=True)
        jobs = sqs.create_queue(QueueName="jobs")["QueueUrl"]
        ok = sqs.create_queue(QueueName="ok")["QueueUrl"]
        failed = sqs.create_queue(QueueName="failed")["QueueUrl"]
        port = free_port()
        env = dict(os.environ, **ENV, AWS_ENDPOINT_URL_S3=endpoint)
        serve = subprocess.Popen([BINARY, "serve", "--port", str(port), "--queue", jobs, "--endpoint", endpoint, "--success-destination", ok,
                                  "--failure-destination", failed, "--data-bucket", "campaign-data/w1", "--output-bucket", "campaign-data/results",
                                  "--timeout", "600"] + LIMITS, env=env)
        columns = [f"x{j}" for j in range(50)]
        bodies = {
            "csv": {"id": "w1-csv", "task": "linear_regression", "data": {"X": {"url": "s3://campaign-data/w1/X.csv", "columns": columns}, "y": {"url": "s3://campaign-data/w1/X.csv", "column": "y"}}},
            "csv.gz": {"id": "w1-csv-gz", "task": "linear_regression", "data": {"X": {"url": "s3://campaign-data/w1/X.csv.gz", "columns": columns}, "y": {"url": "s3://campaign-data/w1/X.csv.gz", "column": "y"}}},
            "npy": {"id": "w1-npy", "task": "linear_regression", "data": {"X": {"url": "s3://campaign-data/w1/X.npy"}, "y": {"url": "s3://campaign-data/w1/y.npy"}}},
            # A million labels, written back under the output prefix.
            "kmeans": {"id": "w1-segments", "task": "kmeans", "params": {"n_clusters": 16, "random_state": 0, "n_init": 1, "max_iter": 20},
                       "data": {"X": {"url": "s3://campaign-data/w1/X.npy"}}, "output": {"url": "s3://campaign-data/results/", "arrays": "npy"}},
        }
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.2)
        for kind, body in bodies.items():
            data = json.dumps(body).encode()
            r = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/v1/jobs", data=data, headers={"Content-Type": "application/json"}))
            print(f"POST /v1/jobs ({kind}): {r.status}, a message of {len(data)} bytes", flush=True)
        records = {}
        deadline = time.time() + 1800
        while len(records) < len(bodies) and time.time() < deadline:
            for m in sqs.receive_message(QueueUrl=ok, MaxNumberOfMessages=10, WaitTimeSeconds=5).get("Messages", []):
                response = json.loads(m["Body"])["responsePayload"]
                records[response["id"]] = response
                sqs.delete_message(QueueUrl=ok, ReceiptHandle=m["ReceiptHandle"])
            for m in sqs.receive_message(QueueUrl=failed, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", []):
                print("FAILED:", m["Body"][:2000])
                sys.exit(1)
        # The same data inline: the CSV's numbers as JSON (Python's repr round-trips every double).
        inline_path = os.path.join(tempfile.gettempdir(), "w1-inline.json")
        t = time.perf_counter()
        M = np.column_stack([X, y])   # the CSV's values exactly: it was written with %.17g from these
        with open(inline_path, "w") as f:
            json.dump({"id": "w1-inline", "task": "linear_regression", "data": {"X": M[:, :50].tolist(), "y": M[:, 50].tolist(), "feature_names": columns}}, f)
        print(f"wrote the inline request ({os.path.getsize(inline_path) / 1e6:.0f} MB) in {time.perf_counter() - t:.0f} s", flush=True)
        inline = json.loads(subprocess.run([BINARY, "run"] + LIMITS + [inline_path], capture_output=True, check=True).stdout)
        assert inline["status"] == "ok", inline
        keys = ["coef", "intercept", "std_errors", "t_values", "p_values", "conf_int", "r_squared", "log_likelihood", "condition_number"]
        segments = records.pop("w1-segments")
        labels = np.load(__import__("io").BytesIO(s3.get_object(Bucket="campaign-data", Key="results/w1-segments.labels.npy")["Body"].read()))
        full = json.loads(s3.get_object(Bucket="campaign-data", Key="results/w1-segments.json")["Body"].read())
        assert labels.shape == (1_000_000,) and labels.tolist() == [float(v) for v in full["result"]["labels"]]
        print(f"w1-segments: the record carries {segments['output']['url']} ({segments['output']['bytes']} bytes) and the scalars "
              f"{sorted(segments['result'])}; boto3 read back {labels.shape[0]} labels equal to the JSON's")
        for rid, record in sorted(records.items()):
            same = all(record["result"].get(k) == inline["result"].get(k) for k in keys)
            print(f"{rid}: status {record['status']}, elapsed {record['elapsed_ms']:.0f} ms; identical to the inline fit: {same}")
            if not same:
                sys.exit(2)
        print("every referenced fit is bit-identical to the inline one")
    finally:
        if serve:
            serve.terminate()
            serve.wait(timeout=60)
        moto.kill()


if __name__ == "__main__":
    main()
