#!/usr/bin/python3
"""Parity of albench's Lu et al. (2023) protocol with scikit-learn's SVC.

Run by `make compare` (not `make test`); needs /usr/bin/python3 with numpy and
scikit-learn (Debian: apt-get install python3-sklearn).

    /usr/bin/python3 compare/lu2023/parity.py [--albench bin/albench]
        [--config compare/lu2023/parity.yaml] [--replay-seeds 5] [--seeds 20]

1. Replay. albench runs --config with its seeds set to --seeds (one run serves
   both checks; trials are keyed by seed, so seeds 0..4 of it are parity.yaml's
   five). For the first --replay-seeds seeds of heart and sonar, `albench data`
   gives the trial's standardized pool and test rows (pool rows first, in
   albench's pool order), and queries.csv the labeled rows of every round. Each
   round, SVC(kernel='rbf', gamma='auto', C=1) is fitted from scratch on the same
   labeled rows (in pool order, as the paper's code sorts them) and its test
   accuracy compared with trials.csv's (6 decimals). For us-c, scikit-learn's own
   pick (argmin |decision_function| over the unlabeled rows, lowest pool row on
   ties) is compared with albench's next query.
2. Independent protocol. The paper's protocol written again with numpy's RNG
   (default_rng(seed) shuffles the rows, 60% pool / 40% test as in their
   init_data_exps; StandardScaler fitted on the pool; 20 initial labels drawn
   uniformly from the pool, redrawn until both classes are present; batch 1 to
   the end of the pool) for --seeds seeds, on the LIBSVM files of
   ../shared/datasets/zhan2021 (or --data-dir). Its mean paper-style AUBC is
   compared with albench's on the same number of seeds by Welch's t:
   |mean_py − mean_albench| ≤ 3·√(s_py²/n_py + s_al²/n_al).
3. Time per trial: Python's perf_counter around the fit/evaluate/query loop of
   (2); albench's train_ms + query_ms summed over the rounds of timings.csv.

Exit status 1 if more than --max-mismatch (1%) of the replayed rounds differ in
accuracy, a round differs by more than --max-points (2) test points, more than 1%
of the us-c picks differ, or a mean AUBC differs by more than 3 SE. A few rounds
one test point apart are expected: albench warm-starts SMO and both solvers stop
within tol = 1e-3, so two fits of the same rows agree only to that tolerance.
"""

import argparse
import csv
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.datasets import load_svmlight_file
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

DATASETS = ["heart", "sonar"]
STRATEGIES = ["random", "us-c"]
INITIAL = 20
TEST_FRACTION = 0.4


def svc():
    return SVC(kernel="rbf", gamma="auto", C=1.0)


def paper_aubc(acc):
    """Lu et al.'s AUBC (commit 42b01fd): the trapezoid over a_1..a_q / q."""
    q = len(acc) - 1
    return sum((acc[i] + acc[i + 1]) / 2 for i in range(1, q)) / q


def albench_aulc(acc):
    q = len(acc) - 1
    return sum((acc[i] + acc[i + 1]) / 2 for i in range(q)) / q


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def albench_data(binary, config, dataset, seed, tmp):
    out = os.path.join(tmp, f"{dataset}-{seed}.csv")
    subprocess.run([binary, "data", "-dataset", dataset, "-seed", str(seed), "-out", out, config], check=True)
    rows = read_csv(out)
    feats = [k for k in rows[0] if k.startswith("x")]
    pool = [r for r in rows if r["split"] == "pool"]
    test = [r for r in rows if r["split"] == "test"]
    xp = np.array([[float(r[k]) for k in feats] for r in pool])
    yp = np.array([r["label"] for r in pool])
    xt = np.array([[float(r[k]) for k in feats] for r in test])
    yt = np.array([r["label"] for r in test])
    rowid = [int(r["row"]) for r in pool]
    return xp, yp, xt, yt, rowid


