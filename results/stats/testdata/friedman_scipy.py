#!/usr/bin/python3
"""Writes friedman_scipy.json, the reference values of TestFriedmanScipy.

Run once with /usr/bin/python3 (scipy 1.10.1); the Go tests only read the JSON.
Rows of "data" are blocks (datasets), columns treatments (strategies).
scipy.stats.friedmanchisquare gives the tie-corrected chi-square and its p;
Iman and Davenport's F_F = (N-1) chi2 / (N(k-1) - chi2) is referred to
scipy.stats.f with k-1 and (k-1)(N-1) degrees of freedom.
"""
import json

import numpy as np
from scipy import stats

rng = np.random.default_rng(20060101)
cases = {
    # Hand-made, no ties: treatment 0 mostly best.
    "k4_n6_untied": [
        [0.91, 0.85, 0.88, 0.80],
        [0.72, 0.70, 0.74, 0.61],
        [0.95, 0.90, 0.93, 0.94],
        [0.66, 0.61, 0.59, 0.60],
        [0.83, 0.84, 0.79, 0.75],
        [0.78, 0.71, 0.73, 0.70],
    ],
    # Ties within blocks, including a block tied throughout.
    "k3_n5_ties": [
        [1.0, 1.0, 2.0],
        [3.0, 2.0, 2.0],
        [5.0, 5.0, 5.0],
        [1.0, 2.0, 3.0],
        [4.0, 3.0, 3.0],
    ],
    # Random, rounded to two digits so that some ties occur.
    "k5_n10_rounded": np.round(rng.uniform(0.6, 0.7, size=(10, 5)), 2).tolist(),
    # Twelve treatments, beyond Demsar's table.
    "k12_n8": (rng.normal(size=(8, 12)) + np.linspace(0, 1.5, 12)).tolist(),
}

out = []
for name, data in cases.items():
    x = np.array(data, dtype=float)
    n, k = x.shape
    chi2, p = stats.friedmanchisquare(*x.T)
    ff = (n - 1) * chi2 / (n * (k - 1) - chi2)
    pf = stats.f.sf(ff, k - 1, (k - 1) * (n - 1))
    out.append({"name": name, "data": x.tolist(), "chi2": float(chi2), "p": float(p),
                "ff": float(ff), "pf": float(pf)})

with open("friedman_scipy.json", "w") as f:
    json.dump({"scipy": __import__("scipy").__version__, "cases": out}, f, indent=1)
    f.write("\n")
