"""Table of `make compare`'s SVM part: albench's ms per trial (train + query summed
over timings.csv) and scikit-learn's (svm_al.py's JSON lines on stdin), the ratio,
and both sides' mean AULC, so speed is never bought with different work.

    python3 compare/svm_summary.py RUN_DIR < sklearn.jsonl
"""
import collections
import csv
import json
import statistics
import sys

run = sys.argv[1]
ms = collections.defaultdict(float)
for r in csv.DictReader(open(f"{run}/timings.csv")):
    ms[(r["dataset"], r["strategy"], int(r["seed"]))] += float(r["train_ms"]) + float(r["query_ms"])
acc = collections.defaultdict(list)
for r in csv.DictReader(open(f"{run}/trials.csv")):
    acc[(r["dataset"], r["strategy"], int(r["seed"]))].append(float(r["accuracy"]))
sk = [json.loads(line) for line in sys.stdin if line.strip()]

print("| dataset | strategy | trials | albench ms/trial | scikit-learn ms/trial | ratio | AULC albench | AULC scikit-learn |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for d in dict.fromkeys(s["dataset"] for s in sk):
    for st in ("random", "us-c"):
        rows = [s for s in sk if s["dataset"] == d and s["strategy"] == st]
        seeds = [s["seed"] for s in rows]
        a_ms = statistics.mean(ms[(d, st, s)] for s in seeds)
        s_ms = statistics.mean(s["ms"] for s in rows)
        def aulc(c):
            return sum((c[i] + c[i + 1]) / 2 for i in range(len(c) - 1)) / (len(c) - 1)
        a_au = statistics.mean(aulc(acc[(d, st, s)]) for s in seeds)
        s_au = statistics.mean(s["aulc"] for s in rows)
        print(f"| {d} | {st} | {len(rows)} | {a_ms:.1f} | {s_ms:.1f} | {s_ms / a_ms:.0f}× | {a_au:.4f} | {s_au:.4f} |")
