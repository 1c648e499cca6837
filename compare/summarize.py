#!/usr/bin/env python3
"""The table of `make compare`: albench against PyTorch, per protocol and strategy.

Usage: summarize.py PROTOCOL ALBENCH_DIR TORCH_JSONL [PROTOCOL ALBENCH_DIR TORCH_JSONL ...]

albench's time per trial is the sum of train_ms + query_ms over the trial's rounds in
timings.csv (skylines excluded): the same span torch_al.py times (train, evaluate on
the test set, query), leaving out what neither side's loop does (data generation,
the split, writing results, figures). Final accuracy is the last round's test
accuracy, from trials.csv on the albench side. Standard library only.
"""

import csv
import json
import statistics
import sys


def albench(dir):
    """Per (strategy, seed), skylines excluded: ms per trial (train_ms + query_ms
    over its rounds), query ms per trial, and the last round's accuracy."""
    ms, qms, acc, last = {}, {}, {}, {}
    with open(f"{dir}/timings.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["strategy"] == "skyline":
                continue
            k = (r["strategy"], int(r["seed"]))
            ms[k] = ms.get(k, 0.0) + float(r["train_ms"]) + float(r["query_ms"])
            qms[k] = qms.get(k, 0.0) + float(r["query_ms"])
    with open(f"{dir}/trials.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["strategy"] == "skyline":
                continue
            k = (r["strategy"], int(r["seed"]))
            if int(r["round"]) >= last.get(k, -1):
                last[k], acc[k] = int(r["round"]), float(r["accuracy"])
    return ms, qms, acc


def torch(path):
    """Per (strategy, seed) of torch_al.py's JSON lines: ms per trial, query ms
    per trial (NaN where not recorded) and the final accuracy."""
    ms, qms, acc = {}, {}, {}
    with open(path) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                k = (r["strategy"], int(r["seed"]))
                ms[k], acc[k] = 1000 * r["seconds"], r["accuracy"]
                qms[k] = 1000 * r.get("query_seconds", float("nan"))
    return ms, qms, acc


def mean_sd(xs):
    return f"{statistics.fmean(xs):.3f}±{statistics.stdev(xs) if len(xs) > 1 else 0:.3f}"


def main(argv):
    if len(argv) == 0 or len(argv) % 3:
        sys.exit(__doc__.split("\n\n")[1])
    head = ["protocol", "strategy", "trials", "albench ms/trial", "PyTorch ms/trial", "ratio",
            "albench acc", "PyTorch acc"]
    rows, bad = [], False
    for i in range(0, len(argv), 3):
        proto, (ams, _, aacc), (tms, _, tacc) = argv[i], albench(argv[i + 1]), torch(argv[i + 2])
        if set(ams) != set(tms):
            print(f"summarize: {proto}: albench ran {sorted(ams)}, PyTorch {sorted(tms)}", file=sys.stderr)
            bad = True
        keys = sorted(set(ams) & set(tms))
        strategies = sorted({s for s, _ in keys})
        for s in strategies + ["(all)"]:
            ks = [k for k in keys if s == "(all)" or k[0] == s]
            a = statistics.fmean(ams[k] for k in ks)
            t = statistics.fmean(tms[k] for k in ks)
            rows.append([proto, s, str(len(ks)), f"{a:.1f}", f"{t:.1f}", f"{t / a:.1f}x",
                         mean_sd([aacc[k] for k in ks]), mean_sd([tacc[k] for k in ks])])
    w = [max(len(r[j]) for r in rows + [head]) for j in range(len(head))]
    for r in [head] + rows:
        print("  ".join(c.ljust(w[j]) if j < 2 else c.rjust(w[j]) for j, c in enumerate(r)).rstrip())
    print("ratio = PyTorch ms/trial ÷ albench ms/trial (higher is faster albench); acc = mean±sd final test accuracy")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