def replay(binary, config, run, seeds, tmp):
    """Checks albench's curves and us-c picks against scikit-learn."""
    trials = {}
    for r in read_csv(os.path.join(run, "trials.csv")):
        trials[(r["dataset"], r["strategy"], int(r["seed"]), int(r["round"]))] = float(r["accuracy"])
    queries = {}
    for r in read_csv(os.path.join(run, "queries.csv")):
        key = (r["dataset"], r["strategy"], int(r["seed"]))
        queries.setdefault(key, []).append((int(r["round"]), int(r["pool_row"]), int(r["row"])))
    stats = {}  # (dataset, strategy) -> dict
    for d in DATASETS:
        for seed in range(seeds):
            xp, yp, xt, yt, rowid = albench_data(binary, config, d, seed, tmp)
            for s in STRATEGIES:
                st = stats.setdefault((d, s), {"rounds": 0, "mismatch": 0, "points": [], "picks": 0, "agree": 0, "first": [], "gaps": []})
                q = sorted(queries[(d, s, seed)])
                for _, pr, row in q:
                    if rowid[pr] != row:
                        raise SystemExit(f"parity: {d} seed {seed}: pool_row {pr} is row {rowid[pr]} in albench data, queries.csv says {row}")
                initial = [pr for rnd, pr, _ in q if rnd == 0]
                picks = [pr for rnd, pr, _ in q if rnd > 0]
                labeled = np.zeros(len(yp), dtype=bool)
                labeled[initial] = True
                for rnd in range(len(picks) + 1):
                    if rnd > 0:
                        labeled[picks[rnd - 1]] = True
                    idx = np.flatnonzero(labeled)  # ascending pool rows
                    m = svc().fit(xp[idx], yp[idx])
                    acc = float(np.mean(m.predict(xt) == yt))
                    want = trials[(d, s, seed, rnd)]
                    st["rounds"] += 1
                    if abs(round(acc, 6) - want) > 5e-7:
                        st["mismatch"] += 1
                        st["points"].append(round(abs(acc - want) * len(yt)))
                        if len(st["first"]) < 3:
                            st["first"].append((seed, rnd))
                    if s == "us-c" and rnd < len(picks):
                        un = np.flatnonzero(~labeled)
                        dv = np.abs(m.decision_function(xp[un]))
                        mine = int(un[int(np.argmin(dv))])  # argmin returns the first minimum
                        st["picks"] += 1
                        st["agree"] += mine == picks[rnd]
                        if mine != picks[rnd]:
                            theirs = float(dv[np.searchsorted(un, picks[rnd])])
                            st["gaps"].append(theirs - float(dv.min()))
    return stats


def load_libsvm(path):
    x, y = load_svmlight_file(path)
    return x.toarray(), y


def protocol_trial(x, y, seed, strategy):
    """One trial of the paper's protocol; returns the accuracy curve and seconds."""
    rng = np.random.default_rng(seed)
    idx = np.arange(len(y))
    rng.shuffle(idx)
    n_pool = int(len(y) * (1 - TEST_FRACTION))
    pool, test = idx[:n_pool], idx[n_pool:]
    scaler = StandardScaler().fit(x[pool])
    xp, yp = scaler.transform(x[pool]), y[pool]
    xt, yt = scaler.transform(x[test]), y[test]
    classes = np.unique(y)
    while True:
        order = rng.permutation(n_pool)
        if len(np.unique(yp[order[:INITIAL]])) == len(classes):
            break
    labeled = np.zeros(n_pool, dtype=bool)
    labeled[order[:INITIAL]] = True
    acc = []
    t0 = time.perf_counter()
    while True:
        lab = np.flatnonzero(labeled)
        m = svc().fit(xp[lab], yp[lab])
        acc.append(float(np.mean(m.predict(xt) == yt)))
        un = np.flatnonzero(~labeled)
        if len(un) == 0:
            break
        if strategy == "random":
            pick = un[rng.integers(len(un))]
        else:
            pick = un[int(np.argmin(np.abs(m.decision_function(xp[un]))))]
        labeled[pick] = True
    return acc, time.perf_counter() - t0


