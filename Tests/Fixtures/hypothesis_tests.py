#!/usr/bin/env python3
"""Reference fixtures for SciLearn's hypothesis tests, computed with scipy.stats / statsmodels.

Run by hand (never at test time); its output is committed:

    /work/.venv-ref/bin/python Tests/Fixtures/hypothesis_tests.py   # writes Tests/Fixtures/hypothesis-tests.json

Every expected value comes from the reference libraries, never typed in: scipy.stats for
ttest_1samp, ttest_ind, ttest_rel, chisquare, chi2_contingency, fisher_exact, f_oneway (its
df_between/df_within from statsmodels' OLS on group indicators, whose F is checked against scipy's),
pearsonr and describe; statsmodels for proportions_ztest, multipletests and the
sample_size_proportions solve (NormalIndPower). The one exception is sample_size_proportions'
n1/n2, the root of statsmodels' own power equation found with 40-digit mpmath (statsmodels' brentq
stops at xtol 1e-5 on n1), with statsmodels' answer beside it under "statsmodels".

Each case (but multipletests' and the sample sizes) is checked against an exact recomputation
from the same doubles (rational power sums, exact hypergeometric probabilities, 50-digit mpmath
for the distributions and quantiles); where scipy itself is further from that than a tenth of
1e-12 (the test's default relative tolerance) the case carries "tolerance", ten times scipy's
measured error, and "exact", the exact values, so that the Swift side can be held tight to the
truth and loose only to scipy's rounding. A skewness near zero (|exact| < 1e-3: the generated,
all but uniform samples) has only absolute precision; where scipy's differs from the exact one it
is compared absolutely, at "absolute_tolerance": {"skewness": ...}, and is left out of
"tolerance". The worst disagreement per task is printed.

Samples of 10^6 values are not stored: "generated": {"a": {"n", "mult", "mod", "scale",
"offset"}} means a[i] = float((i*mult) % mod) * scale + offset for i in range(n) (integer
product and remainder, then one double multiply and one double add), which Swift rebuilds
bit for bit. f_oneway's "groups" may be a list of such specs.

The versions used are recorded in the file's "generator" field. Pinned: scipy 1.17.1,
statsmodels 0.15.0, numpy 2.4.6, mpmath 1.3.0 (the script refuses to run with others).
"""
import json
import math
import os
import sys
import warnings
from fractions import Fraction

import mpmath as mp
import numpy as np
import scipy
import scipy.special as sc
import scipy.stats as st
import statsmodels
from statsmodels.stats.multitest import multipletests
import statsmodels.api as sm
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize, proportions_ztest

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "hypothesis-tests.json")
PINNED = {"numpy": "2.4.6", "scipy": "1.17.1", "statsmodels": "0.15.0", "mpmath": "1.3.0"}
VERSIONS = {
    "python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
    "statsmodels": statsmodels.__version__, "mpmath": mp.__version__,
}
# The contract's alternatives in statsmodels' words.
SM_ALTERNATIVE = {"two-sided": "two-sided", "less": "smaller", "greater": "larger"}
ALTERNATIVES = ("two-sided", "less", "greater")
# The test's default relative tolerance, assumed here only to decide which cases need their own.
DEFAULT_TOLERANCE = 1e-12
# Below this magnitude a skewness is compared absolutely (see hypothesis_fixtures).
NEAR_ZERO_SKEWNESS = 1e-3


def num(v):
    """A JSON number, or None for nan/inf (the contract's null)."""
    v = float(v)
    return v if np.isfinite(v) else None


# ----------------------------------------------------------------------------------------------
# Generated samples


def spec(n, mult, mod, scale, offset=0.0):
    return {"n": n, "mult": mult, "mod": mod, "scale": scale, "offset": offset}


_GENERATED = {}


def generate(s):
    """a[i] = float((i*mult) % mod) * scale + offset, checked against the Python-int formula."""
    key = (s["n"], s["mult"], s["mod"], s["scale"], s["offset"])
    if key not in _GENERATED:
        i = np.arange(s["n"], dtype=np.int64)
        a = ((i * s["mult"]) % s["mod"]).astype(np.float64) * s["scale"] + s["offset"]
        ref = np.array([float((j * s["mult"]) % s["mod"]) * s["scale"] + s["offset"] for j in range(s["n"])])
        assert np.array_equal(a.view(np.int64), ref.view(np.int64)), s
        _GENERATED[key] = a
    return _GENERATED[key]


def arrays_of(case):
    """The case's data with its generated fields built."""
    arrays = dict(case["data"])
    for field, g in case.get("generated", {}).items():
        arrays[field] = [generate(s) for s in g] if isinstance(g, list) else generate(g)
    return arrays


# ----------------------------------------------------------------------------------------------
# The references, in the contract's names


def ttest_expected(res, confidence_level):
    ci = res.confidence_interval(confidence_level)
    return {"statistic": num(res.statistic), "p_value": num(res.pvalue), "df": num(res.df),
            "confidence_interval": [num(ci.low), num(ci.high)], "estimate": num(res._estimate)}


def ref_ttest_1samp(p, d):
    res = st.ttest_1samp(np.asarray(d["a"], float), p["popmean"], alternative=p["alternative"])
    return ttest_expected(res, p["confidence_level"])


def ref_ttest_ind(p, d):
    res = st.ttest_ind(np.asarray(d["a"], float), np.asarray(d["b"], float), equal_var=p["equal_var"],
                       alternative=p["alternative"])
    return ttest_expected(res, p["confidence_level"])


def ref_ttest_rel(p, d):
    res = st.ttest_rel(np.asarray(d["a"], float), np.asarray(d["b"], float), alternative=p["alternative"])
    return ttest_expected(res, p["confidence_level"])


def ref_chisquare(p, d):
    f_exp = None if d.get("f_exp") is None else np.asarray(d["f_exp"], float)
    res = st.chisquare(np.asarray(d["f_obs"], float), f_exp=f_exp, ddof=p["ddof"])
    return {"statistic": num(res.statistic), "p_value": num(res.pvalue)}


def ref_chi2_contingency(p, d):
    res = st.chi2_contingency(np.asarray(d["observed"], float), correction=p["correction"])
    return {"statistic": num(res.statistic), "p_value": num(res.pvalue), "dof": int(res.dof),
            "expected_freq": [[num(v) for v in row] for row in np.asarray(res.expected_freq)]}


def ref_fisher_exact(p, d):
    res = st.fisher_exact(np.asarray(d["table"]), alternative=p["alternative"])
    return {"statistic": num(res.statistic), "p_value": num(res.pvalue)}


