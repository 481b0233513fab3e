#!/usr/bin/env python3
"""Reference fixtures for the SciLearn test suite, computed with statsmodels / scipy.

Run by hand (never at test time); its output is committed:

    python3 Tests/Fixtures/generate.py          # writes Tests/Fixtures/*.json and Docs/examples/*.response.json
    python3 Tests/Fixtures/generate.py kmeans   # only Tests/Fixtures/kmeans.json
    python3 Tests/Fixtures/generate.py pca      # only Tests/Fixtures/pca.json
    python3 Tests/Fixtures/generate.py special  # only Tests/Fixtures/special-functions.json
    python3 Tests/Fixtures/generate.py wide-logistic  # only Tests/Fixtures/wide-logistic.json
    python3 Tests/Fixtures/generate.py examples # only Docs/examples/*.response.json

Every expected value comes from the reference libraries, never typed in. The versions used are
recorded in each file's "generator" field. Pinned: scikit-learn 1.9.1, scipy 1.17.1,
statsmodels 0.15.0, numpy 2.4.6 (the script refuses to run with others).

The documented examples (Docs/examples/TASK.json, inputs written by hand) get their responses
(TASK.response.json) from the references here too, so that the docs never show our own output
as the truth.
"""
import json
import os
import subprocess
import sys

import mpmath as mp
import numpy as np
import scipy
import scipy.special as sc
import scipy.stats as st
import sklearn
import statsmodels
import statsmodels.api as sm
import warnings

from sklearn.cluster import KMeans, MiniBatchKMeans, kmeans_plusplus
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_iris, load_wine, make_blobs
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet, Lasso, LogisticRegression, Ridge, RidgeCV
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "..", "Docs", "examples")
PINNED = {"numpy": "2.4.6", "scipy": "1.17.1", "statsmodels": "0.15.0", "scikit-learn": "1.9.1"}
VERSIONS = {
    "python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
    "statsmodels": statsmodels.__version__, "scikit-learn": sklearn.__version__, "mpmath": mp.__version__,
}


def num(v):
    """A JSON number, or None for nan/inf (the contract's null)."""
    v = float(v)
    return v if np.isfinite(v) else None


def ols_expected(X, y, fit_intercept=True, alpha=0.05):
    """statsmodels OLS's answer in the contract's names."""
    X = np.asarray(X, float)
    y = np.asarray(y, float)
    exog = sm.add_constant(X, has_constant="add") if fit_intercept else X
    res = sm.OLS(y, exog).fit()
    params = np.asarray(res.params)
    coef = params[1:] if fit_intercept else params
    intercept = params[0] if fit_intercept else 0.0
    ci = np.asarray(res.conf_int(alpha=alpha))
    expected = {
        "coef": [num(v) for v in coef], "intercept": num(intercept),
        "std_errors": [num(v) for v in res.bse], "t_values": [num(v) for v in res.tvalues],
        "p_values": [num(v) for v in res.pvalues], "conf_int": [[num(a), num(b)] for a, b in ci],
        "r_squared": num(res.rsquared), "adj_r_squared": num(res.rsquared_adj),
        "f_statistic": num(res.fvalue), "f_p_value": num(res.f_pvalue),
        "df_model": num(res.df_model), "df_resid": num(res.df_resid), "sigma": num(np.sqrt(res.scale)),
        "log_likelihood": num(res.llf), "aic": num(res.aic), "bic": num(res.bic),
        "rank": int(np.linalg.matrix_rank(exog)), "n_samples": int(X.shape[0]),
    }
    if expected["rank"] == X.shape[0]:
        # As many independent terms as samples: the fit is exact, the residual is zero in exact
        # arithmetic. statsmodels divides by an infinite standard error (t = 0) and takes the
        # log of a rounding residual (llf ≈ +200); the contract's answer is undefined (null,
        # with a warning) for both.
        expected["t_values"] = [None] * len(expected["t_values"])
        expected["log_likelihood"] = expected["aic"] = expected["bic"] = None
    return expected


def ols_case(name, X, y, fit_intercept=True, alpha=0.05, feature_names=None):
    X = np.asarray(X, float)
    y = np.asarray(y, float)
    expected = ols_expected(X, y, fit_intercept, alpha)
    data = {"X": X.tolist(), "y": y.tolist()}
    if feature_names is not None:
        data["feature_names"] = list(feature_names)
    return {"name": name, "params": {"fit_intercept": fit_intercept, "alpha": alpha}, "data": data, "expected": expected}


def ols_fixtures():
    rng = np.random.default_rng(20261122)
    cases = []
    # Well-conditioned: 200 × 5, Gaussian design, moderate noise.
    X = rng.normal(size=(200, 5)) * [1, 2, 0.5, 10, 3] + [0, 5, -1, 100, 0]
    y = 1.5 + X @ [0.5, -1.0, 2.0, 0.03, 0.0] + rng.normal(scale=0.7, size=200)
    cases.append(ols_case("well_conditioned", X, y, feature_names=["price", "visits", "discount", "spend", "noise"]))
    cases.append(ols_case("well_conditioned_alpha_0.1", X, y, alpha=0.1))
    # Wide: p close to n.
    X = rng.normal(size=(30, 25))
    y = X @ rng.normal(size=25) + rng.normal(size=30)
    cases.append(ols_case("wide_p_near_n", X, y))
    # Collinear: a duplicated column and an exact linear combination (rank-deficient).
    X = rng.normal(size=(50, 3))
    X = np.column_stack([X, X[:, 0], X[:, 1] - 2 * X[:, 2]])
    y = X[:, :3] @ [1.0, -2.0, 0.5] + rng.normal(scale=0.3, size=50)
    cases.append(ols_case("collinear", X, y))
    # No intercept (uncentred R²).
    X = rng.normal(loc=2.0, size=(60, 3))
    y = X @ [0.7, -0.2, 1.1] + rng.normal(size=60)
    cases.append(ols_case("no_intercept", X, y, fit_intercept=False))
    # scikit-learn's bundled diabetes data (442 × 10).
    d = load_diabetes()
    cases.append(ols_case("diabetes", d.data, d.target, feature_names=d.feature_names))
    # A binary treatment indicator plus covariates (an A/B test regression).
    n = 400
    treat = rng.integers(0, 2, size=n).astype(float)
    age = rng.uniform(18, 70, size=n)
    y = 10 + 1.2 * treat + 0.05 * age + rng.normal(scale=2, size=n)
    cases.append(ols_case("ab_test_regression", np.column_stack([treat, age]), y, feature_names=["treatment", "age"]))
    # Intercept only: X with no columns (statsmodels OLS(y, ones)); df_model = 0, F undefined.
    y = rng.normal(loc=3.0, scale=2.0, size=35)
    cases.append(ols_case("intercept_only", np.empty((35, 0)), y))
    # Wider than tall: 6 samples, 10 features (statsmodels' pinv: the minimum-norm solution,
    # rank 6, df_resid 0, every per-term statistic undefined).
    X = rng.normal(size=(6, 10))
    y = rng.normal(size=6)
    cases.append(ols_case("wider_than_tall", X, y))
    # Fewer samples than features and a repeated sample: rank 4 < 5 samples, df_resid 1.
    X = rng.normal(size=(4, 8))
    X = np.vstack([X, X[0]])
    y = np.append(rng.normal(size=4), 0.3)
    cases.append(ols_case("wide_with_repeated_row", X, y))
    # More rows than one QR leaf holds (32,768): a design generated by a formula the test
    # repeats exactly (small integers, one division by 100), so the data need not be stored.
    gen = generated_design(40_000, 4)
    case = ols_case("several_qr_leaves", gen["X"], gen["y"])
    case["data"] = {"generated": gen["spec"]}
    cases.append(case)
    return {"generator": VERSIONS, "reference": "statsmodels OLS(y, add_constant(X)).fit()", "cases": cases}


