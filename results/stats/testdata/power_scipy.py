#!/usr/bin/python3
"""Writes power_scipy.json, the reference values of TestPowerScipy and
TestSignedRankRoundedTiesScipy.

Run once with /usr/bin/python3 (scipy 1.10.1); the Go tests only read the JSON.
Power of the two-sided paired t-test with n pairs and effect d = mu/sigma:
P(|T'| > t_{1-a/2,n-1}) with T' noncentral t (df n-1, nc d*sqrt(n)).
seeds: the smallest n >= 2 with power >= 0.8 at alpha 0.05.
wilcoxon: differences of metrics with 6 decimals, computed in floating point
so that equal differences differ in the last bits; scipy ranks the rounded
differences (np.round(d, 6)), as albench does.
"""
import json

import numpy as np
from scipy import stats


def power(d, n, alpha=0.05):
    df = n - 1
    c = stats.t.ppf(1 - alpha / 2, df)
    nc = abs(d) * np.sqrt(n)
    return float(stats.nct.sf(c, df, nc) + stats.nct.cdf(-c, df, nc))


def seeds(d, alpha=0.05, target=0.8):
    n = 2
    while power(d, n, alpha) < target:
        n += 1
    return n


out = {"power": [], "seeds": [], "wilcoxon": []}
for d in [0.1, 0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 3.0, 5.0]:
    for n in [2, 3, 5, 10, 20, 50, 100]:
        out["power"].append({"d": d, "n": n, "power": power(d, n)})
for d in [0.2, 0.35, 0.5, 0.8, 1.0, 1.3, 2.0, 4.0, -0.6]:
    out["seeds"].append({"d": d, "n": seeds(d)})

rng = np.random.default_rng(14)
for case in range(6):
    n = [6, 8, 10, 12, 15, 20][case]
    # Accuracies on a 150-row test set: multiples of 1/150, so differences tie often.
    # Stored as trials.csv stores them (6 decimals), then subtracted: equal
    # differences of different pairs then differ in their last bits.
    k = rng.integers(100, 150, size=n)
    x = np.round(k / 150.0, 6)
    y = np.round((k - rng.integers(-3, 6, size=n)) / 150.0, 6)
    d = x - y
    r = np.round(d, 6)
    res = stats.wilcoxon(r, zero_method="wilcox", correction=False, method="approx")
    nz = r[r != 0]
    _, counts = np.unique(np.abs(nz), return_counts=True)
    out["wilcoxon"].append({
        "x": x.tolist(), "y": y.tolist(),
        "raw_distinct": int(len(np.unique(np.abs(d[d != 0])))),
        "rounded_distinct": int(len(counts)),
        "p": float(res.pvalue), "w": float(res.statistic),
    })

with open("power_scipy.json", "w") as f:
    json.dump(out, f, indent=1)
