#!/usr/bin/python3
"""Times scikit-learn's SVC(gamma='auto').fit on the data of the Go benchmarks.

    mkdir -p /tmp/svmbench
    ALBENCH_SVM_DUMP=/tmp/svmbench go test -run '^$' -bench 'Fit|ColdRound' -benchtime 1x ./learners/svm/
    /usr/bin/python3 learners/svm/testdata/bench_sklearn.py /tmp/svmbench

prints, per file, the best of 5 fit times, the iterations and support vectors.
"""
import glob
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.svm import SVC


def main(d):
    for path in sorted(glob.glob(os.path.join(d, "svm_bench_*.csv"))):
        a = np.loadtxt(path, delimiter=",")
        x, y = a[:, :-1], a[:, -1].astype(int)
        if x.shape[1] == 57:
            # BenchmarkColdRound: fit on the first 1,000 pool rows, decide the
            # 1,800 test rows (the last ones).
            xtr, ytr, xte = x[:1000], y[:1000], x[-1800:]
            best = float("inf")
            for _ in range(5):
                t = time.perf_counter()
                clf = SVC(gamma="auto").fit(xtr, ytr)
                clf.decision_function(xte)
                best = min(best, time.perf_counter() - t)
            print(f"{os.path.basename(path)}: cold round (fit 1000 + decide 1800) {best * 1e3:.1f} ms "
                  f"(best of 5), iter {clf.n_iter_[0]}, SV {len(clf.support_)}")
            continue
        best = float("inf")
        for _ in range(5):
            t = time.perf_counter()
            clf = SVC(gamma="auto").fit(x, y)
            best = min(best, time.perf_counter() - t)
        print(f"{os.path.basename(path)}: n={len(y)} fit {best * 1e3:.1f} ms (best of 5), "
              f"iter {clf.n_iter_[0]}, SV {len(clf.support_)}  [scikit-learn {sklearn.__version__}]")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/svmbench")
