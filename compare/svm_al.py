"""scikit-learn's side of `make compare` for the SVM: Lu et al.'s loop as their code
runs it (SVC refit from scratch after every single query until the pool is empty,
test accuracy each round, US-C = the smallest |decision_function|), on exactly the
data albench's trials see: each seed's split and standardized features come from
`albench data`, the initial labeled set from albench's queries.csv (round 0).

    python3 compare/svm_al.py ALBENCH CONFIG RUN_DIR DATASET:SEEDS ...

prints one JSON line per trial: dataset, strategy, seed, ms (the loop alone: fit,
score, query), aulc (trapezoid over the labels / number of queries, albench's).
Uniform draws come from numpy's generator, so its curve differs from albench's in
the points picked, not in the work done.
"""
import csv
import json
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.svm import SVC


def load(albench, config, dataset, seed, tmp):
    out = f"{tmp}/{dataset}-{seed}.csv"
    subprocess.run([albench, "data", "-dataset", dataset, "-seed", str(seed), "-out", out, config], check=True)
    with open(out) as f:
        rows = list(csv.DictReader(f))
    feats = [k for k in rows[0] if k.startswith("x")]
    pool = [r for r in rows if r["split"] == "pool"]
    test = [r for r in rows if r["split"] == "test"]
    mat = lambda rs: np.array([[float(r[k]) for k in feats] for r in rs])
    return mat(pool), np.array([r["label"] for r in pool]), mat(test), np.array([r["label"] for r in test])


def initial(run, dataset, seed):
    with open(f"{run}/queries.csv") as f:
        return [int(r["pool_row"]) for r in csv.DictReader(f)
                if r["dataset"] == dataset and r["seed"] == str(seed) and r["strategy"] == "random" and r["round"] == "0"]


def trial(xp, yp, xt, yt, init, strategy, seed):
    labeled = list(init)
    unlabeled = [i for i in range(len(yp)) if i not in set(init)]
    rng = np.random.default_rng(seed)
    accs = []
    t0 = time.perf_counter()
    while True:
        m = SVC(kernel="rbf", gamma="auto", C=1).fit(xp[labeled], yp[labeled])
        accs.append(float(np.mean(m.predict(xt) == yt)))
        if not unlabeled:
            break
        if strategy == "random":
            j = int(rng.integers(len(unlabeled)))
        else:
            j = int(np.argmin(np.abs(m.decision_function(xp[unlabeled]))))
        labeled.append(unlabeled.pop(j))
    ms = (time.perf_counter() - t0) * 1000
    a = np.array(accs)
    return ms, float(np.sum((a[1:] + a[:-1]) / 2) / (len(a) - 1))


def main():
    albench, config, run = sys.argv[1:4]
    with tempfile.TemporaryDirectory() as tmp:
        for spec in sys.argv[4:]:
            dataset, seeds = spec.split(":")
            for seed in range(int(seeds)):
                xp, yp, xt, yt = load(albench, config, dataset, seed, tmp)
                init = initial(run, dataset, seed)
                for strategy in ("random", "us-c"):
                    ms, aulc = trial(xp, yp, xt, yt, init, strategy, seed)
                    print(json.dumps({"dataset": dataset, "strategy": strategy, "seed": seed, "ms": ms, "aulc": aulc}), flush=True)


if __name__ == "__main__":
    main()