def generated_design(n, p):
    """x[i][j] = ((i·(j+3)·7919 + j·104729) mod 2003) / 100 − 10, and
    y[i] = 1 + Σⱼ c[j]·x[i][j] + ((i·48271) mod 1009) / 100, summed left to right: every
    operation is exact or correctly rounded, so Swift rebuilds the same doubles."""
    i = np.arange(n, dtype=np.int64)
    X = np.empty((n, p))
    for j in range(p):
        X[:, j] = ((i * (j + 3) * 7919 + j * 104729) % 2003) / 100.0 - 10.0
    coefs = [0.5, -1.25, 2.0, 0.75, -0.5, 1.5][:p]
    y = np.full(n, 1.0)
    for j in range(p):
        y = y + coefs[j] * X[:, j]
    y = y + ((i * 48271) % 1009) / 100.0
    spec = {"rows": n, "columns": p, "coefficients": coefs,
            "formula": "x[i][j] = ((i*(j+3)*7919 + j*104729) % 2003)/100 - 10; y[i] = 1 + sum_j c[j]*x[i][j] (left to right) + ((i*48271) % 1009)/100"}
    return {"X": X, "y": y, "spec": spec}


def mp_betainc(a, b, x, y=None):
    """I_x(a, b) in high precision, integrating from the nearer end (y = 1 - x exactly)."""
    a, b, x = mp.mpf(a), mp.mpf(b), mp.mpf(x)
    y = 1 - x if y is None else mp.mpf(y)
    try:
        if x <= 0.5:
            return mp.betainc(a, b, 0, x, regularized=True)
        return 1 - mp.betainc(b, a, 0, y, regularized=True)
    except (ValueError, mp.libmp.NoConvergence):
        return mp.nan


def mp_t_sf(df, t):
    df, t = mp.mpf(df), mp.mpf(t)
    x = df / (df + t * t)
    tail = mp_betainc(df / 2, mp.mpf(1) / 2, x, t * t / (df + t * t)) / 2
    return tail if t > 0 else 1 - tail


def mp_f_cdf(d1, d2, f):
    den = mp.mpf(d1) * f + d2
    return mp_betainc(mp.mpf(d1) / 2, mp.mpf(d2) / 2, mp.mpf(d1) * f / den, mp.mpf(d2) / den)


def special_fixtures():
    """Grids for t, F and the incomplete beta, each value checked against mpmath (50 digits):
    points where scipy itself is off (CDFs by more than 1e-14 relative, quantiles whose CDF
    misses p by more than 1e-12 relative: scipy's f.isf is off by ~1e-8 at q = 1e-10 and its
    t.isf saturates near 1e153) are left out and counted."""
    mp.mp.dps = 50
    rows = []
    dropped = 0

    def keep(kind, args, value, exact):
        nonlocal dropped
        if value == 0 or not np.isfinite(value) or not mp.isfinite(exact):
            dropped += 1
            return
        if abs(float(exact) - value) > 1e-14 * abs(value):
            dropped += 1
            return
        rows.append({"f": kind, "args": [float(a) for a in args], "value": float(value)})

    dfs = [0.5, 1, 2, 3, 5, 10, 29.5, 100, 1e3, 1e5, 1e7]
    ts = [0.0, 1e-8, 0.1, 0.5, 1, 2, 3, 5, 10, 30, 100, 1e3, 1e6]
    for df in dfs:
        for t in ts:
            for sign in (1, -1):
                tt = sign * t
                exact_sf = mp_t_sf(df, tt) if tt != 0 else mp.mpf(0.5)
                keep("t_sf", [df, tt], st.t.sf(tt, df), exact_sf)
                keep("t_cdf", [df, tt], st.t.cdf(tt, df), 1 - exact_sf)
        for p in [1e-300, 1e-100, 1e-20, 1e-8, 1e-3, 0.025, 0.1, 0.3, 0.5, 0.7, 0.975, 0.999999]:
            q = st.t.ppf(p, df)
            if np.isfinite(q) and q != 0:
                # The quantile is right when its CDF is p (to the density's precision).
                got = 1 - mp_t_sf(df, q)
                if abs(got - p) <= 1e-12 * p:
                    rows.append({"f": "t_ppf", "args": [df, p], "value": float(q)})
                else:
                    dropped += 1
            qi = st.t.isf(p, df)
            if np.isfinite(qi) and qi != 0:
                if abs(mp_t_sf(df, qi) - p) <= 1e-12 * p:
                    rows.append({"f": "t_isf", "args": [df, p], "value": float(qi)})
                else:
                    dropped += 1
    fdfs = [(1, 1), (1, 10), (2, 30), (3, 96), (5, 2), (10, 10), (25, 400), (100, 1e4), (1e3, 1e5), (5e4, 5e4)]
    for d1, d2 in fdfs:
        for f in [1e-6, 0.01, 0.2, 0.5, 1, 1.5, 3, 10, 100, 1e4, 1e8]:
            den = mp.mpf(d1) * f + d2
            cdf = mp_betainc(mp.mpf(d1) / 2, mp.mpf(d2) / 2, mp.mpf(d1) * f / den, mp.mpf(d2) / den)
            keep("f_sf", [d1, d2, f], st.f.sf(f, d1, d2), 1 - cdf)
            keep("f_cdf", [d1, d2, f], st.f.cdf(f, d1, d2), cdf)
        for p in [1e-200, 1e-10, 1e-3, 0.05, 0.5, 0.95, 0.999]:
            q = st.f.ppf(p, d1, d2)
            if np.isfinite(q) and q > 0:
                if abs(mp_f_cdf(d1, d2, q) - p) <= 1e-12 * p:
                    rows.append({"f": "f_ppf", "args": [d1, d2, p], "value": float(q)})
                else:
                    dropped += 1
            qi = st.f.isf(p, d1, d2)
            if np.isfinite(qi) and qi > 0:
                if abs((1 - mp_f_cdf(d1, d2, qi)) - p) <= 1e-12 * p:
                    rows.append({"f": "f_isf", "args": [d1, d2, p], "value": float(qi)})
                else:
                    dropped += 1
    for a, b in [(0.5, 0.5), (0.5, 5), (1, 1), (2, 3), (5, 0.5), (10, 10), (50, 20), (200, 0.5), (1e4, 1e4), (5e5, 0.5)]:
        for x in [1e-12, 1e-4, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.999999]:
            keep("betainc", [a, b, x], sc.betainc(a, b, x), mp_betainc(a, b, x))
            keep("betaincc", [a, b, x], sc.betaincc(a, b, x), 1 - mp_betainc(a, b, x))
        for p in [1e-10, 0.01, 0.5, 0.9]:
            # Like the t and F quantiles: kept when I_x(a, b) at scipy's x is p to 1e-12.
            x = sc.betaincinv(a, b, p)
            if 0 < x < 1 and abs(mp_betainc(a, b, x) - p) <= 1e-12 * p:
                rows.append({"f": "betaincinv", "args": [a, b, p], "value": float(x)})
            else:
                dropped += 1
    for x in [1e-10, 0.1, 0.5, 1.5, 2.5, 3, 7.5, 10, 100, 1e5, 1e10]:
        keep("gammaln", [x], sc.gammaln(x), mp.loggamma(x))
    # The standard normal (logistic regression's Wald tests): tails and upper quantiles.
    for z in [-8, -3, -1.5, -0.1, 0, 1e-8, 0.5, 1, 1.959963984540054, 2.5, 4, 6, 10, 20, 37]:
        keep("norm_sf", [z], st.norm.sf(z), mp.ncdf(-z))
    for q in [1e-300, 1e-100, 1e-20, 1e-8, 1e-3, 0.025, 0.05, 0.1, 0.3, 0.45]:
        z = st.norm.isf(q)
        if abs(mp.ncdf(-z) - q) <= 1e-12 * q:
            rows.append({"f": "norm_isf", "args": [q], "value": float(z)})
        else:
            dropped += 1
    # The incomplete gamma and chi-squared (the hypothesis tests): both tails and quantiles,
    # from the centre down to 1e-300.
    def mp_gamma_p(s, x):
        s, x = mp.mpf(s), mp.mpf(x)
        try:
            return mp.gammainc(s, 0, x, regularized=True)
        except mp.libmp.NoConvergence:
            # The series P = xˢe⁻ˣ/Γ(s+1)·1F1(1; s+1; x), summed as long as it takes.
            try:
                return mp.exp(s * mp.log(x) - x - mp.loggamma(s + 1)) * mp.hyp1f1(1, s + 1, x, maxterms=10**7)
            except mp.libmp.NoConvergence:
                return mp.nan

    def mp_gamma_q(s, x):
        try:
            return mp.gammainc(mp.mpf(s), mp.mpf(x), mp.inf, regularized=True)
        except mp.libmp.NoConvergence:
            p = mp_gamma_p(s, x)
            # 50 digits: 1 − P keeps 15 of them while Q > 1e-30.
            return 1 - p if mp.isfinite(p) and 1 - p > mp.mpf(10) ** -30 else mp.nan

    for s in [0.5, 1, 1.5, 2.5, 5, 10, 50, 100, 1e3, 1e4, 1e5]:
        for r in [1e-8, 1e-3, 0.1, 0.5, 0.9, 0.99, 1, 1.01, 1.1, 1.5, 2, 5, 20]:
            x = s * r
            for extra in ([0, 3, -3] if s >= 100 else [0]):
                xx = x + extra * s ** 0.5
                if xx <= 0:
                    continue
                keep("gammainc", [s, xx], sc.gammainc(s, xx), mp_gamma_p(s, xx))
                keep("gammaincc", [s, xx], sc.gammaincc(s, xx), mp_gamma_q(s, xx))
        for p in [1e-300, 1e-100, 1e-20, 1e-8, 1e-3, 0.05, 0.5, 0.95]:
            x = sc.gammaincinv(s, p)
            if 0 < x < np.inf and abs(mp_gamma_p(s, x) - p) <= 1e-12 * p:
                rows.append({"f": "gammaincinv", "args": [s, p], "value": float(x)})
            else:
                dropped += 1
            x = sc.gammainccinv(s, p)
            if 0 < x < np.inf and abs(mp_gamma_q(s, x) - p) <= 1e-12 * p:
                rows.append({"f": "gammainccinv", "args": [s, p], "value": float(x)})
            else:
                dropped += 1
    for df in [1, 2, 3, 4, 7.5, 10, 99, 1000, 39601, 2e5]:
        for r in [1e-6, 0.01, 0.3, 0.8, 1, 1.2, 2, 4, 10, 50]:
            x = df * r
            keep("chi2_sf", [df, x], st.chi2.sf(x, df), mp_gamma_q(mp.mpf(df) / 2, mp.mpf(x) / 2))
            keep("chi2_cdf", [df, x], st.chi2.cdf(x, df), mp_gamma_p(mp.mpf(df) / 2, mp.mpf(x) / 2))
        for p in [1e-300, 1e-50, 1e-10, 1e-3, 0.05, 0.5, 0.95]:
            x = st.chi2.ppf(p, df)
            if 0 < x < np.inf and abs(mp_gamma_p(mp.mpf(df) / 2, mp.mpf(x) / 2) - p) <= 1e-12 * p:
                rows.append({"f": "chi2_ppf", "args": [df, p], "value": float(x)})
            else:
                dropped += 1
            x = st.chi2.isf(p, df)
            if 0 < x < np.inf and abs(mp_gamma_q(mp.mpf(df) / 2, mp.mpf(x) / 2) - p) <= 1e-12 * p:
                rows.append({"f": "chi2_isf", "args": [df, p], "value": float(x)})
            else:
                dropped += 1
    for z in [-37, -20, -8, -2, -0.5, 0.3, 3]:
        keep("norm_cdf", [z], st.norm.cdf(z), mp.ncdf(z))
    for p in [1e-300, 1e-30, 1e-5, 0.01, 0.3, 0.5, 0.8, 0.999]:
        z = st.norm.ppf(p)
        if z != 0 and abs(mp.ncdf(z) - p) <= 1e-12 * p:
            rows.append({"f": "norm_ppf", "args": [p], "value": float(z)})
        elif z != 0:
            dropped += 1
    return {"generator": VERSIONS, "dropped_where_scipy_disagrees_with_mpmath": dropped, "cases": rows}


