#!/usr/bin/env python3
"""The table of `make compare-large`: albench against PyTorch per strategy on
compare/large.yaml, over repeated runs of each side.

Usage: large_summary.py --albench DIR [DIR ...] --torch JSONL [JSONL ...]

Per run and strategy, the mean ms per trial over the seeds (albench: train_ms +
query_ms summed over a trial's rounds in timings.csv, skylines excluded, as
summarize.py; PyTorch: torch_al.py's seconds) and the mean query ms per trial
(albench's query_ms; torch_al.py's query_seconds). Each side keeps its fastest
run (a shared machine only ever slows a run down) and shows the slowest beside it.
Final accuracy is the mean over the seeds of the last round's test accuracy, from
the first run of each side (every run of a side computes the same). Standard
library only.
"""

import statistics
import sys

from summarize import albench, torch  # the same readers as make compare's table


def per_strategy(runs, strategy):
    """(fastest, slowest) over the runs of the mean trial ms, likewise query ms, and
    the first run's mean accuracy, for one strategy."""
    t = [statistics.fmean(v for (s, _), v in ms.items() if s == strategy) for ms, _, _ in runs]
    q = [statistics.fmean(v for (s, _), v in qms.items() if s == strategy) for _, qms, _ in runs]
    a = [v for (s, _), v in runs[0][2].items() if s == strategy]
    return (min(t), max(t)), (min(q), max(q)), statistics.fmean(a), len(a)


def main(argv):
    if "--albench" not in argv or "--torch" not in argv:
        sys.exit(__doc__.split("\n\n")[1])
    i, j = argv.index("--albench"), argv.index("--torch")
    adirs = argv[i + 1:j] if i < j else argv[i + 1:]
    tfiles = argv[j + 1:i] if j < i else argv[j + 1:]
    ar, tr = [albench(d) for d in adirs], [torch(p) for p in tfiles]
    names = sorted({s for s, _ in ar[0][0]} & {s for s, _ in tr[0][0]})
    head = ["strategy", "seeds", "albench ms/trial", "PyTorch ms/trial", "ratio",
            "albench query ms", "PyTorch query ms", "query ratio", "albench acc", "PyTorch acc"]
    rows = []
    for s in names:
        (at, atw), (aq, aqw), aacc, n = per_strategy(ar, s)
        (tt, ttw), (tq, tqw), tacc, _ = per_strategy(tr, s)
        rows.append([s, str(n), f"{at:.1f} ({atw:.1f})", f"{tt:.1f} ({ttw:.1f})", f"{tt / at:.1f}x",
                     f"{aq:.1f} ({aqw:.1f})", f"{tq:.1f} ({tqw:.1f})",
                     f"{tq / aq:.1f}x" if aq > 0 else "-", f"{aacc:.3f}", f"{tacc:.3f}"])
    w = [max(len(r[k]) for r in rows + [head]) for k in range(len(head))]
    for r in [head] + rows:
        print("  ".join(c.ljust(w[k]) if k == 0 else c.rjust(w[k]) for k, c in enumerate(r)).rstrip())
    print(f"fastest of {len(ar)} albench and {len(tr)} PyTorch runs (slowest in parentheses); "
          "ratio = PyTorch ÷ albench (fastest each); acc = mean final test accuracy")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
