#!/usr/bin/python3
"""Generate the scikit-learn fixtures of package albench/learners/forest.

Run from anywhere:  /usr/bin/python3 learners/forest/testdata/gen_fixtures.py [--bench]

Datasets: breast_cancer and iris from /work/shared/datasets/*.csv (last column
"label"), and make_moons(n_samples=300, noise=0.3, random_state=0). Each is split by
np.random.RandomState(0).permutation into 70% training and 30% held-out rows, and
testdata/<name>.json gets the data (as read, unscaled) and:

trees    DecisionTreeClassifier(max_features=None) for a grid of criterion,
         max_depth and min_samples_leaf. Even with every feature considered,
         scikit-learn visits the features in a random order and keeps the first of
         equally good splits, so a case is kept only if 40 random_states give the
         same node count, depth and held-out predict_proba; "structure_unique" says
         whether they also gave the same features and thresholds node by node.
         The same grid is grown again with sample_weight = boot_counts, the
         draw counts of one bootstrap sample (np.random.RandomState(1).randint),
         which is how RandomForestClassifier passes a bootstrap sample to a tree.
forests  RandomForestClassifier(n_jobs=1) for 20 random_states: the held-out
         accuracy and the mean predicted probability of class 1 of each, and for
         each held-out row the mean and standard deviation over the 20 forests of
         its probability of class 1.

--bench  times RandomForestClassifier(n_estimators=100, n_jobs=1) fitting 500 rows ×
         20 features and predicting 1000 rows of the splitmix64 data that the Go
         benchmark BenchmarkFitPredict draws (benchData in forest_test.go), and prints
         the median of 5 runs.
"""
import json
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.datasets import make_moons
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = "/work/shared/datasets"
STATES = 40
FOREST_SEEDS = list(range(20))


def load(name):
    if name == "moons":
        return make_moons(n_samples=300, noise=0.3, random_state=0)
    raw = np.genfromtxt(os.path.join(SHARED, name + ".csv"), delimiter=",", names=True)
    cols = raw.dtype.names
    assert cols[-1] == "label", cols
    x = np.column_stack([raw[c] for c in cols[:-1]])
    return x, raw["label"].astype(int)


def split(x, y):
    perm = np.random.RandomState(0).permutation(len(y))
    ntr = int(0.7 * len(y))
    return x[perm[:ntr]], y[perm[:ntr]], x[perm[ntr:]], y[perm[ntr:]]


def boot_counts(n):
    """A bootstrap sample as RandomForestClassifier draws it, as weights."""
    return np.bincount(np.random.RandomState(1).randint(0, n, n), minlength=n)


def tree_cases(xtr, ytr, xte, weights=None):
    cases = []
    for crit in ["gini", "entropy"]:
        for depth, leaf in [(None, 1), (None, 3), (None, 5), (2, 1), (3, 1), (5, 1), (4, 2)]:
            sigs, probas, shapes = set(), set(), set()
            for r in range(STATES):
                t = DecisionTreeClassifier(criterion=crit, max_depth=depth,
                                           min_samples_leaf=leaf, random_state=r)
                t.fit(xtr, ytr, sample_weight=None if weights is None else weights.astype(float))
                tt = t.tree_
                sigs.add((tuple(tt.feature), tuple(tt.threshold)))
                probas.add(t.predict_proba(xte).tobytes())
                shapes.add((tt.node_count, tt.max_depth))
            if len(probas) != 1 or len(shapes) != 1:
                continue
            tt = t.tree_
            cases.append({
                "weighted": weights is not None,
                "criterion": crit,
                "max_depth": depth or 0,
                "min_samples_leaf": leaf,
                "node_count": int(tt.node_count),
                "depth": int(tt.max_depth),
                "structure_unique": len(sigs) == 1,
                "feature": [int(f) for f in tt.feature],
                "threshold": [float(v) for v in tt.threshold],
                "left": [int(v) for v in tt.children_left],
                "right": [int(v) for v in tt.children_right],
                "proba": t.predict_proba(xte).tolist(),
                "pred": [int(v) for v in t.predict(xte)],
            })
    return cases