def scilearn_result(example):
    """The result SciLearn's own `scilearn run` gives for a documented example (for the one
    field no reference computes)."""
    binary = os.path.join(HERE, "..", "..", ".build", "debug", "scilearn")
    if not os.path.exists(binary):
        sys.exit(f"{binary} is missing: run `swift build` first (n_iter of logistic_regression is SciLearn's own)")
    out = subprocess.run([binary, "run", os.path.join(EXAMPLES, example)], capture_output=True, check=True)
    return json.loads(out.stdout)["result"]


def example_responses():
    """Docs/examples/TASK.response.json from the references, one generator per task. The
    predict example's model is the generated linear_regression response itself."""
    def load(name):
        with open(os.path.join(EXAMPLES, name)) as f:
            return json.load(f)

    def envelope(request, result):
        return {"id": request["id"], "task": request["task"], "status": "ok", "result": result,
                "warnings": [], "elapsed_ms": 0}

    out = {}
    req = load("linear_regression.json")
    params, data = req.get("params", {}), req["data"]
    fit_intercept, alpha = params.get("fit_intercept", True), params.get("alpha", 0.05)
    names = data.get("feature_names") or [f"x{j}" for j in range(len(data["X"][0]))]
    e = ols_expected(data["X"], data["y"], fit_intercept, alpha)
    result = {"coef": e["coef"], "intercept": e["intercept"],
              "terms": (["intercept"] if fit_intercept else []) + names}
    result.update({k: v for k, v in e.items() if k not in ("coef", "intercept")})
    result.update({"fit_intercept": fit_intercept, "alpha": alpha})
    fit = envelope(req, result)
    out["linear_regression.response.json"] = fit

    def linear_fit(req, coef, intercept, extra):
        params, data = req.get("params", {}), req["data"]
        fi = params.get("fit_intercept", True)
        names = data.get("feature_names") or [f"x{j}" for j in range(len(data["X"][0]))]
        result = {"coef": [num(v) for v in coef], "intercept": num(intercept),
                  "terms": (["intercept"] if fi else []) + names, "fit_intercept": fi}
        result.update(extra)
        return envelope(req, result)

    req = load("ridge.json")
    X, y = np.asarray(req["data"]["X"], float), np.asarray(req["data"]["y"], float)
    m = Ridge(alpha=req["params"]["alpha"], fit_intercept=req["params"]["fit_intercept"]).fit(X, y)
    out["ridge.response.json"] = linear_fit(req, m.coef_, m.intercept_, {})

    req = load("ridge_cv.json")
    X, y = np.asarray(req["data"]["X"], float), np.asarray(req["data"]["y"], float)
    m = RidgeCV(alphas=req["params"]["alphas"], fit_intercept=req["params"]["fit_intercept"]).fit(X, y)
    out["ridge_cv.response.json"] = linear_fit(req, m.coef_, m.intercept_, {"alpha": num(m.alpha_), "best_score": num(m.best_score_)})

    for task in ("lasso", "elastic_net"):
        req = load(f"{task}.json")
        X, y = np.asarray(req["data"]["X"], float), np.asarray(req["data"]["y"], float)
        p = req["params"]
        kw = dict(alpha=p["alpha"], fit_intercept=p["fit_intercept"], max_iter=p["max_iter"], tol=p["tol"])
        m = Lasso(**kw).fit(X, y) if task == "lasso" else ElasticNet(l1_ratio=p["l1_ratio"], **kw).fit(X, y)
        out[f"{task}.response.json"] = linear_fit(req, m.coef_, m.intercept_, {"n_iter": int(m.n_iter_), "dual_gap": num(m.dual_gap_)})

    # Logistic regression without penalty: the maximum-likelihood estimate and its inference
    # from statsmodels Logit (converged tightly, as SciLearn's Newton solver converges).
    # n_iter is SciLearn's own Newton step count, which no reference computes (scikit-learn's
    # is an L-BFGS iteration count): it is read from the built `scilearn` (swift build first),
    # so that the documented response shows what SciLearn prints, and the test holds it exactly.
    req = load("logistic_regression.json")
    X = np.asarray(req["data"]["X"], float)
    labels = np.asarray(req["data"]["y"])
    p = req["params"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = LogisticRegression(C=np.inf, fit_intercept=p["fit_intercept"], max_iter=p["max_iter"], tol=p["tol"]).fit(X, labels)
    classes = sk.classes_
    res = sm.Logit((labels == classes[1]).astype(float), sm.add_constant(X, has_constant="add")).fit(disp=0, tol=1e-12, maxiter=100)
    ci = np.asarray(res.conf_int())
    names = req["data"]["feature_names"]
    out["logistic_regression.response.json"] = envelope(req, {
        "classes": classes.tolist(), "coef": [[num(v) for v in res.params[1:]]], "intercept": [num(res.params[0])],
        "n_iter": scilearn_result("logistic_regression.json")["n_iter"], "terms": ["intercept"] + names, "fit_intercept": True,
        "std_errors": [num(v) for v in res.bse], "z_values": [num(v) for v in res.tvalues], "p_values": [num(v) for v in res.pvalues],
        "conf_int": [[num(a), num(b)] for a, b in ci], "log_likelihood": num(res.llf), "pseudo_r_squared": num(res.prsquared)})

    # k-means from the example's own initial centres (k-means++ draws differ between NumPy's
    # generator and SciLearn's, and so would the order of the clusters).
    req = load("kmeans.json")
    X = np.asarray(req["data"]["X"], float)
    p = req["params"]
    m = KMeans(n_clusters=p["n_clusters"], init=np.asarray(p["init"], float), n_init=1, max_iter=p["max_iter"], tol=p["tol"]).fit(X)
    out["kmeans.response.json"] = envelope(req, {
        "cluster_centers": m.cluster_centers_.tolist(), "labels": m.labels_.tolist(), "inertia": num(m.inertia_),
        "n_iter": int(m.n_iter_), "cluster_sizes": np.bincount(m.labels_, minlength=p["n_clusters"]).tolist()})

    # Mini-batch k-means draws its batches at random, from NumPy's generator in scikit-learn and
    # from SciLearn's own, so no reference computes the same centres: the response is SciLearn's
    # seeded result, checked here against scikit-learn's with the example's params: the same
    # labels and cluster sizes, centres within 10% of the data's scale (the running means of
    # different random batches) and inertia within 10%.
    req = load("mini_batch_kmeans.json")
    X = np.asarray(req["data"]["X"], float)
    p = req["params"]
    m = MiniBatchKMeans(n_clusters=p["n_clusters"], init=np.asarray(p["init"], float), n_init=1, batch_size=p["batch_size"],
                        random_state=p["random_state"]).fit(X)
    ours = scilearn_result("mini_batch_kmeans.json")
    assert ours["labels"] == m.labels_.tolist(), (ours["labels"], m.labels_.tolist())
    assert ours["cluster_sizes"] == np.bincount(m.labels_, minlength=p["n_clusters"]).tolist()
    assert np.abs(np.asarray(ours["cluster_centers"]) - m.cluster_centers_).max() <= 0.1 * np.abs(X).max(), (ours["cluster_centers"], m.cluster_centers_)
    assert abs(ours["inertia"] - m.inertia_) <= 0.1 * m.inertia_, (ours["inertia"], m.inertia_)
    out["mini_batch_kmeans.response.json"] = envelope(req, ours)

    # PCA of a small customer-feature table (the full SVD: scikit-learn's auto rule picks it at
    # this shape, and SciLearn's), then transform of two new customers with that fit as model.
    req = load("pca.json")
    X = np.asarray(req["data"]["X"], float)
    m = PCA(n_components=req["params"]["n_components"]).fit(X)
    pca_fit = envelope(req, {
        "components": m.components_.tolist(), "explained_variance": m.explained_variance_.tolist(),
        "explained_variance_ratio": m.explained_variance_ratio_.tolist(), "singular_values": m.singular_values_.tolist(),
        "mean": m.mean_.tolist(), "n_components": int(m.n_components_), "noise_variance": num(m.noise_variance_),
        "whiten": False, "svd_solver": m._fit_svd_solver, "n_samples": int(m.n_samples_), "transformed": m.transform(X).tolist()})
    out["pca.response.json"] = pca_fit
    req = load("transform.json")
    req["params"]["model"] = pca_fit
    out["transform.json"] = req
    out["transform.response.json"] = envelope(req, {"transformed": m.transform(np.asarray(req["data"]["X"], float)).tolist()})

    req = load("predict.json")
    req["params"]["model"] = fit
    out["predict.json"] = req
    X = np.asarray(req["data"]["X"], float)
    pred = X @ np.asarray(result["coef"]) + result["intercept"]
    out["predict.response.json"] = envelope(req, {"predictions": [num(v) for v in pred]})
    # The hypothesis tests: each example through the same scipy / statsmodels call as the
    # fixtures (Tests/Fixtures/hypothesis_tests.py), its params written out in full.
    import hypothesis_tests
    for task in ("ttest_1samp", "ttest_ind", "ttest_rel", "chisquare", "chi2_contingency", "fisher_exact", "f_oneway",
                 "pearsonr", "proportions_ztest", "multipletests", "sample_size_proportions", "describe"):
        req = load(f"{task}.json")
        result = hypothesis_tests.REFERENCE[task](req["params"], req["data"])
        result.pop("statsmodels", None)
        out[f"{task}.response.json"] = envelope(req, result)
    # The rank tests, by the scipy calls the tasks name.
    rank = {
        "mannwhitneyu": lambda p, d: st.mannwhitneyu(d["a"], d["b"], use_continuity=p["use_continuity"], alternative=p["alternative"], method=p["method"]),
        "kruskal": lambda p, d: st.kruskal(*d["groups"]),
        "spearmanr": lambda p, d: st.spearmanr(d["x"], d["y"], alternative=p["alternative"]),
        "normaltest": lambda p, d: st.normaltest(d["a"]),
        "wilcoxon": lambda p, d: st.wilcoxon(d["a"], d.get("b"), zero_method=p["zero_method"], correction=p["correction"],
                                             alternative=p["alternative"], method=p["method"]),
        "kendalltau": lambda p, d: st.kendalltau(d["x"], d["y"], alternative=p["alternative"]),
        "ks_2samp": lambda p, d: st.ks_2samp(d["a"], d["b"], alternative=p["alternative"], method=p["method"]),
        "kstest": lambda p, d: st.kstest(d["a"], p["cdf"], args=tuple(p["args"]), alternative=p["alternative"]),
    }
    for task, f in rank.items():
        req = load(f"{task}.json")
        r = f(req["params"], req["data"])
        out[f"{task}.response.json"] = envelope(req, {"statistic": num(r.statistic), "p_value": num(r.pvalue)})
    return out


def write(name, obj, folder=HERE, indent=1):
    with open(os.path.join(folder, name), "w") as f:
        json.dump(obj, f, indent=indent, allow_nan=False)
        f.write("\n")
    print("wrote", os.path.relpath(os.path.join(folder, name)))


def enet_objective(X, y, coef, intercept, alpha, l1_ratio):
    """scikit-learn's elastic-net objective at (coef, intercept)."""
    r = y - X @ coef - intercept
    return float(r @ r / (2 * len(y)) + alpha * l1_ratio * np.abs(coef).sum()
                 + 0.5 * alpha * (1 - l1_ratio) * coef @ coef)


def logistic_objective(X, labels, classes, coef, intercept, C, penalty, class_weight):
    """C·Σ sᵢ·ℓᵢ + ½‖W‖² (no penalty: Σ sᵢ·ℓᵢ), with sᵢ the class weights."""
    y = np.searchsorted(classes, labels)
    k = len(classes)
    n = len(labels)
    s = np.ones(n)
    if class_weight == "balanced":
        counts = np.bincount(y, minlength=k)
        s = n / (k * counts[y])
    coef = np.atleast_2d(coef)
    eta = X @ coef.T + intercept
    if k == 2:
        eta = np.column_stack([np.zeros(n), eta[:, 0]])
    top = eta.max(axis=1)
    lse = top + np.log(np.exp(eta - top[:, None]).sum(axis=1))
    loss = float((s * (lse - eta[np.arange(n), y])).sum())
    if penalty == "none":
        return loss
    return C * loss + 0.5 * float((coef * coef).sum())


def linear_model_fixtures():
    """Ridge, RidgeCV, Lasso, ElasticNet and LogisticRegression from scikit-learn, and statsmodels
    Logit for the inference: each case with its request params and the reference's answer.

    Iterative solvers are recorded twice: at the case's own tol (scikit-learn's default
    solver, the objective and predictions a user would compare against) and converged tightly
    (the optimum itself, to compare coefficients at the precision the math supports)."""
    rng = np.random.default_rng(20261130)
    cases = []
    d = load_diabetes()
    Xd, yd = d.data, d.target

    datasets = {}

    def dataset(X, y):
        """Each design is stored once, under the id of the first case that uses it."""
        key = (id(X), id(y))
        if key not in dataset.names:
            dataset.names[key] = f"d{len(datasets)}"
            datasets[dataset.names[key]] = {"X": np.asarray(X, float).tolist(),
                                            "y": list(y) if isinstance(y, list) else np.asarray(y).tolist()}
        return dataset.names[key]
    dataset.names = {}

    def add(task, name, X, y, params, expected, feature_names=None, **extra):
        case = {"task": task, "name": name, "params": params, "dataset": dataset(X, y), "expected": expected}
        if feature_names is not None:
            case["feature_names"] = list(feature_names)
        case.update(extra)
        cases.append(case)

    # Ridge: closed form. Tall (Cholesky), p comparable to n and wide (SVD), no intercept, α = 0.
    tall = rng.normal(size=(300, 6)) * [1, 3, 0.2, 10, 1, 5] + [2, -1, 0, 50, 0, 3]
    ytall = tall @ [0.5, -0.2, 3.0, 0.01, 0.0, 0.4] + 7 + rng.normal(size=300)
    comparable = rng.normal(size=(60, 45))
    ycomp = comparable @ rng.normal(size=45) + rng.normal(size=60)
    wide = rng.normal(size=(30, 80)) + 1.5
    ywide = wide[:, :5] @ [1, -1, 2, 0.5, 0] + rng.normal(size=30)
    for name, X, y, alpha, fi in [("diabetes", Xd, yd, 1.0, True), ("diabetes_alpha_0.01", Xd, yd, 0.01, True),
                                  ("tall", tall, ytall, 1.0, True), ("tall_no_intercept", tall, ytall, 3.0, False),
                                  ("p_comparable_to_n", comparable, ycomp, 0.5, True), ("wide", wide, ywide, 2.0, True),
                                  ("wide_no_intercept", wide, ywide, 0.3, False), ("alpha_0_is_ols", tall, ytall, 0.0, True)]:
        m = Ridge(alpha=alpha, fit_intercept=fi).fit(X, y)
        add("ridge", name, X, y, {"alpha": alpha, "fit_intercept": fi},
            {"coef": [num(v) for v in m.coef_], "intercept": num(m.intercept_)})

    # RidgeCV: efficient leave-one-out over the candidates.
    for name, X, y, alphas, fi in [("diabetes_default", Xd, yd, [0.1, 1.0, 10.0], True),
                                   ("diabetes_grid", Xd, yd, list(np.logspace(-4, 2, 13)), True),
                                   ("tall_no_intercept", tall, ytall, [0.01, 0.1, 1.0, 10.0, 100.0], False),
                                   ("wide", wide, ywide, [0.1, 1.0, 10.0, 100.0], True),
                                   ("p_comparable_to_n", comparable, ycomp, [0.01, 0.1, 1.0, 10.0], True)]:
        m = RidgeCV(alphas=alphas, fit_intercept=fi).fit(X, y)
        add("ridge_cv", name, X, y, {"alphas": [float(a) for a in alphas], "fit_intercept": fi},
            {"alpha": num(m.alpha_), "coef": [num(v) for v in m.coef_], "intercept": num(m.intercept_),
             "best_score": num(m.best_score_)})

    # Lasso and ElasticNet: coordinate descent at the case's tol, and tightly converged.
    sparse = rng.normal(size=(600, 12))
    ysparse = sparse[:, :3] @ [2.0, -1.5, 0.5] + 1 + rng.normal(scale=0.5, size=600)
    widesparse = rng.normal(size=(50, 200))
    ywidesparse = widesparse[:, :4] @ [3.0, -2.0, 1.0, 1.5] + rng.normal(scale=0.3, size=50)
    enet_cases = [("lasso", "diabetes", Xd, yd, 0.1, 1.0, True, 1e-4), ("lasso", "diabetes_alpha_1", Xd, yd, 1.0, 1.0, True, 1e-4),
                  ("lasso", "gram_path_n_much_larger_than_p", sparse, ysparse, 0.05, 1.0, True, 1e-4),
                  ("lasso", "wide", widesparse, ywidesparse, 0.1, 1.0, True, 1e-4),
                  ("lasso", "no_intercept_tight_tol", tall, ytall, 0.5, 1.0, False, 1e-8),
                  ("elastic_net", "diabetes", Xd, yd, 0.01, 0.5, True, 1e-4), ("elastic_net", "diabetes_l1_0.2", Xd, yd, 0.001, 0.2, True, 1e-4),
                  ("elastic_net", "gram_path", sparse, ysparse, 0.1, 0.7, True, 1e-4),
                  ("elastic_net", "wide", widesparse, ywidesparse, 0.05, 0.5, True, 1e-4),
                  ("elastic_net", "l1_ratio_0", tall, ytall, 0.5, 0.0, True, 1e-4)]
    for task, name, X, y, alpha, l1, fi, tol in enet_cases:
        def fit(t, it):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                if task == "lasso":
                    return Lasso(alpha=alpha, fit_intercept=fi, tol=t, max_iter=it).fit(X, y)
                return ElasticNet(alpha=alpha, l1_ratio=l1, fit_intercept=fi, tol=t, max_iter=it).fit(X, y)
        m = fit(tol, 1000)
        tight = fit(1e-14, 1_000_000)
        params = {"alpha": alpha, "fit_intercept": fi, "tol": tol}
        if task == "elastic_net":
            params["l1_ratio"] = l1
        add(task, name, X, y, params,
            {"coef": [num(v) for v in m.coef_], "intercept": num(m.intercept_), "n_iter": int(m.n_iter_),
             "dual_gap": num(m.dual_gap_)},
            objective=enet_objective(np.asarray(X), np.asarray(y), m.coef_, m.intercept_, alpha, l1),
            predictions=[num(v) for v in m.predict(X)],
            tight={"coef": [num(v) for v in tight.coef_], "intercept": num(tight.intercept_),
                   "objective": enet_objective(np.asarray(X), np.asarray(y), tight.coef_, tight.intercept_, alpha, l1)})

    # Logistic regression: scikit-learn's default solver (L-BFGS) at the case's tol, and tightly
    # converged; statsmodels Logit for the inference of unpenalised two-class fits.
    bc = load_breast_cancer()
    Xbc = StandardScaler().fit_transform(bc.data)
    iris = load_iris()
    spector = sm.datasets.spector.load_pandas()
    Xsp, ysp = spector.exog.to_numpy(float), spector.endog.to_numpy(float)
    churn = rng.normal(size=(500, 4)) * [1, 2, 0.5, 1]
    pchurn = 1 / (1 + np.exp(-(churn @ [1.0, -0.5, 2.0, 0.0] - 1.0)))
    ychurn = np.where(rng.uniform(size=500) < pchurn, "churned", "stayed").tolist()
    three = rng.normal(size=(300, 3))
    ythree = np.argmax(three @ rng.normal(size=(3, 4)) + rng.gumbel(size=(300, 4)), axis=1).astype(float) * 10
    logistic_cases = [
        ("breast_cancer_scaled", Xbc, bc.target.astype(float), {"penalty": "l2", "C": 1.0}, bc.feature_names),
        ("breast_cancer_scaled_C_0.05_balanced", Xbc, bc.target.astype(float), {"penalty": "l2", "C": 0.05, "class_weight": "balanced"}, None),
        ("iris_multinomial", iris.data, iris.target.astype(float), {"penalty": "l2", "C": 1.0}, iris.feature_names),
        ("iris_multinomial_C_10_balanced_no_intercept", iris.data, iris.target.astype(float), {"penalty": "l2", "C": 10.0, "class_weight": "balanced", "fit_intercept": False}, None),
        ("spector_logit", Xsp, ysp, {"penalty": "none"}, ["GPA", "TUCE", "PSI"]),
        ("spector_l2", Xsp, ysp, {"penalty": "l2", "C": 1.0}, None),
        ("churn_string_labels", churn, ychurn, {"penalty": "none"}, None),
        ("churn_no_intercept_tol_1e-6", churn, ychurn, {"penalty": "none", "fit_intercept": False, "tol": 1e-6}, None),
        ("four_classes_none", three, ythree.tolist(), {"penalty": "none"}, None),
        ("four_classes_l2_tol_1e-6", three, ythree.tolist(), {"penalty": "l2", "C": 0.5, "tol": 1e-6}, None),
    ]
    for name, X, y, params, names in logistic_cases:
        C = params.get("C", 1.0)
        penalty = params.get("penalty", "l2")
        fi = params.get("fit_intercept", True)
        tol = params.get("tol", 1e-4)
        cw = params.get("class_weight")
        Cs = np.inf if penalty == "none" else C

        def fit(t, it, solver="lbfgs"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                return LogisticRegression(C=Cs, fit_intercept=fi, tol=t, max_iter=it, class_weight=cw, solver=solver).fit(X, y)
        m = fit(tol, 100)
        tight = fit(1e-12, 100_000, "newton-cholesky")
        classes = m.classes_
        expected = {"classes": [c if isinstance(c, str) else float(c) for c in classes.tolist()],
                    "coef": [[num(v) for v in row] for row in m.coef_], "intercept": [num(v) for v in np.atleast_1d(m.intercept_)],
                    "n_iter": int(np.max(m.n_iter_))}
        extra = {"objective": logistic_objective(X, np.asarray(y), classes, m.coef_, m.intercept_, C, penalty, cw),
                 "probabilities": [[num(v) for v in row] for row in m.predict_proba(X)],
                 "tight": {"coef": [[num(v) for v in row] for row in tight.coef_], "intercept": [num(v) for v in np.atleast_1d(tight.intercept_)],
                           "objective": logistic_objective(X, np.asarray(y), classes, tight.coef_, tight.intercept_, C, penalty, cw),
                           "probabilities": [[num(v) for v in row] for row in tight.predict_proba(X)]}}
        if penalty == "none" and len(classes) == 2 and cw is None:
            endog = (np.asarray(y) == classes[1]).astype(float)
            exog = sm.add_constant(np.asarray(X, float), has_constant="add") if fi else np.asarray(X, float)
            res = sm.Logit(endog, exog).fit(disp=0, tol=1e-12, maxiter=100)
            ci = np.asarray(res.conf_int())
            extra["statsmodels"] = {"params": [num(v) for v in res.params], "std_errors": [num(v) for v in res.bse],
                                    "z_values": [num(v) for v in res.tvalues], "p_values": [num(v) for v in res.pvalues],
                                    "conf_int": [[num(a), num(b)] for a, b in ci], "log_likelihood": num(res.llf),
                                    "pseudo_r_squared": num(res.prsquared)}
        add("logistic_regression", name, X, y, dict(params), expected, names, **extra)
    return {"generator": VERSIONS, "reference": "scikit-learn Ridge, RidgeCV, Lasso, ElasticNet, LogisticRegression; statsmodels Logit",
            "datasets": datasets, "cases": cases}


def kmeans_fixtures():
    """scikit-learn KMeans: on each dataset the best inertia of n_init=10 (the bar for our
    k-means++) with its labels and their silhouette score (silhouette_score on every row), and, from the same explicit centres, Lloyd's centres, labels, inertia and n_iter
    (the exact comparison), including a run cut short by max_iter, a weighted one and one that
    starts with an empty cluster (re-seeded from the farthest row)."""
    blobs, truth = make_blobs(n_samples=600, centers=5, n_features=4, cluster_std=0.6, random_state=0)
    datasets = {
        "blobs": (blobs, 5, truth),
        "iris": (load_iris().data, 3, None),
        "wine_scaled": (StandardScaler().fit_transform(load_wine().data), 3, None),
        "digits": (load_digits().data, 10, None),
    }
    out_sets, cases = {}, []
    for name, (X, k, labels) in datasets.items():
        best = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
        out_sets[name] = {"X": X.tolist(), "n_clusters": k, "true_labels": None if labels is None else labels.tolist(),
                          "best_of_10_inertia": float(best.inertia_), "best_labels": best.labels_.tolist(),
                          "silhouette_of_best": float(silhouette_score(X, best.labels_))}
        init, _ = kmeans_plusplus(X, k, random_state=1)
        variants = [("lloyd", {}, None), ("max_iter_2_tol_0", {"max_iter": 2, "tol": 0.0}, None)]
        if name in ("blobs", "iris"):
            weights = np.random.RandomState(3).randint(1, 5, size=X.shape[0]).astype(float)
            variants.append(("weighted", {}, weights))
        for variant, params, weights in variants:
            for algorithm in ("lloyd", "elkan"):
                m = KMeans(n_clusters=k, init=init, n_init=1, algorithm=algorithm, **params).fit(X, sample_weight=weights)
                cases.append({"dataset": name, "variant": variant, "algorithm": algorithm, "init": init.tolist(),
                              "params": params, "sample_weight": None if weights is None else weights.tolist(),
                              "cluster_centers": m.cluster_centers_.tolist(), "labels": m.labels_.tolist(),
                              "inertia": float(m.inertia_), "n_iter": int(m.n_iter_)})
    # An initial centre far from every row: its cluster is empty after the first assignment.
    X = datasets["blobs"][0]
    init, _ = kmeans_plusplus(X, 5, random_state=2)
    init[4] = 1e3
    m = KMeans(n_clusters=5, init=init, n_init=1).fit(X)
    cases.append({"dataset": "blobs", "variant": "empty_cluster", "algorithm": "lloyd", "init": init.tolist(), "params": {},
                  "sample_weight": None, "cluster_centers": m.cluster_centers_.tolist(), "labels": m.labels_.tolist(),
                  "inertia": float(m.inertia_), "n_iter": int(m.n_iter_)})
    return {"generator": VERSIONS, "reference": "scikit-learn KMeans, MiniBatchKMeans, kmeans_plusplus; datasets make_blobs, load_iris, load_wine, load_digits",
            "datasets": out_sets, "cases": cases, "minibatch_steps": minibatch_steps(datasets), "minibatch_fits": minibatch_fits(datasets)}


def minibatch_steps(datasets):
    """scikit-learn's mini-batch update itself (`_mini_batch_step`, the function
    MiniBatchKMeans.fit calls each step) on given batches from given centres: the centres, the
    per-centre counts and the batch inertia after each step, without reassignment; then one
    step with reassignment (ratio 0.3), whose counts and reassigned set are deterministic (the
    rows the centres move to are random draws)."""
    from sklearn.cluster._kmeans import _mini_batch_step
    out = []
    for name in ("blobs", "digits"):
        X, k, _ = datasets[name]
        init, _ = kmeans_plusplus(X, k, random_state=5)
        rs = np.random.RandomState(6)
        batches = [rs.randint(0, X.shape[0], 64).tolist() for _ in range(6)]
        centers = init.copy()
        counts = np.zeros(k)
        steps = []
        for b in batches:
            new = np.empty_like(centers)
            inertia = _mini_batch_step(X[b], np.ones(len(b)), centers, new, counts, np.random.RandomState(0), random_reassign=False)
            centers = new
            steps.append({"batch": b, "cluster_centers": centers.tolist(), "counts": counts.tolist(), "batch_inertia": float(inertia)})
        b = rs.randint(0, X.shape[0], 64).tolist()
        before = centers.copy()
        new = np.empty_like(centers)
        counts_before = counts.copy()
        _mini_batch_step(X[b], np.ones(len(b)), centers, new, counts, np.random.RandomState(0), random_reassign=True, reassignment_ratio=0.3)
        moved = [int(c) for c in range(k) if counts_before[c] + 0 < 0.3 * max(counts_before.max(), 1) or not np.allclose(new[c], before[c])]
        reassigned = [c for c in range(k) if any(np.array_equal(new[c], X[i]) for i in b) and not np.array_equal(new[c], before[c])]
        out.append({"dataset": name, "init": init.tolist(), "steps": steps,
                    "reassign_step": {"batch": b, "ratio": 0.3, "counts": counts.tolist(), "reassigned": reassigned}})
    return out


def minibatch_fits(datasets):
    """scikit-learn MiniBatchKMeans with its defaults on each dataset, seeds 0-9: the final
    inertias and step counts (the engine draws from its own generator, so its fits are held to
    these in quality, not value), and the best of KMeans(n_init=10) beside them."""
    out = {}
    for name, (X, k, _) in datasets.items():
        fits = [MiniBatchKMeans(n_clusters=k, random_state=s, n_init=3).fit(X) for s in range(10)]
        small = [MiniBatchKMeans(n_clusters=k, random_state=s, n_init=3, batch_size=32).fit(X) for s in range(10)]
        out[name] = {"inertia": [float(m.inertia_) for m in fits], "n_steps": [int(m.n_steps_) for m in fits],
                     "inertia_batch_32": [float(m.inertia_) for m in small], "n_steps_batch_32": [int(m.n_steps_) for m in small]}
    return out



# The PCA datasets the tests rebuild instead of reading (xorshift_design's rows, columns, seed).
WIDE_GRAM_SEED = 141
WIDE_GRAM_SCALES = np.array([64.0, 32.0, 16.0, 8.0, 4.0, 2.0] + [1.0] * 135)
GENERATED_PCA = {"wide_gram": {"rows": 300, "columns": 141, "seed": WIDE_GRAM_SEED, "column_scales": WIDE_GRAM_SCALES.tolist()}}


def pca_fixtures():
    """scikit-learn PCA for each solver on: data with a clear spectral gap (tall, and wide for
    dgesdd's and the transposed randomized path), load_digits (constant pixel columns, tied zero
    variances), 141 columns (past the narrow Gram kernels), load_breast_cancer (raw, feature scales 1e-3 to 1e3), offset data (column means
    1e6, unit spread; its reference is the fit of the exactly shifted-back data, so a centred-
    first reference), and one constant column. Each case: the fitted attributes, transform of
    the first rows (plain and whitened), and inverse_transform of those projections. For the
    randomized solver also the exact (full) answer, since scikit-learn's random start is NumPy's
    and ours is not: the bar is the distance of scikit-learn's own randomized answers (random_state
    0-9, the worst) from it."""
    rng = np.random.default_rng(20)
    def gap_data(n, p, r):
        V, _ = np.linalg.qr(rng.standard_normal((p, r)))
        Z = rng.standard_normal((n, r)) * (10.0 * 0.7 ** np.arange(r))
        return Z @ V.T + 0.05 * rng.standard_normal((n, p)) + rng.normal(0, 3, size=p)
    offset0 = rng.standard_normal((400, 6)) @ rng.standard_normal((6, 6))
    offset = offset0 + 1e6
    const = gap_data(200, 7, 4)
    const[:, 2] = 3.25
    datasets = {
        "gap": gap_data(300, 12, 5),
        "wide": gap_data(40, 60, 4),
        "digits": load_digits().data,
        "breast_cancer": load_breast_cancer().data,
        "offset": offset,
        "constant_column": const,
        # Wider than the engine's narrow Gram kernels (128 columns): the packed 8 × 6 kernel's
        # edge tiles (141 = 17·8 + 5 = 23·6 + 3) and a partial chunk of rows (300 = 2·128 + 44).
        # Not stored: the tests rebuild it bit for bit (xorshift_design, as WideLogisticTests; its
        # first six columns scaled by powers of two, exactly, for six separated components).
        "wide_gram": xorshift_design(300, 141, WIDE_GRAM_SEED) * WIDE_GRAM_SCALES,
    }
    cases = []
    rows = 50
    def fitted(m, X):
        T = m.transform(X[:rows])
        out = {"components": m.components_.tolist(), "explained_variance": m.explained_variance_.tolist(),
               "explained_variance_ratio": m.explained_variance_ratio_.tolist(), "singular_values": m.singular_values_.tolist(),
               "mean": m.mean_.tolist(), "n_components": int(m.n_components_), "noise_variance": float(m.noise_variance_),
               "transformed": T.tolist(), "inverse_transformed": m.inverse_transform(T).tolist()}
        return out
    plan = {
        "gap": [3, 5, 0.9, None],
        "wide": [4, 0.95, None],
        "digits": [10, 0.8, None],
        "breast_cancer": [5, 0.999, None],
        "offset": [3, None],
        "constant_column": [4, None],
        "wide_gram": [6, None],
    }
    for name, X in datasets.items():
        for nc in plan[name]:
            for solver in ("full", "covariance_eigh", "randomized", "auto"):
                if solver == "randomized" and not isinstance(nc, int):
                    continue
                # All 141 components once, by the solver whose kernel the dataset is for (the
                # others' whole-spectrum cases would add 2 MB of JSON and test nothing new).
                if name == "wide_gram" and nc is None and solver != "covariance_eigh":
                    continue
                ref_X = X - 1e6 if name == "offset" else X
                m = PCA(n_components=nc, svd_solver=solver, random_state=0).fit(ref_X)
                case = {"dataset": name, "requested": nc, "svd_solver": solver, "chosen": m._fit_svd_solver, **fitted(m, ref_X)}
                if name == "offset":
                    case["mean"] = (m.mean_ + 1e6).tolist()
                    case["inverse_transformed"] = (np.asarray(case["inverse_transformed"]) + 1e6).tolist()
                w = PCA(n_components=nc, svd_solver=solver, whiten=True, random_state=0).fit(ref_X)
                case["whitened"] = w.transform(ref_X[:rows]).tolist()
                case["whitened_inverse"] = (w.inverse_transform(w.transform(ref_X[:rows])) + (1e6 if name == "offset" else 0)).tolist()
                if solver == "randomized":
                    exact = PCA(n_components=nc, svd_solver="full").fit(ref_X)
                    case["exact_components"] = exact.components_.tolist()
                    case["exact_explained_variance"] = exact.explained_variance_.tolist()
                    # scikit-learn's own randomized error, the worst over random_state 0-9: the
                    # bar for ours, whose random start is another generator's.
                    runs = [PCA(n_components=nc, svd_solver=solver, random_state=rs).fit(ref_X) for rs in range(10)]
                    case["sklearn_distance_from_exact"] = [float(v) for v in np.max([np.abs(r.components_ - exact.components_).max(axis=1) for r in runs], axis=0)]
                    case["sklearn_variance_error"] = [float(v) for v in np.max([np.abs(r.explained_variance_ - exact.explained_variance_) for r in runs], axis=0)]
                    case["sklearn_noise_error"] = float(max(abs(r.noise_variance_ - exact.noise_variance_) for r in runs))
                    case["exact_noise_variance"] = float(exact.noise_variance_)
                    case["exact_singular_values"] = exact.singular_values_.tolist()
                    case["exact_explained_variance_ratio"] = exact.explained_variance_ratio_.tolist()
                cases.append(case)
    return {"generator": VERSIONS, "reference": "scikit-learn PCA (full, covariance_eigh, randomized, auto); datasets load_digits, load_breast_cancer",
            "rows_transformed": rows, "datasets": {k: v.tolist() for k, v in datasets.items() if k not in GENERATED_PCA},
            "generated": GENERATED_PCA, "cases": cases}

def xorshift_design(n, p, seed):
    """The tests' own generator (WideLogisticTests.data): xorshift64 (13, 7, 17), each value
    (state >> 11)·2⁻⁵³ − 0.5, X filled column by column, so Swift rebuilds the same X bit for
    bit without shipping 8 MB of JSON."""
    mask = (1 << 64) - 1
    state = seed
    out = np.empty(n * p)
    for t in range(n * p):
        state ^= (state << 13) & mask
        state ^= state >> 7
        state ^= (state << 17) & mask
        out[t] = (state >> 11) * 2.0 ** -53 - 0.5
    return out.reshape((p, n)).T.copy()


def wide_logistic_fixtures():
    """Issue 18's wide shapes from scikit-learn: a 200 × 5,000 fit with 10 classes and a
    50 × 30,000 two-class fit (L2, C = 1), each at scikit-learn's defaults (lbfgs, tol 1e-4: the
    objective ours must not exceed) and tightly converged (newton-cg, tol 1e-12: the
    probabilities ours must match to 1e-8). Labels as WideLogisticTests builds them."""
    cases = []
    for name, n, p, k, seed in [("multinomial_200x5000x10", 200, 5000, 10, 11), ("binary_50x30000", 50, 30000, 2, 7)]:
        X = xorshift_design(n, p, seed)
        if k == 2:
            # WideLogisticTests.data draws one more value per row for the label noise.
            mask = (1 << 64) - 1
            state = seed
            for _ in range(n * p):
                state ^= (state << 13) & mask; state ^= state >> 7; state ^= (state << 17) & mask
            y = []
            for i in range(n):
                state ^= (state << 13) & mask; state ^= state >> 7; state ^= (state << 17) & mask
                noise = (state >> 11) * 2.0 ** -53 - 0.5
                y.append(1 if X[i, 0] + X[i, 1] + 0.3 * noise > 0 else 0)
            y = np.array(y)
        else:
            t = X[:, 0] + 0.7 * X[:, 1] - 0.4 * X[:, 2]
            y = np.clip(np.floor((t + 1.1) / 2.2 * k).astype(int), 0, k - 1)
        classes = np.unique(y)
        default = LogisticRegression(C=1.0).fit(X, y)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            tight = LogisticRegression(C=1.0, solver="newton-cg", tol=1e-12, max_iter=10000).fit(X, y)
        obj = lambda m: logistic_objective(X, y, classes, m.coef_, m.intercept_, 1.0, "l2", None)
        cases.append({
            "name": name, "rows": n, "columns": p, "classes": int(k), "seed": seed,
            "labels": [int(v) for v in y],
            "default_objective": obj(default), "default_n_iter": int(default.n_iter_[0]),
            "tight_objective": obj(tight),
            "tight_probabilities": [[num(v) for v in row] for row in tight.predict_proba(X)],
            "tight_intercept": [num(v) for v in np.atleast_1d(tight.intercept_)],
        })
        print(name, "default", obj(default), "tight", obj(tight))
    return {"generator": VERSIONS, "cases": cases}


if __name__ == "__main__":
    wrong = {k: VERSIONS[k] for k, v in PINNED.items() if VERSIONS[k] != v}
    if wrong:
        sys.exit(f"generate.py: the pinned references are {PINNED}; found {wrong}")
    if sys.argv[1:] == ["kmeans"]:
        # Only the k-means fixtures (the others need the scilearn binary built).
        write("kmeans.json", kmeans_fixtures(), indent=None)
        sys.exit(0)
    if sys.argv[1:] == ["pca"]:
        write("pca.json", pca_fixtures(), indent=None)
        sys.exit(0)
    if sys.argv[1:] == ["wide-logistic"]:
        write("wide-logistic.json", wide_logistic_fixtures(), indent=None)
        sys.exit(0)
    if sys.argv[1:] == ["special"]:
        write("special-functions.json", special_fixtures())
        sys.exit(0)
    if sys.argv[1:] == ["examples"]:
        # Only Docs/examples' responses (needs the scilearn binary built).
        for name, obj in example_responses().items():
            write(name, obj, EXAMPLES)
        sys.exit(0)
    write("kmeans.json", kmeans_fixtures(), indent=None)
    write("pca.json", pca_fixtures(), indent=None)
    write("ols-statsmodels.json", ols_fixtures())
    write("special-functions.json", special_fixtures())
    write("linear-models.json", linear_model_fixtures(), indent=None)
    write("wide-logistic.json", wide_logistic_fixtures(), indent=None)
    for name, obj in example_responses().items():
        write(name, obj, EXAMPLES)
