#!/usr/bin/env python3
"""Data files for the data-by-reference tests (SciLearnDataTests), written by numpy and pandas
as users write them, so that the readers are held to the real formats, not to our idea of them.

Also the by-reference examples' files (Docs/examples/by-reference/): the data of
Docs/examples/linear_regression.json as a CSV, and of Docs/examples/ttest_ind.json as .npy files,
so that the by-reference requests answer exactly the inline examples' responses.

Run by hand (its output is committed under Tests/Fixtures/data/ and Docs/examples/by-reference/):

    /work/.venv-ref/bin/python Tests/Fixtures/data_files.py

Pinned: numpy 2.4.6, pandas 3.1.1 (recorded in values.json).
`values.json` holds every file's expected values (as JSON numbers: the shortest repr that
round-trips, so the doubles are exact) for the tests to compare against.
"""
import json
import os
import sys

import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
PINNED = {"numpy": "2.4.6"}
if np.__version__ != PINNED["numpy"]:
    sys.exit(f"numpy {np.__version__}; the fixtures are pinned to {PINNED['numpy']}")
import pandas as pd
if pd.__version__ != "3.1.1":
    sys.exit(f"pandas {pd.__version__}; the fixtures are pinned to 3.1.1")

rng = np.random.default_rng(20261206)
n = 40
X = np.column_stack([rng.normal(50, 12, n), rng.integers(0, 2, n).astype(float), rng.exponential(3.0, n)])
y = 3.0 + X @ np.array([0.4, -2.5, 1.25]) + rng.normal(0, 1, n)
os.makedirs(HERE, exist_ok=True)

def path(name):
    return os.path.join(HERE, name)

# .npy as numpy writes them: C order, Fortran order, float32, integers, big-endian, 1-D.
np.save(path("X.npy"), X)
np.save(path("X_fortran.npy"), np.asfortranarray(X))
np.save(path("X_f4.npy"), X.astype(np.float32))
np.save(path("X_big_endian.npy"), X.astype(">f8"))
np.save(path("y.npy"), y)
counts = rng.integers(-5, 1000, n)
np.save(path("counts_i8.npy"), counts.astype(np.int64))
np.save(path("counts_u2.npy"), np.abs(counts).astype(np.uint16))
np.save(path("cube.npy"), np.zeros((2, 2, 2)))
np.save(path("flags.npy"), np.array([True, False]))
# A header that lies: the shape says 40 rows, the file holds 39.
raw = open(path("X.npy"), "rb").read()
open(path("X_truncated.npy"), "wb").write(raw[: len(raw) - 3 * 8])

# CSV as pandas writes it (17 significant digits would be numpy's savetxt %.17g; pandas writes
# the shortest repr), with a label column of strings and a column name that needs quotes.
df = pd.DataFrame({"spend": X[:, 0], "treatment": X[:, 1], "sessions, weekly": X[:, 2], "revenue": y,
                   "segment": np.where(X[:, 1] > 0, "b", "a")})
df.to_csv(path("customers.csv"), index=False)
df.to_csv(path("customers_crlf.csv"), index=False, lineterminator="\r\n")
np.savetxt(path("savetxt.csv"), np.column_stack([X, y]), delimiter=",", fmt="%.17g",
           header="spend,treatment,sessions,revenue", comments="")
# gzip-compressed copies, and one cut short.
import gzip
for name in ["customers.csv", "X.npy"]:
    with open(path(name), "rb") as f, open(path(name + ".gz"), "wb") as g:
        g.write(gzip.compress(f.read(), mtime=0))
with open(path("customers.csv.gz"), "rb") as f:
    whole = f.read()
with open(path("truncated.csv.gz"), "wb") as f:
    f.write(whole[: len(whole) // 2])
with open(path("ragged.csv"), "w") as f:
    f.write("a,b\n1,2\n3\n5,6\n")
with open(path("missing.csv"), "w") as f:
    f.write("a,b\n1,2\n3,NA\n5,6\n")
with open(path("text.csv"), "w") as f:
    f.write("a,b\n1,2\n3,4\n5,six\n")

values = {
    "generator": {"python": sys.version.split()[0], "numpy": np.__version__, "pandas": pd.__version__},
    "X": X.tolist(), "y": y.tolist(),
    "X_f4": X.astype(np.float32).astype(float).tolist(),
    "counts": counts.astype(float).tolist(), "counts_u2": np.abs(counts).astype(float).tolist(),
    "customers_columns": list(df.columns),
    "customers": {c: df[c].tolist() for c in ["spend", "treatment", "sessions, weekly", "revenue"]},
    "savetxt": np.loadtxt(path("savetxt.csv"), delimiter=",", skiprows=1).T.tolist(),
}
with open(path("values.json"), "w") as f:
    json.dump(values, f, indent=1)
    f.write("\n")
print("wrote", sorted(os.listdir(HERE)))

# The by-reference examples' data, from the inline examples.
EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Docs", "examples")
BY_REFERENCE = os.path.join(EXAMPLES, "by-reference")
os.makedirs(BY_REFERENCE, exist_ok=True)
with open(os.path.join(EXAMPLES, "linear_regression.json")) as f:
    ols = json.load(f)["data"]
frame = pd.DataFrame(np.asarray(ols["X"]), columns=ols["feature_names"])
frame["revenue"] = ols["y"]
frame["user_id"] = [f"u{1000 + i}" for i in range(len(frame))]
frame.to_csv(os.path.join(BY_REFERENCE, "ab-test.csv"), index=False)
with open(os.path.join(EXAMPLES, "ttest_ind.json")) as f:
    t = json.load(f)["data"]
np.save(os.path.join(BY_REFERENCE, "revenue-control.npy"), np.asarray(t["a"]))
np.save(os.path.join(BY_REFERENCE, "revenue-treatment.npy"), np.asarray(t["b"]))
print("wrote", sorted(os.listdir(BY_REFERENCE)))