FOREST_CONFIGS = [
    {},
    {"criterion": "entropy", "max_depth": 6, "min_samples_leaf": 2, "max_features": "log2"},
    {"bootstrap": False, "max_features": 0.3, "min_samples_split": 6},
]


def forest_cases(xtr, ytr, xte, yte):
    out = []
    for cfg in FOREST_CONFIGS:
        acc, p1, points = [], [], []
        for s in FOREST_SEEDS:
            f = RandomForestClassifier(n_estimators=100, n_jobs=1, random_state=s, **cfg).fit(xtr, ytr)
            p = f.predict_proba(xte)
            acc.append(float(np.mean(f.predict(xte) == yte)))
            p1.append(float(np.mean(p[:, 1])))
            points.append(p[:, 1])
        points = np.array(points)
        out.append({"params": cfg, "n_estimators": 100, "seeds": FOREST_SEEDS,
                    "accuracy": acc, "mean_p1": p1,
                    "point_mean_p1": points.mean(axis=0).tolist(),
                    "point_std_p1": points.std(axis=0, ddof=1).tolist()})
    return out


def splitmix(state):
    """One step of splitmix64: the new state and the output, as in forest_test.go."""
    m = (1 << 64) - 1
    state = (state + 0x9E3779B97F4A7C15) & m
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & m
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & m
    return state, z ^ (z >> 31)


def bench_data(rows, cols, seed):
    """Uniform features in [-1, 1) and label 1 when the first 5 features sum above 0
    with noise, drawn exactly as benchData in forest_test.go."""
    x = np.empty((rows, cols))
    y = np.empty(rows, dtype=int)
    st = seed
    for i in range(rows):
        for j in range(cols):
            st, z = splitmix(st)
            x[i, j] = (z >> 11) * 2.0 ** -53 * 2 - 1
        st, z = splitmix(st)
        noise = (z >> 11) * 2.0 ** -53 - 0.5
        y[i] = 1 if x[i, :5].sum() + noise > 0 else 0
    return x, y


def bench():
    xtr, ytr = bench_data(500, 20, 1)
    xte, _ = bench_data(1000, 20, 2)
    times = []
    for r in range(5):
        t0 = time.perf_counter()
        f = RandomForestClassifier(n_estimators=100, n_jobs=1, random_state=r).fit(xtr, ytr)
        f.predict_proba(xte)
        times.append(time.perf_counter() - t0)
    print("scikit-learn %s: fit 100 trees on 500x20 + predict 1000 rows: median %.1f ms (runs %s)"
          % (sklearn.__version__, 1000 * sorted(times)[2], ", ".join("%.0f" % (1000 * t) for t in times)))
    print("checksum: sum x_train = %.17g, ones = %d" % (xtr.sum(), ytr.sum()))


def main():
    if "--bench" in sys.argv:
        bench()
        return
    for name in ["breast_cancer", "iris", "moons"]:
        x, y = load(name)
        xtr, ytr, xte, yte = split(x, y)
        doc = {
            "dataset": name,
            "sklearn": sklearn.__version__,
            "classes": int(y.max()) + 1,
            "x_train": xtr.tolist(), "y_train": ytr.tolist(),
            "x_test": xte.tolist(), "y_test": yte.tolist(),
            "boot_counts": boot_counts(len(ytr)).tolist(),
            "trees": tree_cases(xtr, ytr, xte) + tree_cases(xtr, ytr, xte, boot_counts(len(ytr))),
            "forests": forest_cases(xtr, ytr, xte, yte) if name != "iris" else [],
        }
        path = os.path.join(HERE, name + ".json")
        with open(path, "w") as f:
            json.dump(doc, f, separators=(",", ":"))
            f.write("\n")
        print(path, len(doc["trees"]), "tree cases", os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
