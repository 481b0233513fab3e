#!/usr/bin/env python3
"""Reference fixtures for SciLearn's rank and goodness-of-fit tests, computed with scipy.stats.

Run by hand (never at test time); its output is committed:

    /work/.venv-ref/bin/python Tests/Fixtures/rank_tests.py   # writes Tests/Fixtures/rank-tests.json

Every expected value comes from scipy.stats, never typed in: mannwhitneyu, wilcoxon, ks_2samp,
kstest (against "norm" with the recorded args), normaltest, kruskal, spearmanr and kendalltau
(variant "b", method "auto"), each called with every parameter the case records.

Each case is also recomputed from the same doubles with exact arithmetic (ranks as halves of
integers, rational power sums, integer counts for the exact null distributions: the Gaussian
binomial coefficients of Mann-Whitney's U, the subset sums of Wilcoxon's signed ranks and of its
sign-flip permutation test, the Mahonian numbers of Kendall's tau, the lattice paths of the two-sample
Kolmogorov-Smirnov test; 50-digit mpmath, or more in the tails, for the normal, t and chi-squared
tails, Birnbaum-Tingey's one-sided Smirnov sum and the Durbin matrix of the two-sided
Kolmogorov distribution). The recomputation follows the formula scipy evaluates, including its
approximations (the continuity corrections, Hodges' one-sided asymptotic formula, 2*smirnov where
scipy's kstwo uses it, the floor/ceil of a non-integral signed-rank statistic); where scipy uses an
approximation with no closed form (the Pelz-Good series of kstwo for large n) the case has no
exact check. Where scipy itself is further from the exact value than a tenth of 1e-12 (the test's
default relative tolerance) the case carries "tolerance", ten times scipy's measured error, and
"exact", the exact values, so that the Swift side can be held tight to the truth and loose only to
scipy's rounding. The worst disagreement per task is printed.

For method "auto" the case name ends in "-> exact", "-> asymptotic" or "-> permutation": the
method scipy chose, as the recomputation decided it (a wrong choice shows as a large deviation).

Samples of 10^5 and 10^6 values are not stored: "generated": {"a": {"n", "mult", "mod", "scale",
"offset"}} means a[i] = float((i*mult) % mod) * scale + offset for i in range(n) (integer product
and remainder, then one double multiply and one double add), which Swift rebuilds bit for bit.
kruskal's "groups" may be a list of such specs.

The versions used are recorded in the file's "generator" field. Pinned: scipy 1.17.1,
statsmodels 0.15.0, numpy 2.4.6, mpmath 1.3.0 (the script refuses to run with others;
statsmodels is not used but pinned with the rest of the reference environment).
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
import scipy.stats as st
import statsmodels
from scipy.stats._stats_py import _attempt_exact_2kssamp

HERE = os.path.dirname(os.path.abspath(__file__))
# The pins, the number and generated-sample conventions and the shared mpmath helpers are
# hypothesis_tests.py's: one definition for both fixture files.
sys.path.insert(0, HERE)
from hypothesis_tests import (ALTERNATIVES, DEFAULT_TOLERANCE, PINNED, VERSIONS, generate, mp_betacf,  # noqa: E402
                              mp_chi2_sf, num, r, round_up, spec)
OUTPUT = os.path.join(HERE, "rank-tests.json")
# The test's default relative tolerance, assumed here only to decide which cases need their own.
# The smallest normal double: an exact value below it is compared at this scale, absolutely.
TINY = 2.2250738585072014e-308




# ----------------------------------------------------------------------------------------------
# Generated samples








def arrays_of(case):
    """The case's data with its generated fields built, as float arrays."""
    arrays = {}
    for field, v in case["data"].items():
        arrays[field] = [np.asarray(g, float) for g in v] if field == "groups" else np.asarray(v, float)
    for field, g in case.get("generated", {}).items():
        arrays[field] = [generate(s) for s in g] if isinstance(g, list) else generate(g)
    return arrays


# ----------------------------------------------------------------------------------------------
# The references, in the contract's names


def result(res):
    return {"statistic": num(res.statistic), "p_value": num(res.pvalue)}


def ref_mannwhitneyu(p, d):
    return result(st.mannwhitneyu(d["a"], d["b"], use_continuity=p["use_continuity"],
                                  alternative=p["alternative"], method=p["method"]))


def ref_wilcoxon(p, d):
    return result(st.wilcoxon(d["a"], d.get("b"), zero_method=p["zero_method"], correction=p["correction"],
                              alternative=p["alternative"], method=p["method"]))


def ref_ks_2samp(p, d):
    return result(st.ks_2samp(d["a"], d["b"], alternative=p["alternative"], method=p["method"]))


def ref_kstest(p, d):
    return result(st.kstest(d["a"], p["cdf"], args=tuple(p["args"]), alternative=p["alternative"]))


def ref_normaltest(p, d):
    return result(st.normaltest(d["a"]))


def ref_kruskal(p, d):
    return result(st.kruskal(*d["groups"]))


def ref_spearmanr(p, d):
    return result(st.spearmanr(d["x"], d["y"], alternative=p["alternative"]))


def ref_kendalltau(p, d):
    return result(st.kendalltau(d["x"], d["y"], alternative=p["alternative"]))


REFERENCE = {
    "mannwhitneyu": ref_mannwhitneyu, "wilcoxon": ref_wilcoxon, "ks_2samp": ref_ks_2samp,
    "kstest": ref_kstest, "normaltest": ref_normaltest, "kruskal": ref_kruskal,
    "spearmanr": ref_spearmanr, "kendalltau": ref_kendalltau,
}


# ----------------------------------------------------------------------------------------------
# Exact recomputation from the same doubles (the check, not the expected values)


def mq(f):
    """A Fraction (or int) as an mpf at the working precision."""
    f = Fraction(f)
    return mp.mpf(f.numerator) / f.denominator




def mp_betainc_lower(a, b, x):
    """I_x(a, b): the continued fraction on the side of the mean that converges."""
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
    if mp.isinf(t):
        return mp.mpf(0) if t > 0 else mp.mpf(1)
    tail = mp_betainc_lower(mp.mpf(df) / 2, mp.mpf(1) / 2, df / (df + t * t)) / 2
    return tail if t > 0 else 1 - tail


def mp_norm_sf(z):
    return mp.ncdf(-z)


def mp_pvalue(alternative, cdf, sf, stat):
    """scipy's _get_pvalue for a symmetric distribution."""
    if alternative == "less":
        return cdf(stat)
    if alternative == "greater":
        return sf(stat)
    return 2 * sf(abs(stat))




def clip01(v):
    return min(max(v, mp.mpf(0)), mp.mpf(1))


def ranks2(x):
    """Twice the average ranks of x (integers) and its tie counts, as scipy's _rankdata."""
    x = np.asarray(x, float)
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    starts = np.cumsum(counts) - counts
    return (2 * starts + counts + 1)[inverse].astype(np.int64), counts.astype(np.int64)


def tie_term(counts):
    """Σ(t³ - t) over the tie counts, exactly."""
    return sum(int(c) ** 3 - int(c) for c in counts if c > 1)