def ref_f_oneway(p, d):
    groups = [np.asarray(g, float) for g in d["groups"]]
    res = st.f_oneway(*groups)
    # The degrees of freedom from statsmodels' OLS on group indicators (the same F-test; its F
    # is checked loosely, OLS on uncentred data loses digits at offset 1e9).
    y = np.concatenate(groups)
    exog = np.zeros((y.size, len(groups)))
    exog[:, 0] = 1.0
    start = groups[0].size
    for j, g in enumerate(groups[1:], 1):
        exog[start:start + g.size, j] = 1.0
        start += g.size
    ols = sm.OLS(y, exog).fit()
    assert abs(ols.fvalue - res.statistic) <= 1e-3 * abs(res.statistic), (ols.fvalue, res.statistic)
    return {"statistic": num(res.statistic), "p_value": num(res.pvalue),
            "df_between": num(ols.df_model), "df_within": num(ols.df_resid)}


def ref_pearsonr(p, d):
    res = st.pearsonr(np.asarray(d["x"], float), np.asarray(d["y"], float), alternative=p["alternative"])
    ci = res.confidence_interval(p["confidence_level"])
    return {"statistic": num(res.statistic), "p_value": num(res.pvalue),
            "confidence_interval": [num(ci.low), num(ci.high)]}


def ref_proportions_ztest(p, d):
    count, nobs = np.asarray(d["count"], float), np.asarray(d["nobs"], float)
    if count.size == 1:
        count = count[0]
    if nobs.size == 1:
        nobs = nobs[0]
    z, pv = proportions_ztest(count, nobs, value=p["value"], alternative=SM_ALTERNATIVE[p["alternative"]],
                              prop_var=p["prop_var"])
    return {"statistic": num(np.squeeze(z)), "p_value": num(np.squeeze(pv))}


def ref_multipletests(p, d):
    reject, corrected, _, _ = multipletests(np.asarray(d["pvals"], float), alpha=p["alpha"], method=p["method"])
    return {"reject": [bool(v) for v in reject], "pvals_corrected": [num(v) for v in corrected]}


def sample_size_power(n1, effect, alpha, ratio, alternative):
    """statsmodels' NormalIndPower.power (ddof 0) for n1, in mpmath: the effective size is
    1/(1/n1 + 1/(n1*ratio)); two-sided adds both tails at alpha/2, crit = isf(alpha/2) and
    ppf(alpha/2); 'larger' is sf(isf(alpha) - d*sqrt(m)); 'smaller' is cdf(ppf(alpha) - d*sqrt(m))."""
    m = 1 / (1 / n1 + 1 / (n1 * ratio))
    shift = effect * mp.sqrt(m)
    a = mp.mpf(alpha) / 2 if alternative == "two-sided" else mp.mpf(alpha)
    power = mp.mpf(0)
    if alternative in ("two-sided", "larger"):
        power += 1 - mp.ncdf(mp_ndtri(1 - a) - shift)   # norm.sf(norm.isf(a) - shift)
    if alternative in ("two-sided", "smaller"):
        power += mp.ncdf(mp_ndtri(a) - shift)           # norm.cdf(norm.ppf(a) - shift)
    return power


def ref_sample_size_proportions(p, d):
    effect = proportion_effectsize(p["p1"], p["p2"])
    alt = SM_ALTERNATIVE[p["alternative"]]
    n1 = NormalIndPower().solve_power(effect_size=effect, nobs1=None, alpha=p["alpha"], power=p["power"],
                                      ratio=p["ratio"], alternative=alt)
    n1 = float(np.squeeze(n1))
    if not np.isfinite(n1):
        raise ValueError("statsmodels found no solution")
    # The precise root of the same equation, effect from the same doubles p1, p2.
    with mp.workdps(40):
        exact_effect = 2 * (mp.asin(mp.sqrt(mp.mpf(p["p1"]))) - mp.asin(mp.sqrt(mp.mpf(p["p2"]))))
        f = lambda n: sample_size_power(n, exact_effect, p["alpha"], mp.mpf(p["ratio"]), alt) - mp.mpf(p["power"])
        lo, hi = mp.mpf(n1) * 0.99, mp.mpf(n1) * 1.01
        assert f(lo) < 0 < f(hi), (p, n1)
        for _ in range(170):   # bisection: the power rises with n1; 2^-170 of the bracket
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if f(mid) < 0 else (lo, mid)
        root = (lo + hi) / 2
        assert abs(f(root)) < mp.mpf(10) ** -30, (p, f(root))
        assert abs(root - n1) <= 1e-4 * root, (p, root, n1)   # statsmodels' brentq, xtol 1e-5
        n1_exact, n2_exact = float(root), float(root * mp.mpf(p["ratio"]))
    return {"n1": n1_exact, "n2": n2_exact, "statsmodels": {"n1": num(n1), "n2": num(n1 * p["ratio"])}}


def ref_describe(p, d):
    X = np.asarray(d["a"], float)[:, None] if "a" in d else np.asarray(d["X"], float)
    res = st.describe(X, axis=0, ddof=p["ddof"])
    cols = X.shape[1]
    return {"nobs": int(res.nobs), "min": [num(v) for v in res.minmax[0]], "max": [num(v) for v in res.minmax[1]],
            "mean": [num(v) for v in res.mean], "variance": [num(v) for v in res.variance],
            "skewness": [num(v) for v in res.skewness], "kurtosis": [num(v) for v in res.kurtosis]}


REFERENCE = {
    "ttest_1samp": ref_ttest_1samp, "ttest_ind": ref_ttest_ind, "ttest_rel": ref_ttest_rel,
    "chisquare": ref_chisquare, "chi2_contingency": ref_chi2_contingency, "fisher_exact": ref_fisher_exact,
    "f_oneway": ref_f_oneway, "pearsonr": ref_pearsonr, "proportions_ztest": ref_proportions_ztest,
    "multipletests": ref_multipletests, "sample_size_proportions": ref_sample_size_proportions,
    "describe": ref_describe,
}


# ----------------------------------------------------------------------------------------------
# Exact recomputation from the same doubles (the check, not the expected values)


def mq(f):
    """A Fraction as an mpf at the working precision."""
    return mp.mpf(f.numerator) / f.denominator


def mp_ndtri(p):
    return mp.sqrt(2) * mp.erfinv(2 * mp.mpf(p) - 1)