def mean_std(v):
    v = np.asarray(v, dtype=float)
    return float(v.mean()), float(v.std(ddof=1))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--albench", default="bin/albench")
    ap.add_argument("--config", default="compare/lu2023/parity.yaml")
    ap.add_argument("--data-dir", default=os.path.join("..", "shared", "datasets", "zhan2021"))
    ap.add_argument("--replay-seeds", type=int, default=5)
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--max-mismatch", type=float, default=0.01,
                    help="largest fraction of replayed rounds (and of us-c picks) allowed to differ")
    ap.add_argument("--max-points", type=int, default=2,
                    help="largest number of test points by which a replayed round may differ")
    args = ap.parse_args()
    if not os.path.isdir(args.data_dir) and os.path.isdir("/work/shared/datasets/zhan2021"):
        args.data_dir = "/work/shared/datasets/zhan2021"

    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        cfg = os.path.join(tmp, "parity.yaml")
        with open(args.config) as f, open(cfg, "w") as g:
            for line in f:
                g.write(f"seeds: {args.seeds}\n" if line.startswith("seeds:") else line)
        run = os.path.join(tmp, "run")
        subprocess.run([args.albench, "run", "-q", "-j", "1", "-out", run, cfg], check=True, stdout=subprocess.DEVNULL)

        # 1. Replay.
        rep = replay(args.albench, cfg, run, args.replay_seeds, tmp)
        print(f"Replay of albench's queries in scikit-learn SVC(rbf, gamma='auto', C=1), seeds 0..{args.replay_seeds - 1}:")
        print()
        print("| dataset | strategy | rounds | accuracy mismatches | test points off | us-c picks equal | |f| gap of differing picks |")
        print("|:--|:--|--:|--:|:--|--:|:--|")
        rounds = mis = picks_n = pick_off = worst = 0
        for (d, s), st in rep.items():
            pts = ", ".join(str(p) for p in sorted(st["points"])) or "—"
            picks = f"{st['agree']} / {st['picks']}" if s == "us-c" else "—"
            gaps = ", ".join(f"{g:.1e}" for g in sorted(st["gaps"])) or "—"
            print(f"| {d} | {s} | {st['rounds']} | {st['mismatch']} | {pts} | {picks} | {gaps} |")
            rounds += st["rounds"]
            mis += st["mismatch"]
            picks_n += st["picks"]
            pick_off += st["picks"] - st["agree"]
            worst = max([worst] + st["points"])
        print()
        print(f"{mis} of {rounds} rounds differ ({100 * mis / rounds:.2f}%, at most {worst} test point(s)); "
              f"{pick_off} of {picks_n} us-c picks differ ({100 * pick_off / max(picks_n, 1):.2f}%). The gap is scikit-learn's "
              "|f(albench's pick)| − min |f|: small gaps are near-ties that SMO's stopping tolerance decides.")
        if mis > args.max_mismatch * rounds or pick_off > args.max_mismatch * picks_n or worst > args.max_points:
            ok = False
            print(f"parity: FAIL: more than {100 * args.max_mismatch:g}% of rounds or picks differ, or a round by more than {args.max_points} test points")

        # 2. Independent protocol and 3. timing.
        al_trials = {}
        for r in read_csv(os.path.join(run, "trials.csv")):
            if r["strategy"] in STRATEGIES:
                al_trials.setdefault((r["dataset"], r["strategy"], int(r["seed"])), []).append((int(r["round"]), float(r["accuracy"])))
        al_ms = {}
        for r in read_csv(os.path.join(run, "timings.csv")):
            key = (r["dataset"], r["strategy"], int(r["seed"]))
            al_ms[key] = al_ms.get(key, 0.0) + float(r["train_ms"]) + float(r["query_ms"])
        print()
        print(f"Paper-style AUBC, {args.seeds} seeds each: the paper's protocol in Python (numpy RNG) against albench (-j 1):")
        print()
        print("| dataset | strategy | Python | albench | diff | 3·SE | Welch t | Python ms/trial | albench ms/trial | ratio |")
        print("|:--|:--|--:|--:|--:|--:|--:|--:|--:|--:|")
        for d in DATASETS:
            x, y = load_libsvm(os.path.join(args.data_dir, f"{d}-svmstyle.txt"))
            for s in STRATEGIES:
                py, secs = [], []
                for seed in range(args.seeds):
                    acc, sec = protocol_trial(x, y, seed, s)
                    py.append(paper_aubc(acc))
                    secs.append(sec)
                al = [paper_aubc([a for _, a in sorted(al_trials[(d, s, seed)])]) for seed in range(args.seeds)]
                mp, sp = mean_std(py)
                ma, sa = mean_std(al)
                se = math.sqrt(sp * sp / len(py) + sa * sa / len(al))
                t = (mp - ma) / se
                pyms = 1000 * float(np.mean(secs))
                alms = float(np.mean([al_ms[(d, s, seed)] for seed in range(args.seeds)]))
                flag = "" if abs(mp - ma) <= 3 * se else " **>3 SE**"
                print(f"| {d} | {s} | {mp:.4f} ± {sp:.4f} | {ma:.4f} ± {sa:.4f} | {mp - ma:+.4f}{flag} | {3 * se:.4f} | {t:+.2f} | {pyms:.1f} | {alms:.2f} | {pyms / alms:.0f}× |")
                if abs(mp - ma) > 3 * se:
                    ok = False
    print()
    print("Python ms/trial: perf_counter around fit, evaluate and query of every round (scikit-learn refits from scratch);")
    print("albench ms/trial: train_ms + query_ms of timings.csv summed over the trial's rounds. Both single-threaded.")
    if not ok:
        print("parity: FAIL", file=sys.stderr)
        return 1
    print("parity: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