def isum(a):
    """Σ a for an int64 array, as a Python int (chunked, no overflow)."""
    return sum(int(v) for v in (np.sum(c) for c in np.array_split(np.asarray(a, np.int64), max(1, a.size // 4096))))


def isum_prod(a, b):
    """Σ a·b for int64 arrays whose products fit int64, as a Python int (chunked)."""
    a, b = np.asarray(a, np.int64), np.asarray(b, np.int64)
    k = max(1, a.size // 1024)
    return sum(int(np.sum(x * y)) for x, y in zip(np.array_split(a, k), np.array_split(b, k)))


class Exact:
    """Exact power sums of a float sample (each double is a dyadic rational)."""

    def __init__(self, x):
        vals, counts = np.unique(np.asarray(x, float), return_counts=True)
        ratios = [float(v).as_integer_ratio() for v in vals]
        shift = max(den.bit_length() - 1 for _, den in ratios)
        nums = [nm << (shift - (den.bit_length() - 1)) for nm, den in ratios]
        cs = [int(c) for c in counts]
        self.n = sum(cs)
        D = 1 << shift
        self.s = [Fraction(self.n)] + [Fraction(sum(c * m ** k for c, m in zip(cs, nums)), D ** k) for k in (1, 2, 3, 4)]

    def central(self, k):
        """Σ(x - mean)^k, exactly."""
        n, s1, s2, s3, s4 = self.n, self.s[1], self.s[2], self.s[3], self.s[4]
        if k == 2:
            return s2 - s1 * s1 / n
        if k == 3:
            return s3 - 3 * s1 * s2 / n + 2 * s1 ** 3 / n ** 2
        return s4 - 4 * s1 * s3 / n + 6 * s1 * s1 * s2 / n ** 2 - 3 * s1 ** 4 / n ** 3


# --- exact null distributions (integer counts, truncated to the tail that is needed) ----------


def mwu_cdf_count(n1, n2, K):
    """#{arrangements with U <= K}: the coefficients of the Gaussian binomial
    [n1+n2 choose n1]_q = Π_{i=1..n1} (1 - q^(n2+i)) / (1 - q^i), truncated at degree K."""
    if K < 0:
        return 0
    n1, n2 = min(n1, n2), max(n1, n2)
    K = min(K, n1 * n2)
    c = [1] + [0] * K
    for i in range(1, n1 + 1):
        a = n2 + i
        for j in range(K, a - 1, -1):
            c[j] -= c[j - a]
        for j in range(i, K + 1):
            c[j] += c[j - i]
    return sum(c)


def mwu_sf(n1, n2, k):
    """P(U >= k), exactly, for integer k."""
    N, total = n1 * n2, math.comb(n1 + n2, n1)
    if N - k <= k:
        return Fraction(mwu_cdf_count(n1, n2, N - k), total)
    return 1 - Fraction(mwu_cdf_count(n1, n2, k - 1), total)


def subset_sum_count(n, K):
    """#{subsets of {1..n} with sum <= K} (the signed-rank statistic's counts)."""
    if K < 0:
        return 0
    K = min(K, n * (n + 1) // 2)
    c = [1] + [0] * K
    for r in range(1, n + 1):
        for j in range(K, r - 1, -1):
            c[j] += c[j - r]
    return sum(c)


def signed_rank_cdf(n, k):
    """P(T+ <= k) for n untied nonzero differences, exactly (the lighter tail counted)."""
    N = n * (n + 1) // 2
    if k < 0:
        return Fraction(0)
    if k >= N:
        return Fraction(1)
    if k <= N - k - 1:
        return Fraction(subset_sum_count(n, k), 2 ** n)
    return 1 - Fraction(subset_sum_count(n, N - k - 1), 2 ** n)


def inversion_cdf_count(n, K):
    """#{permutations of n with <= K inversions}: the Mahonian numbers Π_{j=1..n} (1-q^j)/(1-q),
    truncated at degree K."""
    c = [1] + [0] * K
    for j in range(1, n + 1):
        for i in range(1, K + 1):          # divide by (1 - q)
            c[i] += c[i - 1]
        for i in range(K, j - 1, -1):      # multiply by (1 - q^j)
            c[i] -= c[i - j]
    return c


def ks2_outside(n1, n2, hg, two_sided):
    """#{lattice paths (0,0) -> (n1,n2) touching n2·x - n1·y >= hg (or |n2·x - n1·y| >= hg)}."""
    prev = None
    for x in range(n1 + 1):
        cur = [0] * (n2 + 1)
        for y in range(n2 + 1):
            v = n2 * x - n1 * y
            if v >= hg or (two_sided and -v >= hg):
                continue
            if x == 0 and y == 0:
                cur[0] = 1
                continue
            cur[y] = (prev[y] if x > 0 else 0) + (cur[y - 1] if y > 0 else 0)
        prev = cur
    return math.comb(n1 + n2, n1) - prev[n2]


# --- the Kolmogorov-Smirnov distributions in mpmath -------------------------------------------


def smirnov_mp(n, d):
    """P(D+_n >= d), Birnbaum-Tingey: d Σ_{j<=n(1-d)} C(n,j) (1-d-j/n)^(n-j) (d+j/n)^(j-1)."""
    if d <= 0:
        return mp.mpf(1)
    if d >= 1:
        return mp.mpf(0)
    total = mp.mpf(0)
    for j in range(int(mp.floor(n * (1 - d))) + 1):
        total += mp.binomial(n, j) * (1 - d - mp.mpf(j) / n) ** (n - j) * (d + mp.mpf(j) / n) ** (j - 1)
    return d * total


def durbin_cdf(n, d):
    """P(D_n < d), exactly: Durbin's matrix (Marsaglia-Tsang-Wang), n!/n^n (H^n)_{kk}."""
    k = int(mp.floor(n * d)) + 1
    h = k - n * d
    m = 2 * k - 1
    H = mp.matrix(m, m)
    for i in range(m):
        for j in range(m):
            if i - j + 1 >= 0:
                H[i, j] = 1 / mp.factorial(i - j + 1)
    for i in range(m):
        H[i, 0] -= h ** (i + 1) / mp.factorial(i + 1)
        H[m - 1, i] -= h ** (m - i) / mp.factorial(m - i)
    H[m - 1, 0] += (max(mp.mpf(0), 2 * h - 1)) ** m / mp.factorial(m)
    P, e, B = None, n, H
    while e:
        if e & 1:
            P = B if P is None else P * B
        e >>= 1
        if e:
            B = B * B
    return P[k - 1, k - 1] * mp.factorial(n) / mp.mpf(n) ** n


def kolmogn_sf_mp(n, d, d_double, p_double):
    """kstwo.sf(d, n) as scipy's _kolmogn evaluates it (its branch chosen at scipy's double d):
    the exact distribution where scipy's algorithm is exact, 2*smirnov where scipy uses it;
    None (no check) for the Pelz-Good series."""
    x, t = d_double, n * d_double
    if x >= 1:
        return mp.mpf(0)
    if x <= 0 or t <= 0.5:
        return mp.mpf(1)
    if t <= 1:
        return 1 - mp.factorial(n) / mp.mpf(n) ** n * (2 * n * d - 1) ** n
    if t >= n - 1:
        return 2 * (1 - d) ** n
    if x >= 0.5:
        return 2 * smirnov_mp(n, d)
    nx2 = t * x
    if n <= 140:
        return (1 - durbin_cdf(n, d)) if nx2 <= 4 else 2 * smirnov_mp(n, d)
    if nx2 >= 370.0:
        return mp.mpf(0)
    if nx2 >= 2.2:
        return 2 * smirnov_mp(n, d) if n <= 200_000 else None
    if n <= 100000 and n * x ** 1.5 <= 1.4 and 2 * int(t) + 1 <= 81:
        return 1 - durbin_cdf(n, d)
    return None


def kolmogn_branch(n, x):
    """Which evaluation scipy's _kolmogn (cdf=False) uses for kstwo.sf(x, n)."""
    t = n * x
    if x >= 1 or x <= 0 or t <= 0.5:
        return "trivial"
    if t <= 1:
        return "Ruben-Gambino n!/n^n (2nD-1)^n"
    if t >= n - 1:
        return "Ruben-Gambino 2(1-D)^n"
    if x >= 0.5:
        return "2*smirnov (exact)"
    nx2 = t * x
    if n <= 140:
        return "DMTW" if nx2 <= 0.754693 else "Pomeranz" if nx2 <= 4 else "2*smirnov"
    if nx2 >= 370.0:
        return "0 (nD^2 >= 370)"
    if nx2 >= 2.2:
        return "2*smirnov"
    return "DMTW" if n <= 100000 and n * x ** 1.5 <= 1.4 else "Pelz-Good"


def tail_dps(p_double):
    """Digits enough for a tail probability near p_double formed as 1 - cdf."""
    if p_double is None or p_double <= 0:
        return 60
    return 40 + max(0, int(-math.log10(p_double)))


# --- the tests --------------------------------------------------------------------------------


def exact_mannwhitneyu(p, d, expected):
    a, b = d["a"], d["b"]
    n1, n2 = a.size, b.size
    r2, counts = ranks2(np.concatenate([a, b]))
    R1 = Fraction(isum(r2[:n1]), 2)
    U1 = R1 - Fraction(n1 * (n1 + 1), 2)
    U2 = n1 * n2 - U1
    alt = p["alternative"]
    U, f = (U1, 1) if alt == "greater" else (U2, 1) if alt == "less" else (max(U1, U2), 2)
    method = p["method"]
    if method == "auto":
        method = "asymptotic" if (n1 > 8 and n2 > 8) or (counts > 1).any() else "exact"
    if method == "exact":
        pv = f * mwu_sf(n1, n2, math.floor(U))   # scipy casts U to int64: the floor for U >= 0
    else:
        n = n1 + n2
        s2 = Fraction(n1 * n2, 12) * ((n + 1) - Fraction(tie_term(counts), n * (n - 1)))
        numer = mq(U - Fraction(n1 * n2, 2) - (Fraction(1, 2) if p["use_continuity"] else 0))
        if s2 == 0:
            z = mp.inf * mp.sign(numer) if numer != 0 else mp.nan
        else:
            z = numer / mp.sqrt(mq(s2))
        pv = f * mp_norm_sf(z)
    return {"statistic": mq(U1), "p_value": clip01(mq(pv)) if not isinstance(pv, mp.mpf) else clip01(pv)}, method


def exact_wilcoxon(p, d, expected):
    dd = d["a"] - d["b"] if "b" in d else d["a"]    # scipy forms x - y in doubles
    zm, alt = p["zero_method"], p["alternative"]
    zeros = dd == 0
    n_zero = int(zeros.sum())
    kept = dd[~zeros] if zm == "wilcox" else dd
    count = kept.size
    r2, counts = ranks2(np.abs(kept))
    pos, neg, zer = kept > 0, kept < 0, kept == 0
    rp2, rm2 = isum(r2[pos]), isum(r2[neg])
    if zm == "zsplit":
        z2 = isum(r2[zer])
        rp2, rm2 = rp2 + Fraction(z2, 2), rm2 + Fraction(z2, 2)
    r_plus, r_minus = Fraction(rp2, 2), Fraction(rm2, 2)
    has_ties = bool((counts > 1).any())
    method = p["method"]
    if method == "auto":
        if dd.size > 50:
            method = "asymptotic"
        elif not (has_ties or n_zero > 0):
            method = "exact"
        elif dd.size <= 13:
            method = "permutation"
        else:
            method = "asymptotic"
    if method == "asymptotic":
        mn = Fraction(count * (count + 1), 4)
        se2 = Fraction(count * (count + 1) * (2 * count + 1))
        tcounts = counts
        if zm == "pratt":
            mn -= Fraction(n_zero * (n_zero + 1), 4)
            se2 -= n_zero * (n_zero + 1) * (2 * n_zero + 1)
            if n_zero:
                tcounts = counts[1:]          # the zeros' tie group (the lowest |d|) is left out
        se2 = (se2 - Fraction(tie_term(tcounts), 2)) / 24
        se = mp.sqrt(mq(se2))
        z = (mq(r_plus - mn)) / se if se2 != 0 else (mp.inf * mp.sign(mq(r_plus - mn)) if r_plus != mn else mp.nan)
        if p["correction"]:
            sign = 1 if alt == "greater" else -1 if alt == "less" else mp.sign(z)
            z = z - sign * mp.mpf(0.5) / se
        pv = mp_pvalue(alt, mp.ncdf, mp_norm_sf, z)
    elif method == "exact":
        lo, hi = math.ceil(r_plus), math.floor(r_plus)
        cdf = signed_rank_cdf(count, lo)
        sf = 1 - signed_rank_cdf(count, hi - 1)
        pv = cdf if alt == "less" else sf if alt == "greater" else min(Fraction(1), 2 * min(sf, cdf))
        pv = mq(pv)
    else:
        # Every sign flip of every difference, equally likely: the zeros (dropped, or fixed at
        # their rank) flip to themselves, so only the nonzero ranks' signs matter.
        nz_r2 = [int(v) for v in r2[~zer]] if zm != "wilcox" else [int(v) for v in r2]
        base = Fraction(isum(r2[zer]), 4) if zm == "zsplit" else Fraction(0)
        dist = {0: 1}
        for v in nz_r2:
            nxt = dict(dist)
            for s, c in dist.items():
                nxt[s + v] = nxt.get(s + v, 0) + c
            dist = nxt
        total = 2 ** len(nz_r2)
        obs2 = 2 * (r_plus - base)      # the observed sum of the positive ranks, doubled
        less = Fraction(sum(c for s, c in dist.items() if s <= obs2), total)
        greater = Fraction(sum(c for s, c in dist.items() if s >= obs2), total)
        pv = less if alt == "less" else greater if alt == "greater" else min(Fraction(1), 2 * min(less, greater))
        pv = mq(pv)
    stat = min(r_plus, r_minus) if alt == "two-sided" else r_plus
    return {"statistic": mq(stat), "p_value": clip01(pv)}, method


def ecdf_diffs(a, b):
    """max(F1 - F2) and max(F2 - F1) over the pooled sample, exactly (integers over n1·n2)."""
    n1, n2 = a.size, b.size
    sa, sb = np.sort(a), np.sort(b)
    allv = np.concatenate([sa, sb])
    x = np.searchsorted(sa, allv, side="right").astype(np.int64)
    y = np.searchsorted(sb, allv, side="right").astype(np.int64)
    v = n2 * x - n1 * y          # (F1 - F2)·n1·n2
    return int(v.max()), max(0, int(-v.min()))


def exact_ks_2samp(p, d, expected):
    a, b = d["a"], d["b"]
    n1, n2 = a.size, b.size
    alt = p["alternative"]
    vmax, vmin = ecdf_diffs(a, b)
    v = vmin if alt == "less" or (alt == "two-sided" and vmin > vmax) else vmax
    D = Fraction(v, n1 * n2)
    g = math.gcd(n1, n2)
    lcm = n1 // g * n2
    method = p["method"]
    if method == "auto":
        method = "exact" if max(n1, n2) <= 10000 else "asymp"
    elif method == "exact" and n1 // g >= np.iinfo(np.int32).max / (n2 // g):
        method = "asymp"
    out_d, pv = D, None
    if method == "exact":
        h = v // g                   # D·lcm, an integer
        out_d = Fraction(h, lcm)
        if h == 0:
            pv = mp.mpf(1)
        else:
            # scipy's exact attempt fails for a one-sided test of unequal sizes whose binomial
            # coefficients overflow (then: asymp, with d = h/lcm); the fallback is read off the
            # statistic it returns.
            # (Its success is asked of scipy's own attempt: the rule is its floating-point overflow.)
            fell_back = not _attempt_exact_2kssamp(n1, n2, g, float(D), alt)[0]
            if not fell_back and n1 * n2 <= 400_000:
                pv = mq(Fraction(ks2_outside(max(n1, n2), min(n1, n2), h * g, alt == "two-sided"),
                                 math.comb(n1 + n2, n1)))
            elif fell_back:
                method = "exact (unsuccessful) -> asymp"
    if method.endswith("asymp"):
        m, n = sorted([float(n1), float(n2)], reverse=True)
        en = m * n / (m + n)
        if alt == "two-sided":
            N = int(np.round(en))
            dd = float(out_d)
            with mp.workdps(tail_dps(expected["p_value"])):
                sf = kolmogn_sf_mp(N, mq(out_d), dd, expected["p_value"])
                pv = None if sf is None else +clip01(sf)
            method += f" (kstwo n={N}: {kolmogn_branch(N, dd)})"
        else:
            M, Nn = mp.mpf(m), mp.mpf(n)
            z = mp.sqrt(mp.mpf(en)) * mq(out_d)    # en as scipy forms it, in doubles
            expt = -2 * z ** 2 - 2 * z * (M + 2 * Nn) / mp.sqrt(M * Nn * (M + Nn)) / 3
            pv = clip01(mp.exp(expt))
    return {"statistic": mq(out_d), "p_value": pv}, method


def exact_kstest(p, d, expected):
    x = np.sort(d["a"])
    n = x.size
    loc, scale = p["args"]
    cdfs = [mp.ncdf((mp.mpf(v) - mp.mpf(loc)) / mp.mpf(scale)) for v in x]
    dplus = max(mp.mpf(i + 1) / n - c for i, c in enumerate(cdfs))
    dminus = max(c - mp.mpf(i) / n for i, c in enumerate(cdfs))
    alt, pd = p["alternative"], expected["p_value"]
    method = "ksone (smirnov)"
    with mp.workdps(tail_dps(pd)):
        if alt == "greater":
            stat, pv = dplus, smirnov_mp(n, dplus)
        elif alt == "less":
            stat, pv = dminus, smirnov_mp(n, dminus)
        else:
            stat = max(dplus, dminus)
            pv = kolmogn_sf_mp(n, stat, expected["statistic"], pd)
            method = f"kstwo: {kolmogn_branch(n, expected['statistic'])}"
        pv = None if pv is None else +clip01(pv)
    return {"statistic": stat, "p_value": pv}, method


def exact_normaltest(p, d, expected):
    e = Exact(d["a"])
    n = mp.mpf(e.n)
    m2, m3, m4 = (mq(e.central(k) / e.n) for k in (2, 3, 4))
    b1 = m3 / m2 ** mp.mpf(1.5)
    b2 = m4 / m2 ** 2
    # skewtest
    y = b1 * mp.sqrt(((n + 1) * (n + 3)) / (6 * (n - 2)))
    beta2 = 3 * (n ** 2 + 27 * n - 70) * (n + 1) * (n + 3) / ((n - 2) * (n + 5) * (n + 7) * (n + 9))
    W2 = -1 + mp.sqrt(2 * (beta2 - 1))
    delta = 1 / mp.sqrt(mp.log(W2) / 2)
    alpha = mp.sqrt(2 / (W2 - 1))
    if y == 0:
        y = mp.mpf(1)                   # scipy: y = where(y == 0, 1, y)
    Zs = delta * mp.log(y / alpha + mp.sqrt((y / alpha) ** 2 + 1))
    # kurtosistest
    E = 3 * (n - 1) / (n + 1)
    varb2 = 24 * n * (n - 2) * (n - 3) / ((n + 1) ** 2 * (n + 3) * (n + 5))
    xk = (b2 - E) / mp.sqrt(varb2)
    sqrtbeta1 = 6 * (n * n - 5 * n + 2) / ((n + 7) * (n + 9)) * mp.sqrt(6 * (n + 3) * (n + 5) / (n * (n - 2) * (n - 3)))
    A = 6 + 8 / sqrtbeta1 * (2 / sqrtbeta1 + mp.sqrt(1 + 4 / sqrtbeta1 ** 2))
    term1 = 1 - 2 / (9 * A)
    denom = 1 + xk * mp.sqrt(2 / (A - 4))
    term2 = mp.sign(denom) * mp.cbrt((1 - 2 / A) / abs(denom))
    Zk = (term1 - term2) / mp.sqrt(2 / (9 * A))
    stat = Zs ** 2 + Zk ** 2
    return {"statistic": stat, "p_value": mp.exp(-stat / 2)}, None   # chi2(2).sf


def exact_kruskal(p, d, expected):
    groups = d["groups"]
    r2, counts = ranks2(np.concatenate(groups))
    N = r2.size
    ssbn, start = Fraction(0), 0
    for g in groups:
        R = Fraction(isum(r2[start:start + g.size]), 2)
        ssbn += R * R / g.size
        start += g.size
    h = Fraction(12, N * (N + 1)) * ssbn - 3 * (N + 1)
    ties = 1 - Fraction(tie_term(counts), N ** 3 - N)
    H = mq(h / ties)
    return {"statistic": H, "p_value": mp_chi2_sf(len(groups) - 1, H)}, None


def exact_spearmanr(p, d, expected):
    rx, _ = ranks2(d["x"])
    ry, _ = ranks2(d["y"])
    n = rx.size
    sx, sy = isum(rx), isum(ry)
    sxx, syy, sxy = isum_prod(rx, rx), isum_prod(ry, ry), isum_prod(rx, ry)
    cxy = Fraction(sxy) - Fraction(sx * sy, n)
    cxx = Fraction(sxx) - Fraction(sx * sx, n)
    cyy = Fraction(syy) - Fraction(sy * sy, n)
    rs = mq(cxy) / mp.sqrt(mq(cxx) * mq(cyy))
    rs = max(min(rs, mp.mpf(1)), mp.mpf(-1))
    dof = n - 2
    t = rs * mp.sqrt(dof / ((rs + 1) * (1 - rs))) if abs(rs) < 1 else mp.inf * mp.sign(rs)
    pv = mp_pvalue(p["alternative"], lambda s: 1 - mp_t_sf(dof, s), lambda s: mp_t_sf(dof, s), t)
    return {"statistic": rs, "p_value": pv}, None


def exact_kendalltau(p, d, expected):
    x, y = np.asarray(d["x"], float), np.asarray(d["y"], float)
    n = x.size
    con = dis = xtie = ytie = ntie = 0
    for i in range(n - 1):
        dx = np.sign(x[i + 1:] - x[i])
        dy = np.sign(y[i + 1:] - y[i])
        s = dx * dy
        con += int((s > 0).sum())
        dis += int((s < 0).sum())
        xtie += int((dx == 0).sum())
        ytie += int((dy == 0).sum())
        ntie += int(((dx == 0) & (dy == 0)).sum())
    tot = n * (n - 1) // 2
    tau = Fraction(con - dis)
    taum = mq(tau) / mp.sqrt(mp.mpf(tot - xtie)) / mp.sqrt(mp.mpf(tot - ytie))
    alt = p["alternative"]
    if xtie == 0 and ytie == 0 and (n <= 33 or min(dis, tot - dis) <= 1):
        method = "exact"
        c = tot - dis                      # concordant pairs
        in_right_tail = c >= tot - c
        cmin = min(c, tot - c)
        counts = inversion_cdf_count(n, cmin)
        fact = math.factorial(n)
        cdf = Fraction(sum(counts), fact)
        mass = Fraction(counts[cmin], fact)
        if alt == "two-sided":
            pv = Fraction(1) if 4 * cmin == n * (n - 1) else min(Fraction(1), 2 * cdf)
        elif in_right_tail == (alt == "greater"):
            pv = cdf
        else:
            pv = 1 - cdf + mass
        pv = mq(pv)
    else:
        method = "asymptotic"
        _, cx = np.unique(x, return_counts=True)
        _, cy = np.unique(y, return_counts=True)
        x0 = sum(c * (c - 1) * (c - 2) for c in map(int, cx))
        y0 = sum(c * (c - 1) * (c - 2) for c in map(int, cy))
        x1 = sum(c * (c - 1) * (2 * c + 5) for c in map(int, cx))
        y1 = sum(c * (c - 1) * (2 * c + 5) for c in map(int, cy))
        m = n * (n - 1)
        var = Fraction(m * (2 * n + 5) - x1 - y1, 18) + Fraction(2 * xtie * ytie, m) + Fraction(x0 * y0, 9 * m * (n - 2))
        z = mq(tau) / mp.sqrt(mq(var))
        pv = mp_pvalue(alt, mp.ncdf, mp_norm_sf, z)
    return {"statistic": max(min(taum, mp.mpf(1)), mp.mpf(-1)), "p_value": clip01(pv)}, method


EXACT = {
    "mannwhitneyu": exact_mannwhitneyu, "wilcoxon": exact_wilcoxon, "ks_2samp": exact_ks_2samp,
    "kstest": exact_kstest, "normaltest": exact_normaltest, "kruskal": exact_kruskal,
    "spearmanr": exact_spearmanr, "kendalltau": exact_kendalltau,
}


def deviations(expected, exact):
    """(relative deviation, field) pairs of scipy's values from the exact ones; a field without an
    exact value (None: no closed form) is not checked."""
    out = []
    for k, got in expected.items():
        ex = exact.get(k)
        if ex is None:
            continue
        if not mp.isfinite(ex):
            out.append((0.0 if got is None else math.inf, k))
            continue
        if got is None:
            out.append((math.inf, k))
            continue
        ex = mp.mpf(ex)
        if abs(ex) < TINY:
            # below the normal range (or zero): absolutely, at the smallest normal's scale
            out.append((float(abs(mp.mpf(got) - ex) / TINY), k))
            continue
        out.append((float(abs(mp.mpf(got) - ex) / abs(ex)), k))
    return out


def to_json_exact(v):
    return {k: (None if x is None or not mp.isfinite(x) else num(float(x))) for k, x in v.items()}


# ----------------------------------------------------------------------------------------------
# The cases




def u(x, decimals=4):
    """Data rounded finely enough to be (almost surely) untied."""
    return r(x, decimals)


def build_cases():
    rng = np.random.default_rng(20260402)
    cases = []

    def add(name, task, params, data, generated=None):
        c = {"name": name, "task": task, "params": params, "data": data}
        if generated:
            c["generated"] = generated
        cases.append(c)

    # mannwhitneyu -----------------------------------------------------------------------------
    def mw(name, a, b, alternative="two-sided", method="auto", cont=True, generated=None):
        add(f"mannwhitneyu {name} {alternative} method={method} use_continuity={str(cont).lower()}",
            "mannwhitneyu", {"alternative": alternative, "use_continuity": cont, "method": method},
            {} if generated else {"a": a, "b": b}, generated)

    ta, tb = u(rng.normal(0.0, 1.0, 12)), u(rng.normal(0.8, 1.0, 15))
    for alt in ALTERNATIVES:
        mw("typical 12 vs 15", ta, tb, alt)
        mw("typical 12 vs 15", ta, tb, alt, cont=False)
        mw("typical 12 vs 15", ta, tb, alt, "exact")
    sa, sb = u(rng.normal(0.0, 1.0, 5)), u(rng.normal(1.0, 1.0, 7))
    for alt in ALTERNATIVES:
        mw("small 5 vs 7", sa, sb, alt)
        mw("small 5 vs 7", sa, sb, alt, "asymptotic")
    # auto: exact unless both sizes exceed 8 or there are ties
    b8a, b8b, b9a, b9b = (u(rng.normal(m, 1.0, k)) for m, k in ((0.0, 8), (0.9, 8), (0.0, 9), (0.9, 9)))
    mw("8 vs 8 no ties", b8a, b8b)
    mw("8 vs 8 no ties", b8a, b8b, "greater")
    mw("9 vs 9 no ties", b9a, b9b)
    mw("9 vs 9 no ties", b9a, b9b, "less")
    mw("9 vs 8 no ties", b9a, b8b)
    mw("8 vs 30 no ties", b8a, u(rng.normal(0.5, 1.0, 30)), "less")
    mw("5 vs 200 no ties", sa, u(rng.normal(0.3, 1.0, 200), 5))
    # U1 = 11.5, U2 = 30.5: the exact method's sf is taken at int64(U), the floor
    ia, ib = [1.0, 2.0, 3.0, 3.0, 5.0, 6.0, 7.0], [2.0, 4.0, 4.5, 8.0, 9.0, 9.0]
    mw("ties 7 vs 6", ia, ib)
    mw("ties 7 vs 6", ia, ib, "greater")
    for alt in ALTERNATIVES:
        mw("ties 7 vs 6 (U = x.5 truncated)", ia, ib, alt, "exact")
    ja, jb = [float(v) for v in rng.integers(0, 6, 25)], [float(v) for v in rng.integers(1, 7, 30)]
    mw("ties integers 25 vs 30", ja, jb)
    mw("ties integers 25 vs 30", ja, jb, "less", cont=False)
    mw("zeros", [0.0, 0.0, 0.0, 1.0, 0.0, 2.5, 0.0], [0.0, 1.0, 3.0, 2.0, 0.0, 4.0, 5.0, 0.0, 6.0])
    for alt in ALTERNATIVES:
        mw("2 vs 3", [1.0, 2.5], [3.0, 4.0, 0.5], alt)
    mw("2 vs 3", [1.0, 2.5], [3.0, 4.0, 0.5], "two-sided", "asymptotic")
    mw("1 vs 1", [1.0], [2.0])
    mw("3 vs 3 separated", [1.0, 2.0, 3.0], [4.0, 5.0, 6.0], "less")
    mw("constant, equal samples (s = 0)", [2.0, 2.0, 2.0, 2.0], [2.0, 2.0, 2.0])
    ea, eb = u(rng.normal(0.0, 1.0, 40)), u(rng.normal(0.5, 1.0, 40))
    mw("40 vs 40 (float counts past uint64)", ea, eb, "two-sided", "exact")
    mw("40 vs 40 (float counts past uint64)", ea, eb, "greater", "exact")
    sep = [float(v) for v in range(50)]
    mw("50 vs 50 separated", sep, [float(v) + 50.0 for v in range(50)], "two-sided", "exact")
    # Far past 2⁶² arrangements, where a double recursion can cancel (the review's 100 × 100).
    ha, hb = u(rng.normal(0.0, 1.0, 100)), u(rng.normal(0.3, 1.0, 100))
    mw("100 vs 100 exact (counts far past uint64)", ha, hb, "two-sided", "exact")
    wa, wb = u(rng.normal(0.0, 1.0, 200)), u(rng.normal(0.2, 1.0, 200))
    mw("200 vs 200 exact (counts far past uint64)", wa, wb, "less", "exact")
    mw("8 vs 8 separated", sep[:8], [v + 8.0 for v in sep[:8]], "less")
    big = [float(v) for v in range(1000)]
    mw("900 vs 900 separated (extreme tail)", big[:900], [v + 900.0 for v in big[:900]], "less")
    mw("850 vs 900 separated (extreme tail)", big[:850], [v + 850.0 for v in big[:900]])
    mw("generated 6e5 vs 4e5 (ties from the modulus)", None, None, "two-sided",
       generated={"a": spec(600_000, 7919, 10007, 0.01), "b": spec(400_000, 104729, 10009, 0.01, 0.03)})
    mw("generated 6e5 vs 4e5 (ties from the modulus)", None, None, "less",
       generated={"a": spec(600_000, 7919, 10007, 0.01), "b": spec(400_000, 104729, 10009, 0.01, 0.03)})
    mw("generated 5e5 vs 5e5 (ties from the modulus)", None, None, "greater", cont=False,
       generated={"a": spec(500_000, 48271, 10037, 0.01, 0.2), "b": spec(500_000, 7919, 10007, 0.01)})

    # wilcoxon ---------------------------------------------------------------------------------
    def wx(name, a, b=None, alternative="two-sided", zero_method="wilcox", correction=False, method="auto"):
        data = {"a": a} if b is None else {"a": a, "b": b}
        add(f"wilcoxon {name} {alternative} zero_method={zero_method} correction={str(correction).lower()} "
            f"method={method}", "wilcoxon",
            {"alternative": alternative, "zero_method": zero_method, "correction": correction, "method": method}, data)

    wd = u(rng.normal(0.5, 1.0, 20))
    for alt in ALTERNATIVES:
        wx("one sample n=20", wd, None, alt)
        wx("one sample n=20", wd, None, alt, method="asymptotic")
        wx("one sample n=20", wd, None, alt, correction=True, method="asymptotic")
    pa = u(rng.normal(10.0, 2.0, 15))
    pb = u(np.asarray(pa) - rng.normal(0.8, 1.0, 15))
    for alt in ALTERNATIVES:
        wx("paired n=15", pa, pb, alt)
    w50, w51 = u(rng.normal(0.3, 1.0, 50)), u(rng.normal(0.3, 1.0, 51))
    wx("n=50 no ties", w50)
    wx("n=50 no ties", w50, None, "greater")
    wx("n=51 no ties", w51)
    wx("n=51 no ties", w51, None, "greater")
    wx("n=51 no ties", w51, None, "two-sided", method="exact")
    wt = r(rng.normal(0.4, 1.0, 20), 1)
    wt = [v if v != 0 else 0.7 for v in wt]
    wx("ties n=20", wt)
    wx("ties n=20", wt, None, "two-sided", correction=True)
    wx("ties n=20 (statistic floored/ceiled)", wt, None, "two-sided", method="exact")
    wx("ties n=20 (statistic floored/ceiled)", wt, None, "less", method="exact")
    wx("ties n=20 (statistic floored/ceiled)", wt, None, "greater", method="exact")
    wt10 = [1.5, -0.5, 2.0, 1.5, 3.0, -1.0, 0.5, 2.0, 1.5, 4.0]
    wx("ties n=10", wt10)
    wx("ties n=10", wt10, None, "greater")
    wz = [0.0, 1.2, -0.4, 0.0, 2.1, 0.9, -1.3, 0.0, 1.7, 0.6, 2.8, -0.2, 1.1, 0.0, 0.3, 1.9, -0.7, 2.4, 0.8, 1.4]
    for zm in ("wilcox", "pratt", "zsplit"):
        wx("zeros n=20", wz, None, "two-sided", zm)
        wx("zeros n=20", wz, None, "greater", zm, True)
        wx("zeros n=20", wz, None, "two-sided", zm, method="exact")
        wx("zeros n=20", wz, None, "less", zm, method="exact")
    wz10 = [0.0, 1.2, -0.4, 0.0, 2.1, 0.9, -1.3, 1.7, 0.6, 2.8]
    for zm in ("wilcox", "pratt", "zsplit"):
        wx("zeros n=10", wz10, None, "two-sided", zm)
        wx("zeros n=10", wz10, None, "greater", zm, method="asymptotic")
    wzp = [0.0, 0.0, 0.5, 1.0, 1.0, -0.5, 2.0, 0.0, 1.5, -1.0, 2.5, 3.0, 1.0, 0.5, 2.0, 4.0]
    wzq = [0.0] * 16
    wx("zeros and ties paired n=16", wzp, wzq, "two-sided", "pratt", True)
    wx("zeros and ties paired n=16", wzp, wzq, "less", "zsplit")
    for alt in ALTERNATIVES:
        wx("n=2", [1.5, -0.5], None, alt)
    wx("n=3", [1.5, -0.5, 2.5], None, "greater")
    wx("n=3", [1.5, -0.5, 2.5], None, "two-sided", method="asymptotic")
    # every difference zero: n <= 13 goes to the permutation test (statistic 0, p 1); for n > 13
    # the asymptotic z is 0/0 and scipy returns nan (no case)
    wx("all differences zero paired n=5", [1.0, 2.0, 3.5, 4.0, 5.0], [1.0, 2.0, 3.5, 4.0, 5.0])
    wx("constant nonzero sample n=6", [2.0] * 6)
    wx("constant nonzero sample n=6", [2.0] * 6, None, "greater", method="asymptotic")
    allpos = [float(v) for v in u(rng.uniform(0.1, 5.0, 50))]
    wx("n=50 all positive", allpos)
    wx("n=50 all positive (sf by complement)", allpos, None, "greater")
    wx("n=50 all positive", allpos, None, "less")
    wx("n=1000 all negative", [-float(v) for v in range(1, 1001)], None, "less", method="exact")
    wx("n=1800 all positive (extreme tail)", [float(v) for v in range(1, 1801)], None, "greater")
    wx("n=1750 all positive (extreme tail)", [float(v) for v in range(1, 1751)], None, "two-sided", correction=True)
    ww = u(rng.normal(0.1, 1.0, 400))
    wx("n=400", ww, None, "two-sided", "pratt", True)

    # ks_2samp ---------------------------------------------------------------------------------
    def ks2(name, a, b, alternative="two-sided", method="auto", generated=None):
        add(f"ks_2samp {name} {alternative} method={method}", "ks_2samp",
            {"alternative": alternative, "method": method}, {} if generated else {"a": a, "b": b}, generated)

    ka, kb = u(rng.normal(0.0, 1.0, 30)), u(rng.normal(0.6, 1.2, 40))
    kc, kd = u(rng.normal(0.0, 1.0, 25)), u(rng.normal(0.5, 1.0, 25))
    for alt in ALTERNATIVES:
        ks2("30 vs 40", ka, kb, alt)
        ks2("30 vs 40", ka, kb, alt, "asymp")
        ks2("25 vs 25", kc, kd, alt)
    ks2("25 vs 25", kc, kd, "two-sided", "asymp")
    ks2("ties integers 20 vs 24", [float(v) for v in rng.integers(0, 6, 20)], [float(v) for v in rng.integers(1, 7, 24)])
    ks2("2 vs 3", [1.0, 2.0], [1.5, 3.0, 4.0])
    ks2("2 vs 3", [1.0, 2.0], [2.5, 3.0, 4.0], "greater")
    ks2("3 vs 3", [1.0, 2.0, 3.0], [4.0, 5.0, 6.0], "less")
    ks2("constant, equal samples (D = 0)", [1.0, 1.0, 1.0], [1.0, 1.0])
    sep100 = [float(v) for v in range(100)]
    ks2("100 vs 100 separated (extreme tail)", sep100, [v + 100.0 for v in sep100])
    ks2("100 vs 100 separated (extreme tail)", sep100, [v + 100.0 for v in sep100], "greater")
    ks2("100 vs 100 separated (D- = 0)", sep100, [v + 100.0 for v in sep100], "less")
    ks2("150 vs 120 separated", [float(v) for v in range(150)], [float(v) + 150.0 for v in range(120)])
    ks2("150 vs 120 separated", [float(v) for v in range(150)], [float(v) + 150.0 for v in range(120)], "greater")
    oa, ob = u(rng.normal(0.0, 1.0, 520)), u(rng.normal(0.15, 1.0, 500))
    ks2("520 vs 500 one-sided (exact succeeds)", oa, ob, "less")
    ks2("540 vs 500 one-sided (exact overflows: asymp)", u(rng.normal(0.0, 1.0, 540)), ob, "less")
    ks2("540 vs 500 one-sided (exact overflows: asymp)", u(rng.normal(0.0, 1.0, 540)), ob, "greater", "exact")
    # auto: exact while max(n1, n2) <= 10000
    ks2("generated 10000 vs 8000", None, None, generated={"a": spec(10_000, 7919, 10007, 0.01),
                                                          "b": spec(8_000, 104729, 10009, 0.01, 0.4)})
    ks2("generated 10000 vs 8000", None, None, "greater", generated={"a": spec(10_000, 7919, 10007, 0.01),
                                                                     "b": spec(8_000, 104729, 10009, 0.01, 0.4)})
    ks2("generated 10001 vs 8000", None, None, generated={"a": spec(10_001, 7919, 10007, 0.01),
                                                          "b": spec(8_000, 104729, 10009, 0.01, 0.4)})
    ks2("generated 10001 vs 8000", None, None, "greater", generated={"a": spec(10_001, 7919, 10007, 0.01),
                                                                     "b": spec(8_000, 104729, 10009, 0.01, 0.4)})
    ks2("generated 10000 vs 10000", None, None, "two-sided", generated={"a": spec(10_000, 7919, 10007, 0.01),
                                                                        "b": spec(10_000, 104729, 10009, 0.01, 0.3)})
    for alt in ALTERNATIVES:
        ks2("generated 1e5 vs 1.2e5", None, None, alt,
            generated={"a": spec(100_000, 7919, 10007, 0.01), "b": spec(120_000, 104729, 10009, 0.01, 0.25)})
    ks2("generated 1e5 vs 1.2e5 (extreme tail)", None, None, "two-sided",
        generated={"a": spec(100_000, 7919, 10007, 0.01), "b": spec(120_000, 104729, 10009, 0.01, 3.0)})

    # kstest -----------------------------------------------------------------------------------
    def kt(name, a, args=(0.0, 1.0), alternative="two-sided"):
        add(f"kstest {name} args={list(args)} {alternative}", "kstest",
            {"cdf": "norm", "args": [float(v) for v in args], "alternative": alternative}, {"a": a})

    k30 = u(rng.normal(0.2, 1.0, 30))
    for alt in ALTERNATIVES:
        kt("typical n=30", k30, alternative=alt)
    k40 = u(rng.normal(5.5, 2.0, 40))
    for alt in ALTERNATIVES:
        kt("given args n=40", k40, (5.0, 2.0), alt)
    k60 = u(rng.normal(3.0, 1.5, 60))
    est = (float(np.mean(np.asarray(k60))), float(np.std(np.asarray(k60))))   # mean and std (ddof 0)
    kt("args estimated (mean, std ddof=0) n=60", k60, est)
    kt("args estimated (mean, std ddof=0) n=60", k60, est, "greater")
    kt("ties n=25", r(rng.normal(0.0, 1.0, 25), 1))
    kt("n=2", [0.3, 1.1])
    kt("n=2", [0.3, 1.1], alternative="less")
    kt("n=3", [-0.4, 0.2, 1.5])
    kt("n=1", [0.25])
    kt("n*D = 0.5 (p = 1) n=10", u(st.norm.ppf((np.arange(10) + 0.5) / 10), 6))
    kt("n*D = 0.6 (Ruben-Gambino) n=10", u(st.norm.ppf((np.arange(10) + 0.6) / 10), 6))
    kt("D >= 0.5 (2*smirnov exact) n=20", u(rng.normal(1.6, 0.5, 20)))
    kt("n=100 (Pomeranz region)", u(rng.normal(0.15, 1.0, 100)))
    kt("n=100 (2*smirnov region)", u(rng.normal(0.6, 1.0, 100)))
    q1000 = (np.arange(1000) + 0.5) / 1000
    kt("n=1000 near the quantiles (DMTW region)", u(st.norm.ppf(q1000 + 0.009 * np.sin(2 * np.pi * q1000)), 5))
    kt("n=1000 (Pelz-Good region)", u(rng.normal(0.045, 1.0, 1000)))
    kt("n=1000 (2*smirnov region)", u(rng.normal(0.15, 1.0, 1000)))
    kt("n=1000 one-sided", u(rng.normal(0.15, 1.0, 1000)), alternative="less")
    kt("n=200 extreme tail", u(rng.normal(2.0, 1.0, 200)))
    kt("n=200 extreme tail", u(rng.normal(2.0, 1.0, 200)), alternative="less")
    kt("n=2000 extreme tail", u(rng.normal(1.0, 1.0, 2000), 3))
    kt("n=2000 beyond the tail (nD^2 >= 370: p = 0)", u(rng.normal(1.3, 1.0, 2000), 3))

    # normaltest -------------------------------------------------------------------------------
    def nt(name, a):
        add(f"normaltest {name}", "normaltest", {}, {"a": a})

    nt("n=8 (the minimum)", [1.2, -0.4, 0.8, 2.9, 0.1, -1.6, 0.5, 1.4])
    nt("normal n=20", u(rng.normal(10.0, 2.0, 20)))
    nt("normal n=100", u(rng.normal(0.0, 1.0, 100)))
    nt("exponential n=200", u(rng.exponential(1.0, 200)))
    nt("uniform n=300 (platykurtic)", u(rng.uniform(0.0, 1.0, 300)))
    nt("student t3 n=150 (leptokurtic)", u(rng.standard_t(3, 150)))
    nt("ties integers n=40", [float(v) for v in rng.integers(0, 5, 40)])
    nt("zeros n=30", [0.0] * 12 + u(rng.normal(1.0, 1.0, 18)))
    nt("symmetric (skew exactly 0: scipy's y = 1)", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0])
    nt("exponential n=2800 (extreme tail)", u(rng.exponential(1.0, 2800)))
    nt("lognormal n=3000 (p underflows to 0)", u(rng.lognormal(0.0, 1.0, 3000)))
    nt("n=7 (too small: scipy returns nan)", [1.0, 2.0, 4.0, 3.0, 5.0, 7.0, 6.5])

    # kruskal ----------------------------------------------------------------------------------
    def kw(name, groups, generated=None):
        add(f"kruskal {name}", "kruskal", {}, {} if generated else {"groups": groups}, generated)

    kw("three groups", [u(rng.normal(m, 1.0, k)) for m, k in ((0.0, 12), (0.6, 15), (1.1, 10))])
    kw("two groups", [u(rng.normal(0.0, 1.0, 14)), u(rng.normal(0.7, 1.0, 11))])
    kw("four groups", [u(rng.normal(m, 2.0, 20)) for m in (1.0, 1.5, 0.8, 2.4)])
    kw("ties integers", [[float(v) for v in rng.integers(1, 6, k)] for k in (15, 20, 18)])
    kw("zeros", [[0.0, 0.0, 1.0, 0.0], [0.0, 2.0, 3.0, 1.0, 0.0], [4.0, 0.0, 5.0]])
    kw("groups of 2 and 3 values", [[1.0, 2.0], [3.0, 4.5, 5.0], [2.5, 3.0]])
    kw("constant across groups (tie correction 0: nan)", [[2.0, 2.0], [2.0, 2.0, 2.0]])
    kw("extreme tail", [u(rng.normal(m, 1.0, 1500)) for m in (0.0, 0.4, 0.8)])
    kw("generated n=1e6", None, {"groups": [spec(400_000, 7919, 10007, 0.01), spec(300_000, 104729, 10009, 0.01, 0.1),
                                            spec(300_000, 48271, 10037, 0.01, -0.05)]})

    # spearmanr --------------------------------------------------------------------------------
    def sp(name, x, y, alternative="two-sided", generated=None):
        add(f"spearmanr {name} {alternative}", "spearmanr", {"alternative": alternative},
            {} if generated else {"x": x, "y": y}, generated)

    sx = u(rng.normal(0.0, 1.0, 30))
    sy = u(0.5 * np.asarray(sx) + rng.normal(0.0, 1.0, 30))
    sn = u(-0.4 * np.asarray(sx) + rng.normal(0.0, 1.0, 30))
    for alt in ALTERNATIVES:
        sp("typical positive n=30", sx, sy, alt)
        sp("typical negative n=30", sx, sn, alt)
    tx = [float(v) for v in rng.integers(0, 4, 25)]
    sp("ties integers", tx, [float(v) for v in np.asarray(tx) + rng.integers(0, 3, 25)])
    sp("zeros", [0.0, 0.0, 1.0, 0.0, 2.0, 3.0, 0.0], [0.0, 1.0, 1.0, 0.0, 2.0, 2.0, 0.0])
    sp("n=3", [1.0, 2.0, 4.0], [3.0, 1.0, 2.0])
    sp("n=3", [1.0, 2.0, 4.0], [1.0, 3.0, 4.5], "greater")
    sp("n=2 (dof 0: nan)", [1.0, 2.0], [3.0, 5.0])
    # (rho = 1 exactly is left out: np.corrcoef gives 0.9999999999999999 and a finite t, p 6.6e-64 for n=10.)
    sp("near-monotone n=10 (one swap)", [float(v) for v in range(10)], [0.0, 1.0, 8.0, 27.0, 125.0, 64.0, 216.0, 343.0, 512.0, 729.0])
    sp("near-monotone n=10 (one swap)", [float(v) for v in range(10)], [0.0, 1.0, 8.0, 27.0, 125.0, 64.0, 216.0, 343.0, 512.0, 729.0], "less")
    ex = u(rng.normal(0.0, 1.0, 2000))
    ey = u(0.7 * np.asarray(ex) + rng.normal(0.0, 0.75, 2000))
    sp("extreme tail n=2000", ex, ey)
    sp("extreme tail n=2000", ex, ey, "greater")
    sp("beyond the tail n=2000 (p underflows to 0)", ex, u(0.7 * np.asarray(ex) + rng.normal(0.0, 0.5, 2000)))
    sp("generated n=1e6", None, None, generated={"x": spec(1_000_000, 7919, 10007, 0.01),
                                                 "y": spec(1_000_000, 7919, 10009, 0.01)})
    sp("generated n=1e6", None, None, "less", generated={"x": spec(1_000_000, 7919, 10007, 0.01),
                                                         "y": spec(1_000_000, 104729, 10009, 0.01)})

    # kendalltau -------------------------------------------------------------------------------
    def kd(name, x, y, alternative="two-sided"):
        add(f"kendalltau {name} {alternative}", "kendalltau", {"alternative": alternative}, {"x": x, "y": y})

    dx = u(rng.normal(0.0, 1.0, 20))
    dy = u(0.5 * np.asarray(dx) + rng.normal(0.0, 1.0, 20))
    for alt in ALTERNATIVES:
        kd("typical n=20 no ties", dx, dy, alt)
    # auto: exact with no ties when n <= 33 (or at most one discordant/concordant pair)
    x33, x34 = u(rng.normal(0.0, 1.0, 33)), u(rng.normal(0.0, 1.0, 34))
    y33 = u(0.3 * np.asarray(x33) + rng.normal(0.0, 1.0, 33))
    y34 = u(0.3 * np.asarray(x34) + rng.normal(0.0, 1.0, 34))
    kd("n=33 no ties", x33, y33)
    kd("n=33 no ties", x33, y33, "less")
    kd("n=34 no ties", x34, y34)
    kd("n=34 no ties", x34, y34, "less")
    ordered = [float(v) for v in range(50)]
    kd("n=50 concordant (exact 2/n!)", ordered, ordered)
    kd("n=50 concordant (exact 2/n!)", ordered, ordered, "greater")
    kd("n=50 concordant (exact 2/n!)", ordered, ordered, "less")
    swapped = ordered[:]
    swapped[10], swapped[11] = swapped[11], swapped[10]
    kd("n=50 one discordant pair", ordered, swapped)
    kd("n=50 one concordant pair", ordered, [-v for v in swapped], "less")
    kd("n=200 concordant (n >= 171: p = 0)", [float(v) for v in range(200)], [float(v) for v in range(200)])
    kt_x = [float(v) for v in rng.integers(0, 5, 30)]
    kt_y = [float(v) for v in np.asarray(kt_x) + rng.integers(0, 3, 30)]
    for alt in ALTERNATIVES:
        kd("ties n=30", kt_x, kt_y, alt)
    kd("zeros", [0.0, 0.0, 1.0, 0.0, 2.0, 3.0, 0.0], [0.0, 1.0, 1.0, 0.0, 2.0, 2.0, 0.0])
    for alt in ALTERNATIVES:
        kd("n=2", [1.0, 2.0], [3.0, 5.0], alt)
    kd("n=3", [1.0, 2.0, 4.0], [3.0, 1.0, 2.0])
    kd("n=3", [1.0, 2.0, 4.0], [1.0, 3.0, 4.5], "greater")
    kd("n=4 tau = 0 (4c = n(n-1))", [1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 1.0, 3.0])
    kd("n=4 tau = 0 (4c = n(n-1))", [1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 1.0, 3.0], "greater")
    kd("constant x (nan)", [1.0, 1.0, 1.0, 1.0], [1.0, 2.0, 3.0, 4.0])
    fx = u(rng.normal(0.0, 1.0, 1500))
    fy = u(0.8 * np.asarray(fx) + rng.normal(0.0, 0.52, 1500))
    kd("extreme tail n=1500", fx, fy)
    kd("extreme tail n=1500", fx, fy, "greater")
    kd("beyond the tail n=1500 (p underflows to 0)", fx, u(0.8 * np.asarray(fx) + rng.normal(0.0, 0.4, 1500)))
    kd("n=150 no ties", u(rng.normal(0.0, 1.0, 150)), u(rng.normal(0.0, 1.0, 150)), "less")
    return cases




def rank_fixtures():
    mp.mp.dps = 50
    out, skipped, worst, fallbacks = [], [], {}, []
    for case in build_cases():
        arrays = arrays_of(case)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")   # scipy's precision, small-sample and fallback warnings
                case["expected"] = REFERENCE[case["task"]](case["params"], arrays)
        except Exception as e:   # the reference refuses: no case
            skipped.append(f"{case['name']}: {type(e).__name__}: {str(e).splitlines()[0][:120]}")
            continue
        if case["expected"]["statistic"] is None or case["expected"]["p_value"] is None:
            skipped.append(f"{case['name']}: scipy returns {case['expected']}")
            del case["expected"]
            continue
        for w in caught:
            if "Switching to" in str(w.message):
                fallbacks.append(f"{case['name']}: {str(w.message)[:100]}")
        exact, method = EXACT[case["task"]](case["params"], arrays, case["expected"])
        if case["params"].get("method") == "auto":
            case["name"] += f" -> {method}"
        elif method is not None and method != case["params"].get("method", ""):
            case["name"] += f" -> {method}"
        devs = deviations(case["expected"], exact)
        if not devs:
            out.append(case)
            continue
        dev, field = max(devs)
        if dev == math.inf:
            raise AssertionError(f"{case['name']}: scipy and the exact value disagree on definedness at {field}")
        if dev > 1e-9:
            print(f"  note {dev:.2e} at {field}: {case['name']}: scipy {case['expected']} exact {to_json_exact(exact)}")
        if dev > 1e-3:
            raise AssertionError(f"{case['name']}: scipy {case['expected']} far from exact {to_json_exact(exact)}")
        task_worst = worst.get(case["task"], (0.0, "", ""))
        if dev > task_worst[0]:
            worst[case["task"]] = (dev, case["name"], field)
        if 10 * dev > DEFAULT_TOLERANCE:
            # scipy's own rounding error (against the exact value of the same formula from the
            # same doubles) is above a tenth of the default tolerance: the case's tolerance is ten
            # times it, and the exact values ride along.
            case["tolerance"] = round_up(10 * dev)
            case["exact"] = to_json_exact(exact)
        out.append(case)
    for s in skipped:
        print("skipped", s)
    for s in fallbacks:
        print("fallback", s)
    for task, (dev, name, field) in sorted(worst.items()):
        print(f"{task:14s} worst scipy-vs-exact {dev:.2e}  ({name}, {field})")
    counts = {}
    for c in out:
        counts[c["task"]] = counts.get(c["task"], 0) + 1
    print("cases per task:", counts)
    return {"generator": VERSIONS,
            "reference": "scipy.stats mannwhitneyu, wilcoxon, ks_2samp, kstest (cdf 'norm', args as recorded), "
                         "normaltest, kruskal, spearmanr, kendalltau (variant 'b', method 'auto'); exact "
                         "recomputation (integer null-distribution counts, rational ranks and moments, mpmath "
                         "tails) from the same doubles decides 'tolerance'/'exact'",
            "cases": out}


if __name__ == "__main__":
    wrong = {k: VERSIONS[k] for k, v in PINNED.items() if VERSIONS[k] != v}
    if wrong:
        sys.exit(f"rank_tests.py: the pinned references are {PINNED}; found {wrong}")
    obj = rank_fixtures()
    with open(OUTPUT, "w") as f:
        json.dump(obj, f, indent=None, allow_nan=False)
        f.write("\n")
    print("wrote", os.path.relpath(OUTPUT), f"({len(obj['cases'])} cases, {os.path.getsize(OUTPUT)} bytes)")