def mp_betacf(a, b, x):
    """The incomplete beta's continued fraction (modified Lentz), to the working precision."""
    tiny, eps = mp.mpf(10) ** (-2 * mp.mp.dps), mp.mpf(10) ** (-mp.mp.dps + 2)
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = mp.mpf(1), 1 - qab * x / qap
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10 ** 6):
        m2 = 2 * m
        for aa in (m * (b - m) * x / ((qam + m2) * (a + m2)), -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1 + aa * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + aa / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < eps:
            return h
    raise ArithmeticError("betacf did not converge")


def mp_betainc_lower(a, b, x):
    """I_x(a, b): the continued fraction on the side of the mean that converges, so that a small
    tail keeps its relative precision (mpmath's own betainc stalls for a = b = 5e5)."""
    a, b, x = mp.mpf(a), mp.mpf(b), mp.mpf(x)
    if x <= 0:
        return mp.mpf(0)
    if x >= 1:
        return mp.mpf(1)
    front = mp.exp(mp.loggamma(a + b) - mp.loggamma(a) - mp.loggamma(b) + a * mp.log(x) + b * mp.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * mp_betacf(a, b, x) / a
    return 1 - front * mp_betacf(b, a, 1 - x) / b


def mp_t_sf(df, t):
    """P(T > t): the tail through I_{df/(df+t²)}(df/2, 1/2)/2, complemented for t < 0."""
    if t == 0:
        return mp.mpf(1) / 2
    tail = mp_betainc_lower(df / 2, mp.mpf(1) / 2, df / (df + t * t)) / 2
    return tail if t > 0 else 1 - tail


def mp_t_ppf(df, p, guess):
    return mp.findroot(lambda q: (1 - mp_t_sf(df, q)) - p, (mp.mpf(guess), mp.mpf(guess) * (1 + mp.mpf(1e-6))),
                       solver="secant")


def mp_pvalue(alternative, cdf, sf, stat):
    if alternative == "less":
        return cdf(stat)
    if alternative == "greater":
        return sf(stat)
    return 2 * sf(abs(stat))


def mp_chi2_sf(df, x):
    return mp.gammainc(mp.mpf(df) / 2, x / 2, mp.inf, regularized=True)


def mp_f_sf(d1, d2, f):
    d1, d2 = mp.mpf(d1), mp.mpf(d2)
    return mp_betainc_lower(d2 / 2, d1 / 2, d2 / (d2 + d1 * f))


class Exact:
    """Exact power sums of a float sample (each double is a dyadic rational)."""

    def __init__(self, x):
        vals, counts = np.unique(np.asarray(x, float), return_counts=True)
        ratios = [float(v).as_integer_ratio() for v in vals]
        shift = max(den.bit_length() - 1 for _, den in ratios)
        nums = [nm << (shift - (den.bit_length() - 1)) for nm, den in ratios]
        cs = [int(c) for c in counts]
        self.n = sum(cs)
        self.min, self.max = Fraction(float(vals[0])), Fraction(float(vals[-1]))
        D = 1 << shift
        self.s = [Fraction(self.n)] + [Fraction(sum(c * m ** k for c, m in zip(cs, nums)), D ** k) for k in (1, 2, 3, 4)]

    @property
    def mean(self):
        return self.s[1] / self.n

    def central(self, k):
        """Σ(x - mean)^k, exactly."""
        n, s1, s2, s3, s4 = self.n, self.s[1], self.s[2], self.s[3], self.s[4]
        if k == 2:
            return s2 - s1 * s1 / n
        if k == 3:
            return s3 - 3 * s1 * s2 / n + 2 * s1 ** 3 / n ** 2
        return s4 - 4 * s1 * s3 / n + 6 * s1 * s1 * s2 / n ** 2 - 3 * s1 ** 4 / n ** 3


def exact_cross(x, y):
    """Σ x_i y_i, exactly."""
    def dy(a):
        ratios = [v.as_integer_ratio() for v in np.asarray(a, float).tolist()]
        shift = max(den.bit_length() - 1 for _, den in ratios)
        return [nm << (shift - (den.bit_length() - 1)) for nm, den in ratios], shift
    nx, sx = dy(x)
    ny, sy = dy(y)
    return Fraction(sum(a * b for a, b in zip(nx, ny)), 1 << (sx + sy))


def exact_t(stat_mean, popmean, se2, df, p, guess_ci):
    """t = (mean - popmean)/se, its p-value and CI, from an exact mean and squared standard error."""
    se = mp.sqrt(mq(se2))
    est = mq(stat_mean)
    t = (est - mp.mpf(popmean)) / se
    df_m = mq(df) if isinstance(df, Fraction) else mp.mpf(df)
    pv = mp_pvalue(p["alternative"], lambda s: 1 - mp_t_sf(df_m, s), lambda s: mp_t_sf(df_m, s), t)
    cl = p["confidence_level"]
    lo_g, hi_g = guess_ci
    if p["alternative"] == "less":
        lo, hi = None, mp_t_ppf(df_m, mp.mpf(cl), hi_g) * se + est
    elif p["alternative"] == "greater":
        lo, hi = mp_t_ppf(df_m, mp.mpf(1 - cl), lo_g) * se + est, None
    else:
        tail = (1 - cl) / 2   # as scipy forms it, in doubles
        lo = mp_t_ppf(df_m, mp.mpf(tail), lo_g) * se + est
        hi = mp_t_ppf(df_m, mp.mpf(1 - tail), hi_g) * se + est
    return {"statistic": t, "p_value": pv, "df": df_m, "confidence_interval": [lo, hi], "estimate": est}


def t_guesses(df, p):
    cl = p["confidence_level"]
    if p["alternative"] == "less":
        return None, sc.stdtrit(df, cl)
    if p["alternative"] == "greater":
        return sc.stdtrit(df, 1 - cl), None
    tail = (1 - cl) / 2
    return sc.stdtrit(df, tail), sc.stdtrit(df, 1 - tail)


def exact_ttest_1samp(p, d):
    e = Exact(d["a"])
    df = e.n - 1
    return exact_t(e.mean, p["popmean"], e.central(2) / df / e.n, df, p, t_guesses(df, p))


def exact_ttest_rel(p, d):
    diff = np.asarray(d["a"], float) - np.asarray(d["b"], float)   # scipy forms a - b in doubles
    e = Exact(diff)
    df = e.n - 1
    return exact_t(e.mean, 0.0, e.central(2) / df / e.n, df, p, t_guesses(df, p))


def exact_ttest_ind(p, d):
    a, b = Exact(d["a"]), Exact(d["b"])
    n1, n2 = a.n, b.n
    v1, v2 = a.central(2) / (n1 - 1), b.central(2) / (n2 - 1)
    if p["equal_var"]:
        df = Fraction(n1 + n2 - 2)
        se2 = (a.central(2) + b.central(2)) / df * (Fraction(1, n1) + Fraction(1, n2))
    else:
        vn1, vn2 = v1 / n1, v2 / n2
        df = (vn1 + vn2) ** 2 / (vn1 ** 2 / (n1 - 1) + vn2 ** 2 / (n2 - 1))
        se2 = vn1 + vn2
    return exact_t(a.mean - b.mean, 0.0, se2, df, p, t_guesses(float(df), p))


def exact_chi2_terms(obs, exp, dof):
    stat = sum((o - e) ** 2 / e for o, e in zip(obs, exp))
    return stat, mp_chi2_sf(dof, mq(stat))


def exact_chisquare(p, d):
    obs = [Fraction(float(v)) for v in d["f_obs"]]
    exp = [sum(obs) / len(obs)] * len(obs) if d.get("f_exp") is None else [Fraction(float(v)) for v in d["f_exp"]]
    stat, pv = exact_chi2_terms(obs, exp, len(obs) - 1 - p["ddof"])
    return {"statistic": mq(stat), "p_value": pv}


def exact_chi2_contingency(p, d):
    O = [[Fraction(float(v)) for v in row] for row in d["observed"]]
    rows, cols = [sum(r) for r in O], [sum(c) for c in zip(*O)]
    total = sum(rows)
    E = [[r * c / total for c in cols] for r in rows]
    dof = len(O) * len(O[0]) - len(O) - len(O[0]) + 1
    out = {"dof": dof, "expected_freq": [[mq(v) for v in row] for row in E]}
    if dof == 0:
        out.update(statistic=mp.mpf(0), p_value=mp.mpf(1))
        return out
    if dof == 1 and p["correction"]:
        def yates(o, e):
            diff = e - o
            mag = min(Fraction(1, 2), abs(diff))
            return o + (mag if diff > 0 else -mag if diff < 0 else 0)
        O = [[yates(o, e) for o, e in zip(ro, re)] for ro, re in zip(O, E)]
    stat, pv = exact_chi2_terms([v for r in O for v in r], [v for r in E for v in r], dof)
    out.update(statistic=mq(stat), p_value=pv)
    return out


def exact_fisher_exact(p, d):
    (a, b), (c, dd) = [[int(v) for v in row] for row in d["table"]]
    if 0 in (a + b, c + dd, a + c, b + dd):
        return {"statistic": None, "p_value": mp.mpf(1)}
    odds = Fraction(a * dd, c * b) if c > 0 and b > 0 else None
    n1, n2, n = a + b, c + dd, a + c
    total = math.comb(n1 + n2, n)
    support = range(max(0, n - n2), min(n, n1) + 1)
    pmf = {x: Fraction(math.comb(n1, x) * math.comb(n2, n - x), total) for x in support}
    if p["alternative"] == "less":
        pv = sum(v for x, v in pmf.items() if x <= a)
    elif p["alternative"] == "greater":
        pv = sum(v for x, v in pmf.items() if x >= a)
    else:
        # scipy: 1 when the table's probability is the mode's to 1e-14 relative; otherwise every
        # table no more probable than the observed one times (1 + 1e-14).
        mode = int((n + 1) * (n1 + 1) / (n1 + n2 + 2))
        pexact, pmode = pmf[a], pmf.get(mode, Fraction(0))
        if abs(pexact - pmode) / max(pexact, pmode) <= Fraction(1e-14):
            pv = Fraction(1)
        else:
            gamma = Fraction(1 + 1e-14)
            pv = min(Fraction(1), sum(v for v in pmf.values() if v <= pexact * gamma))
    return {"statistic": None if odds is None else mq(odds), "p_value": mq(pv)}


def exact_f_oneway(p, d):
    gs = [Exact(g) for g in d["groups"]]
    N, k = sum(g.n for g in gs), len(gs)
    S1 = sum(g.s[1] for g in gs)
    ssb = sum(g.s[1] ** 2 / g.n for g in gs) - S1 ** 2 / N
    ssw = sum(g.central(2) for g in gs)
    f = mq(ssb / (k - 1)) / mq(ssw / (N - k))
    return {"statistic": f, "p_value": mp_f_sf(k - 1, N - k, f), "df_between": k - 1, "df_within": N - k}


def exact_pearsonr(p, d):
    x, y = Exact(d["x"]), Exact(d["y"])
    n = x.n
    sxy = exact_cross(d["x"], d["y"]) - x.s[1] * y.s[1] / n
    r = mq(sxy) / mp.sqrt(mq(x.central(2)) * mq(y.central(2)))
    r = max(min(r, mp.mpf(1)), mp.mpf(-1))
    if n == 2:
        return {"statistic": mp.nint(r), "p_value": mp.mpf(1), "confidence_interval": [mp.mpf(-1), mp.mpf(1)]}
    ab = mp.mpf(n) / 2 - 1
    cdf = lambda s: mp_betainc_lower(ab, ab, (1 + s) / 2)
    sf = lambda s: mp_betainc_lower(ab, ab, (1 - s) / 2)
    pv = mp_pvalue(p["alternative"], cdf, sf, r)
    cl = p["confidence_level"]
    if n <= 3:
        ci = [mp.mpf(-1), mp.mpf(1)]
    else:
        z = mp.atanh(r) if abs(r) < 1 else mp.inf * mp.sign(r)
        se = 1 / mp.sqrt(n - 3)
        if p["alternative"] == "two-sided":
            h = mp_ndtri(0.5 + cl / 2)   # as scipy forms it, in doubles
            ci = [mp.tanh(z - h * se), mp.tanh(z + h * se)]
        elif p["alternative"] == "less":
            ci = [mp.mpf(-1), mp.tanh(z + mp_ndtri(cl) * se)]
        else:
            ci = [mp.tanh(z - mp_ndtri(cl) * se), mp.mpf(1)]
    return {"statistic": r, "p_value": pv, "confidence_interval": ci}


def exact_proportions_ztest(p, d):
    count = [Fraction(float(v)) for v in d["count"]]
    nobs = [Fraction(float(v)) for v in d["nobs"]]
    if len(nobs) == 1:
        nobs = nobs * len(count)
    prop = [c / n for c, n in zip(count, nobs)]
    value = Fraction(0) if p["value"] is None else Fraction(p["value"])
    diff = prop[0] - value if len(prop) == 1 else prop[0] - prop[1] - value
    pooled = Fraction(p["prop_var"]) if p["prop_var"] else sum(count) / sum(nobs)
    var = pooled * (1 - pooled) * sum(1 / n for n in nobs)
    z = mq(diff) / mp.sqrt(mq(var))
    pv = mp_pvalue(p["alternative"], mp.ncdf, lambda s: mp.ncdf(-s), z)
    return {"statistic": z, "p_value": pv}


def exact_describe(p, d):
    X = np.asarray(d["a"], float)[:, None] if "a" in d else np.asarray(d["X"], float)
    out = {k: [] for k in ("nobs", "min", "max", "mean", "variance", "skewness", "kurtosis")}
    for j in range(X.shape[1]):
        e = Exact(X[:, j])
        n = e.n
        m2, m3, m4 = e.central(2) / n, e.central(3) / n, e.central(4) / n
        out["nobs"].append(n)
        out["min"].append(mq(e.min))
        out["max"].append(mq(e.max))
        out["mean"].append(mq(e.mean))
        out["variance"].append(None if n == p["ddof"] else mq(e.central(2) / (n - p["ddof"])))
        out["skewness"].append(None if m2 == 0 else mq(m3) / mq(m2) ** mp.mpf(1.5))
        out["kurtosis"].append(None if m2 == 0 else mq(m4 / m2 ** 2) - 3)
    out["nobs"] = out["nobs"][0]  # one count for every column, as scipy's describe
    return out


EXACT = {
    "ttest_1samp": exact_ttest_1samp, "ttest_ind": exact_ttest_ind, "ttest_rel": exact_ttest_rel,
    "chisquare": exact_chisquare, "chi2_contingency": exact_chi2_contingency, "fisher_exact": exact_fisher_exact,
    "f_oneway": exact_f_oneway, "pearsonr": exact_pearsonr, "proportions_ztest": exact_proportions_ztest,
    "describe": exact_describe,
}


def deviations(expected, exact, path=""):
    """(relative deviation, field) pairs of scipy's values from the exact ones."""
    if isinstance(expected, dict):
        return [dv for k in expected if k in exact for dv in deviations(expected[k], exact[k], path + k)]
    if isinstance(expected, list):
        return [dv for i, (e, x) in enumerate(zip(expected, exact)) for dv in deviations(e, x, f"{path}[{i}]")]
    if isinstance(expected, bool):
        return []
    if exact is None or not mp.isfinite(exact):
        return [(0.0 if expected is None else math.inf, path)]
    if expected is None:
        return [(math.inf, path)]
    exact = mp.mpf(exact)
    if exact == 0:
        return [(abs(expected), path)]
    return [(float(abs(mp.mpf(expected) - exact) / abs(exact)), path)]


def to_json_exact(v):
    if isinstance(v, dict):
        return {k: to_json_exact(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_json_exact(x) for x in v]
    if v is None or isinstance(v, (int, bool)):
        return v
    return num(float(v)) if mp.isfinite(v) else None


# ----------------------------------------------------------------------------------------------
# The cases


def r(x, decimals=2):
    """Rounded data (short in JSON, with ties), as plain floats."""
    return [float(v) for v in np.round(np.asarray(x, float), decimals)]


def build_cases():
    rng = np.random.default_rng(20260315)
    cases = []

    def add(name, task, params, data, generated=None):
        c = {"name": name, "task": task, "params": params, "data": data}
        if generated:
            c["generated"] = generated
        cases.append(c)

    # ttest_1samp ------------------------------------------------------------------------------
    def t1(name, a, popmean=0.0, alternative="two-sided", cl=0.95, generated=None):
        data = {} if generated else {"a": a}
        add(f"ttest_1samp {name} {alternative} cl={cl}", "ttest_1samp",
            {"popmean": popmean, "alternative": alternative, "confidence_level": cl}, data, generated)

    typical = r(rng.normal(5.4, 1.3, 25))
    for alt in ALTERNATIVES:
        t1("typical n=25", typical, 5.0, alt)
        t1("typical n=25", typical, 5.0, alt, 0.9)
        t1("typical n=25", typical, 5.0, alt, 0.99)
    ties = [float(v) for v in rng.integers(1, 6, 40)]
    t1("ties integers", ties, 3.0)
    t1("ties integers", ties, 3.0, "greater")
    t1("zeros", [0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 0.0, 3.0, 0.0, 0.0, 0.5], 0.0, "greater")
    t1("zeros", [0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 0.0, 3.0, 0.0, 0.0, 0.5], 0.0)
    t1("negative values", r(rng.normal(-2.2, 0.8, 15)), -1.0, "less")
    t1("n=2", [1.5, 2.7], 0.0)
    t1("n=2", [1.5, 2.7], 0.0, "less")
    t1("n=3 with a tie", [2.1, 2.1, 3.4], 1.0)
    t1("n=3 with a tie", [2.1, 2.1, 3.4], 1.0, "greater", 0.9)
    huge = r(100 + rng.normal(0, 0.0005, 50), 6)
    t1("huge t n=50", huge, 0.0)
    t1("huge t n=50", huge, 0.0, "greater")
    t1("extreme tail n=4000", r(rng.normal(0.62, 1.0, 4000)), 0.0)
    t1("generated n=1e6", None, 50.0, generated={"a": spec(1_000_000, 7919, 10007, 0.01)})
    t1("generated n=1e6", None, 49.95, "greater", 0.99, generated={"a": spec(1_000_000, 7919, 10007, 0.01)})

    # ttest_ind --------------------------------------------------------------------------------
    def t2(name, a, b, equal_var=True, alternative="two-sided", cl=0.95, generated=None):
        data = {} if generated else {"a": a, "b": b}
        kind = "student" if equal_var else "welch"
        add(f"ttest_ind {kind} {name} {alternative} cl={cl}", "ttest_ind",
            {"equal_var": equal_var, "alternative": alternative, "confidence_level": cl}, data, generated)

    a, b = r(rng.normal(10.0, 2.0, 20)), r(rng.normal(11.2, 2.0, 25))
    aw, bw = r(rng.normal(10.0, 1.0, 12)), r(rng.normal(11.0, 3.5, 30))
    for alt in ALTERNATIVES:
        t2("typical", a, b, True, alt)
        t2("typical", aw, bw, False, alt)
    t2("typical", a, b, True, "two-sided", 0.9)
    t2("typical", a, b, True, "less", 0.99)
    t2("typical", aw, bw, False, "two-sided", 0.99)
    t2("typical", aw, bw, False, "greater", 0.9)
    ia, ib = [float(v) for v in rng.integers(0, 5, 30)], [float(v) for v in rng.integers(1, 6, 18)]
    t2("ties integers", ia, ib, True)
    t2("ties integers", ia, ib, False)
    za, zb = [0.0] * 8 + [1.0, 2.0, 0.5], [0.0] * 5 + [3.0, 1.0, 2.5, 4.0]
    t2("zeros", za, zb, True)
    t2("zeros", za, zb, False, "less")
    t2("n=2 vs 2", [1.0, 2.0], [3.5, 5.0], True)
    t2("n=2 vs 2", [1.0, 2.0], [3.5, 5.0], False)
    t2("n=3 vs 2", [1.0, 2.0, 2.0], [3.5, 5.0], True, "less")
    t2("n=3 vs 2", [1.0, 2.0, 2.0], [3.5, 5.0], False, "less")
    t2("n=3 vs 3", [4.2, 3.9, 5.1], [2.0, 2.4, 1.1], False, "greater", 0.99)
    ea, eb = r(rng.normal(0.0, 1.0, 3000)), r(rng.normal(0.94, 1.0, 3000))
    t2("extreme tail n=3000", ea, eb, True)
    t2("extreme tail n=3000", ea, r(rng.normal(0.9, 0.6, 2500)), False)
    ha, hb = r(10 + rng.normal(0, 1e-4, 30), 6), r(rng.normal(0, 1e-4, 30), 6)
    t2("huge t n=30", ha, hb, True)
    t2("huge t n=30", ha, hb, False, "greater")
    g_a, g_b = spec(1_000_000, 7919, 10007, 0.01), spec(1_000_000, 104729, 10009, 0.01, 0.05)
    t2("generated n=1e6", None, None, True, generated={"a": g_a, "b": g_b})
    t2("generated n=1e6", None, None, False, "less", 0.99,
       generated={"a": g_a, "b": spec(800_000, 104729, 10009, 0.02, -50.0)})

    # ttest_rel --------------------------------------------------------------------------------
    def t3(name, a, b, alternative="two-sided", cl=0.95, generated=None):
        data = {} if generated else {"a": a, "b": b}
        add(f"ttest_rel {name} {alternative} cl={cl}", "ttest_rel",
            {"alternative": alternative, "confidence_level": cl}, data, generated)

    before = r(rng.normal(120, 15, 20), 1)
    after = r(np.asarray(before) - rng.normal(3.0, 5.0, 20), 1)
    for alt in ALTERNATIVES:
        t3("typical n=20", before, after, alt)
    t3("typical n=20", before, after, "two-sided", 0.9)
    t3("typical n=20", before, after, "greater", 0.99)
    pa = [float(v) for v in rng.integers(1, 6, 25)]
    pb = [float(v) for v in np.clip(np.asarray(pa) + rng.integers(-1, 3, 25), 1, 5)]
    t3("ties integers (some zero differences)", pa, pb)
    t3("zeros", [0.0, 0.0, 1.0, 2.0, 0.0, 3.0], [0.0, 1.0, 0.0, 0.0, 0.0, 1.0], "greater")
    t3("n=2", [1.0, 2.5], [0.5, 1.0])
    t3("n=3", [1.0, 2.5, 4.0], [0.5, 1.0, 3.9], "less")
    xa = r(rng.normal(5, 1, 2000))
    t3("extreme tail n=2000", xa, r(np.asarray(xa) - 0.25 + rng.normal(0, 0.3, 2000)))
    t3("generated n=1e6", None, None, generated={"a": spec(1_000_000, 7919, 10007, 0.01),
                                                 "b": spec(1_000_000, 104729, 10009, 0.01)})
    t3("generated large offset n=1e6", None, None, "less", 0.99,
       generated={"a": spec(1_000_000, 7919, 10007, 1e-4, 1e9), "b": spec(1_000_000, 104729, 10009, 1e-4, 1e9)})

    # chisquare --------------------------------------------------------------------------------
    def cs(name, f_obs, f_exp=None, ddof=0):
        data = {"f_obs": f_obs}
        if f_exp is not None:
            data["f_exp"] = f_exp
        add(f"chisquare {name} ddof={ddof}", "chisquare", {"ddof": ddof}, data)

    die = [float(v) for v in np.bincount(rng.integers(0, 6, 120), minlength=6)]
    cs("die rolls", die)
    cs("die rolls", die, ddof=1)
    cs("die rolls", die, ddof=2)
    cs("with f_exp", [43.0, 52.0, 54.0, 40.0], [50.0, 50.0, 40.0, 49.0])
    cs("with f_exp", [43.0, 52.0, 54.0, 40.0], [50.0, 50.0, 40.0, 49.0], ddof=1)
    # The sums differ by 1e-10 relative: inside scipy's sqrt(eps) tolerance, accepted.
    cs("f_exp sum off by 1e-10 relative", [43.0, 52.0, 54.0, 40.0], [50.0, 50.0, 40.0, 49.0 * (1 + 1e-10 * 189 / 49)])
    cs("zeros in f_obs", [0.0, 5.0, 0.0, 12.0, 3.0])
    cs("zeros in f_obs with f_exp", [0.0, 5.0, 0.0, 15.0], [2.0, 6.0, 4.0, 8.0])
    cs("all equal", [7.0, 7.0, 7.0, 7.0])
    cs("two categories", [10.0, 20.0])
    cs("two categories", [3.0, 1.0], [2.0, 2.0])
    cs("three categories", [5.0, 9.0, 16.0])
    cs("non-integer frequencies", [10.5, 20.25, 14.75, 30.0])
    cs("extreme tail", [20000.0, 21800.0, 18700.0, 20300.0])
    cs("100 categories", [float(v) for v in rng.poisson(np.linspace(20, 80, 100))])

    # chi2_contingency -------------------------------------------------------------------------
    def cc(name, observed, correction=True):
        add(f"chi2_contingency {name} correction={str(correction).lower()}", "chi2_contingency",
            {"correction": correction}, {"observed": observed})

    t22 = [[12.0, 5.0], [7.0, 16.0]]
    cc("2x2", t22, True)
    cc("2x2", t22, False)
    cc("2x2 |O-E| < 0.5 (Yates capped)", [[10.0, 11.0], [10.0, 10.0]], True)
    cc("2x2 |O-E| < 0.5 (Yates capped)", [[10.0, 11.0], [10.0, 10.0]], False)
    cc("2x2 |O-E| = 0.5 exactly", [[11.0, 9.0], [10.0, 10.0]], True)
    cc("2x2 |O-E| = 0.74 (full Yates 0.5)", [[11.0, 9.0], [9.0, 10.0]], True)
    cc("2x2 with a zero cell", [[0.0, 8.0], [6.0, 4.0]], True)
    cc("2x2 large counts", [[5200.0, 4800.0], [4300.0, 5700.0]], True)
    cc("1x4 (dof 0)", [[10.0, 20.0, 30.0, 5.0]], True)
    cc("3x1 (dof 0)", [[4.0], [9.0], [2.0]], False)
    cc("2x3", [[20.0, 15.0, 30.0], [25.0, 30.0, 10.0]], True)
    cc("3x4", [[12.0, 7.0, 9.0, 3.0], [5.0, 11.0, 8.0, 6.0], [9.0, 4.0, 13.0, 10.0]], True)
    cc("3x4 with zeros", [[0.0, 7.0, 9.0, 3.0], [5.0, 0.0, 8.0, 6.0], [9.0, 4.0, 0.0, 10.0]], False)
    rowf, colf = rng.uniform(0.5, 1.5, 30), rng.uniform(0.5, 1.5, 30)
    lam = 400 * np.outer(rowf, colf) * (1 + 0.1 * np.sin(np.add.outer(np.arange(30), 2 * np.arange(30))))
    cc("30x30 large counts", [[float(v) for v in row] for row in rng.poisson(lam)], True)

    # fisher_exact -----------------------------------------------------------------------------
    def fe(name, table, alternatives=ALTERNATIVES):
        for alt in alternatives:
            add(f"fisher_exact {name} {alt}", "fisher_exact", {"alternative": alt}, {"table": table})

    fe("typical", [[8, 2], [1, 5]])
    fe("small counts", [[1, 3], [2, 1]])
    fe("zero off-diagonal (odds ratio inf)", [[3, 0], [2, 4]])
    fe("zero diagonal (odds ratio 0)", [[0, 4], [3, 2]])
    fe("both off-diagonals zero", [[5, 0], [0, 3]], ("two-sided",))
    fe("row of zeros", [[0, 0], [4, 6]], ("two-sided", "less"))
    fe("counts in the thousands", [[1210, 790], [950, 1050]])
    fe("counts in the thousands, tiny p", [[3000, 2000], [2000, 3000]], ("two-sided", "greater"))
    fe("symmetric, ties in the pmf", [[4, 1], [1, 4]])
    fe("symmetric, ties in the pmf", [[40, 10], [10, 40]], ("two-sided",))
    fe("symmetric, zeros", [[5, 0], [0, 5]], ("two-sided",))
    fe("table at the mode (p = 1)", [[3, 3], [3, 3]], ("two-sided",))
    fe("unbalanced", [[2, 15], [9, 4]])

    # f_oneway ---------------------------------------------------------------------------------
    def fo(name, groups, generated=None):
        add(f"f_oneway {name}", "f_oneway", {}, {} if generated else {"groups": groups}, generated)

    fo("three groups", [r(rng.normal(m, 1.2, k)) for m, k in ((5.0, 12), (5.8, 15), (6.3, 10))])
    fo("four groups", [r(rng.normal(m, 2.0, 20)) for m in (1.0, 1.5, 0.8, 2.4)])
    fo("two groups", [r(rng.normal(0.0, 1.0, 14)), r(rng.normal(0.7, 1.0, 11))])
    fo("ties integers", [[float(v) for v in rng.integers(1, 6, k)] for k in (15, 20, 18)])
    fo("zeros", [[0.0, 0.0, 1.0, 0.0], [0.0, 2.0, 3.0, 1.0, 0.0], [4.0, 0.0, 5.0]])
    fo("groups of 2 and 3 values", [[1.0, 2.0], [3.0, 4.5, 5.0], [2.5, 3.0]])
    fo("a group of 1 value", [[1.5], [2.0, 3.0], [4.0, 5.0, 6.5]])
    fo("extreme tail", [r(rng.normal(m, 1.0, 1000)) for m in (0.0, 0.35, 0.5)])
    fo("generated n=1e6", None, {"groups": [spec(400_000, 7919, 10007, 0.01), spec(300_000, 104729, 10009, 0.01, 0.1),
                                            spec(300_000, 48271, 10037, 0.01, -0.05)]})
    fo("generated large offset n=1e6", None, {"groups": [spec(400_000, 7919, 10007, 1e-4, 1e9),
                                                         spec(300_000, 104729, 10009, 1e-4, 1e9),
                                                         spec(300_000, 48271, 10037, 1.0001e-4, 1e9)]})

    # pearsonr ---------------------------------------------------------------------------------
    def pr(name, x, y, alternative="two-sided", cl=0.95, generated=None):
        add(f"pearsonr {name} {alternative} cl={cl}", "pearsonr", {"alternative": alternative, "confidence_level": cl},
            {} if generated else {"x": x, "y": y}, generated)

    px = r(rng.normal(0, 1, 30))
    py = r(0.6 * np.asarray(px) + rng.normal(0, 0.8, 30))
    ny = r(-0.4 * np.asarray(px) + rng.normal(0, 1.0, 30))
    for alt in ALTERNATIVES:
        pr("typical positive n=30", px, py, alt)
        pr("typical negative n=30", px, ny, alt)
    pr("typical positive n=30", px, py, "two-sided", 0.9)
    pr("typical positive n=30", px, py, "two-sided", 0.99)
    pr("typical negative n=30", px, ny, "less", 0.9)
    pr("typical positive n=30", px, py, "greater", 0.99)
    tx = [float(v) for v in rng.integers(0, 4, 25)]
    pr("ties integers", tx, [float(v) for v in np.asarray(tx) + rng.integers(0, 3, 25)])
    pr("zeros", [0.0, 0.0, 1.0, 0.0, 2.0, 3.0, 0.0], [0.0, 1.0, 1.0, 0.0, 2.0, 2.0, 0.0])
    for alt in ALTERNATIVES:
        pr("n=2", [1.0, 2.0], [3.0, 5.0], alt)
    pr("n=2 negative", [1.0, 2.0], [3.0, 1.0])
    pr("n=3", [1.0, 2.0, 4.0], [3.0, 1.0, 2.0])
    pr("n=3", [1.0, 2.0, 4.0], [1.0, 3.0, 4.5], "greater")
    pr("n=4 (se = 1)", [1.0, 2.0, 4.0, 5.0], [1.5, 1.0, 4.0, 6.0])
    pr("exact line n=5", [1.0, 2.0, 3.0, 4.0, 5.0], [2.0, 4.0, 6.0, 8.0, 10.0])
    ex = r(rng.normal(0, 1, 1500))
    pr("extreme tail n=1500", ex, r(0.75 * np.asarray(ex) + rng.normal(0, 0.62, 1500)))
    pr("generated n=1e6", None, None, generated={"x": spec(1_000_000, 7919, 10007, 0.01),
                                                 "y": spec(1_000_000, 7919, 10009, 0.01)})
    pr("generated large offset n=1e6", None, None, "greater", 0.99,
       generated={"x": spec(1_000_000, 7919, 10007, 1e-4, 1e9), "y": spec(1_000_000, 7919, 10009, 1e-4, 1e9)})

    # proportions_ztest ------------------------------------------------------------------------
    def pz(name, count, nobs, value=None, alternative="two-sided", prop_var=False):
        add(f"proportions_ztest {name} {alternative}", "proportions_ztest",
            {"value": value, "alternative": alternative, "prop_var": prop_var}, {"count": count, "nobs": nobs})

    for alt in ALTERNATIVES:
        pz("one sample value 0.5", [45], [100], 0.5, alt)
        pz("one sample value 0.5 prop_var 0.5", [45], [100], 0.5, alt, 0.5)
        pz("two samples", [45, 60], [100, 110], None, alt)
        pz("two samples value 0.05", [45, 60], [100, 110], 0.05, alt)
    pz("two samples prop_var 0.4", [45, 60], [100, 110], None, "two-sided", 0.4)
    pz("two samples shared nobs", [30, 45], [80], None, "less")
    pz("two samples equal proportions (z = 0)", [20, 30], [40, 60], None, "two-sided")
    pz("one sample zero count with prop_var", [0], [20], 0.1, "less", 0.1)
    pz("one sample small n", [3], [7], 0.2, "greater")
    pz("two samples extreme tail", [3500, 5700], [10000, 10000], None, "two-sided")
    pz("two samples extreme tail", [3500, 5700], [10000, 10000], None, "less")
    pz("one sample extreme tail", [6000], [10000], 0.42, "greater")

    # multipletests ----------------------------------------------------------------------------
    def mt(name, pvals):
        for method in ("holm", "bonferroni", "fdr_bh", "fdr_by"):
            for alpha in (0.05, 0.1):
                add(f"multipletests {name} {method} alpha={alpha}", "multipletests",
                    {"method": method, "alpha": alpha}, {"pvals": pvals})

    mt("typical", [0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.012, 0.0001, 0.8, 0.049])
    mt("ties", [0.02, 0.02, 0.02, 0.01, 0.04, 0.04, 0.3])
    mt("p = 0 and p = 1", [0.0, 1.0, 0.03, 1.0, 0.0, 0.5])
    mt("single p-value", [0.03])
    # p-values on statsmodels' thresholds, formed with its own double operations: Holm's
    # alpha/(m - i) and Bonferroni's alpha/m, and Benjamini-Hochberg's (k/m)*alpha (rejected: <=).
    mt("on Holm's thresholds m=4", [0.05 / 4, 0.05 / 3, 0.05 / 2, 0.05 / 1])
    mt("on BH's thresholds m=4", [(1 / 4) * 0.05, (2 / 4) * 0.05, (3 / 4) * 0.05, (4 / 4) * 0.05 + 0.01])

    # sample_size_proportions ------------------------------------------------------------------
    def ss(name, p1, p2, alpha=0.05, power=0.8, ratio=1.0, alternative="two-sided"):
        add(f"sample_size_proportions {name}", "sample_size_proportions",
            {"p1": p1, "p2": p2, "alpha": alpha, "power": power, "ratio": ratio, "alternative": alternative}, {})

    ss("p1 < p2 two-sided", 0.5, 0.6)
    ss("p1 > p2 two-sided", 0.6, 0.5)
    ss("ratio 2", 0.3, 0.4, ratio=2.0)
    ss("ratio 0.5", 0.3, 0.4, ratio=0.5)
    ss("p1 < p2 less", 0.2, 0.3, alternative="less")
    ss("p1 > p2 greater", 0.3, 0.2, alternative="greater")
    ss("alpha 0.01", 0.5, 0.6, alpha=0.01)
    ss("power 0.9", 0.5, 0.6, power=0.9)
    ss("alpha 0.01 power 0.9 ratio 2 greater", 0.45, 0.35, alpha=0.01, power=0.9, ratio=2.0, alternative="greater")
    ss("small effect", 0.10, 0.11)
    ss("large effect", 0.2, 0.7)
    ss("small proportions", 0.01, 0.03, alternative="less")
    # statsmodels refuses a one-sided alternative against the effect's sign (no solution): no case.
    ss("p1 < p2 greater (no solution)", 0.2, 0.3, alternative="greater")

    # describe ---------------------------------------------------------------------------------
    def ds(name, ddof=1, a=None, X=None, generated=None):
        data = {} if generated else ({"a": a} if a is not None else {"X": X})
        add(f"describe {name} ddof={ddof}", "describe", {"ddof": ddof}, data, generated)

    va = r(rng.normal(3.0, 2.0, 50))
    ds("vector n=50", 1, a=va)
    ds("vector n=50", 0, a=va)
    ds("skewed (exponential) n=200", 1, a=r(rng.exponential(2.0, 200), 3))
    ds("ties integers", 1, a=[float(v) for v in rng.integers(0, 3, 30)])
    ds("negative values", 1, a=r(rng.normal(-50.0, 0.5, 20)))
    ds("n=2", 1, a=[1.0, 4.0])
    ds("n=3", 1, a=[1.0, 4.0, 4.0])
    ds("n=1 (variance undefined)", 1, a=[2.5])
    Xc = np.column_stack([r(rng.normal(10, 3, 12)), [2.5] * 12, r(rng.gamma(2.0, 1.0, 12))])
    ds("3 columns with a constant one", 1, X=Xc.tolist())
    ds("3 columns with a constant one", 0, X=Xc.tolist())
    ds("3 columns with a zero column", 1, X=np.column_stack([[0.0] * 6, r(rng.normal(0, 1, 6)), [1.0, 2, 3, 4, 5, 60]]).tolist())
    ds("generated n=1e6", 1, generated={"a": spec(1_000_000, 7919, 10007, 0.01)})
    ds("generated large offset n=1e6", 1, generated={"a": spec(1_000_000, 7919, 10007, 1e-4, 1e9)})
    return cases


def round_up(x):
    """x rounded up to one significant digit."""
    e = math.floor(math.log10(x))
    m = math.ceil(x / 10.0 ** e - 1e-9)
    return float(f"{m}e{e}")


def hypothesis_fixtures():
    mp.mp.dps = 50
    out, skipped, worst = [], [], {}
    for case in build_cases():
        arrays = arrays_of(case)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")   # scipy's precision and constant-input warnings
                case["expected"] = REFERENCE[case["task"]](case["params"], arrays)
        except Exception as e:   # the reference refuses: no case
            skipped.append(f"{case['name']}: {type(e).__name__}: {str(e).splitlines()[0][:120]}")
            continue
        if case["task"] in EXACT:
            exact = EXACT[case["task"]](case["params"], arrays)
            devs = deviations(case["expected"], exact)
            # A skewness near zero (the generated samples are all but uniform: about 1e-6) has no
            # relative precision in doubles: its cancellation, and at offset 1e9 the rounding of
            # the mean (3·δ/σ), leave an absolute error. Such a field is compared absolutely, at
            # ten times scipy's absolute error (at least the default tolerance), in
            # "absolute_tolerance", and is left out of the relative "tolerance".
            absolute = {}
            if case["task"] == "describe":
                for j, (got, ex) in enumerate(zip(case["expected"]["skewness"], exact["skewness"])):
                    err = None if got is None else float(abs(mp.mpf(got) - ex))
                    if err and abs(ex) < NEAR_ZERO_SKEWNESS:
                        absolute["skewness"] = max(absolute.get("skewness", DEFAULT_TOLERANCE), round_up(10 * err))
                        devs = [dv for dv in devs if dv[1] != f"skewness[{j}]"]
            dev, field = max(devs)
            if dev == math.inf:
                raise AssertionError(f"{case['name']}: scipy and the exact value disagree on definedness at {field}")
            task_worst = worst.get(case["task"], (0.0, "", ""))
            if dev > task_worst[0]:
                worst[case["task"]] = (dev, case["name"], field)
            if 10 * dev > DEFAULT_TOLERANCE:
                # scipy's own rounding error (against the exact value from the same doubles) is
                # above a tenth of the default tolerance: the case's tolerance is ten times it, and
                # the exact values ride along.
                case["tolerance"] = round_up(10 * dev)
            if absolute:
                case["absolute_tolerance"] = absolute
            if "tolerance" in case or absolute:
                case["exact"] = to_json_exact(exact)
        out.append(case)
    for s in skipped:
        print("skipped", s)
    for task, (dev, name, field) in sorted(worst.items()):
        print(f"{task:24s} worst scipy-vs-exact {dev:.2e}  ({name}, {field})")
    return {"generator": VERSIONS,
            "reference": "scipy.stats ttest_1samp/ttest_ind/ttest_rel (confidence_interval, _estimate), chisquare, "
                         "chi2_contingency, fisher_exact, f_oneway (df from statsmodels OLS on group indicators), pearsonr "
                         "(Fisher-z confidence_interval), describe(axis=0); statsmodels proportions_ztest, multipletests, "
                         "NormalIndPower.solve_power with proportion_effectsize (n1/n2: the 40-digit mpmath root of its "
                         "power equation)",
            "cases": out}


if __name__ == "__main__":
    wrong = {k: VERSIONS[k] for k, v in PINNED.items() if VERSIONS[k] != v}
    if wrong:
        sys.exit(f"hypothesis_tests.py: the pinned references are {PINNED}; found {wrong}")
    obj = hypothesis_fixtures()
    with open(OUTPUT, "w") as f:
        json.dump(obj, f, indent=None, allow_nan=False)
        f.write("\n")
    print("wrote", os.path.relpath(OUTPUT), f"({len(obj['cases'])} cases, {os.path.getsize(OUTPUT)} bytes)")
